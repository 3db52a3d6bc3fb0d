package contract_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/contract"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

// eventsCoverage is every webhook event operation and status, and every pay-in event type delivered,
// that the events contract test must produce.
var eventsCoverage = []string{
	"list_webhook_events 200", "list_webhook_events 400", "list_webhook_events 404",
	"get_webhook_event_by_id 200", "get_webhook_event_by_id 404",
	"list_webhook_event_logs 200", "list_webhook_event_logs 404",
	"retry_webhook_event_by_id 201", "retry_webhook_event_by_id 400", "retry_webhook_event_by_id 404",
	"trigger_test_payments_webhook_event 201", "trigger_test_payments_webhook_event 400",
	"WebhookEvent payment.order.status.updated", "WebhookEvent payment.status.updated",
	"WebhookEvent payment.transaction.created", "WebhookEvent payment.transaction.completed",
	"WebhookEvent payment.transaction.late",
}

// TestWebhookEventsContract runs orders through every status change with endpoints registered, and
// validates every delivered event body and every answer of the event operations against
// webhooks.openapi.yaml.
func TestWebhookEventsContract(t *testing.T) {
	t.Parallel()
	v := contract.NewForTest(t)
	w := newOrdersWorld(t, v, sandbox.Options{})
	receiver := httptest.NewServer(v.Receiver(failingOn("/failing")))
	t.Cleanup(receiver.Close)
	ok, failing := w.registerReceivers(receiver.URL)
	w.orderLifecycles()
	w.trigger()
	events := w.settledEvents(ok, failing)
	w.readEvents(ok, failing, events)
	if missing := v.MissingExercise(eventsCoverage...); len(missing) != 0 {
		t.Errorf("the contract test never produced %v (it produced %v)", missing, v.Exercised())
	}
	t.Logf("answers and events validated, by operation and status or event type: %v", v.Exercised())
}

