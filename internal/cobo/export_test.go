package cobo

import "time"

// Hooks for the external tests (package cobo_test, which can use the sandbox).

// SetReadAheadClock replaces the clock read-ahead stamps listed orders with.
func SetReadAheadClock(c *Client, now func() time.Time) {
	c.readAhead.mu.Lock()
	defer c.readAhead.mu.Unlock()
	c.readAhead.now = now
}

// WaitReadAhead waits until no read-ahead page is being fetched, so a test can read in a known order.
func WaitReadAhead(c *Client) {
	for {
		c.readAhead.mu.Lock()
		busy := c.readAhead.fetching
		c.readAhead.mu.Unlock()
		if !busy {
			return
		}
		time.Sleep(time.Millisecond)
	}
}
