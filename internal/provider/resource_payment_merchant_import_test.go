package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

// The default merchant Cobo's onboarding creates (wallet_setup Default) can be imported and kept:
// Default is refused only for a new merchant.
func TestAccPaymentMerchant_importBlockAdoptsTheDefaultMerchant(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	name := cobo.DefaultMerchantName + env.apiKey[:8]
	cfg := fmt.Sprintf(`
import {
  to = cobo_payment_merchant.default
  id = %q
}
resource "cobo_payment_merchant" "default" {
  name         = %q
  wallet_setup = "Default"
}
`, sandbox.DefaultMerchantID, name)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: env.config(cfg),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction("cobo_payment_merchant.default", plancheck.ResourceActionNoop)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{env.expectSandboxMerchant("cobo_payment_merchant.default", name, knownvalue.Null())},
			},
			{
				Config:      env.config(fmt.Sprintf("resource \"cobo_payment_merchant\" \"default\" {\n  name = %q\n}\n", name)),
				PlanOnly:    true,
				ExpectError: expectWords(`The default merchant cannot be replaced.*Set wallet_setup = "Default"`),
			},
		},
	})
}

func TestAccPaymentMerchantIdentity_keptThroughCreateAndImportByIdentity(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seeded := env.seedMerchant(cobo.CreateMerchantRequest{Name: "Seeded", DeveloperFeeRate: "0.0150", WalletSetup: cobo.WalletSetupSeparate})
	cfg := env.config(merchantConfig(`name = "Made"`) + fmt.Sprintf(`
import {
  to       = cobo_payment_merchant.seeded
  identity = { merchant_id = %q }
}
resource "cobo_payment_merchant" "seeded" {
  name               = "Seeded"
  developer_fee_rate = "0.015"
  wallet_setup       = "Separate"
}
`, seeded.MerchantID))
	identity := func(addr, name string) statecheck.StateCheck {
		return lazyChecks(func() []statecheck.StateCheck {
			return []statecheck.StateCheck{
				statecheck.ExpectIdentity(addr, map[string]knownvalue.Check{"merchant_id": knownvalue.StringExact(env.merchantNamed(name).MerchantID)}),
				statecheck.ExpectIdentityValueMatchesState(addr, tfjsonpath.New("merchant_id")),
			}
		})
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   skipBelowIdentity,
		Steps: []resource.TestStep{
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction("cobo_payment_merchant.seeded", plancheck.ResourceActionNoop)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					identity(merchantAddr, "Made"), identity("cobo_payment_merchant.seeded", "Seeded"),
					env.expectSandboxMerchant("cobo_payment_merchant.seeded", "Seeded", knownvalue.StringExact("0.0150")),
				},
			},
			{
				Config:           cfg,
				ResourceName:     merchantAddr,
				ImportState:      true,
				ImportStateKind:  resource.ImportBlockWithResourceIdentity,
				ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(merchantAddr, plancheck.ResourceActionNoop)}},
			},
		},
	})
}

func TestAccPaymentMerchantIdentity_importRejectsAMalformedIdentity(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	cfg := `
import {
  to       = cobo_payment_merchant.test
  identity = { merchant_id = "../payments/merchants" }
}
` + merchantConfig(`name = "x"`)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   skipBelowIdentity,
		Steps: []resource.TestStep{{
			Config: env.config(cfg), PlanOnly: true,
			ExpectError: expectWords(`Invalid import ID.*identity's merchant_id must be a Cobo merchant id, such as M1001`),
		}},
	})
	if n := len(env.sandbox.Requests()); n != 0 {
		t.Errorf("a malformed identity must never reach Cobo; %d requests did", n)
	}
}
