package cobo

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// failThenServe answers the first `failures` requests with fail, then serves an order.
func failThenServe(t testing.TB, failures int, fail func(w http.ResponseWriter)) *testServer {
	return newTestServer(t, func(w http.ResponseWriter, _ *http.Request, n int, _ seenRequest) {
		if n <= failures {
			fail(w)
			return
		}
		writeJSON(w, 200, testOrder("O1", testPsp, "M1001"))
	})
}

func statusAnswer(status int) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		if status == 502 {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(status)
			_, _ = w.Write([]byte("<html>502 Bad Gateway</html>"))
			return
		}
		writeCoboError(w, status, CodeInternal, "transient")
	}
}

func TestIdempotentRequestsRetryTransientFailures(t *testing.T) {
	t.Parallel()
	for _, status := range []int{429, 500, 502, 503, 504} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			ts := failThenServe(t, 2, statusAnswer(status))
			o, err := newTestClient(t, ts.URL+"/v2").GetPaymentOrder(context.Background(), "O1")
			if err != nil || o.OrderID != "O1" {
				t.Fatalf("GetPaymentOrder = %+v, %v", o, err)
			}
			if n := ts.count(); n != 3 {
				t.Errorf("%d requests, want 3", n)
			}
			ts.requireSigned(t)
		})
	}
	t.Run("dropped connection", func(t *testing.T) {
		ts := failThenServe(t, 2, func(w http.ResponseWriter) { dropConnection(t, w) })
		o, err := newTestClient(t, ts.URL+"/v2").GetPaymentOrder(context.Background(), "O1")
		if err != nil || o.OrderID != "O1" {
			t.Fatalf("GetPaymentOrder = %+v, %v", o, err)
		}
		if n := ts.count(); n != 3 {
			t.Errorf("%d requests, want 3", n)
		}
	})
	t.Run("list", func(t *testing.T) {
		ts := newTestServer(t, func(w http.ResponseWriter, _ *http.Request, n int, _ seenRequest) {
			if n == 1 {
				writeCoboError(w, 503, CodeInternal, "busy")
				return
			}
			writeJSON(w, 200, OrderPage{Data: []Order{}, Pagination: Pagination{}})
		})
		page, err := newTestClient(t, ts.URL+"/v2").ListPaymentOrders(context.Background(), ListOrdersParams{MerchantID: "M1"})
		if err != nil || page == nil || len(page.Data) != 0 {
			t.Fatalf("ListPaymentOrders = %+v, %v", page, err)
		}
		if seen := ts.requests(); len(seen) != 2 || seen[0].RawQuery != "merchant_id=M1" || seen[1].RawQuery != "merchant_id=M1" {
			t.Errorf("requests %+v", seen)
		}
	})
}

func TestPutIsRetriedLikeAGet(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, func(w http.ResponseWriter, _ *http.Request, n int, _ seenRequest) {
		switch n {
		case 1:
			dropConnection(t, w)
		case 2:
			writeCoboError(w, 502, CodeInternal, "bad gateway")
		default:
			o := testOrder("O1", testPsp, "M1001")
			o.Status = StatusExpired
			writeJSON(w, 200, o)
		}
	})
	o, err := newTestClient(t, ts.URL+"/v2").UpdatePaymentOrder(context.Background(), "O1", UpdateOrderRequest{Expired: true})
	if err != nil || o.Status != StatusExpired {
		t.Fatalf("UpdatePaymentOrder = %+v, %v", o, err)
	}
	seen := ts.requests()
	if len(seen) != 3 {
		t.Fatalf("%d PUTs, want 3", len(seen))
	}
	for i, r := range seen {
		if r.Method != http.MethodPut || string(r.Body) != `{"expired":true}` {
			t.Errorf("attempt %d: %s %q", i+1, r.Method, r.Body)
		}
	}
	ts.requireSigned(t)
}

