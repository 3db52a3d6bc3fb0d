package sandbox_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

const (
	orderEvents = `["payment.order.status.updated"]`
	hookURL     = "http://127.0.0.1:9/hook"
)

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// endpoint decodes a WebhookEndpoint answer strictly: exactly the spec's properties.
func (r result) endpoint(t testing.TB) cobo.WebhookEndpoint {
	t.Helper()
	var ep cobo.WebhookEndpoint
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ep); err != nil {
		t.Fatalf("answer %d is not a WebhookEndpoint: %v: %s", r.status, err, r.body)
	}
	return ep
}

func endpointBody(rawURL, events, description string) string {
	b := fmt.Sprintf(`{"url": %q, "subscribed_events": %s`, rawURL, events)
	if description != "" {
		b += fmt.Sprintf(`, "description": %q`, description)
	}
	return b + "}"
}

// register creates an endpoint and checks the 201.
func (c *apiClient) register(t testing.TB, body string) cobo.WebhookEndpoint {
	t.Helper()
	r := c.do("POST", "/v2/webhooks/endpoints", body)
	if r.status != 201 {
		t.Fatalf("register %s: %d %s", body, r.status, r.body)
	}
	return r.endpoint(t)
}

// putEndpoint sends a PUT and checks the 200.
func (c *apiClient) putEndpoint(t testing.TB, id, body string) cobo.WebhookEndpoint {
	t.Helper()
	r := c.do("PUT", "/v2/webhooks/endpoints/"+id, body)
	if r.status != 200 {
		t.Fatalf("PUT %s %s: %d %s", id, body, r.status, r.body)
	}
	return r.endpoint(t)
}

func TestWebhookEndpointLifecycle(t *testing.T) {
	t.Parallel()
	srv, c := startSandbox(t, sandbox.Options{Now: fixedClock()})
	ep := c.register(t, endpointBody(hookURL, `["payment.order.status.updated", "payment.transaction.created", "payment.order.status.updated"]`, "my app"))
	if !uuidPattern.MatchString(ep.EndpointID) || ep.URL != hookURL || ep.Status != cobo.EndpointStatusActive ||
		deref(ep.Description) != "my app" || ep.CreatedTimestamp != fixedStart.UnixMilli() {
		t.Fatalf("registered %+v", ep)
	}
	if fmt.Sprint(ep.SubscribedEvents) != "[payment.order.status.updated payment.transaction.created]" {
		t.Errorf("subscribed_events = %v, want each type once in the order sent", ep.SubscribedEvents)
	}
	if got := c.do("GET", "/v2/webhooks/endpoints/"+ep.EndpointID, "").endpoint(t); !reflect.DeepEqual(got, ep) {
		t.Fatalf("GET = %+v, want %+v", got, ep)
	}

	updated := c.putEndpoint(t, ep.EndpointID, `{"subscribed_events": ["payment.transaction.late"], "description": "new"}`)
	if fmt.Sprint(updated.SubscribedEvents) != "[payment.transaction.late]" || deref(updated.Description) != "new" || updated.Status != cobo.EndpointStatusActive || updated.URL != hookURL {
		t.Fatalf("updated %+v", updated)
	}
	if got := c.putEndpoint(t, ep.EndpointID, `{"description": ""}`); got.Description != nil || len(got.SubscribedEvents) != 1 {
		t.Fatalf("an empty description removes it and nothing else: %+v", got)
	}
	if got := c.putEndpoint(t, ep.EndpointID, `{}`); got.Status != cobo.EndpointStatusActive {
		t.Fatalf("an empty update: %+v", got)
	}
	revoked := c.putEndpoint(t, ep.EndpointID, `{"status": "STATUS_INACTIVE"}`)
	if revoked.Status != cobo.EndpointStatusInactive {
		t.Fatalf("revoked: %+v", revoked)
	}
	for _, body := range []string{`{"status": "STATUS_INACTIVE"}`, `{"description": "again"}`, `{}`} {
		c.do("PUT", "/v2/webhooks/endpoints/"+ep.EndpointID, body).wantCoboError(t, 400, cobo.CodeInvalidParameter, ep.EndpointID, "STATUS_INACTIVE", "final")
	}
	if got := srv.Sandbox.WebhookEndpoints(c.key()); len(got) != 1 || got[0].Status != cobo.EndpointStatusInactive || deref(got[0].Description) != "" {
		t.Fatalf("stored: %+v", got)
	}

	// a second endpoint for the same url is accepted (cobo.WebhookDuplicateURL)
	a, b := c.register(t, endpointBody(hookURL, orderEvents, "")), c.register(t, endpointBody(hookURL, orderEvents, ""))
	if a.EndpointID == b.EndpointID || a.EndpointID == ep.EndpointID || a.Description != nil {
		t.Fatalf("two endpoints for one url: %+v %+v", a, b)
	}
}

