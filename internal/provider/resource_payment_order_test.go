package provider

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

const orderAddr = "cobo_payment_order.test"

// emptyPlanAfterApply asserts the re-plan after apply is empty.
var emptyPlanAfterApply = resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}

// orderConfig renders a cobo_payment_order.test block from attribute lines.
func orderConfig(lines ...string) string {
	return "resource \"cobo_payment_order\" \"test\" {\n  " + strings.Join(lines, "\n  ") + "\n}\n"
}

// requests returns the sandbox's recorded requests with that method whose path has the prefix.
func (e *testEnv) requests(method, pathPrefix string) []sandbox.RecordedRequest {
	var out []sandbox.RecordedRequest
	for _, r := range e.sandbox.Requests() {
		if r.Method == method && strings.HasPrefix(r.Path, pathPrefix) {
			out = append(out, r)
		}
	}
	return out
}

// orderByPsp finds the only order with that psp_order_code in this env's organization.
func (e *testEnv) orderByPsp(code string) *cobo.Order {
	e.t.Helper()
	var found []cobo.Order
	for _, o := range e.sandbox.Orders(e.apiKey) {
		if o.PspOrderCode == code {
			found = append(found, o)
		}
	}
	if len(found) != 1 {
		e.t.Fatalf("want exactly one order with psp_order_code %q, found %d", code, len(found))
	}
	return &found[0]
}

// checkOrderStatus checks the sandbox's view of an order, for CheckDestroy and Check functions.
func (e *testEnv) checkOrderStatus(code, status string) func(*terraform.State) error {
	return func(*terraform.State) error {
		o := e.orderByPsp(code)
		if o.Status != status {
			return fmt.Errorf("order %s (%s) is %s in Cobo, want %s", o.OrderID, code, o.Status, status)
		}
		return nil
	}
}

func TestAccPaymentOrder_minimalCreateImportAndEmptyReplan(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	cfg := env.config(orderConfig(`merchant_id = "M1001"`, `psp_order_code = "psp-min"`, `payable_currency = "ETH_USDT"`, `fee_amount = "0"`, `payable_amount = "10.00"`))
	unitTest(t, resource.TestCase{
		CheckDestroy: env.checkOrderStatus("psp-min", cobo.StatusExpired),
		Steps: []resource.TestStep{
			{
				Config:           cfg,
				ConfigPlanChecks: emptyPlanAfterApply,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("status"), knownvalue.StringExact("Pending")),
					statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("expired"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("expire_on_destroy"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("expired_in"), knownvalue.Null()),
					statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("pricing_amount"), knownvalue.Null()),
					statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("exchange_rate"), knownvalue.StringExact("")),
					statecheck.CompareValuePairs(orderAddr, tfjsonpath.New("id"), orderAddr, tfjsonpath.New("order_id"), compare.ValuesSame()),
				},
				Check: func(*terraform.State) error {
					posts := env.requests(http.MethodPost, "/v2/payments/orders")
					if len(posts) != 1 {
						return fmt.Errorf("want exactly 1 create, got %d", len(posts))
					}
					want := `{"merchant_id":"M1001","psp_order_code":"psp-min","fee_amount":"0","payable_currency":"ETH_USDT","payable_amount":"10.00"}`
					if posts[0].Body != want {
						return fmt.Errorf("create body on the wire:\n got %s\nwant %s", posts[0].Body, want)
					}
					if ua := posts[0].UserAgent; !regexp.MustCompile(`^terraform-provider-cobo/test Terraform/1\.\d+\.\d+`).MatchString(ua) {
						return fmt.Errorf("User-Agent %q lacks the provider and Terraform versions", ua)
					}
					return nil
				},
			},
			{ResourceName: orderAddr, ImportState: true, ImportStateVerify: true},
		},
	})
}

