package cobo

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// The README's test key: seed bytes 0x01..0x20, its public key, and the vectors' nonce.
const (
	testSecret = "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20"
	testAPIKey = "79b5562e8fe654f94078b112e8a98ba7901f853ae695bed7e0e3910bad049664"
	testNonce  = "1700000000000"
	testUA     = "terraform-provider-cobo/0.0.0-test (+https://example.test/ua)"
	testPsp    = "P20240201001"
)

// readmeVector is one row of the README's signing table.
type readmeVector struct {
	name, method, path, query, body, sig string
}

var readmeVectors = []readmeVector{
	{
		name: "1 PUT expire compact", method: "PUT", path: "/v2/payments/orders/O20250304-M1001-1001",
		body: `{"expired":true}`,
		sig:  "d2f467cb5c35be853458e541b2f3ab70789bdece3eb2f95e348bc6a26c33bd4ae1357584f70b9a77c46968b6945b9d62a8529dd2c45dd2a1d0bb65982239a70e",
	},
	{
		name: "2 GET list with query", method: "GET", path: "/v2/payments/orders",
		query: "limit=10&merchant_id=M1001&statuses=Pending%2CProcessing",
		sig:   "a43e45c65ce76ba56f4fea6131d1a1c802f4950c08cba603cd6fd9c7da4c1472c9c90dcfff627959d08fc7b9d3f1ebba8522b768cfa3a5e6ffe63d2b6bd6a90d",
	},
	{
		name: "3 PUT expire trailing newline", method: "PUT", path: "/v2/payments/orders/O20250304-M1001-1001",
		body: "{\"expired\":true}\n",
		sig:  "402a5971c47b862bd649a800374c3fef6790400fc2c1927472c5c0706a0f3929bc690ab3acdb8dec79346278c1eca805b15093f55b79576936958a5eb65a980f",
	},
	{
		name: "4 PUT expire with space", method: "PUT", path: "/v2/payments/orders/O20250304-M1001-1001",
		body: `{"expired": true}`,
		sig:  "e8ca913d5f48f09bd59362736906e91d3efa702e285debadbee6a1cc6cccf6130282b1b29df3554ee57d7b74240631ef7f4ffe8d096fe101fc6be4e3ecefd801",
	},
	{
		name: "5 POST create", method: "POST", path: "/v2/payments/orders",
		body: `{"merchant_id":"M1001","psp_order_code":"P20240201001","fee_amount":"0.00","payable_currency":"ETH_USDT","pricing_amount":"100.00","pricing_currency":"USD","expired_in":1800}`,
		sig:  "58f847d33d15d9f2759ca66484975718c4105cb24e1f5818778f3ba725c1f91a7e9668feff14c0a5feb3b391bc435c26d26e44d2f62b54fe05829e2bf90f5d06",
	},
}

// fullOrderJSON is a realistic Completed order with three transactions and keys this client does not know.
const fullOrderJSON = `{
  "order_id": "O20250304-M1001-1001",
  "merchant_id": "M1001",
  "merchant_order_code": "MOC-2025-0001",
  "psp_order_code": "P20240201001",
  "pricing_currency": "USD",
  "pricing_amount": "100.00",
  "fee_amount": "3.03",
  "payable_currency": "ETH_USDT",
  "chain_id": "ETH",
  "payable_amount": "103.0305",
  "exchange_rate": "0.99993",
  "amount_tolerance": "0.5",
  "receive_address": "0x9bC4a5c2f4bD5b6e2B8E0cAe3a0F9B2f6dB1a0c3",
  "status": "Completed",
  "received_token_amount": "103.0305",
  "expired_at": 1741064400,
  "created_timestamp": 1741062600,
  "updated_timestamp": 1741063000,
  "settlement_status": "Pending",
  "transactions": [
    {"tx_id": "T1", "tx_hash": "0xaaa1", "token_id": "ETH_USDT", "from_address": "0xfrom1", "to_address": "0x9bC4a5c2f4bD5b6e2B8E0cAe3a0F9B2f6dB1a0c3", "amount": "50.0000", "status": "Completed", "sub_status": "Confirmed", "created_timestamp": 1741062700123, "updated_timestamp": 1741062760456},
    {"tx_id": "T2", "tx_hash": "0xaaa2", "token_id": "ETH_USDT", "from_address": "0xfrom2", "to_address": "0x9bC4a5c2f4bD5b6e2B8E0cAe3a0F9B2f6dB1a0c3", "amount": "53.0305", "status": "Completed", "created_timestamp": 1741062800000, "updated_timestamp": 1741062860000},
    {"tx_id": "T3", "from_address": "0xfrom3", "to_address": "0x9bC4a5c2f4bD5b6e2B8E0cAe3a0F9B2f6dB1a0c3", "amount": "0.0001", "status": "Failed", "failed_reason": "dust", "created_timestamp": 1741062900000, "updated_timestamp": 1741062900001, "risk_level": "low"}
  ],
  "future_field": {"nested": [1, 2, {"deep": null}]},
  "another_new_key": "ignored"
}`

// minimalOrderJSON has exactly the keys the spec marks required.
const minimalOrderJSON = `{"order_id":"O1","chain_id":"TRON","payable_amount":"10.00","receive_address":"TAddr","fee_amount":"0",` +
	`"exchange_rate":"","psp_order_code":"P1","status":"Pending","received_token_amount":"0"}`

