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
)

// HelperRoute describes one /_sandbox helper route.
type HelperRoute struct {
	Method      string `json:"method"`
	Path        string `json:"path"`
	Body        string `json:"body,omitempty"`
	Description string `json:"description"`
}

// HelperRoutes lists the helper routes (also served by GET /_sandbox).
var HelperRoutes = []HelperRoute{
	{"GET", "/_sandbox", "", "this index"},
	{"GET", "/_sandbox/clock", "", `the sandbox business clock: {"now": unix_seconds, "offset_seconds": n}`},
	{"POST", "/_sandbox/clock/advance", `{"seconds": 1800}`, "move the business clock forward (orders expire lazily); answers like GET /_sandbox/clock"},
	{"GET", "/_sandbox/orders", "", `every stored order, all organizations ({"orders": [...]}); ?api_key=<hex> for one organization`},
	{"POST", "/_sandbox/orders/{order_id}/payments", `{"amount": "10.00", "confirmed": true, "tx_hash": "0x...", "from_address": "0x..."}`, "simulate an incoming payment (confirmed defaults to true); answers the Order. 404 unknown order, 409 final order, 400 bad amount"},
	{"POST", "/_sandbox/orders/{order_id}/transactions/{tx_id}/confirm", "", "confirm a Confirming transaction; answers the Order"},
	{"GET", "/_sandbox/faults", "", `the faults still pending ({"faults": [...]}, times = uses left, -1 unlimited)`},
	{"POST", "/_sandbox/faults", `{"method": "POST", "path": "/v2/payments/orders", "status": 503, "body": "<html>busy</html>", "content_type": "text/html", "retry_after": "1", "delay_ms": 0, "drop_connection": false, "after_commit": false, "times": 1}`, "inject a fault into matching /v2 requests; answers 201 with the fault"},
	{"DELETE", "/_sandbox/faults", "", "remove every fault"},
	{"GET", "/_sandbox/requests", "", `the recorded /v2 requests, oldest first ({"requests": [...]}, at most 10000, never signatures)`},
	{"DELETE", "/_sandbox/requests", "", "forget the recorded requests"},
	{"GET", "/_sandbox/extra-order-fields", "", "the extra fields added to every Order the API returns"},
	{"PUT", "/_sandbox/extra-order-fields", `{"new_field": "x"}`, "set the extra fields added to every Order the API returns ({} removes them)"},
	{"GET", "/_sandbox/stats", "", `{"connections_opened": n, "requests": n} (cumulative)`},
	{"POST", "/_sandbox/reset", "", "clear orders, faults, recorded requests, extra fields and the clock offset"},
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
	Times          int    `json:"times,omitempty"`
}

func faultToWire(f Fault) faultWire {
	return faultWire{Method: f.Method, Path: f.Path, Status: f.Status, Body: f.Body, ContentType: f.ContentType,
		RetryAfter: f.RetryAfter, DelayMS: f.Delay.Milliseconds(), DropConnection: f.DropConnection,
		AfterCommit: f.AfterCommit, Times: f.Times}
}

