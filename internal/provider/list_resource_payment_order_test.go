package provider

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// skipBelowQuery gates `terraform query` and actions: Terraform >= 1.14, and not OpenTofu, which
// rejects list and action blocks.
var skipBelowQuery = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0), skipOpenTofu{}}

// seedQueryOrders creates 75 orders across two merchants, as another system would, and moves some
// out of Pending: M1 has 60 (45 Pending, 10 Expired, 5 Completed), with payable_amount given; M2 has
// 15 (12 Pending, 3 Expired), priced in USD so that Cobo derives payable_amount.
func (e *testEnv) seedQueryOrders() map[string]*cobo.Order {
	e.t.Helper()
	orders := map[string]*cobo.Order{}
	for i := range 60 {
		code := fmt.Sprintf("q-m1-%02d", i)
		o := e.seedOrder(cobo.CreateOrderRequest{MerchantID: "M1", PspOrderCode: code, FeeAmount: "0", PayableCurrency: "ETH_USDT", PayableAmount: "10.00"})
		switch {
		case i < 10:
			e.expire(o.OrderID)
		case i < 15:
			e.pay(o.OrderID, "10.00", true)
		}
		orders[code] = o
	}
	for i := range 15 {
		code := fmt.Sprintf("q-m2-%02d", i)
		o := e.seedOrder(cobo.CreateOrderRequest{MerchantID: "M2", PspOrderCode: code, FeeAmount: "1.00", PayableCurrency: "TRON_USDT",
			PricingCurrency: "USD", PricingAmount: "20.00", AmountTolerance: "0.5", MerchantOrderCode: fmt.Sprintf("inv-%d", i)})
		if i < 3 {
			e.expire(o.OrderID)
		}
		orders[code] = o
	}
	return orders
}

func (e *testEnv) expire(orderID string) {
	e.t.Helper()
	if _, err := e.client.UpdatePaymentOrder(e.t.Context(), orderID, cobo.UpdateOrderRequest{Expired: true}); err != nil {
		e.t.Fatalf("expiring %s: %v", orderID, err)
	}
}