func TestAccPaymentOrder_allInputs(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	cfg := env.config(orderConfig(
		`merchant_id = "M1001"`, `psp_order_code = "psp-all"`, `payable_currency = "BASE_USDC"`, `fee_amount = "2.5"`,
		`pricing_currency = "USD"`, `pricing_amount = "100.00"`, `expired_in = 7200`, `amount_tolerance = "0.5"`,
		`merchant_order_code = "inv-1"`, `expire_on_destroy = false`,
	))
	unitTest(t, resource.TestCase{
		// expire_on_destroy = false: destroying leaves the order as it was.
		CheckDestroy: env.checkOrderStatus("psp-all", cobo.StatusPending),
		Steps: []resource.TestStep{
			{
				Config:           cfg,
				ConfigPlanChecks: emptyPlanAfterApply,
				Check: func(*terraform.State) error {
					posts := env.requests(http.MethodPost, "/v2/payments/orders")
					if len(posts) != 1 {
						return fmt.Errorf("want exactly 1 create, got %d", len(posts))
					}
					want := `{"merchant_id":"M1001","psp_order_code":"psp-all","fee_amount":"2.5","payable_currency":"BASE_USDC","pricing_amount":"100.00","pricing_currency":"USD","expired_in":7200,"amount_tolerance":"0.5","merchant_order_code":"inv-1"}`
					if posts[0].Body != want {
						return fmt.Errorf("create body on the wire:\n got %s\nwant %s", posts[0].Body, want)
					}
					o := env.orderByPsp("psp-all")
					if *o.ExpiredAt-*o.CreatedTimestamp != 7200 {
						return fmt.Errorf("expired_at - created = %d, want 7200", *o.ExpiredAt-*o.CreatedTimestamp)
					}
					return nil
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("payable_amount"), knownvalue.StringExact("103.54")),
					statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("exchange_rate"), knownvalue.StringExact("0.99")),
					statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("chain_id"), knownvalue.StringExact("BASE")),
					statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("expired_in"), knownvalue.Int64Exact(7200)),
					statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("amount_tolerance"), knownvalue.StringExact("0.5")),
					statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("merchant_order_code"), knownvalue.StringExact("inv-1")),
					statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("receive_address"), knownvalue.StringRegexp(regexp.MustCompile(`^0x[0-9a-f]{40}$`))),
				},
			},
			{
				// Every attribute matches what Cobo reports for the order.
				Config:            cfg,
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{sandboxOrderCheck{env: env, addr: orderAddr, psp: "psp-all"}},
			},
			{ResourceName: orderAddr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"expired_in", "expire_on_destroy"}},
		},
	})
}

func TestAccPaymentOrder_expireSendsOnePutAndCannotBeUndone(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	base := []string{`merchant_id = "M1001"`, `psp_order_code = "psp-exp"`, `payable_currency = "TRON_USDT"`, `fee_amount = "0"`, `pricing_amount = "20"`}
	unitTest(t, resource.TestCase{
		CheckDestroy: env.checkOrderStatus("psp-exp", cobo.StatusExpired),
		Steps: []resource.TestStep{
			{Config: env.config(orderConfig(base...)), ConfigPlanChecks: emptyPlanAfterApply},
			{
				Config: env.config(orderConfig(append(base, `expired = true`)...)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(orderAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("status"), knownvalue.StringExact("Expired")),
					statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("expired"), knownvalue.Bool(true)),
				},
				Check: func(*terraform.State) error {
					puts := env.requests(http.MethodPut, "/v2/payments/orders/")
					if len(puts) != 1 || puts[0].Body != `{"expired":true}` {
						return fmt.Errorf("want exactly one PUT {\"expired\":true}, got %+v", puts)
					}
					return nil
				},
			},
			{
				Config:      env.config(orderConfig(append(base, `expired = false`)...)),
				ExpectError: expectWords(`An expired order cannot be reopened`),
			},
			{
				// Removing the argument means the default, false: the same error.
				Config:      env.config(orderConfig(base...)),
				ExpectError: expectWords(`An expired order cannot be reopened`),
			},
			{ResourceName: orderAddr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"expired"}, Config: env.config(orderConfig(append(base, `expired = true`)...))},
			{Config: env.config(orderConfig(append(base, `expired = true`)...)), ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
		},
	})
}

func TestAccPaymentOrder_expireAlreadyExpiredSucceeds(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	base := []string{`merchant_id = "M1001"`, `psp_order_code = "psp-twice"`, `payable_currency = "ETH_USDT"`, `fee_amount = "0"`, `payable_amount = "5.00"`}
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: env.config(orderConfig(base...))},
			{
				// Expired outside Terraform: the refresh shows it, and the plan stays empty.
				PreConfig: func() {
					if _, err := env.client.UpdatePaymentOrder(t.Context(), env.orderByPsp("psp-twice").OrderID, cobo.UpdateOrderRequest{Expired: true}); err != nil {
						t.Fatal(err)
					}
				},
				Config:            env.config(orderConfig(base...)),
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("status"), knownvalue.StringExact("Expired"))},
			},
			{
				Config:           env.config(orderConfig(append(base, `expired = true`)...)),
				ConfigPlanChecks: emptyPlanAfterApply,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("status"), knownvalue.StringExact("Expired")),
					statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("expired"), knownvalue.Bool(true)),
				},
			},
		},
	})
}

