package fwnoop

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/bench/fill"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/provider"
)

const resourceName = "cobo_payment_order"

func realServer() tfprotov6.ProviderServer { return provider.NewServer("test")() }

// The no-work provider's schema is the provider's own, every plan modifier, validator and default
// included: the wire answers are identical, so the two cannot drift apart.
func TestSchemaIsTheProvidersOwn(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	real, noop := realServer(), NewServer()
	wantSchema, _ := real.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	gotSchema, _ := noop.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if len(wantSchema.Diagnostics) != 0 || len(gotSchema.Diagnostics) != 0 {
		t.Fatalf("diagnostics: %v, %v", wantSchema.Diagnostics, gotSchema.Diagnostics)
	}
	if !reflect.DeepEqual(gotSchema, wantSchema) {
		t.Error("GetProviderSchema differs from the provider's")
	}
	if _, ok := gotSchema.ResourceSchemas[resourceName]; !ok || len(gotSchema.DataSourceSchemas) == 0 {
		t.Errorf("resources %v, data sources %v", gotSchema.ResourceSchemas, gotSchema.DataSourceSchemas)
	}
	wantMD, _ := real.GetMetadata(ctx, &tfprotov6.GetMetadataRequest{})
	gotMD, _ := noop.GetMetadata(ctx, &tfprotov6.GetMetadataRequest{})
	for _, md := range []*tfprotov6.GetMetadataResponse{wantMD, gotMD} { // listed in map order
		slices.SortFunc(md.DataSources, func(a, b tfprotov6.DataSourceMetadata) int { return strings.Compare(a.TypeName, b.TypeName) })
		slices.SortFunc(md.Resources, func(a, b tfprotov6.ResourceMetadata) int { return strings.Compare(a.TypeName, b.TypeName) })
		slices.SortFunc(md.ListResources, func(a, b tfprotov6.ListResourceMetadata) int { return strings.Compare(a.TypeName, b.TypeName) })
		slices.SortFunc(md.Actions, func(a, b tfprotov6.ActionMetadata) int { return strings.Compare(a.TypeName, b.TypeName) })
	}
	if !reflect.DeepEqual(gotMD, wantMD) {
		t.Errorf("GetMetadata: %+v, want %+v", gotMD, wantMD)
	}
	wantID, _ := real.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	gotID, _ := noop.GetResourceIdentitySchemas(ctx, &tfprotov6.GetResourceIdentitySchemasRequest{})
	if !reflect.DeepEqual(gotID, wantID) {
		t.Errorf("GetResourceIdentitySchemas: %+v, want %+v", gotID, wantID)
	}
}

// resourceType is the resource's value type from the provider's schema.
func resourceType(t testing.TB, s tfprotov6.ProviderServer, name string) tftypes.Object {
	t.Helper()
	resp, _ := s.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	sch, ok := resp.ResourceSchemas[name]
	if !ok {
		t.Fatalf("no resource %s in the schema", name)
	}
	typ, ok := sch.ValueType().(tftypes.Object)
	if !ok {
		t.Fatalf("resource type %T", sch.ValueType())
	}
	return typ
}

// objectWith is a value of typ with the given attributes set and all others null.
func objectWith(typ tftypes.Object, set map[string]tftypes.Value) tftypes.Value {
	attrs := make(map[string]tftypes.Value, len(typ.AttributeTypes))
	for name, at := range typ.AttributeTypes {
		attrs[name] = tftypes.NewValue(at, nil)
		if v, ok := set[name]; ok {
			attrs[name] = v
		}
	}
	return tftypes.NewValue(typ, attrs)
}

