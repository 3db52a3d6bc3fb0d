package sandbox_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox/sandboxtest"
)

// With -state the endpoints survive a restart exactly, a change awaiting approval included, and the
// registration order (what the list pages by) goes on.
func TestWebhookEndpointsSurviveRestart(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "state.json")
	opts := sandbox.Options{Now: fixedClock(), StateFile: path, WebhookApproval: true}
	srv, c := startSandbox(t, opts)
	active := c.register(t, endpointBody(hookURL, orderEvents, "kept")).EndpointID
	decide(t, srv.URL, active, "approve")
	c.putEndpoint(t, active, `{"subscribed_events": ["payment.transaction.late"], "description": ""}`) // awaits approval
	waiting := c.register(t, endpointBody("https://example.com/hook", orderEvents, "")).EndpointID
	beforeList := c.listEndpoints(t, "")
	srv.Close()

	srv2 := sandboxtest.New(t, opts)
	c.root = srv2.URL
	if got := c.listEndpoints(t, ""); !reflect.DeepEqual(got, beforeList) {
		t.Fatalf("after the restart the list is %+v, want %+v", got, beforeList)
	}
	approved := decide(t, srv2.URL, active, "approve") // the pending change was kept
	if approved.Status != cobo.EndpointStatusActive || approved.SubscribedEvents[0] != cobo.EventPaymentTransactionLate {
		t.Fatalf("approved after the restart: %+v", approved)
	}
	if got := c.do("GET", "/v2/webhooks/endpoints/"+active, "").endpoint(t); got.Description != nil {
		t.Fatalf("the pending description removal was lost: %+v", got)
	}
	third := c.register(t, endpointBody(hookURL, orderEvents, "")).EndpointID
	if ids := endpointIDs(c.listEndpoints(t, "")); !reflect.DeepEqual(ids, []string{active, waiting, third}) {
		t.Fatalf("after the restart the list is %v, want the new endpoint last", ids)
	}
}

// A state file written before webhooks (no endpoint fields) still loads, with no endpoints; a damaged
// endpoint is refused like a damaged order.
func TestStateFileWebhookFields(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "state.json")
	srv, c := startSandbox(t, sandbox.Options{Now: fixedClock(), StateFile: path})
	o := c.create(t, nil)
	c.register(t, endpointBody(hookURL, orderEvents, ""))
	srv.Close()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var st map[string]json.RawMessage
	if err := json.Unmarshal(data, &st); err != nil || st["webhook_endpoints"] == nil || st["endpoint_seq"] == nil {
		t.Fatalf("the state file does not hold the endpoints (%v): %s", err, data)
	}

	delete(st, "webhook_endpoints")
	delete(st, "endpoint_seq")
	old, _ := json.Marshal(st)
	oldPath := filepath.Join(t.TempDir(), "old.json")
	if err := os.WriteFile(oldPath, old, 0o600); err != nil {
		t.Fatal(err)
	}
	sb, err := sandbox.Open(sandbox.Options{StateFile: oldPath})
	if err != nil {
		t.Fatalf("a state file without webhook fields: %v", err)
	}
	defer sb.Close()
	if len(sb.Orders("")) != 1 || sb.Orders("")[0].OrderID != o.OrderID || len(sb.WebhookEndpoints("")) != 0 {
		t.Fatalf("loaded %d orders and %d endpoints, want the order and none", len(sb.Orders("")), len(sb.WebhookEndpoints("")))
	}

	orders, endpoints, _ := bytes.Cut(data, []byte(`"webhook_endpoints"`))
	inEndpoints := func(old, new string) []byte { // data with a change in the endpoints part only
		return append(append(append([]byte{}, orders...), `"webhook_endpoints"`...), bytes.Replace(endpoints, []byte(old), []byte(new), 1)...)
	}
	for name, tc := range map[string]struct {
		damaged []byte
		part    string // what the error names
	}{
		"status":        {inEndpoints(`"status": "STATUS_ACTIVE"`, `"status": "STATUS_GONE"`), "STATUS_GONE"},
		"seq":           {bytes.Replace(data, []byte(`"endpoint_seq": 1`), []byte(`"endpoint_seq": 0`), 1), "endpoint_seq 0"},
		"no events":     {inEndpoints(`"payment.order.status.updated"`, ``), "subscribed_events is empty"},
		"bad org":       {inEndpoints(`"organization": "`+c.key(), `"organization": "x`), "organization"},
		"unknown field": {inEndpoints(`"seq": 1`, `"seq": 1, "unknown": 1`), `unknown field "unknown"`},
		"pending":       {inEndpoints(`"seq": 1`, `"seq": 1, "pending": {"revoke": true}`), "a pending change on an endpoint that is STATUS_ACTIVE"},
	} {
		if bytes.Equal(tc.damaged, data) {
			t.Fatalf("%s: the case does not damage the file", name)
		}
		p := filepath.Join(t.TempDir(), "state.json")
		if err := os.WriteFile(p, tc.damaged, 0o600); err != nil {
			t.Fatal(err)
		}
		if sb, err := sandbox.Open(sandbox.Options{StateFile: p}); err == nil {
			sb.Close()
			t.Errorf("%s: a damaged endpoint was loaded", name)
		} else if !strings.Contains(err.Error(), tc.part) || !strings.Contains(err.Error(), "left untouched") {
			t.Errorf("%s: %v, want it to name %q", name, err, tc.part)
		}
	}
}

// Reset forgets the endpoints like the orders.
func TestResetForgetsWebhookEndpoints(t *testing.T) {
	t.Parallel()
	srv, c := startSandbox(t, sandbox.Options{})
	id := c.register(t, endpointBody(hookURL, orderEvents, "")).EndpointID
	srv.Sandbox.Reset()
	c.do("GET", "/v2/webhooks/endpoints/"+id, "").wantCoboError(t, 404, cobo.CodeNotFound)
	if p := c.listEndpoints(t, ""); p.Pagination.TotalCount != 0 {
		t.Fatalf("after a reset: %+v", p)
	}
}
