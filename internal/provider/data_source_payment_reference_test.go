package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// The reference data sources (balances, exchange rates, supported tokens): what they refuse before
// any request. Their reads against the sandbox's ledger are in the tests next to the sandbox's merchants.

func TestAccPaymentReferenceDataSources_badInputIsAPlanTimeError(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	cases := []struct{ name, config, want string }{
		{"balances without merchants or token", `data "cobo_payment_balances" "b" {}`,
			`At least one of these attributes must be configured:\s+\[merchant_ids,token_id\]`},
		{"rates in a currency Cobo lacks", `data "cobo_payment_exchange_rates" "r" {
  token_ids = ["ETH_USDT"]
  currency  = "EUR"
}`, `Attribute currency value must be one of: \["USD"\], got: "EUR"`},
		{"rates of no token", `data "cobo_payment_exchange_rates" "r" {
  token_ids = []
}`, `Attribute token_ids set must contain at least 1 elements, got: 0`},
		{"tokens of an empty chain", `data "cobo_payment_supported_tokens" "t" {
  chain_id = ""
}`, `Attribute chain_id string length must be at least 1, got: 0`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps:                    []resource.TestStep{{Config: env.config(c.config), PlanOnly: true, ExpectError: expectWords(c.want)}},
			})
		})
	}
	env.expectNoRequests("a reference data source with bad input")
}
