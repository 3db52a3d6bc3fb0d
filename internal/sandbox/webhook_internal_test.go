package sandbox

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// subscribedEndpointsLocked, where event delivery starts, picks an organization's active endpoints
// subscribed to the type, in registration order: a pending update or revoke leaves an endpoint active
// with its approved subscription; a registration awaiting approval, a rejected or revoked endpoint
// receives nothing.
func TestSubscribedEndpoints(t *testing.T) {
	t.Parallel()
	s := New(Options{WebhookApproval: true})
	org, other := strings.Repeat("a", 64), strings.Repeat("b", 64)
	register := func(org, events string) string {
		resp := s.createWebhookEndpoint(apiRequest{org: org, body: []byte(`{"url": "http://127.0.0.1:9/h", "subscribed_events": ` + events + `}`)})
		var ep cobo.WebhookEndpoint
		if resp.status != 201 || json.Unmarshal(resp.body, &ep) != nil {
			t.Fatalf("register: %d %s", resp.status, resp.body)
		}
		return ep.EndpointID
	}
	put := func(id, body string) {
		if resp := s.updateWebhookEndpoint(apiRequest{org: org, body: []byte(body), params: map[string]string{"endpoint_id": id}}); resp.status != 200 {
			t.Fatalf("PUT %s: %d %s", body, resp.status, resp.body)
		}
	}
	approve := func(id string) {
		if _, err := s.ApproveWebhookEndpoint(id); err != nil {
			t.Fatal(err)
		}
	}
	orderStatus, late := `["payment.order.status.updated"]`, `["payment.transaction.late"]`
	active := register(org, orderStatus)
	approve(active)
	updating := register(org, orderStatus) // approved, then an update to another type awaits approval
	approve(updating)
	put(updating, `{"subscribed_events": `+late+`}`)
	revoking := register(org, orderStatus)
	approve(revoking)
	put(revoking, `{"status": "STATUS_INACTIVE"}`)
	register(org, orderStatus) // awaiting approval
	rejected := register(org, orderStatus)
	if _, err := s.RejectWebhookEndpoint(rejected); err != nil {
		t.Fatal(err)
	}
	revoked := register(org, orderStatus)
	approve(revoked)
	put(revoked, `{"status": "STATUS_INACTIVE"}`)
	approve(revoked)
	otherActive := register(other, orderStatus)
	approve(otherActive)
	lateOnly := register(org, late)
	approve(lateOnly)

	ids := func(org, eventType string) string {
		s.mu.Lock()
		defer s.mu.Unlock()
		var out []string
		for _, ep := range s.subscribedEndpointsLocked(org, eventType) {
			out = append(out, ep.EndpointID)
		}
		return fmt.Sprint(out)
	}
	if got, want := ids(org, cobo.EventPaymentOrderStatusUpdated), fmt.Sprint([]string{active, updating, revoking}); got != want {
		t.Errorf("order status receivers = %s, want %s", got, want)
	}
	if got, want := ids(org, cobo.EventPaymentTransactionLate), fmt.Sprint([]string{lateOnly}); got != want {
		t.Errorf("late payment receivers = %s, want %s (the pending update is not approved)", got, want)
	}
	if got, want := ids(other, cobo.EventPaymentOrderStatusUpdated), fmt.Sprint([]string{otherActive}); got != want {
		t.Errorf("the other organization's receivers = %s, want %s", got, want)
	}
	if got := ids(org, cobo.EventPaymentStatusUpdated); got != "[]" {
		t.Errorf("receivers of a type nobody subscribed to = %s", got)
	}
}
