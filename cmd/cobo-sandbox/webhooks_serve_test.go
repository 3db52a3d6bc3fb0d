package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox/sandboxtest"
)

// rfc8032Seed and its public key (RFC 8032, test 1) fix the webhook key in these tests.
const (
	rfc8032Seed   = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
	rfc8032Public = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
)

// serve prints the webhook public key, fixed by -webhook-secret; a bad secret is a usage error.
func TestServePrintsTheWebhookKey(t *testing.T) {
	t.Parallel()
	_, exports := startServer(t, "-webhook-secret", rfc8032Seed)
	if exports["COBO_WEBHOOK_PUBLIC_KEY"] != rfc8032Public {
		t.Fatalf("COBO_WEBHOOK_PUBLIC_KEY = %q, want %s", exports["COBO_WEBHOOK_PUBLIC_KEY"], rfc8032Public)
	}
	if err := run([]string{"serve", "-webhook-secret", "abcd"}, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "-webhook-secret") {
		t.Fatalf("serve -webhook-secret abcd: %v, want a usage error naming the flag", err)
	}
}

// faults add -delivery makes a delivery fault; the API-only flags are refused with it.
func TestFaultsAddDelivery(t *testing.T) {
	t.Parallel()
	srv := sandboxtest.New(t, sandbox.Options{})
	added := cli(t, srv, "faults", "add", "-delivery", "-event-type", "payment.order.", "-duplicate", "-delay", "250ms", "-times", "3")
	if string(added) != `{"delay_ms":250,"delivery":true,"event_type":"payment.order.","duplicate":true,"times":3}`+"\n" {
		t.Fatalf("faults add -delivery = %s", added)
	}
	if f := srv.Sandbox.Faults(); len(f) != 1 || !f[0].Delivery || !f[0].Duplicate || f[0].Delay != 250*time.Millisecond || f[0].EventType != "payment.order." {
		t.Fatalf("stored fault: %+v", f)
	}
	if _, err := cliErr(srv, "faults", "add", "-delivery", "-status", "500"); err == nil || !strings.Contains(err.Error(), "delivery") {
		t.Fatalf("faults add -delivery -status 500: %v, want the sandbox's refusal", err)
	}
	if _, err := cliErr(srv, "faults", "add", "-duplicate"); err == nil || !strings.Contains(err.Error(), "delivery") {
		t.Fatalf("faults add -duplicate without -delivery: %v", err)
	}
}

// kill -9 right after a payment's answer: after a restart with the same -state the payment's events
// are there and are delivered, signed with the same key.
func TestWebhookEventsSurviveKill(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "state.json")
	var mu sync.Mutex
	hang := true
	got := make(chan cobo.WebhookEvent, 100)
	release := make(chan struct{})
	rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		h := hang
		mu.Unlock()
		if h { // the first run is killed before any attempt completes
			<-release
			return
		}
		ts, sig := cobo.WebhookSignatureHeaders(r.Header)
		var ev cobo.WebhookEvent
		if cobo.VerifyWebhook(rfc8032Public, sig, body, ts) == nil && json.Unmarshal(body, &ev) == nil {
			got <- ev
		}
	}))
	t.Cleanup(func() { close(release); rcv.Close() })

	cmd, exports := startServer(t, "-state", path, "-webhook-secret", rfc8032Seed)
	client, err := cobo.New(cobo.Config{BaseURL: exports["COBO_HOST"], APISecret: exports["COBO_API_SECRET"]})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := client.CreateWebhookEndpoint(ctx, cobo.CreateWebhookEndpointRequest{URL: rcv.URL + "/hook", SubscribedEvents: []string{cobo.EventPaymentOrderStatusUpdated}}); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := run([]string{"orders", "create", "-host", exports["COBO_HOST"], "-api-secret", exports["COBO_API_SECRET"], "-merchant-id", "M1001",
		"-psp-order-code", "kill-webhook", "-payable-currency", "ETH_USDT", "-payable-amount", "1.00", "-fee-amount", "0"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	var o cobo.Order
	_ = json.Unmarshal([]byte(out.String()), &o)
	root := strings.TrimSuffix(exports["COBO_HOST"], "/v2")
	resp, err := http.Post(root+"/_sandbox/orders/"+o.OrderID+"/payments", "application/json", strings.NewReader(`{"amount": "1.00"}`))
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("pay: %v %v", err, resp)
	}
	_ = resp.Body.Close()
	_ = cmd.Process.Kill() // right after the answer
	_ = cmd.Wait()

	mu.Lock()
	hang = false
	mu.Unlock()
	startServer(t, "-state", path) // the key comes from the state file now
	select {
	case ev := <-got:
		var data cobo.Order
		_ = json.Unmarshal(ev.Data, &data)
		if ev.Type != cobo.EventPaymentOrderStatusUpdated || data.OrderID != o.OrderID || data.Status != cobo.StatusCompleted {
			t.Fatalf("after the restart: %s for %s (%s)", ev.Type, data.OrderID, data.Status)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the event saved before kill -9 was not delivered within 20 s after the restart")
	}
}