func TestClientErrorsAreNeverRetried(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ status, code int }{{400, 2006}, {400, 2003}, {401, 2024}, {403, 2025}, {404, 2028}, {405, 0}, {406, 0}, {409, 0}} {
		for _, method := range []string{http.MethodGet, http.MethodPut} {
			t.Run(fmt.Sprintf("%s %d", method, c.status), func(t *testing.T) {
				ts := newTestServer(t, func(w http.ResponseWriter, _ *http.Request, _ int, _ seenRequest) {
					if c.code == 0 {
						w.WriteHeader(c.status)
						return
					}
					writeCoboError(w, c.status, c.code, "no")
				})
				err := readOrExpire(newTestClient(t, ts.URL+"/v2"), method)
				var apiErr *APIError
				if !errors.As(err, &apiErr) || apiErr.StatusCode != c.status || apiErr.Code != c.code || apiErr.Attempts != 1 {
					t.Fatalf("error %#v", err)
				}
				if n := ts.count(); n != 1 {
					t.Errorf("HTTP %d was tried %d times, want exactly 1", c.status, n)
				}
			})
		}
	}
}

func TestGivesUpAfterMaxRetries(t *testing.T) {
	t.Parallel()
	for _, maxRetries := range []int{0, 1, 4} {
		t.Run(fmt.Sprintf("503 MaxRetries=%d", maxRetries), func(t *testing.T) {
			ts := failThenServe(t, 1000, statusAnswer(503))
			_, err := newTestClient(t, ts.URL+"/v2", func(cfg *Config) { cfg.MaxRetries = maxRetries }).GetPaymentOrder(context.Background(), "O1")
			want := maxRetries + 1
			if n := ts.count(); n != want {
				t.Errorf("%d attempts, want %d", n, want)
			}
			var apiErr *APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 || apiErr.Attempts != want {
				t.Fatalf("error %#v", err)
			}
			mustContain(t, err.Error(), "HTTP 503", "error_code 2000")
			if want > 1 {
				mustContain(t, err.Error(), fmt.Sprintf("gave up after %d attempts", want))
			} else if strings.Contains(err.Error(), "gave up") {
				t.Errorf("one attempt must not say it gave up: %s", err)
			}
		})
	}
	t.Run("dropped connections", func(t *testing.T) {
		ts := failThenServe(t, 1000, func(w http.ResponseWriter) { dropConnection(t, w) })
		_, err := newTestClient(t, ts.URL+"/v2", func(cfg *Config) { cfg.MaxRetries = 2 }).GetPaymentOrder(context.Background(), "O1")
		if n := ts.count(); n != 3 {
			t.Errorf("%d attempts, want 3", n)
		}
		var tErr *TransportError
		if !errors.As(err, &tErr) || tErr.Attempts != 3 {
			t.Fatalf("error %#v", err)
		}
		mustContain(t, err.Error(), "no answer", "gave up after 3 attempts", "GET "+ts.URL+"/v2/payments/orders/O1: no answer")
	})
}

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2025, 3, 4, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"0", 0},
		{"1", time.Second},
		{" 2 ", 2 * time.Second},
		{"120", 2 * time.Minute},
		{"-1", 0},
		{"1.5", 0},
		{"soon", 0},
		{"1s", 0},
		{"-99999999999999999999", 0},
		{now.Add(30 * time.Second).Format(http.TimeFormat), 30 * time.Second},
		{now.Add(90 * time.Minute).Format(time.RFC850), 90 * time.Minute},
		{now.Add(5 * time.Second).Format(time.ANSIC), 5 * time.Second},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0},
		{now.Format(http.TimeFormat), 0},
	}
	for _, c := range cases {
		if got := parseRetryAfter(c.in, now); got != c.want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", c.in, got, c.want)
		}
	}
	// Absurdly large delays must stay absurdly large (and positive), never wrap around.
	for _, in := range []string{"9223372036", "9223372037", "10000000000", "99999999999", "9223372036854775807", "99999999999999999999"} {
		if got := parseRetryAfter(in, now); got < maxRetryAfter {
			t.Errorf("parseRetryAfter(%q) = %v, want at least %v", in, got, maxRetryAfter)
		}
	}
}

