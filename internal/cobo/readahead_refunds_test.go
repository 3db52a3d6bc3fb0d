package cobo_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

// Read-ahead for refunds: the same implementation as for orders (readahead.go), over
// GET /payments/refunds. These tests hold it to the same rules.

// newRefundReadAheadEnv is a sandbox with n refunds of one paid order, in e.refunds in the order the
// refund list walks them. They wait for an address (PendingConfirmation), so the sandbox clock does
// not move them between a page and a check.
func newRefundReadAheadEnv(t *testing.T, n int) (*readAheadEnv, []string) {
	t.Helper()
	e := newReadAheadEnv(t, 1, nil)
	ctx := context.Background()
	order := e.current(t, e.orders[0])
	if _, err := e.sb.Pay(order.OrderID, sandbox.Payment{Amount: order.PayableAmount}); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		_, err := e.checker.CreateRefund(ctx, cobo.CreateRefundRequest{RequestID: fmt.Sprintf("ra-refund-%04d", i), MerchantID: "M1001",
			TokenID: "ETH_USDT", PayableAmount: "0.01", RefundType: cobo.RefundTypeMerchant})
		if err != nil {
			t.Fatalf("refund %d: %v", i, err)
		}
	}
	var refunds []string
	for after := ""; ; {
		page, err := e.checker.ListRefunds(ctx, cobo.ListRefundsParams{PageParams: cobo.PageParams{Limit: cobo.MaxPageSize, After: after}})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page.Data {
			refunds = append(refunds, r.RefundID)
		}
		if after = page.Pagination.After; after == "" || len(page.Data) == 0 {
			break
		}
	}
	if len(refunds) != n {
		t.Fatalf("the list has %d refunds, want %d", len(refunds), n)
	}
	e.sb.ResetRequests()
	return e, refunds
}

// refundRequests sorts the read-ahead client's requests since the last ResetRequests: GETs of each
// refund, refund list pages, and anything else.
func (e *readAheadEnv) refundRequests() (gets map[string]int, pages int, other []string) {
	const list = "/v2/payments/refunds"
	gets = map[string]int{}
	for _, r := range e.sb.Requests() {
		if r.UserAgent != readAheadAgent {
			continue
		}
		id, one := strings.CutPrefix(r.Path, list+"/")
		switch {
		case r.Method == http.MethodGet && r.Path == list:
			pages++
		case r.Method == http.MethodGet && one && !strings.Contains(id, "/"):
			gets[id]++
		default:
			other = append(other, r.Method+" "+r.Path)
		}
	}
	return gets, pages, other
}

