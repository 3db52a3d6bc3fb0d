package contract_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/contract"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

// paymentsCoverage is every operation of payments-merchants-refunds.openapi.yaml with its success and
// the errors the sandbox gives, and the two event types it sends for refunds and balances.
var paymentsCoverage = []string{
	"create_merchant 201", "create_merchant 400", "create_merchant 401",
	"list_merchants 200", "list_merchants 400",
	"update_merchant_by_id 200", "update_merchant_by_id 400", "update_merchant_by_id 404",
	"create_refund 201", "create_refund 400",
	"get_refunds 200", "get_refunds 400",
	"get_refund_detail_by_id 200", "get_refund_detail_by_id 404",
	"update_refund_by_id 200", "update_refund_by_id 400", "update_refund_by_id 404",
	"cancel_refund_by_id 200", "cancel_refund_by_id 400", "cancel_refund_by_id 404",
	"list_payment_supported_tokens 200",
	"get_exchange_rate 200", "get_exchange_rate 400",
	"batch_get_exchange_rates 200", "batch_get_exchange_rates 400",
	"list_merchant_balances 200", "list_merchant_balances 400",
	"get_psp_balance 200", "get_psp_balance 400",
	"WebhookEvent payment.refund.status.updated", "WebhookEvent payment.account.balance.updated",
}

// TestPaymentsContract drives every merchant, refund, balance, token and rate operation of the
// sandbox, successes and errors, with an endpoint subscribed to the refund and balance events, and
// validates every answer and delivered event against payments-merchants-refunds.openapi.yaml.
func TestPaymentsContract(t *testing.T) {
	t.Parallel()
	v := contract.NewForTest(t)
	w := newOrdersWorld(t, v, sandbox.Options{Merchants: sandbox.MerchantsAsCobo})
	receiver := httptest.NewServer(v.Receiver(nil))
	t.Cleanup(receiver.Close)
	ep, err := w.client.CreateWebhookEndpoint(context.Background(), cobo.CreateWebhookEndpointRequest{URL: receiver.URL + "/payments",
		SubscribedEvents: []string{"payment.refund.status.updated", "payment.account.balance.updated"}})
	if err != nil {
		t.Fatal(err)
	}
	merchant := w.merchants()
	w.paidOrder(merchant)
	w.refunds(merchant)
	w.catalog()
	w.balances(merchant)
	w.waitDelivered(ep.EndpointID)
	if missing := v.MissingExercise(paymentsCoverage...); len(missing) != 0 {
		t.Errorf("the contract test never produced %v (it produced %v)", missing, v.Exercised())
	}
	t.Logf("answers validated, by operation and status: %v", v.Exercised())
}

// ok sends a signed request, wants status, and decodes the answer into out (when not nil).
func (c *rawClient) ok(method, path, query, body string, status int, out any) {
	c.t.Helper()
	a := c.sendSigned(method, path, query, body)
	if a.status != status {
		c.t.Fatalf("%s %s?%s: HTTP %d, want %d: %s", method, path, query, a.status, status, a.body)
	}
	if out != nil {
		if err := json.Unmarshal(a.body, out); err != nil {
			c.t.Fatalf("%s %s: %v: %s", method, path, err, a.body)
		}
	}
}

