package main

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/devtf"
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
	want := []receivedEvent{{EventID: "E1", Type: cobo.EventPaymentOrderStatusUpdated, ID: "O1", Status: "Completed"}}
	if !reflect.DeepEqual(events, want) || repeats != 1 || len(rejected) != 1 {
		t.Errorf("got events %+v, %d repeats, rejected %q; want %+v, 1 repeat, 1 rejected", events, repeats, rejected, want)
	}
}

// An event that never comes fails the wait with a message naming it, and what was rejected.
func TestWaitForNamesMissingEvents(t *testing.T) {
	t.Parallel()
	rc := newReceiver("00")
	rc.keep(receivedEvent{EventID: "E1", Type: cobo.EventPaymentOrderStatusUpdated, ID: "A", Status: "Completed"})
	rc.rejected = []string{"400 bad signature"}
	want := []expectedEvent{
		{Type: cobo.EventPaymentOrderStatusUpdated, ID: "A", Status: "Completed"},
		{Type: cobo.EventPaymentOrderStatusUpdated, ID: "B", Status: "Expired"},
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
		{Type: cobo.EventPaymentTransactionCreated, ID: "A"},
		{Type: cobo.EventPaymentOrderStatusUpdated, ID: "A", Status: "Completed"},
	}
	got := inStoryOrder([]receivedEvent{
		{EventID: "3", Type: cobo.EventPaymentOrderStatusUpdated, ID: "X", Status: "Completed"},
		{EventID: "2", Type: cobo.EventPaymentOrderStatusUpdated, ID: "A", Status: "Completed"},
		{EventID: "1", Type: cobo.EventPaymentTransactionCreated, ID: "A", Status: "Completed"},
	}, want)
	var ids []string
	for _, ev := range got {
		ids = append(ids, ev.EventID)
	}
	if strings.Join(ids, ",") != "1,2,3" {
		t.Errorf("inStoryOrder gave event_ids %v, want 1,2,3", ids)
	}
}

// A refund's and a balance's events are kept with what the demo prints: the refund_id and status, and
// the balance moved (its source, direction, amount and the balance after).
func TestReceiverReadsRefundAndBalanceEvents(t *testing.T) {
	t.Parallel()
	pub, key, _ := ed25519.GenerateKey(nil)
	rc := newReceiver(hex.EncodeToString(pub))
	for _, body := range []string{
		`{"event_id":"E1","type":"payment.refund.status.updated","data":{"data_type":"PaymentRefund","refund_id":"R1","order_id":"O1","status":"Pending"}}`,
		`{"event_id":"E2","type":"payment.account.balance.updated","data":{"data_type":"PaymentAccountBalanceUpdate","source_account":"M1","source_id":"R1","source_type":"RefundOut","flow_direction":"out","amount":"10.00","balance_after":"91.00"}}`,
	} {
		w := httptest.NewRecorder()
		rc.ServeHTTP(w, signedDelivery(t, key, body))
		if w.Code != http.StatusOK {
			t.Fatalf("delivery of %s: status %d", body, w.Code)
		}
	}
	events, _, _ := rc.snapshot()
	want := []receivedEvent{
		{EventID: "E1", Type: eventRefundStatusUpdated, ID: "R1", Status: "Pending"},
		{EventID: "E2", Type: eventAccountBalanceUpdate, ID: "R1", Account: "M1", Direction: "out", Amount: "10.00", After: "91.00"},
	}
	if !reflect.DeepEqual(events, want) {
		t.Errorf("got %+v\nwant %+v", events, want)
	}
	if !(expectedEvent{Type: eventAccountBalanceUpdate, ID: "R1", Account: "M1"}).matches(events[1]) ||
		(expectedEvent{Type: eventAccountBalanceUpdate, ID: "R1", Account: "developer"}).matches(events[1]) {
		t.Error("a balance event must match by the account it moved")
	}
}

