package sandbox_test

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

// independentSign implements Cobo's documented algorithm without package cobo: build
// METHOD|PATH|NONCE|QUERY|BODY, SHA-256 it twice, Ed25519-sign the second digest.
func independentSign(seed []byte, method, path, nonce, query string, body []byte) string {
	msg := make([]byte, 0, len(method)+len(path)+len(nonce)+len(query)+len(body)+4)
	msg = append(msg, method...)
	msg = append(msg, '|')
	msg = append(msg, path...)
	msg = append(msg, '|')
	msg = append(msg, nonce...)
	msg = append(msg, '|')
	msg = append(msg, query...)
	msg = append(msg, '|')
	msg = append(msg, body...)
	first := sha256.Sum256(msg)
	second := sha256.Sum256(first[:])
	return hex.EncodeToString(ed25519.Sign(ed25519.NewKeyFromSeed(seed), second[:]))
}

// The README's test vectors.
const (
	vectorSecret = "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20"
	vectorKey    = "79b5562e8fe654f94078b112e8a98ba7901f853ae695bed7e0e3910bad049664"
)

func vectorSeed(t testing.TB) []byte {
	seed, err := hex.DecodeString(vectorSecret)
	if err != nil {
		t.Fatal(err)
	}
	return seed
}

func TestIndependentSignerMatchesReadmeVectors(t *testing.T) {
	t.Parallel()
	seed := vectorSeed(t)
	if got := hex.EncodeToString(ed25519.NewKeyFromSeed(seed).Public().(ed25519.PublicKey)); got != vectorKey {
		t.Fatalf("API key = %s, want %s", got, vectorKey)
	}
	const nonce = "1700000000000"
	for _, v := range []struct{ method, path, query, body, sig string }{
		{"PUT", "/v2/payments/orders/O20250304-M1001-1001", "", `{"expired":true}`, "d2f467cb5c35be853458e541b2f3ab70789bdece3eb2f95e348bc6a26c33bd4ae1357584f70b9a77c46968b6945b9d62a8529dd2c45dd2a1d0bb65982239a70e"},
		{"GET", "/v2/payments/orders", "limit=10&merchant_id=M1001&statuses=Pending%2CProcessing", "", "a43e45c65ce76ba56f4fea6131d1a1c802f4950c08cba603cd6fd9c7da4c1472c9c90dcfff627959d08fc7b9d3f1ebba8522b768cfa3a5e6ffe63d2b6bd6a90d"},
		{"PUT", "/v2/payments/orders/O20250304-M1001-1001", "", "{\"expired\":true}\n", "402a5971c47b862bd649a800374c3fef6790400fc2c1927472c5c0706a0f3929bc690ab3acdb8dec79346278c1eca805b15093f55b79576936958a5eb65a980f"},
		{"PUT", "/v2/payments/orders/O20250304-M1001-1001", "", `{"expired": true}`, "e8ca913d5f48f09bd59362736906e91d3efa702e285debadbee6a1cc6cccf6130282b1b29df3554ee57d7b74240631ef7f4ffe8d096fe101fc6be4e3ecefd801"},
		{"POST", "/v2/payments/orders", "", `{"merchant_id":"M1001","psp_order_code":"P20240201001","fee_amount":"0.00","payable_currency":"ETH_USDT","pricing_amount":"100.00","pricing_currency":"USD","expired_in":1800}`, "58f847d33d15d9f2759ca66484975718c4105cb24e1f5818778f3ba725c1f91a7e9668feff14c0a5feb3b391bc435c26d26e44d2f62b54fe05829e2bf90f5d06"},
	} {
		if got := independentSign(seed, v.method, v.path, nonce, v.query, []byte(v.body)); got != v.sig {
			t.Errorf("%s %s %q: signature %s, want %s", v.method, v.path, v.body, got, v.sig)
		}
	}
}

// independentHeaders signs with the independent implementation and a fresh nonce.
func independentHeaders(seed []byte, key, method, path, query, body string) map[string]string {
	nonce := strconv.FormatInt(time.Now().UnixMilli(), 10)
	return map[string]string{
		cobo.HeaderAPIKey:    key,
		cobo.HeaderNonce:     nonce,
		cobo.HeaderSignature: independentSign(seed, method, path, nonce, query, []byte(body)),
	}
}

