package sandbox_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox/sandboxtest"
)

// Without a state file a restarted sandbox starts empty, and none of the ids it hands out were handed
// out before the restart.
func TestRestartWithoutStateGivesNewIDs(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for run := 0; run < 3; run++ {
		srv, c := startSandbox(t, sandbox.Options{Now: fixedClock()})
		if got := c.do("GET", "/v2/payments/orders", ""); got.status != 200 || !strings.Contains(string(got.body), `"total_count":0`) {
			t.Fatalf("run %d: a new sandbox without -state is not empty: %d %s", run, got.status, got.body)
		}
		for i := 0; i < 3; i++ {
			o := c.create(t, nil)
			if seen[o.OrderID] {
				t.Fatalf("run %d: order id %s was already handed out by an earlier run", run, o.OrderID)
			}
			if !strings.HasPrefix(o.OrderID, "O20250304-") {
				t.Errorf("order id %s does not start with O<date>-", o.OrderID)
			}
			seen[o.OrderID] = true
		}
		srv.Close()
	}
	if len(seen) != 9 {
		t.Fatalf("%d distinct ids, want 9", len(seen))
	}
}

// With a state file a restarted sandbox serves the same orders with their status and continues the
// clock and the id sequence.
func TestRestartWithStateContinues(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "state.json")
	opts := sandbox.Options{Now: fixedClock(), StateFile: path}
	srv, c := startSandbox(t, opts)
	paid, expired, pending := c.create(t, nil), c.create(t, nil), c.create(t, nil)
	if _, err := srv.Sandbox.Pay(paid.OrderID, sandbox.Payment{Amount: paid.PayableAmount}); err != nil {
		t.Fatal(err)
	}
	if r := c.do("PUT", "/v2/payments/orders/"+expired.OrderID, `{"expired":true}`); r.status != 200 {
		t.Fatalf("expire: %d %s", r.status, r.body)
	}
	if r := c.do("POST", "/_sandbox/clock/advance", `{"seconds": 600}`); r.status != 200 {
		t.Fatalf("advance: %d %s", r.status, r.body)
	}
	before := map[string][]byte{}
	for _, o := range []*cobo.Order{paid, expired, pending} {
		before[o.OrderID] = c.do("GET", "/v2/payments/orders/"+o.OrderID, "").body
	}
	beforeList := c.do("GET", "/v2/payments/orders?limit=2", "").body
	srv.Close()

	srv2 := sandboxtest.New(t, opts)
	c.root = srv2.URL
	for id, want := range before {
		if got := c.do("GET", "/v2/payments/orders/"+id, ""); got.status != 200 || !bytes.Equal(got.body, want) {
			t.Errorf("after the restart GET %s = %d %s, want %s", id, got.status, got.body, want)
		}
	}
	if got := c.do("GET", "/v2/payments/orders?limit=2", "").body; !bytes.Equal(got, beforeList) {
		t.Errorf("after the restart the first page is %s, want %s", got, beforeList)
	}
	statuses := map[string]string{}
	for _, o := range srv2.Sandbox.Orders(c.key()) {
		statuses[o.OrderID] = o.Status
	}
	want := map[string]string{paid.OrderID: cobo.StatusCompleted, expired.OrderID: cobo.StatusExpired, pending.OrderID: cobo.StatusPending}
	if !reflect.DeepEqual(statuses, want) {
		t.Errorf("statuses after the restart = %v, want %v", statuses, want)
	}
	if got, wantNow := srv2.Sandbox.Now(), fixedStart.Add(10*time.Minute); !got.Equal(wantNow) {
		t.Errorf("clock after the restart = %s, want %s (the 10 minutes advanced before it)", got, wantNow)
	}
	// the clock goes on from there: the pending order (expired_in 1800) expires 20 minutes later
	srv2.Sandbox.Advance(20 * time.Minute)
	if got := c.do("GET", "/v2/payments/orders/"+pending.OrderID, "").order(t); got.Status != cobo.StatusExpired {
		t.Errorf("pending order after 30 minutes in all = %s, want Expired", got.Status)
	}
	next := c.create(t, nil)
	if before[next.OrderID] != nil || next.OrderID[:len(next.OrderID)-6] != pending.OrderID[:len(pending.OrderID)-6] || !strings.HasSuffix(next.OrderID, "-000004") {
		t.Errorf("the first order after the restart is %s, want the sequence to continue after %s", next.OrderID, pending.OrderID)
	}
	// the psp_order_code of an order from before the restart is still taken
	dup := c.do("POST", "/v2/payments/orders", createBody(map[string]any{"psp_order_code": paid.PspOrderCode}))
	dup.wantCoboError(t, 400, cobo.CodeDuplicateKey, paid.OrderID)
}

