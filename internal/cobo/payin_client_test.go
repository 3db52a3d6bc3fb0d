package cobo

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// Merchants, refunds, balances, tokens and rates: paths, queries, and the never-twice rule of the two
// creates (merchants have no idempotency key; refunds have request_id).

func TestCreateMerchantAfterALostAnswerTakesTheMerchantWithThatName(t *testing.T) {
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request, n int, req seenRequest) {
		switch r.Method {
		case http.MethodPost:
			dropConnection(t, w) // Cobo created it, the answer was lost
		case http.MethodGet:
			// keyword is fuzzy: "Shop A2" matches "Shop A" too, and must not be taken
			writeJSON(w, 200, MerchantPage{Data: []Merchant{{MerchantID: "M2", Name: "Shop A2"}, {MerchantID: "M1", Name: "Shop A"}}})
		}
	})
	m, err := newTestClient(t, ts.URL+"/v2").CreateMerchant(t.Context(), CreateMerchantRequest{Name: "Shop A"})
	if err != nil {
		t.Fatal(err)
	}
	if m.MerchantID != "M1" {
		t.Errorf("got merchant %q, want M1 (exactly named Shop A)", m.MerchantID)
	}
	posts := slices.DeleteFunc(ts.requests(), func(r seenRequest) bool { return r.Method != http.MethodPost })
	if len(posts) != 1 {
		t.Errorf("%d POSTs, want 1: a merchant found by name is never created again", len(posts))
	}
	if q := ts.requests()[1].RawQuery; !strings.Contains(q, "keyword=Shop+A") {
		t.Errorf("the lookup's query is %q, want keyword=Shop+A", q)
	}
	ts.requireSigned(t)
}

func TestCreateMerchantSendsAgainOnlyWhenNoneWasCreated(t *testing.T) {
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request, n int, req seenRequest) {
		switch {
		case r.Method == http.MethodPost && n == 1:
			writeCoboError(w, 503, 5000, "busy")
		case r.Method == http.MethodPost:
			writeJSON(w, 201, Merchant{MerchantID: "M9", Name: "Shop B", WalletID: "w"})
		default:
			writeJSON(w, 200, MerchantPage{})
		}
	})
	m, err := newTestClient(t, ts.URL+"/v2").CreateMerchant(t.Context(), CreateMerchantRequest{Name: "Shop B", WalletSetup: WalletSetupSeparate})
	if err != nil || m.MerchantID != "M9" {
		t.Fatalf("got %+v, %v; want M9", m, err)
	}
	methods := []string{}
	for _, r := range ts.requests() {
		methods = append(methods, r.Method)
	}
	if !slices.Equal(methods, []string{"POST", "GET", "POST"}) {
		t.Errorf("requests %v, want POST, GET (lookup), POST", methods)
	}
	var body map[string]any
	_ = json.Unmarshal(ts.requests()[0].Body, &body)
	if body["wallet_setup"] != "Separate" || body["developer_fee_rate"] != nil {
		t.Errorf("create body %v: want wallet_setup Separate and no developer_fee_rate", body)
	}
}

func TestCreateRefundAfterALostAnswerFindsItByRequestID(t *testing.T) {
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request, n int, req seenRequest) {
		switch r.Method {
		case http.MethodPost:
			writeCoboError(w, 502, 5000, "bad gateway")
		default:
			writeJSON(w, 200, RefundPage{Data: []Refund{{RefundID: "R-other", RequestID: "req-0"}, {RefundID: "R1", RequestID: "req-1", Status: RefundStatusPending}}})
		}
	})
	res, err := newTestClient(t, ts.URL+"/v2").CreateRefund(t.Context(), CreateRefundRequest{RequestID: "req-1", PayableAmount: "1.5", TokenID: "ETH_USDT", RefundType: RefundTypePsp})
	if err != nil {
		t.Fatal(err)
	}
	if res.Refund.RefundID != "R1" || !res.Found {
		t.Errorf("got %+v, want R1 found by its request_id", res)
	}
	if q, _ := url.ParseQuery(ts.requests()[1].RawQuery); q.Get("request_id") != "req-1" {
		t.Errorf("lookup query %v, want request_id=req-1", q)
	}
}

func TestCreateRefundRefusedIsNotLookedUp(t *testing.T) {
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request, n int, req seenRequest) {
		writeCoboError(w, 400, 2003, "payable_amount must be positive")
	})
	_, err := newTestClient(t, ts.URL+"/v2").CreateRefund(t.Context(), CreateRefundRequest{RequestID: "req-2", PayableAmount: "0", TokenID: "ETH_USDT", RefundType: RefundTypePsp})
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Code != 2003 {
		t.Fatalf("err = %v, want Cobo's 400/2003", err)
	}
	if ts.count() != 1 {
		t.Errorf("%d requests, want 1: a refused create is neither repeated nor looked up", ts.count())
	}
}

