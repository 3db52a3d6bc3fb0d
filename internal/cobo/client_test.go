package cobo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// orderServer answers every order endpoint with well-formed orders.
func orderServer(t testing.TB) *testServer {
	return newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ int, req seenRequest) {
		// Route on the path below the base URL's path (/v2, /gateway/cobo/v2, ...).
		if i := strings.Index(req.RawPath, "/v2/payments/orders"); i > 0 {
			req.RawPath = req.RawPath[i:]
		}
		switch {
		case r.Method == http.MethodPost && req.RawPath == "/v2/payments/orders":
			var body CreateOrderRequest
			if err := json.Unmarshal(req.Body, &body); err != nil {
				writeCoboError(w, 400, CodeInvalidParameter, err.Error())
				return
			}
			writeJSON(w, http.StatusCreated, testOrder("O-created", body.PspOrderCode, body.MerchantID))
		case r.Method == http.MethodGet && req.RawPath == "/v2/payments/orders":
			writeJSON(w, 200, OrderPage{Data: []Order{testOrder("O-listed", testPsp, "M1001")}, Pagination: Pagination{TotalCount: 1}})
		case strings.HasPrefix(req.RawPath, "/v2/payments/orders/"):
			id, err := url.PathUnescape(strings.TrimPrefix(req.RawPath, "/v2/payments/orders/"))
			if err != nil {
				writeCoboError(w, 400, CodeInvalidParameter, err.Error())
				return
			}
			o := testOrder(id, testPsp, "M1001")
			if r.Method == http.MethodPut {
				o.Status = StatusExpired
			}
			writeJSON(w, 200, o)
		default:
			writeCoboError(w, 404, CodeNotFound, "no route")
		}
	})
}

func TestClientSignsEveryOperation(t *testing.T) {
	t.Parallel()
	ts := orderServer(t)
	c := newTestClient(t, ts.URL+"/v2")
	if c.APIKey() != testAPIKey {
		t.Errorf("APIKey = %s", c.APIKey())
	}
	ctx := context.Background()
	before := time.Now().UnixMilli()

	o, err := c.GetPaymentOrder(ctx, "O20250304-M1001-1001")
	if err != nil || o.OrderID != "O20250304-M1001-1001" {
		t.Fatalf("GetPaymentOrder = %+v, %v", o, err)
	}
	page, err := c.ListPaymentOrders(ctx, ListOrdersParams{Limit: 5, PspOrderCode: testPsp, Statuses: []string{"Pending", "Processing"}})
	if err != nil || len(page.Data) != 1 || page.Data[0].OrderID != "O-listed" {
		t.Fatalf("ListPaymentOrders = %+v, %v", page, err)
	}
	o, err = c.UpdatePaymentOrder(ctx, "O20250304-M1001-1001", UpdateOrderRequest{Expired: true})
	if err != nil || o.Status != StatusExpired {
		t.Fatalf("UpdatePaymentOrder = %+v, %v", o, err)
	}
	o, err = c.CreatePaymentOrder(ctx, CreateOrderRequest{
		MerchantID: "M1001", PspOrderCode: testPsp, FeeAmount: "0.00", PayableCurrency: "ETH_USDT",
		PricingAmount: "100.00", PricingCurrency: "USD", ExpiredIn: ptr(int64(1800)),
	})
	if err != nil || o.OrderID != "O-created" {
		t.Fatalf("CreatePaymentOrder = %+v, %v", o, err)
	}
	after := time.Now().UnixMilli()

	ts.requireSigned(t)
	want := []struct{ method, path, query, body, contentType string }{
		{"GET", "/v2/payments/orders/O20250304-M1001-1001", "", "", ""},
		{"GET", "/v2/payments/orders", "limit=5&psp_order_id=P20240201001&statuses=Pending%2CProcessing", "", ""},
		{"PUT", "/v2/payments/orders/O20250304-M1001-1001", "", readmeVectors[0].body, "application/json"},
		{"POST", "/v2/payments/orders", "", readmeVectors[4].body, "application/json"},
	}
	seen := ts.requests()
	if len(seen) != len(want) {
		t.Fatalf("the server saw %d requests, want %d", len(seen), len(want))
	}
	signer, _ := NewSigner(testSecret)
	var lastNonce int64
	for i, w := range want {
		r := seen[i]
		if r.Method != w.method || r.RawPath != w.path || r.RawQuery != w.query || string(r.Body) != w.body || r.ContentType != w.contentType {
			t.Errorf("request %d: %s %s ? %q body %q content type %q\nwant       %s %s ? %q body %q content type %q",
				i, r.Method, r.RawPath, r.RawQuery, r.Body, r.ContentType, w.method, w.path, w.query, w.body, w.contentType)
		}
		if r.APIKey != testAPIKey || r.UserAgent != testUA || r.Accept != "application/json" {
			t.Errorf("request %d: key %q, User-Agent %q, Accept %q", i, r.APIKey, r.UserAgent, r.Accept)
		}
		// Ed25519 is deterministic: the header must be exactly the signature of what arrived.
		if s := signer.Sign(r.Method, r.RawPath, r.Nonce, r.RawQuery, r.Body); s != r.Signature {
			t.Errorf("request %d: signature %s, want %s", i, r.Signature, s)
		}
		if len(r.Signature) != 128 || strings.ToLower(r.Signature) != r.Signature {
			t.Errorf("request %d: the signature must be 128 lowercase hex characters: %q", i, r.Signature)
		}
		n, err := strconv.ParseInt(r.Nonce, 10, 64)
		if err != nil || n < before || n > after+int64(len(want)) || n <= lastNonce {
			t.Errorf("request %d: nonce %q is not a millisecond time in [%d, %d] after %d", i, r.Nonce, before, after, lastNonce)
		}
		lastNonce = n
	}
}

