package sandbox_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox/sandboxtest"
)

type refundPage struct {
	Data       []sandbox.Refund `json:"data"`
	Pagination cobo.Pagination  `json:"pagination"`
}

// refundBody is a Merchant refund of M1001 in ETH_USDT; extra is added to the JSON object.
func refundBody(requestID, amount, extra string) string {
	return merchantRefundBody("M1001", requestID, amount, extra)
}

func merchantRefundBody(merchantID, requestID, amount, extra string) string {
	return fmt.Sprintf(`{"request_id": %q, "merchant_id": %q, "payable_amount": %q, "token_id": "ETH_USDT", "refund_type": "Merchant"%s}`, requestID, merchantID, amount, extra)
}

// paidMerchant creates a merchant (body) whose paid order brings it 99 ETH_USDT and the developer 1.
func paidMerchant(t testing.TB, sb *sandbox.Sandbox, c *apiClient, body string) merchantJSON {
	t.Helper()
	m := c.createMerchant(t, body)
	o := c.create(t, unpriced(m.MerchantID))
	if _, err := sb.Pay(o.OrderID, sandbox.Payment{Amount: "100"}); err != nil {
		t.Fatal(err)
	}
	return m
}

func (c *apiClient) refund(t testing.TB, body string) sandbox.Refund {
	t.Helper()
	return decodeInto[sandbox.Refund](t, c.do("POST", "/v2/payments/refunds", body), 201)
}