func TestAccPaymentOrder_naturalExpiryAndPaymentsKeepThePlanEmpty(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	paidCfg := env.config(orderConfig(`merchant_id = "M1001"`, `psp_order_code = "psp-paid"`, `payable_currency = "ETH_USDT"`, `fee_amount = "0"`, `payable_amount = "30.00"`))
	lapseCfg := env.config(orderConfig(`merchant_id = "M1001"`, `psp_order_code = "psp-lapse"`, `payable_currency = "ETH_USDT"`, `fee_amount = "0"`, `payable_amount = "30.00"`, `expired_in = 60`))
	status := func(s string) []statecheck.StateCheck {
		return []statecheck.StateCheck{statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("status"), knownvalue.StringExact(s))}
	}
	noChanges := resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}
	// payStep pays amount into psp-paid outside Terraform: the refresh shows it and the plan is empty.
	payStep := func(amount string, checks []statecheck.StateCheck) resource.TestStep {
		return resource.TestStep{
			PreConfig:         func() { env.pay(env.orderByPsp("psp-paid").OrderID, amount, true) },
			Config:            paidCfg,
			ConfigPlanChecks:  noChanges,
			ConfigStateChecks: checks,
		}
	}
	expireRefused := func(wantErr string) resource.TestStep {
		return resource.TestStep{
			Config:      env.config(orderConfig(`merchant_id = "M1001"`, `psp_order_code = "psp-paid"`, `payable_currency = "ETH_USDT"`, `fee_amount = "0"`, `payable_amount = "30.00"`, `expired = true`)),
			ExpectError: expectWords(wantErr),
		}
	}
	unitTest(t, resource.TestCase{
		CheckDestroy: env.checkOrderStatus("psp-paid", cobo.StatusCompleted), // not expirable: left as is
		Steps: []resource.TestStep{
			{Config: paidCfg, ConfigStateChecks: status("Pending")},
			payStep("10.00", append(status("Processing"),
				statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("received_token_amount"), knownvalue.StringExact("10.00")),
				statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("transactions"), knownvalue.ListSizeExact(1)))),
			// Expiring a Processing order is refused at plan time, naming the status.
			expireRefused(`Order .* is Processing.*Cobo only expires Pending orders`),
			payStep("20.00", append(status("Completed"),
				statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("settlement_status"), knownvalue.StringExact("Pending")),
				statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("transactions"), knownvalue.ListSizeExact(2)))),
			expireRefused(`is Completed.*Cobo only expires Pending orders`),
			// A second order that lapses by time: same config, new status, nothing to apply.
			{Config: lapseCfg, ConfigStateChecks: status("Pending")},
			{
				PreConfig:         func() { env.sandbox.Advance(2 * time.Minute) },
				Config:            lapseCfg,
				ConfigPlanChecks:  noChanges,
				ConfigStateChecks: status("Expired"),
			},
		},
	})
}

