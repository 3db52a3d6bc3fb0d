package provider

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// Features of Terraform 1.16 that the provider works with unchanged (issue 24): lifecycle { destroy =
// false }, action_trigger's before_destroy event with caller and on_failure, and import blocks inside
// child modules. terraform-plugin-testing has no Version1_16_0 yet.
var skipBelow116 = []tfversion.TerraformVersionCheck{
	tfversion.SkipBelow(version.Must(version.NewVersion("1.16.0"))),
	skipOpenTofuBecause("these tests cover Terraform 1.16 features; OpenTofu's destroy = false ends tofu destroy with an error, and it has no actions"),
}

// skipOpenTofuBecause skips a test on OpenTofu with the reason it names.
type skipOpenTofuBecause string

func (reason skipOpenTofuBecause) CheckTerraformVersion(_ context.Context, _ tfversion.CheckTerraformVersionRequest, resp *tfversion.CheckTerraformVersionResponse) {
	if isOpenTofu() {
		resp.Skip = string(reason)
	}
}

// forgottenOrderConfig is a cobo_payment_order named name that Terraform forgets instead of destroying.
func forgottenOrderConfig(name, psp, amount string) string {
	return fmt.Sprintf(`
resource "cobo_payment_order" %q {
  merchant_id      = "M1"
  psp_order_code   = %q
  payable_currency = "ETH_USDT"
  fee_amount       = "0"
  payable_amount   = %q
  lifecycle {
    destroy = false
  }
}
`, name, psp, amount)
}

// expectNoExpiry fails when anything was sent to expire an order.
func (e *testEnv) expectNoExpiry(*terraform.State) error {
	if puts := e.requests(http.MethodPut, "/v2/payments/orders/"); len(puts) != 0 {
		return fmt.Errorf("want no PUT to an order, got %+v", puts)
	}
	return nil
}

func TestAccTerraform116_destroyFalseForgetsAPendingOrder(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	unitTestOn(t, skipBelow116, resource.TestCase{
		// expire_on_destroy is true (the default), yet the provider is never asked to destroy.
		CheckDestroy: resource.ComposeTestCheckFunc(env.checkOrderStatus("forget-me", cobo.StatusPending), env.expectNoExpiry),
		Steps: []resource.TestStep{{
			Config:           env.config(forgottenOrderConfig("test", "forget-me", "1.00")),
			ConfigPlanChecks: emptyPlanAfterApply,
			Check:            env.checkOrderStatus("forget-me", cobo.StatusPending),
		}},
	})
}

