package sandbox_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

var eventIDPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

func wantTypes(t *testing.T, step string, got []delivery, want ...string) {
	t.Helper()
	slices.Sort(want)
	if g := typesOf(got); !slices.Equal(g, want) {
		t.Fatalf("%s: delivered %v, want %v", step, g, want)
	}
}

// byType is the delivery of type typ among ds.
func byType(t *testing.T, ds []delivery, typ string) delivery {
	t.Helper()
	for _, d := range ds {
		if d.event.Type == typ {
			return d
		}
	}
	t.Fatalf("no %s among %v", typ, typesOf(ds))
	return delivery{}
}

// wantOrderEvent checks a status event: the whole Order, with data_type PaymentOrder.
func wantOrderEvent(t *testing.T, d delivery, orderID, status string) {
	t.Helper()
	var data struct {
		cobo.Order
		DataType string `json:"data_type"`
	}
	if err := json.Unmarshal(d.event.Data, &data); err != nil {
		t.Fatalf("%s data: %v: %s", d.event.Type, err, d.event.Data)
	}
	if data.DataType != cobo.DataTypePaymentOrder || data.OrderID != orderID || data.Status != status || data.ReceiveAddress == "" || data.PayableAmount == "" {
		t.Fatalf("%s data: data_type %q order %q status %q, want PaymentOrder %s %s: %s", d.event.Type, data.DataType, data.OrderID, data.Status, orderID, status, d.event.Data)
	}
}

// wantTransactionEvent checks a transaction event's data against the order's transaction.
func wantTransactionEvent(t *testing.T, d delivery, o *cobo.Order, txStatus string) {
	t.Helper()
	data := dataOf(t, d.event)
	for _, key := range []string{"transaction_id", "wallet_id", "type", "transaction_type", "status", "initiator_type", "source", "destination", "created_timestamp", "updated_timestamp", "acquiring_type"} {
		if _, ok := data[key]; !ok {
			t.Errorf("%s data has no %q (required by PaymentTransactionEventData): %s", d.event.Type, key, d.event.Data)
		}
	}
	if data["data_type"] != cobo.DataTypePaymentTransaction || data["order_id"] != o.OrderID || data["psp_order_code"] != o.PspOrderCode ||
		data["acquiring_type"] != "Order" || data["status"] != txStatus || !eventIDPattern.MatchString(data["transaction_id"].(string)) {
		t.Fatalf("%s data: %s", d.event.Type, d.event.Data)
	}
	dest := data["destination"].(map[string]any)
	if dest["destination_type"] != "DepositToAddress" || dest["address"] != o.ReceiveAddress {
		t.Fatalf("%s destination: %v, want a DepositToAddress to %s", d.event.Type, dest, o.ReceiveAddress)
	}
}