func TestAccPaymentOrder_invalidInputsArePlanTimeErrors(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	base := map[string]string{
		"merchant_id": `"M1"`, "psp_order_code": `"psp-bad"`, "payable_currency": `"ETH_USDT"`, "fee_amount": `"0"`, "pricing_amount": `"1"`,
	}
	cases := []struct{ attr, value, want string }{
		{"fee_amount", `"1e3"`, `fee_amount must be a decimal string of 0 or more`},
		{"fee_amount", `"-1"`, `fee_amount must be`},
		{"fee_amount", `"abc"`, `fee_amount must be`},
		{"fee_amount", `"1.234"`, `fee_amount must be.*has 3 decimal places`},
		{"pricing_amount", `"1.234"`, `pricing_amount must be.*at most 2 decimal places`},
		{"pricing_amount", `"0"`, `pricing_amount must be.*greater than 0`},
		{"payable_amount", `"1,000.00"`, `payable_amount must be`},
		{"amount_tolerance", `"0.55"`, `amount_tolerance must be.*at most 1 decimal place`},
		{"expired_in", `0`, `expired_in.*between 1 and 10800`},
		{"expired_in", `10801`, `expired_in.*between 1 and 10800`},
		{"merchant_id", `""`, `merchant_id.*length`},
		{"psp_order_code", `""`, `psp_order_code.*length`},
	}
	for _, c := range cases {
		lines := []string{}
		for k, v := range base {
			if k != c.attr {
				lines = append(lines, k+" = "+v)
			}
		}
		lines = append(lines, c.attr+" = "+c.value)
		unitTest(t, resource.TestCase{
			Steps: []resource.TestStep{{
				Config:      env.config(orderConfig(lines...)),
				PlanOnly:    true,
				ExpectError: expectWords(`` + strings.ReplaceAll(c.want, " ", `\s+`)), // Terraform wraps lines
			}},
		})
	}
	if n := len(env.sandbox.Requests()); n != 0 {
		t.Errorf("invalid inputs must never reach Cobo; %d requests did", n)
	}
}

func TestAccPaymentOrder_replacementNeedsANewPspOrderCode(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	line := func(psp, amount string) string {
		return env.config(orderConfig(`merchant_id = "M1001"`, `psp_order_code = "`+psp+`"`, `payable_currency = "ETH_USDT"`, `fee_amount = "0"`, `payable_amount = "`+amount+`"`))
	}
	var before int
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: line("psp-r1", "10.00")},
			{Config: line("psp-r1", "12.00"), ExpectError: expectWords(`A new order needs a new psp_order_code.*payable_amount.*psp-r1`)},
			{
				// The same amount spelled differently is no change at all: no update, no request.
				PreConfig: func() { before = len(env.sandbox.Requests()) },
				Config:    line("psp-r1", "10"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("payable_amount"), knownvalue.StringExact("10.00"))},
				Check: func(*terraform.State) error {
					for _, r := range env.sandbox.Requests()[before:] {
						if r.Method != http.MethodGet {
							return fmt.Errorf("respelling an amount sent %s %s", r.Method, r.Path)
						}
					}
					return nil
				},
			},
			{
				Config: line("psp-r2", "12.00"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(orderAddr, plancheck.ResourceActionDestroyBeforeCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(s *terraform.State) error {
					if err := env.checkOrderStatus("psp-r1", cobo.StatusExpired)(s); err != nil {
						return fmt.Errorf("the replaced order should have been expired: %w", err)
					}
					return env.checkOrderStatus("psp-r2", cobo.StatusPending)(s)
				},
			},
		},
	})
	if posts := env.requests(http.MethodPost, "/v2/payments/orders"); len(posts) != 2 {
		t.Errorf("want 2 creates (original and replacement), got %d", len(posts))
	}
}

func TestAccPaymentOrder_destroyInEachStatus(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name            string
		expireOnDestroy bool
		prepare         func(env *testEnv, orderID string)
		wantStatus      string // in Cobo after the destroy
		wantPuts        int
	}{
		{"pending expired", true, nil, cobo.StatusExpired, 1},
		{"pending kept", false, nil, cobo.StatusPending, 0},
		{"processing kept", true, func(e *testEnv, id string) { e.pay(id, "1.00", true) }, cobo.StatusProcessing, 0},
		{"completed kept", true, func(e *testEnv, id string) { e.pay(id, "9.00", true) }, cobo.StatusCompleted, 0},
		{"underpaid kept", true, func(e *testEnv, id string) { e.pay(id, "1.00", true); e.sandbox.Advance(31 * time.Minute) }, cobo.StatusUnderpaid, 0},
		{"already expired", true, func(e *testEnv, id string) { e.sandbox.Advance(31 * time.Minute) }, cobo.StatusExpired, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := newTestEnv(t)
			code := "psp-destroy"
			cfg := env.config(orderConfig(`merchant_id = "M1001"`, `psp_order_code = "`+code+`"`, `payable_currency = "ETH_USDT"`, `fee_amount = "0"`, `payable_amount = "9.00"`,
				fmt.Sprintf("expire_on_destroy = %v", c.expireOnDestroy)))
			unitTest(t, resource.TestCase{
				CheckDestroy: func(s *terraform.State) error {
					if err := env.checkOrderStatus(code, c.wantStatus)(s); err != nil {
						return err
					}
					if puts := env.requests(http.MethodPut, "/v2/payments/orders/"); len(puts) != c.wantPuts {
						return fmt.Errorf("want %d PUTs on destroy, got %d", c.wantPuts, len(puts))
					}
					return nil
				},
				Steps: []resource.TestStep{
					{Config: cfg},
					{
						PreConfig: func() {
							if c.prepare != nil {
								c.prepare(env, env.orderByPsp(code).OrderID)
							}
						},
						Config:           cfg,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
					},
				},
			})
		})
	}
}

