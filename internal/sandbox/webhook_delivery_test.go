package sandbox_test

import (
	"fmt"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/contract"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox/sandboxtest"
)

// triggerEvent sends a test event through the API and returns the answer.
func (c *apiClient) trigger(eventType, override string) result {
	body := fmt.Sprintf(`{"event_type": %q}`, eventType)
	if override != "" {
		body = fmt.Sprintf(`{"event_type": %q, "override_data": %s}`, eventType, override)
	}
	return c.do("POST", "/v2/payments/webhooks/trigger", body)
}

// An endpoint that does not answer 200 or 201 gets the event again on the schedule of the sandbox
// clock, then it is Failed after 10 retries with 11 logs; a manual retry delivers it; a Success event
// cannot be retried.
func TestWebhookRetriesFollowTheClockUntilFailed(t *testing.T) {
	t.Parallel()
	srv, c := startSandbox(t, sandbox.Options{Now: fixedClock()})
	rcv := newReceiver(t)
	rcv.status.Store(http.StatusInternalServerError)
	ep := c.registerEndpoint(t, rcv.url(), cobo.EventPaymentOrderStatusUpdated)
	if r := c.trigger(cobo.EventPaymentOrderStatusUpdated, ""); r.status != http.StatusCreated || string(r.body) != `{"triggered":true}` {
		t.Fatalf("trigger: %d %s", r.status, r.body)
	}
	first := rcv.next(t).event
	if first.Status != "" || first.RetriesLeft != nil {
		t.Fatalf("the first attempt's body: status %q retries_left %v, want neither", first.Status, first.RetriesLeft)
	}
	for n := 1; n <= cobo.WebhookMaxRetries; n++ {
		ev := c.waitEvent(t, ep, first.EventID, fmt.Sprintf("attempt %d logged", n), func(e cobo.WebhookEvent, logs int) bool {
			return logs == n && deref(e.RetriesLeft) == cobo.WebhookMaxRetries-n+1
		})
		wantNext := srv.Sandbox.Now().Add(cobo.WebhookRetrySchedule[n-1]).UnixMilli()
		if ev.Status != cobo.EventStatusRetrying || deref(ev.NextRetryTimestamp) != wantNext || deref(ev.RetriesLeft) != cobo.WebhookMaxRetries-n+1 {
			t.Fatalf("after attempt %d: status %q next %v (want %d) retries_left %v", n, ev.Status, deref(ev.NextRetryTimestamp), wantNext, deref(ev.RetriesLeft))
		}
		srv.Sandbox.Advance(cobo.WebhookRetrySchedule[n-1] - time.Second)
		srv.Sandbox.Advance(time.Second) // exactly due: sent at once, without waiting for the scheduler's tick
		if d := rcv.next(t); d.event.EventID != first.EventID || d.event.Status != cobo.EventStatusRetrying || d.event.CreatedTimestamp != first.CreatedTimestamp {
			t.Fatalf("retry %d: %+v, want the same event, Retrying, created_timestamp unchanged", n, d.event)
		}
	}
	ev := c.waitEvent(t, ep, first.EventID, "Failed", func(e cobo.WebhookEvent, _ int) bool { return e.Status == cobo.EventStatusFailed })
	logs := c.eventLogs(t, ep, first.EventID, "?limit=50").Data
	if len(logs) != cobo.WebhookMaxRetries+1 || ev.NextRetryTimestamp != nil || ev.RetriesLeft != nil {
		t.Fatalf("Failed with %d logs, next %v, retries_left %v; want 11 logs and neither", len(logs), ev.NextRetryTimestamp, ev.RetriesLeft)
	}
	for _, l := range logs {
		if l.Success || deref(l.ResponseStatusCode) != 500 || !strings.Contains(deref(l.FailureReason), "500") || deref(l.ResponseBody) != `{"received": true}` || l.ResponseTime == nil {
			t.Fatalf("log %+v", l)
		}
	}
	if page := c.events(t, ep, "?status=Failed"); page.Pagination.TotalCount != 1 {
		t.Fatalf("status=Failed lists %d events", page.Pagination.TotalCount)
	}
	rcv.status.Store(http.StatusCreated)
	if r := c.do("POST", "/v2/webhooks/endpoints/"+ep+"/events/"+first.EventID+"/retry", ""); r.status != http.StatusCreated || string(r.body) != `{"retried":true}` {
		t.Fatalf("retry: %d %s", r.status, r.body)
	}
	rcv.next(t)
	c.waitEvent(t, ep, first.EventID, "Success after the manual retry", func(e cobo.WebhookEvent, logs int) bool { return e.Status == cobo.EventStatusSuccess && logs == 12 })
	c.do("POST", "/v2/webhooks/endpoints/"+ep+"/events/"+first.EventID+"/retry", "").wantCoboError(t, 400, cobo.CodeInvalidParameter, "Success", "Retrying or Failed")
}

