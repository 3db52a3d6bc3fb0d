package sandbox_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

// The project's own client (what the provider uses) works against the sandbox's endpoint routes,
// including a registration whose answer is lost: the client finds the endpoint that was registered
// instead of registering a second one.
func TestWebhookEndpointsThroughTheClient(t *testing.T) {
	t.Parallel()
	srv, _ := startSandbox(t, sandbox.Options{})
	client, err := cobo.New(cobo.Config{BaseURL: srv.BaseURL, APISecret: secretFor(t.Name()), MaxRetries: 2, RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	srv.Sandbox.AddFault(sandbox.Fault{Method: "POST", Path: "/v2/webhooks/endpoints", DropConnection: true, AfterCommit: true})
	req := cobo.CreateWebhookEndpointRequest{URL: hookURL, SubscribedEvents: []string{cobo.EventPaymentOrderStatusUpdated}, Description: "app"}
	ep, err := client.CreateWebhookEndpoint(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if reqs := srv.Sandbox.Requests(); reqs[0].Method != "POST" || reqs[0].Status != 0 || len(srv.Sandbox.Faults()) != 0 {
		t.Fatalf("the registration's answer was not dropped: %+v", reqs[0])
	}
	if stored := srv.Sandbox.WebhookEndpoints(client.APIKey()); len(stored) != 1 || stored[0].EndpointID != ep.EndpointID {
		t.Fatalf("after a lost answer %d endpoints are stored (%+v), want the one the client returned (%s)", len(stored), stored, ep.EndpointID)
	}

	desc := "changed"
	updated, err := client.UpdateWebhookEndpoint(ctx, ep.EndpointID, cobo.UpdateWebhookEndpointRequest{SubscribedEvents: []string{cobo.EventPaymentTransactionLate}, Description: &desc})
	if err != nil || updated.SubscribedEvents[0] != cobo.EventPaymentTransactionLate || *updated.Description != desc {
		t.Fatalf("update: %+v %v", updated, err)
	}
	page, err := client.ListWebhookEndpoints(ctx, cobo.ListWebhookEndpointsParams{EventType: cobo.EventPaymentTransactionLate})
	if err != nil || len(page.Data) != 1 || page.Pagination.TotalCount != 1 {
		t.Fatalf("list: %+v %v", page, err)
	}
	defs, err := client.ListWebhookEventDefinitions(ctx)
	if err != nil || len(defs) != len(cobo.WebhookEventTypes) {
		t.Fatalf("definitions: %d %v", len(defs), err)
	}
	revoked, err := client.UpdateWebhookEndpoint(ctx, ep.EndpointID, cobo.UpdateWebhookEndpointRequest{Status: cobo.EndpointStatusInactive})
	if err != nil || revoked.Status != cobo.EndpointStatusInactive {
		t.Fatalf("revoke: %+v %v", revoked, err)
	}
	if live, err := client.FindLiveWebhookEndpoints(ctx, hookURL); err != nil || len(live) != 0 {
		t.Fatalf("live endpoints after the revoke: %+v %v", live, err)
	}
	_, err = client.GetWebhookEndpoint(ctx, "f47ac10b-58cc-4372-a567-0e02b2c3d479")
	var apiErr *cobo.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 || apiErr.Code != cobo.CodeNotFound {
		t.Fatalf("unknown endpoint: %v", err)
	}
}