// A wall clock that went back does not take the business clock back before what was saved.
func TestRestartWithStateClockNeverGoesBack(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "state.json")
	srv := sandboxtest.New(t, sandbox.Options{Now: fixedClock(), StateFile: path})
	srv.Sandbox.Advance(time.Hour)
	srv.Close()
	earlier := func() time.Time { return fixedStart.Add(-24 * time.Hour) }
	srv2 := sandboxtest.New(t, sandbox.Options{Now: earlier, StateFile: path})
	if got := srv2.Sandbox.Now(); got.Before(fixedStart.Add(time.Hour)) {
		t.Errorf("clock after a restart with the wall clock a day back = %s, want at least %s", got, fixedStart.Add(time.Hour))
	}
}

// A state file that cannot be read is refused at start with its name, and left byte for byte as it
// was; nothing else is written beside it.
func TestUnreadableStateFileRefusedAndUntouched(t *testing.T) {
	t.Parallel()
	valid := func(t *testing.T) []byte {
		path := filepath.Join(t.TempDir(), "state.json")
		srv, c := startSandbox(t, sandbox.Options{Now: fixedClock(), StateFile: path})
		c.create(t, nil)
		c.create(t, nil)
		srv.Close()
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}(t)
	cases := map[string][]byte{
		"truncated":       valid[:len(valid)/2],
		"truncated-end":   valid[:len(valid)-3],
		"empty":           {},
		"garbage":         []byte("\x00\x01not a state file at all\n"),
		"other JSON":      []byte(`{"orders": []}`),
		"two values":      append(append([]byte{}, valid...), valid...),
		"wrong version":   bytes.Replace(valid, []byte(`"version": 1`), []byte(`"version": 9`), 1),
		"order damaged":   bytes.Replace(valid, []byte(`"payable_amount": "103.03"`), []byte(`"payable_amount": "lots"`), 1),
		"unknown org key": bytes.Replace(valid, []byte(`"organization": "`), []byte(`"organization": "zz`), 1),
	}
	wantStateFilesRefused(t, valid, cases)
}

// wantStateFilesRefused opens a sandbox on each damaged copy of valid: each must be refused with an
// error naming the file, and left as it was, with nothing else written beside it.
func wantStateFilesRefused(t *testing.T, valid []byte, cases map[string][]byte) {
	for name, content := range cases {
		t.Run(name, func(t *testing.T) {
			if bytes.Equal(content, valid) {
				t.Fatalf("the case does not damage the file")
			}
			dir := t.TempDir()
			path := filepath.Join(dir, "state.json")
			if err := os.WriteFile(path, content, 0o600); err != nil {
				t.Fatal(err)
			}
			sb, err := sandbox.Open(sandbox.Options{StateFile: path})
			if err == nil {
				sb.Close()
				t.Fatalf("Open accepted a %s state file", name)
			}
			if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "left untouched") {
				t.Errorf("error %q does not name the file %s and say it was left untouched", err, path)
			}
			if got, _ := os.ReadFile(path); !bytes.Equal(got, content) {
				t.Errorf("the refused file changed:\n%q\nwant\n%q", got, content)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 1 {
				t.Errorf("the directory holds %d entries after the refusal, want only the state file", len(entries))
			}
		})
	}
}

