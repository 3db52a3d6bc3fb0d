package cobo

import (
	"context"
	"sync"
	"time"
)

// Read-ahead (Config.ReadAhead) serves a plan's many order and refund reads from pages of their list
// endpoints.
//
// Why: Terraform refreshes at most 10 resources at a time (its default parallelism), so against a
// remote API a plan over N objects costs N/10 round trips of one GET each. Cobo has no "get these ids"
// call, but GET /payments/orders and GET /payments/refunds return the same objects 50 at a time. Once
// a client has been asked for many objects of a kind, it walks that kind's list pages in the
// background, in the order Cobo lists them, and a later read of an object it has already listed is
// answered without a request.
//
// The rules, all in this file, hold for each kind on its own (one readAhead per kind):
//   - Only RefreshPaymentOrder and RefreshRefund use it (refreshes and data source reads); creates,
//     writes and the reads around them always ask Cobo directly.
//   - It starts only after ReadAheadStartAfter reads, so small configurations send exactly one GET per
//     object, as without it.
//   - The walk may list at most one page per ReadAheadPerPage reads asked for so far, plus one per
//     read a page answered (that read saved a GET, which pays for the page), but never more than one
//     page per ReadAheadFastPerPage reads; and ReadAheadSparePages on top. So when the objects read
//     are not among the listed ones (an organization with many objects Terraform does not manage), it
//     costs at most about 2 % more requests plus 2, and never more than that over one GET per read.
//     When they are, the walk keeps ahead of reads that come in any order (Terraform's do), and most
//     reads need no request of their own.
//   - A listed object answers one read, and only within ReadAheadMaxAge of being listed; a second
//     read of the same object, or a later one, is a GET.
//   - A write through this client (an order's expiry, a refund's cancel or address update) forgets
//     the object, and a page requested before the write finished cannot bring the old copy back.
//   - Any error while listing ends the walk; reads go on with GETs.
//
// They are exported so that the provider's documentation of read_ahead is built from them.
const (
	ReadAheadStartAfter  = 10
	ReadAheadPerPage     = MaxPageSize
	ReadAheadFastPerPage = 10
	ReadAheadSparePages  = 2
	ReadAheadMaxAge      = 30 * time.Second
)

// ReadAheadKinds names what read-ahead serves, for documentation.
const ReadAheadKinds = "orders and refunds"

// ReadAheadStats counts what read-ahead did for one kind of object in one client.
type ReadAheadStats struct {
	Reads     int // RefreshPaymentOrder (or RefreshRefund) calls
	Hits      int // of those, answered from a listed page
	PagesRead int // list requests made by read-ahead
	Seen      int // objects those pages brought
}

// readAhead serves reads of one kind of object T from its list pages.
type readAhead[T any] struct {
	kind string                                                    // "order", "refund": for the log
	list func(ctx context.Context, after string) (*Page[T], error) // one full page after the cursor
	id   func(*T) string
	log  func(ctx context.Context, msg string, fields map[string]any)
	now  func() time.Time

	mu       sync.Mutex
	stats    ReadAheadStats
	listed   map[string]listedItem[T]
	fetching bool
	ended    bool   // the list was walked to its end, or listing failed
	cursor   string // the next page's "after" cursor
	writeSeq uint64
	written  map[string]uint64 // id -> writeSeq of its latest write through this client
}

type listedItem[T any] struct {
	item     T
	listedAt time.Time
}

func newReadAhead[T any](kind string, list func(context.Context, string) (*Page[T], error), id func(*T) string,
	log func(context.Context, string, map[string]any)) *readAhead[T] {
	return &readAhead[T]{kind: kind, list: list, id: id, log: log, now: time.Now, listed: map[string]listedItem[T]{}, written: map[string]uint64{}}
}

func newOrderReadAhead(c *Client) *readAhead[Order] {
	list := func(ctx context.Context, after string) (*OrderPage, error) {
		return c.ListPaymentOrders(ctx, ListOrdersParams{Limit: MaxPageSize, After: after})
	}
	return newReadAhead("order", list, func(o *Order) string { return o.OrderID }, c.debug)
}

func newRefundReadAhead(c *Client) *readAhead[Refund] {
	list := func(ctx context.Context, after string) (*RefundPage, error) {
		return c.ListRefunds(ctx, ListRefundsParams{PageParams: PageParams{Limit: MaxPageSize, After: after}})
	}
	return newReadAhead("refund", list, func(r *Refund) string { return r.RefundID }, c.debug)
}

// RefreshPaymentOrder reads an order for a refresh: like GetPaymentOrder, but with Config.ReadAhead it
// may answer from a page of the list endpoint fetched moments ago (see readAhead).
func (c *Client) RefreshPaymentOrder(ctx context.Context, orderID string) (*Order, error) {
	return refresh(ctx, c.orderReads, orderID, ValidateOrderID, c.GetPaymentOrder)
}

