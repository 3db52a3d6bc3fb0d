package provider

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

// killedApplyOrder is the order an earlier apply committed before it was killed: created through the
// client, as that apply's POST did, and never saved to any state.
func killedApplyOrder(env *testEnv, psp string) *cobo.Order {
	return env.seedOrder(cobo.CreateOrderRequest{
		MerchantID: "M1001", PspOrderCode: psp, PayableCurrency: "ETH_USDT", FeeAmount: "1.00",
		PricingCurrency: "USD", PricingAmount: "20.00", AmountTolerance: "0.5",
	})
}

// The next apply adopts the order (Cobo answers its POST with 2040), with a warning naming the order,
// its status and when Cobo created it; the state holds it, the re-plan is empty, one order exists.
func TestAccPaymentOrder_adoptsTheOrderOfAKilledApply(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	existing := killedApplyOrder(env, "psp-killed")
	// Amounts spelled differently from Cobo's are the same inputs.
	cfg := orderConfig(`merchant_id = "M1001"`, `psp_order_code = "psp-killed"`, `payable_currency = "ETH_USDT"`, `fee_amount = "1"`,
		`pricing_currency = "USD"`, `pricing_amount = "20"`, `amount_tolerance = "0.5"`)

	tf := newCLIWorkspace(t)
	tf.write("main.tf", requiredProviders+env.config(cfg))
	tf.mustRun("init", "-input=false")
	out := tf.mustRun("apply", "-input=false", "-auto-approve")
	for _, want := range []string{
		"Warning: Existing pay-in order adopted, not created", "with cobo_payment_order.test",
		"Cobo already had pay-in order " + existing.OrderID + ` with psp_order_code "psp-killed", Pending, created ` + createdAt(existing),
		"adopted into the Terraform state instead of creating a new order",
	} {
		if !strings.Contains(strings.Join(strings.Fields(out), " "), want) {
			t.Errorf("terraform apply output lacks %q:\n%s", want, out)
		}
	}
	if got := tf.mustRun("state", "show", orderAddr); !regexp.MustCompile(`(?m)^\s+id\s+= "` + existing.OrderID + `"$`).MatchString(got) {
		t.Errorf("the state does not hold order %s:\n%s", existing.OrderID, got)
	}
	tf.mustRun("plan", "-input=false", "-detailed-exitcode") // 0: no changes
	if n := env.sandbox.OrderCountByPspOrderCode(env.apiKey, "psp-killed"); n != 1 {
		t.Errorf("the sandbox has %d orders for psp-killed, want 1", n)
	}
	if posts := env.requests(http.MethodPost, "/v2/payments/orders"); len(posts) != 2 {
		t.Errorf("want 2 POSTs (the killed apply's and this one's), got %d", len(posts))
	}
	tf.mustRun("destroy", "-input=false", "-auto-approve")
}

// The same through terraform-plugin-testing: state, the empty re-plan and import verification.
func TestAccPaymentOrder_adoptedOrderStateAndImport(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	existing := killedApplyOrder(env, "psp-killed-2")
	cfg := env.config(orderConfig(`merchant_id = "M1001"`, `psp_order_code = "psp-killed-2"`, `payable_currency = "ETH_USDT"`, `fee_amount = "1.00"`,
		`pricing_currency = "USD"`, `pricing_amount = "20.00"`, `amount_tolerance = "0.5"`))
	unitTest(t, resource.TestCase{
		CheckDestroy: env.checkOrderStatus("psp-killed-2", cobo.StatusExpired),
		Steps: []resource.TestStep{
			{
				Config:            cfg,
				ConfigPlanChecks:  emptyPlanAfterApply,
				ConfigStateChecks: expectOrderAt(orderAddr, existing),
				Check: func(*terraform.State) error {
					if n := env.sandbox.OrderCountByPspOrderCode(env.apiKey, "psp-killed-2"); n != 1 {
						return fmt.Errorf("the sandbox has %d orders for psp-killed-2, want 1", n)
					}
					return nil
				},
			},
			{ResourceName: orderAddr, ImportState: true, ImportStateVerify: true},
		},
	})
}

