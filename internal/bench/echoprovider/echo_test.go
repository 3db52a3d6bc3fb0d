package main

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/provider"
)

// newTestServer is the echo server over the real provider's schema.
func newTestServer(t *testing.T) *echoServer {
	t.Helper()
	s, err := newEchoServer(context.Background(), provider.NewServer("test")())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func noErrors(t *testing.T, rpc string, diags []*tfprotov6.Diagnostic) {
	t.Helper()
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			t.Fatalf("%s: %s: %s", rpc, d.Summary, d.Detail)
		}
	}
}

func TestEchoSchemaIsTheProvidersOwn(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newTestServer(t)
	want, err := provider.NewServer("test")().GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := s.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if !reflect.DeepEqual(got, want) {
		t.Error("the echo provider's schema differs from the provider's")
	}
	if _, ok := got.ResourceSchemas["cobo_payment_order"]; !ok {
		t.Error("no cobo_payment_order resource in the schema")
	}
	md, _ := s.GetMetadata(ctx, &tfprotov6.GetMetadataRequest{})
	if len(md.Resources) == 0 || len(md.DataSources) == 0 {
		t.Errorf("metadata: %+v", md)
	}
}

func TestEchoDataSource(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newTestServer(t)
	typ := s.dataTypes["cobo_payment_order"]
	obj, ok := typ.(tftypes.Object)
	if !ok {
		t.Fatalf("data source type %T", typ)
	}
	cfgAttrs := map[string]tftypes.Value{}
	for name, at := range obj.AttributeTypes {
		cfgAttrs[name] = tftypes.NewValue(at, nil)
	}
	cfgAttrs["order_id"] = tftypes.NewValue(tftypes.String, "O42")
	cfg, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, cfgAttrs))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := s.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: "cobo_payment_order", Config: &cfg})
	if err != nil {
		t.Fatal(err)
	}
	noErrors(t, "ReadDataSource", resp.Diagnostics)
	v, err := resp.State.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	if !v.IsFullyKnown() || v.IsNull() {
		t.Fatalf("state not wholly known: %s", v)
	}
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		t.Fatal(err)
	}
	var id string
	if err := attrs["order_id"].As(&id); err != nil || id != "O42" {
		t.Errorf("order_id = %s", attrs["order_id"])
	}
	var txs []tftypes.Value
	if err := attrs["transactions"].As(&txs); err != nil || len(txs) != 0 || attrs["transactions"].IsNull() {
		t.Errorf("transactions = %s", attrs["transactions"])
	}
	for name, a := range attrs {
		if a.IsNull() {
			t.Errorf("%s is null", name)
		}
	}

	bad, _ := s.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: "nope", Config: &cfg})
	if len(bad.Diagnostics) == 0 {
		t.Error("an unknown data source was read")
	}
}

func TestEchoResourceRPCs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newTestServer(t)
	const name = "cobo_payment_order"
	typ := s.resourceTypes[name]
	obj := typ.(tftypes.Object)

	// A stored state as Terraform keeps it (JSON), with an attribute the schema no longer has.
	stored := map[string]any{"removed_long_ago": "x"}
	for attr, at := range obj.AttributeTypes {
		switch {
		case at.Equal(tftypes.String):
			stored[attr] = "s-" + attr
		case at.Equal(tftypes.Number):
			stored[attr] = 7
		case at.Equal(tftypes.Bool):
			stored[attr] = true
		default:
			stored[attr] = nil
		}
	}
	stored["transactions"] = []any{map[string]any{"tx_id": "T1", "amount": "1.5", "created_timestamp": 3}}
	raw, err := json.Marshal(stored)
	if err != nil {
		t.Fatal(err)
	}
	up, err := s.UpgradeResourceState(ctx, &tfprotov6.UpgradeResourceStateRequest{TypeName: name, Version: 0, RawState: &tfprotov6.RawState{JSON: raw}})
	if err != nil {
		t.Fatal(err)
	}
	noErrors(t, "UpgradeResourceState", up.Diagnostics)
	state, err := up.UpgradedState.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	want, err := tftypes.ValueFromJSONWithOpts(raw, typ, tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true}) //nolint:staticcheck // the reference decoding
	if err != nil {
		t.Fatal(err)
	}
	if !state.Equal(want) {
		t.Errorf("upgraded state:\n%s\nwant\n%s", state, want)
	}

	read, _ := s.ReadResource(ctx, &tfprotov6.ReadResourceRequest{TypeName: name, CurrentState: up.UpgradedState, Private: []byte("p")})
	noErrors(t, "ReadResource", read.Diagnostics)
	if read.NewState != up.UpgradedState || string(read.Private) != "p" {
		t.Error("ReadResource did not return the current state and private data unchanged")
	}
	plan, _ := s.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{TypeName: name, PriorState: up.UpgradedState, ProposedNewState: up.UpgradedState})
	noErrors(t, "PlanResourceChange", plan.Diagnostics)
	if plan.PlannedState != up.UpgradedState || len(plan.RequiresReplace) != 0 {
		t.Error("PlanResourceChange did not plan the proposed state")
	}

	apply, _ := s.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{TypeName: name})
	imp, _ := s.ImportResourceState(ctx, &tfprotov6.ImportResourceStateRequest{TypeName: name, ID: "O1"})
	if len(apply.Diagnostics) == 0 || len(imp.Diagnostics) == 0 {
		t.Error("apply or import did not report that it is not supported")
	}
	bad, _ := s.UpgradeResourceState(ctx, &tfprotov6.UpgradeResourceStateRequest{TypeName: "nope", RawState: &tfprotov6.RawState{JSON: raw}})
	if len(bad.Diagnostics) == 0 {
		t.Error("an unknown resource type was upgraded")
	}
}
