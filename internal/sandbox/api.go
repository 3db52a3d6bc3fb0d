package sandbox

import (
	"encoding/hex"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

const (
	apiPrefix    = "/v2"
	ordersPath   = apiPrefix + "/payments/orders"
	helperPrefix = "/_sandbox"
)

// serveAPI authenticates and routes one /v2 (or unknown) request.
func (s *Sandbox) serveAPI(method, path, query string, header http.Header, body []byte) *response {
	if path != apiPrefix && !strings.HasPrefix(path, apiPrefix+"/") {
		return decisionError(cobo.UnknownOrder, "no such path %q: the API is served under %s (for example %s) and the sandbox helpers under %s", truncate(path, 100), apiPrefix, ordersPath, helperPrefix)
	}
	org, errResp := s.authenticate(method, path, query, header, body)
	if errResp != nil {
		return errResp
	}
	switch {
	case path == ordersPath:
		switch method {
		case http.MethodPost:
			return s.createOrder(org, body)
		case http.MethodGet:
			return s.listOrders(org, query)
		}
		return methodNotAllowed(method, "/payments/orders", "GET, POST")
	case strings.HasPrefix(path, ordersPath+"/"):
		seg := path[len(ordersPath)+1:]
		if seg == "" || strings.Contains(seg, "/") {
			break
		}
		id, err := url.PathUnescape(seg)
		if err != nil {
			return coboError(http.StatusBadRequest, cobo.CodeInvalidParameter, "the order id in the path is not validly escaped: %v", err)
		}
		switch method {
		case http.MethodGet:
			return s.getOrder(org, id)
		case http.MethodPut:
			return s.updateOrder(org, id, body)
		}
		return methodNotAllowed(method, "/payments/orders/{order_id}", "GET, PUT")
	}
	return decisionError(cobo.UnknownOrder, "no such API path %q; the sandbox serves %s and %s/{order_id}", truncate(path, 100), ordersPath, ordersPath)
}

func methodNotAllowed(method, route, allowed string) *response {
	resp := coboError(http.StatusMethodNotAllowed, cobo.CodeInvalidParameter, "method %s is not allowed on %s; allowed: %s", truncate(method, 20), route, allowed)
	resp.header = map[string]string{"Allow": allowed}
	return resp
}

// authenticate checks the three Biz-Api-* headers and the signature over the raw request. It returns
// the organization (the lower-case API key) or a 401/2024 answer.
func (s *Sandbox) authenticate(method, path, query string, header http.Header, body []byte) (string, *response) {
	fail := func(format string, args ...any) (string, *response) {
		return "", decisionError(cobo.BadSignature, "authentication failed: "+format, args...)
	}
	key := header.Get(cobo.HeaderAPIKey)
	nonce := header.Get(cobo.HeaderNonce)
	sig := header.Get(cobo.HeaderSignature)
	switch {
	case key == "":
		return fail("the %s header is missing", cobo.HeaderAPIKey)
	case nonce == "":
		return fail("the %s header is missing", cobo.HeaderNonce)
	case sig == "":
		return fail("the %s header is missing", cobo.HeaderSignature)
	}
	if !isHex(key, 64) {
		return fail("the %s header must be 64 hexadecimal characters (an Ed25519 public key), got %d characters", cobo.HeaderAPIKey, len(key))
	}
	if !isHex(sig, 128) {
		return fail("the %s header must be 128 hexadecimal characters, got %d characters starting %q", cobo.HeaderSignature, len(sig), truncate(sig, 8))
	}
	n, err := strconv.ParseInt(nonce, 10, 64)
	if err != nil || n < 0 || strings.HasPrefix(nonce, "+") {
		return fail("the %s header must be the Unix time in milliseconds, got %q", cobo.HeaderNonce, truncate(nonce, 24))
	}
	org := strings.ToLower(key)
	if s.allowedKeys != nil && !s.allowedKeys[org] {
		return fail("the API key %s... is not registered with this sandbox (check that the API secret belongs to this environment)", org[:8])
	}
	wall := time.Now()
	if d := wall.Sub(time.UnixMilli(n)); d > cobo.NonceWindow || d < -cobo.NonceWindow {
		return fail("the nonce %s is %s away from the server clock; it must be the current Unix time in milliseconds (within %s)", nonce, d.Round(time.Second).Abs(), cobo.NonceWindow)
	}
	if !signedPath(key, sig, method, path, nonce, query, body) {
		return fail("the signature %s... does not match this request (it must cover %s|%s|nonce|query|body, with the path exactly as sent or decoded)", strings.ToLower(sig[:8]), truncate(method, 10), truncate(path, 100))
	}
	return org, nil
}

// signedPath reports whether sig covers the request with the path exactly as received or with its
// decoded form: Cobo's JS SDK signs the escaped path it sends, the Go SDK signs the decoded one
// (url.URL.Path) while sending the escaped one. Nothing else is accepted.
func signedPath(key, sig, method, path, nonce, query string, body []byte) bool {
	if cobo.Verify(key, sig, method, path, nonce, query, body) == nil {
		return true
	}
	decoded, err := url.PathUnescape(path)
	return err == nil && decoded != path && cobo.Verify(key, sig, method, decoded, nonce, query, body) == nil
}

func isHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "..."
	}
	return s
}