func TestSignedPathIncludesTheBaseURLPath(t *testing.T) {
	t.Parallel()
	for _, base := range []string{"/v2", "/v2/", "/gateway/cobo/v2"} {
		t.Run(base, func(t *testing.T) {
			ts := orderServer(t)
			c := newTestClient(t, ts.URL+base)
			if _, err := c.GetPaymentOrder(context.Background(), "O1"); err != nil {
				t.Fatalf("GetPaymentOrder: %v", err)
			}
			ts.requireSigned(t)
			r := ts.requests()[0]
			wantPath := strings.TrimSuffix(base, "/") + "/payments/orders/O1"
			if r.RawPath != wantPath {
				t.Errorf("path %q, want %q", r.RawPath, wantPath)
			}
			// Without the base path the signature must not verify: the prefix really is signed.
			if err := Verify(testAPIKey, r.Signature, r.Method, "/payments/orders/O1", r.Nonce, r.RawQuery, r.Body); err == nil {
				t.Error("the signature also verifies without the base URL path")
			}
		})
	}
}

func TestUserAgentIsConfigurable(t *testing.T) {
	t.Parallel()
	for _, ua := range []string{"terraform-provider-cobo/1.2.3 (+https://registry.terraform.io) terraform/1.9.0", "x"} {
		ts := orderServer(t)
		c := newTestClient(t, ts.URL+"/v2", func(cfg *Config) { cfg.UserAgent = ua })
		if _, err := c.ListPaymentOrders(context.Background(), ListOrdersParams{}); err != nil {
			t.Fatal(err)
		}
		if got := ts.requests()[0].UserAgent; got != ua {
			t.Errorf("User-Agent %q, want %q", got, ua)
		}
	}
}

