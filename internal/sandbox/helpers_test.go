package sandbox_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

// helper calls a /_sandbox route without any signature.
func helper(t *testing.T, root, method, path, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, root+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, _ := io.ReadAll(resp.Body)
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("%s %s: Content-Type %q", method, path, ct)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s %s: %d, not a JSON object: %s", method, path, resp.StatusCode, b)
	}
	return resp.StatusCode, m
}

func wantHelperError(t *testing.T, status int, m map[string]any, wantStatus int, part string) {
	t.Helper()
	msg, _ := m["error"].(string)
	if status != wantStatus || !strings.Contains(msg, part) || len(m) != 1 {
		t.Fatalf("got %d %v, want %d with an error containing %q", status, m, wantStatus, part)
	}
}

func TestHelperRoutes(t *testing.T) {
	t.Parallel()
	srv, c := startSandbox(t, sandbox.Options{Now: fixedClock()})
	root := srv.URL

	st, m := helper(t, root, "GET", "/_sandbox", "")
	if st != 200 || m["api_base"] != "/v2" {
		t.Fatalf("index: %d %v", st, m)
	}
	listed := map[string]bool{}
	for _, h := range m["helpers"].([]any) {
		hm := h.(map[string]any)
		listed[hm["method"].(string)+" "+hm["path"].(string)] = true
	}
	for _, want := range []string{"GET /_sandbox/clock", "POST /_sandbox/clock/advance", "POST /_sandbox/orders/{order_id}/payments",
		"POST /_sandbox/orders/{order_id}/transactions/{tx_id}/confirm", "POST /_sandbox/faults", "DELETE /_sandbox/faults",
		"GET /_sandbox/requests", "DELETE /_sandbox/requests", "PUT /_sandbox/extra-order-fields", "GET /_sandbox/stats", "POST /_sandbox/reset"} {
		if !listed[want] {
			t.Errorf("index does not list %s", want)
		}
	}

	t.Run("clock", func(t *testing.T) {
		st, m := helper(t, root, "GET", "/_sandbox/clock", "")
		if st != 200 || m["now"] != float64(fixedStart.Unix()) {
			t.Fatalf("clock: %d %v", st, m)
		}
		st, m = helper(t, root, "POST", "/_sandbox/clock/advance", `{"seconds": 90}`)
		if st != 200 || m["now"] != float64(fixedStart.Unix()+90) || m["offset_seconds"] != float64(90) {
			t.Fatalf("advance: %d %v", st, m)
		}
		if !srv.Sandbox.Now().Equal(fixedStart.Add(90 * time.Second)) {
			t.Fatalf("Now() = %v", srv.Sandbox.Now())
		}
		st, m = helper(t, root, "POST", "/_sandbox/clock/advance", `{"seconds": -5}`)
		wantHelperError(t, st, m, 400, "seconds")
		st, m = helper(t, root, "POST", "/_sandbox/clock/advance", `{}`)
		wantHelperError(t, st, m, 400, "seconds")
		st, m = helper(t, root, "POST", "/_sandbox/clock/advance", `{"secs": 5}`)
		wantHelperError(t, st, m, 400, "secs")
		st, m = helper(t, root, "GET", "/_sandbox/clock/advance", "")
		wantHelperError(t, st, m, 405, "POST")
	})

	t.Run("payments and confirmation", func(t *testing.T) {
		o := c.create(t, map[string]any{"pricing_currency": nil, "pricing_amount": nil, "payable_amount": "10.00", "fee_amount": "0"})
		st, m := helper(t, root, "POST", "/_sandbox/orders/"+o.OrderID+"/payments", `{"amount": "4.00", "confirmed": false, "tx_hash": "0xfeed", "from_address": "0xpayer"}`)
		if st != 200 || m["status"] != "Processing" || m["received_token_amount"] != "0" {
			t.Fatalf("unconfirmed payment: %d %v", st, m)
		}
		tx := m["transactions"].([]any)[0].(map[string]any)
		if tx["status"] != "Confirming" || tx["sub_status"] != "PendingBlockConfirmations" || tx["tx_hash"] != "0xfeed" || tx["from_address"] != "0xpayer" || tx["amount"] != "4.00" {
			t.Fatalf("transaction: %v", tx)
		}
		st, m = helper(t, root, "POST", "/_sandbox/orders/"+o.OrderID+"/transactions/"+tx["tx_id"].(string)+"/confirm", "")
		if st != 200 || m["status"] != "Processing" || m["received_token_amount"] != "4.00" {
			t.Fatalf("confirm: %d %v", st, m)
		}
		st, m = helper(t, root, "POST", "/_sandbox/orders/"+o.OrderID+"/payments", `{"amount": "6.00"}`)
		if st != 200 || m["status"] != "Completed" || m["received_token_amount"] != "10.00" || m["settlement_status"] != "Pending" {
			t.Fatalf("completing payment: %d %v", st, m)
		}
		if got := c.do("GET", "/v2/payments/orders/"+o.OrderID, "").order(t); got.Status != cobo.StatusCompleted || len(got.Transactions) != 2 {
			t.Fatalf("API view: %s with %d transactions", got.Status, len(got.Transactions))
		}

		st, m = helper(t, root, "POST", "/_sandbox/orders/"+o.OrderID+"/payments", `{"amount": "1.00"}`)
		if txs, _ := m["transactions"].([]any); st != 200 || m["received_token_amount"] != "10.00" || len(txs) != 2 {
			t.Fatalf("a late payment: %d %v, want 200 and the order unchanged", st, m)
		}
		st, m = helper(t, root, "POST", "/_sandbox/orders/O20990101-000001/payments", `{"amount": "1.00"}`)
		wantHelperError(t, st, m, 404, "not found")
		open := c.create(t, nil)
		st, m = helper(t, root, "POST", "/_sandbox/orders/"+open.OrderID+"/payments", `{"amount": "-1"}`)
		wantHelperError(t, st, m, 400, "amount")
		st, m = helper(t, root, "POST", "/_sandbox/orders/"+open.OrderID+"/payments", `{"amount": 5}`)
		wantHelperError(t, st, m, 400, "amount")
		st, m = helper(t, root, "POST", "/_sandbox/orders/"+open.OrderID+"/transactions/tx_missing/confirm", "")
		wantHelperError(t, st, m, 404, "tx_missing")
		st, m = helper(t, root, "GET", "/_sandbox/orders/"+open.OrderID+"/payments", "")
		wantHelperError(t, st, m, 405, "POST")
		st, m = helper(t, root, "POST", "/_sandbox/orders/"+open.OrderID+"/refunds", "")
		wantHelperError(t, st, m, 404, "/_sandbox")

		st, m = helper(t, root, "GET", "/_sandbox/orders?api_key="+c.key(), "")
		if st != 200 || len(m["orders"].([]any)) != len(srv.Sandbox.Orders(c.key())) || len(m["orders"].([]any)) < 2 {
			t.Fatalf("orders: %d %v", st, m)
		}
	})

	t.Run("faults", func(t *testing.T) {
		st, m := helper(t, root, "POST", "/_sandbox/faults", `{"method": "GET", "path": "/v2/payments/orders", "status": 502, "body": "<html>bad gateway</html>", "content_type": "text/html", "retry_after": "3", "times": 2}`)
		if st != 201 || m["fault"].(map[string]any)["status"] != float64(502) {
			t.Fatalf("add fault: %d %v", st, m)
		}
		st, m = helper(t, root, "GET", "/_sandbox/faults", "")
		if f := m["faults"].([]any); st != 200 || len(f) != 1 || f[0].(map[string]any)["times"] != float64(2) {
			t.Fatalf("list faults: %d %v", st, m)
		}
		r := c.do("GET", "/v2/payments/orders", "")
		if r.status != 502 || string(r.body) != "<html>bad gateway</html>" || r.header.Get("Retry-After") != "3" {
			t.Fatalf("faulted request: %d %q", r.status, r.body)
		}
		st, m = helper(t, root, "GET", "/_sandbox/faults", "")
		if f := m["faults"].([]any); st != 200 || len(f) != 1 || f[0].(map[string]any)["times"] != float64(1) {
			t.Fatalf("uses left: %v", m)
		}
		st, m = helper(t, root, "DELETE", "/_sandbox/faults", "")
		if st != 200 || len(srv.Sandbox.Faults()) != 0 {
			t.Fatalf("clear: %d %v", st, m)
		}
		if r := c.do("GET", "/v2/payments/orders", ""); r.status != 200 {
			t.Fatalf("after clearing: %d", r.status)
		}
		st, m = helper(t, root, "POST", "/_sandbox/faults", `{"delay_ms": 200, "method": "POST", "drop_connection": true, "after_commit": true}`)
		if st != 201 || m["fault"].(map[string]any)["delay_ms"] != float64(200) || srv.Sandbox.Faults()[0].Delay != 200*time.Millisecond || !srv.Sandbox.Faults()[0].AfterCommit {
			t.Fatalf("add delay fault: %d %v %+v", st, m, srv.Sandbox.Faults())
		}
		srv.Sandbox.ClearFaults()
		st, m = helper(t, root, "POST", "/_sandbox/faults", `{"status": 503, "bogus": 1}`)
		wantHelperError(t, st, m, 400, "bogus")
		st, m = helper(t, root, "POST", "/_sandbox/faults", `{"method": "GET"}`)
		wantHelperError(t, st, m, 400, "status")
		st, m = helper(t, root, "POST", "/_sandbox/faults", `{"status": 503, "after_commit": true}`)
		wantHelperError(t, st, m, 400, "after_commit")
		if n := len(srv.Sandbox.Faults()); n != 0 {
			t.Fatalf("rejected faults were added: %d", n)
		}
	})

	t.Run("requests, extra fields, stats, reset", func(t *testing.T) {
		st, m := helper(t, root, "GET", "/_sandbox/requests", "")
		reqs := m["requests"].([]any)
		if st != 200 || len(reqs) == 0 || len(reqs) != len(srv.Sandbox.Requests()) {
			t.Fatalf("requests: %d, %d entries", st, len(reqs))
		}
		first := reqs[0].(map[string]any)
		if first["method"] != "POST" || first["path"] != "/v2/payments/orders" || first["status"] != float64(201) || first["api_key"] != c.key() {
			t.Fatalf("first recorded request: %v", first)
		}
		st, _ = helper(t, root, "DELETE", "/_sandbox/requests", "")
		if st != 200 || len(srv.Sandbox.Requests()) != 0 {
			t.Fatalf("clear requests: %d, %d left", st, len(srv.Sandbox.Requests()))
		}

		st, m = helper(t, root, "PUT", "/_sandbox/extra-order-fields", `{"risk_level": "low", "future": {"a": [1, 2]}}`)
		if st != 200 || m["risk_level"] != "low" {
			t.Fatalf("set extra fields: %d %v", st, m)
		}
		r := c.do("GET", "/v2/payments/orders?limit=1", "")
		if !strings.Contains(string(r.body), `"risk_level":"low"`) || !strings.Contains(string(r.body), `"future":{"a":[1,2]}`) {
			t.Fatalf("extra fields missing from the list: %s", r.body)
		}
		st, m = helper(t, root, "PUT", "/_sandbox/extra-order-fields", `[1]`)
		wantHelperError(t, st, m, 400, "JSON object")
		st, m = helper(t, root, "GET", "/_sandbox/extra-order-fields", "")
		if st != 200 || m["risk_level"] != "low" {
			t.Fatalf("get extra fields: %d %v", st, m)
		}

		st, m = helper(t, root, "GET", "/_sandbox/stats", "")
		// API requests so far: 2 creates + 1 GET (payments), 2 GETs (faults), 1 GET (here)
		if st != 200 || m["requests"] != float64(6) || m["connections_opened"].(float64) < 1 {
			t.Fatalf("stats: %d %v", st, m)
		}
		if s := srv.Sandbox.Stats(); float64(s.Requests) != m["requests"] {
			t.Fatalf("stats %+v vs %v", s, m)
		}

		st, m = helper(t, root, "POST", "/_sandbox/reset", "")
		if st != 200 || m["reset"] != true {
			t.Fatalf("reset: %d %v", st, m)
		}
		if n := len(srv.Sandbox.Orders("")); n != 0 {
			t.Fatalf("%d orders after reset", n)
		}
		if !srv.Sandbox.Now().Equal(fixedStart) {
			t.Fatalf("clock offset kept after reset: %v", srv.Sandbox.Now())
		}
		if r := c.do("GET", "/v2/payments/orders", ""); strings.Contains(string(r.body), "risk_level") || !strings.Contains(string(r.body), `"total_count":0`) {
			t.Fatalf("after reset: %s", r.body)
		}
		// ids stay unique after a reset
		o := c.create(t, nil)
		if strings.HasSuffix(o.OrderID, "-000001") {
			t.Fatalf("the order sequence restarted: %s", o.OrderID)
		}

		st, m = helper(t, root, "GET", "/_sandbox/nothing", "")
		wantHelperError(t, st, m, 404, "GET /_sandbox")
		st, m = helper(t, root, "DELETE", "/_sandbox/stats", "")
		wantHelperError(t, st, m, 405, "GET")
	})
}