// Trap 1: the lifecycle lives in the resource block, so deleting the block deletes destroy = false with
// it and the order is expired; only a removed block with its own destroy = false forgets it.
func TestAccTerraform116_removingTheBlockExpiresAndOnlyARemovedBlockForgets(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	unitTestOn(t, skipBelow116, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config:           env.config(forgottenOrderConfig("deleted", "trap-deleted", "1.00") + forgottenOrderConfig("removed", "trap-removed", "1.00")),
				ConfigPlanChecks: emptyPlanAfterApply,
			},
			{
				Config: env.config(`
removed {
  from = cobo_payment_order.removed
  lifecycle {
    destroy = false
  }
}
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("cobo_payment_order.deleted", plancheck.ResourceActionDestroy)},
				},
				Check: resource.ComposeTestCheckFunc(env.checkOrderStatus("trap-deleted", cobo.StatusExpired), env.checkOrderStatus("trap-removed", cobo.StatusPending)),
			},
		},
	})
}

// Trap 2: under destroy = false a replacement forgets the old order, which stays Pending and payable.
func TestAccTerraform116_destroyFalseReplacementForgetsTheOldOrderWhilePending(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	unitTestOn(t, skipBelow116, resource.TestCase{
		CheckDestroy: resource.ComposeTestCheckFunc(env.checkOrderStatus("trap-old", cobo.StatusPending), env.checkOrderStatus("trap-new", cobo.StatusPending), env.expectNoExpiry),
		Steps: []resource.TestStep{
			{Config: env.config(forgottenOrderConfig("test", "trap-old", "1.00")), ConfigPlanChecks: emptyPlanAfterApply},
			{
				Config:           env.config(forgottenOrderConfig("test", "trap-new", "2.00")),
				ConfigPlanChecks: emptyPlanAfterApply,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("psp_order_code"), knownvalue.StringExact("trap-new")),
				},
				Check: resource.ComposeTestCheckFunc(env.checkOrderStatus("trap-old", cobo.StatusPending), env.checkOrderStatus("trap-new", cobo.StatusPending), env.expectNoExpiry),
			},
		},
	})
}

// expiringOrderConfig is a cobo_payment_order that does not expire itself (expire_on_destroy = false)
// but triggers cobo_payment_order_expire before it is destroyed, with the order id given by orderIDRef.
func expiringOrderConfig(orderIDRef string) string {
	return `
action "cobo_payment_order_expire" "on_destroy" {
  config {
    order_id = ` + orderIDRef + `
  }
}
` + orderConfig(`merchant_id = "M1"`, `psp_order_code = "expire-by-action"`, `payable_currency = "ETH_USDT"`, `fee_amount = "0"`, `payable_amount = "1.00"`,
		`expire_on_destroy = false`, `lifecycle {
    action_trigger {
      events  = [before_destroy]
      actions = [action.cobo_payment_order_expire.on_destroy]
    }
  }`)
}

func TestAccTerraform116_beforeDestroyActionWithCallerExpiresTheOrder(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	unitTestOn(t, skipBelow116, resource.TestCase{
		CheckDestroy: func(s *terraform.State) error {
			order := env.orderByPsp("expire-by-action")
			puts := env.requests(http.MethodPut, "/v2/payments/orders/")
			if len(puts) != 1 || puts[0].Path != "/v2/payments/orders/"+order.OrderID || puts[0].Body != `{"expired":true}` {
				return fmt.Errorf("want exactly one PUT {\"expired\":true} to %s, by the action, got %+v", order.OrderID, puts)
			}
			return env.checkOrderStatus("expire-by-action", cobo.StatusExpired)(s)
		},
		Steps: []resource.TestStep{{
			Config:           env.config(expiringOrderConfig("caller.order_id")),
			ConfigPlanChecks: emptyPlanAfterApply,
			Check:            resource.ComposeTestCheckFunc(env.checkOrderStatus("expire-by-action", cobo.StatusPending), env.expectNoExpiry),
		}},
	})
}

// Deleting the block deletes its action_trigger too: the destroy follows expire_on_destroy = false from
// the state, and the order stays Pending (the action's page says so).
func TestAccTerraform116_deletingTheBlockRunsNoBeforeDestroyAction(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	unitTestOn(t, skipBelow116, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: env.config(expiringOrderConfig("caller.order_id")), ConfigPlanChecks: emptyPlanAfterApply},
			{
				Config: env.config(""),
				Check:  resource.ComposeTestCheckFunc(env.checkOrderStatus("expire-by-action", cobo.StatusPending), env.expectNoExpiry),
			},
		},
	})
}

// Naming the triggering resource by its address instead of caller: terraform validate only warns
// ("Reference to triggering resource"), the apply fails before anything is created.
func TestAccTerraform116_actionReferringToItsCallerByAddressIsACycle(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	unitTestOn(t, skipBelow116, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:      env.config(expiringOrderConfig(orderAddr + ".order_id")),
			ExpectError: expectWords(`action reference cycle involving action\.cobo_payment_order_expire\.on_destroy and cobo_payment_order\.test`),
		}},
	})
	if n := len(env.sandbox.Requests()); n != 0 {
		t.Errorf("the cycle must stop Terraform before Cobo is called; %d requests were sent", n)
	}
}

// expireCompletedOrderConfig triggers cobo_payment_order_expire on a Completed order, which fails,
// after terraform_data.name is created; onFailure is empty or an on_failure line.
func expireCompletedOrderConfig(orderID, name, onFailure string) string {
	return fmt.Sprintf(`
action "cobo_payment_order_expire" "done" {
  config {
    order_id = %q
  }
}
resource "terraform_data" %q {
  input = "go on"
  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.cobo_payment_order_expire.done]
      %s
    }
  }
}
`, orderID, name, onFailure)
}

func TestAccTerraform116_onFailureContinueTurnsAFailedActionIntoAWarning(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	done := env.seedOrder(cobo.CreateOrderRequest{MerchantID: "M1", PspOrderCode: "act-completed", FeeAmount: "0", PayableCurrency: "ETH_USDT", PayableAmount: "3.00"})
	env.pay(done.OrderID, "3.00", true)
	unitTestOn(t, skipBelow116, resource.TestCase{
		Steps: []resource.TestStep{
			{
				// Without on_failure the failed action fails the apply.
				Config:      env.config(expireCompletedOrderConfig(done.OrderID, "halts", "")),
				ExpectError: expectDiagnostic(`Order cannot be expired in its current status`, `is Completed`),
			},
			{
				Config:           env.config(expireCompletedOrderConfig(done.OrderID, "goes_on", "on_failure = continue")),
				ConfigPlanChecks: emptyPlanAfterApply,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("terraform_data.goes_on", tfjsonpath.New("input"), knownvalue.StringExact("go on")),
				},
				Check: resource.ComposeTestCheckFunc(env.checkOrderStatus("act-completed", cobo.StatusCompleted), env.expectNoExpiry),
			},
		},
	})
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestAccTerraform116_importByIdentityInsideAChildModule(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	legacy := env.seedOrder(cobo.CreateOrderRequest{MerchantID: "M7", PspOrderCode: "legacy-in-module", FeeAmount: "0", PayableCurrency: "ETH_USDT", PayableAmount: "4.00"})
	env.sandbox.ResetRequests()
	// terraform-plugin-testing runs terraform init on a step's configuration only when it comes from a
	// directory (a Config string is initialised without it, and the module would not be installed), and
	// copies only that directory's files: the child module is a directory of its own, named by its
	// absolute path (terraform init copies it).
	child := t.TempDir()
	writeFile(t, filepath.Join(child, "main.tf"), `
