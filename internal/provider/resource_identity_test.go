package provider

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// Resource identity arrived in Terraform 1.12 (and OpenTofu 1.12).
var skipBelowIdentity = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)}

// expectIdentityOf checks that addr's identity is exactly the order id, the same as its order_id.
func expectIdentityOf(addr, orderID string) []statecheck.StateCheck {
	return []statecheck.StateCheck{
		statecheck.ExpectIdentity(addr, map[string]knownvalue.Check{"order_id": knownvalue.StringExact(orderID)}),
		statecheck.ExpectIdentityValueMatchesState(addr, tfjsonpath.New("order_id")),
	}
}

func TestAccPaymentOrderIdentity_keptThroughCreateRefreshExpiryAndImportByIdentity(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	cfg := env.config(orderConfig(`merchant_id = "M1001"`, `psp_order_code = "psp-ident"`, `payable_currency = "ETH_USDT"`, `fee_amount = "0"`, `payable_amount = "10.00"`))
	identity := func() []statecheck.StateCheck {
		return expectIdentityOf(orderAddr, env.orderByPsp("psp-ident").OrderID)
	}
	unitTestOn(t, skipBelowIdentity, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config:            cfg,
				ConfigPlanChecks:  emptyPlanAfterApply,
				ConfigStateChecks: []statecheck.StateCheck{lazyChecks(identity)},
			},
			{
				// The order lapses: the refresh keeps the identity, the plan stays empty.
				PreConfig:        func() { env.sandbox.Advance(31 * time.Minute) }, // past Cobo's default expiry (30 minutes)
				Config:           cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					lazyChecks(identity),
					statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("status"), knownvalue.StringExact(cobo.StatusExpired)),
				},
			},
			// import { to = ..., identity = { order_id = ... } }: the same order, nothing to change.
			importBlockChangingNothing(orderAddr, resource.ImportBlockWithResourceIdentity, cfg),
		},
	})
}

func TestAccPaymentOrderIdentity_importBlocksByIDAndByIdentity(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	byID := env.seedOrder(cobo.CreateOrderRequest{MerchantID: "M7", PspOrderCode: "psp-by-id", FeeAmount: "0", PayableCurrency: "ETH_USDT", PayableAmount: "5.00"})
	byIdentity := env.seedOrder(cobo.CreateOrderRequest{MerchantID: "M7", PspOrderCode: "psp-by-identity", FeeAmount: "1.00", PayableCurrency: "SOL_USDT",
		PricingCurrency: "EUR", PricingAmount: "50.00", AmountTolerance: "0.1"})
	cfg := fmt.Sprintf(`
import {
  to = cobo_payment_order.by_id
  id = %q
}
resource "cobo_payment_order" "by_id" {
  merchant_id      = "M7"
  psp_order_code   = "psp-by-id"
  payable_currency = "ETH_USDT"
  fee_amount       = "0"
  payable_amount   = "5.00"
}

import {
  to       = cobo_payment_order.by_identity
  identity = { order_id = %q }
}
resource "cobo_payment_order" "by_identity" {
  merchant_id      = "M7"
  psp_order_code   = "psp-by-identity"
  payable_currency = "SOL_USDT"
  fee_amount       = "1.00"
  pricing_currency = "EUR"
  pricing_amount   = "50.00"
  amount_tolerance = "0.1"
}
`, byID.OrderID, byIdentity.OrderID)
	unitTestOn(t, skipBelowIdentity, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: env.config(cfg),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("cobo_payment_order.by_id", plancheck.ResourceActionNoop),
					plancheck.ExpectResourceAction("cobo_payment_order.by_identity", plancheck.ResourceActionNoop),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: append(append(append(
				expectIdentityOf("cobo_payment_order.by_id", byID.OrderID),
				expectIdentityOf("cobo_payment_order.by_identity", byIdentity.OrderID)...),
				expectOrderAt("cobo_payment_order.by_identity", byIdentity)...),
				expectOrderAt("cobo_payment_order.by_id", byID)...),
		}},
	})
}

func TestAccPaymentOrderIdentity_importRejectsAMalformedIdentity(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	cfg := `
import {
  to       = cobo_payment_order.test
  identity = { order_id = "../payments/orders" }
}
` + orderConfig(`merchant_id = "M7"`, `psp_order_code = "psp-bad-identity"`, `payable_currency = "SOL_USDT"`, `fee_amount = "1"`, `pricing_amount = "5"`)
	env.expectRefusedAtPlan(t, skipBelowIdentity, cfg, expectWords(`Invalid import ID.*identity's order_id must be a Cobo pay-in order id`), "a malformed identity")
}

// lazyChecks builds its checks when the state is checked, for values known only after the apply
// (the order id Cobo assigned).
type lazyChecks func() []statecheck.StateCheck

func (l lazyChecks) CheckState(ctx context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	for _, c := range l() {
		c.CheckState(ctx, req, resp)
		if resp.Error != nil {
			return
		}
	}
}