func TestAccPaymentOrderList_filtersPagesAndResults(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	orders := env.seedQueryOrders()
	one := env.orderByPsp("q-m2-07") // as Cobo has it now
	listBlock := func(name, config string, extra ...string) string {
		return fmt.Sprintf("list \"cobo_payment_order\" %q {\n  provider = cobo\n  %s\n  config {\n    %s\n  }\n}\n", name, joinLines(extra), config)
	}
	// The provider block comes from the first step's configuration, which the query step keeps.
	query := "" +
		listBlock("all", "") +
		listBlock("m1", `merchant_id = "M1"`) +
		listBlock("pending", `statuses = ["Pending", "Pending"]`) +
		listBlock("m1_done", "merchant_id = \"M1\"\n    statuses = [\"Expired\", \"Completed\"]") +
		listBlock("one", `psp_order_code = "q-m2-07"`, "include_resource = true") +
		listBlock("capped", "", "limit = 55")

	queryTest(t, env, resource.TestStep{
		Config: query,
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength("cobo_payment_order.all", 75),
			querycheck.ExpectLength("cobo_payment_order.m1", 60),
			querycheck.ExpectLength("cobo_payment_order.pending", 57),
			querycheck.ExpectLength("cobo_payment_order.m1_done", 15),
			querycheck.ExpectLength("cobo_payment_order.one", 1),
			querycheck.ExpectLength("cobo_payment_order.capped", 55),
			querycheck.ExpectIdentity("cobo_payment_order.all", map[string]knownvalue.Check{"order_id": knownvalue.StringExact(orders["q-m1-00"].OrderID)}),
			querycheck.ExpectIdentity("cobo_payment_order.all", map[string]knownvalue.Check{"order_id": knownvalue.StringExact(orders["q-m2-14"].OrderID)}),
			querycheck.ExpectIdentity("cobo_payment_order.pending", map[string]knownvalue.Check{"order_id": knownvalue.StringExact(orders["q-m2-03"].OrderID)}),
			querycheck.ExpectNoIdentity("cobo_payment_order.pending", map[string]knownvalue.Check{"order_id": knownvalue.StringExact(orders["q-m1-00"].OrderID)}),
			querycheck.ExpectIdentity("cobo_payment_order.m1_done", map[string]knownvalue.Check{"order_id": knownvalue.StringExact(orders["q-m1-12"].OrderID)}),
			querycheck.ExpectNoIdentity("cobo_payment_order.m1", map[string]knownvalue.Check{"order_id": knownvalue.StringExact(orders["q-m2-00"].OrderID)}),
			querycheck.ExpectIdentity("cobo_payment_order.one", map[string]knownvalue.Check{"order_id": knownvalue.StringExact(one.OrderID)}),
			querycheck.ExpectResourceDisplayName("cobo_payment_order.one", queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"order_id": knownvalue.StringExact(one.OrderID)}),
				knownvalue.StringExact(fmt.Sprintf("q-m2-07 (%s, Pending)", one.OrderID))),
			querycheck.ExpectResourceKnownValues("cobo_payment_order.one", queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"order_id": knownvalue.StringExact(one.OrderID)}),
				queryResourceValues(one)),
		},
	})

	// The filters went to Cobo, duplicates removed, and the pages were followed by cursor.
	queries := env.listQueries("/v2/payments/orders")
	sent := func(key, value string) bool { return sentQuery(queries, key, value) }
	for _, want := range [][2]string{{"merchant_id", "M1"}, {"statuses", "Pending"}, {"statuses", "Expired,Completed"}, {"psp_order_id", "q-m2-07"}} {
		if !sent(want[0], want[1]) {
			t.Errorf("no list request with %s=%s among %v", want[0], want[1], queries)
		}
	}
	if sent("statuses", "Pending,Pending") {
		t.Error("a repeated status was sent twice")
	}
	if !slices.ContainsFunc(queries, func(q url.Values) bool { return q.Get("after") != "" }) {
		t.Error("no list request followed a cursor (after)")
	}
}

// queryResourceValues is what the query shows for an order of seedQueryOrders' M2: the resource as an
// import reads it, payable_amount left out because Cobo derived it.
func queryResourceValues(o *cobo.Order) []querycheck.KnownValueCheck {
	values := map[string]knownvalue.Check{
		"id": knownvalue.StringExact(o.OrderID), "order_id": knownvalue.StringExact(o.OrderID),
		"merchant_id": knownvalue.StringExact("M2"), "psp_order_code": knownvalue.StringExact(o.PspOrderCode),
		"payable_currency": knownvalue.StringExact("TRON_USDT"), "fee_amount": knownvalue.StringExact("1.00"),
		"pricing_currency": knownvalue.StringExact("USD"), "pricing_amount": knownvalue.StringExact("20.00"),
		"amount_tolerance": knownvalue.StringExact("0.5"), "merchant_order_code": knownvalue.StringExact("inv-7"),
		"payable_amount": knownvalue.Null(), "exchange_rate": knownvalue.StringExact(o.ExchangeRate),
		"status": knownvalue.StringExact("Pending"), "expired_in": knownvalue.Null(),
		"expired": knownvalue.Bool(false), "expire_on_destroy": knownvalue.Bool(true),
	}
	checks := make([]querycheck.KnownValueCheck, 0, len(values))
	for name, c := range values {
		checks = append(checks, querycheck.KnownValueCheck{Path: tfjsonpath.New(name), KnownValue: c})
	}
	return checks
}

func joinLines(lines []string) string {
	out := ""
	for _, l := range lines {
		out += l + "\n  "
	}
	return out
}