func TestIndependentlySignedRequestsAccepted(t *testing.T) {
	t.Parallel()
	srv, _ := startSandbox(t, sandbox.Options{AllowedAPIKeys: []string{strings.ToUpper(vectorKey)}})
	seed := vectorSeed(t)
	c := newAPIClient(t, srv.URL, vectorSecret) // only its transport is used: every request below is signed independently
	send := func(method, path, query, body string) result {
		target := path
		if query != "" {
			target += "?" + query
		}
		return c.send(method, target, body, independentHeaders(seed, vectorKey, method, path, query, body))
	}

	createJSON := `{"merchant_id":"M1001","psp_order_code":"P20240201001","fee_amount":"0.00","payable_currency":"ETH_USDT","pricing_amount":"100.00","pricing_currency":"USD","expired_in":1800}`
	r := send("POST", "/v2/payments/orders", "", createJSON)
	if r.status != 201 {
		t.Fatalf("create signed independently: %d %s", r.status, r.body)
	}
	o := r.order(t)
	if o.PayableAmount != "101.01" || o.PspOrderCode != "P20240201001" {
		t.Fatalf("created %+v", o)
	}

	r = send("GET", "/v2/payments/orders", "limit=10&merchant_id=M1001&statuses=Pending%2CProcessing", "")
	if r.status != 200 || !strings.Contains(string(r.body), o.OrderID) || !strings.Contains(string(r.body), `"total_count":1`) {
		t.Fatalf("list with an escaped query: %d %s", r.status, r.body)
	}

	// a raw path with an escape is verified as sent, then unescaped once to find the order
	escapedPath := "/v2/payments/orders/" + strings.Replace(o.OrderID, "-", "%2D", 1)
	if r = send("GET", escapedPath, "", ""); r.status != 200 || r.order(t).OrderID != o.OrderID {
		t.Fatalf("escaped path: %d %s", r.status, r.body)
	}

	path := "/v2/payments/orders/" + o.OrderID
	r = send("PUT", path, "", "{\"expired\":true}\n") // Go's json.Encoder
	if r.status != 200 || r.order(t).Status != cobo.StatusExpired {
		t.Fatalf("PUT with a trailing newline: %d %s", r.status, r.body)
	}
	r = send("PUT", path, "", `{"expired": true}`) // Python's json.dumps
	if r.status != 200 || r.order(t).Status != cobo.StatusExpired {
		t.Fatalf("PUT with a space: %d %s", r.status, r.body)
	}

	// the same request with one flipped byte is refused, wherever the byte is
	body := []byte(`{"expired": true}`)
	h := independentHeaders(seed, vectorKey, "PUT", path, "", string(body))
	flipped := append([]byte(nil), body...)
	flipped[2] ^= 0x01
	c.send("PUT", path, string(flipped), h).wantCoboError(t, 401, cobo.CodeAuthFailed, "signature")
	sig := []byte(h[cobo.HeaderSignature])
	if sig[10] == '0' {
		sig[10] = '1'
	} else {
		sig[10] = '0'
	}
	h2 := map[string]string{cobo.HeaderAPIKey: h[cobo.HeaderAPIKey], cobo.HeaderNonce: h[cobo.HeaderNonce], cobo.HeaderSignature: string(sig)}
	c.send("PUT", path, string(body), h2).wantCoboError(t, 401, cobo.CodeAuthFailed, "signature")
	// the untouched request still passes, so the refusals above were about the flipped bytes
	if r := c.send("PUT", path, string(body), h); r.status != 200 {
		t.Fatalf("the original request: %d %s", r.status, r.body)
	}
	if n := srv.Sandbox.OrderCountByPspOrderCode(vectorKey, "P20240201001"); n != 1 {
		t.Fatalf("%d orders for the vector key, want 1", n)
	}
}