func dynamic(t testing.TB, typ tftypes.Type, v tftypes.Value) *tfprotov6.DynamicValue {
	t.Helper()
	dv, err := tfprotov6.NewDynamicValue(typ, v)
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

func str(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

// resourceConfig is a configuration of the resource as make bench writes it.
func resourceConfig(typ tftypes.Object, expireOnDestroy bool) tftypes.Value {
	return objectWith(typ, map[string]tftypes.Value{
		"merchant_id": str("M1001"), "psp_order_code": str("bench-1"), "payable_currency": str("ETH_USDT"),
		"pricing_currency": str("USD"), "pricing_amount": str("100.00"), "fee_amount": str("2.00"),
		"expire_on_destroy": tftypes.NewValue(tftypes.Bool, expireOnDestroy),
	})
}

// Plans are the framework's: with the same inputs the no-work provider plans exactly what the
// provider plans, both when nothing changes and when a change makes the framework mark computed
// attributes unknown and the schema's UseStateForUnknown modifiers keep the stable ones.
func TestPlansAsTheProviderPlans(t *testing.T) {
	t.Parallel()
	real, noop := realServer(), NewServer()
	typ := resourceType(t, real, resourceName)
	state, err := fill.Value(typ, resourceConfig(typ, true))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name          string
		config        tftypes.Value
		wantUnchanged bool
	}{
		{"nothing changes", resourceConfig(typ, true), true},
		{"expire_on_destroy changes", resourceConfig(typ, false), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			proposed := proposedNewState(t, typ, state, tc.config)
			req := &tfprotov6.PlanResourceChangeRequest{TypeName: resourceName, PriorState: dynamic(t, typ, state),
				ProposedNewState: dynamic(t, typ, proposed), Config: dynamic(t, typ, tc.config)}
			want := plan(t, real, req, typ)
			got := plan(t, noop, req, typ)
			if !got.Equal(want) {
				t.Errorf("planned state:\n%s\nthe provider plans:\n%s", got, want)
			}
			if unchanged := got.Equal(state); unchanged != tc.wantUnchanged {
				t.Errorf("plan equals the prior state: %t, want %t:\n%s", unchanged, tc.wantUnchanged, got)
			}
			var attrs map[string]tftypes.Value
			_ = got.As(&attrs)
			if !attrs["order_id"].IsKnown() || (!tc.wantUnchanged && attrs["status"].IsKnown()) {
				t.Errorf("order_id %s (stable: kept), status %s (live: unknown after a change)", attrs["order_id"], attrs["status"])
			}
		})
	}
}

// proposedNewState merges config into state as Terraform does for this schema: configured
// arguments from the config, everything else from the state.
func proposedNewState(t *testing.T, typ tftypes.Object, state, config tftypes.Value) tftypes.Value {
	t.Helper()
	var s, c map[string]tftypes.Value
	if err := state.As(&s); err != nil {
		t.Fatal(err)
	}
	if err := config.As(&c); err != nil {
		t.Fatal(err)
	}
	out := map[string]tftypes.Value{}
	for name := range typ.AttributeTypes {
		out[name] = s[name]
		if !c[name].IsNull() {
			out[name] = c[name]
		}
	}
	return tftypes.NewValue(typ, out)
}

func plan(t *testing.T, s tfprotov6.ProviderServer, req *tfprotov6.PlanResourceChangeRequest, typ tftypes.Type) tftypes.Value {
	t.Helper()
	resp, err := s.PlanResourceChange(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	noErrors(t, "PlanResourceChange", resp.Diagnostics)
	v, err := resp.PlannedState.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func noErrors(t *testing.T, rpc string, diags []*tfprotov6.Diagnostic) {
	t.Helper()
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			t.Fatalf("%s: %s: %s", rpc, d.Summary, d.Detail)
		}
	}
}

// The validators are the provider's: a fee_amount it rejects is rejected here with the same words.
func TestValidatesAsTheProviderValidates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	real, noop := realServer(), NewServer()
	typ := resourceType(t, real, resourceName)
	bad := objectWith(typ, map[string]tftypes.Value{
		"merchant_id": str("M1001"), "psp_order_code": str("x"), "payable_currency": str("ETH_USDT"), "fee_amount": str("-1"),
	})
	req := &tfprotov6.ValidateResourceConfigRequest{TypeName: resourceName, Config: dynamic(t, typ, bad)}
	want, _ := real.ValidateResourceConfig(ctx, req)
	got, _ := noop.ValidateResourceConfig(ctx, req)
	if len(want.Diagnostics) == 0 {
		t.Fatal("the provider accepted fee_amount -1; the test needs a value it rejects")
	}
	if !reflect.DeepEqual(got.Diagnostics, want.Diagnostics) {
		t.Errorf("diagnostics %+v, want the provider's %+v", got.Diagnostics, want.Diagnostics)
	}
}