func TestAccPaymentOrderQuery_generatedConfigImportsEveryOrderUnchanged(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	w := newQueryWorkspace(t)
	var m3 []string
	seed := func(code string, req cobo.CreateOrderRequest) string {
		req.MerchantID, req.PspOrderCode = "M3", code
		m3 = append(m3, env.seedOrder(req).OrderID)
		return m3[len(m3)-1]
	}
	seed("gen-payable", cobo.CreateOrderRequest{FeeAmount: "0", PayableCurrency: "ETH_USDT", PayableAmount: "10.00"})
	seed("gen-priced", cobo.CreateOrderRequest{FeeAmount: "1.5", PayableCurrency: "TRON_USDT", PricingCurrency: "USD", PricingAmount: "20.00", AmountTolerance: "0.5", MerchantOrderCode: "inv-9", ExpiredIn: ptr(int64(7200))})
	env.expire(seed("gen-expired", cobo.CreateOrderRequest{FeeAmount: "0", PayableCurrency: "ETH_USDT", PayableAmount: "1.00"}))
	env.pay(seed("gen-paid", cobo.CreateOrderRequest{FeeAmount: "0", PayableCurrency: "ETH_USDT", PayableAmount: "2.00"}), "2.00", true)
	env.seedOrder(cobo.CreateOrderRequest{MerchantID: "M4", PspOrderCode: "gen-other", FeeAmount: "0", PayableCurrency: "ETH_USDT", PayableAmount: "3.00"})

	generated := w.generateConfig(t, env, "list \"cobo_payment_order\" \"m3\" {\n  provider         = cobo\n  include_resource = true\n  config {\n    merchant_id = \"M3\"\n  }\n}\n", "orders.tf")
	if n := strings.Count(string(generated), "import {"); n != 4 {
		t.Fatalf("want 4 import blocks (the M3 orders), got %d", n)
	}
	if n := regexp.MustCompile(`(?m)^resource "cobo_payment_order" `).FindAll(generated, -1); len(n) != 4 {
		t.Fatalf("want 4 resource blocks, got %d", len(n))
	}
	for _, id := range m3 {
		if !regexp.MustCompile(`identity = \{\s+order_id = "` + id + `"`).Match(generated) {
			t.Errorf("no import block by identity for %s", id)
		}
	}
	// Cobo derived gen-priced's payable_amount: the configuration keeps to what the order was created with.
	if !regexp.MustCompile(`(?s)pricing_amount\s+= "20.00"`).Match(generated) || strings.Count(string(generated), "payable_amount") != 3 {
		t.Error("gen-priced should be written with pricing_amount and without payable_amount, the others with payable_amount")
	}

	w.applyImportsChangingNothing(t, env, 4, "orders")
}

// The guide's example finds no order twice: its blocks' merchant filters keep them apart. Blocks that
// overlap do find an order twice, and every block, include_resource or not, generates configuration
// for it (Terraform 1.15.9, 1.16.4), as the guide says.
func TestAccPaymentOrderQuery_theGuidesExampleFindsNoOrderTwice(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	w := newQueryWorkspace(t)
	id := env.seedOrder(cobo.CreateOrderRequest{MerchantID: "M1001", PspOrderCode: "inv-2026-0001", FeeAmount: "0", PayableCurrency: "ETH_USDT", PayableAmount: "10.00"}).OrderID
	example, err := os.ReadFile(filepath.Join("..", "..", "examples", "list-resources", "cobo_payment_order", "list-resource.tfquery.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	w.write("main.tf", requiredProviders+env.providerBlock())
	w.mustRun("init", "-input=false")
	importsOf := func(query string) int {
		w.write("orders.tfquery.hcl", query)
		_ = os.Remove(filepath.Join(w.dir, "orders.tf"))
		w.mustRun("query", "-generate-config-out=orders.tf")
		generated, err := os.ReadFile(filepath.Join(w.dir, "orders.tf"))
		if err != nil {
			t.Fatal(err)
		}
		return len(regexp.MustCompile(`order_id = "`+id+`"`).FindAll(generated, -1))
	}
	if n := importsOf(string(example)); n != 1 {
		t.Errorf("the guide's example writes %d import blocks for order %s, want 1", n, id)
	}
	overlapping := strings.Replace(string(example), `merchant_id    = "M1002"`, `merchant_id    = "M1001"`, 1)
	if n := importsOf(overlapping); n != 2 {
		t.Errorf("two blocks that match order %s (one without include_resource) write %d import blocks for it, want 2 as the guide says", id, n)
	}
}
