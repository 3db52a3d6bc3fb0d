package sandbox

import (
	"context"
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

	merchantsPath        = apiPrefix + "/payments/merchants"
	refundsPath          = apiPrefix + "/payments/refunds"
	supportedTokensPath  = apiPrefix + "/payments/supported_tokens"
	exchangeRatesPath    = apiPrefix + "/payments/exchange_rates"
	merchantBalancesPath = apiPrefix + "/payments/balance/merchants"
	pspBalancePath       = apiPrefix + "/payments/balance/psp"
)

// APIRoute describes one /v2 route of the sandbox.
type APIRoute struct {
	Method      string `json:"method"`
	Path        string `json:"path"` // a pattern: {name} segments are parameters
	Description string `json:"description"`
}

func (r APIRoute) methodAndPattern() (string, string) { return r.Method, r.Path }

// apiRoute is an APIRoute with its handler. apiRoutes is the one list of the API's operations: route
// dispatches by it, GET /_sandbox and APIRoutes describe it, and a test checks README.md against it.
type apiRoute struct {
	APIRoute
	handle func(s *Sandbox, in apiRequest) *response
}

// apiRequest is what an API handler gets once the request is authenticated: the organization (the
// lower-case API key), the raw body and query, and the path parameters ({order_id}), unescaped.
type apiRequest struct {
	org    string
	body   []byte
	query  string
	params map[string]string
}

var apiRoutes = []apiRoute{
	{APIRoute{"POST", ordersPath, "create a pay-in order (201, the Order)"}, (*Sandbox).createOrder},
	{APIRoute{"GET", ordersPath, "list pay-in orders: limit, before, after, merchant_id, psp_order_id, statuses"}, (*Sandbox).listOrders},
	{APIRoute{"GET", ordersPath + "/{order_id}", "one pay-in order"}, (*Sandbox).getOrder},
	{APIRoute{"PUT", ordersPath + "/{order_id}", `{"expired": true} expires a Pending order`}, (*Sandbox).updateOrder},
	{APIRoute{"POST", webhookEndpointsPath, "register a webhook endpoint: url, subscribed_events, description (201, the WebhookEndpoint)"}, (*Sandbox).createWebhookEndpoint},
	{APIRoute{"GET", webhookEndpointsPath, "list webhook endpoints: status, event_type, limit, before, after"}, (*Sandbox).listWebhookEndpoints},
	{APIRoute{"GET", webhookEndpointsPath + "/{endpoint_id}", "one webhook endpoint"}, (*Sandbox).getWebhookEndpoint},
	{APIRoute{"PUT", webhookEndpointsPath + "/{endpoint_id}", "update subscribed_events or description, or revoke with status STATUS_INACTIVE"}, (*Sandbox).updateWebhookEndpoint},
	{APIRoute{"GET", eventDefinitionsPath, "every webhook event type with a description"}, (*Sandbox).webhookEventDefinitions},
	{APIRoute{"GET", eventsPattern, "an endpoint's events of the last 30 days: status, type, limit, before, after"}, (*Sandbox).listWebhookEvents},
	{APIRoute{"GET", eventsPattern + "/{event_id}", "one webhook event"}, (*Sandbox).getWebhookEvent},
	{APIRoute{"GET", eventsPattern + "/{event_id}/logs", "an event's delivery logs, one per attempt: limit, before, after"}, (*Sandbox).listWebhookEventLogs},
	{APIRoute{"POST", eventsPattern + "/{event_id}/retry", `deliver a Retrying or Failed event again now (201, {"retried": true})`}, (*Sandbox).retryWebhookEvent},
	{APIRoute{"POST", merchantsPath, "create a merchant: name, developer_fee_rate, wallet_setup (Shared or Separate) (201, the Merchant)"}, (*Sandbox).createMerchant},
	{APIRoute{"GET", merchantsPath, "list merchants: keyword, wallet_setup, wallet_id, limit, before, after"}, (*Sandbox).listMerchants},
	{APIRoute{"PUT", merchantsPath + "/{merchant_id}", "update a merchant's name or developer_fee_rate"}, (*Sandbox).updateMerchant},
	{APIRoute{"POST", refundsPath, "create a refund: request_id, payable_amount, token_id, refund_type, merchant_id, to_address, order_id, charge_merchant_fee, merchant_fee_amount, merchant_fee_token_id (201, the Refund)"}, (*Sandbox).createRefund},
	{APIRoute{"GET", refundsPath, "list refunds: merchant_id, request_id, statuses, limit, before, after"}, (*Sandbox).listRefunds},
	{APIRoute{"GET", refundsPath + "/{refund_id}", "one refund"}, (*Sandbox).getRefund},
	{APIRoute{"PUT", refundsPath + "/{refund_id}", `{"to_address": "..."} sets the address of a PendingConfirmation or Pending refund`}, (*Sandbox).updateRefund},
	{APIRoute{"PUT", refundsPath + "/{refund_id}/cancel", "cancel a Pending or PendingConfirmation refund (it shows Failed)"}, (*Sandbox).cancelRefund},
	{APIRoute{"GET", supportedTokensPath, "the supported tokens (a bare array)"}, (*Sandbox).listSupportedTokens},
	{APIRoute{"GET", exchangeRatesPath + "/{token_id}/{currency}", "one token's exchange rate (currency USD)"}, (*Sandbox).getExchangeRate},
	{APIRoute{"GET", exchangeRatesPath, "exchange rates: token_ids, currencies (both required; USD only)"}, (*Sandbox).batchExchangeRates},
	{APIRoute{"GET", merchantBalancesPath, "merchant balances: merchant_ids and/or token_id"}, (*Sandbox).listMerchantBalances},
	{APIRoute{"GET", pspBalancePath, "the developer balance of token_id"}, (*Sandbox).getPspBalance},
	{APIRoute{"POST", triggerPath, `send a test event to the subscribed endpoints: event_type (a pay-in event type), override_data (201, {"triggered": true})`}, (*Sandbox).triggerWebhookEvent},
}

