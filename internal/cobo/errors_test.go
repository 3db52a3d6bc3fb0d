package cobo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestCoboJSONErrorBecomesAPIError(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(w http.ResponseWriter, _ *http.Request, _ int, _ seenRequest) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"error_code":2006,"error_message":"Invalid parameter: order_id","error_id":"9f1c2b7e4a5d4e3f8a6b0c1d2e3f4a5b","extra":1}`)
	})
	c := newTestClient(t, ts.URL+"/v2")
	_, err := c.GetPaymentOrder(context.Background(), "O1")
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error %T %v is not an *APIError", err, err)
	}
	want := APIError{
		Method: "GET", Path: "/payments/orders/O1", URL: ts.URL + "/v2/payments/orders/O1", StatusCode: 400, Code: 2006, Message: "Invalid parameter: order_id",
		ErrorID: "9f1c2b7e4a5d4e3f8a6b0c1d2e3f4a5b", ContentType: "application/json", Attempts: 1,
	}
	if *apiErr != want {
		t.Errorf("APIError = %+v\nwant       %+v", *apiErr, want)
	}
	msg := err.Error()
	mustContain(t, msg, "HTTP 400", "error_code 2006", "(invalid parameter)", `"Invalid parameter: order_id"`, "9f1c2b7e4a5d4e3f8a6b0c1d2e3f4a5b", "GET "+ts.URL+"/v2/payments/orders/O1 answered")
	if strings.Contains(msg, "gave up") {
		t.Errorf("a single attempt must not say it gave up: %s", msg)
	}
	if n := ts.count(); n != 1 {
		t.Errorf("400 was sent %d times, want 1", n)
	}
}

func TestNonCoboErrorBodiesStillExplainThemselves(t *testing.T) {
	t.Parallel()
	longPage := "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>\n\t<center><h1>502 Bad Gateway</h1></center>\n" +
		strings.Repeat("<p>padding padding padding</p>\n", 40) + "</body></html>"
	cases := []struct {
		name        string
		status      int
		contentType string
		retryAfter  string
		body        string
		want        []string
		wantRA      time.Duration
	}{
		{
			name: "HTML 502 from a proxy", status: 502, contentType: "text/html", retryAfter: "7", body: longPage,
			want:   []string{"HTTP 502", "not a Cobo error object", "text/html", "<html> <head><title>502 Bad Gateway</title></head> <body> <center><h1>502 Bad Gateway</h1>", "…"},
			wantRA: 7 * time.Second,
		},
		{
			name: "empty 503", status: 503, body: "",
			want: []string{"HTTP 503", "empty body", "no content type", "not a Cobo error object"},
		},
		{
			name: "empty 503 with a content type", status: 503, contentType: "application/json", body: "",
			want: []string{"HTTP 503", "empty body (application/json)"},
		},
		{
			name: "plain text 429", status: 429, contentType: "text/plain", retryAfter: "Wed, 21 Oct 2015 07:28:00 GMT", body: "slow down\x00\x01 please",
			want: []string{"HTTP 429", "text/plain", `"slow down please"`},
		},
		{
			name: "JSON without an error code", status: 500, contentType: "application/json", body: `{"message":"boom"}`,
			want: []string{"HTTP 500", "application/json", `{\"message\":\"boom\"}`},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ts := newTestServer(t, func(w http.ResponseWriter, _ *http.Request, _ int, _ seenRequest) {
				if c.contentType != "" {
					w.Header().Set("Content-Type", c.contentType)
				}
				if c.retryAfter != "" {
					w.Header().Set("Retry-After", c.retryAfter)
				}
				w.WriteHeader(c.status)
				_, _ = io.WriteString(w, c.body)
			})
			c2 := newTestClient(t, ts.URL+"/v2", func(cfg *Config) { cfg.MaxRetries = 0 })
			_, err := c2.GetPaymentOrder(context.Background(), "O1")
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("error %T %v is not an *APIError", err, err)
			}
			if apiErr.StatusCode != c.status || apiErr.Code != 0 || apiErr.ContentType != c.contentType {
				t.Errorf("APIError = %+v", apiErr)
			}
			if apiErr.RetryAfter != c.wantRA {
				t.Errorf("RetryAfter = %v, want %v", apiErr.RetryAfter, c.wantRA)
			}
			if n := len([]rune(apiErr.BodyExcerpt)); n > 201 {
				t.Errorf("the excerpt is %d runes long", n)
			}
			mustContain(t, err.Error(), c.want...)
		})
	}
}

func TestAPIErrorMessage(t *testing.T) {
	t.Parallel()
	cases := []struct {
		err     APIError
		want    []string
		notWant []string
	}{
		{
			APIError{Method: "POST", Path: "/payments/orders", StatusCode: 400, Code: 2040, Message: "Duplicate key", ErrorID: "e1"},
			[]string{"Cobo API POST /payments/orders answered HTTP 400, error_code 2040 (duplicate key), error_message \"Duplicate key\", error_id \"e1\""},
			[]string{"gave up"},
		},
		{
			APIError{Method: "GET", Path: "/p", StatusCode: 401, Code: 2024, Message: "bad", ErrorID: "e2"},
			[]string{"error_code 2024", "environment", `error_id "e2"`},
			nil,
		},
		{
			APIError{Method: "GET", Path: "/p", StatusCode: 418, Code: 9999, Message: "teapot", ErrorID: "e3"},
			[]string{"HTTP 418, error_code 9999, error_message \"teapot\", error_id \"e3\""},
			[]string{"()"},
		},
		{
			APIError{Method: "GET", Path: "/p", StatusCode: 503, Attempts: 5},
			[]string{"HTTP 503 with an empty body (no content type)", "; gave up after 5 attempts"},
			nil,
		},
	}
	for _, c := range cases {
		msg := c.err.Error()
		mustContain(t, msg, c.want...)
		for _, nw := range c.notWant {
			if strings.Contains(msg, nw) {
				t.Errorf("%q contains %q", msg, nw)
			}
		}
	}
}

