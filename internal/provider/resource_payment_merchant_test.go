package provider

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

const merchantAddr = "cobo_payment_merchant.test"

const merchantsPath = "/v2/payments/merchants"

// merchantConfig renders a cobo_payment_merchant.test block from attribute lines.
func merchantConfig(lines ...string) string {
	return "resource \"cobo_payment_merchant\" \"test\" {\n  " + strings.Join(lines, "\n  ") + "\n}\n"
}

// seedMerchant creates a merchant directly through the client, as Cobo Portal or another system would.
func (e *testEnv) seedMerchant(req cobo.CreateMerchantRequest) *cobo.Merchant {
	e.t.Helper()
	m, err := e.client.CreateMerchant(e.t.Context(), req)
	if err != nil {
		e.t.Fatalf("seeding merchant %q: %v", req.Name, err)
	}
	return m
}

// merchantsNamed is this env's merchants with exactly that name, oldest first.
func (e *testEnv) merchantsNamed(name string) []cobo.Merchant {
	e.t.Helper()
	found, err := e.client.MerchantsNamed(e.t.Context(), name)
	if err != nil {
		e.t.Fatalf("listing merchants named %q: %v", name, err)
	}
	return found
}

// merchantNamed is the only merchant with that name.
func (e *testEnv) merchantNamed(name string) cobo.Merchant {
	e.t.Helper()
	found := e.merchantsNamed(name)
	if len(found) != 1 {
		e.t.Fatalf("want one merchant named %q in the sandbox, found %d", name, len(found))
	}
	return found[0]
}

// checkMerchantCount checks how many merchants named name the sandbox has.
func (e *testEnv) checkMerchantCount(name string, want int) func(*terraform.State) error {
	return func(*terraform.State) error {
		if got := len(e.merchantsNamed(name)); got != want {
			return fmt.Errorf("the sandbox has %d merchants named %q, want %d", got, name, want)
		}
		return nil
	}
}

// expectMerchantAt checks every attribute of a merchant resource or data source against the merchant
// Cobo (the sandbox) has; rate is what the state shows for its developer_fee_rate.
func expectMerchantAt(addr string, m cobo.Merchant, rate knownvalue.Check) []statecheck.StateCheck {
	want := map[string]knownvalue.Check{
		"id":                 knownvalue.StringExact(m.MerchantID),
		"merchant_id":        knownvalue.StringExact(m.MerchantID),
		"name":               knownvalue.StringExact(m.Name),
		"developer_fee_rate": rate,
		"wallet_setup":       knownvalue.StringExact(m.WalletSetup),
		"wallet_id":          knownvalue.StringExact(m.WalletID),
		"created_timestamp":  knownvalue.Int64Exact(*m.CreatedTimestamp),
		"updated_timestamp":  knownvalue.Int64Exact(*m.UpdatedTimestamp),
	}
	return expectEveryAttribute(addr, tfjsonpath.New, slices.Collect(maps.Keys(merchantDescriptions)), want)
}

func (e *testEnv) expectSandboxMerchant(addr, name string, rate knownvalue.Check) statecheck.StateCheck {
	return lazyChecks(func() []statecheck.StateCheck { return expectMerchantAt(addr, e.merchantNamed(name), rate) })
}

