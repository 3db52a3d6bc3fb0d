package sandbox_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox/sandboxtest"
)

// fixedStart is the base clock of the tests that need deterministic timestamps.
var fixedStart = time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC)

func fixedClock() func() time.Time { return func() time.Time { return fixedStart } }

// secretFor derives a distinct, well-formed API secret per name.
func secretFor(name string) string {
	h := sha256.Sum256([]byte("sandbox-test/" + name))
	return hex.EncodeToString(h[:])
}

// apiClient sends signed requests with cobo.Signer (the independent signer lives in auth_test.go).
type apiClient struct {
	t      testing.TB
	root   string
	signer *cobo.Signer
	http   *http.Client
}

func newAPIClient(t testing.TB, root, secret string) *apiClient {
	t.Helper()
	s, err := cobo.NewSigner(secret)
	if err != nil {
		t.Fatal(err)
	}
	return &apiClient{t: t, root: root, signer: s, http: &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{}}}
}

func (c *apiClient) key() string { return c.signer.APIKey() }

type result struct {
	status int
	body   []byte
	header http.Header
}

func (r result) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("answer %d is not a JSON object: %v: %s", r.status, err, r.body)
	}
	return m
}

func (r result) order(t testing.TB) *cobo.Order {
	t.Helper()
	o, err := cobo.DecodeOrder(r.body)
	if err != nil {
		t.Fatalf("answer %d is not an Order: %v: %s", r.status, err, r.body)
	}
	return o
}

var errorIDPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

// wantCoboError asserts a Cobo error answer with the status, code and a message containing every part.
func (r result) wantCoboError(t testing.TB, status, code int, parts ...string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d; body %s", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	var eb cobo.ErrorBody
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&eb); err != nil {
		t.Fatalf("error body is not exactly {error_code, error_message, error_id}: %v: %s", err, r.body)
	}
	if eb.ErrorCode != code {
		t.Errorf("error_code = %d, want %d; message %q", eb.ErrorCode, code, eb.ErrorMessage)
	}
	if !errorIDPattern.MatchString(eb.ErrorID) {
		t.Errorf("error_id = %q, want 32 hex characters", eb.ErrorID)
	}
	for _, p := range parts {
		if !strings.Contains(eb.ErrorMessage, p) {
			t.Errorf("error_message %q does not contain %q", eb.ErrorMessage, p)
		}
	}
}

// do sends a signed request; target is the raw path plus optional "?query", relative to the root URL.
func (c *apiClient) do(method, target, body string) result {
	c.t.Helper()
	path, query, _ := strings.Cut(target, "?")
	nonce := strconv.FormatInt(time.Now().UnixMilli(), 10)
	sig := c.signer.Sign(method, path, nonce, query, []byte(body))
	return c.send(method, target, body, map[string]string{
		cobo.HeaderAPIKey: c.key(), cobo.HeaderNonce: nonce, cobo.HeaderSignature: sig,
	})
}

// send sends a request with exactly the headers given.
func (c *apiClient) send(method, target, body string, headers map[string]string) result {
	c.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, c.root+target, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, target, err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return result{status: resp.StatusCode, body: b, header: resp.Header}
}

// createBody is a valid create request with overrides; a nil override value removes the key.
func createBody(overrides map[string]any) string {
	m := map[string]any{
		"merchant_id":      "M1001",
		"psp_order_code":   uniquePsp("P"),
		"fee_amount":       "2",
		"payable_currency": "ETH_USDT",
		"pricing_currency": "USD",
		"pricing_amount":   "100.00",
	}
	for k, v := range overrides {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	b, _ := json.Marshal(m)
	return string(b)
}

var pspSeq struct {
	sync.Mutex
	n int
}

// uniquePsp returns a psp_order_code unique within the test binary.
func uniquePsp(prefix string) string {
	pspSeq.Lock()
	defer pspSeq.Unlock()
	pspSeq.n++
	return fmt.Sprintf("%s-%05d", prefix, pspSeq.n)
}

func (c *apiClient) create(t testing.TB, overrides map[string]any) *cobo.Order {
	t.Helper()
	over := map[string]any{"psp_order_code": uniquePsp("P")}
	for k, v := range overrides {
		over[k] = v
	}
	r := c.do("POST", "/v2/payments/orders", createBody(over))
	if r.status != http.StatusCreated {
		t.Fatalf("create: status %d: %s", r.status, r.body)
	}
	return r.order(t)
}

func startSandbox(t testing.TB, opts sandbox.Options) (*sandboxtest.Server, *apiClient) {
	t.Helper()
	srv := sandboxtest.New(t, opts)
	return srv, newAPIClient(t, srv.URL, secretFor(t.Name()))
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// syncBuffer is a concurrency-safe log sink.
type syncBuffer = sandboxtest.Buffer
