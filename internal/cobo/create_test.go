package cobo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// postAction is what the fake store does with one POST.
type postAction int

const (
	postNormal     postAction = iota // commit (or 400/2040 on a duplicate) and answer 201
	postCommit503                    // commit, then answer 503 as if a proxy lost the answer
	postCommitDrop                   // commit, then drop the connection
	postLost503                      // do not commit; answer 503
	postLostDrop                     // do not commit; drop the connection
	postCommitSlow                   // commit, then answer only after the client has given up
)

// fakeStore is a minimal in-test Cobo: it keeps orders, enforces unique psp_order_code, and can fail.
type fakeStore struct {
	t         testing.TB
	mu        sync.Mutex
	orders    []Order
	posts     int
	lists     int
	plan      []postAction // the action for each POST, in order; postNormal after the plan
	hideLists int          // the first hideLists list calls do not see the orders (replication lag)
	listFail  int          // when non-zero, every list call answers this status
	listQuery []string
}

func (s *fakeStore) handle(w http.ResponseWriter, r *http.Request, _ int, req seenRequest) {
	switch {
	case r.Method == http.MethodPost && req.RawPath == "/v2/payments/orders":
		s.create(w, r, req)
	case r.Method == http.MethodGet && req.RawPath == "/v2/payments/orders":
		s.list(w, req)
	default:
		writeCoboError(w, 404, CodeNotFound, "no route")
	}
}

func (s *fakeStore) create(w http.ResponseWriter, r *http.Request, req seenRequest) {
	var body CreateOrderRequest
	if err := json.Unmarshal(req.Body, &body); err != nil || body.MerchantID == "" || body.PspOrderCode == "" {
		writeCoboError(w, 400, CodeInvalidParameter, "bad create body")
		return
	}
	s.mu.Lock()
	s.posts++
	action := postNormal
	if s.posts <= len(s.plan) {
		action = s.plan[s.posts-1]
	}
	if action == postLost503 || action == postLostDrop {
		s.mu.Unlock()
		if action == postLost503 {
			writeCoboError(w, 503, CodeInternal, "lost before commit")
		} else {
			dropConnection(s.t, w)
		}
		return
	}
	for _, o := range s.orders {
		if o.PspOrderCode == body.PspOrderCode {
			s.mu.Unlock()
			writeCoboError(w, DuplicatePspOrderCode.HTTPStatus, DuplicatePspOrderCode.Code, "Duplicate key")
			return
		}
	}
	o := testOrder(fmt.Sprintf("O-%d", len(s.orders)+1), body.PspOrderCode, body.MerchantID)
	o.CreatedTimestamp = ptr(time.Now().Unix()) // just created: adoptable (AdoptWindow)
	o.PayableCurrency = ptr(body.PayableCurrency)
	o.FeeAmount = body.FeeAmount
	if body.PricingAmount != "" {
		o.PricingAmount = ptr(body.PricingAmount)
	}
	s.orders = append(s.orders, o)
	s.mu.Unlock()
	switch action {
	case postCommit503:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(503)
		_, _ = w.Write([]byte("<html>503 Service Unavailable</html>"))
	case postCommitDrop:
		dropConnection(s.t, w)
	case postCommitSlow:
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	default:
		writeJSON(w, http.StatusCreated, o)
	}
}

func (s *fakeStore) list(w http.ResponseWriter, req seenRequest) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lists++
	s.listQuery = append(s.listQuery, req.RawQuery)
	if s.listFail != 0 {
		writeCoboError(w, s.listFail, CodeAuthFailed, "lookup refused")
		return
	}
	q, _ := url.ParseQuery(req.RawQuery)
	page := OrderPage{Data: []Order{}}
	if s.lists > s.hideLists {
		for _, o := range s.orders {
			if (q.Get("psp_order_id") == "" || o.PspOrderCode == q.Get("psp_order_id")) &&
				(q.Get("merchant_id") == "" || *o.MerchantID == q.Get("merchant_id")) {
				page.Data = append(page.Data, o)
			}
		}
	}
	page.Pagination.TotalCount = len(page.Data)
	writeJSON(w, 200, page)
}

