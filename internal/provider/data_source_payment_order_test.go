package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

func TestAccPaymentOrderDataSource_allAttributesWithTransactions(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seeded := env.seedOrder(cobo.CreateOrderRequest{
		MerchantID: "M1001", PspOrderCode: "psp-ds-full", FeeAmount: "2", PayableCurrency: "ETH_USDT",
		PricingCurrency: "USD", PricingAmount: "100.00", AmountTolerance: "0.5", MerchantOrderCode: "inv-55231",
		ExpiredIn: ptr(int64(3600)),
	})
	env.pay(seeded.OrderID, "50.0105", true)
	env.pay(seeded.OrderID, "1.5", false)
	env.pay(seeded.OrderID, "53.02", true)
	order, err := env.client.GetPaymentOrder(t.Context(), seeded.OrderID)
	if err != nil {
		t.Fatal(err)
	}
	if len(order.Transactions) != 3 || order.Status != cobo.StatusCompleted {
		t.Fatalf("seeding: want a Completed order with 3 transactions, got %s with %d", order.Status, len(order.Transactions))
	}

	addr := "data.cobo_payment_order.test"
	checks := expectOrderAt(addr, order)
	// Anchors that do not depend on reading the sandbox back: derived and echoed values.
	checks = append(checks,
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("payable_amount"), knownvalue.StringExact("103.03")),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("exchange_rate"), knownvalue.StringExact("0.99")),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("chain_id"), knownvalue.StringExact("ETH")),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("received_token_amount"), knownvalue.StringExact("103.0305")),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("transactions").AtSliceIndex(0).AtMapKey("amount"), knownvalue.StringExact("50.0105")),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact("Completed")),
	)
	env.readOrderDataSource(t, order.OrderID, checks)
}

func TestAccPaymentOrderDataSource_optionalFieldsAbsentAreNull(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	order := env.seedOrder(cobo.CreateOrderRequest{MerchantID: "M1001", PspOrderCode: "psp-ds-min", FeeAmount: "0", PayableCurrency: "TRON_USDT", PayableAmount: "25.00"})
	addr := "data.cobo_payment_order.test"
	checks := append(expectOrderAt(addr, order),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("merchant_order_code"), knownvalue.Null()),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("pricing_currency"), knownvalue.Null()),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("pricing_amount"), knownvalue.Null()),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("amount_tolerance"), knownvalue.Null()),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("settlement_status"), knownvalue.Null()),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("currency"), knownvalue.Null()),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("order_amount"), knownvalue.Null()),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("exchange_rate"), knownvalue.StringExact("")),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("transactions"), knownvalue.ListSizeExact(0)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("chain_id"), knownvalue.StringExact("TRON")),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("token_id"), knownvalue.StringExact("TRON_USDT")),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact("Pending")),
	)
	env.readOrderDataSource(t, order.OrderID, checks)
}

func TestAccPaymentOrderDataSource_ignoresFieldsCoboAddsLater(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	order := env.seedOrder(cobo.CreateOrderRequest{MerchantID: "M1001", PspOrderCode: "psp-ds-extra", FeeAmount: "1", PayableCurrency: "SOL_USDC", PricingAmount: "10"})
	env.sandbox.SetExtraOrderFields(map[string]any{
		"payment_link_id": "pl_123", "risk": map[string]any{"score": 3, "flags": []string{"a"}}, "fee_breakdown": []any{1.5, "x"},
	})
	addr := "data.cobo_payment_order.test"
	env.readOrderDataSource(t, order.OrderID, expectOrderAt(addr, order))
}

func TestAccPaymentOrderDataSource_unknownOrderIsAnErrorNamingIt(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: env.config(`data "cobo_payment_order" "test" { order_id = "O20990101-424242" }`),
			// The id, Cobo's code, message and error_id all reach the user.
			ExpectError: expectWords(`O20990101-424242.*HTTP 404,\s+error_code\s+2028.*error_message.*error_id\s+"[0-9a-f]+"`),
		}},
	})
}

