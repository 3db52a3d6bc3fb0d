package sandbox_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

func TestConcurrentCreatesAndReads(t *testing.T) {
	t.Parallel()
	srv, _ := startSandbox(t, sandbox.Options{})
	sb := srv.Sandbox
	const workers, perWorker = 20, 15
	orgs := []*apiClient{newAPIClient(t, srv.URL, secretFor("conc-a")), newAPIClient(t, srv.URL, secretFor("conc-b"))}
	transport := &http.Transport{MaxIdleConnsPerHost: workers}
	for _, c := range orgs {
		c.http = &http.Client{Transport: transport, Timeout: 10 * time.Second}
	}

	var wg sync.WaitGroup
	errs := make(chan error, workers*perWorker*4)
	created := make(chan string, workers*perWorker)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			c := orgs[w%2]
			for i := 0; i < perWorker; i++ {
				code := fmt.Sprintf("conc-%02d-%02d", w, i)
				r := c.do("POST", "/v2/payments/orders", createBody(map[string]any{"psp_order_code": code}))
				if r.status != 201 {
					errs <- fmt.Errorf("create %s: %d %s", code, r.status, r.body)
					continue
				}
				o, err := cobo.DecodeOrder(r.body)
				if err != nil {
					errs <- err
					continue
				}
				created <- o.OrderID
				if g := c.do("GET", "/v2/payments/orders/"+o.OrderID, ""); g.status != 200 {
					errs <- fmt.Errorf("get %s: %d", o.OrderID, g.status)
				}
				if l := c.do("GET", "/v2/payments/orders?psp_order_id="+code, ""); l.status != 200 {
					errs <- fmt.Errorf("list %s: %d", code, l.status)
				}
				if i%5 == 0 {
					if _, err := sb.Pay(o.OrderID, sandbox.Payment{Amount: "1"}); err != nil {
						errs <- err
					}
					sb.Advance(time.Millisecond)
					_ = sb.Requests()
					_ = sb.Stats()
				}
			}
		}(w)
	}
	// everyone races for the same code: exactly one wins per organization
	dupResults := make(chan int, workers)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			dupResults <- orgs[w%2].do("POST", "/v2/payments/orders", createBody(map[string]any{"psp_order_code": "contended"})).status
		}(w)
	}
	wg.Wait()
	close(errs)
	close(created)
	close(dupResults)
	for err := range errs {
		t.Error(err)
	}
	seen := map[string]bool{}
	for id := range created {
		if seen[id] {
			t.Fatalf("order id %s handed out twice", id)
		}
		seen[id] = true
	}
	if len(seen) != workers*perWorker {
		t.Fatalf("%d distinct orders created, want %d", len(seen), workers*perWorker)
	}
	wins, dups := 0, 0
	for st := range dupResults {
		switch st {
		case 201:
			wins++
		case 400:
			dups++
		default:
			t.Errorf("contended create answered %d", st)
		}
	}
	if wins != 2 || dups != workers-2 {
		t.Fatalf("contended code: %d created, %d duplicates; want 2 and %d", wins, dups, workers-2)
	}
	for _, c := range orgs {
		orders := sb.Orders(c.key())
		if len(orders) != workers/2*perWorker+1 {
			t.Fatalf("org %s…: %d orders, want %d", c.key()[:8], len(orders), workers/2*perWorker+1)
		}
		paid := 0
		for _, o := range orders {
			if n := sb.OrderCountByPspOrderCode(c.key(), o.PspOrderCode); n != 1 {
				t.Fatalf("%d orders with %s", n, o.PspOrderCode)
			}
			if o.ReceivedTokenAmount == "1" {
				paid++
			}
		}
		if paid != workers/2*(perWorker/5) {
			t.Fatalf("%d paid orders, want %d", paid, workers/2*(perWorker/5))
		}
	}
	if got, want := sb.Stats().Requests, int64(workers*perWorker*3+workers); got != want {
		t.Fatalf("stats requests = %d, want %d", got, want)
	}
}
