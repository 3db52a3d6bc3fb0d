package cobo

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"
)

// A server that never answers in time gives a clear transport error after the retries, not a hang.
func TestSlowServerTimesOutEachAttempt(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ int, _ seenRequest) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	c := newTestClient(t, ts.URL+"/v2", func(cfg *Config) { cfg.Timeout = 100 * time.Millisecond; cfg.MaxRetries = 1 })
	_, err := c.GetPaymentOrder(context.Background(), "O1")
	var tErr *TransportError
	if !errors.As(err, &tErr) {
		t.Fatalf("want a TransportError, got %T %v", err, err)
	}
	mustContain(t, err.Error(), "GET /payments/orders/O1", "no answer", "gave up after 2 attempts")
	if n := ts.count(); n != 2 {
		t.Errorf("want 2 attempts, the server saw %d", n)
	}
}