func TestAuthenticationFailures(t *testing.T) {
	t.Parallel()
	allowed := newAPIClient(t, "", secretFor("allowed"))
	srv, _ := startSandbox(t, sandbox.Options{AllowedAPIKeys: []string{allowed.key()}})
	allowed.root = srv.URL
	stranger := newAPIClient(t, srv.URL, secretFor("stranger"))
	seed, _ := hex.DecodeString(secretFor("allowed"))
	path := "/v2/payments/orders"
	body := createBody(nil)
	good := func() map[string]string { return independentHeaders(seed, allowed.key(), "POST", path, "", body) }
	with := func(k, v string) map[string]string {
		h := good()
		if v == "" {
			delete(h, k)
		} else {
			h[k] = v
		}
		return h
	}
	nonceAt := func(d time.Duration) map[string]string {
		n := strconv.FormatInt(time.Now().Add(d).UnixMilli(), 10)
		return map[string]string{cobo.HeaderAPIKey: allowed.key(), cobo.HeaderNonce: n, cobo.HeaderSignature: independentSign(seed, "POST", path, n, "", []byte(body))}
	}
	strangerHeaders := func() map[string]string {
		n := strconv.FormatInt(time.Now().UnixMilli(), 10)
		return map[string]string{cobo.HeaderAPIKey: stranger.key(), cobo.HeaderNonce: n, cobo.HeaderSignature: stranger.signer.Sign("POST", path, n, "", []byte(body))}
	}
	wrongPath := func() map[string]string {
		n := strconv.FormatInt(time.Now().UnixMilli(), 10)
		return map[string]string{cobo.HeaderAPIKey: allowed.key(), cobo.HeaderNonce: n, cobo.HeaderSignature: independentSign(seed, "POST", "/payments/orders", n, "", []byte(body))}
	}

	cases := []struct {
		name    string
		headers map[string]string
		body    string
		target  string
		part    string
	}{
		{"missing key", with(cobo.HeaderAPIKey, ""), body, path, cobo.HeaderAPIKey},
		{"missing nonce", with(cobo.HeaderNonce, ""), body, path, cobo.HeaderNonce},
		{"missing signature", with(cobo.HeaderSignature, ""), body, path, cobo.HeaderSignature},
		{"no headers at all", map[string]string{}, body, path, "missing"},
		{"short key", with(cobo.HeaderAPIKey, allowed.key()[:63]), body, path, "64 hexadecimal"},
		{"non-hex signature", with(cobo.HeaderSignature, strings.Repeat("zz", 64)), body, path, "128 hexadecimal"},
		{"nonce not a number", with(cobo.HeaderNonce, "yesterday"), body, path, "milliseconds"},
		{"nonce in seconds", with(cobo.HeaderNonce, strconv.FormatInt(time.Now().Unix(), 10)), body, path, "nonce"},
		{"stale nonce", nonceAt(-6 * time.Minute), body, path, "nonce"},
		{"future nonce", nonceAt(6 * time.Minute), body, path, "nonce"},
		{"body corrupted after signing", good(), strings.Replace(body, "M1001", "M1002", 1), path, "signature"},
		{"query added after signing", good(), body, path + "?x=1", "signature"},
		{"signed without /v2", wrongPath(), body, path, "signature"},
		{"key not allowed", strangerHeaders(), body, path, "not registered"},
		{"unknown path still needs a signature", good(), body, "/v2/nothing", "signature"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := allowed.send("POST", tc.target, tc.body, tc.headers)
			r.wantCoboError(t, cobo.BadSignature.HTTPStatus, cobo.BadSignature.Code, tc.part)
			if sig := tc.headers[cobo.HeaderSignature]; len(sig) >= 16 && strings.Contains(string(r.body), sig[:16]) {
				t.Errorf("the error echoes more than 8 characters of the signature: %s", r.body)
			}
		})
	}
	if n := len(srv.Sandbox.Orders("")); n != 0 {
		t.Fatalf("%d orders stored by refused requests", n)
	}
	// within the window and correctly signed: accepted (so the refusals above are not vacuous)
	if r := allowed.send("POST", path, body, nonceAt(-4*time.Minute)); r.status != 201 {
		t.Fatalf("a 4-minute-old nonce: %d %s", r.status, r.body)
	}
	// the business clock does not move the nonce window
	srv.Sandbox.Advance(24 * time.Hour)
	if r := allowed.do("GET", path, ""); r.status != 200 {
		t.Fatalf("after Advance: %d %s", r.status, r.body)
	}
}

func TestAnyWellFormedKeyWhenNoneConfigured(t *testing.T) {
	t.Parallel()
	srv, _ := startSandbox(t, sandbox.Options{})
	for i := 0; i < 3; i++ {
		c := newAPIClient(t, srv.URL, secretFor("any-"+strconv.Itoa(i)))
		c.create(t, map[string]any{"psp_order_code": "same-code"})
		if n := srv.Sandbox.OrderCountByPspOrderCode(strings.ToUpper(c.key()), "same-code"); n != 1 {
			t.Fatalf("org %d: %d orders", i, n)
		}
	}
	if n := len(srv.Sandbox.Orders("")); n != 3 {
		t.Fatalf("%d orders in all, want 3", n)
	}
}

