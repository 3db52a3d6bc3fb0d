package cobo

import (
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"time"
	"unicode"
)

// Cobo business error codes (developer-site snippets/error-codes.mdx, plus the decisions in decisions.go).
// This table is the one place the provider and the sandbox learn what a code means.
const (
	CodeInternal         = 2000
	CodeMissingParameter = 2003
	CodeInvalidParameter = 2006
	CodeAuthFailed       = 2024
	CodeForbidden        = 2025
	CodeTooManyRequests  = 2026
	CodeNotFound         = 2028
	CodeDuplicateKey     = 2040
	CodeForbiddenScope   = 4001
)

var codeMeanings = map[int]string{
	CodeInternal:         "internal error, retry later",
	CodeMissingParameter: "missing parameter",
	CodeInvalidParameter: "invalid parameter",
	CodeAuthFailed:       "authentication failed: check the API secret, that its key is registered, and that it belongs to this environment (dev and prod keys differ)",
	CodeForbidden:        "forbidden",
	CodeTooManyRequests:  "too many requests",
	CodeNotFound:         "not found",
	CodeDuplicateKey:     "duplicate key",
	CodeForbiddenScope:   "forbidden",
}

// CodeMeaning describes a business error code in a few words ("" when unknown).
func CodeMeaning(code int) string { return codeMeanings[code] }

// ErrorBody is the JSON body of every Cobo error response.
type ErrorBody struct {
	ErrorCode    int    `json:"error_code"`
	ErrorMessage string `json:"error_message"`
	ErrorID      string `json:"error_id"`
}

// APIError is an HTTP error answer from Cobo (or from a proxy in front of it).
type APIError struct {
	Method     string
	Path       string // relative to the base URL, with no query
	URL        string // the full URL called, without its query: names the host, so a wrong one shows
	StatusCode int
	Code       int    // Cobo's error_code; 0 when the body was not Cobo's JSON
	Message    string // Cobo's error_message
	ErrorID    string // Cobo's error_id, which Cobo support asks for
	// BodyExcerpt is a short, printable excerpt of a body that was not Cobo's JSON (a proxy's HTML page).
	BodyExcerpt string
	ContentType string
	RetryAfter  time.Duration
	Attempts    int // how many attempts the client made before giving up
	// Requests counts every request of the operation when it sent more than its attempts (a create's
	// lookups by psp_order_code); 0 otherwise.
	Requests int
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Cobo API %s %s answered HTTP %d", e.Method, e.where(), e.StatusCode)
	if e.Code != 0 {
		fmt.Fprintf(&b, ", error_code %d", e.Code)
		if m := CodeMeaning(e.Code); m != "" {
			fmt.Fprintf(&b, " (%s)", m)
		}
		fmt.Fprintf(&b, ", error_message %q, error_id %q", e.Message, e.ErrorID)
	} else {
		ct := e.ContentType
		if ct == "" {
			ct = "no content type"
		}
		if e.BodyExcerpt == "" {
			fmt.Fprintf(&b, " with an empty body (%s), not a Cobo error object", ct)
		} else {
			fmt.Fprintf(&b, " with a body that is not a Cobo error object (%s): %q", ct, e.BodyExcerpt)
		}
	}
	b.WriteString(gaveUp(e.Attempts, e.Requests))
	return b.String()
}

func (e *APIError) where() string { return urlOrPath(e.URL, e.Path) }

// urlOrPath is what an error names: the full URL, or the path when the URL is not known.
func urlOrPath(url, path string) string {
	if url != "" {
		return url
	}
	return path
}

// gaveUp tells how many attempts (and, for a create, requests in all) an operation made.
func gaveUp(attempts, requests int) string {
	s := ""
	if attempts > 1 {
		s = fmt.Sprintf("; gave up after %d attempts", attempts)
	}
	if requests > max(attempts, 1) {
		s += fmt.Sprintf(" (%d requests in all, counting the lookups by psp_order_code)", requests)
	}
	return s
}

// Retryable reports whether the answer is a transient one worth retrying for an idempotent request.
func (e *APIError) Retryable() bool { return slices.Contains(RetryableStatuses, e.StatusCode) }

// RetryableStatuses are the HTTP statuses after which an idempotent request is tried again.
var RetryableStatuses = []int{429, 500, 502, 503, 504}

// TransportError is a failure to get any HTTP answer: connection refused or dropped, timeout.
type TransportError struct {
	Method   string
	Path     string // relative to the base URL, with no query
	URL      string // the full URL called, without its query
	Err      error
	Attempts int
	Requests int // as APIError.Requests
}

func (e *TransportError) Error() string {
	return fmt.Sprintf("Cobo API %s %s: no answer: %v", e.Method, urlOrPath(e.URL, e.Path), e.Err) + gaveUp(e.Attempts, e.Requests)
}

func (e *TransportError) Unwrap() error { return e.Err }

// NeverSent reports whether err is a failure to connect at all (a refused connection, an unknown
// host): the request cannot have reached Cobo.
func NeverSent(err error) bool {
	var tErr *TransportError
	if !errors.As(err, &tErr) {
		return false
	}
	var op *net.OpError
	var dns *net.DNSError
	return (errors.As(err, &op) && op.Op == "dial") || errors.As(err, &dns)
}

// IsNotFound reports whether err is Cobo's "not found" (HTTP 404 or error_code 2028).
func IsNotFound(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && (apiErr.StatusCode == 404 || apiErr.Code == CodeNotFound)
}

// IsDuplicateKey reports whether err is Cobo's answer to a reused psp_order_code.
func IsDuplicateKey(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.Code == CodeDuplicateKey
}

// IsAuthFailed reports whether err is an authentication failure (wrong key, environment or signature).
func IsAuthFailed(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && (apiErr.StatusCode == 401 || apiErr.Code == CodeAuthFailed)
}

// excerpt returns a short printable excerpt of a non-JSON body (an HTML page from a proxy).
func excerpt(body []byte, max int) string {
	s := strings.Map(func(r rune) rune {
		if unicode.IsPrint(r) {
			return r
		}
		return ' '
	}, string(body))
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > max {
		s = string(r[:max]) + "…"
	}
	return s
}