func TestAccPaymentMerchant_createRespellUpdateImportClearAndReplace(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	sameID := statecheck.CompareValue(compare.ValuesSame())
	differentID := statecheck.CompareValue(compare.ValuesDiffer())
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config:           env.config(merchantConfig(`name = "Shop A"`, `developer_fee_rate = "0.015"`)),
				ConfigPlanChecks: emptyPlanAfterApply,
				ConfigStateChecks: []statecheck.StateCheck{
					env.expectSandboxMerchant(merchantAddr, "Shop A", knownvalue.StringExact("0.015")),
					statecheck.ExpectKnownValue(merchantAddr, tfjsonpath.New("wallet_setup"), knownvalue.StringExact(cobo.WalletSetupShared)),
					sameID.AddStateValue(merchantAddr, tfjsonpath.New("merchant_id")),
					differentID.AddStateValue(merchantAddr, tfjsonpath.New("merchant_id")),
				},
				Check: env.checkBodies(http.MethodPost, merchantsPath, `{"name":"Shop A","developer_fee_rate":"0.015","wallet_setup":"Shared"}`),
			},
			{
				// The same rate spelled otherwise plans nothing.
				Config:           env.config(merchantConfig(`name = "Shop A"`, `developer_fee_rate = "0.0150"`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				PreConfig: env.sandbox.ResetRequests,
				Config:    env.config(merchantConfig(`name = "Shop B"`, `developer_fee_rate = "0.02"`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(merchantAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					env.expectSandboxMerchant(merchantAddr, "Shop B", knownvalue.StringExact("0.02")),
					sameID.AddStateValue(merchantAddr, tfjsonpath.New("merchant_id")),
				},
				Check: resource.ComposeTestCheckFunc(
					env.checkBodies(http.MethodPut, merchantsPath+"/", `{"name":"Shop B","developer_fee_rate":"0.02"}`),
					env.checkBodies(http.MethodPost, merchantsPath),
				),
			},
			{ResourceName: merchantAddr, ImportState: true, ImportStateVerify: true},
			{
				// Removing the rate sets it to 0 in Cobo, and the state keeps it null.
				PreConfig: env.sandbox.ResetRequests,
				Config:    env.config(merchantConfig(`name = "Shop B"`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(merchantAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{env.expectSandboxMerchant(merchantAddr, "Shop B", knownvalue.Null())},
				Check:             env.checkBodies(http.MethodPut, merchantsPath+"/", `{"developer_fee_rate":"0"}`),
			},
			{
				// Another wallet setup is another merchant, and the old one stays in Cobo under its name.
				Config:      env.config(merchantConfig(`name = "Shop B"`, `wallet_setup = "Separate"`)),
				PlanOnly:    true,
				ExpectError: expectWords(`A new wallet_setup needs a new name.*stays in Cobo.*under the name "Shop B".*change name together with wallet_setup`),
			},
			{
				Config: env.config(merchantConfig(`name = "Shop C"`, `wallet_setup = "Separate"`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(merchantAddr, plancheck.ResourceActionDestroyBeforeCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(merchantAddr, tfjsonpath.New("wallet_setup"), knownvalue.StringExact(cobo.WalletSetupSeparate)),
					differentID.AddStateValue(merchantAddr, tfjsonpath.New("merchant_id")),
				},
				Check: resource.ComposeTestCheckFunc(env.checkMerchantCount("Shop B", 1), env.checkMerchantCount("Shop C", 1)),
			},
		},
		CheckDestroy: resource.ComposeTestCheckFunc(env.checkMerchantCount("Shop B", 1), env.checkMerchantCount("Shop C", 1)), // destroy sends nothing
	})
}

func TestAccPaymentMerchant_badInputIsAPlanTimeError(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	cases := []struct {
		lines []string
		want  string
	}{
		{[]string{`name = "x"`, `developer_fee_rate = "1.5"`}, `Invalid developer_fee_rate.*developer_fee_rate must be a decimal string from 0 to 1 with at most 4 decimal places.*"1.5" is above 1`},
		{[]string{`name = "x"`, `developer_fee_rate = "0.00015"`}, `Invalid developer_fee_rate.*"0.00015" has 5 decimal places`},
		{[]string{`name = "x"`, `developer_fee_rate = "1%"`}, `Invalid developer_fee_rate.*not a plain decimal number`},
		{[]string{`name = "x"`, `wallet_setup = "Default"`}, `Invalid wallet_setup.*wallet_setup "Default" belongs to the default merchant.*a new merchant must be "Shared" \(the default\) or "Separate"`},
		{[]string{`name = "x"`, `wallet_setup = "shared"`}, `Invalid wallet_setup.*wallet_setup must be "Shared" \(the default\) or "Separate"; got "shared"`},
		{[]string{`name = ""`}, `Invalid name.*non-empty string`},
	}
	for _, c := range cases {
		unitTest(t, resource.TestCase{
			Steps: []resource.TestStep{{Config: env.config(merchantConfig(c.lines...)), PlanOnly: true, ExpectError: expectWords(c.want)}},
		})
	}
	if n := len(env.sandbox.Requests()); n != 0 {
		t.Errorf("bad input must never reach Cobo; %d requests did", n)
	}
}

// A name an existing merchant has is an error naming it, with an import block; nothing is created.
func TestAccPaymentMerchant_nameTakenIsAnErrorWithAnImportBlock(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	taken := env.seedMerchant(cobo.CreateMerchantRequest{Name: "Taken"})
	env.seedMerchant(cobo.CreateMerchantRequest{Name: "Taken too"}) // a keyword match, not the name
	env.sandbox.ResetRequests()
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: env.config(merchantConfig(`name = "Taken"`)),
			ExpectError: expectWords(`A merchant with this name exists already.*Cobo already has a merchant named "Taken": - merchant_id ` + taken.MerchantID +
				`, wallet_setup Shared .*import { to = cobo_payment_merchant.NAME id = "` + taken.MerchantID + `" }.*identity = { merchant_id = "` + taken.MerchantID + `" }`),
		}},
	})
	if posts := env.requests(http.MethodPost, merchantsPath); len(posts) != 0 {
		t.Errorf("a taken name must create nothing; %d POSTs were sent", len(posts))
	}
	if n := len(env.merchantsNamed("Taken")); n != 1 {
		t.Errorf("want one merchant named Taken, found %d", n)
	}
}

// A merchant the list lacks on refresh (here: another organization's secret) is an error, never a
// removal; with the right secret again, the merchant is still managed.
func TestAccPaymentMerchant_missingOnRefreshIsAnError(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	other := newTestEnv(t)
	body := merchantConfig(`name = "Kept"`)
	wrongSecret := strings.Replace(env.config(body), env.secret, other.secret, 1)
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: env.config(body)},
			{
				Config:      wrongSecret,
				PlanOnly:    true,
				ExpectError: expectWords(`Merchant not found: M.*merchant list for this API key has no merchant M\S+ \("Kept"\).*Cobo cannot delete merchants.*Check api_secret.*env or host.*removed block with lifecycle { destroy = false }.*terraform state rm`),
			},
			{
				Config:           env.config(body),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

// The way out the error names: a removed block forgets the merchant Terraform cannot find, without
// reading it, and Cobo keeps it.
func TestAccPaymentMerchant_removedBlockForgetsAMissingMerchant(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	other := newTestEnv(t)
	removed := "removed {\n  from = cobo_payment_merchant.test\n  lifecycle {\n    destroy = false\n  }\n}\n"
	unitTest(t, resource.TestCase{
		TerraformVersionChecks: []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_7_0), skipOpenTofu{}}, // OpenTofu refreshes it first
		Steps: []resource.TestStep{
			{Config: env.config(merchantConfig(`name = "Forgotten"`))},
			{
				Config: strings.Replace(env.config(removed), env.secret, other.secret, 1),
				Check:  env.checkMerchantCount("Forgotten", 1),
			},
		},
	})
}