// APIRoutes lists the API routes (also served by GET /_sandbox).
var APIRoutes = func() []APIRoute {
	out := make([]APIRoute, len(apiRoutes))
	for i, r := range apiRoutes {
		out[i] = r.APIRoute
	}
	return out
}()

// The chain every request outside /_sandbox goes through (ServeHTTP): record (sandbox.go) -> faults
// (faults.go) -> signature -> route. Each step answers the call itself or hands it to the next.
type apiStep func(c *apiCall) *response

// apiCall is one API request on its way through the chain, exactly as received.
type apiCall struct {
	ctx      context.Context
	method   string
	path     string // raw path, as received (what the signature covers)
	query    string // raw query, without '?'
	header   http.Header
	body     []byte
	tooLarge bool   // the body was longer than MaxBodyBytes; body holds its start
	org      string // set by withSignature
}

// withSignature answers 413 for a body too long to verify, 404 outside /v2 and 401 / 2024 for a
// request that is not signed by an accepted key; otherwise the call goes on with its organization.
func (s *Sandbox) withSignature(next apiStep) apiStep {
	return func(c *apiCall) *response {
		if c.tooLarge {
			return coboError(http.StatusRequestEntityTooLarge, cobo.CodeInvalidParameter, "the request body is larger than %d bytes", MaxBodyBytes)
		}
		if c.path != apiPrefix && !strings.HasPrefix(c.path, apiPrefix+"/") {
			return decisionError(cobo.UnknownOrder, "no such path %q: the API is served under %s (for example %s) and the sandbox helpers under %s", truncate(c.path, 100), apiPrefix, ordersPath, helperPrefix)
		}
		org, errResp := s.authenticate(c.method, c.path, c.query, c.header, c.body)
		if errResp != nil {
			return errResp
		}
		c.org = org
		return next(c)
	}
}

// route is the last step: the handler of apiRoutes for the method and path.
func (s *Sandbox) route(c *apiCall) *response {
	m := lookupRoute(apiRoutes, c.method, c.path)
	switch {
	case m.allowed != nil && !m.found:
		return methodNotAllowed(c.method, m.pattern, strings.Join(m.allowed, ", "))
	case !m.found:
		return decisionError(cobo.UnknownOrder, "no such API path %q; the sandbox serves %s", truncate(c.path, 100), strings.Join(patternsOf(apiRoutes), ", "))
	case m.badParam != "":
		return coboError(http.StatusBadRequest, cobo.CodeInvalidParameter, "the %s in the path is not validly escaped", m.badParam)
	}
	return m.route.handle(s, apiRequest{org: c.org, body: c.body, query: c.query, params: m.params})
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
