package contract_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/contract"
)

// rawClient sends signed requests exactly as given (bad input the real client never sends), through
// the validating transport.
type rawClient struct {
	t      *testing.T
	root   string
	signer *cobo.Signer
	http   *http.Client
}

func newRawClient(t *testing.T, v *contract.Validator, root, secret string) *rawClient {
	t.Helper()
	s, err := cobo.NewSigner(secret)
	if err != nil {
		t.Fatal(err)
	}
	return &rawClient{t: t, root: root, signer: s, http: &http.Client{Timeout: 30 * time.Second, Transport: v.Transport(&http.Transport{})}}
}

// want sends a signed request and asserts Cobo's error answer with status and error_code.
func (c *rawClient) want(method, path, query, body string, status, code int) {
	c.t.Helper()
	c.check(c.sendSigned(method, path, query, body), status, code)
}

// sendSigned sends a request signed now.
func (c *rawClient) sendSigned(method, path, query, body string) rawAnswer {
	c.t.Helper()
	headers := http.Header{}
	c.signer.SetHeaders(headers, method, path, strconv.FormatInt(time.Now().UnixMilli(), 10), query, []byte(body))
	return c.send(method, path, query, body, headers)
}

// wantUnsigned sends a request without the Biz-Api-* headers.
func (c *rawClient) wantUnsigned(method, path, body string, status, code int) {
	c.t.Helper()
	c.check(c.send(method, path, "", body, nil), status, code)
}

type rawAnswer struct {
	method, target string
	status         int
	body           []byte
}

func (c *rawClient) send(method, path, query, body string, headers http.Header) rawAnswer {
	c.t.Helper()
	target := c.root + path
	if query != "" {
		target += "?" + query
	}
	req, err := http.NewRequest(method, target, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range headers {
		req.Header[k] = v
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, target, err)
	}
	defer func() { _ = resp.Body.Close() }()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return rawAnswer{method: method, target: path, status: resp.StatusCode, body: data}
}

func (c *rawClient) check(a rawAnswer, status, code int) {
	c.t.Helper()
	var e cobo.ErrorBody
	_ = json.Unmarshal(a.body, &e)
	if a.status != status || e.ErrorCode != code {
		c.t.Errorf("%s %s: got HTTP %d / %d, want %d / %d: %s", a.method, a.target, a.status, e.ErrorCode, status, code, a.body)
	}
}
