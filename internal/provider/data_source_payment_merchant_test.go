package provider

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

func TestAccPaymentMerchantDataSource_byIDAndByExactNameFromOneWalk(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	shop := env.seedMerchant(cobo.CreateMerchantRequest{Name: "Shop", DeveloperFeeRate: "0.01"})
	env.seedMerchant(cobo.CreateMerchantRequest{Name: "Shop two", WalletSetup: cobo.WalletSetupSeparate}) // a keyword match, not the name
	env.sandbox.ResetRequests()
	cfg := env.config(fmt.Sprintf(`
data "cobo_payment_merchant" "by_id" {
  merchant_id = %q
}
data "cobo_payment_merchant" "by_name" {
  name = "Shop two"
}
`, shop.MerchantID))
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				env.expectSandboxMerchant("data.cobo_payment_merchant.by_id", "Shop", knownvalue.StringExact("0.01")),
				env.expectSandboxMerchant("data.cobo_payment_merchant.by_name", "Shop two", knownvalue.Null()),
			},
			Check: func(*terraform.State) error {
				// plan and apply each read both from one walk (one page): two list requests, not four
				if n := len(env.requests(http.MethodGet, merchantsPath)); n > 2 {
					return fmt.Errorf("two data sources sent %d merchant list requests over plan and apply; want one walk each", n)
				}
				return nil
			},
		}},
	})
}

func TestAccPaymentMerchantDataSource_notExactlyOneMatchIsAnError(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	a := env.seedMerchant(cobo.CreateMerchantRequest{Name: "Twin"})
	b := env.seedMerchant(cobo.CreateMerchantRequest{Name: "Twin", WalletSetup: cobo.WalletSetupSeparate})
	cases := []struct{ body, want string }{
		{`name = "Twin"`, `More than one merchant found.*2 merchants are named "Twin": - merchant_id ` + a.MerchantID + `, wallet_setup Shared - merchant_id ` + b.MerchantID + `, wallet_setup Separate.*Set merchant_id instead of name`},
		{`name = "twin"`, `No merchant found.*no merchant with name "twin" \(names match exactly, case and spaces included\)`},
		{`merchant_id = "M404"`, `No merchant found.*no merchant with merchant_id "M404".*api_secret and env \(or host\)`},
	}
	for _, c := range cases {
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6ProviderFactories,
			Steps: []resource.TestStep{{
				Config: env.config("data \"cobo_payment_merchant\" \"x\" {\n  " + c.body + "\n}\n"), ExpectError: expectWords(c.want),
			}},
		})
	}
}

// merchant_id and name together, or neither, fail before any request.
func TestAccPaymentMerchantDataSource_exactlyOneOfIsAPlanTimeError(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	for _, body := range []string{`merchant_id = "M1001"` + "\n  name = \"x\"", ``} {
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: protoV6ProviderFactories,
			Steps: []resource.TestStep{{
				Config: env.config("data \"cobo_payment_merchant\" \"x\" {\n  " + body + "\n}\n"), PlanOnly: true,
				ExpectError: expectWords(`(Invalid Attribute Combination|Missing Attribute Configuration).*Exactly one of these attributes must be configured: \[merchant_id,name\]`),
			}},
		})
	}
	if n := len(env.sandbox.Requests()); n != 0 {
		t.Errorf("an invalid data source reached Cobo: %d requests", n)
	}
}
