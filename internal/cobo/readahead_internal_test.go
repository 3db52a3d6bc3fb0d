package cobo

import "testing"

// A page asked for before or during an expiry may hold the order as it was before: it must not be
// kept. A page asked for after the expiry finished may.
func TestReadAheadPageRacingAnExpiry(t *testing.T) {
	t.Parallel()
	page := &OrderPage{Data: []Order{{OrderID: "A", Status: StatusPending}, {OrderID: "B", Status: StatusPending}}, Pagination: Pagination{After: "B"}}
	for _, tc := range []struct {
		name     string
		pageSeq  func(ra *readAhead) uint64 // writeSeq when the page was asked for
		keepsA   bool
		forgetsA int // forget calls made for A before the page lands (1: expiry under way, 2: finished)
	}{
		{name: "asked before the expiry, lands during it", pageSeq: func(*readAhead) uint64 { return 0 }, forgetsA: 1},
		{name: "asked before the expiry, lands after it", pageSeq: func(*readAhead) uint64 { return 0 }, forgetsA: 2},
		{name: "asked during the expiry, lands after it", pageSeq: func(*readAhead) uint64 { return 1 }, forgetsA: 2},
		{name: "asked after the expiry", pageSeq: func(ra *readAhead) uint64 { return ra.writeSeq }, forgetsA: 2, keepsA: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ra := newReadAhead(nil)
			for range tc.forgetsA {
				ra.forget("A")
			}
			ra.addPageLocked(page, tc.pageSeq(ra))
			if _, ok := ra.listed["A"]; ok != tc.keepsA {
				t.Errorf("order A kept = %v, want %v", ok, tc.keepsA)
			}
			if _, ok := ra.listed["B"]; !ok {
				t.Error("order B, never expired, was not kept")
			}
		})
	}
}

// What a page kept is forgotten when an expiry starts.
func TestReadAheadForgetDropsListedOrder(t *testing.T) {
	t.Parallel()
	ra := newReadAhead(nil)
	ra.addPageLocked(&OrderPage{Data: []Order{{OrderID: "A"}}}, 0)
	ra.forget("A")
	if _, ok := ra.listed["A"]; ok {
		t.Fatal("a listed order survived forget")
	}
	if !ra.ended {
		t.Fatal("a page without an after cursor must end the walk")
	}
}
