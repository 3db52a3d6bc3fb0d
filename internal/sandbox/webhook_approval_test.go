package sandbox_test

import (
	"fmt"
	"testing"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

// decide calls the approve or reject helper and returns the endpoint it answers.
func decide(t *testing.T, root, id, verb string) cobo.WebhookEndpoint {
	t.Helper()
	st, m := helper(t, root, "POST", "/_sandbox/webhooks/endpoints/"+id+"/"+verb, "")
	if st != 200 {
		t.Fatalf("%s %s: %d %v", verb, id, st, m)
	}
	var events []string
	for _, e := range m["subscribed_events"].([]any) {
		events = append(events, e.(string))
	}
	return cobo.WebhookEndpoint{EndpointID: m["endpoint_id"].(string), Status: m["status"].(string), SubscribedEvents: events}
}

func wantEndpoint(t *testing.T, what string, ep cobo.WebhookEndpoint, status, events string) {
	t.Helper()
	if ep.Status != status || fmt.Sprint(ep.SubscribedEvents) != events {
		t.Fatalf("%s: %s %v, want %s %s", what, ep.Status, ep.SubscribedEvents, status, events)
	}
}

// With WebhookApproval every registration, update and revoke waits for the approve or reject helper.
func TestWebhookEndpointApprovalFlow(t *testing.T) {
	t.Parallel()
	srv, c := startSandbox(t, sandbox.Options{WebhookApproval: true})
	root := srv.URL
	const before, after = "[payment.order.status.updated]", "[payment.transaction.late]"
	ep := c.register(t, endpointBody(hookURL, orderEvents, ""))
	wantEndpoint(t, "registered", ep, cobo.EndpointStatusPendingActive, before)
	id := ep.EndpointID
	wantEndpoint(t, "approved registration", decide(t, root, id, "approve"), cobo.EndpointStatusActive, before)

	// an update waits, showing the endpoint as it was; approval applies it, rejection drops it
	update := `{"subscribed_events": ["payment.transaction.late"]}`
	wantEndpoint(t, "update", c.putEndpoint(t, id, update), cobo.EndpointStatusPendingUpdate, before)
	wantEndpoint(t, "approved update", decide(t, root, id, "approve"), cobo.EndpointStatusActive, after)
	wantEndpoint(t, "second update", c.putEndpoint(t, id, `{"subscribed_events": ["payment.order.status.updated"]}`), cobo.EndpointStatusPendingUpdate, after)
	wantEndpoint(t, "rejected update", decide(t, root, id, "reject"), cobo.EndpointStatusActive, after)

	// a revoke waits too; meanwhile no update is taken; rejection keeps the endpoint active
	revoke := `{"status": "STATUS_INACTIVE"}`
	wantEndpoint(t, "revoke", c.putEndpoint(t, id, revoke), cobo.EndpointStatusPendingInact, after)
	wantEndpoint(t, "revoke again", c.putEndpoint(t, id, revoke), cobo.EndpointStatusPendingInact, after)
	c.do("PUT", "/v2/webhooks/endpoints/"+id, update).wantCoboError(t, 400, cobo.CodeInvalidParameter, "revoke awaiting approval")
	wantEndpoint(t, "rejected revoke", decide(t, root, id, "reject"), cobo.EndpointStatusActive, after)
	c.putEndpoint(t, id, revoke)
	wantEndpoint(t, "approved revoke", decide(t, root, id, "approve"), cobo.EndpointStatusInactive, after)
	c.do("PUT", "/v2/webhooks/endpoints/"+id, revoke).wantCoboError(t, 400, cobo.CodeInvalidParameter, "STATUS_INACTIVE")

	// a rejected registration is final
	rejected := c.register(t, endpointBody(hookURL, orderEvents, "")).EndpointID
	wantEndpoint(t, "rejected registration", decide(t, root, rejected, "reject"), cobo.EndpointStatusRejectedActive, before)
	c.do("PUT", "/v2/webhooks/endpoints/"+rejected, update).wantCoboError(t, 400, cobo.CodeInvalidParameter, "STATUS_REJECT_ACTIVE", "final")

	// a registration awaiting approval changes in place, and a revoke withdraws it at once
	waiting := c.register(t, endpointBody(hookURL, orderEvents, "")).EndpointID
	wantEndpoint(t, "pending registration updated", c.putEndpoint(t, waiting, update), cobo.EndpointStatusPendingActive, after)
	wantEndpoint(t, "pending registration withdrawn", c.putEndpoint(t, waiting, revoke), cobo.EndpointStatusInactive, after)

	for _, tc := range []struct {
		id, verb string
		status   int
		part     string
	}{
		{id, "approve", 409, "awaits no approval"},
		{rejected, "reject", 409, "STATUS_REJECT_ACTIVE"},
		{"f47ac10b-58cc-4372-a567-0e02b2c3d479", "approve", 404, "not found"},
	} {
		st, m := helper(t, root, "POST", "/_sandbox/webhooks/endpoints/"+tc.id+"/"+tc.verb, "")
		wantHelperError(t, st, m, tc.status, tc.part)
	}
	st, m := helper(t, root, "GET", "/_sandbox/webhooks/endpoints/"+id+"/approve", "")
	wantHelperError(t, st, m, 405, "POST")
}

// Without WebhookApproval the helpers find nothing to decide.
func TestWebhookEndpointApprovalHelpersWithoutApproval(t *testing.T) {
	t.Parallel()
	srv, c := startSandbox(t, sandbox.Options{})
	id := c.register(t, endpointBody(hookURL, orderEvents, "")).EndpointID
	if _, err := srv.Sandbox.ApproveWebhookEndpoint(id); err == nil {
		t.Fatal("approving an active endpoint succeeded")
	}
	if got := srv.Sandbox.WebhookEndpoints(""); len(got) != 1 || got[0].Status != cobo.EndpointStatusActive {
		t.Fatalf("endpoints: %+v", got)
	}
}
