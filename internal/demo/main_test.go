package main

import (
	"crypto/ed25519"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// A warning is shown with its text, not its title alone; its source lines and the dev_overrides
// warning are left out.
func TestSummarizeShowsWarningText(t *testing.T) {
	t.Parallel()
	out := `
Warning: Provider development overrides are in effect

The following provider development overrides are set in the CLI
configuration:
 - cobo-terraform/cobo in /tmp/x/bin

cobo_payment_order.invoice_a: Destroying... [id=O1]
cobo_payment_order.invoice_a: Destruction complete after 0s

Warning: Pay-in order left in Cobo

  with cobo_payment_order.invoice_a,
  on main.tf line 10, in resource "cobo_payment_order" "invoice_a":
  10: resource "cobo_payment_order" "invoice_a" {

Order O1 is Completed. Cobo has no delete and only
expires Pending orders, so the order was only removed from the Terraform
state; it remains in Cobo.

Destroy complete! Resources: 1 destroyed.
`
	got := strings.Join(summarize(out), "\n")
	want := `cobo_payment_order.invoice_a: Destroying... [id=O1]
cobo_payment_order.invoice_a: Destruction complete after 0s
Warning: Pay-in order left in Cobo
  Order O1 is Completed. Cobo has no delete and only
  expires Pending orders, so the order was only removed from the Terraform
  state; it remains in Cobo.
Destroy complete! Resources: 1 destroyed.`
	if got != want {
		t.Errorf("summarize:\n%s\n\nwant:\n%s", got, want)
	}
}

// The headings name the CLI the demo drives (tofu for OpenTofu: TERRAFORM=tofu make demo), and
// only Terraform 1.14 and later gets the actions files.
func TestCLIVersion(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for i, tc := range []struct {
		version, name string
		actions       bool
	}{
		{"Terraform v1.11.4\non linux_amd64", "terraform", false},
		{"Terraform v1.5.7\non linux_amd64", "terraform", false},
		{"Terraform v1.14.0\non linux_amd64", "terraform", true},
		{"Terraform v1.16.4\non linux_amd64", "terraform", true},
		{"OpenTofu v1.12.6\non linux_amd64", "tofu", false},
	} {
		script := filepath.Join(dir, strconv.Itoa(i))
		if err := os.WriteFile(script, []byte("#!/bin/sh\nprintf '%s\\n' '"+tc.version+"'\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		if name, actions := cliVersion(t.Context(), script); name != tc.name || actions != tc.actions {
			t.Errorf("cliVersion for %q = %q, %v; want %q, %v", tc.version, name, actions, tc.name, tc.actions)
		}
	}
}

// signedDelivery is a request as the sandbox sends an event: the body signed with key, both header spellings.
func signedDelivery(t *testing.T, key ed25519.PrivateKey, body string) *http.Request {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/cobo/events", strings.NewReader(body))
	ts := "1767225600000"
	cobo.SetWebhookSignatureHeaders(req.Header, ts, cobo.SignWebhook(key, []byte(body), ts))
	return req
}

// The receiver keeps a verified event once however often it is delivered, and refuses one signed by
// another key with 400 (cobo.WebhookRejectStatus), keeping nothing.
func TestReceiverVerifiesAndDeduplicates(t *testing.T) {
	t.Parallel()
	pub, key, _ := ed25519.GenerateKey(nil)
	_, otherKey, _ := ed25519.GenerateKey(nil)
	rc := newReceiver(hex.EncodeToString(pub))
	body := `{"event_id":"E1","type":"payment.order.status.updated","data":{"data_type":"PaymentOrder","order_id":"O1","status":"Completed"}}`
	for i, want := range []int{http.StatusOK, http.StatusOK} {
		w := httptest.NewRecorder()
		rc.ServeHTTP(w, signedDelivery(t, key, body))
		if w.Code != want {
			t.Fatalf("delivery %d: status %d, want %d", i+1, w.Code, want)
		}
	}
	w := httptest.NewRecorder()
	rc.ServeHTTP(w, signedDelivery(t, otherKey, strings.Replace(body, "E1", "E2", 1)))
	if w.Code != cobo.WebhookRejectStatus {
		t.Errorf("forged delivery: status %d, want 400", w.Code)
	}
	events, repeats, rejected := rc.snapshot()
	want := []receivedEvent{{EventID: "E1", Type: cobo.EventPaymentOrderStatusUpdated, OrderID: "O1", Status: "Completed"}}
	if !reflect.DeepEqual(events, want) || repeats != 1 || len(rejected) != 1 {
		t.Errorf("got events %+v, %d repeats, rejected %q; want %+v, 1 repeat, 1 rejected", events, repeats, rejected, want)
	}
}

// An event that never comes fails the wait with a message naming it, and what was rejected.
func TestWaitForNamesMissingEvents(t *testing.T) {
	t.Parallel()
	rc := newReceiver("00")
	rc.keep(receivedEvent{EventID: "E1", Type: cobo.EventPaymentOrderStatusUpdated, OrderID: "A", Status: "Completed"})
	rc.rejected = []string{"400 bad signature"}
	want := []expectedEvent{
		{cobo.EventPaymentOrderStatusUpdated, "A", "Completed"},
		{cobo.EventPaymentOrderStatusUpdated, "B", "Expired"},
	}
	_, err := rc.waitFor(t.Context(), want, 200*time.Millisecond)
	wantMsg := "the webhook receiver got 1 of the 2 expected events within 200ms; missing: payment.order.status.updated for B (Expired); deliveries it rejected: 400 bad signature"
	if err == nil || err.Error() != wantMsg {
		t.Errorf("waitFor error = %v\nwant %s", err, wantMsg)
	}
	if _, err := rc.waitFor(t.Context(), want[:1], time.Second); err != nil {
		t.Errorf("waitFor with the event there: %v", err)
	}
}

// Events are shown in the order of the scenario, whatever order they arrived in; unexpected ones last.
func TestInStoryOrder(t *testing.T) {
	t.Parallel()
	want := []expectedEvent{
		{cobo.EventPaymentTransactionCreated, "A", ""},
		{cobo.EventPaymentOrderStatusUpdated, "A", "Completed"},
	}
	got := inStoryOrder([]receivedEvent{
		{EventID: "3", Type: cobo.EventPaymentOrderStatusUpdated, OrderID: "X", Status: "Completed"},
		{EventID: "2", Type: cobo.EventPaymentOrderStatusUpdated, OrderID: "A", Status: "Completed"},
		{EventID: "1", Type: cobo.EventPaymentTransactionCreated, OrderID: "A", Status: "Completed"},
	}, want)
	var ids []string
	for _, ev := range got {
		ids = append(ids, ev.EventID)
	}
	if strings.Join(ids, ",") != "1,2,3" {
		t.Errorf("inStoryOrder gave event_ids %v, want 1,2,3", ids)
	}
}