func TestExtraOrderFields(t *testing.T) {
	t.Parallel()
	srv, c := startSandbox(t, sandbox.Options{})
	srv.Sandbox.SetExtraOrderFields(map[string]any{"new_field": "x", "nested": map[string]any{"k": 1}, "status": "Hijacked", "payment_link": nil})
	check := func(what string, raw json.RawMessage) {
		t.Helper()
		var m map[string]json.RawMessage
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if string(m["new_field"]) != `"x"` || string(m["nested"]) != `{"k":1}` || string(m["payment_link"]) != "null" {
			t.Fatalf("%s: extra fields missing: %s", what, raw)
		}
		if string(m["status"]) == `"Hijacked"` {
			t.Fatalf("%s: an extra field overrode status: %s", what, raw)
		}
		if _, err := cobo.DecodeOrder(raw); err != nil {
			t.Fatalf("%s: cobo.DecodeOrder refuses it: %v", what, err)
		}
	}
	r := c.do("POST", "/v2/payments/orders", createBody(nil))
	check("create", r.body)
	id := r.order(t).OrderID
	check("get", c.do("GET", "/v2/payments/orders/"+id, "").body)
	check("put", c.do("PUT", "/v2/payments/orders/"+id, `{"expired":true}`).body)
	var page struct{ Data []json.RawMessage }
	if err := json.Unmarshal(c.do("GET", "/v2/payments/orders", "").body, &page); err != nil || len(page.Data) != 1 {
		t.Fatalf("list: %v %d", err, len(page.Data))
	}
	check("list", page.Data[0])

	srv.Sandbox.SetExtraOrderFields(nil)
	if body := c.do("GET", "/v2/payments/orders/"+id, "").body; strings.Contains(string(body), "new_field") {
		t.Fatalf("extra fields kept after clearing: %s", body)
	}
}