func TestUpdateMerchantRequest(t *testing.T) {
	t.Parallel()
	model := func(name string, rate *string) paymentMerchantResourceModel {
		m := paymentMerchantResourceModel{}
		m.Name, m.DeveloperFeeRate = types.StringValue(name), decimalPointerValue(rate)
		return m
	}
	s := func(v string) *string { return &v }
	cases := []struct {
		plan, state paymentMerchantResourceModel
		want        string
	}{
		{model("a", s("0.015")), model("a", s("0.0150")), ""},
		{model("a", nil), model("a", s("0.0")), ""},
		{model("a", s("0")), model("a", nil), ""},
		{model("b", s("0.015")), model("a", s("0.015")), `{"name":"b"}`},
		{model("a", nil), model("a", s("0.01")), `{"developer_fee_rate":"0"}`},
		{model("a", s("0.02")), model("a", nil), `{"developer_fee_rate":"0.02"}`},
	}
	for i, c := range cases {
		req, changed := updateMerchantRequest(c.plan, c.state)
		got := ""
		if changed {
			b, err := json.Marshal(req)
			if err != nil {
				t.Fatal(err)
			}
			got = string(b)
		}
		if got != c.want {
			t.Errorf("case %d: %s, want %s", i, got, c.want)
		}
	}
}