// serveHelper serves the /_sandbox routes. They need no signature and are never affected by faults.
func (s *Sandbox) serveHelper(r *http.Request, path, query string) *response {
	body, tooLarge, err := readBody(r)
	if err != nil {
		return helperFail(http.StatusBadRequest, "reading the request body: %v", err)
	}
	if tooLarge {
		return helperFail(http.StatusRequestEntityTooLarge, "the request body is larger than %d bytes", MaxBodyBytes)
	}
	sub := strings.TrimSuffix(strings.TrimPrefix(path, helperPrefix), "/")
	m := r.Method
	switch sub {
	case "":
		if m != http.MethodGet {
			return helperMethodNotAllowed(m, path, "GET")
		}
		return jsonResponse(http.StatusOK, map[string]any{
			"description": "Cobo pay-in order API sandbox. The API is under /v2 (signed like Cobo's); these helpers need no signature.",
			"api_base":    apiPrefix,
			"helpers":     HelperRoutes,
		})
	case "/clock":
		if m != http.MethodGet {
			return helperMethodNotAllowed(m, path, "GET")
		}
		return s.clockResponse()
	case "/clock/advance":
		if m != http.MethodPost {
			return helperMethodNotAllowed(m, path, "POST")
		}
		var in struct {
			Seconds *float64 `json:"seconds"`
		}
		if err := decodeStrict(body, &in, false); err != nil {
			return helperFail(http.StatusBadRequest, "%v", err)
		}
		if in.Seconds == nil || *in.Seconds < 0 || math.IsNaN(*in.Seconds) || *in.Seconds > 100*365*24*3600 {
			return helperFail(http.StatusBadRequest, `"seconds" must be a number of seconds between 0 and 100 years, such as {"seconds": 1800}`)
		}
		if err := s.advance(time.Duration(*in.Seconds * float64(time.Second))); err != nil {
			return helperFail(http.StatusInternalServerError, "%v", err)
		}
		return s.clockResponse()
	case "/orders":
		if m != http.MethodGet {
			return helperMethodNotAllowed(m, path, "GET")
		}
		q, _ := url.ParseQuery(query)
		return jsonResponse(http.StatusOK, map[string]any{"orders": s.Orders(q.Get("api_key"))})
	case "/faults":
		switch m {
		case http.MethodGet:
			list := s.Faults()
			out := make([]faultWire, 0, len(list))
			for _, f := range list {
				out = append(out, faultToWire(f))
			}
			return jsonResponse(http.StatusOK, map[string]any{"faults": out})
		case http.MethodPost:
			var in faultWire
			if err := decodeStrict(body, &in, false); err != nil {
				return helperFail(http.StatusBadRequest, "%v", err)
			}
			if in.Status != 0 && (in.Status < 100 || in.Status > 999) {
				return helperFail(http.StatusBadRequest, `"status" must be an HTTP status code (100..999) or 0, got %d`, in.Status)
			}
			if in.DelayMS < 0 || in.DelayMS > 10*60*1000 {
				return helperFail(http.StatusBadRequest, `"delay_ms" must be between 0 and 600000, got %d`, in.DelayMS)
			}
			if in.AfterCommit && !in.DropConnection {
				return helperFail(http.StatusBadRequest, `"after_commit" only applies with "drop_connection": true`)
			}
			if in.Status == 0 && !in.DropConnection && in.DelayMS == 0 {
				return helperFail(http.StatusBadRequest, `a fault needs "status", "drop_connection" or "delay_ms"`)
			}
			f := Fault{Method: in.Method, Path: in.Path, Status: in.Status, Body: in.Body, ContentType: in.ContentType,
				RetryAfter: in.RetryAfter, Delay: time.Duration(in.DelayMS) * time.Millisecond,
				DropConnection: in.DropConnection, AfterCommit: in.AfterCommit, Times: in.Times}
			s.AddFault(f)
			return jsonResponse(http.StatusCreated, map[string]any{"fault": faultToWire(f)})
		case http.MethodDelete:
			s.ClearFaults()
			return jsonResponse(http.StatusOK, map[string]any{"cleared": true})
		}
		return helperMethodNotAllowed(m, path, "GET", "POST", "DELETE")
	case "/requests":
		switch m {
		case http.MethodGet:
			return jsonResponse(http.StatusOK, map[string]any{"requests": s.Requests()})
		case http.MethodDelete:
			s.ResetRequests()
			return jsonResponse(http.StatusOK, map[string]any{"cleared": true})
		}
		return helperMethodNotAllowed(m, path, "GET", "DELETE")
	case "/extra-order-fields":
		switch m {
		case http.MethodGet:
			return jsonResponse(http.StatusOK, s.extraOrderFields())
		case http.MethodPut:
			var in map[string]any
			if err := json.Unmarshal(body, &in); err != nil || in == nil {
				return helperFail(http.StatusBadRequest, "the request body must be a JSON object of the extra fields, such as {\"new_field\": \"x\"}")
			}
			s.SetExtraOrderFields(in)
			return jsonResponse(http.StatusOK, s.extraOrderFields())
		}
		return helperMethodNotAllowed(m, path, "GET", "PUT")
	case "/stats":
		if m != http.MethodGet {
			return helperMethodNotAllowed(m, path, "GET")
		}
		return jsonResponse(http.StatusOK, s.Stats())
	case "/reset":
		if m != http.MethodPost {
			return helperMethodNotAllowed(m, path, "POST")
		}
		if err := s.reset(); err != nil {
			return helperFail(http.StatusInternalServerError, "%v", err)
		}
		return jsonResponse(http.StatusOK, map[string]any{"reset": true})
	}
	if strings.HasPrefix(sub, "/orders/") {
		return s.serveOrderHelper(m, path, strings.Split(sub[len("/orders/"):], "/"), body)
	}
	return helperFail(http.StatusNotFound, "no sandbox helper at %s; GET %s lists them", truncate(path, 100), helperPrefix)
}

func (s *Sandbox) serveOrderHelper(m, path string, segs []string, body []byte) *response {
	unescape := func(v string) (string, bool) {
		u, err := url.PathUnescape(v)
		return u, err == nil && u != ""
	}
	switch {
	case len(segs) == 2 && segs[1] == "payments":
		if m != http.MethodPost {
			return helperMethodNotAllowed(m, path, "POST")
		}
		id, ok := unescape(segs[0])
		if !ok {
			return helperFail(http.StatusBadRequest, "the order id in the path is not valid")
		}
		var p Payment
		if err := decodeStrict(body, &p, false); err != nil {
			return helperFail(http.StatusBadRequest, "%v", err)
		}
		o, err := s.Pay(id, p)
		if err != nil {
			return helperErrResponse(err)
		}
		return jsonResponse(http.StatusOK, o)
	case len(segs) == 4 && segs[1] == "transactions" && segs[3] == "confirm":
		if m != http.MethodPost {
			return helperMethodNotAllowed(m, path, "POST")
		}
		id, ok1 := unescape(segs[0])
		tx, ok2 := unescape(segs[2])
		if !ok1 || !ok2 {
			return helperFail(http.StatusBadRequest, "the order or transaction id in the path is not valid")
		}
		o, err := s.ConfirmTransaction(id, tx)
		if err != nil {
			return helperErrResponse(err)
		}
		return jsonResponse(http.StatusOK, o)
	}
	return helperFail(http.StatusNotFound, "no sandbox helper at %s; GET %s lists them", truncate(path, 100), helperPrefix)
}

func (s *Sandbox) clockResponse() *response {
	return jsonResponse(http.StatusOK, clockBody{Now: s.Now().Unix(), OffsetSeconds: time.Duration(s.offset.Load()).Seconds()})
}