func TestReadResourceReturnsTheState(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := NewServer()
	typ := resourceType(t, s, resourceName)
	state, err := fill.Value(typ, resourceConfig(typ, true))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := s.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: resourceName, CurrentState: dynamic(t, typ, state)})
	if err != nil {
		t.Fatal(err)
	}
	noErrors(t, "ReadResource", resp.Diagnostics)
	got, err := resp.NewState.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Equal(state) {
		t.Errorf("new state:\n%s\nwant the current state:\n%s", got, state)
	}
}

// A data source answers with the fixed values of internal/bench/echoprovider (fill.Value).
func TestReadDataSourceFillsTheEchoValues(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := NewServer()
	const name = "cobo_payment_order"
	resp, _ := s.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	typ, ok := resp.DataSourceSchemas[name].ValueType().(tftypes.Object)
	if !ok {
		t.Fatalf("data source type %T", resp.DataSourceSchemas[name].ValueType())
	}
	config := objectWith(typ, map[string]tftypes.Value{"order_id": str("O20250304-M1001-1001")})
	read, err := s.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: name, Config: dynamic(t, typ, config)})
	if err != nil {
		t.Fatal(err)
	}
	noErrors(t, "ReadDataSource", read.Diagnostics)
	got, err := read.State.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	want, err := fill.Value(typ, config)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Equal(want) || !got.IsFullyKnown() {
		t.Errorf("state:\n%s\nwant:\n%s", got, want)
	}
	var attrs map[string]tftypes.Value
	_ = got.As(&attrs)
	var id, status string
	_ = attrs["order_id"].As(&id)
	_ = attrs["status"].As(&status)
	if id != "O20250304-M1001-1001" || status != fill.String {
		t.Errorf("order_id %q (want the configured one), status %q (want %q)", id, status, fill.String)
	}
}

func TestApplyIsNotSupported(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := NewServer()
	typ := resourceType(t, s, resourceName)
	planned, err := fill.Value(typ, resourceConfig(typ, true))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := s.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{TypeName: resourceName,
		PriorState: dynamic(t, typ, tftypes.NewValue(typ, nil)), PlannedState: dynamic(t, typ, planned), Config: dynamic(t, typ, resourceConfig(typ, true))})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Diagnostics) == 0 || !strings.Contains(resp.Diagnostics[0].Summary, notSupported) {
		t.Errorf("create: %+v, want %q", resp.Diagnostics, notSupported)
	}
}

// BenchmarkPlanNoChange is one PlanResourceChange of a refresh-only plan (prior state = proposed new
// state), as (b) makes one per resource, on the provider's server and on the no-work server: the
// framework's per-attribute walk (defaults, plan modifiers) without Terraform or gRPC around it, and
// without the SDK's logger (the contexts carry none here). Its allocs/op hardly move with load, unlike
// the timings on a shared machine.
func BenchmarkPlanNoChange(b *testing.B) {
	for _, s := range []struct {
		name   string
		server tfprotov6.ProviderServer
	}{{"provider", realServer()}, {"fwnoop", NewServer()}} {
		b.Run(s.name, func(b *testing.B) {
			typ := resourceType(b, s.server, resourceName)
			config := resourceConfig(typ, true)
			state, err := fill.Value(typ, config)
			if err != nil {
				b.Fatal(err)
			}
			req := &tfprotov6.PlanResourceChangeRequest{TypeName: resourceName, PriorState: dynamic(b, typ, state),
				ProposedNewState: dynamic(b, typ, state), Config: dynamic(b, typ, config)}
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				resp, err := s.server.PlanResourceChange(ctx, req)
				if err != nil || len(resp.Diagnostics) != 0 {
					b.Fatal(err, resp.Diagnostics)
				}
			}
		})
	}
}