func TestNoncesStrictlyIncreaseUnderConcurrency(t *testing.T) {
	t.Parallel()
	ts := orderServer(t)
	c := newTestClient(t, ts.URL+"/v2")
	const workers, perWorker = 32, 8
	var wg sync.WaitGroup
	errs := make(chan error, workers*perWorker)
	for g := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range perWorker {
				if _, err := c.GetPaymentOrder(context.Background(), fmt.Sprintf("G%02d", g)); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	ts.requireSigned(t)
	seen := ts.requests()
	if len(seen) != workers*perWorker {
		t.Fatalf("the server saw %d requests, want %d", len(seen), workers*perWorker)
	}
	unique := map[string]bool{}
	last := map[string]int64{} // per worker, whose requests are sequential
	for _, r := range seen {
		if unique[r.Nonce] {
			t.Errorf("nonce %s was sent twice", r.Nonce)
		}
		unique[r.Nonce] = true
		n, err := strconv.ParseInt(r.Nonce, 10, 64)
		if err != nil {
			t.Fatalf("nonce %q: %v", r.Nonce, err)
		}
		if n <= last[r.RawPath] {
			t.Errorf("%s: nonce %d after %d", r.RawPath, n, last[r.RawPath])
		}
		last[r.RawPath] = n
	}
}

func TestNextNonceIsStrictlyIncreasing(t *testing.T) {
	t.Parallel()
	c := newTestClient(t, "http://127.0.0.1:1/v2")
	const goroutines, each = 8, 2000
	results := make([][]int64, goroutines)
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				results[g] = append(results[g], c.nextNonce())
			}
		}()
	}
	wg.Wait()
	all := map[int64]bool{}
	for g, rs := range results {
		for i, n := range rs {
			if i > 0 && n <= rs[i-1] {
				t.Fatalf("goroutine %d: nonce %d after %d", g, n, rs[i-1])
			}
			if all[n] {
				t.Fatalf("nonce %d issued twice", n)
			}
			all[n] = true
		}
	}
	if now := time.Now().UnixMilli(); c.lastNonce > now+goroutines*each || c.lastNonce < now-60_000 {
		t.Errorf("the last nonce %d is far from the clock %d", c.lastNonce, now)
	}
}

func TestEachRetryIsFreshlySigned(t *testing.T) {
	t.Parallel()
	for _, method := range []string{http.MethodGet, http.MethodPut} {
		t.Run(method, func(t *testing.T) {
			ts := newTestServer(t, func(w http.ResponseWriter, _ *http.Request, n int, _ seenRequest) {
				if n <= 2 {
					writeCoboError(w, 503, CodeInternal, "busy")
					return
				}
				writeJSON(w, 200, testOrder("O1", testPsp, "M1001"))
			})
			if err := readOrExpire(newTestClient(t, ts.URL+"/v2"), method); err != nil {
				t.Fatal(err)
			}
			ts.requireSigned(t)
			seen := ts.requests()
			if len(seen) != 3 {
				t.Fatalf("%d attempts, want 3", len(seen))
			}
			for i := 1; i < len(seen); i++ {
				a, _ := strconv.ParseInt(seen[i-1].Nonce, 10, 64)
				b, _ := strconv.ParseInt(seen[i].Nonce, 10, 64)
				if b <= a {
					t.Errorf("attempt %d reused or lowered the nonce: %d after %d", i+1, b, a)
				}
				if seen[i].Signature == seen[i-1].Signature {
					t.Errorf("attempt %d reused the signature", i+1)
				}
				if string(seen[i].Body) != string(seen[0].Body) {
					t.Errorf("attempt %d sent a different body: %q", i+1, seen[i].Body)
				}
			}
		})
	}
}

