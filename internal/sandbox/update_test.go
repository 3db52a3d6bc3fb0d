package sandbox_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

func TestUpdateOrder(t *testing.T) {
	t.Parallel()
	srv, c := startSandbox(t, sandbox.Options{Now: fixedClock()})
	sb := srv.Sandbox
	other := newAPIClient(t, srv.URL, secretFor("update other org"))
	t0 := fixedStart.Unix()

	pending := c.create(t, nil)
	alreadyExpired := c.create(t, nil)
	processing := c.create(t, nil)
	completed := c.create(t, nil)
	underpaid := c.create(t, map[string]any{"expired_in": 5})
	if _, err := sb.Pay(processing.OrderID, sandbox.Payment{Amount: "1.00"}); err != nil {
		t.Fatal(err)
	}
	if _, err := sb.Pay(completed.OrderID, sandbox.Payment{Amount: completed.PayableAmount}); err != nil {
		t.Fatal(err)
	}
	if _, err := sb.Pay(underpaid.OrderID, sandbox.Payment{Amount: "1.00"}); err != nil {
		t.Fatal(err)
	}
	if r := c.do("PUT", "/v2/payments/orders/"+alreadyExpired.OrderID, `{"expired":true}`); r.status != 200 {
		t.Fatalf("expiring: %d %s", r.status, r.body)
	}
	sb.Advance(10 * time.Second)

	// Pending -> Expired, updated now
	r := c.do("PUT", "/v2/payments/orders/"+pending.OrderID, `{"expired": true}`)
	if r.status != http.StatusOK {
		t.Fatalf("expire Pending: %d %s", r.status, r.body)
	}
	if o := r.order(t); o.Status != cobo.StatusExpired || deref(o.UpdatedTimestamp) != t0+10 || deref(o.CreatedTimestamp) != t0 {
		t.Fatalf("expired order: status %s updated %d created %d", o.Status, deref(o.UpdatedTimestamp), deref(o.CreatedTimestamp))
	}
	// already Expired -> 200 unchanged (updated_timestamp kept from the first expiry)
	r = c.do("PUT", "/v2/payments/orders/"+alreadyExpired.OrderID, "{\"expired\":true}\n")
	if r.status != http.StatusOK {
		t.Fatalf("expire Expired: %d %s", r.status, r.body)
	}
	if o := r.order(t); o.Status != cobo.StatusExpired || deref(o.UpdatedTimestamp) != t0 {
		t.Fatalf("already expired: status %s updated %d, want Expired and %d", o.Status, deref(o.UpdatedTimestamp), t0)
	}

	for _, tc := range []struct {
		name, id, status string
	}{
		{"Processing", processing.OrderID, cobo.StatusProcessing},
		{"Completed", completed.OrderID, cobo.StatusCompleted},
		{"Underpaid", underpaid.OrderID, cobo.StatusUnderpaid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c.do("PUT", "/v2/payments/orders/"+tc.id, `{"expired":true}`).wantCoboError(t,
				cobo.ExpireNotPending.HTTPStatus, cobo.ExpireNotPending.Code, tc.status, "only Pending orders can be expired")
			if got := c.do("GET", "/v2/payments/orders/"+tc.id, "").order(t); got.Status != tc.status {
				t.Fatalf("status changed to %s", got.Status)
			}
		})
	}

	fresh := c.create(t, nil)
	bodies := []struct {
		name, body   string
		status, code int
		part         string
	}{
		{"missing expired", `{}`, 400, cobo.CodeMissingParameter, "expired"},
		{"null expired", `{"expired": null}`, 400, cobo.CodeMissingParameter, "expired"},
		{"expired false", `{"expired": false}`, 400, cobo.CodeInvalidParameter, "expired"},
		{"expired string", `{"expired": "true"}`, 400, cobo.CodeInvalidParameter, "boolean"},
		{"not an object", `[true]`, 400, cobo.CodeInvalidParameter, "JSON object"},
		{"empty body", ``, 400, cobo.CodeInvalidParameter, "JSON object"},
	}
	for _, tc := range bodies {
		t.Run(tc.name, func(t *testing.T) {
			c.do("PUT", "/v2/payments/orders/"+fresh.OrderID, tc.body).wantCoboError(t, tc.status, tc.code, tc.part)
		})
	}
	if got := c.do("GET", "/v2/payments/orders/"+fresh.OrderID, "").order(t); got.Status != cobo.StatusPending {
		t.Fatalf("rejected updates changed the order to %s", got.Status)
	}
	c.do("PUT", "/v2/payments/orders/O20250304-999999", `{"expired":true}`).wantCoboError(t, 404, cobo.CodeNotFound, "O20250304-999999")
	other.do("PUT", "/v2/payments/orders/"+fresh.OrderID, `{"expired":true}`).wantCoboError(t, 404, cobo.CodeNotFound)
	if got := sb.Orders(c.key()); got[len(got)-1].Status != cobo.StatusPending {
		t.Fatalf("another organization expired the order")
	}
}

func TestRoutingErrors(t *testing.T) {
	t.Parallel()
	srv, c := startSandbox(t, sandbox.Options{})
	o := c.create(t, nil)
	c.do("GET", "/v2/payments/orders/"+o.OrderID+"/extra", "").wantCoboError(t, 404, cobo.CodeNotFound)
	c.do("GET", "/v2/payments/orders/", "").wantCoboError(t, 404, cobo.CodeNotFound)
	c.do("GET", "/v2/payments/payouts", "").wantCoboError(t, 404, cobo.CodeNotFound, "/v2/payments/payouts")
	c.do("GET", "/v2/payments/orders/nope", "").wantCoboError(t, 404, cobo.CodeNotFound, "nope")
	r := c.do("DELETE", "/v2/payments/orders/"+o.OrderID, "")
	r.wantCoboError(t, 405, cobo.CodeInvalidParameter, "DELETE", "GET, PUT")
	if r.header.Get("Allow") != "GET, PUT" {
		t.Errorf("Allow = %q", r.header.Get("Allow"))
	}
	c.do("PATCH", "/v2/payments/orders", "").wantCoboError(t, 405, cobo.CodeInvalidParameter, "PATCH")
	// the order id segment is path-unescaped once
	escaped := "/v2/payments/orders/" + o.OrderID[:1] + "%" + "32" + o.OrderID[2:] // 'O' + %32 ("2") + rest
	if o.OrderID[1] != '2' {
		t.Fatalf("order id %q does not start with O2", o.OrderID)
	}
	if got := c.do("GET", escaped, ""); got.status != 200 || got.order(t).OrderID != o.OrderID {
		t.Fatalf("escaped id: %d %s", got.status, got.body)
	}
	// net/http's server refuses a bad escape itself; driving the handler directly shows the sandbox does too
	rawPath := "/v2/payments/orders/O%zz"
	req := &http.Request{Method: "GET", URL: &url.URL{Path: "/v2/payments/orders/O"}, RequestURI: rawPath, Header: http.Header{}, Body: http.NoBody}
	c.signer.SetHeaders(req.Header, "GET", rawPath, strconv.FormatInt(time.Now().UnixMilli(), 10), "", nil)
	rec := httptest.NewRecorder()
	srv.Sandbox.ServeHTTP(rec, req)
	result{status: rec.Code, body: rec.Body.Bytes(), header: rec.Header()}.wantCoboError(t, 400, cobo.CodeInvalidParameter, "escaped")
}