func (s *fakeStore) counts() (posts, lists, orders int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.posts, s.lists, len(s.orders)
}

func newFakeStore(t testing.TB, plan ...postAction) (*fakeStore, *testServer) {
	s := &fakeStore{t: t, plan: plan}
	return s, newTestServer(t, s.handle)
}

func testCreate() CreateOrderRequest {
	return CreateOrderRequest{
		MerchantID: "M1001", PspOrderCode: testPsp, FeeAmount: "0.00", PayableCurrency: "ETH_USDT",
		PricingAmount: "100.00", PricingCurrency: "USD", ExpiredIn: ptr(int64(1800)),
	}
}

func TestCreateNeverDuplicates(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name                 string
		plan                 []postAction
		hideLists            int
		wantPosts, wantLists int
		wantOrderID          string
	}{
		{"plain success", nil, 0, 1, 0, "O-1"},
		{"committed, answer lost (503): adopted", []postAction{postCommit503}, 0, 1, 1, "O-1"},
		{"committed, connection dropped: adopted", []postAction{postCommitDrop}, 0, 1, 1, "O-1"},
		{"not committed (503): sent again", []postAction{postLost503}, 0, 2, 1, "O-1"},
		{"not committed (dropped): sent again", []postAction{postLostDrop}, 0, 2, 1, "O-1"},
		{"twice not committed, then committed", []postAction{postLostDrop, postLost503}, 0, 3, 2, "O-1"},
		{"committed, but the lookup lags: the retry's 2040 leads to adoption", []postAction{postCommit503}, 1, 2, 2, "O-1"},
		{"not committed, then committed with the answer lost", []postAction{postLost503, postCommitDrop}, 0, 2, 2, "O-1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			store, ts := newFakeStore(t, c.plan...)
			store.hideLists = c.hideLists
			o, err := newTestClient(t, ts.URL+"/v2").CreatePaymentOrder(context.Background(), testCreate())
			if err != nil {
				t.Fatalf("CreatePaymentOrder: %v", err)
			}
			if o.OrderID != c.wantOrderID || o.PspOrderCode != testPsp || *o.MerchantID != "M1001" {
				t.Errorf("returned %+v", o)
			}
			posts, lists, orders := store.counts()
			if orders != 1 {
				t.Errorf("the store holds %d orders, want exactly 1", orders)
			}
			if posts != c.wantPosts || lists != c.wantLists {
				t.Errorf("%d POSTs and %d lookups, want %d and %d", posts, lists, c.wantPosts, c.wantLists)
			}
			for _, q := range store.listQuery {
				if q != "limit=50&psp_order_id=P20240201001" {
					t.Errorf("lookup query %q", q)
				}
			}
			for _, r := range ts.requests() {
				if r.Method == http.MethodPost && string(r.Body) != readmeVectors[4].body {
					t.Errorf("POST body %s", r.Body)
				}
			}
			ts.requireSigned(t)
		})
	}
}

// An order an earlier run committed (Cobo answers 2040 to the first POST) is looked up and adopted
// when every input matches, and reported as adopted.
func TestCreateDuplicateOnFirstAttemptAdoptsAMatchingOrder(t *testing.T) {
	t.Parallel()
	store, ts := newFakeStore(t)
	existing := testOrder("O-existing", testPsp, "M1001")
	existing.PricingAmount = ptr("100") // the same amount spelled differently still matches
	existing.CreatedTimestamp = ptr(time.Now().Add(-AdoptWindow + time.Minute).Unix())
	store.orders = []Order{existing}
	res, err := newTestClient(t, ts.URL+"/v2").CreateOrAdoptPaymentOrder(context.Background(), testCreate())
	if err != nil {
		t.Fatalf("CreateOrAdoptPaymentOrder: %v", err)
	}
	if !res.Adopted || res.Order.OrderID != "O-existing" {
		t.Errorf("result %+v, want order O-existing adopted", res)
	}
	if posts, lists, orders := store.counts(); posts != 1 || lists != 1 || orders != 1 {
		t.Errorf("%d POSTs, %d lookups, %d orders; want 1, 1, 1", posts, lists, orders)
	}
}