// RefreshRefund reads a refund for a refresh: like GetRefund, but with Config.ReadAhead it may answer
// from a page of the refund list fetched moments ago (see readAhead).
func (c *Client) RefreshRefund(ctx context.Context, refundID string) (*Refund, error) {
	return refresh(ctx, c.refundReads, refundID, ValidateRefundID, c.GetRefund)
}

func refresh[T any](ctx context.Context, ra *readAhead[T], id string, validate func(string) error, get func(context.Context, string) (*T, error)) (*T, error) {
	if ra == nil {
		return get(ctx, id)
	}
	if err := validate(id); err != nil {
		return nil, err // not a read: it must not count towards the walk
	}
	if v := ra.take(ctx, id); v != nil {
		return v, nil
	}
	return get(ctx, id)
}

// ReadAheadStats reports what read-ahead has done so far for orders (zero without Config.ReadAhead).
func (c *Client) ReadAheadStats() ReadAheadStats { return c.orderReads.statsNow() }

// RefundReadAheadStats reports what read-ahead has done so far for refunds.
func (c *Client) RefundReadAheadStats() ReadAheadStats { return c.refundReads.statsNow() }

func (ra *readAhead[T]) statsNow() ReadAheadStats {
	if ra == nil {
		return ReadAheadStats{}
	}
	ra.mu.Lock()
	defer ra.mu.Unlock()
	return ra.stats
}

// take counts a read, returns the listed copy of the object if there is a fresh one, and lets the
// walk go on if the reads so far allow another page.
func (ra *readAhead[T]) take(ctx context.Context, id string) *T {
	ra.mu.Lock()
	defer ra.mu.Unlock()
	ra.stats.Reads++
	var found *T
	if l, ok := ra.listed[id]; ok {
		delete(ra.listed, id)
		if ra.now().Sub(l.listedAt) <= ReadAheadMaxAge {
			ra.stats.Hits++
			found = &l.item
		}
	}
	ra.maybeFetchLocked(ctx)
	return found
}

// maybeFetchLocked starts the next page if read-ahead is due and within its budget.
func (ra *readAhead[T]) maybeFetchLocked(ctx context.Context) {
	budget := ReadAheadBudget(ra.stats.Reads, ra.stats.Hits)
	if ra.fetching || ra.ended || ra.stats.Reads < ReadAheadStartAfter || ra.stats.PagesRead >= budget {
		return
	}
	ra.fetching = true
	ra.stats.PagesRead++
	// The page outlives the read that started it: keep its log context, not its cancelation.
	go ra.fetch(context.WithoutCancel(ctx), ra.cursor, ra.writeSeq)
}

// ReadAheadBudget is how many list pages the walk of one kind may have read after reads reads, hits
// of them answered from its pages (the rule above).
func ReadAheadBudget(reads, hits int) int {
	return min(reads/ReadAheadFastPerPage, reads/ReadAheadPerPage+hits) + ReadAheadSparePages
}

func (ra *readAhead[T]) fetch(ctx context.Context, cursor string, seq uint64) {
	page, err := ra.list(ctx, cursor)

	ra.mu.Lock()
	defer ra.mu.Unlock()
	ra.fetching = false
	if err != nil {
		ra.ended = true
		ra.log(ctx, "read-ahead stopped; "+ra.kind+"s are read one by one", map[string]any{"error": err.Error()})
		return
	}
	ra.addPageLocked(page, seq)
	if !ra.ended {
		ra.maybeFetchLocked(ctx)
	}
}

// addPageLocked keeps a page's objects for later reads. seq is writeSeq when the page was asked for.
func (ra *readAhead[T]) addPageLocked(page *Page[T], seq uint64) {
	now := ra.now()
	for i := range page.Data {
		id := ra.id(&page.Data[i])
		if ra.written[id] > seq {
			continue // written through this client after the page was asked for: the copy may be older
		}
		ra.listed[id] = listedItem[T]{item: page.Data[i], listedAt: now}
	}
	ra.stats.Seen += len(page.Data)
	ra.cursor = page.Pagination.After
	if ra.cursor == "" || len(page.Data) == 0 {
		ra.ended = true
	}
}

// forget drops an object that is being changed through this client, and keeps pages asked for before
// now from bringing an older copy of it back. Called before and after the change.
func (ra *readAhead[T]) forget(id string) {
	if ra == nil {
		return
	}
	ra.mu.Lock()
	defer ra.mu.Unlock()
	ra.writeSeq++
	ra.written[id] = ra.writeSeq
	delete(ra.listed, id)
}
