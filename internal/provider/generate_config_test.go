package provider

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

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

func TestAccPaymentOrderExpireAction_invokedFromTheCLIReportsProgress(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	w := newQueryWorkspace(t)
	id := env.seedOrder(cobo.CreateOrderRequest{MerchantID: "M5", PspOrderCode: "inv-cli", FeeAmount: "0", PayableCurrency: "ETH_USDT", PayableAmount: "4.00"}).OrderID
	w.write("main.tf", requiredProviders+env.providerBlock()+fmt.Sprintf("action \"cobo_payment_order_expire\" \"this\" {\n  config {\n    order_id = %q\n  }\n}\n", id))
	w.mustRun("init", "-input=false")

	out := w.mustRun("apply", "-invoke=action.cobo_payment_order_expire.this", "-auto-approve", "-input=false")
	for _, want := range []string{"Order " + id + " (inv-cli) is Pending: expiring it.", "Order " + id + " (inv-cli) is now Expired."} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks the progress message %q:\n%s", want, out)
		}
	}
	if o := env.orderByPsp("inv-cli"); o.Status != cobo.StatusExpired {
		t.Errorf("order is %s in Cobo after the action, want Expired", o.Status)
	}
	out = w.mustRun("apply", "-invoke=action.cobo_payment_order_expire.this", "-auto-approve", "-input=false")
	if want := "Order " + id + " (inv-cli) is already Expired: nothing to do."; !strings.Contains(out, want) {
		t.Errorf("the second invocation lacks %q:\n%s", want, out)
	}
	if puts := env.requests(http.MethodPut, "/v2/payments/orders/"); len(puts) != 1 {
		t.Errorf("want exactly one PUT over both invocations, got %d", len(puts))
	}
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