// A plain create, or one whose own committed attempt is found after an ambiguous failure, is not
// reported as adopted: this call created it.
func TestCreateOfItsOwnOrderIsNotAdopted(t *testing.T) {
	t.Parallel()
	for _, plan := range [][]postAction{nil, {postCommitDrop}} {
		_, ts := newFakeStore(t, plan...)
		res, err := newTestClient(t, ts.URL+"/v2").CreateOrAdoptPaymentOrder(context.Background(), testCreate())
		if err != nil || res.Adopted || res.Order.OrderID != "O-1" {
			t.Errorf("plan %v: result %+v, %v; want O-1, not adopted", plan, res, err)
		}
	}
}

// An existing order with a differing input is not adopted: the error names it and every difference.
func TestCreateDuplicateWithDifferentInputsIsAnError(t *testing.T) {
	t.Parallel()
	store, ts := newFakeStore(t)
	existing := testOrder("O-existing", testPsp, "M1001")
	existing.PayableCurrency, existing.FeeAmount = ptr("TRON_USDT"), "1.50"
	store.orders = []Order{existing}
	_, err := newTestClient(t, ts.URL+"/v2").CreateOrAdoptPaymentOrder(context.Background(), testCreate())
	var exists *ExistingOrderError
	if !errors.As(err, &exists) {
		t.Fatalf("error %T %v, want *ExistingOrderError", err, err)
	}
	if exists.Order.OrderID != "O-existing" || len(exists.Differences) != 2 || exists.Requests != 2 {
		t.Errorf("ExistingOrderError %+v", exists)
	}
	mustContain(t, err.Error(), "O-existing", `fee_amount "1.50", not "0.00"`, `payable_currency "TRON_USDT", not "ETH_USDT"`, "new psp_order_code")
	if posts, lists, orders := store.counts(); posts != 1 || lists != 1 || orders != 1 {
		t.Errorf("%d POSTs, %d lookups, %d orders; want 1, 1, 1", posts, lists, orders)
	}
}

// A 2040 whose order the lookup cannot see (a list lagging behind) is returned as it is.
func TestCreateDuplicateNotFoundIsReturned(t *testing.T) {
	t.Parallel()
	store, ts := newFakeStore(t)
	store.orders = []Order{testOrder("O-existing", testPsp, "M1001")}
	store.hideLists = 1
	_, err := newTestClient(t, ts.URL+"/v2").CreateOrAdoptPaymentOrder(context.Background(), testCreate())
	if !IsDuplicateKey(err) {
		t.Fatalf("error %v is not the duplicate-key answer", err)
	}
	mustContain(t, err.Error(), "HTTP 400", "error_code 2040", "(2 requests in all")
}

// The lookups share the create's retry budget: failing lookups use up the retries, and the final
// error counts every request.
func TestCreateLookupsShareTheRetryBudget(t *testing.T) {
	t.Parallel()
	store, ts := newFakeStore(t, postLost503)
	store.listFail = 503
	_, err := newTestClient(t, ts.URL+"/v2", func(cfg *Config) { cfg.MaxRetries = 2; cfg.RetryWaitMin = time.Millisecond }).
		CreateOrAdoptPaymentOrder(context.Background(), testCreate())
	var unknown *CreateOutcomeUnknownError
	if !errors.As(err, &unknown) {
		t.Fatalf("error %T %v, want *CreateOutcomeUnknownError", err, err)
	}
	// 1 POST, then the lookup and its 2 retries: the budget of 2 retries is spent.
	if posts, lists, _ := store.counts(); posts != 1 || lists != 3 {
		t.Errorf("%d POSTs and %d lookups, want 1 and 3", posts, lists)
	}
	mustContain(t, err.Error(), "gave up after 3 attempts", "(4 requests in all")
}