// The state file is written before the answer: what a client saw succeed is in the file, and a save
// that fails is an error answer that leaves nothing behind in memory either.
func TestStateWrittenBeforeAnswer(t *testing.T) {
	t.Parallel()
	dir, path := removableStateFile(t)
	srv, c := startSandbox(t, sandbox.Options{Now: fixedClock(), StateFile: path})
	o := c.create(t, nil)
	var st struct {
		Tables struct {
			Orders struct {
				Rows []struct {
					Value cobo.Order `json:"value"`
				} `json:"rows"`
			} `json:"orders"`
		} `json:"tables"`
	}
	data, _ := os.ReadFile(path)
	if err := json.Unmarshal(data, &st); err != nil || len(st.Tables.Orders.Rows) != 1 || st.Tables.Orders.Rows[0].Value.OrderID != o.OrderID {
		t.Fatalf("the state file after one create holds %s (%v), want the order %s", data, err, o.OrderID)
	}
	if r := c.do("POST", "/_sandbox/orders/"+o.OrderID+"/payments", `{"amount": "1.00"}`); r.status != 200 {
		t.Fatalf("pay: %d %s", r.status, r.body)
	}
	data, _ = os.ReadFile(path)
	if !strings.Contains(string(data), `"received_token_amount": "1.00"`) {
		t.Fatalf("the state file after a payment does not hold it: %s", data)
	}

	// a state that cannot be saved: the directory is gone
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	r := c.do("POST", "/v2/payments/orders", createBody(nil))
	r.wantCoboError(t, 500, cobo.CodeInternal, "not created", path)
	if n := len(srv.Sandbox.Orders(c.key())); n != 1 {
		t.Errorf("%d orders in memory after a create whose save failed, want 1", n)
	}
	if r := c.do("POST", "/_sandbox/clock/advance", `{"seconds": 60}`); r.status != 500 || !strings.Contains(string(r.body), path) {
		t.Errorf("advance whose save failed: %d %s, want 500 naming %s", r.status, r.body, path)
	}
	if got := srv.Sandbox.Now(); !got.Equal(fixedStart) {
		t.Errorf("clock after an advance whose save failed = %s, want it unchanged", got)
	}
	if r := c.do("POST", "/_sandbox/orders/"+o.OrderID+"/payments", `{"amount": "1.00"}`); r.status != 500 {
		t.Errorf("pay whose save failed: %d %s, want 500", r.status, r.body)
	}
	if got := srv.Sandbox.Orders(c.key())[0]; got.ReceivedTokenAmount != "1.00" || len(got.Transactions) != 1 {
		t.Errorf("order after a payment whose save failed: received %s, %d transactions; want 1.00 and 1", got.ReceivedTokenAmount, len(got.Transactions))
	}
}

// removableStateFile is a state file path in a directory of its own, which a test removes so that
// the next save fails.
func removableStateFile(t *testing.T) (dir, path string) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "sub")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	return dir, filepath.Join(dir, "state.json")
}

// A refund whose save fails is an error answer that leaves nothing behind: no refund, and the
// balance it would have taken from unchanged (money and state never disagree).
func TestRefundWhoseSaveFailsMovesNoMoney(t *testing.T) {
	t.Parallel()
	dir, path := removableStateFile(t)
	_, c := funded(t, sandbox.Options{StateFile: path})
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	c.do("POST", "/v2/payments/refunds", refundBody("r-lost", "10.00", "")).wantCoboError(t, 500, cobo.CodeInternal, "not created", path)
	wantBalances(t, c, "M1001", "99", "1")
	if page := decodeInto[refundPage](t, c.do("GET", "/v2/payments/refunds", ""), 200); len(page.Data) != 0 {
		t.Fatalf("a refund whose save failed is listed: %+v", page.Data)
	}
	c.do("POST", "/v2/payments/merchants", `{"name": "lost"}`).wantCoboError(t, 500, cobo.CodeInternal, "not created")
	if page := decodeInto[merchantPage](t, c.do("GET", "/v2/payments/merchants?keyword=lost", ""), 200); len(page.Data) != 0 {
		t.Fatalf("a merchant whose save failed is listed: %+v", page.Data)
	}
}

// A state file whose tables a sandbox could not have written is refused and left untouched.
func TestDamagedTablesRefused(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "state.json")
	srv, c := funded(t, sandbox.Options{StateFile: path})
	c.refund(t, refundBody("r-1", "1.00", ""))
	srv.Close()
	valid, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	wantStateFilesRefused(t, valid, map[string][]byte{
		"unknown table":    bytes.Replace(valid, []byte(`"tables": {`), []byte(`"tables": {"payouts": {"seq": 0, "rows": []}, `), 1),
		"negative balance": bytes.Replace(valid, []byte(`"total_balance": "98"`), []byte(`"total_balance": "-98"`), 1),
		"refund status":    bytes.Replace(valid, []byte(`"status": "PendingConfirmation"`), []byte(`"status": "Canceled"`), 1),
		"unknown field":    bytes.Replace(valid, []byte(`"wallet_setup": "Default"`), []byte(`"wallet_setup": "Default", "colour": "red"`), 1),
	})
}

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

