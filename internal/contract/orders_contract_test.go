package contract_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/contract"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox/sandboxtest"
)

// ordersCoverage is every operation and status the orders contract test must produce: each documented
// operation's success, the 4XX answers the sandbox gives (400 for bad input and duplicates, 401, 404,
// 413), a 5XX, and requests no operation documents (a 405 method, an unknown path).
var ordersCoverage = []string{
	"create_payment_order 201", "create_payment_order 400", "create_payment_order 401", "create_payment_order 413", "create_payment_order 500",
	"list_payment_orders 200", "list_payment_orders 400", "list_payment_orders 401",
	"get_payment_order_detail_by_id 200", "get_payment_order_detail_by_id 401", "get_payment_order_detail_by_id 404",
	"update_payment_order 200", "update_payment_order 400", "update_payment_order 401", "update_payment_order 404",
	"undocumented method 405", "undocumented path 404",
}

const (
	orgSecret   = "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20"
	otherSecret = "2122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f40"
)

// ordersWorld is one sandbox with every answer validated: the real client, and raw signed requests for
// what the client refuses to send.
type ordersWorld struct {
	t      *testing.T
	v      *contract.Validator
	srv    *sandboxtest.Server
	client *cobo.Client
	raw    *rawClient
}

func newOrdersWorld(t *testing.T, v *contract.Validator, opts sandbox.Options) *ordersWorld {
	t.Helper()
	srv := sandboxtest.New(t, opts)
	return &ordersWorld{t: t, v: v, srv: srv, client: validatedClient(t, v, srv.BaseURL, orgSecret), raw: newRawClient(t, v, srv.URL, orgSecret)}
}

