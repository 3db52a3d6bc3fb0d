package sandbox_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

// sendErr sends a signed request and returns the transport error (nil when an answer arrived).
func (c *apiClient) sendErr(ctx context.Context, method, target, body string) (*http.Response, error) {
	path, query, _ := strings.Cut(target, "?")
	req, err := http.NewRequestWithContext(ctx, method, c.root+target, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	c.signer.SetHeaders(req.Header, method, path, strconv.FormatInt(time.Now().UnixMilli(), 10), query, []byte(body))
	resp, err := c.http.Do(req)
	if err == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
	}
	return resp, err
}

func TestFaultStatusWithHTMLAndRetryAfter(t *testing.T) {
	t.Parallel()
	srv, c := startSandbox(t, sandbox.Options{})
	sb := srv.Sandbox
	const html = "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>"
	sb.AddFault(sandbox.Fault{Method: "POST", Path: "/v2/payments/orders", Status: 503, Body: html, ContentType: "text/html", RetryAfter: "7", Times: 2})

	body := createBody(map[string]any{"psp_order_code": "fault-503"})
	for i := 0; i < 2; i++ {
		r := c.do("POST", "/v2/payments/orders", body)
		if r.status != 503 || string(r.body) != html || r.header.Get("Content-Type") != "text/html" || r.header.Get("Retry-After") != "7" {
			t.Fatalf("attempt %d: %d %q %q %q", i+1, r.status, r.body, r.header.Get("Content-Type"), r.header.Get("Retry-After"))
		}
		// other methods on the same path are not affected, and helpers never are
		if r := c.do("GET", "/v2/payments/orders", ""); r.status != 200 {
			t.Fatalf("GET during a POST fault: %d %s", r.status, r.body)
		}
		if n := len(sb.Orders(c.key())); n != 0 {
			t.Fatalf("a faulted create stored %d orders", n)
		}
	}
	if r := c.do("POST", "/v2/payments/orders", body); r.status != 201 {
		t.Fatalf("after the fault's 2 uses: %d %s", r.status, r.body)
	}
	if n := sb.OrderCountByPspOrderCode(c.key(), "fault-503"); n != 1 {
		t.Fatalf("%d orders, want 1", n)
	}
	var statuses []int
	for _, rr := range sb.Requests() {
		if rr.Method == "POST" {
			statuses = append(statuses, rr.Status)
		}
	}
	if len(statuses) != 3 || statuses[0] != 503 || statuses[1] != 503 || statuses[2] != 201 {
		t.Fatalf("recorded POST statuses %v, want [503 503 201]", statuses)
	}

	// an empty 429 for any path, unlimited until cleared; helpers stay reachable
	sb.AddFault(sandbox.Fault{Status: 429, Times: -1})
	for i := 0; i < 3; i++ {
		if r := c.do("GET", "/v2/payments/orders/whatever", ""); r.status != 429 || len(r.body) != 0 {
			t.Fatalf("unlimited fault, request %d: %d %q", i, r.status, r.body)
		}
	}
	resp, err := http.Get(srv.URL + "/_sandbox/stats")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("helper during a fault: %v %v", resp, err)
	}
	_ = resp.Body.Close()
	sb.ClearFaults()
	if r := c.do("GET", "/v2/payments/orders", ""); r.status != 200 {
		t.Fatalf("after ClearFaults: %d", r.status)
	}
}

func TestFaultsMatchInOrder(t *testing.T) {
	t.Parallel()
	srv, c2 := startSandbox(t, sandbox.Options{})
	srv.Sandbox.AddFault(sandbox.Fault{Path: "/v2/payments/orders/", Status: 404, Body: "first"})
	srv.Sandbox.AddFault(sandbox.Fault{Status: 500, Body: "second"})
	srv.Sandbox.AddFault(sandbox.Fault{Status: 502, Body: "third"})
	// the list path does not match the first fault's prefix, so it takes the second
	if r := c2.do("GET", "/v2/payments/orders", ""); r.status != 500 || string(r.body) != "second" {
		t.Fatalf("first request: %d %q", r.status, r.body)
	}
	if r := c2.do("GET", "/v2/payments/orders/x", ""); r.status != 404 || string(r.body) != "first" {
		t.Fatalf("second request: %d %q", r.status, r.body)
	}
	if r := c2.do("GET", "/v2/payments/orders/x", ""); r.status != 502 || string(r.body) != "third" {
		t.Fatalf("third request: %d %q", r.status, r.body)
	}
	if got := srv.Sandbox.Faults(); len(got) != 0 {
		t.Fatalf("faults left: %+v", got)
	}
	if r := c2.do("GET", "/v2/payments/orders", ""); r.status != 200 {
		t.Fatalf("fourth request: %d", r.status)
	}
	// a fault never applies outside /v2, even with a prefix that matches
	srv.Sandbox.AddFault(sandbox.Fault{Path: "/", Status: 500, Body: "root"})
	c2.do("GET", "/status", "").wantCoboError(t, 404, cobo.CodeNotFound, "/v2")
	if r := c2.do("GET", "/v2/payments/orders", ""); r.status != 500 || string(r.body) != "root" {
		t.Fatalf("the fault was not kept for a /v2 request: %d %q", r.status, r.body)
	}
}

