package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// HelperRoute describes one /_sandbox helper route.
type HelperRoute struct {
	Method      string `json:"method"`
	Path        string `json:"path"`
	Body        string `json:"body,omitempty"`
	Description string `json:"description"`
}

// helperRoute is a HelperRoute with its handler: this table is the one list of the helpers, which
// routeHelper routes by, GET /_sandbox and HelperRoutes describe, and a test checks README.md against.
type helperRoute struct {
	HelperRoute
	handle func(s *Sandbox, in helperRequest) *response
}

func (r helperRoute) methodAndPattern() (string, string) { return r.Method, r.Path }

// helperRequest is what a helper handler gets: the body, the raw query and the path parameters
// ({order_id}, {tx_id}), already unescaped.
type helperRequest struct {
	body   []byte
	query  string
	params map[string]string
}

var helperRoutes []helperRoute

// HelperRoutes lists the helper routes (also served by GET /_sandbox).
var HelperRoutes []HelperRoute

func init() { // not a var initializer: the index handler refers back to HelperRoutes
	route := func(method, path, body, description string, handle func(*Sandbox, helperRequest) *response) helperRoute {
		return helperRoute{HelperRoute{method, path, body, description}, handle}
	}
	helperRoutes = []helperRoute{
		route("GET", "/_sandbox", "", "this index", helperIndex),
		route("GET", "/_sandbox/clock", "", `the sandbox business clock: {"now": unix_seconds, "offset_seconds": n}`, helperClock),
		route("POST", "/_sandbox/clock/advance", `{"seconds": 1800}`, "move the business clock forward (orders expire lazily); answers like GET /_sandbox/clock", helperAdvance),
		route("GET", "/_sandbox/orders", "", `every stored order, all organizations ({"orders": [...]}); ?api_key=<hex> for one organization`, helperOrders),
		route("POST", "/_sandbox/orders/{order_id}/payments", `{"amount": "10.00", "confirmed": true, "tx_hash": "0x...", "from_address": "0x..."}`, "simulate an incoming payment (confirmed defaults to true); answers the Order. A payment to a final order is late: the Order unchanged, the amount to the developer balance, payment.transaction.late sent. 404 unknown order, 400 bad amount", helperPay),
		route("POST", "/_sandbox/orders/{order_id}/transactions/{tx_id}/confirm", "", "confirm a Confirming transaction; answers the Order", helperConfirm),
		route("POST", "/_sandbox/refunds/{refund_id}/complete", "", "force a Pending or Processing refund to Completed (the merchant fee moves to the developer); answers the Refund. 404 unknown, 409 awaiting its address or final", helperCompleteRefund),
		route("POST", "/_sandbox/refunds/{refund_id}/fail", `{"reason": "..."}`, "force a refund that is not final to Failed; its amount goes back to its balance; answers the Refund. 404 unknown, 409 final", helperFailRefund),
		route("GET", "/_sandbox/rates", "", `the USD rate of every supported token: {"ETH_USDT": "0.99", ...}`, helperRates),
		route("PUT", "/_sandbox/rates/{token_id}", `{"rate": "0.9998"}`, "set a token's USD rate (the exchange rate routes, and the pricing of later orders in USD); answers every rate. 404 unknown token, 400 bad rate", helperSetRate),
		route("GET", "/_sandbox/faults", "", `the faults still pending ({"faults": [...]}, times = uses left, -1 unlimited)`, helperFaults),
		route("POST", "/_sandbox/faults", `{"method": "POST", "path": "/v2/payments/orders", "status": 503, "body": "<html>busy</html>", "content_type": "text/html", "retry_after": "1", "delay_ms": 0, "drop_connection": false, "after_commit": false, "times": 1}`, "inject a fault into matching /v2 requests, or with {\"delivery\": true, \"event_type\": \"payment.\", \"duplicate\": true, \"delay_ms\": 0} into webhook deliveries; answers 201 with the fault", helperAddFault),
		route("DELETE", "/_sandbox/faults", "", "remove every fault", helperClearFaults),
		route("GET", "/_sandbox/requests", "", `the recorded /v2 requests, oldest first ({"requests": [...]}, at most 10000, never signatures)`, helperRequests),
		route("DELETE", "/_sandbox/requests", "", "forget the recorded requests", helperForgetRequests),
		route("GET", "/_sandbox/extra-order-fields", "", "the extra fields added to every Order the API returns", helperExtraFields),
		route("PUT", "/_sandbox/extra-order-fields", `{"new_field": "x"}`, "set the extra fields added to every Order the API returns ({} removes them)", helperSetExtraFields),
		route("POST", "/_sandbox/webhooks/endpoints/{endpoint_id}/approve", "", "approve what a webhook endpoint awaits (-webhook-approval): a registration becomes STATUS_ACTIVE, an update is applied, a revoke makes it STATUS_INACTIVE; answers the WebhookEndpoint. 404 unknown, 409 awaits nothing", helperApproveEndpoint),
		route("POST", "/_sandbox/webhooks/endpoints/{endpoint_id}/reject", "", "reject it: a registration becomes STATUS_REJECT_ACTIVE, an update or revoke is dropped (STATUS_ACTIVE as before); answers the WebhookEndpoint", helperRejectEndpoint),
		route("GET", "/_sandbox/webhooks/key", "", `the public key that verifies delivered webhook events: {"public_key": "<hex Ed25519>"}`, helperWebhookKey),
		route("GET", "/_sandbox/stats", "", `{"connections_opened": n, "requests": n} (cumulative)`, helperStats),
		route("POST", "/_sandbox/reset", "", "clear orders, merchants (each organization gets its default merchant again), balances, refunds, webhook endpoints and events, faults, recorded requests, extra fields, the clock offset and the rates set by the helper (the webhook key and -rate stay)", helperReset),
	}
	HelperRoutes = make([]HelperRoute, len(helperRoutes))
	for i, r := range helperRoutes {
		HelperRoutes[i] = r.HelperRoute
	}
}