// The Go SDK signs the decoded path (url.URL.Path) and sends the escaped one; the JS SDK signs the
// escaped path it sends. Both are accepted, and nothing else: not a signature over another path, not
// one over a path decoded twice.
func TestSignatureOverEscapedOrDecodedPath(t *testing.T) {
	t.Parallel()
	_, c := startSandbox(t, sandbox.Options{})
	sent := "/v2/payments/orders/a%2Ab" // the order id a*b, escaped as url.PathEscape does
	signedOver := func(path string) result {
		nonce := strconv.FormatInt(time.Now().UnixMilli(), 10)
		return c.send("GET", sent, "", map[string]string{
			cobo.HeaderAPIKey: c.key(), cobo.HeaderNonce: nonce,
			cobo.HeaderSignature: c.signer.Sign("GET", path, nonce, "", nil),
		})
	}
	// authenticated: the answer is "no such order a*b", not an authentication failure
	signedOver(sent).wantCoboError(t, 404, cobo.CodeNotFound, `"a*b"`)
	signedOver("/v2/payments/orders/a*b").wantCoboError(t, 404, cobo.CodeNotFound, `"a*b"`)
	for _, wrong := range []string{"/v2/payments/orders/a%2ab", "/v2/payments/orders/ab", "/v2/payments/orders/a*b/", "/v2/payments/orders"} {
		signedOver(wrong).wantCoboError(t, 401, cobo.CodeAuthFailed, "does not match")
	}

	// a path decoded twice is not a form of the path received
	sentTwice := "/v2/payments/orders/a%252Ab"
	nonce := strconv.FormatInt(time.Now().UnixMilli(), 10)
	c.send("GET", sentTwice, "", map[string]string{
		cobo.HeaderAPIKey: c.key(), cobo.HeaderNonce: nonce,
		cobo.HeaderSignature: c.signer.Sign("GET", "/v2/payments/orders/a*b", nonce, "", nil),
	}).wantCoboError(t, 401, cobo.CodeAuthFailed, "does not match")

	// the same for a list query and a PUT with a body: the decoded path of an order that exists
	o := c.create(t, nil)
	escapedID := "/v2/payments/orders/" + strings.Replace(o.OrderID, "-", "%2D", 1)
	nonce = strconv.FormatInt(time.Now().UnixMilli(), 10)
	body := `{"expired":true}`
	r := c.send("PUT", escapedID, body, map[string]string{
		cobo.HeaderAPIKey: c.key(), cobo.HeaderNonce: nonce,
		cobo.HeaderSignature: c.signer.Sign("PUT", "/v2/payments/orders/"+o.OrderID, nonce, "", []byte(body)),
	})
	if r.status != 200 || r.order(t).Status != cobo.StatusExpired {
		t.Fatalf("PUT signed over the decoded path: %d %s, want 200 and Expired", r.status, r.body)
	}
}

// discardWriter is a minimal http.ResponseWriter for driving the handler without a network.
type discardWriter struct {
	h      http.Header
	status int
}

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (d *discardWriter) WriteHeader(s int)           { d.status = s }

// BenchmarkSignedGet drives the handler directly with a pre-signed GET of one order: signature
// verification, lookup, lifecycle and encoding. Run with -cpu 1 to see the single-core rate.
func BenchmarkSignedGet(b *testing.B) {
	sb := sandbox.New(sandbox.Options{})
	signer, err := cobo.NewSigner(secretFor("bench"))
	if err != nil {
		b.Fatal(err)
	}
	sign := func(method, path, body string) http.Header {
		h := http.Header{}
		signer.SetHeaders(h, method, path, strconv.FormatInt(time.Now().UnixMilli(), 10), "", []byte(body))
		return h
	}
	body := createBody(nil)
	rec := httptest.NewRecorder()
	create := httptest.NewRequest("POST", "/v2/payments/orders", strings.NewReader(body))
	create.Header = sign("POST", "/v2/payments/orders", body)
	sb.ServeHTTP(rec, create)
	if rec.Code != 201 {
		b.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	o, err := cobo.DecodeOrder(rec.Body.Bytes())
	if err != nil {
		b.Fatal(err)
	}
	path := "/v2/payments/orders/" + o.OrderID
	headers := sign("GET", path, "")

	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		r := httptest.NewRequest("GET", path, nil)
		r.Header = headers
		w := &discardWriter{h: http.Header{}}
		sb.ServeHTTP(w, r)
		if w.status != 200 {
			b.Fatalf("GET: %d", w.status)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
}