func TestAccPaymentOrder_importBlockOfAnExistingOrder(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	existing := env.seedOrder(cobo.CreateOrderRequest{
		MerchantID: "M7", PspOrderCode: "psp-ext", FeeAmount: "1.00", PayableCurrency: "SOL_USDT",
		PricingCurrency: "EUR", PricingAmount: "50.00", ExpiredIn: ptr(int64(3600)), AmountTolerance: "0.1",
	})
	resourceCfg := func(extra ...string) string {
		return orderConfig(append([]string{`merchant_id = "M7"`, `psp_order_code = "psp-ext"`, `payable_currency = "SOL_USDT"`, `fee_amount = "1.00"`,
			`pricing_currency = "EUR"`, `pricing_amount = "50.00"`, `amount_tolerance = "0.1"`}, extra...)...)
	}
	importBlock := fmt.Sprintf("import {\n  to = %s\n  id = %q\n}\n", orderAddr, existing.OrderID)
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: env.config(importBlock + resourceCfg()),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(orderAddr, plancheck.ResourceActionNoop)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: append(expectOrderAt(orderAddr, existing),
					statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("expired_in"), knownvalue.Null())),
			},
			{
				// expired_in is not returned by Cobo: configuring it after an import is an in-place
				// state change, never a replacement, and sends nothing to Cobo.
				PreConfig: func() { env.sandbox.ResetRequests() },
				Config:    env.config(resourceCfg(`expired_in = 3600`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(orderAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(*terraform.State) error {
					for _, r := range env.sandbox.Requests() {
						if r.Method != http.MethodGet {
							return fmt.Errorf("setting expired_in after import sent %s %s", r.Method, r.Path)
						}
					}
					return nil
				},
			},
			// And by the testing framework's import block kind (a plannable import): the order matches
			// the configuration, nothing to change.
			importBlockChangingNothing(orderAddr, resource.ImportBlockWithID, env.config(resourceCfg())),
		},
	})
}

// sandboxOrderCheck checks every attribute of the resource against the order as the sandbox has it
// when the check runs (after the step's apply and refresh).
type sandboxOrderCheck struct {
	env       *testEnv
	addr, psp string
}

func (c sandboxOrderCheck) CheckState(ctx context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	for _, o := range c.env.sandbox.Orders(c.env.apiKey) {
		if o.PspOrderCode != c.psp {
			continue
		}
		for _, check := range expectOrderAt(c.addr, &o) {
			check.CheckState(ctx, req, resp)
			if resp.Error != nil {
				return
			}
		}
		return
	}
	resp.Error = fmt.Errorf("the sandbox has no order with psp_order_code %q", c.psp)
}

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

// readAheadCount is more orders than read-ahead waits for (10) and fewer than one list page (50).
const readAheadCount = 30

// seedVaried creates n orders outside Terraform and pays into every third one, so the orders differ in
// status, amounts and transactions.
func (e *testEnv) seedVaried(prefix string, n int) []*cobo.Order {
	e.t.Helper()
	orders := e.seedMany("M1001", prefix, n)
	for i := 0; i < n; i += 3 {
		e.pay(orders[i].OrderID, "5.00", true)
	}
	return orders
}

// seedForDataSources seeds readAheadCount varied orders, takes the checks of their data sources
// (expectCurrentOrders) and then forgets the requests, so that a test counts only its reads.
func (e *testEnv) seedForDataSources(prefix string) ([]*cobo.Order, []statecheck.StateCheck) {
	e.t.Helper()
	orders := e.seedVaried(prefix, readAheadCount)
	expected := e.expectCurrentOrders(orders)
	e.sandbox.ResetRequests()
	return orders, expected
}

