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
	mustContain(t, err.Error(), "GET "+ts.URL+"/v2/payments/orders/O1: no answer", "gave up after 2 attempts")
	if n := ts.count(); n != 2 {
		t.Errorf("want 2 attempts, the server saw %d", n)
	}
}

// Retries stop at the context's deadline, and the error says the deadline stopped them.
func TestRetriesStopAtTheDeadline(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(w http.ResponseWriter, r *http.Request, _ int, _ seenRequest) {
		<-r.Context().Done() // hangs until the client gives up
	})
	c := newTestClient(t, ts.URL+"/v2", func(cfg *Config) { cfg.Timeout = 150 * time.Millisecond; cfg.MaxRetries = 10 })
	ctx, cancel := context.WithTimeout(context.Background(), 400*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.GetPaymentOrder(ctx, "O1")
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Errorf("the read took %v with a 400ms deadline", elapsed)
	}
	if !errors.Is(err, ErrOutOfTime) {
		t.Fatalf("error %v does not say the deadline stopped the retries", err)
	}
	var tErr *TransportError
	if !errors.As(err, &tErr) {
		t.Fatalf("error %T %v, want a TransportError inside", err, err)
	}
	mustContain(t, err.Error(), "GET "+ts.URL+"/v2/payments/orders/O1: no answer", "no time was left for another attempt")
	if n := ts.count(); n < 1 || n > 4 {
		t.Errorf("%d attempts in 400ms of 150ms each", n)
	}
}