type helperErrorBody struct {
	Error string `json:"error"`
}

func helperFail(status int, format string, args ...any) *response {
	return jsonResponse(status, helperErrorBody{Error: fmt.Sprintf(format, args...)})
}

func helperErrResponse(err error) *response {
	switch {
	case errors.Is(err, ErrNotFound):
		return helperFail(http.StatusNotFound, "%s", err.Error())
	case errors.Is(err, ErrConflict):
		return helperFail(http.StatusConflict, "%s", err.Error())
	case errors.Is(err, ErrInvalid):
		return helperFail(http.StatusBadRequest, "%s", err.Error())
	}
	return helperFail(http.StatusInternalServerError, "%s", err.Error())
}

func helperMethodNotAllowed(method, path string, allowed ...string) *response {
	resp := helperFail(http.StatusMethodNotAllowed, "method %s is not allowed on %s; allowed: %s", truncate(method, 20), path, strings.Join(allowed, ", "))
	resp.header = map[string]string{"Allow": strings.Join(allowed, ", ")}
	return resp
}

// decodeStrict decodes an optional JSON object body into v, refusing unknown fields.
func decodeStrict(body []byte, v any, optional bool) error {
	if len(bytes.TrimSpace(body)) == 0 {
		if optional {
			return nil
		}
		return errors.New("the request body must be a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("the request body is not valid: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("the request body must hold exactly one JSON object")
	}
	return nil
}

type clockBody struct {
	Now           int64   `json:"now"`
	OffsetSeconds float64 `json:"offset_seconds"`
}

type faultWire struct {
	Method         string `json:"method,omitempty"`
	Path           string `json:"path,omitempty"`
	Status         int    `json:"status,omitempty"`
	Body           string `json:"body,omitempty"`
	ContentType    string `json:"content_type,omitempty"`
	RetryAfter     string `json:"retry_after,omitempty"`
	DelayMS        int64  `json:"delay_ms,omitempty"`
	DropConnection bool   `json:"drop_connection,omitempty"`
	AfterCommit    bool   `json:"after_commit,omitempty"`
	Delivery       bool   `json:"delivery,omitempty"`
	EventType      string `json:"event_type,omitempty"`
	Duplicate      bool   `json:"duplicate,omitempty"`
	Times          int    `json:"times,omitempty"`
}

func faultToWire(f Fault) faultWire {
	return faultWire{Method: f.Method, Path: f.Path, Status: f.Status, Body: f.Body, ContentType: f.ContentType,
		RetryAfter: f.RetryAfter, DelayMS: f.Delay.Milliseconds(), DropConnection: f.DropConnection,
		AfterCommit: f.AfterCommit, Delivery: f.Delivery, EventType: f.EventType, Duplicate: f.Duplicate, Times: f.Times}
}

// serveHelper serves the /_sandbox routes of helperRoutes. They need no signature, are never affected
// by faults and are not recorded. A trailing slash is ignored.
func (s *Sandbox) serveHelper(w http.ResponseWriter, r *http.Request, path, query string) {
	start := time.Now()
	resp := s.routeHelper(r, path, query)
	s.writeResponse(w, resp)
	s.logLine(r.Method, path, resp.status, time.Since(start), "")
}

func (s *Sandbox) routeHelper(r *http.Request, path, query string) *response {
	body, tooLarge, err := readBody(r)
	if err != nil {
		return helperFail(http.StatusBadRequest, "reading the request body: %v", err)
	}
	if tooLarge {
		return helperFail(http.StatusRequestEntityTooLarge, "the request body is larger than %d bytes", MaxBodyBytes)
	}
	m := lookupRoute(helperRoutes, r.Method, strings.TrimSuffix(path, "/"))
	switch {
	case !m.found && m.allowed != nil:
		return helperMethodNotAllowed(r.Method, path, m.allowed...)
	case !m.found:
		return helperFail(http.StatusNotFound, "no sandbox helper at %s; GET %s lists them", truncate(path, 100), helperPrefix)
	case m.badParam != "":
		return helperFail(http.StatusBadRequest, "the %s in the path %s is not validly escaped", m.badParam, truncate(path, 100))
	}
	return m.route.handle(s, helperRequest{body: body, query: query, params: m.params})
}

func helperIndex(s *Sandbox, _ helperRequest) *response {
	return jsonResponse(http.StatusOK, map[string]any{
		"description":        "Cobo pay-in order API sandbox. The API is under /v2 (signed like Cobo's); these helpers need no signature.",
		"api_base":           apiPrefix,
		"api":                APIRoutes,
		"helpers":            HelperRoutes,
		"webhook_public_key": s.WebhookPublicKey(),
	})
}

func helperWebhookKey(s *Sandbox, _ helperRequest) *response {
	return jsonResponse(http.StatusOK, map[string]string{"public_key": s.WebhookPublicKey()})
}

func helperClock(s *Sandbox, _ helperRequest) *response { return s.clockResponse() }

func helperAdvance(s *Sandbox, in helperRequest) *response {
	var req struct {
		Seconds *float64 `json:"seconds"`
	}
	if err := decodeStrict(in.body, &req, false); err != nil {
		return helperFail(http.StatusBadRequest, "%v", err)
	}
	if req.Seconds == nil || *req.Seconds < 0 || math.IsNaN(*req.Seconds) || *req.Seconds > 100*365*24*3600 {
		return helperFail(http.StatusBadRequest, `"seconds" must be a number of seconds between 0 and 100 years, such as {"seconds": 1800}`)
	}
	if err := s.advance(time.Duration(*req.Seconds * float64(time.Second))); err != nil {
		return helperFail(http.StatusInternalServerError, "%v", err)
	}
	return s.clockResponse()
}

func helperOrders(s *Sandbox, in helperRequest) *response {
	q, _ := url.ParseQuery(in.query)
	return jsonResponse(http.StatusOK, map[string]any{"orders": s.Orders(q.Get("api_key"))})
}

func helperPay(s *Sandbox, in helperRequest) *response {
	var p Payment
	if err := decodeStrict(in.body, &p, false); err != nil {
		return helperFail(http.StatusBadRequest, "%v", err)
	}
	return orderOrError(s.Pay(in.params["order_id"], p))
}

func helperConfirm(s *Sandbox, in helperRequest) *response {
	return orderOrError(s.ConfirmTransaction(in.params["order_id"], in.params["tx_id"]))
}

func orderOrError(o *cobo.Order, err error) *response {
	if err != nil {
		return helperErrResponse(err)
	}
	return jsonResponse(http.StatusOK, o)
}

func helperApproveEndpoint(s *Sandbox, in helperRequest) *response {
	return endpointOrError(s.ApproveWebhookEndpoint(in.params["endpoint_id"]))
}

func helperRejectEndpoint(s *Sandbox, in helperRequest) *response {
	return endpointOrError(s.RejectWebhookEndpoint(in.params["endpoint_id"]))
}

func endpointOrError(ep cobo.WebhookEndpoint, err error) *response {
	if err != nil {
		return helperErrResponse(err)
	}
	return jsonResponse(http.StatusOK, ep)
}

func helperFaults(s *Sandbox, _ helperRequest) *response {
	list := s.Faults()
	out := make([]faultWire, 0, len(list))
	for _, f := range list {
		out = append(out, faultToWire(f))
	}
	return jsonResponse(http.StatusOK, map[string]any{"faults": out})
}

func helperAddFault(s *Sandbox, in helperRequest) *response {
	var w faultWire
	if err := decodeStrict(in.body, &w, false); err != nil {
		return helperFail(http.StatusBadRequest, "%v", err)
	}
	if msg := checkFaultWire(w); msg != "" {
		return helperFail(http.StatusBadRequest, "%s", msg)
	}
	f := Fault{Method: w.Method, Path: w.Path, Status: w.Status, Body: w.Body, ContentType: w.ContentType,
		RetryAfter: w.RetryAfter, Delay: time.Duration(w.DelayMS) * time.Millisecond,
		DropConnection: w.DropConnection, AfterCommit: w.AfterCommit,
		Delivery: w.Delivery, EventType: w.EventType, Duplicate: w.Duplicate, Times: w.Times}
	s.AddFault(f)
	return jsonResponse(http.StatusCreated, map[string]any{"fault": faultToWire(f)})
}

// checkFaultWire names what is wrong with a fault, or is "".
func checkFaultWire(w faultWire) string {
	switch {
	case w.DelayMS < 0 || w.DelayMS > 10*60*1000:
		return fmt.Sprintf(`"delay_ms" must be between 0 and 600000, got %d`, w.DelayMS)
	case w.Delivery:
		return checkDeliveryFault(w)
	case w.EventType != "" || w.Duplicate:
		return `"event_type" and "duplicate" only apply with "delivery": true`
	case w.Status != 0 && (w.Status < 100 || w.Status > 999):
		return fmt.Sprintf(`"status" must be an HTTP status code (100..999) or 0, got %d`, w.Status)
	case w.AfterCommit && !w.DropConnection:
		return `"after_commit" only applies with "drop_connection": true`
	case w.Status == 0 && !w.DropConnection && w.DelayMS == 0:
		return `a fault needs "status", "drop_connection" or "delay_ms" (or "delivery": true with "duplicate" or "delay_ms")`
	}
	return ""
}

// checkDeliveryFault checks a fault on webhook deliveries: only event_type, duplicate, delay_ms, times.
func checkDeliveryFault(w faultWire) string {
	if w.Method != "" || w.Path != "" || w.Status != 0 || w.Body != "" || w.ContentType != "" || w.RetryAfter != "" || w.DropConnection || w.AfterCommit {
		return `a "delivery" fault takes only "event_type", "duplicate", "delay_ms" and "times" (method, path, status, body, content_type, retry_after, drop_connection and after_commit apply to API requests)`
	}
	if !w.Duplicate && w.DelayMS == 0 {
		return `a "delivery" fault needs "duplicate": true or "delay_ms"`
	}
	return ""
}

func helperClearFaults(s *Sandbox, _ helperRequest) *response {
	s.ClearFaults()
	return jsonResponse(http.StatusOK, map[string]any{"cleared": true})
}

func helperRequests(s *Sandbox, _ helperRequest) *response {
	return jsonResponse(http.StatusOK, map[string]any{"requests": s.Requests()})
}

func helperForgetRequests(s *Sandbox, _ helperRequest) *response {
	s.ResetRequests()
	return jsonResponse(http.StatusOK, map[string]any{"cleared": true})
}

func helperExtraFields(s *Sandbox, _ helperRequest) *response {
	return jsonResponse(http.StatusOK, s.extraOrderFields())
}

func helperSetExtraFields(s *Sandbox, in helperRequest) *response {
	var fields map[string]any
	if err := json.Unmarshal(in.body, &fields); err != nil || fields == nil {
		return helperFail(http.StatusBadRequest, "the request body must be a JSON object of the extra fields, such as {\"new_field\": \"x\"}")
	}
	s.SetExtraOrderFields(fields)
	return jsonResponse(http.StatusOK, s.extraOrderFields())
}

func helperStats(s *Sandbox, _ helperRequest) *response {
	return jsonResponse(http.StatusOK, s.Stats())
}

func helperReset(s *Sandbox, _ helperRequest) *response {
	if err := s.reset(); err != nil {
		return helperFail(http.StatusInternalServerError, "%v", err)
	}
	return jsonResponse(http.StatusOK, map[string]any{"reset": true})
}

func (s *Sandbox) clockResponse() *response {
	return jsonResponse(http.StatusOK, clockBody{Now: s.Now().Unix(), OffsetSeconds: time.Duration(s.offset.Load()).Seconds()})
}

func helperCompleteRefund(s *Sandbox, in helperRequest) *response {
	return rawOrError(s.CompleteRefund(in.params["refund_id"]))
}

func helperFailRefund(s *Sandbox, in helperRequest) *response {
	var req struct {
		Reason string `json:"reason"`
	}
	if err := decodeStrict(in.body, &req, true); err != nil {
		return helperFail(http.StatusBadRequest, "%v", err)
	}
	return rawOrError(s.FailRefund(in.params["refund_id"], req.Reason))
}

func rawOrError(body json.RawMessage, err error) *response {
	if err != nil {
		return helperErrResponse(err)
	}
	return &response{status: http.StatusOK, contentType: "application/json", body: body}
}

func helperRates(s *Sandbox, _ helperRequest) *response {
	return jsonResponse(http.StatusOK, s.Rates())
}

func helperSetRate(s *Sandbox, in helperRequest) *response {
	var req struct {
		Rate string `json:"rate"`
	}
	if err := decodeStrict(in.body, &req, false); err != nil {
		return helperFail(http.StatusBadRequest, "%v", err)
	}
	if err := s.SetRate(in.params["token_id"], req.Rate); err != nil {
		return helperErrResponse(err)
	}
	return jsonResponse(http.StatusOK, s.Rates())
}
