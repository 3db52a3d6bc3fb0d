package sandbox_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/contract"
)

// receiver is a webhook endpoint on 127.0.0.1 that records every delivery and answers status (200
// unless set), or holds the request until release is closed when hang is set. Every body it gets is
// validated against Cobo's WebhookEvent schema (contract.ValidateWebhookEvent); the test fails on a
// body that does not match, unless lax is set (for override_data that is deliberately not real).
type receiver struct {
	srv     *httptest.Server
	status  atomic.Int32
	hang    atomic.Bool
	lax     atomic.Bool
	entered chan struct{} // one value per request that started hanging
	release chan struct{}
	once    sync.Once
	got     chan delivery

	mu      sync.Mutex
	all     []delivery
	invalid []string // contract violations of delivered bodies
}

type delivery struct {
	header   http.Header
	body     []byte
	event    cobo.WebhookEvent
	received time.Time
}

func newReceiver(t testing.TB) *receiver {
	t.Helper()
	r := &receiver{entered: make(chan struct{}, 100), release: make(chan struct{}), got: make(chan delivery, 10000)}
	r.status.Store(http.StatusOK)
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(func() {
		r.unhang()
		r.srv.Close()
		r.mu.Lock()
		defer r.mu.Unlock()
		for _, msg := range r.invalid {
			t.Error(msg)
		}
	})
	return r
}

func (r *receiver) unhang() { r.once.Do(func() { close(r.release) }) }

func (r *receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	d := delivery{header: req.Header.Clone(), body: body, received: time.Now()}
	_ = json.Unmarshal(body, &d.event)
	if err := contract.ValidateWebhookEvent(body); err != nil && !r.lax.Load() {
		r.mu.Lock()
		r.invalid = append(r.invalid, fmt.Sprintf("a delivered %s event does not match Cobo's WebhookEvent: %v\n%s", d.event.Type, err, body))
		r.mu.Unlock()
	}
	if r.hang.Load() {
		r.entered <- struct{}{}
		<-r.release
	}
	r.mu.Lock()
	r.all = append(r.all, d)
	r.mu.Unlock()
	r.got <- d
	w.WriteHeader(int(r.status.Load()))
	_, _ = io.WriteString(w, `{"received": true}`)
}

func (r *receiver) url() string { return r.srv.URL + "/hook" }

// next waits for the next delivery (at most 20 s: a deadline against a hung test, not a speed check).
func (r *receiver) next(t testing.TB) delivery {
	t.Helper()
	select {
	case d := <-r.got:
		return d
	case <-time.After(20 * time.Second):
		t.Fatal("no webhook delivery arrived within 20 s")
	}
	return delivery{}
}

// collect waits for n deliveries.
func (r *receiver) collect(t testing.TB, n int) []delivery {
	t.Helper()
	out := make([]delivery, 0, n)
	for range n {
		out = append(out, r.next(t))
	}
	return out
}

func (r *receiver) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.all)
}

// typesOf lists the event types of deliveries, sorted.
func typesOf(ds []delivery) []string {
	out := make([]string, 0, len(ds))
	for _, d := range ds {
		out = append(out, d.event.Type)
	}
	slices.Sort(out)
	return out
}

// registerEndpoint registers url for events and returns the endpoint id.
func (c *apiClient) registerEndpoint(t testing.TB, url string, events ...string) string {
	t.Helper()
	body, _ := json.Marshal(cobo.CreateWebhookEndpointRequest{URL: url, SubscribedEvents: events})
	r := c.do("POST", "/v2/webhooks/endpoints", string(body))
	if r.status != http.StatusCreated {
		t.Fatalf("register endpoint: status %d: %s", r.status, r.body)
	}
	var ep cobo.WebhookEndpoint
	if err := json.Unmarshal(r.body, &ep); err != nil || ep.EndpointID == "" {
		t.Fatalf("register endpoint: not a WebhookEndpoint: %v: %s", err, r.body)
	}
	return ep.EndpointID
}

// events lists an endpoint's events (one page, the query as given).
func (c *apiClient) events(t testing.TB, endpointID, query string) cobo.WebhookEventPage {
	t.Helper()
	return getOK[cobo.WebhookEventPage](t, c, "list events", "/v2/webhooks/endpoints/"+endpointID+"/events"+query)
}

func (c *apiClient) event(t testing.TB, endpointID, eventID string) cobo.WebhookEvent {
	t.Helper()
	return getOK[cobo.WebhookEvent](t, c, "get event", "/v2/webhooks/endpoints/"+endpointID+"/events/"+eventID)
}

func (c *apiClient) eventLogs(t testing.TB, endpointID, eventID, query string) cobo.WebhookEventLogPage {
	t.Helper()
	return getOK[cobo.WebhookEventLogPage](t, c, "event logs", "/v2/webhooks/endpoints/"+endpointID+"/events/"+eventID+"/logs"+query)
}

// waitEvent polls the event until cond holds (at most 20 s, a deadline, not a speed check).
func (c *apiClient) waitEvent(t testing.TB, endpointID, eventID string, what string, cond func(cobo.WebhookEvent, int) bool) cobo.WebhookEvent {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		ev := c.event(t, endpointID, eventID)
		logs := c.eventLogs(t, endpointID, eventID, "?limit=50")
		if cond(ev, len(logs.Data)) {
			return ev
		}
		if time.Now().After(deadline) {
			t.Fatalf("event %s: %s did not happen within 20 s; now status %q with %d logs", eventID, what, ev.Status, len(logs.Data))
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// dataOf decodes an event's data.
func dataOf(t testing.TB, ev cobo.WebhookEvent) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(ev.Data, &m); err != nil {
		t.Fatalf("event data is not an object: %v: %s", err, ev.Data)
	}
	return m
}

// payViaHelper pays an order through the helper route and returns the answer status.
func payViaHelper(t testing.TB, root, orderID, body string) int {
	t.Helper()
	resp, err := http.Post(root+"/_sandbox/orders/"+orderID+"/payments", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}

// allPayInTypes are the pay-in order event types.
var allPayInTypes = []string{
	cobo.EventPaymentOrderStatusUpdated, cobo.EventPaymentStatusUpdated, cobo.EventPaymentTransactionCreated,
	cobo.EventPaymentTransactionCompleted, cobo.EventPaymentTransactionLate,
}

// getOK GETs path, which must answer 200 with a T; what names the request in a failure.
func getOK[T any](t testing.TB, c *apiClient, what, path string) T {
	t.Helper()
	r := c.do("GET", path, "")
	if r.status != http.StatusOK {
		t.Fatalf("%s: status %d: %s", what, r.status, r.body)
	}
	var v T
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.DisallowUnknownFields() // an answer with keys the spec's types lack fails
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("%s: %v: %s", what, err, r.body)
	}
	return v
}
