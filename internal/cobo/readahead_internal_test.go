package cobo

import "testing"

// A page asked for before or during a write may hold the object as it was before: it must not be
// kept. A page asked for after the write finished may. Orders and refunds share the rule.
func TestReadAheadPageRacingAWrite(t *testing.T) {
	t.Parallel()
	t.Run("orders", func(t *testing.T) {
		testPageRacingAWrite(t, orderRA(), &OrderPage{Data: []Order{{OrderID: "A"}, {OrderID: "B"}}, Pagination: Pagination{After: "B"}})
	})
	t.Run("refunds", func(t *testing.T) {
		testPageRacingAWrite(t, refundRA(), &RefundPage{Data: []Refund{{RefundID: "A"}, {RefundID: "B"}}, Pagination: Pagination{After: "B"}})
	})
}

func orderRA() *readAhead[Order] {
	return newReadAhead("order", nil, func(o *Order) string { return o.OrderID }, nil)
}

func refundRA() *readAhead[Refund] {
	return newReadAhead("refund", nil, func(r *Refund) string { return r.RefundID }, nil)
}

func testPageRacingAWrite[T any](t *testing.T, fresh *readAhead[T], page *Page[T]) {
	for _, tc := range []struct {
		name     string
		pageSeq  func(writeSeq uint64) uint64 // writeSeq when the page was asked for
		keepsA   bool
		forgetsA int // forget calls made for A before the page lands (1: write under way, 2: finished)
	}{
		{name: "asked before the write, lands during it", pageSeq: func(uint64) uint64 { return 0 }, forgetsA: 1},
		{name: "asked before the write, lands after it", pageSeq: func(uint64) uint64 { return 0 }, forgetsA: 2},
		{name: "asked during the write, lands after it", pageSeq: func(uint64) uint64 { return 1 }, forgetsA: 2},
		{name: "asked after the write", pageSeq: func(seq uint64) uint64 { return seq }, forgetsA: 2, keepsA: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ra := newReadAhead(fresh.kind, nil, fresh.id, nil)
			for range tc.forgetsA {
				ra.forget("A")
			}
			ra.addPageLocked(page, tc.pageSeq(ra.writeSeq))
			if _, ok := ra.listed["A"]; ok != tc.keepsA {
				t.Errorf("%s A kept = %v, want %v", ra.kind, ok, tc.keepsA)
			}
			if _, ok := ra.listed["B"]; !ok {
				t.Errorf("%s B, never written, was not kept", ra.kind)
			}
		})
	}
}

// What a page kept is forgotten when a write starts.
func TestReadAheadForgetDropsListedObject(t *testing.T) {
	t.Parallel()
	ra := refundRA()
	ra.addPageLocked(&RefundPage{Data: []Refund{{RefundID: "A"}}}, 0)
	ra.forget("A")
	if _, ok := ra.listed["A"]; ok {
		t.Fatal("a listed refund survived forget")
	}
	if !ra.ended {
		t.Fatal("a page without an after cursor must end the walk")
	}
}

// Orders and refunds keep apart: one kind's pages and writes do not touch the other's.
func TestReadAheadKindsAreSeparate(t *testing.T) {
	t.Parallel()
	c := &Client{}
	c.orderReads, c.refundReads = newOrderReadAhead(c), newRefundReadAhead(c)
	c.orderReads.addPageLocked(&OrderPage{Data: []Order{{OrderID: "X"}}, Pagination: Pagination{After: "X"}}, 0)
	c.refundReads.forget("X")
	if _, ok := c.orderReads.listed["X"]; !ok {
		t.Fatal("forgetting refund X dropped order X")
	}
	if _, ok := c.refundReads.listed["X"]; ok {
		t.Fatal("an order page was kept as a refund")
	}
}

// The budget: one page per 50 reads without hits, one more per hit, at most one per 10 reads; 2 spare.
func TestReadAheadBudget(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ reads, hits, want int }{
		{0, 0, 2}, {49, 0, 2}, {50, 0, 3}, {500, 0, 12}, // nothing listed was read: about 2 % + 2
		{100, 3, 7}, {100, 8, 12}, {100, 90, 12}, {500, 400, 52}, // hits pay for pages, up to 1 per 10 reads
	} {
		if got := ReadAheadBudget(c.reads, c.hits); got != c.want {
			t.Errorf("ReadAheadBudget(%d reads, %d hits) = %d, want %d", c.reads, c.hits, got, c.want)
		}
	}
}
