package sandbox_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

func TestCreateValidation(t *testing.T) {
	t.Parallel()
	srv, c := startSandbox(t, sandbox.Options{})
	cases := []struct {
		name   string
		body   string // used when set, else createBody(overrides)
		over   map[string]any
		status int
		code   int
		parts  []string
	}{
		{name: "array body", body: `[]`, status: 400, code: 2006, parts: []string{"JSON object"}},
		{name: "string body", body: `"x"`, status: 400, code: 2006, parts: []string{"JSON object"}},
		{name: "empty body", body: ``, status: 400, code: 2006, parts: []string{"JSON object"}},
		{name: "broken JSON", body: `{"merchant_id":`, status: 400, code: 2006, parts: []string{"JSON object"}},
		{name: "merchant_id number", over: map[string]any{"merchant_id": 1001}, status: 400, code: 2006, parts: []string{"merchant_id", "string"}},
		{name: "pricing_amount number", over: map[string]any{"pricing_amount": 100}, status: 400, code: 2006, parts: []string{"pricing_amount", "string"}},
		{name: "expired_in string", over: map[string]any{"expired_in": "1800"}, status: 400, code: 2006, parts: []string{"expired_in", "integer"}},
		{name: "expired_in fraction", over: map[string]any{"expired_in": 1.5}, status: 400, code: 2006, parts: []string{"expired_in"}},
		{name: "use_dedicated_address string", over: map[string]any{"use_dedicated_address": "yes"}, status: 400, code: 2006, parts: []string{"use_dedicated_address", "boolean"}},
		{name: "missing merchant_id", over: map[string]any{"merchant_id": nil}, status: 400, code: 2003, parts: []string{"merchant_id"}},
		{name: "empty merchant_id", over: map[string]any{"merchant_id": ""}, status: 400, code: 2003, parts: []string{"merchant_id"}},
		{name: "missing psp_order_code", over: map[string]any{"psp_order_code": nil}, status: 400, code: 2003, parts: []string{"psp_order_code"}},
		{name: "empty psp_order_code", over: map[string]any{"psp_order_code": ""}, status: 400, code: 2003, parts: []string{"psp_order_code"}},
		{name: "missing fee_amount", over: map[string]any{"fee_amount": nil}, status: 400, code: 2003, parts: []string{"fee_amount"}},
		{name: "missing payable_currency", over: map[string]any{"payable_currency": nil}, status: 400, code: 2003, parts: []string{"payable_currency"}},
		{name: "no pricing or payable amount", over: map[string]any{"pricing_amount": nil}, status: 400, code: 2003, parts: []string{"pricing_amount or payable_amount"}},
		{name: "pricing_amount 3 decimals", over: map[string]any{"pricing_amount": "100.001"}, status: 400, code: 2006, parts: []string{"pricing_amount", "3 decimal places"}},
		{name: "pricing_amount zero", over: map[string]any{"pricing_amount": "0.00"}, status: 400, code: 2006, parts: []string{"pricing_amount", "zero"}},
		{name: "pricing_amount exponent", over: map[string]any{"pricing_amount": "1e2"}, status: 400, code: 2006, parts: []string{"pricing_amount", "plain decimal"}},
		{name: "payable_amount negative", over: map[string]any{"payable_amount": "-1.00"}, status: 400, code: 2006, parts: []string{"payable_amount"}},
		{name: "fee_amount text", over: map[string]any{"fee_amount": "two"}, status: 400, code: 2006, parts: []string{"fee_amount"}},
		{name: "fee_amount 3 decimals", over: map[string]any{"fee_amount": "0.001"}, status: 400, code: 2006, parts: []string{"fee_amount"}},
		{name: "amount_tolerance 2 decimals", over: map[string]any{"amount_tolerance": "0.55"}, status: 400, code: 2006, parts: []string{"amount_tolerance", "2 decimal places"}},
		{name: "expired_in 0", over: map[string]any{"expired_in": 0}, status: 400, code: 2006, parts: []string{"expired_in", "1", "10800"}},
		{name: "expired_in 10801", over: map[string]any{"expired_in": 10801}, status: 400, code: 2006, parts: []string{"expired_in", "10801"}},
		{name: "expired_in negative", over: map[string]any{"expired_in": -5}, status: 400, code: 2006, parts: []string{"expired_in"}},
		{name: "unknown token", over: map[string]any{"payable_currency": "DOGE_USDT"}, status: 400, code: 2006, parts: []string{"payable_currency", "DOGE_USDT"}},
		{name: "unknown pricing currency", over: map[string]any{"pricing_currency": "JPY"}, status: 400, code: 2006, parts: []string{"pricing_currency", "JPY"}},
		{name: "token_id disagrees", over: map[string]any{"token_id": "TRON_USDT"}, status: 400, code: 2006, parts: []string{"payable_currency", "token_id"}},
		{name: "payable rounds to zero", over: map[string]any{"pricing_currency": "CNY", "pricing_amount": "0.01", "fee_amount": "0"}, status: 400, code: 2006, parts: []string{"payable_amount", "0.00"}},
		{name: "currency disagrees", over: map[string]any{"currency": "EUR"}, status: 400, code: 2006, parts: []string{"pricing_currency", "currency"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := tc.body
			if tc.over != nil {
				body = createBody(tc.over)
			}
			c.do("POST", "/v2/payments/orders", body).wantCoboError(t, tc.status, tc.code, tc.parts...)
		})
	}
	if n := len(srv.Sandbox.Orders(c.key())); n != 0 {
		t.Fatalf("%d orders were stored by rejected requests", n)
	}
}

