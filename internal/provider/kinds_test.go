package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// Every not-found names the kind of object its request asked for, and no other (issue 24): the
// kinds' routes are checked against the paths the client really sends, using the sandbox, which
// answers each of them with Cobo's 404 / 2028.
func TestNotFoundAdviceNamesTheKindAskedFor(t *testing.T) {
	t.Parallel()
	env := newSandboxEnv(t)
	c, ctx := env.client, context.Background()
	endpoint := env.seedEndpoint(cobo.CreateWebhookEndpointRequest{URL: "http://127.0.0.1:9/kinds", SubscribedEvents: []string{cobo.EventPaymentTransactionCompleted}})
	requests := []struct {
		name string
		kind objectKind
		call func() error
	}{
		{"get order", orderKind, func() error { _, err := c.GetPaymentOrder(ctx, "O20990101-NOPE-1"); return err }},
		{"expire order", orderKind, func() error {
			_, err := c.UpdatePaymentOrder(ctx, "O20990101-NOPE-1", cobo.UpdateOrderRequest{Expired: true})
			return err
		}},
		{"get endpoint", webhookEndpointKind, func() error { _, err := c.GetWebhookEndpoint(ctx, "no-such-endpoint"); return err }},
		{"update endpoint", webhookEndpointKind, func() error {
			_, err := c.UpdateWebhookEndpoint(ctx, "no-such-endpoint", cobo.UpdateWebhookEndpointRequest{Status: cobo.EndpointStatusInactive})
			return err
		}},
		{"list events of an unknown endpoint", webhookEndpointKind, func() error {
			_, err := c.ListWebhookEvents(ctx, "no-such-endpoint", cobo.ListWebhookEventsParams{})
			return err
		}},
		{"get event", webhookEventKind, func() error { _, err := c.GetWebhookEvent(ctx, endpoint.EndpointID, "no-such-event"); return err }},
		{"event logs", webhookEventKind, func() error {
			_, err := c.ListWebhookEventLogs(ctx, endpoint.EndpointID, "no-such-event", cobo.PageParams{})
			return err
		}},
		{"retry event", webhookEventKind, func() error { return c.RetryWebhookEvent(ctx, endpoint.EndpointID, "no-such-event") }},
	}
	for _, r := range requests {
		err := r.call()
		if !cobo.IsNotFound(err) {
			t.Fatalf("%s: %v, want Cobo's not found", r.name, err)
		}
		got := advice(err)
		if want := "Cobo knows no such " + r.kind.noun + " in the organization of this API key. Check the " + r.kind.idAttribute; !strings.Contains(got, want) {
			t.Errorf("%s: advice %q, want it to contain %q", r.name, got, want)
		}
		for _, other := range objectKinds {
			if other.noun != r.kind.noun && strings.Contains(got, "no such "+other.noun) {
				t.Errorf("%s: advice %q speaks of a %s", r.name, got, other.noun)
			}
		}
	}
}

// Each kind's advice names the likely causes: another api_secret (each key, and dev and prod, is its
// own organization), another env or host, and a sandbox restarted without -state.
func TestNotFoundAdviceNamesTheCauses(t *testing.T) {
	t.Parallel()
	for _, k := range objectKinds {
		got := k.notFoundAdvice()
		for _, want := range []string{"no such " + k.noun + " ", "Check the " + k.idAttribute, "api_secret and env (or host)", "dev and prod, is an organization of its own",
			"each secret is its own organization", "started without -state forgets its " + k.plural} {
			if !strings.Contains(got, want) {
				t.Errorf("%s: advice %q, want it to contain %q", k.noun, got, want)
			}
		}
	}
	// A 404 of no single object (a proxy's, or an unknown path) blames no kind of object.
	got := advice(&cobo.APIError{Method: "POST", Path: "/payments/webhooks/trigger", StatusCode: 404})
	if strings.Contains(got, "no such") || !strings.Contains(got, "Check host") {
		t.Errorf("advice on a 404 of no object = %q, want it to name host and no kind of object", got)
	}
}

// Each kind's example id passes its own id check, so no message shows an id its kind would refuse.
func TestKindExampleIDsAreValid(t *testing.T) {
	t.Parallel()
	for _, k := range objectKinds {
		if err := k.validateID(k.exampleID); err != nil {
			t.Errorf("%s: example id %q: %v", k.noun, k.exampleID, err)
		}
	}
}