func TestOrderIDsNeverEscapeTheirPathSegment(t *testing.T) {
	t.Parallel()
	ts := orderServer(t)
	c := newTestClient(t, ts.URL+"/v2")
	ctx := context.Background()
	for _, id := range []string{"../x", "a/b", "x?y=1", "a#b", "100%", "a b", "é", "", ".", "..", "%2e%2e", `..\x`, "a\x00", "a\r\nX-Injected: 1"} {
		_, err := c.GetPaymentOrder(ctx, id)
		if err == nil || !strings.Contains(err.Error(), "order_id") {
			t.Errorf("GetPaymentOrder(%q) = %v, want an error naming order_id", id, err)
		}
		_, err = c.UpdatePaymentOrder(ctx, id, UpdateOrderRequest{Expired: true})
		if err == nil || !strings.Contains(err.Error(), "order_id") {
			t.Errorf("UpdatePaymentOrder(%q) = %v, want an error naming order_id", id, err)
		}
	}
	if n := ts.count(); n != 0 {
		t.Fatalf("invalid order ids reached the server %d times: %+v", n, ts.requests())
	}

	// Accepted ids reach exactly one escaped segment under /v2/payments/orders/.
	for _, id := range []string{"O20250304-M1001-1001", "a;b", "a,b", "x:y@z", "a+b", "(x)!*'", "{id}", "a=b&c", "...", "~"} {
		before := ts.count()
		o, err := c.GetPaymentOrder(ctx, id)
		if err != nil {
			t.Errorf("GetPaymentOrder(%q): %v", id, err)
			continue
		}
		r := ts.requests()[before]
		seg, ok := strings.CutPrefix(r.RawPath, "/v2/payments/orders/")
		if !ok || strings.ContainsAny(seg, "/?#") || r.RawQuery != "" {
			t.Errorf("id %q reached %s?%s", id, r.RawPath, r.RawQuery)
		}
		if seg != url.PathEscape(id) {
			t.Errorf("id %q was sent as %q, want %q", id, seg, url.PathEscape(id))
		}
		if o.OrderID != id {
			t.Errorf("id %q: the server saw %q", id, o.OrderID)
		}
	}
	if r := ts.requests()[0]; r.RawPath != "/v2/payments/orders/O20250304-M1001-1001" {
		t.Errorf("a normal id reached %q", r.RawPath)
	}
	ts.requireSigned(t)
}

func TestListPaymentOrdersValidatesBeforeTheNetwork(t *testing.T) {
	t.Parallel()
	ts := orderServer(t)
	c := newTestClient(t, ts.URL+"/v2")
	for _, p := range []ListOrdersParams{{Limit: 51}, {Limit: -3}, {Before: "a", After: "b"}} {
		if _, err := c.ListPaymentOrders(context.Background(), p); err == nil {
			t.Errorf("ListPaymentOrders(%+v) succeeded", p)
		}
	}
	if n := ts.count(); n != 0 {
		t.Errorf("invalid parameters reached the server %d times", n)
	}
}

func TestNewValidatesConfig(t *testing.T) {
	t.Parallel()
	bad := []string{"", "api.dev.cobo.com/v2", "ftp://api.cobo.com/v2", "https://", "https://api.cobo.com/v2?x=1", "https://api.cobo.com/v2#frag", "://x"}
	for _, u := range bad {
		_, err := New(Config{BaseURL: u, APISecret: testSecret})
		if err == nil || !strings.Contains(err.Error(), "base URL") {
			t.Errorf("New(BaseURL %q) = %v, want a base URL error", u, err)
		}
	}
	// A path that is not the API base (decisions.go, APIBasePathSuffix) names the URL and the fix.
	for u, suggestion := range map[string]string{
		"https://api.cobo.com":         "https://api.cobo.com/v2",
		"https://api.cobo.com/":        "https://api.cobo.com/v2",
		"http://127.0.0.1:18080/v1":    "http://127.0.0.1:18080/v1/v2",
		"https://gw.example/cobo/v22/": "https://gw.example/cobo/v22/v2",
	} {
		_, err := New(Config{BaseURL: u, APISecret: testSecret})
		if err == nil {
			t.Errorf("New(BaseURL %q) accepted a path that is not the API base", u)
			continue
		}
		mustContain(t, err.Error(), "whose path ends in /v2", fmt.Sprintf("got %q", u), fmt.Sprintf("Did you mean %q", suggestion))
	}
	for _, u := range []string{"https://gw.example/cobo/v2", "http://127.0.0.1:1/v2/"} {
		if _, err := New(Config{BaseURL: u, APISecret: testSecret}); err != nil {
			t.Errorf("New(BaseURL %q) = %v", u, err)
		}
	}
	_, err := New(Config{BaseURL: DevBaseURL, APISecret: testSecret[:60] + "zzzz"})
	if !errors.Is(err, ErrMalformedSecret) || strings.Contains(err.Error(), testSecret[:60]) {
		t.Errorf("New with a bad secret = %v", err)
	}
	c, err := New(Config{BaseURL: ProdBaseURL + "/", APISecret: testSecret, MaxRetries: -5})
	if err != nil {
		t.Fatal(err)
	}
	if c.BaseURL() != ProdBaseURL || c.APIKey() != testAPIKey {
		t.Errorf("BaseURL %q, APIKey %q", c.BaseURL(), c.APIKey())
	}
	if c.cfg.MaxRetries != 0 || c.cfg.Timeout != DefaultTimeout || c.cfg.RetryWaitMin != DefaultRetryWaitMin ||
		c.cfg.RetryWaitMax != DefaultRetryWaitMax || c.cfg.MaxResponseBytes != DefaultMaxResponseBytes || c.cfg.Transport == nil || c.limiter != nil {
		t.Errorf("defaults not applied: %+v", c.cfg)
	}
}

