package sandbox_test

import (
	"testing"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

type tokenJSON struct {
	TokenID      string  `json:"token_id"`
	Symbol       string  `json:"symbol"`
	Decimal      int     `json:"decimal"`
	TokenAddress *string `json:"token_address"`
	ChainID      string  `json:"chain_id"`
}

func TestSupportedTokensAreThePayinTokens(t *testing.T) {
	t.Parallel()
	_, c := startSandbox(t, sandbox.Options{ExtraTokens: []string{"ETH_TESTUSDT"}})
	tokens := decodeInto[[]tokenJSON](t, c.do("GET", "/v2/payments/supported_tokens", ""), 200)
	byID := map[string]tokenJSON{}
	for _, tok := range tokens {
		byID[tok.TokenID] = tok
	}
	for _, id := range append(cobo.PayinTokenIDs, "ETH_TESTUSDT") {
		if tok, ok := byID[id]; !ok || tok.ChainID != cobo.ChainIDForToken(id) || deref(tok.TokenAddress) == "" || tok.Decimal == 0 {
			t.Errorf("%s: %+v", id, tok)
		}
	}
	if len(tokens) != len(cobo.PayinTokenIDs)+1 {
		t.Errorf("%d tokens, want %d", len(tokens), len(cobo.PayinTokenIDs)+1)
	}
	if usdt := byID["ETH_USDT"]; usdt.Symbol != "USDT" || usdt.Decimal != 6 || deref(usdt.TokenAddress) != "0xdac17f958d2ee523a2206206994597c13d831ec7" {
		t.Errorf("ETH_USDT: %+v", usdt)
	}
}

// Rates come from one place: -rate (Options.Rates), the rate helper, the default 0.99; they price
// orders in USD and are served by both exchange rate routes.
func TestExchangeRatesPriceOrders(t *testing.T) {
	t.Parallel()
	_, c := startSandbox(t, sandbox.Options{Rates: map[string]string{"TRON_USDT": "0.5"}})
	one := decodeInto[map[string]string](t, c.do("GET", "/v2/payments/exchange_rates/TRON_USDT/USD", ""), 200)
	if one["token_id"] != "TRON_USDT" || one["currency"] != "USD" || one["rate"] != "0.5" {
		t.Fatalf("one rate: %v", one)
	}
	batch := decodeInto[[]map[string]string](t, c.do("GET", "/v2/payments/exchange_rates?token_ids=TRON_USDT,ETH_USDT&currencies=USD", ""), 200)
	if len(batch) != 2 || batch[0]["rate"] != "0.5" || batch[1]["rate"] != sandbox.PricingRates["USD"] {
		t.Fatalf("batch: %v", batch)
	}
	o := c.create(t, map[string]any{"payable_currency": "TRON_USDT", "pricing_amount": "10.00", "fee_amount": "0"})
	if o.PayableAmount != "20.00" || o.ExchangeRate != "0.5" {
		t.Fatalf("an order priced in USD at 0.5: payable %s, rate %s", o.PayableAmount, o.ExchangeRate)
	}
	st, m := helper(t, c.root, "PUT", "/_sandbox/rates/TRON_USDT", `{"rate": "2"}`)
	if st != 200 || m["TRON_USDT"] != "2" {
		t.Fatalf("rate helper: %d %v", st, m)
	}
	if o := c.create(t, map[string]any{"payable_currency": "TRON_USDT", "pricing_amount": "10.00", "fee_amount": "0"}); o.PayableAmount != "5.00" {
		t.Fatalf("after setting the rate to 2: payable %s", o.PayableAmount)
	}
	st, m = helper(t, c.root, "PUT", "/_sandbox/rates/TRON_USDT", `{"rate": "-1"}`)
	wantHelperError(t, st, m, 400, "rate")
	st, m = helper(t, c.root, "PUT", "/_sandbox/rates/DOGE", `{"rate": "1"}`)
	wantHelperError(t, st, m, 404, "DOGE")
	c.do("GET", "/v2/payments/exchange_rates/ETH_USDT/EUR", "").wantCoboError(t, 400, cobo.CodeInvalidParameter, "EUR", "USD")
	c.do("GET", "/v2/payments/exchange_rates/DOGE/USD", "").wantCoboError(t, 400, cobo.CodeInvalidParameter, "DOGE")
	c.do("GET", "/v2/payments/exchange_rates?token_ids=ETH_USDT", "").wantCoboError(t, 400, cobo.CodeMissingParameter, "currencies")
	if _, err := sandbox.Open(sandbox.Options{Rates: map[string]string{"ETH_USDT": "x"}}); err == nil {
		t.Fatal("a bad rate option was accepted")
	}
}