// merchants: create (Shared and Separate), list with filters and pages, update; the bad inputs.
func (w *ordersWorld) merchants() string {
	var m struct {
		MerchantID string `json:"merchant_id"`
	}
	w.raw.ok("POST", "/v2/payments/merchants", "", `{"name": "Shop A", "developer_fee_rate": "0.015"}`, 201, &m)
	w.raw.ok("POST", "/v2/payments/merchants", "", `{"name": "Shop B", "wallet_setup": "Separate"}`, 201, nil)
	w.raw.ok("GET", "/v2/payments/merchants", "keyword=shop&limit=1", "", 200, nil)
	w.raw.ok("GET", "/v2/payments/merchants", "wallet_setup=Default", "", 200, nil)
	w.raw.ok("PUT", "/v2/payments/merchants/"+m.MerchantID, "", `{"name": "Shop A2"}`, 200, nil)
	w.raw.want("POST", "/v2/payments/merchants", "", `{"name": "X", "wallet_setup": "Default"}`, 400, cobo.CodeInvalidParameter)
	w.raw.want("POST", "/v2/payments/merchants", "", `{"developer_fee_rate": "0.1"}`, 400, cobo.CodeMissingParameter)
	w.raw.want("POST", "/v2/payments/merchants", "", `{"name": "X", "developer_fee_rate": "1.5"}`, 400, cobo.CodeInvalidParameter)
	w.raw.wantUnsigned("POST", "/v2/payments/merchants", `{"name": "X"}`, 401, cobo.CodeAuthFailed)
	w.raw.want("GET", "/v2/payments/merchants", "wallet_setup=Mine", "", 400, cobo.CodeInvalidParameter)
	w.raw.want("PUT", "/v2/payments/merchants/M-none", "", `{"name": "X"}`, 404, cobo.CodeNotFound)
	w.raw.want("PUT", "/v2/payments/merchants/"+m.MerchantID, "", `{"wallet_setup": "Shared"}`, 400, cobo.CodeInvalidParameter)
	return m.MerchantID
}

// paidOrder: an order of the merchant, paid in full (which fills its balance), and one refused for
// a merchant the organization lacks.
func (w *ordersWorld) paidOrder(merchant string) {
	req := createRequest("P-refundable")
	req.MerchantID = merchant
	o, err := w.client.CreatePaymentOrder(context.Background(), req)
	if err != nil {
		w.t.Fatal(err)
	}
	if _, err := w.srv.Sandbox.Pay(o.OrderID, sandbox.Payment{Amount: o.PayableAmount}); err != nil {
		w.t.Fatal(err)
	}
	bad := createRequest("P-nobody")
	bad.MerchantID = "M-nobody"
	if _, err := w.client.CreatePaymentOrder(context.Background(), bad); err == nil {
		w.t.Fatal("an order for a merchant the organization lacks was accepted")
	}
}

type refundAnswer struct {
	RefundID string `json:"refund_id"`
	Status   string `json:"status"`
}

