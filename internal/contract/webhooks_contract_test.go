package contract_test

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/contract"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox/sandboxtest"
)

// endpointsCoverage is every webhook endpoint operation and status the contract test must produce.
var endpointsCoverage = []string{
	"create_webhook_endpoint 201", "create_webhook_endpoint 400", "create_webhook_endpoint 401", "create_webhook_endpoint 500",
	"list_webhook_endpoints 200", "list_webhook_endpoints 400",
	"get_webhook_endpoint_by_id 200", "get_webhook_endpoint_by_id 404",
	"update_webhook_endpoint_by_id 200", "update_webhook_endpoint_by_id 400", "update_webhook_endpoint_by_id 404",
	"list_webhook_event_definitions 200",
	"undocumented method 405", "undocumented path 404",
}

// TestWebhookEndpointsContract drives the webhook endpoint operations of the sandbox, successes and
// errors, with and without approval, and validates each answer against webhooks.openapi.yaml.
func TestWebhookEndpointsContract(t *testing.T) {
	t.Parallel()
	v := contract.NewForTest(t)
	w := newOrdersWorld(t, v, sandbox.Options{})
	ids := w.registerEndpoints()
	w.listEndpoints()
	w.updateEndpoints(ids)
	w.endpointErrors(ids)
	w.endpointsAwaitingApproval()
	endpointServerError(t, v)
	if missing := v.MissingExercise(endpointsCoverage...); len(missing) != 0 {
		t.Errorf("the contract test never produced %v (it produced %v)", missing, v.Exercised())
	}
	t.Logf("answers validated, by operation and status: %v", v.Exercised())
}

var payinEvents = []string{"payment.order.status.updated", "payment.transaction.created", "payment.transaction.completed"}

// registerEndpoints registers three endpoints (with and without a description), reads each back, and
// reads the event definitions.
func (w *ordersWorld) registerEndpoints() []string {
	ctx := context.Background()
	var ids []string
	for i, req := range []cobo.CreateWebhookEndpointRequest{
		{URL: "http://127.0.0.1:9/a", SubscribedEvents: payinEvents, Description: "orders"},
		{URL: "http://localhost:9/b", SubscribedEvents: []string{"payment.status.updated"}},
		{URL: "https://example.com/hook", SubscribedEvents: []string{"payment.transaction.late"}},
	} {
		ep, err := w.client.CreateWebhookEndpoint(ctx, req)
		if err != nil {
			w.t.Fatalf("register endpoint %d: %v", i, err)
		}
		if _, err := w.client.GetWebhookEndpoint(ctx, ep.EndpointID); err != nil {
			w.t.Fatalf("get endpoint %s: %v", ep.EndpointID, err)
		}
		ids = append(ids, ep.EndpointID)
	}
	if _, err := w.client.ListWebhookEventDefinitions(ctx); err != nil {
		w.t.Fatalf("event definitions: %v", err)
	}
	return ids
}

// listEndpoints walks the list in pages of one and with each filter.
func (w *ordersWorld) listEndpoints() {
	ctx := context.Background()
	p := cobo.ListWebhookEndpointsParams{PageParams: cobo.PageParams{Limit: 1}}
	for {
		page, err := w.client.ListWebhookEndpoints(ctx, p)
		if err != nil {
			w.t.Fatalf("list endpoints: %v", err)
		}
		if page.Pagination.After == "" {
			break
		}
		p.After = page.Pagination.After
	}
	for _, f := range []cobo.ListWebhookEndpointsParams{{Status: cobo.EndpointStatusActive}, {EventType: "payment.transaction.late"}, {Status: cobo.EndpointStatusInactive}} {
		if _, err := w.client.ListWebhookEndpoints(ctx, f); err != nil {
			w.t.Fatalf("list endpoints %+v: %v", f, err)
		}
	}
}

// updateEndpoints changes the events and the description of one endpoint and revokes another.
func (w *ordersWorld) updateEndpoints(ids []string) {
	ctx := context.Background()
	description := "orders and late payments"
	updates := []struct {
		id  string
		req cobo.UpdateWebhookEndpointRequest
	}{
		{ids[0], cobo.UpdateWebhookEndpointRequest{SubscribedEvents: slices.Concat(payinEvents, []string{"payment.transaction.late"}), Description: &description}},
		{ids[1], cobo.UpdateWebhookEndpointRequest{Status: cobo.EndpointStatusInactive}},
	}
	for _, u := range updates {
		if _, err := w.client.UpdateWebhookEndpoint(ctx, u.id, u.req); err != nil {
			w.t.Fatalf("update endpoint %s: %v", u.id, err)
		}
	}
}