func TestCreateAcceptsBoundariesAndDeprecatedNames(t *testing.T) {
	t.Parallel()
	srv, c := startSandbox(t, sandbox.Options{ExtraTokens: []string{"TEST_TOKEN"}, Now: fixedClock()})
	created := fixedStart.Unix()

	o := c.create(t, map[string]any{"expired_in": 1})
	if deref(o.ExpiredAt) != created+1 {
		t.Errorf("expired_at = %d, want %d", deref(o.ExpiredAt), created+1)
	}
	o = c.create(t, map[string]any{"expired_in": 10800})
	if deref(o.ExpiredAt) != created+10800 {
		t.Errorf("expired_at = %d, want %d", deref(o.ExpiredAt), created+10800)
	}
	o = c.create(t, nil)
	if deref(o.ExpiredAt) != created+cobo.ExpiredInDefault {
		t.Errorf("default expired_at = %d, want %d", deref(o.ExpiredAt), created+cobo.ExpiredInDefault)
	}

	o = c.create(t, map[string]any{"payable_currency": "ARBITRUM_USDCOIN"})
	if o.ChainID != "ARBITRUM" || deref(o.PayableCurrency) != "ARBITRUM_USDCOIN" {
		t.Errorf("alias token: chain %q, payable_currency %q", o.ChainID, deref(o.PayableCurrency))
	}
	o = c.create(t, map[string]any{"payable_currency": "TEST_TOKEN"})
	if o.ChainID != "TEST" {
		t.Errorf("extra token chain = %q, want TEST", o.ChainID)
	}

	// deprecated names alone stand in for the current ones, and the deprecated outputs mirror them
	r := c.do("POST", "/v2/payments/orders", createBody(map[string]any{
		"payable_currency": nil, "token_id": "TRON_USDT",
		"pricing_currency": nil, "currency": "EUR",
		"pricing_amount": nil, "order_amount": "46.00", "fee_amount": "0",
	}))
	if r.status != http.StatusCreated {
		t.Fatalf("deprecated names: status %d: %s", r.status, r.body)
	}
	o = r.order(t)
	if deref(o.PayableCurrency) != "TRON_USDT" || deref(o.TokenID) != "TRON_USDT" || o.ChainID != "TRON" {
		t.Errorf("token: payable_currency %q token_id %q chain %q", deref(o.PayableCurrency), deref(o.TokenID), o.ChainID)
	}
	if deref(o.PricingCurrency) != "EUR" || deref(o.Currency) != "EUR" || deref(o.PricingAmount) != "46.00" || deref(o.OrderAmount) != "46.00" {
		t.Errorf("pricing: %q %q %q %q", deref(o.PricingCurrency), deref(o.Currency), deref(o.PricingAmount), deref(o.OrderAmount))
	}
	if o.PayableAmount != "50.00" || o.ExchangeRate != "0.92" {
		t.Errorf("EUR 46.00 -> payable %q rate %q, want 50.00 and 0.92", o.PayableAmount, o.ExchangeRate)
	}
	if got := len(srv.Sandbox.Orders(c.key())); got != 6 {
		t.Errorf("stored %d orders, want 6", got)
	}
}