// dataSourcesConfig declares one cobo_payment_order data source per order.
func dataSourcesConfig(orders []*cobo.Order) string {
	var b strings.Builder
	for i, o := range orders {
		fmt.Fprintf(&b, "data \"cobo_payment_order\" \"o%d\" { order_id = %q }\n", i, o.OrderID)
	}
	return b.String()
}

// expectCurrentOrders checks every attribute of every data source against the sandbox's order now.
func (e *testEnv) expectCurrentOrders(orders []*cobo.Order) []statecheck.StateCheck {
	var checks []statecheck.StateCheck
	for i, o := range orders {
		current, err := e.client.GetPaymentOrder(e.t.Context(), o.OrderID)
		if err != nil {
			e.t.Fatal(err)
		}
		checks = append(checks, expectOrderAt(fmt.Sprintf("data.cobo_payment_order.o%d", i), current)...)
	}
	return checks
}

func TestAccReadAhead_dataSourcesReadFromListPages(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	orders, expected := env.seedForDataSources("ra-ds")
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:            env.config(dataSourcesConfig(orders)),
			ConfigStateChecks: expected,
			ConfigPlanChecks:  resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			Check: func(*terraform.State) error {
				// Every Terraform command is a new provider with its own read-ahead; 30 orders fit one
				// page, so each command that reads them lists exactly one page.
				reads := sandbox.ClassifyReads(env.sandbox.Requests())
				total, pages := reads.GetCount(), len(reads.Pages)
				switch {
				case len(reads.Other) != 0:
					return fmt.Errorf("requests other than reads: %+v", reads.Other)
				case pages == 0:
					return fmt.Errorf("no list page: read-ahead did not start (GETs: %d)", total)
				case total > pages*readAheadCount*2/3:
					return fmt.Errorf("%d commands read %d orders each with %d GETs: read-ahead answered too few of them", pages, readAheadCount, total)
				}
				return nil
			},
		}},
	})
}

func TestAccReadAhead_offReadsEachOrderWithOneGET(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	orders, expected := env.seedForDataSources("ra-off")
	config := strings.Replace(env.providerBlock(), "max_retries = 2", "max_retries = 2\n  read_ahead  = false", 1) + dataSourcesConfig(orders)
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:            config,
			ConfigStateChecks: expected,
			Check: func(*terraform.State) error {
				reads := sandbox.ClassifyReads(env.sandbox.Requests())
				gets := reads.Gets
				if len(reads.Pages) != 0 || len(reads.Other) != 0 || len(gets) != readAheadCount {
					return fmt.Errorf("with read_ahead = false: %d list pages, %d other requests, %d of %d orders read", len(reads.Pages), len(reads.Other), len(gets), readAheadCount)
				}
				first := gets[orders[0].OrderID]
				for id, n := range gets {
					if n != first {
						return fmt.Errorf("order %s was read %d times and order %s %d times: every command reads each order once", id, n, orders[0].OrderID, first)
					}
				}
				return nil
			},
		}},
	})
}

// Resources refreshed through read-ahead see payments made outside Terraform, plan no changes, and
// an expiry through Terraform is never undone by a page listed before it.
func TestAccReadAhead_resourcesRefreshAndExpire(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	var b strings.Builder
	for i := range readAheadCount {
		fmt.Fprintf(&b, `resource "cobo_payment_order" "o%d" {
  merchant_id      = "M1001"
  psp_order_code   = "ra-res-%02d"
  payable_currency = "ETH_USDT"
  fee_amount       = "0"
  payable_amount   = "10.00"
  expired          = %t
}
`, i, i, i == 7)
	}
	created := env.config(strings.ReplaceAll(b.String(), "expired          = true", "expired          = false"))
	expireOne := env.config(b.String())
	status := func(i int, s string) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(fmt.Sprintf("cobo_payment_order.o%d", i), tfjsonpath.New("status"), knownvalue.StringExact(s))
	}
	var checks []statecheck.StateCheck
	for i := range readAheadCount {
		switch {
		case i == 7:
			checks = append(checks, status(i, cobo.StatusExpired))
		case i%5 == 0:
			checks = append(checks, status(i, cobo.StatusCompleted))
		default:
			checks = append(checks, status(i, cobo.StatusPending))
		}
	}
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: created, ConfigPlanChecks: emptyPlanAfterApply},
			{
				PreConfig: func() {
					for i := 0; i < readAheadCount; i += 5 {
						env.pay(env.orderByPsp(fmt.Sprintf("ra-res-%02d", i)).OrderID, "10.00", true)
					}
					env.sandbox.ResetRequests()
				},
				Config: expireOne,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction("cobo_payment_order.o7", plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: checks,
				Check: func(*terraform.State) error {
					if len(sandbox.ClassifyReads(env.sandbox.Requests()).Pages) == 0 {
						return fmt.Errorf("the refreshes of %d resources listed no page", readAheadCount)
					}
					return nil
				},
			},
		},
	})
}