// refunds: every status and operation, and the refusals.
func (w *ordersWorld) refunds(merchant string) {
	var pending, waiting, done refundAnswer
	body := func(request, amount, to string) string {
		b := `{"request_id": "` + request + `", "merchant_id": "` + merchant + `", "payable_amount": "` + amount + `", "token_id": "ETH_USDT", "refund_type": "Merchant", "charge_merchant_fee": true, "merchant_fee_amount": "0.50"`
		if to != "" {
			b += `, "to_address": "` + to + `"`
		}
		return b + "}"
	}
	w.raw.ok("POST", "/v2/payments/refunds", "", body("r-pending", "5.00", "0xabc"), 201, &pending)
	w.raw.ok("POST", "/v2/payments/refunds", "", body("r-waiting", "3.00", ""), 201, &waiting)
	w.raw.ok("POST", "/v2/payments/refunds", "", body("r-done", "2.00", "0xdef"), 201, &done)
	w.raw.ok("PUT", "/v2/payments/refunds/"+waiting.RefundID, "", `{"to_address": "0x123"}`, 200, nil)
	w.raw.ok("PUT", "/v2/payments/refunds/"+pending.RefundID+"/cancel", "", "", 200, nil)
	if _, err := w.srv.Sandbox.FailRefund(waiting.RefundID, "rejected by the chain"); err != nil {
		w.t.Fatal(err)
	}
	w.srv.Sandbox.Advance(cobo.RefundProcessingDelay)
	w.raw.ok("GET", "/v2/payments/refunds/"+done.RefundID, "", "", 200, nil) // Processing, with a transaction
	w.srv.Sandbox.Advance(cobo.RefundCompletionDelay)
	w.raw.ok("GET", "/v2/payments/refunds/"+done.RefundID, "", "", 200, nil) // Completed
	w.raw.ok("GET", "/v2/payments/refunds", "limit=2", "", 200, nil)
	w.raw.ok("GET", "/v2/payments/refunds", "statuses=Failed,Completed&merchant_id="+merchant+"&request_id=r-done", "", 200, nil)
	w.raw.want("POST", "/v2/payments/refunds", "", body("r-done", "1.00", ""), 400, cobo.CodeDuplicateKey)
	w.raw.want("POST", "/v2/payments/refunds", "", body("r-huge", "100000.00", ""), 400, cobo.CodeInvalidParameter)
	w.raw.want("POST", "/v2/payments/refunds", "", `{"request_id": "r-x", "payable_amount": "1.00", "token_id": "ETH_USDT"}`, 400, cobo.CodeMissingParameter)
	w.raw.want("GET", "/v2/payments/refunds", "statuses=Canceled", "", 400, cobo.CodeInvalidParameter)
	w.raw.want("GET", "/v2/payments/refunds/R-none", "", "", 404, cobo.CodeNotFound)
	w.raw.want("PUT", "/v2/payments/refunds/R-none", "", `{"to_address": "0x1"}`, 404, cobo.CodeNotFound)
	w.raw.want("PUT", "/v2/payments/refunds/"+done.RefundID, "", `{"to_address": "0x1"}`, 400, cobo.CodeInvalidParameter)
	w.raw.want("PUT", "/v2/payments/refunds/R-none/cancel", "", "", 404, cobo.CodeNotFound)
	w.raw.want("PUT", "/v2/payments/refunds/"+done.RefundID+"/cancel", "", "", 400, cobo.CodeInvalidParameter)
}

// catalog: tokens and rates.
func (w *ordersWorld) catalog() {
	w.raw.ok("GET", "/v2/payments/supported_tokens", "", "", 200, nil)
	w.raw.ok("GET", "/v2/payments/exchange_rates/ETH_USDT/USD", "", "", 200, nil)
	w.raw.ok("GET", "/v2/payments/exchange_rates", "token_ids=ETH_USDT,TRON_USDT&currencies=USD", "", 200, nil)
	w.raw.want("GET", "/v2/payments/exchange_rates/ETH_USDT/EUR", "", "", 400, cobo.CodeInvalidParameter)
	w.raw.want("GET", "/v2/payments/exchange_rates", "currencies=USD", "", 400, cobo.CodeMissingParameter)
}

// balances: by merchant, by token, the developer's; and the refusals.
func (w *ordersWorld) balances(merchant string) {
	w.raw.ok("GET", "/v2/payments/balance/merchants", "merchant_ids="+merchant, "", 200, nil)
	w.raw.ok("GET", "/v2/payments/balance/merchants", "token_id=ETH_USDT", "", 200, nil)
	w.raw.ok("GET", "/v2/payments/balance/psp", "token_id=ETH_USDT", "", 200, nil)
	w.raw.want("GET", "/v2/payments/balance/merchants", "", "", 400, cobo.CodeMissingParameter)
	w.raw.want("GET", "/v2/payments/balance/psp", "", "", 400, cobo.CodeMissingParameter)
}

// waitDelivered waits until every event of the endpoint was delivered (each validated by the receiver).
func (w *ordersWorld) waitDelivered(endpointID string) {
	deadline := time.Now().Add(20 * time.Second)
	for {
		page, err := w.client.ListWebhookEvents(context.Background(), endpointID, cobo.ListWebhookEventsParams{PageParams: cobo.PageParams{Limit: 50}})
		if err != nil {
			w.t.Fatal(err)
		}
		if len(page.Data) > 0 && allIn(page.Data, cobo.EventStatusSuccess) {
			return
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("events not all delivered within 20 s: %d events", len(page.Data))
		}
		time.Sleep(20 * time.Millisecond)
	}
}