func TestCreateDerivations(t *testing.T) {
	t.Parallel()
	_, c := startSandbox(t, sandbox.Options{})
	cases := []struct {
		name                string
		over                map[string]any
		wantPayable, wantFx string
	}{
		{"USD with fee", map[string]any{"pricing_currency": "USD", "pricing_amount": "100.00", "fee_amount": "2"}, "103.03", "0.99"},
		{"USD no fee", map[string]any{"pricing_currency": "USD", "pricing_amount": "100.00", "fee_amount": "0.00"}, "101.01", "0.99"},
		{"EUR rounds up", map[string]any{"pricing_currency": "EUR", "pricing_amount": "50", "fee_amount": "0"}, "54.35", "0.92"},
		{"GBP", map[string]any{"pricing_currency": "GBP", "pricing_amount": "10.00", "fee_amount": "0"}, "12.66", "0.79"},
		{"SGD", map[string]any{"pricing_currency": "SGD", "pricing_amount": "134.00", "fee_amount": "0"}, "100.00", "1.34"},
		{"HKD exact", map[string]any{"pricing_currency": "HKD", "pricing_amount": "7.74", "fee_amount": "0"}, "1.00", "7.74"},
		{"CNY with fee", map[string]any{"pricing_currency": "CNY", "pricing_amount": "100.00", "fee_amount": "1.5"}, "14.18", "7.16"},
		{"small amount rounds down", map[string]any{"pricing_currency": "CNY", "pricing_amount": "0.05", "fee_amount": "0"}, "0.01", "7.16"},
		{"no pricing currency", map[string]any{"pricing_currency": nil, "pricing_amount": "10.5", "fee_amount": "0.25"}, "10.75", "1"},
		{"payable given with pricing", map[string]any{"payable_amount": "55.5"}, "55.5", ""},
		{"payable given alone", map[string]any{"pricing_currency": nil, "pricing_amount": nil, "payable_amount": "103.00"}, "103.00", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			o := c.create(t, tc.over)
			if o.PayableAmount != tc.wantPayable || o.ExchangeRate != tc.wantFx {
				t.Fatalf("payable_amount %q exchange_rate %q, want %q and %q", o.PayableAmount, o.ExchangeRate, tc.wantPayable, tc.wantFx)
			}
		})
	}
}

func TestCreateOrderShape(t *testing.T) {
	t.Parallel()
	srv, c := startSandbox(t, sandbox.Options{Now: fixedClock()})
	created := fixedStart.Unix()

	t.Run("minimal order omits optional keys", func(t *testing.T) {
		r := c.do("POST", "/v2/payments/orders", `{"merchant_id":"M7","psp_order_code":"min-1","fee_amount":"0","payable_currency":"ETH_USDC","payable_amount":"12.30"}`)
		if r.status != http.StatusCreated {
			t.Fatalf("status %d: %s", r.status, r.body)
		}
		m := r.json(t)
		for _, k := range cobo.OrderRequiredKeys {
			if _, ok := m[k]; !ok {
				t.Errorf("required key %q missing", k)
			}
		}
		for _, k := range []string{"merchant_order_code", "pricing_currency", "pricing_amount", "amount_tolerance", "currency", "order_amount", "settlement_status", "transactions"} {
			if _, ok := m[k]; ok {
				t.Errorf("key %q present although not sent: %v", k, m[k])
			}
		}
		want := map[string]any{
			"merchant_id": "M7", "psp_order_code": "min-1", "fee_amount": "0", "payable_currency": "ETH_USDC",
			"token_id": "ETH_USDC", "chain_id": "ETH", "payable_amount": "12.30", "exchange_rate": "",
			"status": "Pending", "received_token_amount": "0",
			"created_timestamp": float64(created), "updated_timestamp": float64(created), "expired_at": float64(created + 1800),
		}
		for k, v := range want {
			if m[k] != v {
				t.Errorf("%s = %#v, want %#v", k, m[k], v)
			}
		}
		if id, _ := m["order_id"].(string); !regexp.MustCompile(`^O20250304-[0-9A-Z]{10}-\d{6}$`).MatchString(id) {
			t.Errorf("order_id = %q, want O20250304-<10 base-36 characters>-NNNNNN", id)
		}
		if addr, _ := m["receive_address"].(string); !regexp.MustCompile(`^0x[0-9a-f]{40}$`).MatchString(addr) {
			t.Errorf("receive_address = %q, want an EVM address", addr)
		}
	})

	t.Run("optional inputs returned exactly as sent", func(t *testing.T) {
		r := c.do("POST", "/v2/payments/orders", `{"merchant_id":"M7","psp_order_code":"full-1","merchant_order_code":"inv-55231","fee_amount":"2","payable_currency":"TRON_USDT","pricing_currency":"USD","pricing_amount":"100","amount_tolerance":"0.5","expired_in":600}`)
		if r.status != http.StatusCreated {
			t.Fatalf("status %d: %s", r.status, r.body)
		}
		m := r.json(t)
		want := map[string]any{
			"merchant_order_code": "inv-55231", "pricing_currency": "USD", "pricing_amount": "100", "currency": "USD",
			"order_amount": "100", "amount_tolerance": "0.5", "fee_amount": "2", "payable_amount": "103.03",
			"exchange_rate": "0.99", "chain_id": "TRON", "expired_at": float64(created + 600),
		}
		for k, v := range want {
			if m[k] != v {
				t.Errorf("%s = %#v, want %#v", k, m[k], v)
			}
		}
		if addr, _ := m["receive_address"].(string); !regexp.MustCompile(`^T[1-9A-HJ-NP-Za-km-z]{33}$`).MatchString(addr) {
			t.Errorf("TRON receive_address = %q", addr)
		}
	})

	t.Run("SOL address and deterministic ids", func(t *testing.T) {
		o := c.create(t, map[string]any{"payable_currency": "SOL_USDC"})
		if !regexp.MustCompile(`^[1-9A-HJ-NP-Za-km-z]{44}$`).MatchString(o.ReceiveAddress) {
			t.Errorf("SOL receive_address = %q", o.ReceiveAddress)
		}
		again := c.do("GET", "/v2/payments/orders/"+o.OrderID, "").order(t)
		if again.ReceiveAddress != o.ReceiveAddress {
			t.Errorf("receive_address changed between reads: %q then %q", o.ReceiveAddress, again.ReceiveAddress)
		}
	})

	t.Run("ids are globally sequential across organizations", func(t *testing.T) {
		other := newAPIClient(t, srv.URL, secretFor("another org"))
		a := c.create(t, nil)
		b := other.create(t, nil)
		d := c.create(t, nil)
		ids := []string{a.OrderID, b.OrderID, d.OrderID}
		if !sort.StringsAreSorted(ids) || a.OrderID == b.OrderID || b.OrderID == d.OrderID {
			t.Fatalf("ids not strictly increasing: %v", ids)
		}
		seq := func(id string) string { return id[strings.LastIndexByte(id, '-')+1:] }
		if seq(a.OrderID) >= seq(b.OrderID) {
			t.Errorf("sequence not global: %v", ids)
		}
	})
}