// A redirect is a failed attempt: the sandbox does not follow it.
func TestWebhookRedirectIsAFailedAttempt(t *testing.T) {
	t.Parallel()
	_, c := startSandbox(t, sandbox.Options{})
	rcv := newReceiver(t)
	rcv.status.Store(http.StatusFound)
	ep := c.registerEndpoint(t, rcv.url(), cobo.EventPaymentTransactionCreated)
	c.trigger(cobo.EventPaymentTransactionCreated, "")
	d := rcv.next(t)
	c.waitEvent(t, ep, d.event.EventID, "Retrying", func(e cobo.WebhookEvent, _ int) bool { return e.Status == cobo.EventStatusRetrying })
	if l := c.eventLogs(t, ep, d.event.EventID, "").Data[0]; deref(l.ResponseStatusCode) != http.StatusFound || l.Success {
		t.Fatalf("log of a 302: %+v", l)
	}
	if rcv.count() != 1 {
		t.Fatalf("%d requests reached the receiver, want 1 (no redirect followed)", rcv.count())
	}
}

// The event routes answer 404 / 2028 for an unknown id or another organization's, and 400 for bad filters.
func TestWebhookEventRoutesRefuseUnknownIDs(t *testing.T) {
	t.Parallel()
	srv, c := startSandbox(t, sandbox.Options{})
	other := newAPIClient(t, srv.URL, secretFor(t.Name()+"/other"))
	rcv := newReceiver(t)
	ep := c.registerEndpoint(t, rcv.url(), cobo.EventPaymentOrderStatusUpdated)
	otherEP := other.registerEndpoint(t, rcv.url(), cobo.EventPaymentOrderStatusUpdated)
	c.trigger(cobo.EventPaymentOrderStatusUpdated, "")
	evID := rcv.next(t).event.EventID
	base := "/v2/webhooks/endpoints/"
	for _, path := range []string{base + "nope/events", base + otherEP + "/events", base + ep + "/events/nope", base + otherEP + "/events/" + evID, base + ep + "/events/nope/logs"} {
		c.do("GET", path, "").wantCoboError(t, 404, cobo.CodeNotFound, "not found")
	}
	other.do("GET", base+ep+"/events/"+evID, "").wantCoboError(t, 404, cobo.CodeNotFound)
	c.do("POST", base+ep+"/events/nope/retry", "").wantCoboError(t, 404, cobo.CodeNotFound)
	c.do("GET", base+ep+"/events?status=Done", "").wantCoboError(t, 400, cobo.CodeInvalidParameter, "Done", "Success, Retrying, Failed")
	c.do("GET", base+ep+"/events?type=payment.nope", "").wantCoboError(t, 400, cobo.CodeInvalidParameter, "payment.nope")
	c.do("GET", base+ep+"/events?after=nope", "").wantCoboError(t, 400, cobo.CodeInvalidParameter, "after")
}