// The endpoints are a table of the state file. A file written before webhooks (no endpoints) still
// loads, with none; one written before the tables (top-level webhook_endpoints and endpoint_seq) loads
// its endpoints, a pending change included, and the registration sequence goes on; a damaged endpoint
// is refused like a damaged order.
func TestStateFileWebhookFields(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "state.json")
	srv, c := startSandbox(t, sandbox.Options{Now: fixedClock(), StateFile: path})
	o := c.create(t, nil)
	ep := c.register(t, endpointBody(hookURL, orderEvents, ""))
	srv.Close()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var st map[string]any
	err = json.Unmarshal(data, &st)
	tables, _ := st["tables"].(map[string]any)
	if err != nil || tables == nil || tables["webhook_endpoints"] == nil {
		t.Fatalf("the state file does not hold the endpoints table (%v): %s", err, data)
	}
	if st["webhook_endpoints"] != nil || st["endpoint_seq"] != nil {
		t.Fatalf("the state file still writes the endpoints outside the tables: %s", data)
	}

	delete(tables, "webhook_endpoints")
	sb, _ := openStateJSON(t, st)
	if len(sb.Orders("")) != 1 || sb.Orders("")[0].OrderID != o.OrderID || len(sb.WebhookEndpoints("")) != 0 {
		t.Fatalf("loaded %d orders and %d endpoints, want the order and none", len(sb.Orders("")), len(sb.WebhookEndpoints("")))
	}
	sb.Close()

	pending := ep
	pending.Status = cobo.EndpointStatusPendingUpdate
	legacy := map[string]any{"organization": c.key(), "seq": 1, "endpoint": pending, "pending": map[string]any{"description": "later"}}
	st["endpoint_seq"], st["webhook_endpoints"] = 1, []any{legacy}
	sb, upgraded := openStateJSON(t, st)
	defer sb.Close()
	if got := sb.WebhookEndpoints(""); len(got) != 1 || got[0].EndpointID != ep.EndpointID || got[0].Status != cobo.EndpointStatusPendingUpdate {
		t.Fatalf("a file of an older sandbox loaded the endpoints %+v, want %s awaiting its update", got, ep.EndpointID)
	}
	if approved, err := sb.ApproveWebhookEndpoint(ep.EndpointID); err != nil || deref(approved.Description) != "later" {
		t.Fatalf("the pending change of an older file: %+v, %v", approved, err)
	}
	if saved, err := os.ReadFile(upgraded); err != nil || !bytes.Contains(saved, []byte(`"webhook_endpoints": {
      "seq": 1,`)) || bytes.Contains(saved, []byte(`"endpoint_seq"`)) {
		t.Fatalf("an older file is saved with the endpoints table, its sequence kept (%v):\n%s", err, saved)
	}

	at := bytes.Index(data, []byte(`"webhook_endpoints"`))
	inEndpoints := func(old, new string) []byte { // data with a change in the endpoints table only
		return append(data[:at:at], bytes.Replace(data[at:], []byte(old), []byte(new), 1)...)
	}
	active := `"status": "STATUS_ACTIVE"`
	for name, tc := range map[string]struct {
		damaged []byte
		part    string // what the error names
	}{
		"status":        {inEndpoints(active, `"status": "STATUS_GONE"`), "STATUS_GONE"},
		"seq":           {inEndpoints(`"seq": 1`, `"seq": 0`), "is not between 1 and 0"},
		"no events":     {inEndpoints(`"payment.order.status.updated"`, ``), "subscribed_events is empty"},
		"bad org":       {inEndpoints(`"organization": "`+c.key(), `"organization": "x`), "organization"},
		"unknown field": {inEndpoints(active, active+`, "unknown": 1`), `unknown field "unknown"`},
		"pending":       {inEndpoints(active, active+`, "pending": {"revoke": true}`), "a pending change on an endpoint that is STATUS_ACTIVE"},
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

// openStateJSON opens a sandbox on a new state file holding st, at path.
func openStateJSON(t *testing.T, st map[string]any) (sb *sandbox.Sandbox, path string) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "state.json")
	writeStateJSON(t, path, st)
	sb, err := sandbox.Open(sandbox.Options{StateFile: path})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return sb, path
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

