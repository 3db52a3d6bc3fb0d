package provider

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

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

func TestAccPaymentOrder_importRejectsAMalformedID(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:        env.config(orderConfig(`merchant_id = "M7"`, `psp_order_code = "psp-imp"`, `payable_currency = "SOL_USDT"`, `fee_amount = "1"`, `pricing_amount = "5"`)),
			ResourceName:  orderAddr,
			ImportState:   true,
			ImportStateId: "../payments/orders",
			ExpectError:   regexp.MustCompile(`(?s)Invalid import ID.*order_id`),
		}},
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