// The list pages like the order list, filters by type and status, and shows the last 30 days by the
// sandbox clock.
func TestWebhookEventListPagesAndForgetsAfter30Days(t *testing.T) {
	t.Parallel()
	srv, c := startSandbox(t, sandbox.Options{Now: fixedClock()})
	rcv := newReceiver(t)
	ep := c.registerEndpoint(t, rcv.url(), cobo.EventPaymentOrderStatusUpdated, cobo.EventPaymentTransactionLate)
	for i := range 5 {
		typ := cobo.EventPaymentOrderStatusUpdated
		if i%2 == 1 {
			typ = cobo.EventPaymentTransactionLate
		}
		c.trigger(typ, "")
	}
	rcv.collect(t, 5)
	all := c.events(t, ep, "")
	if len(all.Data) != 5 || all.Pagination.TotalCount != 5 {
		t.Fatalf("%d events", len(all.Data))
	}
	p1 := c.events(t, ep, "?limit=2")
	p2 := c.events(t, ep, "?limit=2&after="+p1.Pagination.After)
	back := c.events(t, ep, "?limit=2&before="+p2.Pagination.Before)
	if p1.Data[0].EventID != all.Data[0].EventID || p2.Data[0].EventID != all.Data[2].EventID || back.Data[0].EventID != all.Data[0].EventID || p1.Pagination.Before != "" {
		t.Fatalf("pages: %+v %+v %+v", p1.Pagination, p2.Pagination, back.Pagination)
	}
	if late := c.events(t, ep, "?type="+cobo.EventPaymentTransactionLate); late.Pagination.TotalCount != 2 {
		t.Fatalf("type filter: %d", late.Pagination.TotalCount)
	}
	srv.Sandbox.Advance(cobo.WebhookEventRetention + time.Minute)
	if old := c.events(t, ep, ""); old.Pagination.TotalCount != 0 {
		t.Fatalf("%d events older than 30 days are listed", old.Pagination.TotalCount)
	}
	// and the delivery scheduler forgets them (woken by the clock advance)
	for deadline := time.Now().Add(20 * time.Second); c.do("GET", "/v2/webhooks/endpoints/"+ep+"/events/"+all.Data[0].EventID, "").status != http.StatusNotFound; {
		if time.Now().After(deadline) {
			t.Fatal("an event older than 30 days is still kept after 20 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// The test trigger: a realistic default payload with override_data's fields over it; only the pay-in
// Payments types; errors name the field.
func TestWebhookTrigger(t *testing.T) {
	t.Parallel()
	_, c := startSandbox(t, sandbox.Options{})
	rcv := newReceiver(t)
	rcv.lax.Store(true) // the override below (the spec's own example) is not a UUID
	c.registerEndpoint(t, rcv.url(), cobo.EventPaymentTransactionCompleted)
	unsubscribed := newReceiver(t)
	c.registerEndpoint(t, unsubscribed.url(), cobo.EventPaymentOrderStatusUpdated)
	if r := c.trigger(cobo.EventPaymentTransactionCompleted, `{"transaction_id": "Test-transaction-id", "chain_id": "TRON"}`); r.status != http.StatusCreated {
		t.Fatalf("trigger: %d %s", r.status, r.body)
	}
	data := dataOf(t, rcv.next(t).event)
	if data["transaction_id"] != "Test-transaction-id" || data["chain_id"] != "TRON" || data["data_type"] != "PaymentTransaction" || data["status"] != "Completed" || data["order_id"] == "" {
		t.Fatalf("data: %v", data)
	}
	c.trigger("wallets.transaction.created", "").wantCoboError(t, 400, cobo.CodeInvalidParameter, "wallets.transaction.created")
	c.trigger("payment.refund.status.updated", "").wantCoboError(t, 400, cobo.CodeInvalidParameter, "payment.refund.status.updated", cobo.EventPaymentOrderStatusUpdated)
	c.trigger(cobo.EventPaymentTransactionCompleted, `[1]`).wantCoboError(t, 400, cobo.CodeInvalidParameter, "override_data")
	c.trigger(cobo.EventPaymentTransactionCompleted, `{"data_type": "PaymentOrder"}`).wantCoboError(t, 400, cobo.CodeInvalidParameter, "data_type")
	c.do("POST", "/v2/payments/webhooks/trigger", `{}`).wantCoboError(t, 400, cobo.CodeMissingParameter, "event_type")
	if unsubscribed.count() != 0 {
		t.Fatalf("an endpoint not subscribed to the type got %d deliveries", unsubscribed.count())
	}
}

// An endpoint off the machine is stored, and each delivery is logged as failed naming -deliver-remote,
// with no request sent (no status code, no response time).
func TestWebhookRemoteEndpointIsNotDeliveredTo(t *testing.T) {
	t.Parallel()
	_, c := startSandbox(t, sandbox.Options{})
	ep := c.registerEndpoint(t, "https://example.com/hook", cobo.EventPaymentOrderStatusUpdated)
	c.trigger(cobo.EventPaymentOrderStatusUpdated, "")
	evID := c.events(t, ep, "").Data[0].EventID
	c.waitEvent(t, ep, evID, "Retrying", func(e cobo.WebhookEvent, _ int) bool { return e.Status == cobo.EventStatusRetrying })
	l := c.eventLogs(t, ep, evID, "").Data[0]
	if l.Success || l.ResponseStatusCode != nil || l.ResponseTime != nil || !strings.Contains(deref(l.FailureReason), "-deliver-remote") || !strings.Contains(deref(l.FailureReason), "example.com") {
		t.Fatalf("log: %+v", l)
	}
}

// An endpoint that hangs delays neither the API answers nor another endpoint, and Close does not wait
// for it.
func TestWebhookHangingEndpointDelaysNothing(t *testing.T) {
	t.Parallel()
	srv, c := startSandbox(t, sandbox.Options{})
	hanging, fast := newReceiver(t), newReceiver(t)
	hanging.hang.Store(true)
	c.registerEndpoint(t, hanging.url(), allPayInTypes...)
	c.registerEndpoint(t, fast.url(), allPayInTypes...)
	for range 3 {
		o := c.create(t, nil)
		if code := payViaHelper(t, srv.URL, o.OrderID, `{"amount": "103.03"}`); code != http.StatusOK {
			t.Fatalf("pay: %d", code)
		}
		if r := c.do("GET", "/v2/payments/orders/"+o.OrderID, ""); r.status != http.StatusOK {
			t.Fatalf("get: %d", r.status)
		}
	}
	<-hanging.entered    // the hanging endpoint holds a delivery now
	fast.collect(t, 3*4) // while the other endpoint gets all of them
	done := make(chan struct{})
	go func() { srv.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("Close waited for the hanging endpoint")
	}
}

// Delivery faults: duplicate sends an event twice with the same event_id; delay_ms holds it (signed
// before the wait, so its timestamp is as old as the delay).
func TestWebhookDeliveryFaults(t *testing.T) {
	t.Parallel()
	srv, c := startSandbox(t, sandbox.Options{})
	rcv := newReceiver(t)
	ep := c.registerEndpoint(t, rcv.url(), cobo.EventPaymentOrderStatusUpdated, cobo.EventPaymentTransactionLate)
	srv.Sandbox.AddFault(sandbox.Fault{Delivery: true, EventType: "payment.order.", Duplicate: true})
	c.trigger(cobo.EventPaymentOrderStatusUpdated, "")
	a, b := rcv.next(t), rcv.next(t)
	if a.event.EventID != b.event.EventID || string(a.body) != string(b.body) {
		t.Fatalf("duplicate: %s and %s", a.event.EventID, b.event.EventID)
	}
	c.waitEvent(t, ep, a.event.EventID, "two logs", func(e cobo.WebhookEvent, logs int) bool { return e.Status == cobo.EventStatusSuccess && logs == 2 })
	c.trigger(cobo.EventPaymentOrderStatusUpdated, "") // the fault was used up: once
	rcv.next(t)
	const delay = 300 * time.Millisecond
	srv.Sandbox.AddFault(sandbox.Fault{Delivery: true, Delay: delay})
	c.trigger(cobo.EventPaymentTransactionLate, "")
	d := rcv.next(t)
	ts, _ := strconv.ParseInt(d.header.Get(cobo.HeaderWebhookTimestampDash), 10, 64)
	if age := d.received.Sub(time.UnixMilli(ts)); age < delay-time.Millisecond {
		t.Fatalf("a delivery delayed by %s arrived with a timestamp %s old", delay, age)
	}
	if rcv.count() != 4 {
		t.Fatalf("%d deliveries, want 4", rcv.count())
	}
}

// -state keeps events, logs and due retries: a Retrying event resumes after a restart, an attempt cut
// by Close is sent again at once.
func TestWebhookEventsSurviveARestart(t *testing.T) {
	t.Parallel()
	state := t.TempDir() + "/state.json"
	srv, _, rcv, ep, evID := eventsToResume(t, sandbox.Options{StateFile: state, Now: fixedClock()})
	srv.Close()

	rcv.hang.Store(false)
	rcv.status.Store(http.StatusOK)
	srv2, c2 := startSandbox(t, sandbox.Options{StateFile: state, Now: fixedClock()})
	wantDeliveryResumed(t, srv2, c2, rcv, ep, evID, "")
}

// eventsToResume starts a sandbox on opts with an endpoint (ep, at rcv) that has a Retrying event
// (retrying) and an event whose attempt hangs, to be cut when the caller closes the sandbox.
func eventsToResume(t *testing.T, opts sandbox.Options) (srv *sandboxtest.Server, c *apiClient, rcv *receiver, ep, retrying string) {
	t.Helper()
	rcv = newReceiver(t)
	rcv.status.Store(http.StatusServiceUnavailable)
	srv, c = startSandbox(t, opts)
	ep = c.registerEndpoint(t, rcv.url(), cobo.EventPaymentOrderStatusUpdated)
	if _, err := srv.Sandbox.Pay(c.create(t, nil).OrderID, sandbox.Payment{Amount: "1"}); err != nil {
		t.Fatal(err)
	}
	retrying = rcv.next(t).event.EventID
	c.waitEvent(t, ep, retrying, "Retrying", func(e cobo.WebhookEvent, _ int) bool { return e.Status == cobo.EventStatusRetrying })
	rcv.hang.Store(true) // the next event is cut by Close, never answered
	c.trigger(cobo.EventPaymentOrderStatusUpdated, "")
	<-rcv.entered
	return srv, c, rcv, ep, retrying
}

// wantDeliveryResumed checks the delivery of a restarted sandbox: the event cut by Close (cut, or when
// empty any other than retrying) is sent again at once, the Retrying one (one failed attempt logged)
// when its retry falls due.
func wantDeliveryResumed(t *testing.T, srv *sandboxtest.Server, c *apiClient, rcv *receiver, ep, retrying, cut string) {
	t.Helper()
	if d := rcv.next(t); d.event.EventID == retrying || (cut != "" && d.event.EventID != cut) || d.event.Status != "" {
		t.Fatalf("after the restart the event cut by Close did not come first: %+v", d.event)
	}
	if logs := c.eventLogs(t, ep, retrying, "").Data; len(logs) != 1 || logs[0].Success {
		t.Fatalf("the Retrying event's logs after the restart: %+v", logs)
	}
	srv.Sandbox.Advance(cobo.WebhookRetrySchedule[0])
	if d := rcv.next(t); d.event.EventID != retrying {
		t.Fatalf("the due retry did not come: %+v", d.event)
	}
	c.waitEvent(t, ep, retrying, "Success", func(e cobo.WebhookEvent, logs int) bool { return e.Status == cobo.EventStatusSuccess && logs == 2 })
}

// Every type the trigger sends has a default payload that matches Cobo's WebhookEvent schema (the
// receiver validates each body with kin-openapi), and the validator is live: the spec's own
// override_data example (transaction_id "Test-transaction-id", not a UUID) is caught.
func TestWebhookTriggerDefaultsMatchTheSpec(t *testing.T) {
	t.Parallel()
	_, c := startSandbox(t, sandbox.Options{})
	rcv := newReceiver(t)
	c.registerEndpoint(t, rcv.url(), cobo.WebhookTriggerEventTypes...)
	for _, typ := range cobo.WebhookTriggerEventTypes {
		if r := c.trigger(typ, ""); r.status != http.StatusCreated {
			t.Fatalf("trigger %s: %d %s", typ, r.status, r.body)
		}
		if d := rcv.next(t); d.event.Type != typ {
			t.Fatalf("triggered %s, delivered %s", typ, d.event.Type)
		}
	}
	rcv.lax.Store(true)
	c.trigger(cobo.EventPaymentTransactionCompleted, `{"transaction_id": "Test-transaction-id"}`)
	if err := contract.ValidateWebhookEvent(rcv.next(t).body); err == nil || !strings.Contains(err.Error(), "transaction_id") {
		t.Fatalf("a transaction_id that is not a UUID passes the contract: %v", err)
	}
}

// deliveryGoroutines counts the goroutines running the sandbox's delivery code.
func deliveryGoroutines() int {
	buf := make([]byte, 1<<22)
	dump := string(buf[:runtime.Stack(buf, true)])
	n := 0
	for _, g := range strings.Split(dump, "\n\n") {
		if strings.Contains(g, "sandbox.(*Sandbox).deliveryWorker") || strings.Contains(g, "sandbox.(*Sandbox).runScheduler") {
			n++
		}
	}
	return n
}

// Close stops every delivery goroutine, the scheduler and the workers of an endpoint that hangs
// included. Not parallel: no other test's sandbox runs meanwhile.
func TestWebhookCloseLeavesNoDeliveryGoroutines(t *testing.T) {
	before := deliveryGoroutines()
	srv, c := startSandbox(t, sandbox.Options{})
	hanging, fast := newReceiver(t), newReceiver(t)
	hanging.hang.Store(true)
	c.registerEndpoint(t, hanging.url(), cobo.EventPaymentOrderStatusUpdated)
	c.registerEndpoint(t, fast.url(), cobo.EventPaymentOrderStatusUpdated)
	for range 6 {
		c.trigger(cobo.EventPaymentOrderStatusUpdated, "")
	}
	fast.collect(t, 6)
	<-hanging.entered
	if deliveryGoroutines() <= before {
		t.Fatal("no delivery goroutine is running: the test sees nothing")
	}
	srv.Close()
	// Close waited for them; a goroutine may still be leaving its last deferred call
	for deadline := time.Now().Add(5 * time.Second); deliveryGoroutines() != before; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d delivery goroutines 5 s after Close, %d before the sandbox", deliveryGoroutines(), before)
		}
	}
}

// An endpoint that does not answer within 2 s fails the attempt with a timeout (this test waits 2 s).
func TestWebhookTimeoutIsAFailedAttempt(t *testing.T) {
	t.Parallel()
	_, c := startSandbox(t, sandbox.Options{})
	rcv := newReceiver(t)
	rcv.hang.Store(true)
	ep := c.registerEndpoint(t, rcv.url(), cobo.EventPaymentOrderStatusUpdated)
	c.trigger(cobo.EventPaymentOrderStatusUpdated, "")
	<-rcv.entered
	evID := c.events(t, ep, "").Data[0].EventID
	c.waitEvent(t, ep, evID, "Retrying after the timeout", func(e cobo.WebhookEvent, _ int) bool { return e.Status == cobo.EventStatusRetrying })
	l := c.eventLogs(t, ep, evID, "").Data[0]
	if l.Success || l.ResponseStatusCode != nil || !strings.Contains(deref(l.FailureReason), "timeout") || deref(l.FailureReason) == "" {
		t.Fatalf("log of a timed out attempt: %+v (reason %q)", l, deref(l.FailureReason))
	}
}

// An endpoint that refuses the connection fails the attempt, naming it.
func TestWebhookRefusedConnectionIsAFailedAttempt(t *testing.T) {
	t.Parallel()
	_, c := startSandbox(t, sandbox.Options{})
	closed := newReceiver(t)
	url := closed.url()
	closed.srv.Close() // nothing listens on its port any more
	ep := c.registerEndpoint(t, url, cobo.EventPaymentOrderStatusUpdated)
	c.trigger(cobo.EventPaymentOrderStatusUpdated, "")
	evID := c.events(t, ep, "").Data[0].EventID
	c.waitEvent(t, ep, evID, "Retrying", func(e cobo.WebhookEvent, _ int) bool { return e.Status == cobo.EventStatusRetrying })
	if l := c.eventLogs(t, ep, evID, "").Data[0]; l.Success || !strings.Contains(deref(l.FailureReason), "refused") {
		t.Fatalf("log of a refused connection: reason %q", deref(l.FailureReason))
	}
}