// Every bad registration of the table is refused with its code and a message naming the rule,
// and nothing is stored; the loopback and length limits accept what they should.
func TestWebhookEndpointRegistrationErrors(t *testing.T) {
	t.Parallel()
	srv, c := startSandbox(t, sandbox.Options{})
	long := "https://example.com/" + strings.Repeat("a", 481) // 501 characters
	cases := []struct {
		body  string
		code  int
		parts []string
	}{
		{`{"subscribed_events": ["payment.order.status.updated"]}`, cobo.CodeMissingParameter, []string{"url"}},
		{endpointBody("", orderEvents, ""), cobo.CodeMissingParameter, []string{"url"}},
		{endpointBody("not a url", orderEvents, ""), cobo.CodeInvalidParameter, []string{"url", "not an absolute URL"}},
		{endpointBody("/relative/hook", orderEvents, ""), cobo.CodeInvalidParameter, []string{"absolute"}},
		{endpointBody("http://example.com/hook", orderEvents, ""), cobo.CodeInvalidParameter, []string{"http", "loopback"}},
		{endpointBody("ftp://example.com/hook", orderEvents, ""), cobo.CodeInvalidParameter, []string{"scheme"}},
		{endpointBody(long, orderEvents, ""), cobo.CodeInvalidParameter, []string{"at most 500 characters", "501"}},
		{`{"url": 5, "subscribed_events": ["payment.order.status.updated"]}`, cobo.CodeInvalidParameter, []string{"url must be a JSON string"}},
		{`{"url": "https://example.com/hook"}`, cobo.CodeMissingParameter, []string{"subscribed_events"}},
		{endpointBody("https://example.com/hook", `null`, ""), cobo.CodeMissingParameter, []string{"subscribed_events"}},
		{endpointBody("https://example.com/hook", `[]`, ""), cobo.CodeMissingParameter, []string{"subscribed_events", "at least one"}},
		{endpointBody("https://example.com/hook", `"payment.order.status.updated"`, ""), cobo.CodeInvalidParameter, []string{"subscribed_events", "array"}},
		{endpointBody("https://example.com/hook", `[1]`, ""), cobo.CodeInvalidParameter, []string{"subscribed_events", "array"}},
		{endpointBody("https://example.com/hook", `["payment.order.status.updated", "payment.order.paid"]`, ""), cobo.CodeInvalidParameter, []string{`"payment.order.paid"`, "not a webhook event type", "/v2/webhooks/events/definitions"}},
		{`{"url": "https://example.com/hook", "subscribed_events": ["payment.order.status.updated"], "description": 7}`, cobo.CodeInvalidParameter, []string{"description"}},
		{`[]`, cobo.CodeInvalidParameter, []string{"JSON object"}},
		{``, cobo.CodeInvalidParameter, []string{"JSON object"}},
	}
	for _, tc := range cases {
		c.do("POST", "/v2/webhooks/endpoints", tc.body).wantCoboError(t, 400, tc.code, tc.parts...)
	}
	if n := len(srv.Sandbox.WebhookEndpoints("")); n != 0 {
		t.Fatalf("%d endpoints stored by refused requests", n)
	}
	for _, ok := range []string{"http://localhost/hook", "http://[::1]:8080/x", "http://127.0.0.2/hook", "https://example.com/hook", long[:500]} {
		if got := c.register(t, endpointBody(ok, orderEvents, "")); got.URL != ok {
			t.Errorf("url %q stored as %q", ok, got.URL)
		}
	}
}