const proxyHTML = "<html><head><title>429 Too Many Requests</title></head><body><h1>Too Many Requests</h1></body></html>"

// statuses returns the HTTP statuses the sandbox answered for requests of that method and path prefix.
func (e *testEnv) statuses(method, pathPrefix string) []int {
	var out []int
	for _, r := range e.requests(method, pathPrefix) {
		out = append(out, r.Status)
	}
	return out
}

func TestAccReliability_refreshSurvives429And503(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	cfg := env.config(orderConfig(`merchant_id = "M1"`, `psp_order_code = "psp-429"`, `payable_currency = "ETH_USDT"`, `fee_amount = "0"`, `payable_amount = "3.00"`))
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: func() {
					env.sandbox.ResetRequests()
					orderPath := "/v2/payments/orders/" + env.orderByPsp("psp-429").OrderID
					env.sandbox.AddFault(sandbox.Fault{Method: http.MethodGet, Path: orderPath, Status: http.StatusTooManyRequests, Body: proxyHTML, ContentType: "text/html", RetryAfter: "1", Times: 1})
					env.sandbox.AddFault(sandbox.Fault{Method: http.MethodGet, Path: orderPath, Status: http.StatusServiceUnavailable, Times: 1})
				},
				Config:           cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: func(*terraform.State) error {
					got := env.statuses(http.MethodGet, "/v2/payments/orders/")
					if len(got) < 3 || got[0] != 429 || got[1] != 503 || got[2] != 200 {
						return fmt.Errorf("want the refresh to see 429, then 503, then succeed; statuses: %v", got)
					}
					return nil
				},
			},
		},
	})
}

func TestAccReliability_droppedConnectionAfterCommittedCreateMakesOneOrder(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	env.sandbox.AddFault(sandbox.Fault{Method: http.MethodPost, Path: "/v2/payments/orders", DropConnection: true, AfterCommit: true, Times: 1})
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:           env.config(orderConfig(`merchant_id = "M1"`, `psp_order_code = "psp-drop"`, `payable_currency = "ETH_USDT"`, `fee_amount = "0"`, `payable_amount = "3.00"`)),
			ConfigPlanChecks: emptyPlanAfterApply,
			Check: func(s *terraform.State) error {
				if n := env.sandbox.OrderCountByPspOrderCode(env.apiKey, "psp-drop"); n != 1 {
					return fmt.Errorf("want exactly one order for psp-drop, the sandbox has %d", n)
				}
				if posts := env.requests(http.MethodPost, "/v2/payments/orders"); len(posts) != 1 {
					return fmt.Errorf("the create must not be repeated once the order is found; %d POSTs", len(posts))
				}
				if got, want := s.RootModule().Resources[orderAddr].Primary.ID, env.orderByPsp("psp-drop").OrderID; got != want {
					return fmt.Errorf("state has order %s, the sandbox has %s", got, want)
				}
				return nil
			},
		}},
	})
}

func TestAccReliability_droppedConnectionBeforeCommitCreatesOnRetry(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	env.sandbox.AddFault(sandbox.Fault{Method: http.MethodPost, Path: "/v2/payments/orders", DropConnection: true, Times: 1})
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: env.config(orderConfig(`merchant_id = "M1"`, `psp_order_code = "psp-lost"`, `payable_currency = "ETH_USDT"`, `fee_amount = "0"`, `payable_amount = "3.00"`)),
			Check: func(*terraform.State) error {
				if n := env.sandbox.OrderCountByPspOrderCode(env.apiKey, "psp-lost"); n != 1 {
					return fmt.Errorf("want exactly one order for psp-lost, the sandbox has %d", n)
				}
				if posts := env.requests(http.MethodPost, "/v2/payments/orders"); len(posts) != 2 {
					return fmt.Errorf("want the lost create sent again once (2 POSTs), got %d", len(posts))
				}
				return nil
			},
		}},
	})
}