func TestNewTransportKeepsConnectionsForParallelism(t *testing.T) {
	t.Parallel()
	tr := NewTransport()
	if tr.MaxIdleConnsPerHost < 10 || tr.MaxIdleConns < tr.MaxIdleConnsPerHost || tr.IdleConnTimeout <= 0 {
		t.Errorf("transport %d/%d/%v", tr.MaxIdleConns, tr.MaxIdleConnsPerHost, tr.IdleConnTimeout)
	}
	if tr == http.DefaultTransport {
		t.Error("NewTransport must not return the shared default transport")
	}
}

func TestClientReusesConnections(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	remotes := map[string]bool{}
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ int, _ seenRequest) {
		mu.Lock()
		remotes[r.RemoteAddr] = true
		mu.Unlock()
		writeJSON(w, 200, testOrder("O1", testPsp, "M1001"))
	})
	c := newTestClient(t, ts.URL+"/v2")
	for range 20 {
		if _, err := c.GetPaymentOrder(context.Background(), "O1"); err != nil {
			t.Fatal(err)
		}
	}
	if len(remotes) != 1 {
		t.Errorf("20 sequential requests used %d connections, want 1", len(remotes))
	}
}

func TestMaxResponseBytes(t *testing.T) {
	t.Parallel()
	body, _ := json.Marshal(testOrder("O1", testPsp, "M1001"))
	body = append(body, '\n') // json.Encoder adds one
	ts := newTestServer(t, func(w http.ResponseWriter, _ *http.Request, _ int, _ seenRequest) {
		writeJSON(w, 200, testOrder("O1", testPsp, "M1001"))
	})
	atCap := newTestClient(t, ts.URL+"/v2", func(cfg *Config) { cfg.MaxResponseBytes = int64(len(body)) })
	if o, err := atCap.GetPaymentOrder(context.Background(), "O1"); err != nil || o.OrderID != "O1" {
		t.Fatalf("a body of exactly MaxResponseBytes: %+v, %v", o, err)
	}
	// An answer too large to read would be too large again: it is not retried.
	before := ts.count()
	overCap := newTestClient(t, ts.URL+"/v2", func(cfg *Config) { cfg.MaxResponseBytes = int64(len(body)) - 1; cfg.MaxRetries = 3 })
	o, err := overCap.GetPaymentOrder(context.Background(), "O1")
	if err == nil || o != nil {
		t.Fatalf("a body over MaxResponseBytes was accepted: %+v", o)
	}
	mustContain(t, err.Error(), fmt.Sprintf("larger than %d bytes", len(body)-1), "GET "+ts.URL+"/v2/payments/orders/O1 is larger")
	if n := ts.count() - before; n != 1 {
		t.Errorf("an oversized answer was requested %d times, want 1", n)
	}

	// A huge answer (well over the cap) is an error too, not a panic or an unbounded read.
	huge := newTestServer(t, func(w http.ResponseWriter, _ *http.Request, _ int, _ seenRequest) {
		w.Header().Set("Content-Type", "application/json")
		chunk := []byte(strings.Repeat(" ", 64<<10))
		for range 64 { // 4 MiB
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	small := newTestClient(t, huge.URL+"/v2", func(cfg *Config) { cfg.MaxResponseBytes = 1 << 10; cfg.MaxRetries = 0 })
	if _, err := small.ListPaymentOrders(context.Background(), ListOrdersParams{}); err == nil || !strings.Contains(err.Error(), "larger than 1024 bytes") {
		t.Errorf("huge answer: %v", err)
	}
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	ts := orderServer(t)
	c := newTestClient(t, ts.URL+"/v2", func(cfg *Config) { cfg.RequestsPerSecond = 20 })
	start := time.Now()
	for range 5 {
		if _, err := c.GetPaymentOrder(context.Background(), "O1"); err != nil {
			t.Fatal(err)
		}
	}
	// 20/s with a burst of 1: the 4 requests after the first wait ~50ms each.
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("5 requests at 20/s took %v, want at least 150ms", d)
	}
	seen := ts.requests()
	if gap := seen[4].At.Sub(seen[0].At); gap < 150*time.Millisecond {
		t.Errorf("the server saw 5 requests within %v", gap)
	}
}

func TestRateLimitRespectsContext(t *testing.T) {
	t.Parallel()
	ts := orderServer(t)
	c := newTestClient(t, ts.URL+"/v2", func(cfg *Config) { cfg.RequestsPerSecond = 0.1; cfg.MaxRetries = 0 })
	if _, err := c.GetPaymentOrder(context.Background(), "O1"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.GetPaymentOrder(ctx, "O1")
	var tErr *TransportError
	if !errors.As(err, &tErr) {
		t.Fatalf("a rate-limited request past its deadline: %T %v", err, err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("waited %v for a 10s rate-limit slot with a 100ms deadline", d)
	}
	if n := ts.count(); n != 1 {
		t.Errorf("the server saw %d requests, want 1", n)
	}
}

type recordingLogger struct {
	mu      sync.Mutex
	entries []string
}

func (l *recordingLogger) Debug(_ context.Context, msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, fmt.Sprintf("%s %v", msg, fields))
}

func TestLoggerNeverSeesSecretsSignaturesOrBodies(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request, n int, _ seenRequest) {
		if n == 1 {
			w.Header().Set("Retry-After", "0")
			writeCoboError(w, 503, CodeInternal, "busy")
			return
		}
		if r.Method == http.MethodPut {
			writeJSON(w, 200, testOrder("O1", "SECRET-PSP-IN-BODY", "M1001"))
			return
		}
		writeJSON(w, 200, testOrder("O1", testPsp, "M1001"))
	})
	logger := &recordingLogger{}
	c := newTestClient(t, ts.URL+"/v2", func(cfg *Config) { cfg.Logger = logger })
	if _, err := c.UpdatePaymentOrder(context.Background(), "O1", UpdateOrderRequest{Expired: true}); err != nil {
		t.Fatal(err)
	}
	if len(logger.entries) < 3 {
		t.Fatalf("expected request, retry and request log entries, got %q", logger.entries)
	}
	all := strings.Join(logger.entries, "\n")
	mustContain(t, all, "retrying Cobo API request", "status:503", "method:PUT", "path:/payments/orders/O1", "attempt:1", "wait_ms:")
	forbidden := []string{testSecret, "expired", "SECRET-PSP-IN-BODY"}
	for _, r := range ts.requests() {
		forbidden = append(forbidden, r.Signature)
	}
	for _, f := range forbidden {
		if strings.Contains(all, f) {
			t.Errorf("the log contains %q:\n%s", f, all)
		}
	}
}