// With one input different, the apply fails naming the order and each difference, creates nothing,
// and prints an import block that works once its address is filled in.
func TestAccPaymentOrder_existingOrderWithOtherInputsIsAnErrorWithAnImportBlock(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	existing := killedApplyOrder(env, "psp-other")
	inputs := func(fee, tolerance string) string {
		return orderConfig(`merchant_id = "M1001"`, `psp_order_code = "psp-other"`, `payable_currency = "ETH_USDT"`, `fee_amount = "`+fee+`"`,
			`pricing_currency = "USD"`, `pricing_amount = "20.00"`, `amount_tolerance = "`+tolerance+`"`)
	}
	importBlock := fmt.Sprintf("import {\n  to = cobo_payment_order.NAME\n  id = %q\n}", existing.OrderID)
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: env.config(inputs("2.00", "0.2")),
				ExpectError: expectWords(`psp_order_code already belongs to a different order.*` + existing.OrderID +
					`.*fee_amount: the configuration has "2.00", Cobo's order has\s+"1.00".*amount_tolerance: the configuration has "0.2", Cobo's order\s+has "0.5"` +
					`.*` + regexp.QuoteMeta(importBlock) + `.*terraform import cobo_payment_order.NAME ` + existing.OrderID),
			},
			{
				// The printed block, with this resource's address, takes the order over.
				Config: env.config(strings.ReplaceAll(importBlock, "NAME", "test") + "\n" + inputs("1.00", "0.5")),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(orderAddr, plancheck.ResourceActionNoop)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("id"), knownvalue.StringExact(existing.OrderID))},
			},
		},
	})
	if n := env.sandbox.OrderCountByPspOrderCode(env.apiKey, "psp-other"); n != 1 {
		t.Errorf("the sandbox has %d orders for psp-other, want 1", n)
	}
}

// Two resources with one psp_order_code in one configuration: a plan-time error naming it, and no order.
func TestAccPaymentOrder_onePspOrderCodeForTwoResourcesIsAnError(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	order := func(name string) string {
		return strings.ReplaceAll(orderConfig(`merchant_id = "M1001"`, `psp_order_code = "psp-twice"`, `payable_currency = "ETH_USDT"`, `fee_amount = "0"`, `payable_amount = "5.00"`), `"test"`, `"`+name+`"`)
	}
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:      env.config(order("a") + order("b")),
			PlanOnly:    true,
			ExpectError: expectWords(`psp_order_code used by two resources.*psp_order_code\s+"psp-twice".*another one plans a new order, and this one plans a new order`),
		}},
	})
	if n := env.sandbox.OrderCountByPspOrderCode(env.apiKey, "psp-twice"); n != 0 {
		t.Errorf("the sandbox has %d orders for psp-twice, want none", n)
	}
}

// Only what an interrupted apply leaves behind is adopted: a Pending order created in the last
// cobo.AdoptWindow. An Expired or Completed order, or an older Pending one (which an earlier removed
// block forgot), is the "already belongs to a different order" error with its import block, though
// every input matches, and no order is created.
func TestAccPaymentOrder_adoptsOnlyARecentPendingOrder(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		setup func(env *testEnv, o *cobo.Order)
		want  string
	}{
		{"Expired", func(env *testEnv, o *cobo.Order) {
			if _, err := env.client.UpdatePaymentOrder(t.Context(), o.OrderID, cobo.UpdateOrderRequest{Expired: true}); err != nil {
				t.Fatal(err)
			}
		}, "it is Expired, and only a Pending order is adopted"},
		{"Completed", func(env *testEnv, o *cobo.Order) { env.pay(o.OrderID, o.PayableAmount, true) }, "it is Completed, and only a Pending order is adopted"},
		{"old Pending", nil, "it was created 20 minutes ago, and only an order created in the last 15 minutes is adopted"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var past atomic.Int64 // how far the sandbox's clock is behind the real one while seeding
			env := newTestEnvWith(t, sandbox.Options{Now: func() time.Time { return time.Now().Add(-time.Duration(past.Load())) }})
			code := "psp-not-adopted-" + strings.ReplaceAll(strings.ToLower(c.name), " ", "-")
			if c.setup == nil {
				past.Store(int64(cobo.AdoptWindow + 5*time.Minute))
			}
			existing := killedApplyOrder(env, code)
			past.Store(0)
			if c.setup != nil {
				c.setup(env, existing)
			}
			cfg := env.config(orderConfig(`merchant_id = "M1001"`, fmt.Sprintf("psp_order_code = %q", code), `payable_currency = "ETH_USDT"`, `fee_amount = "1.00"`,
				`pricing_currency = "USD"`, `pricing_amount = "20.00"`, `amount_tolerance = "0.5"`))
			importBlock := fmt.Sprintf("import {\n  to = cobo_payment_order.NAME\n  id = %q\n}", existing.OrderID)
			unitTest(t, resource.TestCase{
				Steps: []resource.TestStep{{
					Config: cfg,
					ExpectError: expectWords(`psp_order_code already belongs to a different order.*` + existing.OrderID + `.*` + c.want +
						`.*` + regexp.QuoteMeta(importBlock)),
				}},
			})
			if n := env.sandbox.OrderCountByPspOrderCode(env.apiKey, code); n != 1 {
				t.Errorf("the sandbox has %d orders for %s, want 1", n, code)
			}
		})
	}
}