func validatedClient(t *testing.T, v *contract.Validator, baseURL, secret string) *cobo.Client {
	t.Helper()
	c, err := cobo.New(cobo.Config{BaseURL: baseURL, APISecret: secret, MaxRetries: 0, Transport: v.Transport(cobo.NewTransport())})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestOrdersContract drives every pay-in order operation of the sandbox, successes and errors, and
// validates each answer against payment-orders.openapi.yaml.
func TestOrdersContract(t *testing.T) {
	t.Parallel()
	v := contract.NewForTest(t)
	w := newOrdersWorld(t, v, sandbox.Options{})
	orders := w.createOrders()
	w.listPages(orders)
	w.readAndExpire(orders)
	w.badInput()
	w.authFailures()
	w.undocumented()
	serverError(t, v)
	if missing := v.MissingExercise(ordersCoverage...); len(missing) != 0 {
		t.Errorf("the contract test never produced %v (it produced %v)", missing, v.Exercised())
	}
	t.Logf("answers validated, by operation and status: %v", v.Exercised())
}

// TestOrdersContractCatchesAWrongAnswer proves the loop can fail: the sandbox is told to add a declared
// Order property with the wrong type (amount_tolerance as a number), and every answer with an order,
// through the client's transport or around the sandbox's handler, is reported.
func TestOrdersContractCatchesAWrongAnswer(t *testing.T) {
	t.Parallel()
	v, err := contract.New()
	if err != nil {
		t.Fatal(err)
	}
	srv := sandboxtest.New(t, sandbox.Options{})
	srv.Sandbox.SetExtraOrderFields(map[string]any{"amount_tolerance": 0.5})
	ctx := context.Background()
	client := validatedClient(t, v, srv.BaseURL, orgSecret)
	// The client rejects such an Order too (its decoding is strict); here only the contract's report counts.
	_, _ = client.CreatePaymentOrder(ctx, createRequest("P-wrong"))
	wrapped := httptest.NewServer(v.Handler(srv.Sandbox))
	defer wrapped.Close()
	plain, err := cobo.New(cobo.Config{BaseURL: wrapped.URL + "/v2", APISecret: orgSecret})
	if err != nil {
		t.Fatal(err)
	}
	_, _ = plain.ListPaymentOrders(ctx, cobo.ListOrdersParams{})
	got := v.Violations()
	if len(got) != 2 || got[0].Operation != "create_payment_order" || got[1].Operation != "list_payment_orders" {
		t.Fatalf("want the create (transport) and the list (handler) reported, got %v", got)
	}
	for _, viol := range got {
		if !strings.Contains(viol.Message, "amount_tolerance") || !strings.Contains(viol.Message, "must be a string") {
			t.Errorf("violation does not name the field and the rule: %s", viol)
		}
	}
}

func createRequest(psp string) cobo.CreateOrderRequest {
	return cobo.CreateOrderRequest{MerchantID: "M1001", PspOrderCode: psp, FeeAmount: "0.50", PayableCurrency: "ETH_USDT",
		PricingCurrency: "USD", PricingAmount: "100.00", MerchantOrderCode: "MO-" + psp}
}

// createOrders makes orders in every status with transactions (Completed, Processing with a confirming
// payment, Underpaid, Expired, Pending), and sends one duplicate that the client adopts (400 / 2040).
func (w *ordersWorld) createOrders() []*cobo.Order {
	ctx := context.Background()
	var orders []*cobo.Order
	for _, psp := range []string{"P-completed", "P-processing", "P-underpaid", "P-expired", "P-pending", "P-payable"} {
		req := createRequest(psp)
		if psp == "P-payable" {
			req.PricingCurrency, req.PricingAmount, req.PayableAmount = "", "", "25.05"
		}
		o, err := w.client.CreatePaymentOrder(ctx, req)
		if err != nil {
			w.t.Fatalf("create %s: %v", psp, err)
		}
		orders = append(orders, o)
	}
	w.pay(orders[0].OrderID, orders[0].PayableAmount, true)
	w.pay(orders[1].OrderID, "1.00", false)
	w.pay(orders[2].OrderID, "1.00", true)
	if _, err := w.client.UpdatePaymentOrder(ctx, orders[3].OrderID, cobo.UpdateOrderRequest{Expired: true}); err != nil {
		w.t.Fatalf("expire: %v", err)
	}
	res, err := w.client.CreateOrAdoptPaymentOrder(ctx, createRequest("P-pending"))
	if err != nil || !res.Adopted {
		w.t.Fatalf("a duplicate psp_order_code was not answered 2040 and adopted: %+v, %v", res, err)
	}
	return orders
}

func (w *ordersWorld) pay(orderID, amount string, confirmed bool) {
	if _, err := w.srv.Sandbox.Pay(orderID, sandbox.Payment{Amount: amount, Confirmed: &confirmed}); err != nil {
		w.t.Fatalf("pay %s: %v", orderID, err)
	}
}

// listPages walks the list in pages of 2 both ways and with each filter.
func (w *ordersWorld) listPages(orders []*cobo.Order) {
	ctx := context.Background()
	seen := 0
	for p := (cobo.ListOrdersParams{Limit: 2}); ; {
		page, err := w.client.ListPaymentOrders(ctx, p)
		if err != nil {
			w.t.Fatalf("list: %v", err)
		}
		seen += len(page.Data)
		if page.Pagination.After == "" {
			break
		}
		p.After = page.Pagination.After
		if _, err := w.client.ListPaymentOrders(ctx, cobo.ListOrdersParams{Limit: 1, Before: page.Pagination.Before}); err != nil {
			w.t.Fatalf("list before: %v", err)
		}
	}
	if seen != len(orders) {
		w.t.Errorf("the pages held %d orders, want %d", seen, len(orders))
	}
	filters := []cobo.ListOrdersParams{{MerchantID: "M1001"}, {PspOrderCode: "P-completed"}, {Statuses: []string{"Processing", "Underpaid", "Expired"}}, {MerchantID: "nobody"}}
	for _, f := range filters {
		if _, err := w.client.ListPaymentOrders(ctx, f); err != nil {
			w.t.Fatalf("list %+v: %v", f, err)
		}
	}
}

// readAndExpire reads every order, expires the Pending one (twice: an Expired order answers 200), and
// tries to expire a Completed one (400 / 2006) and an unknown one (404 / 2028).
func (w *ordersWorld) readAndExpire(orders []*cobo.Order) {
	ctx := context.Background()
	for _, o := range orders {
		if _, err := w.client.GetPaymentOrder(ctx, o.OrderID); err != nil {
			w.t.Fatalf("get %s: %v", o.OrderID, err)
		}
	}
	pending := orders[4].OrderID
	for range 2 {
		if _, err := w.client.UpdatePaymentOrder(ctx, pending, cobo.UpdateOrderRequest{Expired: true}); err != nil {
			w.t.Fatalf("expire %s: %v", pending, err)
		}
	}
	_, err := w.client.UpdatePaymentOrder(ctx, orders[0].OrderID, cobo.UpdateOrderRequest{Expired: true})
	wantAPIError(w.t, err, http.StatusBadRequest, cobo.CodeInvalidParameter)
	_, err = w.client.UpdatePaymentOrder(ctx, "O-unknown", cobo.UpdateOrderRequest{Expired: true})
	wantAPIError(w.t, err, http.StatusNotFound, cobo.CodeNotFound)
	_, err = w.client.GetPaymentOrder(ctx, "O-unknown")
	wantAPIError(w.t, err, http.StatusNotFound, cobo.CodeNotFound)
}

func wantAPIError(t *testing.T, err error, status, code int) {
	t.Helper()
	var apiErr *cobo.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != status || apiErr.Code != code {
		t.Fatalf("want HTTP %d / %d, got %v", status, code, err)
	}
}

// badInput sends what the client would refuse or never builds, raw and signed.
func (w *ordersWorld) badInput() {
	orders := "/v2/payments/orders"
	w.raw.want(http.MethodPost, orders, "", `{"merchant_id":"M1001","fee_amount":"0","payable_currency":"ETH_USDT","pricing_currency":"USD","pricing_amount":"1"}`, 400, cobo.CodeMissingParameter)
	w.raw.want(http.MethodPost, orders, "", `{"merchant_id":"M1001","psp_order_code":"P-x","fee_amount":0.5,"payable_currency":"ETH_USDT","pricing_currency":"USD","pricing_amount":"1"}`, 400, cobo.CodeInvalidParameter)
	w.raw.want(http.MethodPost, orders, "", `{"merchant_id":"M1001","psp_order_code":"P-y","fee_amount":"0","payable_currency":"ETH_USDT","pricing_currency":"USD","pricing_amount":"1","expired_in":10801}`, 400, cobo.CodeInvalidParameter)
	w.raw.want(http.MethodPost, orders, "", "not json", 400, cobo.CodeInvalidParameter)
	w.raw.want(http.MethodPost, orders, "", `{"psp_order_code":"`+strings.Repeat("x", sandbox.MaxBodyBytes)+`"}`, http.StatusRequestEntityTooLarge, cobo.CodeInvalidParameter)
	w.raw.want(http.MethodGet, orders, "limit=0", "", 400, cobo.CodeInvalidParameter)
	w.raw.want(http.MethodGet, orders, "limit=51", "", 400, cobo.CodeInvalidParameter)
	w.raw.want(http.MethodGet, orders, "before=a&after=b", "", 400, cobo.CodeInvalidParameter)
	w.raw.want(http.MethodGet, orders, "statuses=Paid", "", 400, cobo.CodeInvalidParameter)
	w.raw.want(http.MethodPut, orders+"/O-unknown", "", `{"expired":false}`, 400, cobo.CodeInvalidParameter)
}

// authFailures: a key the sandbox does not accept, and unsigned requests (401 / 2024).
func (w *ordersWorld) authFailures() {
	ctx := context.Background()
	strict := sandboxtest.New(w.t, sandbox.Options{AllowedAPIKeys: []string{w.client.APIKey()}})
	stranger := validatedClient(w.t, w.v, strict.BaseURL, otherSecret)
	_, err := stranger.CreatePaymentOrder(ctx, createRequest("P-stranger"))
	wantAPIError(w.t, err, http.StatusUnauthorized, cobo.CodeAuthFailed)
	_, err = stranger.ListPaymentOrders(ctx, cobo.ListOrdersParams{})
	wantAPIError(w.t, err, http.StatusUnauthorized, cobo.CodeAuthFailed)
	_, err = stranger.GetPaymentOrder(ctx, "O-any")
	wantAPIError(w.t, err, http.StatusUnauthorized, cobo.CodeAuthFailed)
	w.raw.wantUnsigned(http.MethodPut, "/v2/payments/orders/O-any", `{"expired":true}`, http.StatusUnauthorized, cobo.CodeAuthFailed)
}

// undocumented: a method the path does not document (405) and a path no operation has (404).
func (w *ordersWorld) undocumented() {
	w.raw.want(http.MethodDelete, "/v2/payments/orders/O-any", "", "", http.StatusMethodNotAllowed, cobo.CodeInvalidParameter)
	w.raw.want(http.MethodPatch, "/v2/payments/orders", "", "{}", http.StatusMethodNotAllowed, cobo.CodeInvalidParameter)
	w.raw.want(http.MethodGet, "/v2/payments/payouts", "", "", http.StatusNotFound, cobo.CodeNotFound)
}

// serverError: a create whose state cannot be saved is undone and answered 500 / 2000.
func serverError(t *testing.T, v *contract.Validator) {
	client := validatedClient(t, v, unsavableSandbox(t).BaseURL, orgSecret)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := client.CreatePaymentOrder(ctx, createRequest("P-unsaved"))
	wantAPIError(t, err, http.StatusInternalServerError, cobo.CodeInternal)
}

// unsavableSandbox is a sandbox whose state file's folder is removed once it has loaded, so that every
// save fails (even for root, whom file modes do not stop).
func unsavableSandbox(t *testing.T) *sandboxtest.Server {
	dir := filepath.Join(t.TempDir(), "state")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	srv := sandboxtest.New(t, sandbox.Options{StateFile: filepath.Join(dir, "sandbox.json")})
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	return srv
}
