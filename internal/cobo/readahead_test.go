package cobo_test

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

// readAheadEnv is a sandbox with n orders and a read-ahead client of its own organization. orders are
// in the order the list endpoint walks them (the sandbox lists oldest first; Cobo documents no order).
type readAheadEnv struct {
	sb      *sandbox.Sandbox
	client  *cobo.Client
	checker *cobo.Client // the same organization without read-ahead, to see what Cobo holds
	apiKey  string
	orders  []string
}

// readAheadAgent is the User-Agent of the read-ahead client, to tell its requests from the checker's.
const readAheadAgent = "read-ahead-test"

func newReadAheadEnv(t *testing.T, n int, wrap func(http.Handler) http.Handler) *readAheadEnv {
	t.Helper()
	seed := make([]byte, 32)
	if _, err := crand.Read(seed); err != nil {
		t.Fatal(err)
	}
	sb := sandbox.New(sandbox.Options{})
	var h http.Handler = sb
	if wrap != nil {
		h = wrap(sb)
	}
	srv := httptest.NewServer(h) // 127.0.0.1, a free port
	t.Cleanup(srv.Close)
	cfg := cobo.Config{BaseURL: srv.URL + "/v2", APISecret: hex.EncodeToString(seed), ReadAhead: true, MaxRetries: -1, UserAgent: readAheadAgent}
	client, err := cobo.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg.ReadAhead, cfg.UserAgent = false, "checker"
	checker, err := cobo.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	env := &readAheadEnv{sb: sb, client: client, checker: checker, apiKey: client.APIKey()}
	for i := range n {
		_, err := client.CreatePaymentOrder(context.Background(), cobo.CreateOrderRequest{
			MerchantID: "M1001", PspOrderCode: fmt.Sprintf("ra-%04d", i), PayableCurrency: "ETH_USDT",
			PricingCurrency: "USD", PricingAmount: "10.00", FeeAmount: "0.10",
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for after := ""; ; {
		page, err := client.ListPaymentOrders(context.Background(), cobo.ListOrdersParams{Limit: cobo.MaxPageSize, After: after})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range page.Data {
			env.orders = append(env.orders, o.OrderID)
		}
		if after = page.Pagination.After; after == "" || len(page.Data) == 0 {
			break
		}
	}
	if len(env.orders) != n {
		t.Fatalf("the list has %d orders, want %d", len(env.orders), n)
	}
	sb.ResetRequests()
	return env
}

// requests sorts the API requests since the last ResetRequests: GETs of each order, list pages, and
// anything else.
func (e *readAheadEnv) requests() (gets map[string]int, pages int, other []sandbox.RecordedRequest) {
	r := sandbox.ClassifyReads(e.sb.Requests())
	return r.Gets, len(r.Pages), r.Other
}

// current is the sandbox's own view of an order.
func (e *readAheadEnv) current(t *testing.T, id string) cobo.Order {
	t.Helper()
	for _, o := range e.sb.Orders(e.apiKey) {
		if o.OrderID == id {
			return o
		}
	}
	t.Fatalf("the sandbox has no order %s", id)
	return cobo.Order{}
}

// refresh reads ids one after the other, letting each read-ahead page land before the next read, and
// checks every answer against the sandbox.
func (e *readAheadEnv) refresh(t *testing.T, ids []string) {
	t.Helper()
	for _, id := range ids {
		o, err := e.client.RefreshPaymentOrder(context.Background(), id)
		if err != nil {
			t.Fatalf("refresh %s: %v", id, err)
		}
		if want := e.current(t, id); !reflect.DeepEqual(*o, want) {
			t.Fatalf("refresh %s answered\n%+v\nthe sandbox has\n%+v", id, *o, want)
		}
		cobo.WaitReadAhead(e.client)
	}
}

// wantOneGetEach fails for each order read with more than one GET.
func wantOneGetEach(t *testing.T, gets map[string]int) {
	t.Helper()
	for id, n := range gets {
		if n != 1 {
			t.Errorf("order %s: %d GETs, want 1", id, n)
		}
	}
}

func TestReadAheadSmallPlansSendOneGETPerOrder(t *testing.T) {
	t.Parallel()
	e := newReadAheadEnv(t, 12, nil)
	e.refresh(t, e.orders[:9])
	gets, pages, other := e.requests()
	if pages != 0 || len(other) != 0 || len(gets) != 9 {
		t.Fatalf("9 refreshes made %d list requests, %v, and GETs %v; want exactly one GET each", pages, other, gets)
	}
	wantOneGetEach(t, gets)
}

func TestReadAheadAnswersFromListPages(t *testing.T) {
	t.Parallel()
	e := newReadAheadEnv(t, 120, nil)
	e.refresh(t, e.orders) // in the walk's own order

	gets, pages, other := e.requests()
	st := e.client.ReadAheadStats()
	// The first 10 reads start the walk; from then on pages stay ahead of the reads, as far as the
	// budget (one page per 50 reads, plus 2) lets them.
	if len(other) != 0 {
		t.Fatalf("unexpected requests: %v", other)
	}
	if pages != 3 || st.PagesRead != 3 || st.Seen != 120 {
		t.Fatalf("list pages: sandbox saw %d, stats %+v; want 3 pages covering all 120 orders", pages, st)
	}
	if len(gets) != 10 || st.Hits != 110 || st.Reads != 120 {
		t.Fatalf("%d orders were read with a GET (%v) and %d from pages (stats %+v); want the first 10 by GET and 110 from pages", len(gets), gets, st.Hits, st)
	}
	if total := len(gets) + pages; total >= 120/4 {
		t.Fatalf("120 refreshes took %d requests", total)
	}
}

func TestReadAheadIsBoundedWhenReadsAreNotListed(t *testing.T) {
	t.Parallel()
	e := newReadAheadEnv(t, 300, nil)
	last := e.orders[240:] // beyond the pages the budget allows
	e.refresh(t, last)

	gets, pages, other := e.requests()
	if len(other) != 0 {
		t.Fatalf("unexpected requests: %v", other)
	}
	if maxPages := len(last)/cobo.ReadAheadPerPage + cobo.ReadAheadSparePages; pages > maxPages {
		t.Fatalf("%d reads let read-ahead list %d pages; the budget is %d", len(last), pages, maxPages)
	}
	if len(gets) != len(last) {
		t.Fatalf("%d of %d orders were read with a GET; the pages could not have had the others", len(gets), len(last))
	}
	wantOneGetEach(t, gets)
}

func TestReadAheadForgetsOrdersExpiredThroughTheClient(t *testing.T) {
	t.Parallel()
	e := newReadAheadEnv(t, 20, nil)
	e.refresh(t, e.orders[:10]) // the walk starts and lists all 20
	target := e.orders[15]
	if _, err := e.client.UpdatePaymentOrder(context.Background(), target, cobo.UpdateOrderRequest{Expired: true}); err != nil {
		t.Fatal(err)
	}
	e.sb.ResetRequests()
	o, err := e.client.RefreshPaymentOrder(context.Background(), target)
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != cobo.StatusExpired {
		t.Fatalf("after the expiry, a refresh answered status %s: the copy listed before the expiry", o.Status)
	}
	if gets, _, _ := e.requests(); gets[target] != 1 {
		t.Fatalf("the refresh after the expiry did not GET the order: %v", gets)
	}
}

func TestReadAheadAnswersEachListedOrderOnce(t *testing.T) {
	t.Parallel()
	e := newReadAheadEnv(t, 20, nil)
	e.refresh(t, e.orders[:10])
	again := e.orders[12]
	e.refresh(t, []string{again, again})
	if gets, _, _ := e.requests(); gets[again] != 1 {
		t.Fatalf("the second read of a listed order must GET it; GETs: %v", gets)
	}
}

func TestReadAheadIgnoresOldPages(t *testing.T) {
	t.Parallel()
	e := newReadAheadEnv(t, 20, nil)
	now := time.Now()
	var mu sync.Mutex
	cobo.SetReadAheadClock(e.client, func() time.Time { mu.Lock(); defer mu.Unlock(); return now })
	e.refresh(t, e.orders[:10])
	mu.Lock()
	now = now.Add(31 * time.Second) // ReadAheadMaxAge is 30 s
	mu.Unlock()
	target := e.orders[15]
	if _, err := e.sb.Pay(target, sandbox.Payment{Amount: "1"}); err != nil {
		t.Fatal(err)
	}
	e.refresh(t, []string{target}) // checks the answer against the sandbox: the payment must show
	if gets, _, _ := e.requests(); gets[target] != 1 {
		t.Fatalf("an order listed more than 30 s ago must be read with a GET; GETs: %v", gets)
	}
}

func TestReadAheadStopsOnListErrors(t *testing.T) {
	t.Parallel()
	var failing atomic.Bool // from when the orders are seeded and listed
	failList := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if failing.Load() && r.Method == http.MethodGet && r.URL.Path == "/v2/payments/orders" {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusInternalServerError)
				_, _ = w.Write([]byte(`{"error_code":2000,"error_message":"internal","error_id":"e1"}`))
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	e := newReadAheadEnv(t, 80, failList)
	failing.Store(true)
	e.refresh(t, e.orders) // every answer is still checked against the sandbox
	if st := e.client.ReadAheadStats(); st.PagesRead != 1 || st.Hits != 0 {
		t.Fatalf("after a failed page read-ahead must stop: %+v", st)
	}
}

// Concurrent reads, as Terraform makes them (10 at a time, in no particular order): every answer is
// the sandbox's order, no order is read twice, and the requests stay within the budget.
func TestReadAheadConcurrentReads(t *testing.T) {
	t.Parallel()
	e := newReadAheadEnv(t, 150, nil)
	ids := append([]string(nil), e.orders...)
	rand.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })

	work := make(chan string)
	var wg sync.WaitGroup
	errs := make(chan error, len(ids))
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range work {
				o, err := e.client.RefreshPaymentOrder(context.Background(), id)
				switch {
				case err != nil:
					errs <- err
				case o.OrderID != id:
					errs <- fmt.Errorf("asked for %s, got %s", id, o.OrderID)
				}
			}
		}()
	}
	for _, id := range ids {
		work <- id
	}
	close(work)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	cobo.WaitReadAhead(e.client)

	gets, pages, other := e.requests()
	st := e.client.ReadAheadStats()
	if len(other) != 0 {
		t.Fatalf("unexpected requests: %v", other)
	}
	for id, n := range gets {
		if n != 1 {
			t.Errorf("order %s: %d GETs, want at most 1", id, n)
		}
	}
	if len(gets)+st.Hits != len(ids) {
		t.Errorf("%d GETs + %d answers from pages for %d reads", len(gets), st.Hits, len(ids))
	}
	if maxPages := len(ids)/cobo.MaxPageSize + 2; pages > maxPages || pages != st.PagesRead {
		t.Errorf("%d list pages (stats %d); the budget is %d", pages, st.PagesRead, maxPages)
	}
}

func TestRefreshPaymentOrderRejectsBadIDs(t *testing.T) {
	t.Parallel()
	e := newReadAheadEnv(t, 0, nil)
	if _, err := e.client.RefreshPaymentOrder(context.Background(), "../x"); err == nil {
		t.Fatal("an order id with a slash was accepted")
	}
	if _, pages, other := e.requests(); pages != 0 || len(other) != 0 {
		t.Fatal("a rejected id reached the sandbox")
	}
}