func TestCreateBadRequestIsNotRetried(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ status, code int }{{400, 2006}, {400, 2003}, {401, 2024}, {403, 4001}} {
		ts := newTestServer(t, func(w http.ResponseWriter, _ *http.Request, _ int, _ seenRequest) {
			writeCoboError(w, c.status, c.code, "rejected")
		})
		_, err := newTestClient(t, ts.URL+"/v2").CreatePaymentOrder(context.Background(), testCreate())
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.StatusCode != c.status || apiErr.Code != c.code {
			t.Errorf("HTTP %d: error %v", c.status, err)
		}
		if seen := ts.requests(); len(seen) != 1 || seen[0].Method != http.MethodPost {
			t.Errorf("HTTP %d: %d requests (want exactly one POST and no lookup)", c.status, len(seen))
		}
	}
}

func TestCreateLookupFailureIsReportedAsUnknownOutcome(t *testing.T) {
	t.Parallel()
	for _, plan := range []postAction{postCommit503, postLostDrop} {
		store, ts := newFakeStore(t, plan)
		store.listFail = 401
		_, err := newTestClient(t, ts.URL+"/v2").CreatePaymentOrder(context.Background(), testCreate())
		var unknown *CreateOutcomeUnknownError
		if !errors.As(err, &unknown) {
			t.Fatalf("error %T %v, want *CreateOutcomeUnknownError", err, err)
		}
		if unknown.PspOrderCode != testPsp || !IsAuthFailed(unknown.LookupErr) || unknown.CreateErr == nil {
			t.Errorf("CreateOutcomeUnknownError %+v", unknown)
		}
		msg := err.Error()
		mustContain(t, msg, `psp_order_code "P20240201001"`, "looking it up", "HTTP 401", "Cobo may hold this order")
		if plan == postCommit503 {
			mustContain(t, msg, "HTTP 503")
			var apiErr *APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != 503 {
				t.Errorf("the create error does not unwrap to the 503: %v", apiErr)
			}
		} else {
			mustContain(t, msg, "no answer")
		}
		if posts, lists, _ := store.counts(); posts != 1 || lists != 1 {
			t.Errorf("%d POSTs and %d lookups, want 1 and 1", posts, lists)
		}
	}
}

func TestCreateDoesNotAdoptAnotherMerchantsOrder(t *testing.T) {
	t.Parallel()
	store, ts := newFakeStore(t, postLost503)
	store.orders = []Order{testOrder("O-other", testPsp, "M9999")}
	o, err := newTestClient(t, ts.URL+"/v2").CreatePaymentOrder(context.Background(), testCreate())
	if err == nil {
		t.Fatalf("adopted %+v", o)
	}
	mustContain(t, err.Error(), "O-other", `merchant_id "M9999", not "M1001"`, "new psp_order_code")
	if posts, lists, orders := store.counts(); posts != 1 || lists != 1 || orders != 1 {
		t.Errorf("%d POSTs, %d lookups, %d orders; want 1, 1, 1", posts, lists, orders)
	}
}