func TestRecordingStatsAndLog(t *testing.T) {
	t.Parallel()
	var logBuf syncBuffer
	srv, c := startSandbox(t, sandbox.Options{Log: &logBuf})
	c.http = &http.Client{Transport: &http.Transport{}} // a fresh transport: one kept-alive connection
	var signatures []string
	for i := 0; i < 5; i++ {
		target := "/v2/payments/orders?limit=5&merchant_id=M%201"
		nonce := strconv.FormatInt(time.Now().UnixMilli(), 10)
		sig := c.signer.Sign("GET", "/v2/payments/orders", nonce, "limit=5&merchant_id=M%201", nil)
		signatures = append(signatures, sig)
		r := c.send("GET", target, "", map[string]string{cobo.HeaderAPIKey: c.key(), cobo.HeaderNonce: nonce, cobo.HeaderSignature: sig})
		if r.status != 200 {
			t.Fatalf("list: %d %s", r.status, r.body)
		}
	}
	body := createBody(map[string]any{"psp_order_code": "rec-1"})
	if r := c.do("POST", "/v2/payments/orders", body); r.status != 201 {
		t.Fatalf("create: %d", r.status)
	}
	st := srv.Sandbox.Stats()
	if st.ConnectionsOpened != 1 || st.Requests != 6 {
		t.Fatalf("stats = %+v, want 1 connection and 6 requests", st)
	}
	reqs := srv.Sandbox.Requests()
	if len(reqs) != 6 {
		t.Fatalf("%d recorded, want 6", len(reqs))
	}
	if q := reqs[0]; q.Method != "GET" || q.Path != "/v2/payments/orders" || q.Query != "limit=5&merchant_id=M%201" || q.Body != "" || q.Status != 200 || q.APIKey != c.key() || q.Time.IsZero() {
		t.Fatalf("recorded GET = %+v", q)
	}
	if q := reqs[5]; q.Method != "POST" || q.Body != body || q.Status != 201 {
		t.Fatalf("recorded POST = %+v", q)
	}
	// neither the recorded requests nor the log hold signatures or full keys
	encoded, _ := json.Marshal(reqs)
	for _, sig := range signatures {
		if strings.Contains(string(encoded), sig[:16]) || strings.Contains(logBuf.String(), sig[:16]) {
			t.Fatalf("a signature leaked into the records or the log")
		}
	}
	lines := strings.Split(strings.TrimSpace(logBuf.String()), "\n")
	if len(lines) != 6 {
		t.Fatalf("%d log lines, want 6:\n%s", len(lines), logBuf.String())
	}
	if !strings.Contains(lines[0], "GET /v2/payments/orders 200 ") || !strings.Contains(lines[5], "POST /v2/payments/orders 201 ") || !strings.HasSuffix(lines[5], "key="+c.key()[:8]) {
		t.Fatalf("log lines %q", lines)
	}
	if strings.Contains(logBuf.String(), c.key()[:9]) {
		t.Fatalf("the log holds more than 8 characters of the key:\n%s", logBuf.String())
	}
	srv.Sandbox.ResetRequests()
	if n := len(srv.Sandbox.Requests()); n != 0 {
		t.Fatalf("%d requests after ResetRequests", n)
	}
}

func TestRequestsKeepsTheLast10000(t *testing.T) {
	t.Parallel()
	sb := sandbox.New(sandbox.Options{})
	for i := 0; i < 10005; i++ {
		req := httptest.NewRequest("GET", "/v2/payments/orders?i="+strconv.Itoa(i), nil)
		sb.ServeHTTP(httptest.NewRecorder(), req) // unsigned: 401, cheap
	}
	reqs := sb.Requests()
	if len(reqs) != 10000 {
		t.Fatalf("%d recorded, want 10000", len(reqs))
	}
	if reqs[0].Query != "i=5" || reqs[9999].Query != "i=10004" || reqs[0].Status != 401 {
		t.Fatalf("oldest %+v, newest %+v", reqs[0], reqs[9999])
	}
	if sb.Stats().Requests != 10005 {
		t.Fatalf("stats requests = %d", sb.Stats().Requests)
	}
}