// refreshRefunds reads ids one after the other, letting each read-ahead page land before the next
// read, and checks every answer against what the sandbox holds.
func (e *readAheadEnv) refreshRefunds(t *testing.T, ids []string) {
	t.Helper()
	for _, id := range ids {
		r, err := e.client.RefreshRefund(context.Background(), id)
		if err != nil {
			t.Fatalf("refresh %s: %v", id, err)
		}
		want, err := e.checker.GetRefund(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(r, want) {
			t.Fatalf("refresh %s answered\n%+v\nthe sandbox has\n%+v", id, *r, *want)
		}
		cobo.WaitReadAhead(e.client)
	}
}

func TestRefundReadAheadSmallPlansSendOneGETPerRefund(t *testing.T) {
	t.Parallel()
	e, refunds := newRefundReadAheadEnv(t, 12)
	e.refreshRefunds(t, refunds[:cobo.ReadAheadStartAfter-1])
	gets, pages, other := e.refundRequests()
	if pages != 0 || len(other) != 0 || len(gets) != cobo.ReadAheadStartAfter-1 {
		t.Fatalf("%d refreshes made %d list requests, %v, and GETs %v; want exactly one GET each", cobo.ReadAheadStartAfter-1, pages, other, gets)
	}
}

func TestRefundReadAheadAnswersFromListPages(t *testing.T) {
	t.Parallel()
	e, refunds := newRefundReadAheadEnv(t, 120)
	e.refreshRefunds(t, refunds) // in the walk's own order

	gets, pages, other := e.refundRequests()
	st := e.client.RefundReadAheadStats()
	if len(other) != 0 {
		t.Fatalf("unexpected requests: %v", other)
	}
	if pages != 3 || st.PagesRead != 3 || st.Seen != 120 {
		t.Fatalf("list pages: sandbox saw %d, stats %+v; want 3 pages covering all 120 refunds", pages, st)
	}
	if len(gets) != cobo.ReadAheadStartAfter || st.Hits != 120-cobo.ReadAheadStartAfter || st.Reads != 120 {
		t.Fatalf("%d refunds were read with a GET (%v) and %d from pages (stats %+v); want the first %d by GET, the rest from pages", len(gets), gets, st.Hits, st, cobo.ReadAheadStartAfter)
	}
	if o := e.client.ReadAheadStats(); o != (cobo.ReadAheadStats{}) {
		t.Fatalf("refund reads moved the orders' read-ahead: %+v", o)
	}
}

func TestRefundReadAheadIsBoundedWhenReadsAreNotListed(t *testing.T) {
	t.Parallel()
	const reads = 20
	budget := reads/cobo.ReadAheadPerPage + cobo.ReadAheadSparePages
	e, refunds := newRefundReadAheadEnv(t, (budget+1)*cobo.MaxPageSize+reads)
	last := refunds[len(refunds)-reads:] // beyond the pages the budget allows
	e.refreshRefunds(t, last)

	gets, pages, other := e.refundRequests()
	if len(other) != 0 {
		t.Fatalf("unexpected requests: %v", other)
	}
	if pages > budget {
		t.Fatalf("%d reads let read-ahead list %d pages; the budget is %d", reads, pages, budget)
	}
	if len(gets) != reads {
		t.Fatalf("%d of %d refunds were read with a GET; the pages could not have had the others", len(gets), reads)
	}
}

// Terraform reads in no particular order. Reads that pages answer let the walk go faster (up to one
// page per ReadAheadFastPerPage reads), so it lists everything early instead of one page per 50 reads,
// and the total stays within the bound of the unlisted case: 2 % + 2 over one GET per read.
func TestRefundReadAheadKeepsAheadOfReadsInAnyOrder(t *testing.T) {
	t.Parallel()
	const n = 300
	e, refunds := newRefundReadAheadEnv(t, n)
	shuffled := append([]string(nil), refunds...)
	rand.New(rand.NewPCG(23, 1)).Shuffle(n, func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	e.refreshRefunds(t, shuffled)

	gets, pages, other := e.refundRequests()
	st := e.client.RefundReadAheadStats()
	if len(other) != 0 {
		t.Fatalf("unexpected requests: %v", other)
	}
	if st.Reads != n || len(gets)+st.Hits != n || pages != st.PagesRead {
		t.Fatalf("stats %+v, %d GETs, %d pages for %d reads", st, len(gets), pages, n)
	}
	// With one page per 50 reads, 300 reads in this order took 90 requests or so.
	if total := len(gets) + pages; total > n/6 {
		t.Fatalf("%d reads in no order took %d GETs and %d pages (stats %+v); want at most %d requests", n, len(gets), pages, st, n/6)
	}
	if bound := cobo.ReadAheadBudget(n, st.Hits); pages > bound {
		t.Fatalf("%d pages, over the budget of %d", pages, bound)
	}
}

// A cancel or an address update through the client forgets the listed copy: the next refresh GETs the
// refund and shows the change.
func TestRefundReadAheadForgetsRefundsWrittenThroughTheClient(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		write func(c *cobo.Client, id string) error
		shows func(r *cobo.Refund) bool
	}{
		{"cancel", func(c *cobo.Client, id string) error { _, err := c.CancelRefund(context.Background(), id); return err },
			func(r *cobo.Refund) bool { return r.Status != cobo.RefundStatusPendingConfirmation }},
		{"address update", func(c *cobo.Client, id string) error {
			_, err := c.UpdateRefundAddress(context.Background(), id, "0x5555555555555555555555555555555555555555")
			return err
		}, func(r *cobo.Refund) bool { return r.ToAddress == "0x5555555555555555555555555555555555555555" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e, refunds := newRefundReadAheadEnv(t, 20)
			e.refreshRefunds(t, refunds[:cobo.ReadAheadStartAfter]) // the walk starts and lists all 20
			target := refunds[15]
			if err := tc.write(e.client, target); err != nil {
				t.Fatal(err)
			}
			e.sb.ResetRequests()
			r, err := e.client.RefreshRefund(context.Background(), target)
			if err != nil {
				t.Fatal(err)
			}
			if !tc.shows(r) {
				t.Fatalf("after the %s, a refresh answered the copy listed before it: %+v", tc.name, *r)
			}
			if gets, _, _ := e.refundRequests(); gets[target] != 1 {
				t.Fatalf("the refresh after the %s did not GET the refund: %v", tc.name, gets)
			}
		})
	}
}

func TestRefundReadAheadIgnoresOldPages(t *testing.T) {
	t.Parallel()
	e, refunds := newRefundReadAheadEnv(t, 20)
	now := time.Now()
	clock := make(chan time.Time, 1)
	clock <- now
	cobo.SetReadAheadClock(e.client, func() time.Time { t := <-clock; clock <- t; return t })
	e.refreshRefunds(t, refunds[:cobo.ReadAheadStartAfter])
	<-clock
	clock <- now.Add(cobo.ReadAheadMaxAge + time.Second)
	target := refunds[15]
	if _, err := e.sb.FailRefund(target, "changed in Cobo, not through this client"); err != nil {
		t.Fatal(err)
	}
	e.refreshRefunds(t, []string{target}) // checks the answer against the sandbox: Failed must show
	if gets, _, _ := e.refundRequests(); gets[target] != 1 {
		t.Fatalf("a refund listed more than %s ago must be read with a GET; GETs: %v", cobo.ReadAheadMaxAge, gets)
	}
}

func TestRefreshRefundRejectsBadIDs(t *testing.T) {
	t.Parallel()
	e, _ := newRefundReadAheadEnv(t, 0)
	if _, err := e.client.RefreshRefund(context.Background(), "../x"); err == nil {
		t.Fatal("a refund id with a slash was accepted")
	}
	if gets, pages, other := e.refundRequests(); len(gets) != 0 || pages != 0 || len(other) != 0 {
		t.Fatal("a rejected id reached the sandbox")
	}
	if st := e.client.RefundReadAheadStats(); st.Reads != 0 {
		t.Fatalf("a rejected id counted as a read: %+v", st)
	}
}