// Every step of the lifecycle sends its events, as Cobo does; a create through the API sends none.
func TestWebhookEventsFollowTheOrderLifecycle(t *testing.T) {
	t.Parallel()
	srv, c := startSandbox(t, sandbox.Options{Now: fixedClock()})
	sb, rcv := srv.Sandbox, newReceiver(t)
	ep := c.registerEndpoint(t, rcv.url(), allPayInTypes...)
	total := 0
	step := func(name string, n int, want ...string) []delivery {
		t.Helper()
		got := rcv.collect(t, n)
		total += n
		wantTypes(t, name, got, want...)
		return got
	}
	o := c.create(t, nil) // payable 103.03
	if _, err := sb.Pay(o.OrderID, sandbox.Payment{Amount: "50"}); err != nil {
		t.Fatal(err)
	}
	got := step("a confirmed partial payment", 4, cobo.EventPaymentTransactionCreated, cobo.EventPaymentTransactionCompleted, cobo.EventPaymentOrderStatusUpdated, cobo.EventPaymentStatusUpdated)
	paid := sb.Orders(c.key())[0]
	wantTransactionEvent(t, byType(t, got, cobo.EventPaymentTransactionCreated), &paid, "Completed")
	wantOrderEvent(t, byType(t, got, cobo.EventPaymentOrderStatusUpdated), o.OrderID, cobo.StatusProcessing)
	wantOrderEvent(t, byType(t, got, cobo.EventPaymentStatusUpdated), o.OrderID, cobo.StatusProcessing)

	unconfirmed := false
	after, err := sb.Pay(o.OrderID, sandbox.Payment{Amount: "53.03", Confirmed: &unconfirmed})
	if err != nil {
		t.Fatal(err)
	}
	got = step("an unconfirmed payment", 1, cobo.EventPaymentTransactionCreated)
	wantTransactionEvent(t, got[0], after, "Confirming")
	if _, err := sb.ConfirmTransaction(o.OrderID, after.Transactions[1].TxID); err != nil {
		t.Fatal(err)
	}
	got = step("its confirmation", 3, cobo.EventPaymentTransactionCompleted, cobo.EventPaymentOrderStatusUpdated, cobo.EventPaymentStatusUpdated)
	wantOrderEvent(t, byType(t, got, cobo.EventPaymentOrderStatusUpdated), o.OrderID, cobo.StatusCompleted)

	if _, err := sb.Pay(o.OrderID, sandbox.Payment{Amount: "1"}); err != nil {
		t.Fatalf("a late payment: %v", err)
	}
	got = step("a late payment", 1, cobo.EventPaymentTransactionLate)
	wantTransactionEvent(t, got[0], after, "Completed")

	if page := c.events(t, ep, "?limit=50"); page.Pagination.TotalCount != total || len(page.Data) != total {
		t.Fatalf("the endpoint has %d events (%d listed), want the %d delivered: none for the creates", page.Pagination.TotalCount, len(page.Data), total)
	}
}

// An expiry by PUT and by the clock (with no read: the clock is watched) send the status events.
func TestWebhookEventsOnExpiry(t *testing.T) {
	t.Parallel()
	srv, c := startSandbox(t, sandbox.Options{Now: fixedClock()})
	sb, rcv := srv.Sandbox, newReceiver(t)
	c.registerEndpoint(t, rcv.url(), allPayInTypes...)
	step := func(name string, n int, want ...string) []delivery {
		t.Helper()
		got := rcv.collect(t, n)
		wantTypes(t, name, got, want...)
		return got
	}
	p := c.create(t, nil)
	if r := c.do("PUT", "/v2/payments/orders/"+p.OrderID, `{"expired": true}`); r.status != http.StatusOK {
		t.Fatalf("expire: %d %s", r.status, r.body)
	}
	got := step("an expiry by PUT", 2, cobo.EventPaymentOrderStatusUpdated, cobo.EventPaymentStatusUpdated)
	wantOrderEvent(t, got[0], p.OrderID, cobo.StatusExpired)

	pending, partial := c.create(t, nil), c.create(t, nil)
	if _, err := sb.Pay(partial.OrderID, sandbox.Payment{Amount: "10"}); err != nil {
		t.Fatal(err)
	}
	step("a partial payment", 4, cobo.EventPaymentTransactionCreated, cobo.EventPaymentTransactionCompleted, cobo.EventPaymentOrderStatusUpdated, cobo.EventPaymentStatusUpdated)
	sb.Advance(31 * time.Minute) // no read follows: the clock alone expires them
	got = step("expiries by the clock", 4, cobo.EventPaymentOrderStatusUpdated, cobo.EventPaymentOrderStatusUpdated, cobo.EventPaymentStatusUpdated, cobo.EventPaymentStatusUpdated)
	statuses := map[string]string{}
	for _, d := range got {
		data := dataOf(t, d.event)
		statuses[data["order_id"].(string)] = data["status"].(string)
	}
	if statuses[pending.OrderID] != cobo.StatusExpired || statuses[partial.OrderID] != cobo.StatusUnderpaid {
		t.Fatalf("expiry events: %v, want %s Expired and %s Underpaid", statuses, pending.OrderID, partial.OrderID)
	}
}