func TestAccPaymentOrderDataSource_invalidOrderIDNeverReachesTheAPI(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	for _, id := range []string{"../orders", "a/b", "x?limit=1", ""} {
		unitTest(t, resource.TestCase{
			Steps: []resource.TestStep{{
				Config:      env.config(fmt.Sprintf(`data "cobo_payment_order" "test" { order_id = %q }`, id)),
				ExpectError: expectWords(`Invalid order_id.*order_id`),
			}},
		})
	}
	for _, r := range env.sandbox.Requests() {
		t.Errorf("no request should have reached Cobo, got %s %s", r.Method, r.Path)
	}
}

// readOrderDataSource reads orderID with the cobo_payment_order data source (data.cobo_payment_order.test)
// and runs checks on it.
func (e *testEnv) readOrderDataSource(t *testing.T, orderID string, checks []statecheck.StateCheck) {
	t.Helper()
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:            e.config(fmt.Sprintf(`data "cobo_payment_order" "test" { order_id = %q }`, orderID)),
			ConfigStateChecks: checks,
		}},
	})
}

// seedMany creates n orders for merchant, psp codes prefix-000 .. prefix-(n-1), in that order.
func (e *testEnv) seedMany(merchant, prefix string, n int) []*cobo.Order {
	e.t.Helper()
	orders := make([]*cobo.Order, 0, n)
	for i := range n {
		orders = append(orders, e.seedOrder(cobo.CreateOrderRequest{
			MerchantID: merchant, PspOrderCode: fmt.Sprintf("%s-%03d", prefix, i), FeeAmount: "0",
			PayableCurrency: "ETH_USDT", PayableAmount: fmt.Sprintf("%d.00", 10+i),
		}))
	}
	return orders
}

func TestAccPaymentOrdersDataSource_paginatesPast50InStableOrder(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	many := env.seedMany("M-big", "big", 123)
	env.seedMany("M-other", "other", 5)
	// The list is read once more after the payment to check live values, so refresh the expectations.
	env.pay(many[60].OrderID, "70.00", true)
	paid, err := env.client.GetPaymentOrder(t.Context(), many[60].OrderID)
	if err != nil {
		t.Fatal(err)
	}
	addr := "data.cobo_payment_orders.all"
	checks := []statecheck.StateCheck{
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("total_count"), knownvalue.Int64Exact(123)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("orders"), knownvalue.ListSizeExact(123)),
	}
	for _, i := range []int{0, 49, 50, 99, 100, 122} { // both sides of each page boundary
		checks = append(checks, statecheck.ExpectKnownValue(addr,
			tfjsonpath.New("orders").AtSliceIndex(i).AtMapKey("psp_order_code"), knownvalue.StringExact(many[i].PspOrderCode)))
	}
	checks = append(checks, expectOrderInList(addr, 60, paid)...)
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:            env.config(`data "cobo_payment_orders" "all" { merchant_id = "M-big" }`),
			ConfigStateChecks: checks,
		}},
	})
}