// The orders are a table of the state file. A file written before (top-level orders and seq) loads
// its orders with what is kept beside them rebuilt (the amount received so far, the psp_order_code
// taken), the order sequence goes on, and the next save writes the table; a damaged one is refused.
func TestStateFileLegacyOrders(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "state.json")
	opts := sandbox.Options{Now: fixedClock(), StateFile: path}
	srv, c := startSandbox(t, opts)
	partly, pending := c.create(t, map[string]any{"amount_tolerance": "0.5"}), c.create(t, nil)
	if _, err := srv.Sandbox.Pay(partly.OrderID, sandbox.Payment{Amount: "3.03"}); err != nil {
		t.Fatal(err)
	}
	before := c.do("GET", "/v2/payments/orders", "").body
	srv.Close()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var st map[string]any
	if err := json.Unmarshal(data, &st); err != nil {
		t.Fatal(err)
	}
	if st["orders"] != nil || st["seq"] != nil {
		t.Fatalf("the state file still writes the orders outside the tables: %s", data)
	}
	tables := st["tables"].(map[string]any)
	table := tables["orders"].(map[string]any)
	var legacy []any
	for _, row := range table["rows"].([]any) {
		r := row.(map[string]any)
		legacy = append(legacy, map[string]any{"organization": r["organization"], "seq": r["seq"], "order": r["value"]})
	}
	delete(tables, "orders")
	st["orders"], st["seq"] = legacy, table["seq"]
	writeStateJSON(t, path, st)

	srv2 := sandboxtest.New(t, opts)
	c.root = srv2.URL
	if got := c.do("GET", "/v2/payments/orders", "").body; !bytes.Equal(got, before) {
		t.Fatalf("the orders of an older file list as %s, want %s", got, before)
	}
	paid, err := srv2.Sandbox.Pay(partly.OrderID, sandbox.Payment{Amount: "99.50"}) // 3.03 + 99.50 is within 0.5 of 103.03
	if err != nil || paid.Status != cobo.StatusCompleted || paid.ReceivedTokenAmount != "102.53" {
		t.Fatalf("paying the rest of an order of an older file: %+v, %v; want Completed with 102.53", paid, err)
	}
	c.do("POST", "/v2/payments/orders", createBody(map[string]any{"psp_order_code": pending.PspOrderCode})).wantCoboError(t, 400, cobo.CodeDuplicateKey, pending.OrderID)
	if next := c.create(t, nil); !strings.HasSuffix(next.OrderID, "-000003") || next.OrderID[:len(next.OrderID)-6] != pending.OrderID[:len(pending.OrderID)-6] {
		t.Errorf("the first order after loading an older file is %s, want the sequence to go on after %s", next.OrderID, pending.OrderID)
	}
	saved, err := os.ReadFile(path)
	if err != nil || !bytes.Contains(saved, []byte(`"orders": {
      "seq": 3,`)) || bytes.Contains(saved, []byte(`"order": {`)) {
		t.Fatalf("an older file is saved with the orders table, its sequence kept (%v):\n%s", err, saved)
	}

	twice := append(legacy[:1:1], legacy[0])
	for name, tc := range map[string]struct {
		change func(st map[string]any)
		part   string // what the error names
	}{
		"order twice": {func(st map[string]any) { st["orders"] = twice }, "appears twice"},
		"seq":         {func(st map[string]any) { st["seq"] = 1 }, "is not between 1 and 1"},
		"both":        {func(st map[string]any) { tables["orders"] = table }, "both a table and a top-level field"},
		"psp code twice": {func(st map[string]any) {
			st["orders"] = []any{legacy[0], map[string]any{"organization": c.key(), "seq": 2, "order": samePsp(legacy[1], partly.PspOrderCode)}}
		}, "is another row's too"},
	} {
		var damaged map[string]any
		damaged, tables = copyState(st) // tables: the copy's, which "both" changes
		tc.change(damaged)
		wantLegacyStateRefused(t, name, damaged, tc.part)
	}
}

// samePsp is a legacy stored order's Order with another psp_order_code.
func samePsp(row any, code string) map[string]any {
	o := map[string]any{}
	for k, v := range row.(map[string]any)["order"].(map[string]any) {
		o[k] = v
	}
	o["psp_order_code"] = code
	return o
}

// writeStateJSON writes st as a state file at path.
func writeStateJSON(t *testing.T, path string, st map[string]any) {
	t.Helper()
	data, err := json.Marshal(st)
	if err == nil {
		err = os.WriteFile(path, data, 0o600)
	}
	if err != nil {
		t.Fatal(err)
	}
}
