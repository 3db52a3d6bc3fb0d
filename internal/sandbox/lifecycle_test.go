package sandbox_test

import (
	"errors"
	"regexp"
	"testing"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

func boolPtr(b bool) *bool { return &b }

func TestLifecycleExpiryByAdvance(t *testing.T) {
	t.Parallel()
	srv, c := startSandbox(t, sandbox.Options{Now: fixedClock()})
	sb := srv.Sandbox
	o := c.create(t, map[string]any{"expired_in": 60})
	expiredAt := fixedStart.Unix() + 60

	sb.Advance(59 * time.Second)
	got := c.do("GET", "/v2/payments/orders/"+o.OrderID, "").order(t)
	if got.Status != cobo.StatusPending {
		t.Fatalf("after 59s status = %s, want Pending", got.Status)
	}
	sb.Advance(time.Second)
	if !sb.Now().Equal(fixedStart.Add(time.Minute)) {
		t.Fatalf("Now() = %v, want %v", sb.Now(), fixedStart.Add(time.Minute))
	}
	got = c.do("GET", "/v2/payments/orders/"+o.OrderID, "").order(t)
	if got.Status != cobo.StatusExpired || deref(got.UpdatedTimestamp) != expiredAt {
		t.Fatalf("at expired_at: status %s updated %d, want Expired and %d", got.Status, deref(got.UpdatedTimestamp), expiredAt)
	}
	sb.Advance(-time.Hour) // ignored: the clock never goes back
	if !sb.Now().Equal(fixedStart.Add(time.Minute)) {
		t.Fatalf("a negative Advance moved the clock to %v", sb.Now())
	}
}

func TestLifecyclePaymentsToCompleted(t *testing.T) {
	t.Parallel()
	srv, c := startSandbox(t, sandbox.Options{Now: fixedClock()})
	sb := srv.Sandbox
	o := c.create(t, map[string]any{"pricing_amount": "100.00", "fee_amount": "2"}) // payable 103.03

	sb.Advance(10 * time.Second)
	p1, err := sb.Pay(o.OrderID, sandbox.Payment{Amount: "50.00", TxHash: "0xabc", FromAddress: "0xfrom"})
	if err != nil {
		t.Fatal(err)
	}
	if p1.Status != cobo.StatusProcessing || p1.ReceivedTokenAmount != "50.00" || p1.SettlementStatus != nil {
		t.Fatalf("after 50.00: status %s received %s settlement %v", p1.Status, p1.ReceivedTokenAmount, p1.SettlementStatus)
	}
	if deref(p1.UpdatedTimestamp) != fixedStart.Unix()+10 {
		t.Errorf("updated_timestamp = %d, want %d", deref(p1.UpdatedTimestamp), fixedStart.Unix()+10)
	}
	tx := p1.Transactions[0]
	wantMs := fixedStart.Add(10 * time.Second).UnixMilli()
	if len(p1.Transactions) != 1 || deref(tx.TxHash) != "0xabc" || tx.FromAddress != "0xfrom" || tx.ToAddress != o.ReceiveAddress ||
		tx.Amount != "50.00" || tx.Status != "Completed" || deref(tx.TokenID) != "ETH_USDT" || tx.SubStatus != nil ||
		tx.CreatedTimestamp != wantMs || tx.UpdatedTimestamp != wantMs {
		t.Fatalf("transaction = %+v", tx)
	}
	if !regexp.MustCompile(`^tx_[0-9a-f]+$`).MatchString(tx.TxID) {
		t.Errorf("tx_id = %q", tx.TxID)
	}

	sb.Advance(5 * time.Second)
	p2, err := sb.Pay(o.OrderID, sandbox.Payment{Amount: "53.03"})
	if err != nil {
		t.Fatal(err)
	}
	if p2.Status != cobo.StatusCompleted || p2.ReceivedTokenAmount != "103.03" || deref(p2.SettlementStatus) != "Pending" {
		t.Fatalf("after 53.03 more: status %s received %s settlement %v", p2.Status, p2.ReceivedTokenAmount, p2.SettlementStatus)
	}
	tx2 := p2.Transactions[1]
	if !regexp.MustCompile(`^0x[0-9a-f]{64}$`).MatchString(deref(tx2.TxHash)) || !regexp.MustCompile(`^0x[0-9a-f]{40}$`).MatchString(tx2.FromAddress) {
		t.Errorf("default tx_hash %q / from_address %q", deref(tx2.TxHash), tx2.FromAddress)
	}
	// the API shows the same, and completion is final: no expiry, no more payments
	sb.Advance(time.Hour)
	got := c.do("GET", "/v2/payments/orders/"+o.OrderID, "").order(t)
	if got.Status != cobo.StatusCompleted || len(got.Transactions) != 2 || got.ReceivedTokenAmount != "103.03" {
		t.Fatalf("API view: %s, %d transactions, received %s", got.Status, len(got.Transactions), got.ReceivedTokenAmount)
	}
	if late, err := sb.Pay(o.OrderID, sandbox.Payment{Amount: "1"}); err != nil || late.ReceivedTokenAmount != "103.03" || len(late.Transactions) != 2 {
		t.Fatalf("payment into a Completed order: %v, %+v; want the order unchanged", err, late)
	}
}

func TestLifecycleUnderpaidAndExpiredProcessing(t *testing.T) {
	t.Parallel()
	srv, c := startSandbox(t, sandbox.Options{Now: fixedClock()})
	sb := srv.Sandbox
	underpaid := c.create(t, map[string]any{"expired_in": 100})
	unconfirmed := c.create(t, map[string]any{"expired_in": 100})
	if _, err := sb.Pay(underpaid.OrderID, sandbox.Payment{Amount: "10"}); err != nil {
		t.Fatal(err)
	}
	o, err := sb.Pay(unconfirmed.OrderID, sandbox.Payment{Amount: "103.03", Confirmed: boolPtr(false)})
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != cobo.StatusProcessing || o.ReceivedTokenAmount != "0" {
		t.Fatalf("unconfirmed payment: status %s received %s, want Processing and 0", o.Status, o.ReceivedTokenAmount)
	}
	sb.Advance(100 * time.Second)
	got := c.do("GET", "/v2/payments/orders/"+underpaid.OrderID, "").order(t)
	if got.Status != cobo.StatusUnderpaid || got.ReceivedTokenAmount != "10" || deref(got.UpdatedTimestamp) != fixedStart.Unix()+100 {
		t.Fatalf("underpaid: status %s received %s updated %d", got.Status, got.ReceivedTokenAmount, deref(got.UpdatedTimestamp))
	}
	got = c.do("GET", "/v2/payments/orders/"+unconfirmed.OrderID, "").order(t)
	if got.Status != cobo.StatusExpired {
		t.Fatalf("Processing with nothing confirmed at expiry: status %s, want Expired", got.Status)
	}
	// a late payment leaves the order as it is; a late confirmation is refused
	if late, err := sb.Pay(underpaid.OrderID, sandbox.Payment{Amount: "93.03"}); err != nil || late.Status != cobo.StatusUnderpaid {
		t.Fatalf("late payment: %v, %+v; want the order unchanged", err, late)
	}
	if _, err := sb.ConfirmTransaction(unconfirmed.OrderID, o.Transactions[0].TxID); !errors.Is(err, sandbox.ErrConflict) {
		t.Fatalf("late confirmation: err = %v, want ErrConflict", err)
	}
	if got := sb.Orders(c.key())[0]; got.ReceivedTokenAmount != "10" || len(got.Transactions) != 1 {
		t.Fatalf("the late payment changed the order: %+v", got)
	}
}

func TestLifecycleUnconfirmedThenConfirm(t *testing.T) {
	t.Parallel()
	srv, c := startSandbox(t, sandbox.Options{Now: fixedClock()})
	sb := srv.Sandbox
	o := c.create(t, map[string]any{"pricing_currency": nil, "pricing_amount": nil, "payable_amount": "20.00", "fee_amount": "0"})
	p, err := sb.Pay(o.OrderID, sandbox.Payment{Amount: "20.000001", Confirmed: boolPtr(false)})
	if err != nil {
		t.Fatal(err)
	}
	tx := p.Transactions[0]
	if p.Status != cobo.StatusProcessing || tx.Status != "Confirming" || deref(tx.SubStatus) != "PendingBlockConfirmations" || p.ReceivedTokenAmount != "0" {
		t.Fatalf("unconfirmed: order %s, tx %s/%s, received %s", p.Status, tx.Status, deref(tx.SubStatus), p.ReceivedTokenAmount)
	}
	if _, err := sb.ConfirmTransaction(o.OrderID, "tx_nope"); !errors.Is(err, sandbox.ErrNotFound) {
		t.Fatalf("unknown transaction: err = %v, want ErrNotFound", err)
	}
	if _, err := sb.ConfirmTransaction("O20990101-999999", tx.TxID); !errors.Is(err, sandbox.ErrNotFound) {
		t.Fatalf("unknown order: err = %v, want ErrNotFound", err)
	}
	sb.Advance(30 * time.Second)
	done, err := sb.ConfirmTransaction(o.OrderID, tx.TxID)
	if err != nil {
		t.Fatal(err)
	}
	ctx := done.Transactions[0]
	if done.Status != cobo.StatusCompleted || ctx.Status != "Completed" || ctx.SubStatus != nil || done.ReceivedTokenAmount != "20.000001" ||
		ctx.UpdatedTimestamp != fixedStart.Add(30*time.Second).UnixMilli() || ctx.CreatedTimestamp != fixedStart.UnixMilli() {
		t.Fatalf("confirmed: order %s received %s, tx %+v", done.Status, done.ReceivedTokenAmount, ctx)
	}
	r := c.do("GET", "/v2/payments/orders/"+o.OrderID, "")
	if m := r.json(t); m["transactions"].([]any)[0].(map[string]any)["sub_status"] != nil {
		t.Errorf("sub_status still present after confirmation: %s", r.body)
	}
	if _, err := sb.ConfirmTransaction(o.OrderID, tx.TxID); !errors.Is(err, sandbox.ErrConflict) {
		t.Fatalf("confirming again: err = %v, want ErrConflict", err)
	}
}

func TestLifecycleToleranceAndSums(t *testing.T) {
	t.Parallel()
	srv, c := startSandbox(t, sandbox.Options{Now: fixedClock()})
	sb := srv.Sandbox
	payable := map[string]any{"pricing_currency": nil, "pricing_amount": nil, "payable_amount": "100.00", "fee_amount": "0", "amount_tolerance": "0.5"}
	cases := []struct {
		payments     []string
		wantStatus   string
		wantReceived string
	}{
		{[]string{"99.55"}, cobo.StatusCompleted, "99.55"},
		{[]string{"99.50"}, cobo.StatusCompleted, "99.50"},
		{[]string{"99.40"}, cobo.StatusProcessing, "99.40"},
		{[]string{"10", "5.125"}, cobo.StatusProcessing, "15.125"},
		{[]string{"10.5", "0.25", "1"}, cobo.StatusProcessing, "11.75"},
		{[]string{"60", "40"}, cobo.StatusCompleted, "100"},
		{[]string{"120.000000000000000001"}, cobo.StatusCompleted, "120.000000000000000001"},
	}
	for _, tc := range cases {
		o := c.create(t, payable)
		var last *cobo.Order
		for _, a := range tc.payments {
			var err error
			if last, err = sb.Pay(o.OrderID, sandbox.Payment{Amount: a}); err != nil {
				t.Fatalf("%v: pay %s: %v", tc.payments, a, err)
			}
		}
		if last.Status != tc.wantStatus || last.ReceivedTokenAmount != tc.wantReceived {
			t.Errorf("%v: status %s received %s, want %s and %s", tc.payments, last.Status, last.ReceivedTokenAmount, tc.wantStatus, tc.wantReceived)
		}
	}
	o := c.create(t, payable)
	for _, bad := range []string{"", "0", "0.00", "-1", "abc", "1e3", " 1"} {
		if _, err := sb.Pay(o.OrderID, sandbox.Payment{Amount: bad}); !errors.Is(err, sandbox.ErrInvalid) {
			t.Errorf("amount %q: err = %v, want ErrInvalid", bad, err)
		}
	}
	if _, err := sb.Pay("O20990101-999999", sandbox.Payment{Amount: "1"}); !errors.Is(err, sandbox.ErrNotFound) {
		t.Errorf("unknown order: err = %v, want ErrNotFound", err)
	}
	if got := sb.Orders(c.key()); got[len(got)-1].Status != cobo.StatusPending || got[len(got)-1].Transactions != nil {
		t.Errorf("rejected payments changed the order: %+v", got[len(got)-1])
	}
}