func TestErrorPredicates(t *testing.T) {
	t.Parallel()
	notFound := &APIError{StatusCode: 404, Code: 2028}
	cases := []struct {
		name                 string
		err                  error
		notFound, dup, authF bool
	}{
		{"404 / 2028", notFound, true, false, false},
		{"404 without a body", &APIError{StatusCode: 404}, true, false, false},
		{"2028 with another status", &APIError{StatusCode: 400, Code: 2028}, true, false, false},
		{"wrapped 404", fmt.Errorf("reading: %w", notFound), true, false, false},
		{"2040", &APIError{StatusCode: 400, Code: 2040}, false, true, false},
		{"wrapped 2040", fmt.Errorf("x: %w", &APIError{StatusCode: 400, Code: 2040}), false, true, false},
		{"401 / 2024", &APIError{StatusCode: 401, Code: 2024}, false, false, true},
		{"401 from a proxy", &APIError{StatusCode: 401}, false, false, true},
		{"2024 with 403", &APIError{StatusCode: 403, Code: 2024}, false, false, true},
		{"403 / 2025", &APIError{StatusCode: 403, Code: 2025}, false, false, false},
		{"400 / 2006", &APIError{StatusCode: 400, Code: 2006}, false, false, false},
		{"transport error", &TransportError{Err: io.EOF}, false, false, false},
		{"plain error", errors.New("404 2028 2040 401 2024"), false, false, false},
		{"nil", nil, false, false, false},
		{"create outcome unknown wrapping 404", &CreateOutcomeUnknownError{CreateErr: notFound}, true, false, false},
	}
	for _, c := range cases {
		if got := IsNotFound(c.err); got != c.notFound {
			t.Errorf("%s: IsNotFound = %v", c.name, got)
		}
		if got := IsDuplicateKey(c.err); got != c.dup {
			t.Errorf("%s: IsDuplicateKey = %v", c.name, got)
		}
		if got := IsAuthFailed(c.err); got != c.authF {
			t.Errorf("%s: IsAuthFailed = %v", c.name, got)
		}
	}
}

func TestErrorPredicatesFromTheWire(t *testing.T) {
	t.Parallel()
	cases := []struct {
		status, code int
		is           func(error) bool
		name         string
	}{
		{404, 2028, IsNotFound, "IsNotFound"},
		{400, 2040, IsDuplicateKey, "IsDuplicateKey"},
		{401, 2024, IsAuthFailed, "IsAuthFailed"},
	}
	for _, c := range cases {
		ts := newTestServer(t, func(w http.ResponseWriter, _ *http.Request, _ int, _ seenRequest) {
			writeCoboError(w, c.status, c.code, "x")
		})
		_, err := newTestClient(t, ts.URL+"/v2").GetPaymentOrder(context.Background(), "O1")
		if !c.is(err) {
			t.Errorf("%s(%v) = false", c.name, err)
		}
		if n := ts.count(); n != 1 {
			t.Errorf("HTTP %d was sent %d times, want 1", c.status, n)
		}
	}
}

func TestRetryableStatuses(t *testing.T) {
	t.Parallel()
	for status := 100; status < 600; status++ {
		want := status == 429 || status == 500 || status == 502 || status == 503 || status == 504
		if got := (&APIError{StatusCode: status}).Retryable(); got != want {
			t.Errorf("Retryable(%d) = %v", status, got)
		}
	}
}

func TestTransportError(t *testing.T) {
	t.Parallel()
	e := &TransportError{Method: "GET", Path: "/payments/orders/O1", Err: context.DeadlineExceeded, Attempts: 1}
	if !errors.Is(e, context.DeadlineExceeded) {
		t.Error("TransportError does not unwrap to its cause")
	}
	mustContain(t, e.Error(), "Cobo API GET /payments/orders/O1: no answer: context deadline exceeded")
	if strings.Contains(e.Error(), "gave up") {
		t.Error("one attempt must not say it gave up")
	}
	e.Attempts = 3
	mustContain(t, e.Error(), "; gave up after 3 attempts")
}

func TestCodeMeaning(t *testing.T) {
	t.Parallel()
	for _, code := range []int{2000, 2003, 2006, 2024, 2025, 2026, 2028, 2040, 4001} {
		if CodeMeaning(code) == "" {
			t.Errorf("CodeMeaning(%d) is empty", code)
		}
	}
	if CodeMeaning(1) != "" || CodeMeaning(0) != "" {
		t.Error("unknown codes must have no meaning")
	}
	mustContain(t, CodeMeaning(CodeAuthFailed), "dev and prod keys differ")
}

func TestExcerpt(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		max  int
		want string
	}{
		{"", 10, ""},
		{"  a \n\t b  ", 10, "a b"},
		{"a\x00b\x1bc", 10, "a b c"},
		{"abcdefghij", 10, "abcdefghij"},
		{"abcdefghijk", 10, "abcdefghij…"},
		{"ééééé", 3, "ééé…"},
	}
	for _, c := range cases {
		if got := excerpt([]byte(c.in), c.max); got != c.want {
			t.Errorf("excerpt(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
		}
	}
}