variable "order_id" {
  type = string
}
import {
  to       = cobo_payment_order.adopted
  identity = { order_id = var.order_id }
}
resource "cobo_payment_order" "adopted" {
  merchant_id      = "M7"
  psp_order_code   = "legacy-in-module"
  payable_currency = "ETH_USDT"
  fee_amount       = "0"
  payable_amount   = "4.00"
}
output "order" {
  value = cobo_payment_order.adopted
}
`)
	withModule, withoutModule := t.TempDir(), t.TempDir()
	writeFile(t, filepath.Join(withModule, "main.tf"), env.config(fmt.Sprintf(`
module "legacy" {
  source   = %q
  order_id = %q
}
output "adopted" {
  value = module.legacy.order
}
`, child, legacy.OrderID)))
	writeFile(t, filepath.Join(withoutModule, "main.tf"), env.config(""))
	const addr = "module.legacy.cobo_payment_order.adopted"
	// The harness's state checks and its final destroy see only the root module (its legacy state
	// has no modules): the order is read through a root output, and the last step destroys the module.
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks: skipBelow116,
		Steps: []resource.TestStep{
			{
				// On the step, not the case: the harness then runs terraform init on the step's directory.
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				ConfigDirectory:          config.StaticDirectory(withModule),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionNoop)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValueAtPath("adopted", tfjsonpath.New("order_id"), knownvalue.StringExact(legacy.OrderID)),
					statecheck.ExpectKnownOutputValueAtPath("adopted", tfjsonpath.New("status"), knownvalue.StringExact(cobo.StatusPending)),
				},
			},
			{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				ConfigDirectory:          config.StaticDirectory(withoutModule),
				Check:                    env.checkOrderStatus("legacy-in-module", cobo.StatusExpired),
			},
		},
	})
	if posts := env.requests(http.MethodPost, "/v2/payments/orders"); len(posts) != 0 {
		t.Errorf("the import must adopt the order, not create one; %d creates were sent", len(posts))
	}
}