func TestAccReliability_putFailingOnceIsRetried(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	base := []string{`merchant_id = "M1"`, `psp_order_code = "psp-put"`, `payable_currency = "ETH_USDT"`, `fee_amount = "0"`, `payable_amount = "3.00"`}
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: env.config(orderConfig(base...))},
			{
				PreConfig: func() {
					env.sandbox.AddFault(sandbox.Fault{Method: http.MethodPut, Path: "/v2/payments/orders/", Status: http.StatusBadGateway, Body: "<html>502 Bad Gateway</html>", ContentType: "text/html", Times: 1})
				},
				Config:            env.config(orderConfig(append(base, `expired = true`)...)),
				ConfigPlanChecks:  emptyPlanAfterApply,
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("status"), knownvalue.StringExact("Expired"))},
				Check: func(*terraform.State) error {
					if got := env.statuses(http.MethodPut, "/v2/payments/orders/"); fmt.Sprint(got) != "[502 200]" {
						return fmt.Errorf("want a 502 then a successful retry, got %v", got)
					}
					return nil
				},
			},
		},
	})
}

func TestAccReliability_retriesGiveUpSayingHowManyAttemptsAndWhatCoboAnswered(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	env.sandbox.AddFault(sandbox.Fault{Method: http.MethodGet, Path: "/v2/payments/orders/O-flaky", Status: http.StatusServiceUnavailable,
		Body: `{"error_code":2000,"error_message":"internal error","error_id":"err-503"}`, ContentType: "application/json", Times: 100})
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:      env.config(`data "cobo_payment_order" "x" { order_id = "O-flaky" }`), // max_retries = 2
			ExpectError: expectWords(`HTTP\s+503,\s+error_code\s+2000.*internal error.*err-503.*gave\s+up\s+after\s+3\s+attempts`),
		}},
	})
	if got := len(env.requests(http.MethodGet, "/v2/payments/orders/O-flaky")); got < 3 || got%3 != 0 {
		t.Errorf("want each read to make exactly max_retries+1 = 3 attempts; saw %d requests", got)
	}
}

// TestAccSecrets_neverInTraceLogsStateOrPlans runs a create, an expiry and a destroy with TF_LOG=TRACE
// and searches everything Terraform and the provider wrote for the secret and for any signature.
func TestAccSecrets_neverInTraceLogsStateOrPlans(t *testing.T) {
	env := newTestEnv(t)
	// The secret comes from the environment, as it should in real use: the testing framework logs the
	// test configuration itself, which is not the provider's output.
	t.Setenv(EnvAPISecret, env.secret)
	providerBlock := fmt.Sprintf("provider \"cobo\" {\n  host = %q\n}\n", env.server.BaseURL)
	logPath := filepath.Join(t.TempDir(), "trace.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_LOG_SDK", "TRACE")
	t.Setenv("TF_LOG_PROVIDER", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logPath)
	base := []string{`merchant_id = "M1"`, `psp_order_code = "psp-trace"`, `payable_currency = "ETH_USDT"`, `fee_amount = "0"`, `payable_amount = "3.00"`}
	var stateDump string
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: providerBlock + orderConfig(base...)},
			{
				Config:            providerBlock + orderConfig(append(base, `expired = true`)...),
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("status"), knownvalue.StringExact("Expired"))},
				Check: func(s *terraform.State) error {
					stateDump = s.String()
					return nil
				},
			},
		},
	})
	raw, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	logs := string(raw)
	// The log must be a real TRACE log that includes the provider's own requests.
	for _, want := range []string{"[TRACE]", "Cobo API request", "/payments/orders"} {
		if !strings.Contains(logs, want) {
			t.Fatalf("the TRACE log lacks %q; the test would prove nothing", want)
		}
	}
	if strings.Contains(logs, env.secret) {
		i := strings.Index(logs, env.secret)
		t.Errorf("the API secret appears in the TRACE log: …%s…", logs[max(0, i-300):i])
	}
	if strings.Contains(stateDump, env.secret) {
		t.Error("the API secret appears in the state")
	}
	if sig := regexp.MustCompile(`[0-9a-fA-F]{128}`).FindString(logs); sig != "" {
		t.Errorf("a signature-like 128-hex string appears in the TRACE log: %s…", sig[:16])
	}
}
