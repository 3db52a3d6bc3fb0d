package contract

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// Violation is one answer (or delivered event) that does not match Cobo's documents.
type Violation struct {
	Method    string // "EVENT" for a delivered webhook event body
	Path      string // the request path as sent; for an event, the URL it was delivered to
	Status    int    // 0 for an event
	Operation string // the operationId, "undocumented method", "undocumented path" or "WebhookEvent"
	Message   string // kin-openapi's message
}

func (v Violation) String() string {
	return fmt.Sprintf("%s %s -> %d (%s): %s", v.Method, v.Path, v.Status, v.Operation, v.Message)
}

// Validator checks answers of Cobo's API (the sandbox's) against the documents: the status must be one
// the operation documents (ranges such as 4XX included), the Content-Type one it documents for that
// status, and the body must match that response's schema. It records each violation, and which
// operation answered with which status (Exercised), so a test can prove it covered what it claims.
//
// Paths outside /v2 (the sandbox's /_sandbox helpers) are not Cobo's API and are ignored. A /v2 request
// that matches no documented operation (an unknown path, or a method the path does not document) must be
// answered with a 4XX and the documents' ErrorResponse body (the "4XX" response every operation uses).
// Answers injected by sandbox faults are whatever the test asked for; do not validate them.
type Validator struct {
	spec *Spec

	mu         sync.Mutex
	violations []Violation
	reported   int // violations already reported by Check
	exercised  map[string]int
}

// New returns a Validator over the embedded documents.
func New() (*Validator, error) {
	spec, err := LoadSpec()
	if err != nil {
		return nil, err
	}
	return &Validator{spec: spec, exercised: map[string]int{}}, nil
}

// NewForTest returns a Validator whose violations fail t when it ends (Check runs in t.Cleanup).
func NewForTest(t testing.TB) *Validator {
	t.Helper()
	v, err := New()
	if err != nil {
		t.Fatalf("contract: %v", err)
	}
	t.Cleanup(func() { v.Check(t) })
	return v
}

// ValidateResponse checks one answer to req. It records and returns the violation, if any; an answer
// outside /v2 returns nil and is not recorded.
func (v *Validator) ValidateResponse(req *http.Request, status int, header http.Header, body []byte) error {
	if !underAPIBase(req.URL.EscapedPath()) {
		return nil
	}
	route, key := v.route(req)
	err := openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, Route: route},
		Status:                 status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true, SchemaValidationOptions: schemaOptions},
	})
	v.record(Violation{Method: req.Method, Path: req.URL.EscapedPath(), Status: status, Operation: key}, fmt.Sprintf("%s %d", key, status), err)
	return err
}

// route finds the documented operation of req, or stands in an undocumented one that allows only the
// documents' 4XX ErrorResponse. key names it for Exercised: the operationId, "undocumented method" (the
// path is documented, the method is not) or "undocumented path".
func (v *Validator) route(req *http.Request) (*routers.Route, string) {
	methodNotAllowed := false
	for _, r := range v.spec.routers {
		route, _, err := r.FindRoute(req)
		if err == nil {
			return route, route.Operation.OperationID
		}
		methodNotAllowed = methodNotAllowed || errors.Is(err, routers.ErrMethodNotAllowed)
	}
	key := "undocumented path"
	if methodNotAllowed {
		key = "undocumented method"
	}
	op := &openapi3.Operation{OperationID: key, Responses: v.spec.undocumented}
	return &routers.Route{Spec: v.spec.Orders, Path: req.URL.EscapedPath(), Method: req.Method, Operation: op}, key
}

func underAPIBase(path string) bool {
	return path == apiBase || strings.HasPrefix(path, apiBase+"/")
}

// record counts one exchange under key and keeps it as a violation when err is not nil.
func (v *Validator) record(exchange Violation, key string, err error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.exercised[key]++
	if err != nil {
		exchange.Message = err.Error()
		v.violations = append(v.violations, exchange)
	}
}

// Violations returns every violation recorded so far (Check does not clear them).
func (v *Validator) Violations() []Violation {
	v.mu.Lock()
	defer v.mu.Unlock()
	return slices.Clone(v.violations)
}

// Exercised returns how often each operation answered with each status, keyed "operationId status"
// (such as "create_payment_order 201"), "undocumented method 405", "undocumented path 404", or
// "WebhookEvent <type>" for delivered events.
func (v *Validator) Exercised() map[string]int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return maps.Clone(v.exercised)
}

// MissingExercise returns the keys of want that were never exercised, sorted.
func (v *Validator) MissingExercise(want ...string) []string {
	got := v.Exercised()
	var missing []string
	for _, k := range want {
		if got[k] == 0 {
			missing = append(missing, k)
		}
	}
	sort.Strings(missing)
	return missing
}

// Check fails t with one error per violation not reported before.
func (v *Validator) Check(t testing.TB) {
	t.Helper()
	v.mu.Lock()
	fresh := v.violations[v.reported:]
	v.reported = len(v.violations)
	v.mu.Unlock()
	for _, viol := range fresh {
		t.Errorf("contract violation: %s", viol)
	}
}