// A delivered event is the WebhookEvent body with both header spellings, signed with the sandbox's
// key: it verifies with WebhookPublicKey, and fails with another key or a changed byte.
func TestWebhookDeliveryIsSigned(t *testing.T) {
	t.Parallel()
	const seed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60" // RFC 8032 test 1
	const public = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
	log := &syncBuffer{}
	srv, c := startSandbox(t, sandbox.Options{WebhookSecret: seed, Now: fixedClock(), Log: log})
	if got := srv.Sandbox.WebhookPublicKey(); got != public {
		t.Fatalf("WebhookPublicKey = %s, want %s (the key of the seed)", got, public)
	}
	rcv := newReceiver(t)
	ep := c.registerEndpoint(t, rcv.url(), cobo.EventPaymentOrderStatusUpdated)
	o := c.create(t, nil)
	if _, err := srv.Sandbox.Pay(o.OrderID, sandbox.Payment{Amount: "1"}); err != nil {
		t.Fatal(err)
	}
	d := rcv.next(t)
	under := [2]string{d.header.Get(cobo.HeaderWebhookTimestamp), d.header.Get(cobo.HeaderWebhookSignature)}
	dash := [2]string{d.header.Get(cobo.HeaderWebhookTimestampDash), d.header.Get(cobo.HeaderWebhookSignatureDash)}
	if under[0] == "" || under[1] == "" || under != dash || len(d.header.Values("Biz_timestamp")) != 1 {
		t.Fatalf("signature headers: %v and %v, want both spellings with one value each: %v", under, dash, d.header)
	}
	if err := cobo.VerifyWebhook(public, dash[1], d.body, dash[0]); err != nil {
		t.Fatalf("the delivery does not verify with the sandbox key: %v", err)
	}
	if cobo.VerifyWebhook(cobo.WebhookPublicKeyDev, dash[1], d.body, dash[0]) == nil {
		t.Fatal("the delivery verifies with Cobo's development key")
	}
	changed := slices.Clone(d.body)
	changed[len(changed)/2] ^= 1
	if cobo.VerifyWebhook(public, dash[1], changed, dash[0]) == nil {
		t.Fatal("a changed body verifies")
	}
	ev := d.event
	if !eventIDPattern.MatchString(ev.EventID) || ev.URL != rcv.url() || ev.CreatedTimestamp != srv.Sandbox.Now().UnixMilli() || ev.Type != cobo.EventPaymentOrderStatusUpdated {
		t.Fatalf("delivered event: %+v", ev)
	}
	stored := c.waitEvent(t, ep, ev.EventID, "Success", func(e cobo.WebhookEvent, _ int) bool { return e.Status == cobo.EventStatusSuccess })
	if stored.CreatedTimestamp != ev.CreatedTimestamp || string(stored.Data) != string(ev.Data) || stored.RetriesLeft != nil || stored.NextRetryTimestamp != nil {
		t.Fatalf("GET event %+v differs from the delivery %+v", stored, ev)
	}
	if line := "WEBHOOK " + ev.Type + " " + ev.EventID + " -> " + rcv.url() + " 200 "; !strings.Contains(log.String(), line) || strings.Contains(log.String(), dash[1]) {
		t.Errorf("the log has no line %q, or has the signature:\n%s", line, log.String())
	}
	logs := c.eventLogs(t, ep, ev.EventID, "")
	if len(logs.Data) != 1 || !logs.Data[0].Success || deref(logs.Data[0].ResponseStatusCode) != 200 || string(logs.Data[0].RequestBody) != string(d.body) ||
		logs.Data[0].RequestHeaders[cobo.HeaderWebhookTimestamp] != dash[0] || logs.Data[0].RequestHeaders[cobo.HeaderWebhookSignatureDash] != dash[1] {
		t.Fatalf("logs: %+v", logs.Data)
	}
}