func TestCreateInputDifferences(t *testing.T) {
	t.Parallel()
	base := testOrder("O1", testPsp, "M1001") // ETH_USDT, pricing 100.00, payable 100.01
	cases := []struct {
		req  CreateOrderRequest
		want string
	}{
		{CreateOrderRequest{MerchantID: "M1001", PayableCurrency: "ETH_USDT", PricingAmount: "100.00"}, ""},
		{CreateOrderRequest{MerchantID: "M1001", PayableCurrency: "ETH_USDT", PayableAmount: "100.01"}, ""},
		{CreateOrderRequest{MerchantID: "M1001", PayableCurrency: "ETH_USDT", PricingAmount: "100"}, ""},     // same amount, other spelling
		{CreateOrderRequest{MerchantID: "M1001", PayableCurrency: "ETH_USDT", PayableAmount: "100.010"}, ""}, // same amount, other spelling
		{CreateOrderRequest{MerchantID: "M2", PayableCurrency: "ETH_USDT"}, "merchant_id"},
		{CreateOrderRequest{MerchantID: "M1001", PayableCurrency: "TRON_USDT"}, "payable_currency"},
		{CreateOrderRequest{MerchantID: "M1001", PayableCurrency: "ETH_USDT", PayableAmount: "5.00"}, "payable_amount"},
		{CreateOrderRequest{MerchantID: "M1001", PayableCurrency: "ETH_USDT", PricingAmount: "99.00"}, "pricing_amount"},
		{CreateOrderRequest{MerchantID: "M1001", FeeAmount: "0"}, ""},
		{CreateOrderRequest{MerchantID: "M1001", FeeAmount: "0.01"}, "fee_amount"},
		{CreateOrderRequest{MerchantID: "M1001", PricingCurrency: "EUR"}, "pricing_currency"},
		{CreateOrderRequest{MerchantID: "M1001", AmountTolerance: "0.5"}, ""},     // Cobo's answer leaves it out: not compared
		{CreateOrderRequest{MerchantID: "M1001", MerchantOrderCode: "inv-1"}, ""}, // likewise
	}
	for _, c := range cases {
		got := CreateInputDifferences(c.req, &base)
		if (c.want == "") != (len(got) == 0) || (c.want != "" && (len(got) != 1 || got[0].Field != c.want)) {
			t.Errorf("CreateInputDifferences(%+v) = %+v, want %q", c.req, got, c.want)
		}
	}
}

func TestCreateGivesUpAfterMaxRetries(t *testing.T) {
	t.Parallel()
	store, ts := newFakeStore(t, postLost503, postLost503, postLost503, postLost503, postLost503)
	_, err := newTestClient(t, ts.URL+"/v2", func(cfg *Config) { cfg.MaxRetries = 2 }).CreatePaymentOrder(context.Background(), testCreate())
	if err == nil {
		t.Fatal("no error")
	}
	mustContain(t, err.Error(), "HTTP 503", "gave up after 3 attempts", "(6 requests in all")
	if posts, lists, orders := store.counts(); posts != 3 || lists != 3 || orders != 0 {
		t.Errorf("%d POSTs, %d lookups, %d orders; want 3, 3, 0", posts, lists, orders)
	}
}

func TestCreateWithoutRetriesStillLooksUp(t *testing.T) {
	t.Parallel()
	store, ts := newFakeStore(t, postCommitDrop)
	o, err := newTestClient(t, ts.URL+"/v2", func(cfg *Config) { cfg.MaxRetries = 0 }).CreatePaymentOrder(context.Background(), testCreate())
	if err != nil || o.OrderID != "O-1" {
		t.Fatalf("CreatePaymentOrder = %+v, %v", o, err)
	}
	if posts, lists, _ := store.counts(); posts != 1 || lists != 1 {
		t.Errorf("%d POSTs and %d lookups, want 1 and 1", posts, lists)
	}
}

// A create whose context runs out after Cobo committed the order still finds and adopts it.
func TestCreateAdoptsAfterItsContextExpires(t *testing.T) {
	t.Parallel()
	store, ts := newFakeStore(t, postCommitSlow)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	o, err := newTestClient(t, ts.URL+"/v2").CreatePaymentOrder(ctx, testCreate())
	if err != nil || o.OrderID != "O-1" {
		t.Fatalf("CreatePaymentOrder = %+v, %v", o, err)
	}
	if posts, lists, orders := store.counts(); posts != 1 || lists != 1 || orders != 1 {
		t.Errorf("%d POSTs, %d lookups, %d orders; want 1, 1, 1", posts, lists, orders)
	}
}