func TestAccPaymentOrdersDataSource_filtersAndLimit(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	orders := env.seedMany("M1", "f", 8)
	env.pay(orders[1].OrderID, "11.00", true) // Completed
	env.pay(orders[2].OrderID, "1.00", true)  // Processing
	if _, err := env.client.UpdatePaymentOrder(t.Context(), orders[3].OrderID, cobo.UpdateOrderRequest{Expired: true}); err != nil {
		t.Fatal(err)
	}
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: env.config(`
data "cobo_payment_orders" "active" {
  merchant_id = "M1"
  statuses    = ["Processing", "Completed"]
}
data "cobo_payment_orders" "by_code" {
  psp_order_code = "f-005"
}
data "cobo_payment_orders" "first_three" {
  merchant_id = "M1"
  limit       = 3
}
data "cobo_payment_orders" "nothing" {
  merchant_id = "M-none"
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.cobo_payment_orders.active", tfjsonpath.New("total_count"), knownvalue.Int64Exact(2)),
				statecheck.ExpectKnownValue("data.cobo_payment_orders.active", tfjsonpath.New("orders"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"psp_order_code": knownvalue.StringExact("f-001"), "status": knownvalue.StringExact("Completed")}),
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"psp_order_code": knownvalue.StringExact("f-002"), "status": knownvalue.StringExact("Processing")}),
				})),
				statecheck.ExpectKnownValue("data.cobo_payment_orders.by_code", tfjsonpath.New("orders"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"order_id": knownvalue.StringExact(orders[5].OrderID)}),
				})),
				statecheck.ExpectKnownValue("data.cobo_payment_orders.first_three", tfjsonpath.New("total_count"), knownvalue.Int64Exact(8)),
				statecheck.ExpectKnownValue("data.cobo_payment_orders.first_three", tfjsonpath.New("orders"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"psp_order_code": knownvalue.StringExact("f-000")}),
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"psp_order_code": knownvalue.StringExact("f-001")}),
					knownvalue.ObjectPartial(map[string]knownvalue.Check{"psp_order_code": knownvalue.StringExact("f-002")}),
				})),
				statecheck.ExpectKnownValue("data.cobo_payment_orders.nothing", tfjsonpath.New("orders"), knownvalue.ListSizeExact(0)),
				statecheck.ExpectKnownValue("data.cobo_payment_orders.nothing", tfjsonpath.New("total_count"), knownvalue.Int64Exact(0)),
			},
		}},
	})
	// The filters went on the wire under Cobo's names.
	var sawStatuses, sawPspOrderID bool
	for _, r := range env.sandbox.Requests() {
		sawStatuses = sawStatuses || strings.Contains(r.Query, "statuses=Completed%2CProcessing") || strings.Contains(r.Query, "statuses=Processing%2CCompleted")
		sawPspOrderID = sawPspOrderID || strings.Contains(r.Query, "psp_order_id=f-005")
	}
	if !sawStatuses || !sawPspOrderID {
		t.Errorf("want statuses comma-separated and psp_order_id on the wire; saw statuses=%v psp_order_id=%v", sawStatuses, sawPspOrderID)
	}
}

func TestAccPaymentOrdersDataSource_invalidFiltersArePlanTimeErrors(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	cases := []struct{ body, want string }{
		{`statuses = ["Paid"]`, `(?s)statuses.*Pending.*Underpaid`},
		{`limit = 0`, `(?s)limit.*between 1 and 10000`},
		{`limit = 10001`, `(?s)limit.*between 1 and 10000`},
		{`merchant_id = ""`, `(?s)merchant_id.*length`},
	}
	for _, c := range cases {
		unitTest(t, resource.TestCase{
			Steps: []resource.TestStep{{
				Config:      env.config(fmt.Sprintf(`data "cobo_payment_orders" "x" { %s }`, c.body)),
				ExpectError: regexp.MustCompile(c.want),
			}},
		})
	}
	if n := len(env.sandbox.Requests()); n != 0 {
		t.Errorf("invalid filters must not reach Cobo; %d requests did", n)
	}
}

// TestListOrdersPageRequests checks the pagination loop itself: page size 50, as many pages as
// needed and no more, and the limit honoured without over-reading.
func TestListOrdersPageRequests(t *testing.T) {
	t.Parallel()
	env := newSandboxEnv(t)
	env.seedMany("M", "p", 120)
	for _, c := range []struct {
		want      int
		got       int
		pageSizes []string
	}{
		{want: 1000, got: 120, pageSizes: []string{"limit=50", "limit=50", "limit=50"}},
		{want: 100, got: 100, pageSizes: []string{"limit=50", "limit=50"}},
		{want: 7, got: 7, pageSizes: []string{"limit=7"}},
		{want: 120, got: 120, pageSizes: []string{"limit=50", "limit=50", "limit=20"}},
	} {
		env.sandbox.ResetRequests()
		orders, total, err := listOrders(t.Context(), env.client, cobo.ListOrdersParams{MerchantID: "M"}, c.want)
		if err != nil {
			t.Fatal(err)
		}
		if len(orders) != c.got || total != 120 {
			t.Errorf("want %d: got %d orders, total %d", c.want, len(orders), total)
		}
		for i, o := range orders {
			if o.PspOrderCode != fmt.Sprintf("p-%03d", i) {
				t.Fatalf("want %d: order %d is %s, out of creation order", c.want, i, o.PspOrderCode)
			}
		}
		reqs := env.sandbox.Requests()
		if len(reqs) != len(c.pageSizes) {
			t.Fatalf("want %d: %d requests, want %d: %+v", c.want, len(reqs), len(c.pageSizes), reqs)
		}
		for i, r := range reqs {
			if !strings.Contains(r.Query, c.pageSizes[i]) {
				t.Errorf("want %d: request %d query %q lacks %s", c.want, i, r.Query, c.pageSizes[i])
			}
		}
	}
}
