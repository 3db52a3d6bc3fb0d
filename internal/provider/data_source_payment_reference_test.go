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
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
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
			unitTest(t, resource.TestCase{
				Steps: []resource.TestStep{{Config: env.config(c.config), PlanOnly: true, ExpectError: expectWords(c.want)}},
			})
		})
	}
	env.expectNoRequests("a reference data source with bad input")
}

// The three read the sandbox's catalog and ledger: a paid order of 100 ETH_USDT with a fee of 1 puts
// 99 in its merchant's balance and 1 in the developer's (the manual's pricing : fee split).
func TestAccPaymentReferenceDataSources_readTheCatalogAndTheLedger(t *testing.T) {
	t.Parallel()
	env := newTestEnvWith(t, sandbox.Options{Rates: map[string]string{"TRON_USDT": "0.9987"}})
	order := env.seedOrder(cobo.CreateOrderRequest{MerchantID: "M-bal", PspOrderCode: "psp-bal", PayableCurrency: "ETH_USDT", PayableAmount: "100", FeeAmount: "1"})
	env.pay(order.OrderID, "100", true)
	config := env.config(`
data "cobo_payment_supported_tokens" "eth" {
  chain_id = "ETH"
}
data "cobo_payment_exchange_rates" "usd" {
  token_ids = ["TRON_USDT", "ETH_USDT"]
}
data "cobo_payment_balances" "usdt" {
  merchant_ids = ["M-bal"]
  token_id     = "ETH_USDT"
}
`)
	usdt := knownvalue.ObjectPartial(map[string]knownvalue.Check{
		"token_id": knownvalue.StringExact("ETH_USDT"), "decimal": knownvalue.Int64Exact(6),
		"token_address": knownvalue.StringExact("0xdac17f958d2ee523a2206206994597c13d831ec7"), "chain_id": knownvalue.StringExact("ETH"),
	})
	onChainETH := knownvalue.ObjectPartial(map[string]knownvalue.Check{"chain_id": knownvalue.StringExact("ETH")})
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: config,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.cobo_payment_supported_tokens.eth", tfjsonpath.New("tokens"), everyElement(onChainETH, usdt)),
				statecheck.ExpectKnownValue("data.cobo_payment_supported_tokens.eth", tfjsonpath.New("token_ids"),
					everyElement(knownvalue.StringRegexp(regexp.MustCompile(`^ETH_`)), knownvalue.StringExact("ETH_USDT"))),
				statecheck.ExpectKnownValue("data.cobo_payment_exchange_rates.usd", tfjsonpath.New("currency"), knownvalue.StringExact("USD")),
				statecheck.ExpectKnownValue("data.cobo_payment_exchange_rates.usd", tfjsonpath.New("rates"), knownvalue.MapExact(map[string]knownvalue.Check{
					"TRON_USDT": knownvalue.StringExact("0.9987"), "ETH_USDT": knownvalue.StringRegexp(regexp.MustCompile(`^[0-9.]+$`)),
				})),
				statecheck.ExpectKnownValue("data.cobo_payment_balances.usdt", tfjsonpath.New("merchants"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"merchant_id": knownvalue.StringExact("M-bal"), "token_id": knownvalue.StringExact("ETH_USDT"),
						"total_balance": decimalEquals("99"), "total_received_amount": decimalEquals("99"), "refunded_amount": decimalEquals("0"),
					}),
				})),
				statecheck.ExpectKnownValue("data.cobo_payment_balances.usdt", tfjsonpath.New("developer"), knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"total_balance": decimalEquals("1"), "developer_fee_amount": decimalEquals("1"),
				})),
			},
		}},
	})
}

// decimalEquals matches a decimal string by its value ("99" and "99.000000" agree).
func decimalEquals(want string) knownvalue.Check {
	return knownvalue.StringFunc(func(got string) error {
		if !cobo.SameDecimal(got, want) {
			return fmt.Errorf("%q is not %s", got, want)
		}
		return nil
	})
}

// everyElement checks that every element of a list passes each, and that one element at least passes
// some: a list filter's result, where only some elements are known.
func everyElement(each, some knownvalue.Check) knownvalue.Check { return listCheck{each, some} }

type listCheck struct{ each, some knownvalue.Check }

func (c listCheck) CheckValue(v any) error {
	elems, ok := v.([]any)
	if !ok || len(elems) == 0 {
		return fmt.Errorf("want a non-empty list, got %v", v)
	}
	found := false
	for i, e := range elems {
		if err := c.each.CheckValue(e); err != nil {
			return fmt.Errorf("element %d: %w", i, err)
		}
		found = found || c.some.CheckValue(e) == nil
	}
	if !found {
		return fmt.Errorf("no element is %s", c.some)
	}
	return nil
}

func (c listCheck) String() string { return fmt.Sprintf("every element %s, one %s", c.each, c.some) }

// A chain_id no token is on (chain ids match exactly: "eth" is not "ETH") gives empty lists, never
// null, so the documented precondition, contains(token_ids, ...), fails with its own message rather
// than on a null argument; and a warning on chain_id lists the chains there are.
func TestAccPaymentSupportedTokens_unknownChainIsEmptyWithAWarning(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	tf := newCLIWorkspace(t)
	tf.write("main.tf", requiredProviders+env.config(`
data "cobo_payment_supported_tokens" "lower" {
  chain_id = "eth"
}
output "takes_eth_usdt" {
  value = contains(data.cobo_payment_supported_tokens.lower.token_ids, "ETH_USDT")
}
output "token_count" {
  value = length(data.cobo_payment_supported_tokens.lower.tokens)
}
`))
	tf.mustRun("init", "-input=false")
	out := tf.mustRun("apply", "-input=false", "-auto-approve", "-json")
	summary := "No supported tokens on this chain"
	if got := warningsIn(t, out, summary); got == "" {
		t.Errorf("no warning %q:\n%s", summary, out)
	}
	for _, d := range jsonDiagnostics(out) {
		if d.Summary == summary && (!strings.Contains(d.Detail, `"eth"`) || !strings.Contains(d.Detail, "ETH, ") || !strings.Contains(d.Detail, "case included")) {
			t.Errorf("the warning does not name the chain_id and the chains there are: %q", d.Detail)
		}
	}
	for name, want := range map[string]string{"takes_eth_usdt": "false", "token_count": "0"} {
		if got := strings.TrimSpace(tf.mustRun("output", "-raw", name)); got != want {
			t.Errorf("output %s = %s, want %s", name, got, want)
		}
	}
}