func ptr[T any](v T) *T { return &v }

// testOrder is a well-formed Pending order.
func testOrder(id, psp, merchant string) Order {
	return Order{
		OrderID: id, MerchantID: ptr(merchant), PspOrderCode: psp,
		PricingCurrency: ptr("USD"), PricingAmount: ptr("100.00"), FeeAmount: "0.00",
		PayableCurrency: ptr("ETH_USDT"), ChainID: "ETH", PayableAmount: "100.01", ExchangeRate: "0.9999",
		ReceiveAddress: "0x0000000000000000000000000000000000000abc", Status: StatusPending, ReceivedTokenAmount: "0",
		ExpiredAt: ptr(int64(1741064400)), CreatedTimestamp: ptr(int64(1741062600)), UpdatedTimestamp: ptr(int64(1741062600)),
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeCoboError(w http.ResponseWriter, status, code int, msg string) {
	writeJSON(w, status, ErrorBody{ErrorCode: code, ErrorMessage: msg, ErrorID: fmt.Sprintf("err-%d-%d", status, code)})
}

// dropConnection answers nothing: it hijacks the connection and closes it.
func dropConnection(t testing.TB, w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		t.Errorf("the test server's ResponseWriter cannot be hijacked")
		return
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		return
	}
	_ = conn.Close()
}

// seenRequest is one request exactly as the test server received it.
type seenRequest struct {
	Method      string
	RawPath     string // from r.RequestURI, before '?'
	RawQuery    string // from r.RequestURI, after '?'
	Body        []byte
	APIKey      string
	Nonce       string
	Signature   string
	UserAgent   string
	ContentType string
	Accept      string
	SigErr      error // nil when Biz-Api-Key is the test key and the signature verifies
	At          time.Time
}

type handlerFunc func(w http.ResponseWriter, r *http.Request, n int, req seenRequest)

// testServer verifies every request's signature the way Cobo does, over the raw bytes it received, records
// it, and hands it to the test's handler. A request that fails verification gets 401 / 2024.
type testServer struct {
	*httptest.Server
	t       testing.TB
	handler handlerFunc
	mu      sync.Mutex
	seen    []seenRequest
}

func newTestServer(t testing.TB, h handlerFunc) *testServer {
	t.Helper()
	ts := &testServer{t: t, handler: h}
	ts.Server = httptest.NewServer(http.HandlerFunc(ts.serve))
	t.Cleanup(ts.Close)
	return ts
}

func (ts *testServer) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		ts.t.Errorf("reading the request body: %v", err)
		return
	}
	rawPath, rawQuery, _ := strings.Cut(r.RequestURI, "?")
	sr := seenRequest{
		Method: r.Method, RawPath: rawPath, RawQuery: rawQuery, Body: body,
		APIKey: r.Header.Get(HeaderAPIKey), Nonce: r.Header.Get(HeaderNonce), Signature: r.Header.Get(HeaderSignature),
		UserAgent: r.Header.Get("User-Agent"), ContentType: r.Header.Get("Content-Type"), Accept: r.Header.Get("Accept"),
		At: time.Now(),
	}
	if sr.APIKey != testAPIKey {
		sr.SigErr = fmt.Errorf("%s is %q, want %q", HeaderAPIKey, sr.APIKey, testAPIKey)
	} else {
		sr.SigErr = Verify(sr.APIKey, sr.Signature, r.Method, rawPath, sr.Nonce, rawQuery, body)
	}
	ts.mu.Lock()
	ts.seen = append(ts.seen, sr)
	n := len(ts.seen)
	ts.mu.Unlock()
	if sr.SigErr != nil {
		writeCoboError(w, http.StatusUnauthorized, CodeAuthFailed, "test server: "+sr.SigErr.Error())
		return
	}
	ts.handler(w, r, n, sr)
}

func (ts *testServer) requests() []seenRequest {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]seenRequest(nil), ts.seen...)
}

func (ts *testServer) count() int {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return len(ts.seen)
}

// requireSigned fails the test for every recorded request whose signature did not verify.
func (ts *testServer) requireSigned(t testing.TB) {
	t.Helper()
	for i, r := range ts.requests() {
		if r.SigErr != nil {
			t.Errorf("request %d (%s %s?%s): %v", i+1, r.Method, r.RawPath, r.RawQuery, r.SigErr)
		}
	}
}

// newTestClient is a client with fast retries and its own transport, closed when the test ends.
func newTestClient(t testing.TB, baseURL string, mods ...func(*Config)) *Client {
	t.Helper()
	tr := NewTransport()
	t.Cleanup(tr.CloseIdleConnections)
	cfg := Config{
		BaseURL: baseURL, APISecret: testSecret, UserAgent: testUA,
		MaxRetries: 3, Timeout: 5 * time.Second,
		RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond,
		Transport: tr,
	}
	for _, m := range mods {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

func mustContain(t testing.TB, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("%q does not contain %q", s, sub)
		}
	}
}

// readOrExpire reads order O1 (GET) or expires it (PUT) with c, by method.
func readOrExpire(c *Client, method string) error {
	if method == http.MethodGet {
		_, err := c.GetPaymentOrder(context.Background(), "O1")
		return err
	}
	_, err := c.UpdatePaymentOrder(context.Background(), "O1", UpdateOrderRequest{Expired: true})
	return err
}