// funded is a sandbox whose default merchant holds 99 ETH_USDT and the developer 1.
func funded(t *testing.T, opts sandbox.Options) (*sandboxtest.Server, *apiClient) {
	t.Helper()
	srv, c := startSandbox(t, opts)
	o := c.create(t, unpriced("M1001"))
	if _, err := srv.Sandbox.Pay(o.OrderID, sandbox.Payment{Amount: "100"}); err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func TestRefundTakesFromItsBalanceNeverBelowZero(t *testing.T) {
	t.Parallel()
	srv, c := funded(t, sandbox.Options{Now: fixedClock()})
	r := c.refund(t, refundBody("r-1", "50.00", `, "to_address": "0xpayer", "charge_merchant_fee": true, "merchant_fee_amount": "0.50"`))
	if r.Status != "Pending" || r.Amount != "49.50" || r.ToAddress != "0xpayer" {
		t.Fatalf("created: %+v", r)
	}
	wantBalances(t, c, "M1001", "49", "1")
	// above the balance: refused, nothing stored, nothing moved
	c.do("POST", "/v2/payments/refunds", refundBody("r-2", "49.01", "")).wantCoboError(t, 400, cobo.CodeInvalidParameter, "49.01", "balance", "M1001")
	if page := decodeInto[refundPage](t, c.do("GET", "/v2/payments/refunds?request_id=r-2", ""), 200); len(page.Data) != 0 {
		t.Fatalf("a refused refund was stored: %+v", page.Data)
	}
	c.do("POST", "/v2/payments/refunds", `{"request_id": "r-3", "payable_amount": "1.01", "token_id": "ETH_USDT", "refund_type": "Psp"}`).wantCoboError(t, 400, cobo.CodeInvalidParameter, "developer")
	psp := c.refund(t, `{"request_id": "r-4", "payable_amount": "1.00", "token_id": "ETH_USDT", "refund_type": "Psp", "charge_merchant_fee": true, "merchant_fee_amount": "0.5", "to_address": "0x1"}`)
	if psp.Amount != "1.00" || psp.MerchantID != nil {
		t.Fatalf("a Psp refund ignores the fee fields: %+v", psp)
	}
	wantBalances(t, c, "M1001", "49", "0")
	// completion moves the merchant fee to the developer
	srv.Sandbox.Advance(cobo.RefundCompletionDelay)
	got := decodeInto[sandbox.Refund](t, c.do("GET", "/v2/payments/refunds/"+r.RefundID, ""), 200)
	if got.Status != "Completed" || len(got.Transactions) != 1 || got.Transactions[0].Status != "Completed" || deref(got.Transactions[0].TxHash) == "" {
		t.Fatalf("after the completion delay: %+v", got)
	}
	wantBalances(t, c, "M1001", "49", "0.5")
	m, d := c.balances(t, "M1001")
	if m.RefundedAmount != "50" || d.RefundedAmount != "1" {
		t.Fatalf("refunded amounts: merchant %s, developer %s", m.RefundedAmount, d.RefundedAmount)
	}
}

func TestRefundRequestIDIsUniqueAndRulesAreChecked(t *testing.T) {
	t.Parallel()
	_, c := funded(t, sandbox.Options{Merchants: sandbox.MerchantsAsCobo})
	first := c.refund(t, refundBody("same", "1.00", ""))
	c.do("POST", "/v2/payments/refunds", refundBody("same", "1.00", "")).wantCoboError(t, 400, cobo.CodeDuplicateKey, `"same"`, first.RefundID)
	for _, tc := range []struct {
		body  string
		code  int
		parts []string
	}{
		{`{"payable_amount": "1", "token_id": "ETH_USDT", "refund_type": "Psp"}`, cobo.CodeMissingParameter, []string{"request_id"}},
		{`{"request_id": "x", "payable_amount": "1", "token_id": "ETH_USDT", "refund_type": "Merchant"}`, cobo.CodeMissingParameter, []string{"merchant_id"}},
		{refundBody("x", "1.001", ""), cobo.CodeInvalidParameter, []string{"payable_amount", "3 decimal places"}},
		{refundBody("x", "0", ""), cobo.CodeInvalidParameter, []string{"payable_amount", "zero"}},
		{`{"request_id": "x", "payable_amount": "1", "token_id": "ETH_USDT", "refund_type": "Payer"}`, cobo.CodeInvalidParameter, []string{"refund_type", "Merchant", "Psp"}},
		{`{"request_id": "x", "payable_amount": "1", "token_id": "DOGE", "refund_type": "Psp"}`, cobo.CodeInvalidParameter, []string{"DOGE"}},
		{refundBody("x", "1.00", `, "charge_merchant_fee": true`), cobo.CodeMissingParameter, []string{"merchant_fee_amount"}},
		{refundBody("x", "1.00", `, "charge_merchant_fee": true, "merchant_fee_amount": "1.00"`), cobo.CodeInvalidParameter, []string{"below payable_amount"}},
		{refundBody("x", "1.00", `, "charge_merchant_fee": true, "merchant_fee_amount": "0.1", "merchant_fee_token_id": "TRON_USDT"`), cobo.CodeInvalidParameter, []string{"merchant_fee_token_id"}},
		{refundBody("x", "1.00", `, "to_address": ""`), cobo.CodeInvalidParameter, []string{"to_address"}},
		{refundBody("x", "1.00", `, "order_id": "O-none"`), cobo.CodeInvalidParameter, []string{"O-none"}},
		{`{"request_id": "x", "merchant_id": "M-none", "payable_amount": "1", "token_id": "ETH_USDT", "refund_type": "Merchant"}`, cobo.CodeInvalidParameter, []string{"M-none"}},
	} {
		c.do("POST", "/v2/payments/refunds", tc.body).wantCoboError(t, 400, tc.code, tc.parts...)
	}
	wantBalances(t, c, "M1001", "98", "1") // only the first refund moved money
}

func TestRefundCancelAndUpdateRules(t *testing.T) {
	t.Parallel()
	srv, c := funded(t, sandbox.Options{})
	waiting := c.refund(t, refundBody("r-wait", "10.00", ""))
	if waiting.Status != "PendingConfirmation" || waiting.ToAddress != "" {
		t.Fatalf("created without to_address: %+v", waiting)
	}
	wantBalances(t, c, "M1001", "89", "1")
	cancelled := decodeInto[sandbox.Refund](t, c.do("PUT", "/v2/payments/refunds/"+waiting.RefundID+"/cancel", ""), 200)
	if cancelled.Status != "Failed" || deref(cancelled.FailedReason) != cobo.RefundCancelledReason {
		t.Fatalf("cancelled: %+v", cancelled)
	}
	wantBalances(t, c, "M1001", "99", "1") // a cancelled refund takes nothing
	again := decodeInto[sandbox.Refund](t, c.do("PUT", "/v2/payments/refunds/"+waiting.RefundID+"/cancel", ""), 200)
	if again.Status != "Failed" {
		t.Fatalf("cancelled again: %+v", again)
	}
	wantBalances(t, c, "M1001", "99", "1")
	c.do("PUT", "/v2/payments/refunds/"+waiting.RefundID, `{"to_address": "0x1"}`).wantCoboError(t, 400, cobo.CodeInvalidParameter, "Failed")

	addressed := c.refund(t, refundBody("r-addr", "5.00", ""))
	updated := decodeInto[sandbox.Refund](t, c.do("PUT", "/v2/payments/refunds/"+addressed.RefundID, `{"to_address": "0xnew"}`), 200)
	if updated.Status != "Pending" || updated.ToAddress != "0xnew" {
		t.Fatalf("a PUT of to_address: %+v, want Pending", updated)
	}
	c.do("PUT", "/v2/payments/refunds/"+addressed.RefundID, `{}`).wantCoboError(t, 400, cobo.CodeMissingParameter, "to_address")
	srv.Sandbox.Advance(cobo.RefundProcessingDelay)
	c.do("PUT", "/v2/payments/refunds/"+addressed.RefundID+"/cancel", "").wantCoboError(t, 400, cobo.CodeInvalidParameter, "Processing", "cannot be cancelled")
	c.do("PUT", "/v2/payments/refunds/"+addressed.RefundID, `{"to_address": "0x2"}`).wantCoboError(t, 400, cobo.CodeInvalidParameter, "Processing")
	c.do("GET", "/v2/payments/refunds/R-none", "").wantCoboError(t, 404, cobo.CodeNotFound, "R-none")
	other := newAPIClient(t, c.root, secretFor(t.Name()+"/other"))
	other.do("GET", "/v2/payments/refunds/"+addressed.RefundID, "").wantCoboError(t, 404, cobo.CodeNotFound)
	other.do("PUT", "/v2/payments/refunds/"+addressed.RefundID+"/cancel", "").wantCoboError(t, 404, cobo.CodeNotFound)
}

func TestRefundHelpersForceAnOutcome(t *testing.T) {
	t.Parallel()
	srv, c := funded(t, sandbox.Options{})
	sb := srv.Sandbox
	r := c.refund(t, refundBody("r-fail", "20.00", `, "to_address": "0x1"`))
	if _, err := sb.FailRefund(r.RefundID, "rejected by the chain"); err != nil {
		t.Fatal(err)
	}
	got := decodeInto[sandbox.Refund](t, c.do("GET", "/v2/payments/refunds/"+r.RefundID, ""), 200)
	if got.Status != "Failed" || deref(got.FailedReason) != "rejected by the chain" {
		t.Fatalf("failed: %+v", got)
	}
	wantBalances(t, c, "M1001", "99", "1") // a failed refund takes nothing
	if _, err := sb.FailRefund(r.RefundID, ""); !errors.Is(err, sandbox.ErrConflict) {
		t.Fatalf("failing a Failed refund: %v, want ErrConflict", err)
	}
	waiting := c.refund(t, refundBody("r-wait", "1.00", ""))
	if _, err := sb.CompleteRefund(waiting.RefundID); !errors.Is(err, sandbox.ErrConflict) {
		t.Fatalf("completing a refund without an address: %v, want ErrConflict", err)
	}
	done := c.refund(t, refundBody("r-done", "2.00", `, "to_address": "0x1"`))
	root := c.root
	st, m := helper(t, root, "POST", "/_sandbox/refunds/"+done.RefundID+"/complete", "")
	if st != 200 || m["status"] != "Completed" {
		t.Fatalf("complete helper: %d %v", st, m)
	}
	st, m = helper(t, root, "POST", "/_sandbox/refunds/"+waiting.RefundID+"/fail", `{"reason": "no address"}`)
	if st != 200 || m["status"] != "Failed" || m["failed_reason"] != "no address" {
		t.Fatalf("fail helper: %d %v", st, m)
	}
	st, m = helper(t, root, "POST", "/_sandbox/refunds/R-none/complete", "")
	wantHelperError(t, st, m, 404, "R-none")
	wantBalances(t, c, "M1001", "97", "1")
}

func TestRefundListFiltersAndPages(t *testing.T) {
	t.Parallel()
	srv, c := funded(t, sandbox.Options{})
	shop := paidMerchant(t, srv.Sandbox, c, `{"name": "Shop"}`)
	for i := range 3 {
		c.refund(t, refundBody(fmt.Sprintf("home-%d", i), "1.00", `, "to_address": "0x1"`))
	}
	c.refund(t, merchantRefundBody(shop.MerchantID, "shop-1", "1", ""))
	first := decodeInto[refundPage](t, c.do("GET", "/v2/payments/refunds?limit=3", ""), 200)
	rest := decodeInto[refundPage](t, c.do("GET", "/v2/payments/refunds?limit=3&after="+first.Pagination.After, ""), 200)
	if first.Pagination.TotalCount != 4 || len(first.Data) != 3 || len(rest.Data) != 1 || rest.Data[0].RequestID != "shop-1" {
		t.Fatalf("pages: %+v then %+v", first, rest)
	}
	byMerchant := decodeInto[refundPage](t, c.do("GET", "/v2/payments/refunds?merchant_id="+shop.MerchantID, ""), 200)
	byStatus := decodeInto[refundPage](t, c.do("GET", "/v2/payments/refunds?statuses=PendingConfirmation", ""), 200)
	byRequest := decodeInto[refundPage](t, c.do("GET", "/v2/payments/refunds?request_id=home-1", ""), 200)
	if len(byMerchant.Data) != 1 || len(byStatus.Data) != 1 || byStatus.Data[0].RequestID != "shop-1" || len(byRequest.Data) != 1 {
		t.Fatalf("filters: merchant %+v, status %+v, request %+v", byMerchant.Data, byStatus.Data, byRequest.Data)
	}
	c.do("GET", "/v2/payments/refunds?statuses=Canceled", "").wantCoboError(t, 400, cobo.CodeInvalidParameter, "Canceled", "PendingConfirmation")
	c.do("GET", "/v2/payments/refunds?after=R-none", "").wantCoboError(t, 400, cobo.CodeInvalidParameter, "R-none")
}

// Every refund status change sends payment.refund.status.updated with the whole refund, and every
// balance change payment.account.balance.updated, signed and delivered like the order events.
func TestRefundAndBalanceEvents(t *testing.T) {
	t.Parallel()
	srv, c := startSandbox(t, sandbox.Options{})
	rcv := newReceiver(t)
	c.registerEndpoint(t, rcv.url(), "payment.refund.status.updated", "payment.account.balance.updated")
	o := c.create(t, unpriced("M1001"))
	if _, err := srv.Sandbox.Pay(o.OrderID, sandbox.Payment{Amount: "100"}); err != nil {
		t.Fatal(err)
	}
	paid := rcv.collect(t, 2) // merchant in, developer in
	for _, d := range paid {
		data := dataOfDelivery(t, d)
		if d.event.Type != "payment.account.balance.updated" || data["source_type"] != "OrderIn" || data["source_id"] != o.OrderID || data["flow_direction"] != "in" {
			t.Fatalf("a payment's balance event: %s %v", d.event.Type, data)
		}
	}
	r := c.refund(t, refundBody("r-ev", "10.00", ""))
	created := rcv.collect(t, 2)
	if fmt.Sprint(typesOf(created)) != "[payment.account.balance.updated payment.refund.status.updated]" {
		t.Fatalf("a refund's creation sent %v", typesOf(created))
	}
	c.do("PUT", "/v2/payments/refunds/"+r.RefundID, `{"to_address": "0xpayer"}`)
	srv.Sandbox.Advance(cobo.RefundCompletionDelay)
	c.do("GET", "/v2/payments/refunds/"+r.RefundID, "")
	var statuses []string
	for _, d := range rcv.collect(t, 3) {
		data := dataOfDelivery(t, d)
		if data["data_type"] != "PaymentRefund" || data["refund_id"] != r.RefundID {
			t.Fatalf("a refund event: %v", data)
		}
		statuses = append(statuses, data["status"].(string))
	}
	slices.Sort(statuses) // delivery order is not guaranteed, as with Cobo
	if fmt.Sprint(statuses) != "[Completed Pending Processing]" {
		t.Fatalf("refund status events %v, want one each for Pending, Processing and Completed", statuses)
	}
	if key := srv.Sandbox.WebhookPublicKey(); key == "" {
		t.Fatal("no webhook key")
	}
}

func dataOfDelivery(t testing.TB, d delivery) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(d.event.Data, &m); err != nil {
		t.Fatalf("event data: %v: %s", err, d.event.Data)
	}
	return m
}