// endpointErrors: bad input (raw, since the client checks some of it first), a revoked endpoint, an
// unknown one, an endpoint of another organization, a method no operation documents.
func (w *ordersWorld) endpointErrors(ids []string) {
	ctx := context.Background()
	endpoints := "/v2/webhooks/endpoints"
	w.raw.want(http.MethodPost, endpoints, "", `{"url":"ftp://127.0.0.1/x","subscribed_events":["payment.order.status.updated"]}`, 400, cobo.CodeInvalidParameter)
	w.raw.want(http.MethodPost, endpoints, "", `{"url":"http://example.com/x","subscribed_events":["payment.order.status.updated"]}`, 400, cobo.CodeInvalidParameter)
	w.raw.want(http.MethodPost, endpoints, "", `{"url":"http://127.0.0.1:9/x","subscribed_events":[]}`, 400, cobo.CodeMissingParameter)
	w.raw.want(http.MethodPost, endpoints, "", `{"url":"http://127.0.0.1:9/x"}`, 400, cobo.CodeMissingParameter)
	w.raw.want(http.MethodPost, endpoints, "", `{"url":"http://127.0.0.1:9/x","subscribed_events":["payment.order.paid"]}`, 400, cobo.CodeInvalidParameter)
	w.raw.want(http.MethodGet, endpoints, "limit=0", "", 400, cobo.CodeInvalidParameter)
	w.raw.want(http.MethodGet, endpoints, "status=STATUS_SOMETIMES", "", 400, cobo.CodeInvalidParameter)
	w.raw.want(http.MethodPut, endpoints+"/"+ids[0], "", `{"status":"STATUS_ACTIVE"}`, 400, cobo.CodeInvalidParameter)
	w.raw.want(http.MethodPut, endpoints+"/"+ids[1], "", `{"description":"again"}`, 400, cobo.CodeInvalidParameter)
	w.raw.want(http.MethodDelete, endpoints+"/"+ids[0], "", "", http.StatusMethodNotAllowed, cobo.CodeInvalidParameter)
	w.raw.want(http.MethodGet, endpoints+"/"+ids[0]+"/secrets", "", "", http.StatusNotFound, cobo.CodeNotFound)
	unknown := "00000000-0000-4000-8000-000000000000"
	_, err := w.client.GetWebhookEndpoint(ctx, unknown)
	wantAPIError(w.t, err, http.StatusNotFound, cobo.CodeNotFound)
	_, err = w.client.UpdateWebhookEndpoint(ctx, unknown, cobo.UpdateWebhookEndpointRequest{Status: cobo.EndpointStatusInactive})
	wantAPIError(w.t, err, http.StatusNotFound, cobo.CodeNotFound)
	other := validatedClient(w.t, w.v, w.srv.BaseURL, otherSecret)
	_, err = other.GetWebhookEndpoint(ctx, ids[0])
	wantAPIError(w.t, err, http.StatusNotFound, cobo.CodeNotFound)
	strict := sandboxtest.New(w.t, sandbox.Options{AllowedAPIKeys: []string{w.client.APIKey()}})
	_, err = validatedClient(w.t, w.v, strict.BaseURL, otherSecret).CreateWebhookEndpoint(ctx, cobo.CreateWebhookEndpointRequest{URL: "http://127.0.0.1:9/s", SubscribedEvents: payinEvents})
	wantAPIError(w.t, err, http.StatusUnauthorized, cobo.CodeAuthFailed)
}

// endpointsAwaitingApproval: with approval required, every STATUS_PENDING_* and STATUS_REJECT_ACTIVE
// endpoint is answered (and listed) too.
func (w *ordersWorld) endpointsAwaitingApproval() {
	ctx := context.Background()
	srv := sandboxtest.New(w.t, sandbox.Options{WebhookApproval: true})
	client := validatedClient(w.t, w.v, srv.BaseURL, orgSecret)
	register := func(path string) string {
		ep, err := client.CreateWebhookEndpoint(ctx, cobo.CreateWebhookEndpointRequest{URL: "http://127.0.0.1:9/" + path, SubscribedEvents: payinEvents})
		if err != nil {
			w.t.Fatalf("register %s: %v", path, err)
		}
		return ep.EndpointID
	}
	pending, rejected, updated, revoked := register("pending"), register("rejected"), register("updated"), register("revoked")
	if _, err := srv.Sandbox.RejectWebhookEndpoint(rejected); err != nil {
		w.t.Fatal(err)
	}
	for _, id := range []string{updated, revoked} {
		if _, err := srv.Sandbox.ApproveWebhookEndpoint(id); err != nil {
			w.t.Fatal(err)
		}
	}
	if _, err := client.UpdateWebhookEndpoint(ctx, updated, cobo.UpdateWebhookEndpointRequest{SubscribedEvents: payinEvents[:1]}); err != nil {
		w.t.Fatal(err)
	}
	if _, err := client.UpdateWebhookEndpoint(ctx, revoked, cobo.UpdateWebhookEndpointRequest{Status: cobo.EndpointStatusInactive}); err != nil {
		w.t.Fatal(err)
	}
	want := map[string]string{pending: cobo.EndpointStatusPendingActive, rejected: cobo.EndpointStatusRejectedActive,
		updated: cobo.EndpointStatusPendingUpdate, revoked: cobo.EndpointStatusPendingInact}
	for id, status := range want {
		ep, err := client.GetWebhookEndpoint(ctx, id)
		if err != nil || ep.Status != status {
			w.t.Fatalf("endpoint %s: %+v, %v; want %s", id, ep, err, status)
		}
	}
	if _, err := client.ListWebhookEndpoints(ctx, cobo.ListWebhookEndpointsParams{}); err != nil {
		w.t.Fatal(err)
	}
}

// endpointServerError: a registration whose state cannot be saved is undone and answered 500 / 2000.
func endpointServerError(t *testing.T, v *contract.Validator) {
	client := validatedClient(t, v, unsavableSandbox(t).BaseURL, orgSecret)
	_, err := client.CreateWebhookEndpointOnce(context.Background(), cobo.CreateWebhookEndpointRequest{URL: "http://127.0.0.1:9/unsaved", SubscribedEvents: payinEvents})
	wantAPIError(t, err, http.StatusInternalServerError, cobo.CodeInternal)
}