// failingOn answers 500 to deliveries to path, 200 to the others.
func failingOn(path string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == path {
			w.WriteHeader(http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
}

// registerReceivers registers an endpoint for every pay-in type (both order status names) and one for
// order status events whose deliveries fail.
func (w *ordersWorld) registerReceivers(base string) (ok, failing string) {
	ctx := context.Background()
	all := slices.Concat(payinEvents, []string{"payment.status.updated", "payment.transaction.late"})
	okEP, err := w.client.CreateWebhookEndpoint(ctx, cobo.CreateWebhookEndpointRequest{URL: base + "/ok", SubscribedEvents: all})
	if err != nil {
		w.t.Fatal(err)
	}
	failEP, err := w.client.CreateWebhookEndpoint(ctx, cobo.CreateWebhookEndpointRequest{URL: base + "/failing", SubscribedEvents: payinEvents[:1]})
	if err != nil {
		w.t.Fatal(err)
	}
	return okEP.EndpointID, failEP.EndpointID
}

// orderLifecycles: Processing (partial, then unconfirmed), Completed (confirmed), a late payment,
// Expired by PUT, Underpaid and Expired by the clock.
func (w *ordersWorld) orderLifecycles() {
	ctx := context.Background()
	var ids []string
	for _, psp := range []string{"E-paid", "E-expired", "E-underpaid", "E-timeout"} {
		o, err := w.client.CreatePaymentOrder(ctx, createRequest(psp))
		if err != nil {
			w.t.Fatal(err)
		}
		ids = append(ids, o.OrderID)
	}
	w.pay(ids[0], "1.00", false)
	order, err := w.srv.Sandbox.Pay(ids[0], sandbox.Payment{Amount: "1000.00"})
	if err != nil || order.Status != "Completed" {
		w.t.Fatalf("pay in full: %+v, %v", order, err)
	}
	if _, err := w.srv.Sandbox.Pay(ids[0], sandbox.Payment{Amount: "1.00"}); err != nil { // late: payment.transaction.late
		w.t.Fatalf("a late payment to a Completed order: %v", err)
	}
	if _, err := w.client.UpdatePaymentOrder(ctx, ids[1], cobo.UpdateOrderRequest{Expired: true}); err != nil {
		w.t.Fatal(err)
	}
	w.pay(ids[2], "1.00", true)
	w.srv.Sandbox.Advance(2 * time.Hour)
}

// trigger sends a test event of each payments type the sandbox fills, and a type it refuses.
func (w *ordersWorld) trigger() {
	ctx := context.Background()
	for _, req := range []cobo.TriggerWebhookEventRequest{
		{EventType: "payment.order.status.updated"},
		{EventType: "payment.transaction.created", OverrideData: []byte(`{"psp_order_code":"P-trigger"}`)},
		{EventType: "payment.transaction.late"},
	} {
		if err := w.client.TriggerWebhookEvent(ctx, req); err != nil {
			w.t.Fatalf("trigger %s: %v", req.EventType, err)
		}
	}
	w.raw.want(http.MethodPost, "/v2/payments/webhooks/trigger", "", `{"event_type":"wallets.transaction.created"}`, 400, cobo.CodeInvalidParameter)
	w.raw.want(http.MethodPost, "/v2/payments/webhooks/trigger", "", `{}`, 400, cobo.CodeMissingParameter)
}

// settledEvents waits until every event of both endpoints has been attempted (Success on ok, Retrying
// on failing) and returns ok's events. The wait is a deadline against a hung test, not a speed check.
func (w *ordersWorld) settledEvents(ok, failing string) []cobo.WebhookEvent {
	ctx := context.Background()
	deadline := time.Now().Add(30 * time.Second)
	for {
		okPage, err1 := w.client.ListWebhookEvents(ctx, ok, cobo.ListWebhookEventsParams{PageParams: cobo.PageParams{Limit: cobo.MaxPageSize}})
		failPage, err2 := w.client.ListWebhookEvents(ctx, failing, cobo.ListWebhookEventsParams{PageParams: cobo.PageParams{Limit: cobo.MaxPageSize}})
		if err1 != nil || err2 != nil {
			w.t.Fatalf("list events: %v, %v", err1, err2)
		}
		if allIn(okPage.Data, cobo.EventStatusSuccess) && allIn(failPage.Data, cobo.EventStatusRetrying) && len(failPage.Data) > 0 {
			return okPage.Data
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("events not delivered within 30 s: %+v / %+v", okPage.Data, failPage.Data)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func allIn(events []cobo.WebhookEvent, status string) bool {
	for _, e := range events {
		if e.Status != status {
			return false
		}
	}
	return true
}

// readEvents reads every event and its logs, pages and filters the list, retries a Retrying event and
// a Success one (400), and asks for unknown ones (404).
func (w *ordersWorld) readEvents(ok, failing string, events []cobo.WebhookEvent) {
	ctx := context.Background()
	for _, e := range events {
		if _, err := w.client.GetWebhookEvent(ctx, ok, e.EventID); err != nil {
			w.t.Fatal(err)
		}
		logs, err := w.client.ListWebhookEventLogs(ctx, ok, e.EventID, cobo.PageParams{})
		if err != nil || len(logs.Data) != 1 || logs.Data[0].Status != cobo.EventStatusSuccess {
			w.t.Fatalf("logs of delivered event %s: %+v, %v", e.EventID, logs, err)
		}
	}
	w.pageEvents(ok)
	failPage, err := w.client.ListWebhookEvents(ctx, failing, cobo.ListWebhookEventsParams{Status: cobo.EventStatusRetrying})
	if err != nil || len(failPage.Data) == 0 {
		w.t.Fatalf("Retrying events of the failing endpoint: %+v, %v", failPage, err)
	}
	retrying := failPage.Data[0].EventID
	if err := w.client.RetryWebhookEvent(ctx, failing, retrying); err != nil {
		w.t.Fatal(err)
	}
	logs, err := w.client.ListWebhookEventLogs(ctx, failing, retrying, cobo.PageParams{Limit: 1})
	if err != nil || len(logs.Data) != 1 || logs.Data[0].Status != cobo.EventStatusRetrying {
		w.t.Fatalf("first log of Retrying event %s: %+v, %v", retrying, logs, err)
	}
	wantAPIError(w.t, w.client.RetryWebhookEvent(ctx, ok, events[0].EventID), http.StatusBadRequest, cobo.CodeInvalidParameter)
	w.unknownEvents(ok, events[0].EventID)
}

// pageEvents walks ok's events in pages of 2 and with each filter, and sends a bad limit.
func (w *ordersWorld) pageEvents(ok string) {
	ctx := context.Background()
	p := cobo.ListWebhookEventsParams{PageParams: cobo.PageParams{Limit: 2}}
	for {
		page, err := w.client.ListWebhookEvents(ctx, ok, p)
		if err != nil {
			w.t.Fatal(err)
		}
		if page.Pagination.After == "" {
			break
		}
		p.After = page.Pagination.After
	}
	for _, f := range []cobo.ListWebhookEventsParams{{Status: cobo.EventStatusSuccess}, {Type: "payment.transaction.late"}, {Status: cobo.EventStatusFailed}} {
		if _, err := w.client.ListWebhookEvents(ctx, ok, f); err != nil {
			w.t.Fatal(err)
		}
	}
	w.raw.want(http.MethodGet, "/v2/webhooks/endpoints/"+ok+"/events", "limit=0", "", 400, cobo.CodeInvalidParameter)
}

// unknownEvents: an unknown event of a known endpoint, and a known event under an unknown endpoint.
func (w *ordersWorld) unknownEvents(ok, eventID string) {
	ctx := context.Background()
	unknown := "00000000-0000-4000-8000-000000000000"
	_, err := w.client.GetWebhookEvent(ctx, ok, unknown)
	wantAPIError(w.t, err, http.StatusNotFound, cobo.CodeNotFound)
	_, err = w.client.ListWebhookEventLogs(ctx, ok, unknown, cobo.PageParams{})
	wantAPIError(w.t, err, http.StatusNotFound, cobo.CodeNotFound)
	wantAPIError(w.t, w.client.RetryWebhookEvent(ctx, ok, unknown), http.StatusNotFound, cobo.CodeNotFound)
	_, err = w.client.ListWebhookEvents(ctx, unknown, cobo.ListWebhookEventsParams{})
	wantAPIError(w.t, err, http.StatusNotFound, cobo.CodeNotFound)
	_, err = w.client.GetWebhookEvent(ctx, unknown, eventID)
	wantAPIError(w.t, err, http.StatusNotFound, cobo.CodeNotFound)
}
