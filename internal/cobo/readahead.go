package cobo

import (
	"context"
	"sync"
	"time"
)

// Read-ahead (Config.ReadAhead) serves a plan's many order reads from pages of the list endpoint.
//
// Why: Terraform refreshes at most 10 resources at a time (its default parallelism), so against a
// remote API a plan over N orders costs N/10 round trips of one GET each. Cobo has no "get these ids"
// call, but GET /payments/orders returns the same Order objects 50 at a time. Once a client has been
// asked for many orders, it walks the list pages in the background, oldest first as Cobo lists them, and a later read
// of an order it has already listed is answered without a request.
//
// The rules, all in this file:
//   - Only RefreshPaymentOrder uses it (refreshes and data source reads); creates, expiries and the
//     reads around them always ask Cobo directly.
//   - It starts only after ReadAheadStartAfter reads, so small configurations send exactly one GET per
//     order, as without it.
//   - The walk may list at most one page per ReadAheadPerPage reads asked for so far, plus
//     ReadAheadSparePages. So when the orders read are not among the listed ones (an organization with
//     many orders Terraform does not manage), it costs at most that many extra requests: about 2 %
//     plus 2. When they are, most reads need no request of their own.
//   - A listed order answers one read, and only within ReadAheadMaxAge of being listed; a second read
//     of the same order, or a later one, is a GET.
//   - An expiry through this client forgets the order, and a page requested before the expiry
//     finished cannot bring the old copy back.
//   - Any error while listing ends the walk; reads go on with GETs.
//
// They are exported so that the provider's documentation of read_ahead is built from them.
const (
	ReadAheadStartAfter = 10
	ReadAheadPerPage    = MaxPageSize
	ReadAheadSparePages = 2
	ReadAheadMaxAge     = 30 * time.Second
)

// ReadAheadStats counts what read-ahead did in one client.
type ReadAheadStats struct {
	Reads      int // RefreshPaymentOrder calls
	Hits       int // of those, answered from a listed page
	PagesRead  int // list requests made by read-ahead
	OrdersSeen int // orders those pages brought
}

type readAhead struct {
	c   *Client
	now func() time.Time

	mu       sync.Mutex
	stats    ReadAheadStats
	listed   map[string]listedOrder
	fetching bool
	ended    bool   // the list was walked to its end, or listing failed
	cursor   string // the next page's "after" cursor
	writeSeq uint64
	written  map[string]uint64 // order id -> writeSeq of its latest expiry through this client
}

type listedOrder struct {
	order    Order
	listedAt time.Time
}

func newReadAhead(c *Client) *readAhead {
	return &readAhead{c: c, now: time.Now, listed: map[string]listedOrder{}, written: map[string]uint64{}}
}

// RefreshPaymentOrder reads an order for a refresh: like GetPaymentOrder, but with Config.ReadAhead it
// may answer from a page of the list endpoint fetched moments ago (see readAhead).
func (c *Client) RefreshPaymentOrder(ctx context.Context, orderID string) (*Order, error) {
	if c.readAhead == nil {
		return c.GetPaymentOrder(ctx, orderID)
	}
	if err := ValidateOrderID(orderID); err != nil {
		return nil, err
	}
	if o := c.readAhead.take(ctx, orderID); o != nil {
		return o, nil
	}
	return c.GetPaymentOrder(ctx, orderID)
}

// ReadAheadStats reports what read-ahead has done so far (zero without Config.ReadAhead).
func (c *Client) ReadAheadStats() ReadAheadStats {
	if c.readAhead == nil {
		return ReadAheadStats{}
	}
	c.readAhead.mu.Lock()
	defer c.readAhead.mu.Unlock()
	return c.readAhead.stats
}

// take counts a read, returns the listed copy of the order if there is a fresh one, and lets the walk
// go on if the reads so far allow another page.
func (ra *readAhead) take(ctx context.Context, orderID string) *Order {
	ra.mu.Lock()
	defer ra.mu.Unlock()
	ra.stats.Reads++
	var found *Order
	if l, ok := ra.listed[orderID]; ok {
		delete(ra.listed, orderID)
		if ra.now().Sub(l.listedAt) <= ReadAheadMaxAge {
			ra.stats.Hits++
			found = &l.order
		}
	}
	ra.maybeFetchLocked(ctx)
	return found
}

// maybeFetchLocked starts the next page if read-ahead is due and within its budget.
func (ra *readAhead) maybeFetchLocked(ctx context.Context) {
	budget := ra.stats.Reads/ReadAheadPerPage + ReadAheadSparePages
	if ra.fetching || ra.ended || ra.stats.Reads < ReadAheadStartAfter || ra.stats.PagesRead >= budget {
		return
	}
	ra.fetching = true
	ra.stats.PagesRead++
	// The page outlives the read that started it: keep its log context, not its cancelation.
	go ra.fetch(context.WithoutCancel(ctx), ra.cursor, ra.writeSeq)
}

func (ra *readAhead) fetch(ctx context.Context, cursor string, seq uint64) {
	page, err := ra.c.ListPaymentOrders(ctx, ListOrdersParams{Limit: MaxPageSize, After: cursor})

	ra.mu.Lock()
	defer ra.mu.Unlock()
	ra.fetching = false
	if err != nil {
		ra.ended = true
		ra.c.debug(ctx, "read-ahead stopped; orders are read one by one", map[string]any{"error": err.Error()})
		return
	}
	ra.addPageLocked(page, seq)
	if !ra.ended {
		ra.maybeFetchLocked(ctx)
	}
}

// addPageLocked keeps a page's orders for later reads. seq is writeSeq when the page was asked for.
func (ra *readAhead) addPageLocked(page *OrderPage, seq uint64) {
	now := ra.now()
	for _, o := range page.Data {
		if ra.written[o.OrderID] > seq {
			continue // expired through this client after the page was asked for: the copy may be older
		}
		ra.listed[o.OrderID] = listedOrder{order: o, listedAt: now}
	}
	ra.stats.OrdersSeen += len(page.Data)
	ra.cursor = page.Pagination.After
	if ra.cursor == "" || len(page.Data) == 0 {
		ra.ended = true
	}
}

// forget drops an order that is being changed through this client, and keeps pages asked for before
// now from bringing an older copy of it back. Called before and after the change.
func (ra *readAhead) forget(orderID string) {
	if ra == nil {
		return
	}
	ra.mu.Lock()
	defer ra.mu.Unlock()
	ra.writeSeq++
	ra.written[orderID] = ra.writeSeq
	delete(ra.listed, orderID)
}