func TestFaultDelay(t *testing.T) {
	t.Parallel()
	srv, c := startSandbox(t, sandbox.Options{})
	sb := srv.Sandbox
	sb.AddFault(sandbox.Fault{Method: "GET", Delay: 300 * time.Millisecond})
	start := time.Now()
	if r := c.do("GET", "/v2/payments/orders", ""); r.status != 200 {
		t.Fatalf("delayed GET: %d %s", r.status, r.body)
	}
	if el := time.Since(start); el < 300*time.Millisecond {
		t.Fatalf("answered after %v, want at least 300ms", el)
	}
	// One use: the fault is gone (a second delay is not timed here: on a loaded machine a GET alone
	// can take as long as the delay).
	if left := sb.Faults(); len(left) != 0 {
		t.Fatalf("the delay fault is still pending after its one use: %+v", left)
	}
	if r := c.do("GET", "/v2/payments/orders", ""); r.status != 200 {
		t.Fatalf("GET after the delay: %d %s", r.status, r.body)
	}

	// a client that gives up during the delay: the create is never handled
	sb.AddFault(sandbox.Fault{Method: "POST", Delay: 5 * time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	start = time.Now()
	_, err := c.sendErr(ctx, "POST", "/v2/payments/orders", createBody(map[string]any{"psp_order_code": "delayed"}))
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want a deadline error", err)
	}
	// the handler notices the cancellation and records the request with no answer
	deadline := time.Now().Add(3 * time.Second)
	for {
		reqs := sb.Requests()
		if last := reqs[len(reqs)-1]; last.Method == "POST" {
			if last.Status != 0 {
				t.Fatalf("recorded status %d, want 0", last.Status)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the cancelled request was not finished within 3s")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if el := time.Since(start); el > 3*time.Second {
		t.Fatalf("the handler waited %v", el)
	}
	if n := len(sb.Orders(c.key())); n != 0 {
		t.Fatalf("%d orders stored by a cancelled request", n)
	}
}

func TestFaultDropConnection(t *testing.T) {
	t.Parallel()
	srv, c := startSandbox(t, sandbox.Options{})
	sb := srv.Sandbox

	t.Run("before commit", func(t *testing.T) {
		sb.AddFault(sandbox.Fault{Method: "POST", Path: "/v2/payments/orders", DropConnection: true})
		_, err := c.sendErr(context.Background(), "POST", "/v2/payments/orders", createBody(map[string]any{"psp_order_code": "drop-before"}))
		if err == nil {
			t.Fatal("the request got an answer")
		}
		if n := sb.OrderCountByPspOrderCode(c.key(), "drop-before"); n != 0 {
			t.Fatalf("%d orders stored, want 0", n)
		}
		reqs := sb.Requests()
		if last := reqs[len(reqs)-1]; last.Status != 0 || !strings.Contains(last.Body, "drop-before") {
			t.Fatalf("recorded %+v", last)
		}
	})

	t.Run("after commit", func(t *testing.T) {
		sb.AddFault(sandbox.Fault{Method: "POST", Path: "/v2/payments/orders", DropConnection: true, AfterCommit: true})
		_, err := c.sendErr(context.Background(), "POST", "/v2/payments/orders", createBody(map[string]any{"psp_order_code": "drop-after"}))
		if err == nil {
			t.Fatal("the request got an answer")
		}
		if n := sb.OrderCountByPspOrderCode(c.key(), "drop-after"); n != 1 {
			t.Fatalf("%d orders stored, want exactly 1", n)
		}
	})

	t.Run("the cobo client adopts the committed order", func(t *testing.T) {
		client, err := cobo.New(cobo.Config{BaseURL: srv.BaseURL, APISecret: secretFor(t.Name()), MaxRetries: 2, RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		sb.AddFault(sandbox.Fault{Method: "POST", DropConnection: true, AfterCommit: true})
		o, err := client.CreatePaymentOrder(context.Background(), cobo.CreateOrderRequest{
			MerchantID: "M1", PspOrderCode: "adopt-1", FeeAmount: "0", PayableCurrency: "BSC_USDT", PayableAmount: "10.00",
		})
		if err != nil {
			t.Fatal(err)
		}
		stored := sb.Orders(client.APIKey())
		if len(stored) != 1 || stored[0].OrderID != o.OrderID || stored[0].PayableAmount != "10.00" {
			t.Fatalf("stored %+v, returned %s", stored, o.OrderID)
		}
	})
}