// With -state, merchants, balances, refunds and rates survive a restart, and ids go on.
func TestLedgerSurvivesRestart(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "state.json")
	opts := sandbox.Options{StateFile: path, Merchants: sandbox.MerchantsAsCobo}
	srv, c := startSandbox(t, opts)
	shop := paidMerchant(t, srv.Sandbox, c, `{"name": "Shop", "developer_fee_rate": "0.1"}`)
	r := c.refund(t, merchantRefundBody(shop.MerchantID, "r-keep", "9", ""))
	if err := srv.Sandbox.SetRate("ETH_USDT", "0.9998"); err != nil {
		t.Fatal(err)
	}
	srv.Close()

	srv2, c2 := startSandbox(t, opts)
	c2.signer, c2.t = c.signer, t // the same organization
	page := decodeInto[merchantPage](t, c2.do("GET", "/v2/payments/merchants?keyword=shop", ""), 200)
	if len(page.Data) != 1 || page.Data[0].MerchantID != shop.MerchantID || deref(page.Data[0].DeveloperFeeRate) != "0.1" {
		t.Fatalf("merchants after a restart: %+v", page.Data)
	}
	got := decodeInto[sandbox.Refund](t, c2.do("GET", "/v2/payments/refunds/"+r.RefundID, ""), 200)
	if got.RequestID != "r-keep" || got.Status != "PendingConfirmation" {
		t.Fatalf("refund after a restart: %+v", got)
	}
	if b := srv2.Sandbox.BalanceOf(c.key(), shop.MerchantID, "ETH_USDT"); b.Total != "90" || b.Refunded != "9" {
		t.Fatalf("balance after a restart: %+v", b)
	}
	c2.do("POST", "/v2/payments/refunds", merchantRefundBody(shop.MerchantID, "r-keep", "1", "")).
		wantCoboError(t, 400, cobo.CodeDuplicateKey, r.RefundID)
	next := c2.refund(t, merchantRefundBody(shop.MerchantID, "r-next", "1", ""))
	if next.RefundID == r.RefundID {
		t.Fatal("a refund id was handed out twice across a restart")
	}
	if rate := decodeInto[map[string]string](t, c2.do("GET", "/v2/payments/exchange_rates/ETH_USDT/USD", ""), 200); rate["rate"] != "0.9998" {
		t.Fatalf("rate after a restart: %v", rate)
	}
}
