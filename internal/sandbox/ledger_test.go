package sandbox_test

import (
	"testing"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

type merchantBalance struct {
	MerchantID          string `json:"merchant_id"`
	TokenID             string `json:"token_id"`
	TotalBalance        string `json:"total_balance"`
	TotalReceivedAmount string `json:"total_received_amount"`
	RefundedAmount      string `json:"refunded_amount"`
}

type pspBalance struct {
	TokenID            string `json:"token_id"`
	TotalBalance       string `json:"total_balance"`
	DeveloperFeeAmount string `json:"developer_fee_amount"`
	RefundedAmount     string `json:"refunded_amount"`
}

// balances reads the merchant's and the developer's ETH_USDT balances through the API.
func (c *apiClient) balances(t testing.TB, merchantID string) (merchantBalance, pspBalance) {
	t.Helper()
	list := decodeInto[struct {
		Data []merchantBalance `json:"data"`
	}](t, c.do("GET", "/v2/payments/balance/merchants?merchant_ids="+merchantID+"&token_id=ETH_USDT", ""), 200)
	if len(list.Data) != 1 || list.Data[0].MerchantID != merchantID || list.Data[0].TokenID != "ETH_USDT" {
		t.Fatalf("merchant balances: %+v", list.Data)
	}
	return list.Data[0], decodeInto[pspBalance](t, c.do("GET", "/v2/payments/balance/psp?token_id=ETH_USDT", ""), 200)
}

func wantBalances(t testing.TB, c *apiClient, merchantID, merchantTotal, developerTotal string) {
	t.Helper()
	m, d := c.balances(t, merchantID)
	if !cobo.SameDecimal(m.TotalBalance, merchantTotal) || !cobo.SameDecimal(d.TotalBalance, developerTotal) {
		t.Fatalf("balances: merchant %+v, developer %+v; want totals %s and %s", m, d, merchantTotal, developerTotal)
	}
}

// unpriced is an order of 99 + 1 ETH_USDT (no pricing currency: amounts in the token).
func unpriced(merchantID string) map[string]any {
	return map[string]any{"merchant_id": merchantID, "pricing_currency": nil, "pricing_amount": "99", "fee_amount": "1"}
}

func TestLedgerSplitsPaymentsByPricingAndFee(t *testing.T) {
	t.Parallel()
	srv, c := startSandbox(t, sandbox.Options{})
	sb := srv.Sandbox
	wantBalances(t, c, "M1001", "0", "0")
	o := c.create(t, unpriced("M1001"))
	unconfirmed, err := sb.Pay(o.OrderID, sandbox.Payment{Amount: "60", Confirmed: boolPtr(false)})
	if err != nil {
		t.Fatal(err)
	}
	wantBalances(t, c, "M1001", "0", "0") // nothing counts before it is confirmed
	if _, err := sb.ConfirmTransaction(o.OrderID, unconfirmed.Transactions[0].TxID); err != nil {
		t.Fatal(err)
	}
	wantBalances(t, c, "M1001", "59.4", "0.6")
	if _, err := sb.Pay(o.OrderID, sandbox.Payment{Amount: "50"}); err != nil { // an overpayment splits the same way
		t.Fatal(err)
	}
	wantBalances(t, c, "M1001", "108.9", "1.1")
	late, err := sb.Pay(o.OrderID, sandbox.Payment{Amount: "5"})
	if err != nil || late.Status != cobo.StatusCompleted || late.ReceivedTokenAmount != "110" {
		t.Fatalf("a late payment: %v, %+v", err, late)
	}
	wantBalances(t, c, "M1001", "108.9", "6.1") // wholly to the developer
	m, d := c.balances(t, "M1001")
	if m.TotalReceivedAmount != "108.9" || d.DeveloperFeeAmount != "6.1" {
		t.Fatalf("received %s, developer fees %s", m.TotalReceivedAmount, d.DeveloperFeeAmount)
	}
	// an order with payable_amount and no pricing_amount splits (payable - fee) : fee
	byPayable := c.create(t, map[string]any{"pricing_currency": nil, "pricing_amount": nil, "payable_amount": "10.00", "fee_amount": "1"})
	if _, err := sb.Pay(byPayable.OrderID, sandbox.Payment{Amount: "10"}); err != nil {
		t.Fatal(err)
	}
	wantBalances(t, c, "M1001", "117.9", "7.1")
}

func TestLedgerMerchantBalanceQueries(t *testing.T) {
	t.Parallel()
	srv, c := startSandbox(t, sandbox.Options{})
	shop := paidMerchant(t, srv.Sandbox, c, `{"name": "Shop"}`)
	byToken := decodeInto[struct {
		Data []merchantBalance `json:"data"`
	}](t, c.do("GET", "/v2/payments/balance/merchants?token_id=ETH_USDT", ""), 200)
	if len(byToken.Data) != 2 || byToken.Data[0].TotalBalance != "0" || byToken.Data[1].TotalBalance != "99" {
		t.Fatalf("by token (every merchant, zeros included): %+v", byToken.Data)
	}
	byMerchant := decodeInto[struct {
		Data []merchantBalance `json:"data"`
	}](t, c.do("GET", "/v2/payments/balance/merchants?merchant_ids="+shop.MerchantID, ""), 200)
	if len(byMerchant.Data) != 1 || byMerchant.Data[0].TokenID != "ETH_USDT" {
		t.Fatalf("by merchant (the tokens that moved): %+v", byMerchant.Data)
	}
	c.do("GET", "/v2/payments/balance/merchants", "").wantCoboError(t, 400, cobo.CodeMissingParameter, "merchant_ids or token_id")
	c.do("GET", "/v2/payments/balance/merchants?merchant_ids=M-none", "").wantCoboError(t, 400, cobo.CodeInvalidParameter, "M-none")
	c.do("GET", "/v2/payments/balance/psp", "").wantCoboError(t, 400, cobo.CodeMissingParameter, "token_id")
	c.do("GET", "/v2/payments/balance/psp?token_id=DOGE", "").wantCoboError(t, 400, cobo.CodeInvalidParameter, "DOGE", "supported_tokens")
	if b := srv.Sandbox.BalanceOf(c.key(), sandbox.DeveloperAccount, "ETH_USDT"); b.Total != "1" {
		t.Fatalf("BalanceOf developer: %+v", b)
	}
}