// Cobo has no idempotency key for merchants: a create whose answer is lost looks the name up before
// sending again, so one declaration makes one merchant whether or not Cobo committed the lost create.
func TestAccPaymentMerchant_lostCreateAnswerMakesOneMerchant(t *testing.T) {
	t.Parallel()
	for _, committed := range []bool{true, false} {
		t.Run(fmt.Sprintf("committed=%v", committed), func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t)
			env.sandbox.AddFault(sandbox.Fault{Method: http.MethodPost, Path: merchantsPath, DropConnection: true, AfterCommit: committed, Times: 1})
			wantPosts := 1
			if !committed {
				wantPosts = 2 // the lookup found nothing, so the create was sent again
			}
			unitTest(t, resource.TestCase{
				Steps: []resource.TestStep{{
					Config:            env.config(merchantConfig(`name = "Lost"`)),
					ConfigPlanChecks:  emptyPlanAfterApply,
					ConfigStateChecks: []statecheck.StateCheck{env.expectSandboxMerchant(merchantAddr, "Lost", knownvalue.Null())},
					Check: func(*terraform.State) error {
						if n := len(env.requests(http.MethodPost, merchantsPath)); n != wantPosts {
							return fmt.Errorf("%d merchant creates were sent, want %d", n, wantPosts)
						}
						return env.checkMerchantCount("Lost", 1)(nil)
					},
				}},
			})
		})
	}
}

// Two resources with one name are a plan-time error (claims.go), also when one of them already holds
// its merchant in the state: Cobo would otherwise get a second merchant of that name.
func TestAccPaymentMerchant_oneNameForTwoResourcesIsAPlanTimeError(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	one := `resource "cobo_payment_merchant" "a" {
  name = "Twice"
}
`
	two := one + `resource "cobo_payment_merchant" "b" {
  name = "Twice"
}
`
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: env.config(two), PlanOnly: true, ExpectNonEmptyPlan: true,
				ExpectError: expectWords(`Merchant name used by two resources.*"Twice" is claimed by two cobo_payment_merchant resources`)},
			{Config: env.config(one), ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
			{Config: env.config(two), ExpectError: expectWords(`Merchant name used by two resources.*holds merchant M`)}, // either resource may get it: Terraform plans in no fixed order,
		},
	})
	if n := len(env.merchantsNamed("Twice")); n != 1 {
		t.Errorf("want one merchant named Twice, found %d", n)
	}
}

