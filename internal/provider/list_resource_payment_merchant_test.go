package provider

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

func merchantIdentity(id string) map[string]knownvalue.Check {
	return map[string]knownvalue.Check{"merchant_id": knownvalue.StringExact(id)}
}

func TestAccPaymentMerchantList_filtersPagesAndResults(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	skipWithoutQuery(t) // before creating 55 merchants
	var shops []*cobo.Merchant
	for i := range 53 {
		shops = append(shops, env.seedMerchant(cobo.CreateMerchantRequest{Name: fmt.Sprintf("shop-%02d", i)}))
	}
	cafe := env.seedMerchant(cobo.CreateMerchantRequest{Name: "Cafe", DeveloperFeeRate: "0.0150", WalletSetup: cobo.WalletSetupSeparate})
	listBlock := func(name, config string, extra ...string) string {
		return fmt.Sprintf("list \"cobo_payment_merchant\" %q {\n  provider = cobo\n  %s\n  config {\n    %s\n  }\n}\n", name, joinLines(extra), config)
	}
	query := listBlock("all", "") +
		listBlock("shops", `keyword = "shop"`) +
		listBlock("separate", `wallet_setup = "Separate"`, "include_resource = true") +
		listBlock("default", `wallet_setup = "Default"`, "include_resource = true") +
		listBlock("capped", `keyword = "shop"`, "limit = 7")
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   skipBelowQuery,
		Steps: []resource.TestStep{
			{Config: env.providerBlock()},
			{
				Query:  true,
				Config: query,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("cobo_payment_merchant.all", 55),
					querycheck.ExpectLength("cobo_payment_merchant.shops", 53),
					querycheck.ExpectLength("cobo_payment_merchant.separate", 1),
					querycheck.ExpectLength("cobo_payment_merchant.default", 1),
					querycheck.ExpectLength("cobo_payment_merchant.capped", 7),
					querycheck.ExpectIdentity("cobo_payment_merchant.all", merchantIdentity(shops[52].MerchantID)),
					querycheck.ExpectIdentity("cobo_payment_merchant.default", merchantIdentity(sandbox.DefaultMerchantID)),
					querycheck.ExpectNoIdentity("cobo_payment_merchant.shops", merchantIdentity(cafe.MerchantID)),
					querycheck.ExpectResourceDisplayName("cobo_payment_merchant.separate", queryfilter.ByResourceIdentity(merchantIdentity(cafe.MerchantID)),
						knownvalue.StringExact(fmt.Sprintf("Cafe (%s, Separate)", cafe.MerchantID))),
					querycheck.ExpectResourceKnownValues("cobo_payment_merchant.separate", queryfilter.ByResourceIdentity(merchantIdentity(cafe.MerchantID)), []querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("name"), KnownValue: knownvalue.StringExact("Cafe")},
						{Path: tfjsonpath.New("developer_fee_rate"), KnownValue: knownvalue.StringExact("0.0150")},
						{Path: tfjsonpath.New("wallet_setup"), KnownValue: knownvalue.StringExact(cobo.WalletSetupSeparate)},
						{Path: tfjsonpath.New("wallet_id"), KnownValue: knownvalue.StringExact(cafe.WalletID)},
						{Path: tfjsonpath.New("created_timestamp"), KnownValue: knownvalue.Int64Exact(*cafe.CreatedTimestamp)},
					}),
				},
			},
		},
	})
	var keywords, setups, cursors int
	for _, r := range env.requests(http.MethodGet, merchantsPath) {
		q, _ := url.ParseQuery(r.Query)
		if q.Get("keyword") == "shop" {
			keywords++
		}
		if q.Get("wallet_setup") == "Separate" {
			setups++
		}
		if q.Get("after") != "" {
			cursors++
		}
	}
	if keywords == 0 || setups == 0 || cursors == 0 {
		t.Errorf("want the keyword and wallet_setup filters sent to Cobo and a cursor followed; got %d, %d, %d requests", keywords, setups, cursors)
	}
}

// terraform query -generate-config-out writes a resource and an import block per merchant, the
// default one included, and applying them imports every merchant unchanged: nothing but reads is sent.
func TestAccPaymentMerchantList_generatedConfigImportsEveryMerchantUnchanged(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	w := newQueryWorkspace(t)
	ids := []string{sandbox.DefaultMerchantID,
		env.seedMerchant(cobo.CreateMerchantRequest{Name: "Gen plain"}).MerchantID,
		env.seedMerchant(cobo.CreateMerchantRequest{Name: "Gen rated", DeveloperFeeRate: "0.0150", WalletSetup: cobo.WalletSetupSeparate}).MerchantID,
	}
	generated := w.generateConfig(env, "list \"cobo_payment_merchant\" \"all\" {\n  provider         = cobo\n  include_resource = true\n}\n")
	for _, id := range ids {
		if !regexp.MustCompile(`identity = \{\s+merchant_id = "` + id + `"`).Match(generated) {
			t.Errorf("no import block by identity for %s", id)
		}
	}
	if !regexp.MustCompile(`wallet_setup\s+= "Default"`).Match(generated) || !regexp.MustCompile(`developer_fee_rate\s+= "0.0150"`).Match(generated) {
		t.Error("the default merchant should be written with wallet_setup = \"Default\", Gen rated with its rate")
	}

	w.applyImportsUnchanged(env, 3)
}

// A wallet setup Cobo does not have fails the query before any request.
func TestAccPaymentMerchantList_badWalletSetupIsAnErrorBeforeAnyRequest(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		TerraformVersionChecks:   skipBelowQuery,
		Steps: []resource.TestStep{
			{Config: env.providerBlock()},
			{
				Query:       true,
				Config:      "list \"cobo_payment_merchant\" \"bad\" {\n  provider = cobo\n  config {\n    wallet_setup = \"shared\"\n  }\n}\n",
				ExpectError: expectWords(`Invalid Attribute Value Match.*wallet_setup value must be one of:.*"Shared"`),
			},
		},
	})
	if n := len(env.sandbox.Requests()); n != 0 {
		t.Errorf("an invalid query reached Cobo: %d requests", n)
	}
}