func TestWebhookEndpointUpdateErrors(t *testing.T) {
	t.Parallel()
	srv, c := startSandbox(t, sandbox.Options{})
	other := newAPIClient(t, srv.URL, secretFor("webhook update other org"))
	ep := c.register(t, endpointBody(hookURL, orderEvents, "kept"))
	path := "/v2/webhooks/endpoints/" + ep.EndpointID
	for _, tc := range []struct {
		body  string
		code  int
		parts []string
	}{
		{`{"status": "STATUS_ACTIVE"}`, cobo.CodeInvalidParameter, []string{"status can only be STATUS_INACTIVE", "STATUS_ACTIVE"}},
		{`{"status": "STATUS_PENDING_ACTIVE"}`, cobo.CodeInvalidParameter, []string{"STATUS_INACTIVE"}},
		{`{"status": 1}`, cobo.CodeInvalidParameter, []string{"status must be a JSON string"}},
		{`{"url": "https://example.com/other"}`, cobo.CodeInvalidParameter, []string{"url cannot be changed"}},
		{`{"subscribed_events": []}`, cobo.CodeMissingParameter, []string{"subscribed_events"}},
		{`{"subscribed_events": ["nope"]}`, cobo.CodeInvalidParameter, []string{`"nope"`}},
		{`"x"`, cobo.CodeInvalidParameter, []string{"JSON object"}},
	} {
		c.do("PUT", path, tc.body).wantCoboError(t, 400, tc.code, tc.parts...)
	}
	c.do("PUT", "/v2/webhooks/endpoints/f47ac10b-58cc-4372-a567-0e02b2c3d479", `{}`).wantCoboError(t, 404, cobo.CodeNotFound, "f47ac10b-58cc-4372-a567-0e02b2c3d479")
	c.do("GET", "/v2/webhooks/endpoints/not-a-uuid", "").wantCoboError(t, 404, cobo.CodeNotFound, "not-a-uuid")
	// another organization's endpoint does not exist for it, and stays as it was
	other.do("GET", path, "").wantCoboError(t, 404, cobo.CodeNotFound)
	other.do("PUT", path, `{"status": "STATUS_INACTIVE"}`).wantCoboError(t, 404, cobo.CodeNotFound)
	if got := c.do("GET", path, "").endpoint(t); !reflect.DeepEqual(got, ep) {
		t.Fatalf("after refused updates: %+v, want %+v", got, ep)
	}
	if n := len(other.list(t, "").Data) + len(otherEndpoints(t, other)); n != 0 {
		t.Fatalf("the other organization sees %d items", n)
	}
}

func otherEndpoints(t testing.TB, c *apiClient) []cobo.WebhookEndpoint {
	t.Helper()
	return c.listEndpoints(t, "").Data
}

func (c *apiClient) listEndpoints(t testing.TB, query string) cobo.WebhookEndpointPage {
	t.Helper()
	target := "/v2/webhooks/endpoints"
	if query != "" {
		target += "?" + query
	}
	p := getOK[cobo.WebhookEndpointPage](t, c, "list endpoints "+query, target)
	if p.Data == nil {
		t.Fatalf("list endpoints %q: no data array", query)
	}
	return p
}

func endpointIDs(p cobo.WebhookEndpointPage) []string {
	out := make([]string, len(p.Data))
	for i, ep := range p.Data {
		out[i] = ep.EndpointID
	}
	return out
}