func TestRefundAndMerchantPathsAreCheckedAndEscaped(t *testing.T) {
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request, n int, req seenRequest) {
		writeJSON(w, 200, Refund{RefundID: "R 1"})
	})
	c := newTestClient(t, ts.URL+"/v2")
	if _, err := c.GetRefund(t.Context(), "../x"); err == nil {
		t.Error("GetRefund accepted a refund_id with a slash")
	}
	if _, err := c.UpdateMerchant(t.Context(), "", UpdateMerchantRequest{}); err == nil || !strings.Contains(err.Error(), "merchant_id") {
		t.Errorf("UpdateMerchant with no id: err = %v, want one naming merchant_id", err)
	}
	if ts.count() != 0 {
		t.Fatalf("%d requests sent for bad ids, want 0", ts.count())
	}
	if _, err := c.CancelRefund(t.Context(), "R-1"); err != nil {
		t.Fatal(err)
	}
	if r := ts.requests()[0]; r.Method != http.MethodPut || r.RawPath != "/v2/payments/refunds/R-1/cancel" {
		t.Errorf("cancel sent %s %s", r.Method, r.RawPath)
	}
}

func TestBalancesTokensAndRatesRequests(t *testing.T) {
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request, n int, req seenRequest) {
		switch req.RawPath {
		case "/v2/payments/supported_tokens":
			_, _ = w.Write([]byte(`[{"token_id":"ETH_ETH","name":"Ether","symbol":"ETH","decimal":18,"token_address":null,"chain_id":"ETH","chain_symbol":"ETH"}]`))
		case "/v2/payments/exchange_rates":
			writeJSON(w, 200, []ExchangeRate{{TokenID: "ETH_USDT", Currency: "USD", Rate: "0.9998"}})
		case "/v2/payments/balance/merchants":
			writeJSON(w, 200, map[string]any{"data": []MerchantBalance{{MerchantID: "M1", TokenID: "ETH_USDT", BalanceAmounts: BalanceAmounts{TotalBalance: "99"}}}})
		case "/v2/payments/balance/psp":
			writeJSON(w, 200, PspBalance{TokenID: "ETH_USDT", BalanceAmounts: BalanceAmounts{TotalBalance: "1"}})
		}
	})
	c := newTestClient(t, ts.URL+"/v2")
	tokens, err := c.ListSupportedTokens(t.Context())
	if err != nil || len(tokens) != 1 || tokens[0].TokenAddress != nil || tokens[0].Decimal != 18 {
		t.Errorf("tokens %+v, %v; want one native coin (no token_address) of 18 decimals", tokens, err)
	}
	rates, err := c.ExchangeRates(t.Context(), []string{"ETH_USDT", "TRON_USDT"}, CurrencyUSD)
	if err != nil || len(rates) != 1 || rates[0].Rate != "0.9998" {
		t.Errorf("rates %+v, %v", rates, err)
	}
	balances, err := c.MerchantBalances(t.Context(), []string{"M1", "M2"}, "")
	if err != nil || len(balances) != 1 || balances[0].TotalBalance != "99" {
		t.Errorf("balances %+v, %v", balances, err)
	}
	dev, err := c.DeveloperBalance(t.Context(), "ETH_USDT")
	if err != nil || dev.TotalBalance != "1" {
		t.Errorf("developer balance %+v, %v", dev, err)
	}
	wantQueries := []string{"", "currencies=USD&token_ids=ETH_USDT%2CTRON_USDT", "merchant_ids=M1%2CM2", "token_id=ETH_USDT"}
	for i, r := range ts.requests() {
		if r.RawQuery != wantQueries[i] {
			t.Errorf("request %d (%s) query %q, want %q", i+1, r.RawPath, r.RawQuery, wantQueries[i])
		}
	}
	if _, err := c.MerchantBalances(t.Context(), nil, ""); err == nil {
		t.Error("MerchantBalances with neither merchant ids nor a token was sent")
	}
	if _, err := c.ExchangeRates(t.Context(), nil, CurrencyUSD); err == nil {
		t.Error("ExchangeRates with no token was sent")
	}
	if ts.count() != 4 {
		t.Errorf("%d requests, want 4: the refused calls send nothing", ts.count())
	}
}
