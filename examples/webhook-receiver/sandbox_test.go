package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox/sandboxtest"
)

const testSecret = "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20"

// payInEvents are the types both endpoints subscribe to.
var payInEvents = []string{cobo.EventPaymentOrderStatusUpdated, cobo.EventPaymentTransactionCreated,
	cobo.EventPaymentTransactionCompleted, cobo.EventPaymentTransactionLate}

// delivery is one request as the receiver got it.
type delivery struct {
	body   []byte
	header http.Header
}

// recording wraps the receiver and keeps each request's raw body and headers.
type recording struct {
	next http.Handler
	mu   sync.Mutex
	got  []delivery
}

func (rec *recording) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rec.mu.Lock()
	rec.got = append(rec.got, delivery{body, r.Header.Clone()})
	rec.mu.Unlock()
	r.Body = io.NopCloser(bytes.NewReader(body))
	rec.next.ServeHTTP(w, r)
}

func (rec *recording) deliveries() []delivery {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]delivery(nil), rec.got...)
}

// sandboxHelper calls a /_sandbox route and decodes its JSON answer into out.
func sandboxHelper(t *testing.T, srv *sandboxtest.Server, method, path, body string, out any) {
	t.Helper()
	req, _ := http.NewRequest(method, srv.URL+"/_sandbox"+path, strings.NewReader(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		t.Fatalf("%s /_sandbox%s: %d %s", method, path, resp.StatusCode, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s /_sandbox%s: %v: %s", method, path, err, raw)
		}
	}
}

// startSandbox starts a sandbox for a receiver test; it returns the sandbox, an API client of it and the
// hex public key it signs deliveries with.
func startSandbox(t *testing.T) (*sandboxtest.Server, *cobo.Client, string) {
	t.Helper()
	srv := sandboxtest.New(t, sandbox.Options{})
	var key struct {
		PublicKey string `json:"public_key"`
	}
	sandboxHelper(t, srv, http.MethodGet, "/webhooks/key", "", &key)
	api, err := cobo.New(cobo.Config{BaseURL: srv.BaseURL, APISecret: testSecret})
	if err != nil {
		t.Fatal(err)
	}
	return srv, api, key.PublicKey
}

// A payment flow against the sandbox: every event delivered to the receiver given the sandbox's key
// verifies and is handled once; the receiver given another key rejects every one (and the sandbox
// keeps retrying them); a delivery replayed with one changed byte is rejected.
func TestReceiverWithSandbox(t *testing.T) {
	t.Parallel()
	srv, api, publicKey := startSandbox(t)
	pub, err := parsePublicKey(publicKey)
	if err != nil {
		t.Fatalf("the sandbox's key: %v", err)
	}
	wrongKey, _ := parsePublicKey(cobo.WebhookPublicKeyProd)

	var out, rejected, wrongOut, wrongRejected sandboxtest.Buffer
	good := &recording{next: newReceiver(pub, 0, &out, &rejected)}
	goodSrv := httptest.NewServer(good)
	defer goodSrv.Close()
	wrongSrv := httptest.NewServer(newReceiver(wrongKey, 0, &wrongOut, &wrongRejected))
	defer wrongSrv.Close()

	ctx := context.Background()
	goodEP := register(ctx, t, api, goodSrv.URL+"/cobo/webhook")
	wrongEP := register(ctx, t, api, wrongSrv.URL+"/cobo/webhook")
	payOrders(ctx, t, api, srv)

	// full: transaction created and completed, Completed; part: the same, Processing then Underpaid;
	// none: Expired.
	events := waitUntilDelivered(ctx, t, api, goodEP.EndpointID, 8)
	if len(events) != 8 {
		t.Errorf("%d events, want 8", len(events))
	}
	printed := out.String()
	t.Logf("the receiver printed:\n%s", printed)
	for _, ev := range events {
		if strings.Count(printed, "event_id="+ev.EventID+" ") != 1 {
			t.Errorf("event %s (%s) was not printed exactly once:\n%s", ev.EventID, ev.Type, printed)
		}
	}
	if rejected.String() != "" {
		t.Errorf("the receiver with the sandbox's key rejected deliveries:\n%s", rejected.String())
	}
	wrong := listEvents(ctx, t, api, wrongEP.EndpointID)
	for _, ev := range wrong {
		if ev.Status == cobo.EventStatusSuccess {
			t.Errorf("event %s reached the receiver with another key as Success", ev.EventID)
		}
	}
	if wrongOut.String() != "" || strings.Count(wrongRejected.String(), "rejected (400): the signature does not match") < len(wrong) {
		t.Errorf("the receiver with another key: printed %q, rejected %q; want every one of %d events rejected", wrongOut.String(), wrongRejected.String(), len(wrong))
	}
	checkGuideTable(t, good.deliveries()) // before the replays below add deliveries of their own
	replayChanged(t, goodSrv.URL, good.deliveries()[0], &out)
}

// checkGuideTable: the fields the guide lists for a transaction event are in the sandbox's events.
func checkGuideTable(t *testing.T, deliveries []delivery) {
	t.Helper()
	fields := guideTransactionFields(t)
	checked := 0
	for _, d := range deliveries {
		var ev cobo.WebhookEvent
		var data struct {
			DataType string `json:"data_type"`
		}
		if json.Unmarshal(d.body, &ev) != nil || json.Unmarshal(ev.Data, &data) != nil {
			t.Fatalf("a delivery is not an event: %s", d.body)
		}
		if data.DataType == cobo.DataTypePaymentTransaction {
			checkHasFields(t, ev.Data, fields)
			checked++
		}
	}
	if checked == 0 {
		t.Error("no transaction event was delivered")
	}
}

func register(ctx context.Context, t *testing.T, api *cobo.Client, url string) *cobo.WebhookEndpoint {
	t.Helper()
	ep, err := api.CreateWebhookEndpoint(ctx, cobo.CreateWebhookEndpointRequest{URL: url, SubscribedEvents: payInEvents})
	if err != nil {
		t.Fatal(err)
	}
	return ep
}

// payOrders: one order paid in full (Completed), one paid in part and then past its expiry
// (Underpaid), one never paid (Expired by the clock).
func payOrders(ctx context.Context, t *testing.T, api *cobo.Client, srv *sandboxtest.Server) {
	t.Helper()
	var ids []string
	for _, psp := range []string{"full", "part", "none"} {
		exp := int64(600)
		o, err := api.CreatePaymentOrder(ctx, cobo.CreateOrderRequest{MerchantID: "M1001", PspOrderCode: "receiver-" + psp,
			PayableCurrency: "ETH_USDT", PayableAmount: "10.00", FeeAmount: "0", ExpiredIn: &exp})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, o.OrderID)
	}
	sandboxHelper(t, srv, http.MethodPost, "/orders/"+ids[0]+"/payments", `{"amount": "10.00"}`, nil)
	sandboxHelper(t, srv, http.MethodPost, "/orders/"+ids[1]+"/payments", `{"amount": "4.00"}`, nil)
	sandboxHelper(t, srv, http.MethodPost, "/clock/advance", `{"seconds": 700}`, nil)
	for _, id := range ids[1:] { // reading an order applies the clock to it
		if _, err := api.GetPaymentOrder(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
}

func listEvents(ctx context.Context, t *testing.T, api *cobo.Client, endpointID string) []cobo.WebhookEvent {
	t.Helper()
	page, err := api.ListWebhookEvents(ctx, endpointID, cobo.ListWebhookEventsParams{PageParams: cobo.PageParams{Limit: cobo.MaxPageSize}})
	if err != nil {
		t.Fatal(err)
	}
	return page.Data
}

// waitUntilDelivered waits until the endpoint has at least min events and every one is Success.
func waitUntilDelivered(ctx context.Context, t *testing.T, api *cobo.Client, endpointID string, min int) []cobo.WebhookEvent {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second) // slack for a loaded machine, not a target
	for {
		events := listEvents(ctx, t, api, endpointID)
		done := len(events) >= min
		for _, ev := range events {
			done = done && ev.Status == cobo.EventStatusSuccess
		}
		if done {
			return events
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 20 s the endpoint's events are %+v, want at least %d, all Success", events, min)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// replayChanged sends a real delivery again: as it was, it is acknowledged as a duplicate; with one
// byte of the body changed, it is rejected.
func replayChanged(t *testing.T, url string, d delivery, out *sandboxtest.Buffer) {
	t.Helper()
	if got := send(t, url, d.header.Clone(), d.body); got != http.StatusOK || !strings.Contains(out.String(), "duplicate, already handled") {
		t.Errorf("a delivery replayed as it was: %d, printed %q; want 200 and a duplicate line", got, out.String())
	}
	changed := bytes.Clone(d.body)
	changed[len(changed)/2] ^= 0x01
	if got := send(t, url, d.header.Clone(), changed); got != http.StatusBadRequest {
		t.Errorf("a delivery with one changed byte: %d, want 400", got)
	}
}