func TestDuplicatePspOrderCode(t *testing.T) {
	t.Parallel()
	srv, c := startSandbox(t, sandbox.Options{})
	other := newAPIClient(t, srv.URL, secretFor("org-b"))
	body := createBody(map[string]any{"psp_order_code": "dup-1"})

	first := c.do("POST", "/v2/payments/orders", body)
	if first.status != http.StatusCreated {
		t.Fatalf("first create: %d %s", first.status, first.body)
	}
	firstID := first.order(t).OrderID
	dup := c.do("POST", "/v2/payments/orders", createBody(map[string]any{"psp_order_code": "dup-1", "pricing_amount": "5.00"}))
	dup.wantCoboError(t, cobo.DuplicatePspOrderCode.HTTPStatus, cobo.DuplicatePspOrderCode.Code, "Duplicate key: psp_order_code", "dup-1", firstID)
	var eb cobo.ErrorBody
	_ = json.Unmarshal(dup.body, &eb)
	if !strings.HasPrefix(eb.ErrorMessage, "Duplicate key: psp_order_code") {
		t.Errorf("message %q does not start with the documented prefix", eb.ErrorMessage)
	}
	if n := srv.Sandbox.OrderCountByPspOrderCode(c.key(), "dup-1"); n != 1 {
		t.Fatalf("org A has %d orders with dup-1, want 1", n)
	}

	// the same code in another organization is a different order
	r := other.do("POST", "/v2/payments/orders", body)
	if r.status != http.StatusCreated {
		t.Fatalf("other org: %d %s", r.status, r.body)
	}
	if id := r.order(t).OrderID; id == firstID {
		t.Fatalf("other org got the same order id %s", id)
	}
	if n := srv.Sandbox.OrderCountByPspOrderCode(other.key(), "dup-1"); n != 1 {
		t.Fatalf("org B has %d orders with dup-1, want 1", n)
	}
	// and each organization sees only its own
	other.do("GET", "/v2/payments/orders/"+firstID, "").wantCoboError(t, 404, cobo.CodeNotFound, firstID)
	if got := len(srv.Sandbox.Orders("")); got != 2 {
		t.Errorf("all organizations hold %d orders, want 2", got)
	}
}