func TestWebhookEndpointListPagingAndFilters(t *testing.T) {
	t.Parallel()
	srv, c := startSandbox(t, sandbox.Options{})
	other := newAPIClient(t, srv.URL, secretFor("webhook list other org"))
	other.register(t, endpointBody(hookURL, orderEvents, "")) // must never show up
	var all, late []string
	for i := 0; i < 25; i++ {
		events := orderEvents
		if i%3 == 0 {
			events = `["payment.transaction.late", "payment.order.status.updated"]`
		}
		ep := c.register(t, endpointBody(fmt.Sprintf("https://example.com/hook/%d", i), events, ""))
		all = append(all, ep.EndpointID)
		if i%3 == 0 {
			late = append(late, ep.EndpointID)
		}
	}
	revoked := []string{all[4], all[6]}
	for _, id := range revoked {
		c.putEndpoint(t, id, `{"status": "STATUS_INACTIVE"}`)
	}

	p := c.listEndpoints(t, "")
	wantIDs(t, "first page", endpointIDs(p), all[:10])
	if p.Pagination != (cobo.Pagination{After: all[9], TotalCount: 25}) {
		t.Fatalf("pagination = %+v", p.Pagination)
	}
	var walked []string
	for cursor := ""; ; {
		p := c.listEndpoints(t, "limit=7&after="+url.QueryEscape(cursor))
		walked = append(walked, endpointIDs(p)...)
		if cursor = p.Pagination.After; cursor == "" {
			break
		}
	}
	wantIDs(t, "walked forwards", walked, all)
	p = c.listEndpoints(t, "limit=5&before="+all[12])
	wantIDs(t, "before", endpointIDs(p), all[7:12])
	if p.Pagination != (cobo.Pagination{Before: all[7], After: all[11], TotalCount: 25}) {
		t.Fatalf("before: pagination = %+v", p.Pagination)
	}
	wantIDs(t, "event_type", endpointIDs(c.listEndpoints(t, "limit=50&event_type=payment.transaction.late")), late)
	wantIDs(t, "status", endpointIDs(c.listEndpoints(t, "status=STATUS_INACTIVE")), revoked)
	activeLate := []string{late[0], late[1]} // indexes 0, 3; 6 is revoked
	activeLate = append(activeLate, late[3:]...)
	p = c.listEndpoints(t, "status=STATUS_ACTIVE&event_type=payment.transaction.late&limit=2&after="+all[2])
	wantIDs(t, "both filters after a cursor", endpointIDs(p), activeLate[1:3])
	if p.Pagination != (cobo.Pagination{Before: activeLate[1], After: activeLate[2], TotalCount: len(activeLate)}) {
		t.Fatalf("both filters: pagination = %+v", p.Pagination)
	}

	for query, parts := range map[string][]string{
		"limit=0":                               {"limit", "between 1 and 50"},
		"limit=51":                              {"limit"},
		"status=STATUS_DELETED":                 {"status", "STATUS_DELETED", "STATUS_PENDING_UPDATE"},
		"event_type=payment.nope":               {"event_type", "payment.nope"},
		"before=" + all[1] + "&after=" + all[2]: {"before and after"},
		"after=" + endpointIDs(other.listEndpoints(t, ""))[0]: {"after", "not a cursor"},
		"before=O20250304-000001":                             {"before", "not a cursor", "endpoint_id"},
	} {
		c.do("GET", "/v2/webhooks/endpoints?"+query, "").wantCoboError(t, 400, cobo.CodeInvalidParameter, parts...)
	}
	if n := len(other.listEndpoints(t, "").Data); n != 1 {
		t.Fatalf("the other organization lists %d endpoints, want its 1", n)
	}
}

func TestWebhookEventDefinitions(t *testing.T) {
	t.Parallel()
	_, c := startSandbox(t, sandbox.Options{})
	r := c.do("GET", "/v2/webhooks/events/definitions", "")
	var defs []cobo.WebhookEventDefinition
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&defs); r.status != 200 || err != nil {
		t.Fatalf("definitions: %d %v %s", r.status, err, r.body)
	}
	if len(defs) != len(cobo.WebhookEventTypes) {
		t.Fatalf("%d definitions, want every one of the %d types", len(defs), len(cobo.WebhookEventTypes))
	}
	for i, d := range defs {
		if d.EventType != cobo.WebhookEventTypes[i] || d.Description == "" {
			t.Errorf("definition %d = %+v, want %s with a description", i, d, cobo.WebhookEventTypes[i])
		}
	}
	if !strings.Contains(string(r.body), `"event_type":"payment.order.status.updated","description":"Occurs when the status of a pay-in order changes`) ||
		!strings.Contains(string(r.body), `"event_type":"wallets.transaction.created","description":"Occurs on wallets transaction created"`) {
		t.Errorf("descriptions: %s", r.body)
	}
}
