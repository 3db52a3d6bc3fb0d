package provider

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// Unit tests of how the resource maps endpoints to its state and its requests; the acceptance tests
// are in resource_webhook_endpoint_test.go.

func stringSet(t *testing.T, values ...string) types.Set {
	t.Helper()
	elems := make([]attr.Value, 0, len(values))
	for _, v := range values {
		elems = append(elems, types.StringValue(v))
	}
	s, diags := types.SetValue(types.StringType, elems)
	if diags.HasError() {
		t.Fatal(diags)
	}
	return s
}

func endpointPlan(t *testing.T, description types.String, events ...string) webhookEndpointResourceModel {
	t.Helper()
	return webhookEndpointResourceModel{webhookEndpointModel: webhookEndpointModel{
		URL: types.StringValue("https://example.com/hook"), SubscribedEvents: stringSet(t, events...), Description: description,
	}}
}

func TestFlattenWebhookEndpoint(t *testing.T) {
	t.Parallel()
	m, diags := flattenWebhookEndpoint(&cobo.WebhookEndpoint{
		EndpointID: "e-1", URL: "https://example.com/hook", SubscribedEvents: []string{"b", "a"},
		Status: cobo.EndpointStatusActive, CreatedTimestamp: 1701396866000,
	})
	if diags.HasError() {
		t.Fatal(diags)
	}
	want := webhookEndpointModel{
		ID: types.StringValue("e-1"), EndpointID: types.StringValue("e-1"), URL: types.StringValue("https://example.com/hook"),
		SubscribedEvents: stringSet(t, "a", "b"), Description: types.StringNull(),
		Status: types.StringValue(cobo.EndpointStatusActive), CreatedTimestamp: types.Int64Value(1701396866000),
	}
	if !m.SubscribedEvents.Equal(want.SubscribedEvents) {
		t.Errorf("events %v, want %v", m.SubscribedEvents, want.SubscribedEvents)
	}
	m.SubscribedEvents, want.SubscribedEvents = types.Set{}, types.Set{} // a set's element order is not compared
	if !reflect.DeepEqual(m, want) {
		t.Errorf("got %+v\nwant %+v", m, want)
	}
	empty, _ := flattenWebhookEndpoint(&cobo.WebhookEndpoint{EndpointID: "e-2"})
	if empty.SubscribedEvents.IsNull() || len(empty.SubscribedEvents.Elements()) != 0 {
		t.Errorf("no events must be an empty set, got %v", empty.SubscribedEvents)
	}
}

// Cobo may answer a missing description with "" or leave the key out: neither is drift from a
// configuration that sets none, or sets "".
func TestWebhookEndpointStateKeepsTheSpellingOfNoDescription(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name  string
		prior types.String
		got   *string
		want  types.String
	}{
		{"unset, omitted", types.StringNull(), nil, types.StringNull()},
		{"unset, empty", types.StringNull(), ptr(""), types.StringNull()},
		{"empty, omitted", types.StringValue(""), nil, types.StringValue("")},
		{"set", types.StringValue("orders"), ptr("orders"), types.StringValue("orders")},
		{"set in Cobo, unset before an import", types.StringNull(), ptr("orders"), types.StringValue("orders")},
	} {
		e := &cobo.WebhookEndpoint{EndpointID: "e-1", SubscribedEvents: []string{"a"}, Status: cobo.EndpointStatusActive, Description: c.got}
		s, diags := webhookEndpointState(e, endpointPlan(t, c.prior, "a"))
		if diags.HasError() {
			t.Fatal(diags)
		}
		if !s.Description.Equal(c.want) {
			t.Errorf("%s: description %v, want %v", c.name, s.Description, c.want)
		}
	}
}

// While an update awaits approval Cobo shows the endpoint as it was: the state keeps what Terraform
// asked for, or every plan would send the update again.
func TestWebhookEndpointStateKeepsAnUpdateAwaitingApproval(t *testing.T) {
	t.Parallel()
	e := &cobo.WebhookEndpoint{EndpointID: "e-1", SubscribedEvents: []string{"a"}, Description: ptr("old"), Status: cobo.EndpointStatusPendingUpdate}
	s, _ := webhookEndpointState(e, endpointPlan(t, types.StringValue("new"), "a", "b"))
	if !s.SubscribedEvents.Equal(stringSet(t, "a", "b")) || s.Description.ValueString() != "new" || s.Status.ValueString() != cobo.EndpointStatusPendingUpdate {
		t.Errorf("pending update: got events %v, description %v, status %v", s.SubscribedEvents, s.Description, s.Status)
	}
	e.Status = cobo.EndpointStatusActive // approved, or rejected: Cobo's values are the truth again
	s, _ = webhookEndpointState(e, endpointPlan(t, types.StringValue("new"), "a", "b"))
	if !s.SubscribedEvents.Equal(stringSet(t, "a")) || s.Description.ValueString() != "old" {
		t.Errorf("active: got events %v, description %v", s.SubscribedEvents, s.Description)
	}
}

func TestUpdateWebhookEndpointRequestSendsWhatChanged(t *testing.T) {
	t.Parallel()
	state := endpointPlan(t, types.StringValue("orders"), "a", "b")
	if _, changed := updateWebhookEndpointRequest(endpointPlan(t, types.StringValue("orders"), "b", "a"), state); changed {
		t.Error("the same events in another order are no change")
	}
	req, changed := updateWebhookEndpointRequest(endpointPlan(t, types.StringValue("orders"), "a", "c"), state)
	slices.Sort(req.SubscribedEvents)
	if !changed || !slices.Equal(req.SubscribedEvents, []string{"a", "c"}) || req.Description != nil {
		t.Errorf("events changed: got %+v", req)
	}
	req, changed = updateWebhookEndpointRequest(endpointPlan(t, types.StringNull(), "a", "b"), state)
	if !changed || req.SubscribedEvents != nil || req.Description == nil || *req.Description != "" {
		t.Errorf("a removed description must be sent as \"\": got %+v", req)
	}
	if _, changed := updateWebhookEndpointRequest(endpointPlan(t, types.StringValue(""), "a", "b"), endpointPlan(t, types.StringNull(), "a", "b")); changed {
		t.Error(`description "" and none are the same to Cobo`)
	}
}

func TestExistingEndpointDetailNamesItAndShowsBothImportBlocks(t *testing.T) {
	t.Parallel()
	got := existingEndpointDetail("https://example.com/hook", []cobo.WebhookEndpoint{
		{EndpointID: "e-old", Status: cobo.EndpointStatusActive},
		{EndpointID: "e-new", Status: cobo.EndpointStatusPendingActive},
	})
	for _, want := range []string{
		"https://example.com/hook",
		"endpoint_id e-old, status STATUS_ACTIVE",
		"endpoint_id e-new, status STATUS_PENDING_ACTIVE",
		"import {\n  to = cobo_webhook_endpoint.NAME\n  id = \"e-old\"\n}",
		"import {\n  to       = cobo_webhook_endpoint.NAME\n  identity = { endpoint_id = \"e-old\" }\n}",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("the detail lacks %q:\n%s", want, got)
		}
	}
}