// One plan reads the merchant list once for every merchant (Cobo has no get-by-id): 60 merchants and
// the default one refresh with 2 list requests (pages of 50), not 60 walks. Destroying them sends
// nothing, warns that each stays in Cobo, and leaves them there.
func TestAccPaymentMerchant_onePlanWalksTheListOnceAndDestroyKeepsThem(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	w := newCLIWorkspace(t)
	w.write("main.tf", requiredProviders+env.providerBlock()+`
resource "cobo_payment_merchant" "many" {
  count = 60
  name  = "walk-${count.index}"
}
`)
	w.mustRun("init", "-input=false")
	w.mustRun("apply", "-auto-approve", "-input=false")

	env.sandbox.ResetRequests()
	if out, code := w.run("plan", "-detailed-exitcode", "-input=false"); code != 0 {
		t.Fatalf("the plan after the apply is not empty (exit code %d):\n%s", code, out)
	}
	if lists := env.requests(http.MethodGet, merchantsPath); len(lists) != 2 {
		t.Errorf("refreshing 60 merchants sent %d merchant list requests; want 2 (one walk of 61 merchants in pages of 50)", len(lists))
	}

	env.sandbox.ResetRequests()
	out := w.mustRun("destroy", "-auto-approve", "-input=false")
	if !strings.Contains(out, "stays in Cobo") || !strings.Contains(out, "Cobo cannot delete merchants: merchant M") {
		t.Errorf("destroy did not warn that the merchants stay in Cobo:\n%s", out)
	}
	for _, r := range env.sandbox.Requests() {
		if r.Method != http.MethodGet {
			t.Errorf("destroy sent %s %s; Cobo has no merchant delete, so it should send nothing but the refresh", r.Method, r.Path)
		}
	}
	if n := len(env.requests(http.MethodGet, merchantsPath)); n > 2 {
		t.Errorf("destroy's refresh sent %d merchant list requests; want at most 2", n)
	}
	all, err := env.client.AllMerchants(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 61 {
		t.Errorf("the sandbox has %d merchants after destroy, want the 60 and the default one", len(all))
	}
}

// In Terraform 1.16 or later, lifecycle { destroy = false } is the quiet way: destroy forgets the
// merchant without asking the provider, so there is no warning, and Cobo keeps it.
func TestAccPaymentMerchant_destroyFalseForgetsQuietly(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	skipBelowTerraform(t, "1.16.0")
	w := newCLIWorkspace(t)
	w.write("main.tf", requiredProviders+env.providerBlock()+merchantConfig(`name = "Quiet"`, "lifecycle {\n    destroy = false\n  }"))
	w.mustRun("init", "-input=false")
	w.mustRun("apply", "-auto-approve", "-input=false")
	out := w.mustRun("destroy", "-auto-approve", "-input=false")
	if strings.Contains(out, "stays in Cobo") {
		t.Errorf("destroy = false should forget the merchant without the provider's warning:\n%s", out)
	}
	if state := w.mustRun("state", "list"); strings.Contains(state, "cobo_payment_merchant") {
		t.Errorf("the merchant is still in the state:\n%s", state)
	}
	if n := len(env.merchantsNamed("Quiet")); n != 1 {
		t.Errorf("want the merchant kept in Cobo, found %d", n)
	}
}

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
	unitTest(t, resource.TestCase{
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
	unitTest(t, resource.TestCase{
		TerraformVersionChecks: skipBelowIdentity,
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
	unitTest(t, resource.TestCase{
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
		{`name = "twin"`, `No merchant found.*no merchant with name "twin" \(names match exactly, case and spaces included\).*differs only in case or spaces: - merchant_id ` + a.MerchantID + `, name "Twin" - merchant_id ` + b.MerchantID + `, name "Twin"`},
		{`name = "Tw in"`, `No merchant found.*no merchant with name "Tw in"[^-]*$`},
		{`merchant_id = "M404"`, `No merchant found.*no merchant with merchant_id "M404".*api_secret and env \(or host\)`},
	}
	for _, c := range cases {
		unitTest(t, resource.TestCase{
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
		unitTest(t, resource.TestCase{
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
	unitTest(t, resource.TestCase{
		TerraformVersionChecks: skipBelowQuery,
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
	generated := w.generateConfig(t, env, "list \"cobo_payment_merchant\" \"all\" {\n  provider         = cobo\n  include_resource = true\n}\n", "merchants.tf")
	for _, id := range ids {
		if !regexp.MustCompile(`identity = \{\s+merchant_id = "` + id + `"`).Match(generated) {
			t.Errorf("no import block by identity for %s", id)
		}
	}
	if !regexp.MustCompile(`wallet_setup\s+= "Default"`).Match(generated) || !regexp.MustCompile(`developer_fee_rate\s+= "0.0150"`).Match(generated) {
		t.Error("the default merchant should be written with wallet_setup = \"Default\", Gen rated with its rate")
	}

	w.applyImportsChangingNothing(t, env, 3, "merchants")
}

// A wallet setup Cobo does not have fails the query before any request.
func TestAccPaymentMerchantList_badWalletSetupIsAnErrorBeforeAnyRequest(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	unitTest(t, resource.TestCase{
		TerraformVersionChecks: skipBelowQuery,
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
