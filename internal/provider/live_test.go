package provider

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// TestLivePaymentOrder runs against the real Cobo dev environment (make testacc-live). It needs
// COBO_LIVE=1, COBO_API_SECRET of a dev API key and COBO_LIVE_MERCHANT_ID; it creates one real order
// with a unique psp_order_code, reads it, expires it and imports it.
func TestLivePaymentOrder(t *testing.T) {
	t.Parallel()
	if os.Getenv("COBO_LIVE") == "" || os.Getenv(EnvAPISecret) == "" || os.Getenv("COBO_LIVE_MERCHANT_ID") == "" {
		t.Skip("live test: set COBO_LIVE=1, COBO_API_SECRET and COBO_LIVE_MERCHANT_ID (make testacc-live)")
	}
	psp := fmt.Sprintf("tf-live-%d", time.Now().UnixNano())
	cfg := func(expired bool) string {
		return fmt.Sprintf(`
provider "cobo" {
  env = "dev"
}
resource "cobo_payment_order" "test" {
  merchant_id      = %q
  psp_order_code   = %q
  payable_currency = "ETH_USDT"
  pricing_currency = "USD"
  pricing_amount   = "1.00"
  fee_amount       = "0"
  expired_in       = 600
  expired          = %v
}
data "cobo_payment_order" "test" {
  order_id = cobo_payment_order.test.order_id
}
`, os.Getenv("COBO_LIVE_MERCHANT_ID"), psp, expired)
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:           cfg(false),
				ConfigPlanChecks: emptyPlanAfterApply,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("status"), knownvalue.StringExact("Pending")),
					statecheck.ExpectKnownValue("data.cobo_payment_order.test", tfjsonpath.New("psp_order_code"), knownvalue.StringExact(psp)),
				},
			},
			{ResourceName: orderAddr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"expired_in"}},
			{
				Config: cfg(true),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(orderAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("status"), knownvalue.StringExact("Expired"))},
			},
		},
	})
}