// The balances must move by the refund: payable_amount out of the shop's, the fee into the developer's.
func TestRefundMoved(t *testing.T) {
	t.Parallel()
	r := refundOutput{RefundID: "R1", PayableAmount: "10.00", MerchantFeeAmount: "0.50"}
	rat := func(s string) *big.Rat { v, _ := new(big.Rat).SetString(s); return v }
	if err := refundMoved(r, rat("-10"), rat("0.5")); err != nil {
		t.Errorf("refundMoved with the right changes: %v", err)
	}
	err := refundMoved(r, rat("-9.5"), rat("0.5"))
	want := "refund R1 of 10.00 (fee 0.50): want the shop's balance 10.00 lower and the developer's 0.50 higher, got changes of -9.50 and 0.50"
	if err == nil || err.Error() != want {
		t.Errorf("refundMoved with the shop 9.50 lower: %v\nwant %s", err, want)
	}
}

// make demo, end to end with the CLI under test: the refund of part of the paid order completes on the
// sandbox clock, the receiver verifies its events and the balance events, and the balances printed
// moved by the refund (its payable_amount out of the shop's, its fee into the developer's).
func TestDemoRefundsPartOfThePaidOrder(t *testing.T) {
	terraform := devtf.CLIForTests(t)
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "run", "./internal/demo")
	cmd.Dir = "../.."
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); !strings.HasPrefix(name, "TF_") && !strings.HasPrefix(name, "COBO_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "TERRAFORM="+terraform)
	raw, err := cmd.CombinedOutput()
	out := string(raw)
	if err != nil {
		t.Fatalf("make demo failed: %v\n%s", err, out)
	}
	created := regexp.MustCompile(`Refund (R\S+) is Pending: (\S+) (\S+) from the shop, of which the payer receives (\S+) \(the (\S+) merchant fee`).FindStringSubmatch(out)
	if created == nil || !strings.Contains(out, "Refund "+created[1]+" is Completed.") {
		t.Fatalf("the demo did not show a refund Pending, then Completed:\n%s", out)
	}
	id, amount, fee := regexp.QuoteMeta(created[1]), created[2], created[5]
	for _, line := range []string{
		`payment\.refund\.status\.updated +refund +` + id + ` +Pending +signature verified`,
		`payment\.refund\.status\.updated +refund +` + id + ` +Processing +signature verified`,
		`payment\.refund\.status\.updated +refund +` + id + ` +Completed +signature verified`,
		`payment\.account\.balance\.updated +shop balance +` + id + ` +out ` + regexp.QuoteMeta(amount) + `, now \S+ +signature verified`,
		`payment\.account\.balance\.updated +developer balance +` + id + ` +in ` + regexp.QuoteMeta(fee) + `, now \S+ +signature verified`,
	} {
		if !regexp.MustCompile(`(?m)^` + line + `$`).MatchString(out) {
			t.Errorf("the demo's events have no line matching %s", line)
		}
	}
	shop := balanceChange(t, out, `shop M\S*`)
	developer := balanceChange(t, out, `developer`)
	if err := refundMoved(refundOutput{RefundID: created[1], PayableAmount: amount, MerchantFeeAmount: fee}, shop, developer); err != nil {
		t.Errorf("the balances printed: %v", err)
	}
	if t.Failed() {
		t.Logf("the demo's output:\n%s", out)
	}
}

// balanceChange is after - before of the row of the demo's balances table whose name matches name.
func balanceChange(t *testing.T, out, name string) *big.Rat {
	t.Helper()
	m := regexp.MustCompile(`(?m)^` + name + ` +(\S+) +(\S+) +\S+$`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("the demo printed no balance row for %s", name)
	}
	before, okB := new(big.Rat).SetString(m[1])
	after, okA := new(big.Rat).SetString(m[2])
	if !okB || !okA {
		t.Fatalf("balance row %q: not decimals", m[0])
	}
	return after.Sub(after, before)
}

// Every event the demo waits for is a Cobo event type that examples/demo's endpoint subscribes to:
// the demo names the refund and balance types itself, as the cobo package has no constants for them.
func TestDemoSubscribesToEveryExpectedEvent(t *testing.T) {
	t.Parallel()
	config, err := os.ReadFile("../../examples/demo/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range (&demo{actions: true}).expectedEvents("A", "B", "R", "M") {
		if !slices.Contains(cobo.WebhookEventTypes, e.Type) {
			t.Errorf("%s is not a Cobo webhook event type", e.Type)
		}
		if !strings.Contains(string(config), `"`+e.Type+`"`) {
			t.Errorf("examples/demo/main.tf's endpoint does not subscribe to %s, which the demo waits for", e.Type)
		}
	}
}
