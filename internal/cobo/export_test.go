package cobo

import "time"

// Hooks for the external tests (package cobo_test, which can use the sandbox).

// SetReadAheadClock replaces the clock read-ahead stamps listed orders and refunds with.
func SetReadAheadClock(c *Client, now func() time.Time) {
	setClock(c.orderReads, now)
	setClock(c.refundReads, now)
}

func setClock[T any](ra *readAhead[T], now func() time.Time) {
	ra.mu.Lock()
	defer ra.mu.Unlock()
	ra.now = now
}

// WaitReadAhead waits until no read-ahead page is being fetched, so a test can read in a known order.
func WaitReadAhead(c *Client) {
	waitIdle(c.orderReads)
	waitIdle(c.refundReads)
}

func waitIdle[T any](ra *readAhead[T]) {
	for {
		ra.mu.Lock()
		busy := ra.fetching
		ra.mu.Unlock()
		if !busy {
			return
		}
		time.Sleep(time.Millisecond)
	}
}