// Retry-After in seconds (with a 429) or as an HTTP date (with a 503) is waited for before the retry.
func TestRetryAfterIsHonoured(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		retryAfter func() string
		status     int
		code       int
	}{
		{"seconds", func() string { return "1" }, 429, CodeTooManyRequests},
		// An HTTP date has whole seconds: two seconds ahead is between one and two seconds away.
		{"HTTP date", func() string { return time.Now().Add(2 * time.Second).UTC().Format(http.TimeFormat) }, 503, CodeInternal},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ts := failThenServe(t, 1, func(w http.ResponseWriter) {
				w.Header().Set("Retry-After", tc.retryAfter())
				writeCoboError(w, tc.status, tc.code, "not now")
			})
			if err := readOrExpire(newTestClient(t, ts.URL+"/v2"), http.MethodGet); err != nil {
				t.Fatal(err)
			}
			seen := ts.requests()
			if len(seen) != 2 {
				t.Fatalf("%d requests, want 2", len(seen))
			}
			if gap := seen[1].At.Sub(seen[0].At); gap < 900*time.Millisecond {
				t.Errorf("the retry came %v after the Retry-After", gap)
			}
		})
	}
}

func TestDeadlineShorterThanRetryAfterStopsEarly(t *testing.T) {
	t.Parallel()
	for _, retryAfter := range []string{"30", "10000000000", time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)} {
		t.Run(retryAfter, func(t *testing.T) {
			ts := failThenServe(t, 1000, func(w http.ResponseWriter) {
				w.Header().Set("Retry-After", retryAfter)
				writeCoboError(w, 503, CodeInternal, "maintenance")
			})
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			start := time.Now()
			_, err := newTestClient(t, ts.URL+"/v2").GetPaymentOrder(ctx, "O1")
			// Stopping early means returning at once, not sleeping until the deadline.
			if ctx.Err() != nil {
				t.Errorf("returned only after the deadline (%v): it should give up as soon as it sees the wait is too long", time.Since(start))
			}
			var apiErr *APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 || apiErr.RetryAfter <= 0 {
				t.Fatalf("error %#v", err)
			}
			if n := ts.count(); n != 1 {
				t.Errorf("%d requests; the server asked to wait longer than the deadline, so want 1", n)
			}
		})
	}
}

func TestCancelDuringBackoffStops(t *testing.T) {
	t.Parallel()
	ts := failThenServe(t, 1000, func(w http.ResponseWriter) {
		w.Header().Set("Retry-After", "20")
		writeCoboError(w, 503, CodeInternal, "maintenance")
	})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err := newTestClient(t, ts.URL+"/v2").GetPaymentOrder(ctx, "O1")
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %v after a cancel at 100ms", d)
	}
	if err == nil || ts.count() != 1 {
		t.Errorf("err %v after %d requests", err, ts.count())
	}
}

func TestBackoffStaysWithinBounds(t *testing.T) {
	t.Parallel()
	c := newTestClient(t, "http://127.0.0.1:1/v2", func(cfg *Config) {
		cfg.RetryWaitMin = time.Millisecond
		cfg.RetryWaitMax = 20 * time.Millisecond
	})
	for _, attempt := range []int{1, 2, 5, 70} {
		start := time.Now()
		if err := c.wait(context.Background(), "GET", "/x", attempt, errors.New("x")); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("attempt %d waited %v with RetryWaitMax 20ms", attempt, d)
		}
	}
}

// A Retry-After longer than maxRetryAfter is capped: with a deadline beyond the cap the client sleeps
// (and sees the cancel) instead of refusing at once because an hour does not fit the deadline.
func TestRetryAfterIsCapped(t *testing.T) {
	t.Parallel()
	c := newTestClient(t, "http://127.0.0.1:1/v2")
	ctx, cancel := context.WithTimeout(context.Background(), maxRetryAfter+time.Minute)
	defer cancel()
	time.AfterFunc(50*time.Millisecond, cancel)
	err := c.wait(ctx, "GET", "/x", 1, &APIError{StatusCode: 503, RetryAfter: time.Hour})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("wait = %v; an hour's Retry-After should be capped at %v and fit the deadline", err, maxRetryAfter)
	}
	// Beyond the deadline even after the cap: refuse at once, without sleeping.
	short, cancel2 := context.WithTimeout(context.Background(), time.Minute)
	defer cancel2()
	if err := c.wait(short, "GET", "/x", 1, &APIError{StatusCode: 503, RetryAfter: time.Hour}); !errors.Is(err, context.DeadlineExceeded) || short.Err() != nil {
		t.Errorf("wait = %v with a 1m deadline and a capped 2m Retry-After", err)
	}
}