func TestFindOrderByPspOrderCodeMatchesExactly(t *testing.T) {
	t.Parallel()
	// A server that ignores the filter must not make the client adopt a different order.
	ts := newTestServer(t, func(w http.ResponseWriter, _ *http.Request, _ int, _ seenRequest) {
		writeJSON(w, 200, OrderPage{Data: []Order{testOrder("O-a", "P-other", "M1001"), testOrder("O-b", testPsp, "M1001")}})
	})
	c := newTestClient(t, ts.URL+"/v2")
	o, err := c.FindOrderByPspOrderCode(context.Background(), testPsp)
	if err != nil || o == nil || o.OrderID != "O-b" {
		t.Fatalf("FindOrderByPspOrderCode = %+v, %v", o, err)
	}
	o, err = c.FindOrderByPspOrderCode(context.Background(), "P-missing")
	if err != nil || o != nil {
		t.Errorf("a missing code gave %+v, %v", o, err)
	}
}

// Only a Pending order created within AdoptWindow is adopted: an Expired or paid one, an older one (an
// order a removed block forgot), or one whose creation time is unknown is an *ExistingOrderError
// saying why, even when every input matches.
func TestCreateAdoptsOnlyARecentPendingOrder(t *testing.T) {
	t.Parallel()
	now := time.Now()
	cases := []struct {
		name    string
		status  string
		created *int64
		want    string
	}{
		{"Expired", StatusExpired, ptr(now.Unix()), "it is Expired, and only a Pending order is adopted"},
		{"Completed", StatusCompleted, ptr(now.Unix()), "it is Completed"},
		{"old Pending", StatusPending, ptr(now.Add(-AdoptWindow - 5*time.Minute).Unix()), "it was created 20 minutes ago, and only an order created in the last 15 minutes is adopted"},
		{"creation time unknown", StatusPending, nil, "Cobo did not report when it was created"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			store, ts := newFakeStore(t)
			existing := testOrder("O-existing", testPsp, "M1001")
			existing.Status, existing.CreatedTimestamp = c.status, c.created
			store.orders = []Order{existing}
			_, err := newTestClient(t, ts.URL+"/v2").CreateOrAdoptPaymentOrder(context.Background(), testCreate())
			var exists *ExistingOrderError
			if !errors.As(err, &exists) || len(exists.Differences) != 0 || !strings.Contains(exists.NotAdoptable, c.want) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %T %v, want an *ExistingOrderError with no differences, saying %q", err, err, c.want)
			}
		})
	}
}

func TestNotAdoptableAtTheWindowsEdge(t *testing.T) {
	t.Parallel()
	o := testOrder("O-1", testPsp, "M1001")
	created := time.Unix(*o.CreatedTimestamp, 0)
	if why := NotAdoptable(&o, created.Add(AdoptWindow)); why != "" {
		t.Errorf("an order exactly AdoptWindow old: %q, want adoptable", why)
	}
	if why := NotAdoptable(&o, created.Add(AdoptWindow+time.Second)); why == "" {
		t.Errorf("an order older than AdoptWindow is adoptable")
	}
}

// A POST that could not connect (connection refused) committed nothing: it is sent again without a
// lookup, and the error at the end is the refusal, not an unknown outcome.
func TestCreateRefusedIsRetriedWithoutLookup(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	_, err = newTestClient(t, "http://"+addr+"/v2", func(cfg *Config) { cfg.MaxRetries = 2; cfg.RetryWaitMin = time.Millisecond }).
		CreateOrAdoptPaymentOrder(context.Background(), testCreate())
	var unknown *CreateOutcomeUnknownError
	if err == nil || errors.As(err, &unknown) || !NeverSent(err) {
		t.Fatalf("error %T %v, want the refusal itself", err, err)
	}
	mustContain(t, err.Error(), "POST", "connection refused", "gave up after 3 attempts")
}