// The public key is in GET /_sandbox and GET /_sandbox/webhooks/key, and survives a restart with -state.
func TestWebhookKeyIsServedAndKept(t *testing.T) {
	t.Parallel()
	state := t.TempDir() + "/state.json"
	first, err := sandbox.Open(sandbox.Options{StateFile: state})
	if err != nil {
		t.Fatal(err)
	}
	key := first.WebhookPublicKey()
	first.Close()
	srv, _ := startSandbox(t, sandbox.Options{StateFile: state})
	if got := srv.Sandbox.WebhookPublicKey(); got != key || len(key) != 64 {
		t.Fatalf("after a restart the key is %s, want %s", got, key)
	}
	for _, path := range []string{"/_sandbox", "/_sandbox/webhooks/key"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&m)
		_ = resp.Body.Close()
		if m["webhook_public_key"] != key && m["public_key"] != key {
			t.Fatalf("GET %s does not show the key %s: %v", path, key, m)
		}
	}
	if _, err := sandbox.Open(sandbox.Options{WebhookSecret: "abc"}); err == nil || !strings.Contains(err.Error(), "64 hexadecimal") {
		t.Fatalf("a bad WebhookSecret: err = %v", err)
	}
}

// Only the order organization's endpoints that receive events (active, or awaiting approval of an
// update or revoke) and are subscribed to the type get an event.
func TestWebhookEventsGoOnlyToSubscribedActiveEndpoints(t *testing.T) {
	t.Parallel()
	srv, c := startSandbox(t, sandbox.Options{WebhookApproval: true})
	sb := srv.Sandbox
	other := newAPIClient(t, srv.URL, secretFor(t.Name()+"/other"))
	receivers, ids := map[string]*receiver{}, map[string]string{}
	endpoint := func(name string, cl *apiClient, events ...string) string {
		receivers[name] = newReceiver(t)
		ids[name] = cl.registerEndpoint(t, receivers[name].url(), events...)
		return ids[name]
	}
	approve := func(id string) {
		if _, err := sb.ApproveWebhookEndpoint(id); err != nil {
			t.Fatal(err)
		}
	}
	endpoint("pending registration", c, cobo.EventPaymentOrderStatusUpdated)
	approve(endpoint("other organization", other, cobo.EventPaymentOrderStatusUpdated))
	approve(endpoint("not subscribed", c, cobo.EventPaymentTransactionLate))
	revoked := endpoint("revoked", c, cobo.EventPaymentOrderStatusUpdated)
	approve(revoked)
	c.do("PUT", "/v2/webhooks/endpoints/"+revoked, `{"status": "STATUS_INACTIVE"}`)
	approve(revoked)
	revoking := endpoint("revoke awaiting approval", c, cobo.EventPaymentOrderStatusUpdated)
	approve(revoking)
	c.do("PUT", "/v2/webhooks/endpoints/"+revoking, `{"status": "STATUS_INACTIVE"}`)
	updating := endpoint("update awaiting approval", c, cobo.EventPaymentOrderStatusUpdated)
	approve(updating)
	c.do("PUT", "/v2/webhooks/endpoints/"+updating, `{"subscribed_events": ["payment.transaction.late"]}`)
	approve(endpoint("active", c, cobo.EventPaymentOrderStatusUpdated, cobo.EventPaymentTransactionCreated))

	o := c.create(t, nil)
	if _, err := sb.Pay(o.OrderID, sandbox.Payment{Amount: "1"}); err != nil {
		t.Fatal(err)
	}
	wantTypes(t, "active", receivers["active"].collect(t, 2), cobo.EventPaymentTransactionCreated, cobo.EventPaymentOrderStatusUpdated)
	for _, name := range []string{"revoke awaiting approval", "update awaiting approval"} {
		wantTypes(t, name, receivers[name].collect(t, 1), cobo.EventPaymentOrderStatusUpdated)
	}
	// events are made with the payment, before any is sent: an endpoint without one now gets none
	for _, name := range []string{"pending registration", "other organization", "not subscribed", "revoked"} {
		cl := c
		if name == "other organization" {
			cl = other
		}
		if n, got := receivers[name].count(), cl.events(t, ids[name], "").Pagination.TotalCount; n != 0 || got != 0 {
			t.Errorf("the %s endpoint has %d events and got %d deliveries", name, got, n)
		}
	}
}
