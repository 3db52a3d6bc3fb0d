package provider

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
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

const (
	refundAddr     = "cobo_payment_refund.test"
	refundMerchant = "M-refund"
	refundToken    = "ETH_USDT"
)

// newRefundTestEnv is newTestEnv with the sandbox clock stopped, so that a refund moves on only when
// a test advances it (on a busy machine, 10 s of wall time can pass between two steps).
func newRefundTestEnv(t *testing.T) *testEnv {
	t.Helper()
	start := time.Now()
	return newTestEnvWith(t, sandbox.Options{Now: func() time.Time { return start }})
}

// refundConfig renders a cobo_payment_refund.test block from attribute lines.
func refundConfig(lines ...string) string {
	return "resource \"cobo_payment_refund\" \"test\" {\n  " + strings.Join(lines, "\n  ") + "\n}\n"
}

// paidOrder seeds an order of 100 ETH_USDT with a fee of 20 for refundMerchant and pays it in full:
// the merchant's ETH_USDT balance is then 80 and the developer's 20.
func (e *testEnv) paidOrder(psp string) *cobo.Order {
	e.t.Helper()
	o := e.seedOrder(cobo.CreateOrderRequest{MerchantID: refundMerchant, PspOrderCode: psp, PayableCurrency: refundToken, PayableAmount: "100", FeeAmount: "20"})
	e.pay(o.OrderID, "100", true)
	return o
}

// refundByRequestID is the refund Cobo holds under requestID (the test fails when there is none).
func (e *testEnv) refundByRequestID(requestID string) *cobo.Refund {
	e.t.Helper()
	r, err := e.client.FindRefundByRequestID(e.t.Context(), requestID)
	if err != nil || r == nil {
		e.t.Fatalf("refund with request_id %q: %v (found %v)", requestID, err, r)
	}
	return r
}

// expectBalance checks an account's ETH_USDT balance in the sandbox.
func (e *testEnv) expectBalance(account, want string) func(*terraform.State) error {
	return func(*terraform.State) error {
		if got := e.sandbox.BalanceOf(e.apiKey, account, refundToken).Total; !cobo.SameDecimal(got, want) {
			return fmt.Errorf("the %s balance is %s, want %s", account, got, want)
		}
		return nil
	}
}

// expectRefund checks what Cobo holds under requestID.
func (e *testEnv) expectRefund(requestID, status, failedReason string) func(*terraform.State) error {
	return func(*terraform.State) error {
		r := e.refundByRequestID(requestID)
		if r.Status != status || r.FailedReason != failedReason {
			return fmt.Errorf("refund %s is %s (%q), want %s (%q)", r.RefundID, r.Status, r.FailedReason, status, failedReason)
		}
		return nil
	}
}

func expectRefundStatus(status string) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(refundAddr, tfjsonpath.New("status"), knownvalue.StringExact(status))
}

// A Psp refund without to_address waits; setting to_address later is an update in place; the status
// then advances on the sandbox clock with empty plans; import reads back every input.
func TestAccPaymentRefund_pspRefundFollowsItsStatusWithoutADiff(t *testing.T) {
	t.Parallel()
	env := newRefundTestEnv(t)
	order := env.paidOrder("psp-refund-psp")
	lines := []string{`request_id = "rq-psp"`, `order_id = "` + order.OrderID + `"`, `token_id = "ETH_USDT"`, `payable_amount = "5.00"`, `refund_type = "Psp"`}
	withAddress := env.config(refundConfig(append(lines, `to_address = "0x1111111111111111111111111111111111111111"`)...))
	unitTest(t, resource.TestCase{
		CheckDestroy: env.expectRefund("rq-psp", cobo.RefundStatusCompleted, ""),
		Steps: []resource.TestStep{
			{
				Config:           env.config(refundConfig(lines...)),
				ConfigPlanChecks: emptyPlanAfterApply,
				ConfigStateChecks: []statecheck.StateCheck{
					expectRefundStatus(cobo.RefundStatusPendingConfirmation),
					statecheck.ExpectKnownValue(refundAddr, tfjsonpath.New("to_address"), knownvalue.Null()),
					statecheck.ExpectKnownValue(refundAddr, tfjsonpath.New("chain_id"), knownvalue.StringExact("ETH")),
				},
				Check: env.expectBalance(sandbox.DeveloperAccount, "15"),
			},
			{
				Config:            withAddress,
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(refundAddr, plancheck.ResourceActionUpdate)}, PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{expectRefundStatus(cobo.RefundStatusPending)},
			},
			{
				PreConfig:         func() { env.sandbox.Advance(cobo.RefundProcessingDelay + time.Second) },
				Config:            withAddress,
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{expectRefundStatus(cobo.RefundStatusProcessing)},
			},
			{ResourceName: refundAddr, ImportState: true, ImportStateVerify: true},
			{
				PreConfig:         func() { env.sandbox.Advance(cobo.RefundCompletionDelay) },
				Config:            withAddress,
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{expectRefundStatus(cobo.RefundStatusCompleted)},
			},
		},
	})
}

// A Merchant refund with a fee takes payable_amount from the merchant; the payer gets it less the
// fee; destroying the Pending refund cancels it and gives the amount back.
func TestAccPaymentRefund_merchantRefundIsCancelledOnDestroy(t *testing.T) {
	t.Parallel()
	env := newRefundTestEnv(t)
	order := env.paidOrder("psp-refund-merchant")
	cfg := env.config(refundConfig(`request_id = "rq-merchant"`, `order_id = "`+order.OrderID+`"`, `merchant_id = "`+refundMerchant+`"`, `token_id = "ETH_USDT"`,
		`payable_amount = "10.00"`, `refund_type = "Merchant"`, `to_address = "0x2222222222222222222222222222222222222222"`,
		`charge_merchant_fee = true`, `merchant_fee_amount = "1.00"`))
	unitTest(t, resource.TestCase{
		CheckDestroy: resource.ComposeTestCheckFunc(
			env.expectRefund("rq-merchant", cobo.RefundStatusFailed, cobo.RefundCancelledReason),
			env.expectBalance(refundMerchant, "80")),
		Steps: []resource.TestStep{
			{
				Config:           cfg,
				ConfigPlanChecks: emptyPlanAfterApply,
				ConfigStateChecks: []statecheck.StateCheck{
					expectRefundStatus(cobo.RefundStatusPending),
					statecheck.ExpectKnownValue(refundAddr, tfjsonpath.New("amount"), knownvalue.StringExact("9.00")),
					statecheck.ExpectKnownValue(refundAddr, tfjsonpath.New("cancel_on_destroy"), knownvalue.Bool(true)),
				},
				Check: env.expectBalance(refundMerchant, "70"),
			},
			{ResourceName: refundAddr, ImportState: true, ImportStateVerify: true},
		},
	})
}

// A refund Cobo has completed cannot be cancelled: destroy removes it from the state with a warning
// that its money has moved, and sends no cancel.
func TestAccPaymentRefund_destroyAfterCompletedWarns(t *testing.T) {
	t.Parallel()
	env := newRefundTestEnv(t)
	env.paidOrder("psp-refund-done")
	tf := newCLIWorkspace(t)
	tf.write("main.tf", requiredProviders+env.config(refundConfig(`request_id = "rq-done"`, `token_id = "ETH_USDT"`, `payable_amount = "2"`, `refund_type = "Psp"`,
		`to_address = "0x3333333333333333333333333333333333333333"`)))
	tf.mustRun("init", "-input=false")
	tf.mustRun("apply", "-input=false", "-auto-approve")
	env.sandbox.Advance(cobo.RefundCompletionDelay + time.Second)
	out := tf.mustRun("destroy", "-input=false", "-auto-approve", "-json")
	// Terraform gives a destroy's warning no address; the detail names the refund.
	expectWarning(t, out, "Refund left in Cobo; its money has moved", "", "destroy of a Completed refund")
	if cancels := env.requests(http.MethodPut, "/v2/payments/refunds"); len(cancels) != 0 {
		t.Errorf("destroy sent %d PUTs to a Completed refund, want none", len(cancels))
	}
	if err := env.expectRefund("rq-done", cobo.RefundStatusCompleted, "")(nil); err != nil {
		t.Error(err)
	}
}

// A new refund without to_address is valid, but Cobo holds it in PendingConfirmation, paying nothing
// out: the plan warns on to_address before any request. With to_address there is no such warning.
func TestAccPaymentRefund_noToAddressWarnsAtPlanTime(t *testing.T) {
	t.Parallel()
	env := newRefundTestEnv(t)
	lines := []string{`request_id = "rq-noaddr"`, `token_id = "ETH_USDT"`, `payable_amount = "2"`, `refund_type = "Psp"`}
	tf := newCLIWorkspace(t)
	tf.write("main.tf", requiredProviders+env.config(refundConfig(lines...)))
	tf.mustRun("init", "-input=false")
	out := tf.mustRun("plan", "-input=false", "-json")
	expectWarning(t, out, warnRefundWithoutAddressSummary, refundAddr, "plan of a refund without to_address")
	for _, d := range jsonDiagnostics(out) {
		if d.Summary == warnRefundWithoutAddressSummary && (!strings.Contains(d.Detail, "Set to_address") || !strings.Contains(d.Detail, cobo.RefundStatusPendingConfirmation)) {
			t.Errorf("the warning does not say what waits and what to set: %q", d.Detail)
		}
	}
	env.expectNoRequests("the plan of a refund without to_address")

	tf.write("main.tf", requiredProviders+env.config(refundConfig(append(lines, `to_address = "0x4444444444444444444444444444444444444444"`)...)))
	out = tf.mustRun("plan", "-input=false", "-json")
	expectWarning(t, out, warnRefundWithoutAddressSummary, "", "plan of a refund with to_address")
}

// A token_id Cobo does not document for pay-ins (a typo, most often) warns at plan time, on token_id
// and before any request, as an order's payable_currency does; Cobo still judges it at apply.
func TestAccPaymentRefund_undocumentedTokenWarnsAtPlanTime(t *testing.T) {
	t.Parallel()
	env := newRefundTestEnv(t)
	tf := newCLIWorkspace(t)
	tf.write("main.tf", requiredProviders+env.config(refundConfig(`request_id = "rq-tok"`, `token_id = "ETH_USTD"`, `payable_amount = "2"`, `refund_type = "Psp"`,
		`to_address = "0x5555555555555555555555555555555555555555"`)))
	tf.mustRun("init", "-input=false")
	out := tf.mustRun("plan", "-input=false", "-json")
	expectWarning(t, out, "Undocumented pay-in token", refundAddr, "plan of a refund in ETH_USTD")
	for _, d := range jsonDiagnostics(out) {
		if d.Summary == "Undocumented pay-in token" && (!strings.Contains(d.Detail, `token_id "ETH_USTD"`) || !strings.Contains(d.Detail, "ETH_USDT") || !strings.Contains(d.Detail, "The refund is still sent")) {
			t.Errorf("the warning does not name token_id, its value and the documented tokens: %q", d.Detail)
		}
	}
	env.expectNoRequests("the plan of a refund in an undocumented token")
}

// Every argument rule is a plan-time error naming the attribute, with no request.
func TestAccPaymentRefund_badInputIsAPlanTimeError(t *testing.T) {
	t.Parallel()
	env := newRefundTestEnv(t)
	base := []string{`request_id = "rq-bad"`, `token_id = "ETH_USDT"`}
	merchant := append([]string{`refund_type = "Merchant"`, `merchant_id = "M1"`, `payable_amount = "10"`}, base...)
	cases := []struct {
		lines []string
		want  string
	}{
		{append([]string{`refund_type = "Psp"`, `payable_amount = "0"`}, base...), `Invalid payable_amount.*"0" is zero`},
		{append([]string{`refund_type = "Psp"`, `payable_amount = "1.234"`}, base...), `Invalid payable_amount.*has 3 decimal places`},
		{append([]string{`refund_type = "Other"`, `payable_amount = "1"`}, base...), `refund_type.*value must be one of.*"Merchant".*"Psp"`},
		{append([]string{`refund_type = "Merchant"`, `payable_amount = "1"`}, base...), `Missing merchant_id.*refund_type = "Merchant"`},
		{append([]string{`refund_type = "Psp"`, `payable_amount = "1"`, `charge_merchant_fee = true`}, base...), `Merchant fee on a Psp refund.*charge_merchant_fee applies only`},
		{append([]string{`charge_merchant_fee = true`}, merchant...), `Missing merchant_fee_amount`},
		{append([]string{`merchant_fee_amount = "1"`}, merchant...), `merchant_fee_amount without charge_merchant_fee`},
		{append([]string{`charge_merchant_fee = true`, `merchant_fee_amount = "10"`}, merchant...), `Merchant fee not below the amount.*merchant_fee_amount 10 must be below payable_amount 10`},
		{append([]string{`charge_merchant_fee = true`, `merchant_fee_amount = "1"`, `merchant_fee_token_id = "TRON_USDT"`}, merchant...), `Invalid merchant_fee_token_id.*must be token_id "ETH_USDT"`},
		{append([]string{`to_address = " "`}, merchant...), `Invalid to_address.*must not be empty or blank`},
		{append([]string{`order_id = "O/1"`}, merchant...), `Invalid order_id`},
	}
	steps := make([]resource.TestStep, 0, len(cases))
	for _, c := range cases {
		steps = append(steps, resource.TestStep{Config: env.config(refundConfig(c.lines...)), PlanOnly: true, ExpectError: expectWords(c.want)})
	}
	unitTest(t, resource.TestCase{Steps: steps})
	env.expectNoRequests("a bad refund configuration")
}

// Another amount under the same request_id is a plan-time error; a new request_id replaces the
// refund, cancelling the old one.
func TestAccPaymentRefund_moneyChangeNeedsANewRequestID(t *testing.T) {
	t.Parallel()
	env := newRefundTestEnv(t)
	env.paidOrder("psp-refund-money")
	refund := func(requestID, amount string) string {
		return env.config(refundConfig(`request_id = "`+requestID+`"`, `merchant_id = "`+refundMerchant+`"`, `token_id = "ETH_USDT"`, `payable_amount = "`+amount+`"`, `refund_type = "Merchant"`))
	}
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: refund("rq-money-1", "10"), ConfigPlanChecks: emptyPlanAfterApply},
			{Config: refund("rq-money-1", "10.00"), PlanOnly: true}, // respelled: no change
			{
				PreConfig:   func() { env.sandbox.ResetRequests() },
				Config:      refund("rq-money-1", "12"),
				ExpectError: expectWords(`A new refund needs a new request_id.*payable_amount.*set a new request_id`),
			},
			{
				PreConfig: func() {
					for _, r := range env.sandbox.Requests() {
						if r.Method != http.MethodGet {
							t.Errorf("the refused plan sent %s %s", r.Method, r.Path)
						}
					}
				},
				Config:           refund("rq-money-2", "12"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(refundAddr, plancheck.ResourceActionDestroyBeforeCreate)}},
				Check: resource.ComposeTestCheckFunc(
					env.expectRefund("rq-money-1", cobo.RefundStatusFailed, cobo.RefundCancelledReason),
					env.expectBalance(refundMerchant, "68")),
			},
		},
	})
}

// A create whose answer was lost is looked up by request_id and adopted: one refund, one POST.
func TestAccPaymentRefund_adoptsTheRefundOfALostAnswer(t *testing.T) {
	t.Parallel()
	env := newRefundTestEnv(t)
	env.paidOrder("psp-refund-adopt")
	env.sandbox.AddFault(sandbox.Fault{Method: http.MethodPost, Path: "/v2/payments/refunds", DropConnection: true, AfterCommit: true})
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:           env.config(refundConfig(`request_id = "rq-adopt"`, `token_id = "ETH_USDT"`, `payable_amount = "3"`, `refund_type = "Psp"`)),
			ConfigPlanChecks: emptyPlanAfterApply,
			Check: func(*terraform.State) error {
				if posts := env.requests(http.MethodPost, "/v2/payments/refunds"); len(posts) != 1 {
					return fmt.Errorf("want 1 POST (answered by a dropped connection), got %d", len(posts))
				}
				return env.expectBalance(sandbox.DeveloperAccount, "17")(nil)
			},
		}},
	})
}

// A request_id another refund holds, with other money, is not adopted: an error with an import block.
func TestAccPaymentRefund_requestIDOfAnotherRefundIsAnError(t *testing.T) {
	t.Parallel()
	env := newRefundTestEnv(t)
	env.paidOrder("psp-refund-taken")
	if _, err := env.client.CreateRefund(t.Context(), cobo.CreateRefundRequest{RequestID: "rq-taken", TokenID: refundToken, PayableAmount: "4", RefundType: cobo.RefundTypePsp}); err != nil {
		t.Fatal(err)
	}
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:      env.config(refundConfig(`request_id = "rq-taken"`, `token_id = "ETH_USDT"`, `payable_amount = "3"`, `refund_type = "Psp"`)),
			ExpectError: expectWords(`request_id already belongs to another refund.*payable_amount: the configuration has "3", Cobo's refund has "4.00".*import {`),
		}},
	})
}

// Two resources with one request_id are a plan-time error naming the key, with no request.
func TestAccPaymentRefund_oneRequestIDForTwoResourcesIsAnError(t *testing.T) {
	t.Parallel()
	env := newRefundTestEnv(t)
	env.paidOrder("psp-refund-two")
	env.sandbox.ResetRequests()
	body := `{
  request_id     = "rq-two"
  token_id       = "ETH_USDT"
  payable_amount = "1"
  refund_type    = "Psp"
}
`
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:      env.config(`resource "cobo_payment_refund" "a" ` + body + `resource "cobo_payment_refund" "b" ` + body),
			PlanOnly:    true,
			ExpectError: expectWords(`request_id used by two resources.*request_id "rq-two" is claimed by two cobo_payment_refund resources.*Give each resource its own request_id`),
		}},
	})
	env.expectNoRequests("a plan with one request_id for two refunds")
}

// With order_id, the order must be in the refund's token and paid; a refund above what it received
// is only warned about.
func TestAccPaymentRefund_orderIsCheckedAtApply(t *testing.T) {
	t.Parallel()
	env := newRefundTestEnv(t)
	paid := env.paidOrder("psp-refund-check")
	unpaid := env.seedOrder(cobo.CreateOrderRequest{MerchantID: refundMerchant, PspOrderCode: "psp-refund-unpaid", PayableCurrency: refundToken, PayableAmount: "100", FeeAmount: "0"})
	// Another merchant with money of its own, which a Merchant refund of paid must not take.
	other := env.seedOrder(cobo.CreateOrderRequest{MerchantID: "M-other", PspOrderCode: "psp-refund-other", PayableCurrency: refundToken, PayableAmount: "100", FeeAmount: "0"})
	env.pay(other.OrderID, "100", true)
	cfg := func(orderID, token string) string {
		return env.config(refundConfig(`request_id = "rq-check"`, `order_id = "`+orderID+`"`, `token_id = "`+token+`"`, `payable_amount = "1"`, `refund_type = "Psp"`))
	}
	fromOther := env.config(refundConfig(`request_id = "rq-check"`, `order_id = "`+paid.OrderID+`"`, `token_id = "ETH_USDT"`, `payable_amount = "1"`,
		`refund_type = "Merchant"`, `merchant_id = "M-other"`))
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: cfg(paid.OrderID, "TRON_USDT"), ExpectError: expectWords(`Refund token differs from the order's.*paid in ETH_USDT.*set token_id = "ETH_USDT"`)},
			{Config: cfg(unpaid.OrderID, refundToken), ExpectError: expectWords(`Order received no money.*Pending and has received nothing`)},
			{Config: fromOther, ExpectError: expectWords(`Refund merchant differs from the order's.*paid merchant ` + refundMerchant + `.*merchant "M-other".*set merchant_id = "` + refundMerchant + `"`)},
		},
	})
	if posts := env.requests(http.MethodPost, "/v2/payments/refunds"); len(posts) != 0 {
		t.Errorf("refused refunds sent %d POSTs", len(posts))
	}
}

var refundNotFoundCase = notFoundCase{
	addr: refundAddr, summary: "Refund",
	body: refundConfig(`request_id = "rq-notfound"`, `token_id = "ETH_USDT"`, `payable_amount = "1"`, `refund_type = "Psp"`),
	idOf: func(env *testEnv) string { return env.refundByRequestID("rq-notfound").RefundID },
	seed: func(env *testEnv) { env.paidOrder("psp-refund-notfound") },
}

func TestAccPaymentRefund_notFoundOnRefreshIsAnErrorThatKeepsTheState(t *testing.T) {
	t.Parallel()
	testNotFoundKeepsState(t, refundNotFoundCase)
}

// Terraform >= 1.12: the identity is the refund id, and an import block by identity plans no change.
func TestAccPaymentRefundIdentity_importByIdentity(t *testing.T) {
	t.Parallel()
	env := newRefundTestEnv(t)
	env.paidOrder("psp-refund-ident")
	cfg := env.config(refundConfig(`request_id = "rq-ident"`, `token_id = "ETH_USDT"`, `payable_amount = "1.00"`, `refund_type = "Psp"`))
	identity := func() []statecheck.StateCheck {
		return []statecheck.StateCheck{
			statecheck.ExpectIdentity(refundAddr, map[string]knownvalue.Check{"refund_id": knownvalue.StringExact(env.refundByRequestID("rq-ident").RefundID)}),
			statecheck.ExpectIdentityValueMatchesState(refundAddr, tfjsonpath.New("refund_id")),
		}
	}
	unitTest(t, resource.TestCase{
		TerraformVersionChecks: skipBelowIdentity,
		Steps: []resource.TestStep{
			{Config: cfg, ConfigPlanChecks: emptyPlanAfterApply, ConfigStateChecks: []statecheck.StateCheck{lazyChecks(identity)}},
			{
				Config: cfg, ResourceName: refundAddr, ImportState: true, ImportStateKind: resource.ImportBlockWithResourceIdentity,
				ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(refundAddr, plancheck.ResourceActionNoop)}},
			},
		},
	})
}

// A refund with the same arguments that Cobo has already completed is no interrupted apply's: it is
// not adopted.
func TestAccPaymentRefund_completedRefundIsNotAdopted(t *testing.T) {
	t.Parallel()
	env := newRefundTestEnv(t)
	env.paidOrder("psp-refund-final")
	res, err := env.client.CreateRefund(t.Context(), cobo.CreateRefundRequest{RequestID: "rq-final", TokenID: refundToken, PayableAmount: "2", RefundType: cobo.RefundTypePsp, ToAddress: "0x5555555555555555555555555555555555555555"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.sandbox.CompleteRefund(res.Refund.RefundID); err != nil {
		t.Fatal(err)
	}
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: env.config(refundConfig(`request_id = "rq-final"`, `token_id = "ETH_USDT"`, `payable_amount = "2"`, `refund_type = "Psp"`,
				`to_address = "0x5555555555555555555555555555555555555555"`)),
			ExpectError: expectWords(`request_id already belongs to another refund.*not adopted: it is Completed.*id = "` + res.Refund.RefundID + `"`),
		}},
	})
}

// The data source reads one refund by refund_id or by request_id, the same refund either way, with
// payable_amount as amount plus the fee (cobo.RefundAmountIsNet).
func TestAccPaymentRefundDataSource_byRefundIDAndByRequestID(t *testing.T) {
	t.Parallel()
	env := newRefundTestEnv(t)
	env.paidOrder("psp-refund-ds")
	res, err := env.client.CreateRefund(t.Context(), cobo.CreateRefundRequest{RequestID: "rq-ds", MerchantID: refundMerchant, TokenID: refundToken, PayableAmount: "6.00",
		RefundType: cobo.RefundTypeMerchant, ChargeMerchantFee: ptr(true), MerchantFeeAmount: "0.50"})
	if err != nil {
		t.Fatal(err)
	}
	byID, byRequest := "data.cobo_payment_refund.by_id", "data.cobo_payment_refund.by_request"
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: env.config(`
data "cobo_payment_refund" "by_id" {
  refund_id = "` + res.Refund.RefundID + `"
}
data "cobo_payment_refund" "by_request" {
  request_id = "rq-ds"
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(byID, tfjsonpath.New("request_id"), knownvalue.StringExact("rq-ds")),
				statecheck.ExpectKnownValue(byID, tfjsonpath.New("amount"), knownvalue.StringExact("5.50")),
				statecheck.ExpectKnownValue(byID, tfjsonpath.New("payable_amount"), knownvalue.StringExact("6.00")),
				statecheck.ExpectKnownValue(byID, tfjsonpath.New("status"), knownvalue.StringExact(cobo.RefundStatusPendingConfirmation)),
				statecheck.ExpectKnownValue(byID, tfjsonpath.New("merchant_id"), knownvalue.StringExact(refundMerchant)),
				statecheck.CompareValuePairs(byID, tfjsonpath.New("refund_id"), byRequest, tfjsonpath.New("refund_id"), compare.ValuesSame()),
				statecheck.CompareValuePairs(byID, tfjsonpath.New("updated_timestamp"), byRequest, tfjsonpath.New("updated_timestamp"), compare.ValuesSame()),
			},
		}},
	})
}

// Both keys or neither are refused with no request; an unknown request_id is an error.
func TestAccPaymentRefundDataSource_keys(t *testing.T) {
	t.Parallel()
	env := newRefundTestEnv(t)
	steps := []resource.TestStep{
		{Config: env.config(`data "cobo_payment_refund" "x" {}`), PlanOnly: true, ExpectError: expectWords(`Missing Attribute Configuration.*Exactly one of these attributes must be configured: \[refund_id,request_id\]`)},
		{Config: env.config(`data "cobo_payment_refund" "x" {
  refund_id  = "R1"
  request_id = "rq"
}`), PlanOnly: true, ExpectError: expectWords(`Invalid Attribute Combination`)},
	}
	unitTest(t, resource.TestCase{Steps: steps})
	env.expectNoRequests("a refund data source without exactly one key")
	unitTest(t, resource.TestCase{Steps: []resource.TestStep{{
		Config:      env.config(`data "cobo_payment_refund" "x" { request_id = "rq-none" }`),
		ExpectError: expectWords(`Unable to read the refund with request_id "rq-none".*no refund of this organization has request_id "rq-none"`),
	}}})
}

// terraform query finds a merchant's refunds, filtered by status too, and the configuration it
// generates imports them unchanged (payable_amount is amount plus the fee).
func TestAccPaymentRefundQuery_generatedConfigImportsEveryRefundUnchanged(t *testing.T) {
	t.Parallel()
	env := newRefundTestEnv(t)
	skipWithoutQuery(t)
	env.paidOrder("psp-refund-query")
	seed := func(req cobo.CreateRefundRequest) *cobo.Refund {
		req.TokenID = refundToken
		res, err := env.client.CreateRefund(t.Context(), req)
		if err != nil {
			t.Fatal(err)
		}
		return res.Refund
	}
	withFee := seed(cobo.CreateRefundRequest{RequestID: "rq-q-fee", MerchantID: refundMerchant, RefundType: cobo.RefundTypeMerchant, PayableAmount: "7.00",
		ChargeMerchantFee: ptr(true), MerchantFeeAmount: "0.70", ToAddress: "0x4444444444444444444444444444444444444444"})
	plain := seed(cobo.CreateRefundRequest{RequestID: "rq-q-plain", MerchantID: refundMerchant, RefundType: cobo.RefundTypeMerchant, PayableAmount: "3.00"})
	seed(cobo.CreateRefundRequest{RequestID: "rq-q-psp", RefundType: cobo.RefundTypePsp, PayableAmount: "1.00"})

	w := newQueryWorkspace(t)
	w.write("main.tf", requiredProviders+env.providerBlock())
	merchantBlock := `list "cobo_payment_refund" "merchant" {
  provider         = cobo
  include_resource = true
  config {
    merchant_id = "` + refundMerchant + `"
  }
}
`
	w.write("refunds.tfquery.hcl", merchantBlock+`list "cobo_payment_refund" "waiting" {
  provider = cobo
  config {
    statuses = ["PendingConfirmation", "PendingConfirmation"]
  }
}
`)
	w.mustRun("init", "-input=false")
	out := w.mustRun("query")
	for _, want := range []string{"rq-q-fee (" + withFee.RefundID + ", Pending)", "rq-q-plain (" + plain.RefundID + ", PendingConfirmation)", "rq-q-psp"} {
		if !strings.Contains(out, want) {
			t.Errorf("terraform query does not show %q:\n%s", want, out)
		}
	}
	for _, once := range []string{"rq-q-psp (", "rq-q-fee ("} { // Psp has no merchant; the fee refund is Pending, not waiting
		if strings.Count(out, once) != 1 {
			t.Errorf("terraform query shows %q %d times, want once:\n%s", once, strings.Count(out, once), out)
		}
	}
	// Every list block generates configuration: keep only the merchant's.
	w.write("refunds.tfquery.hcl", merchantBlock)
	w.mustRun("query", "-generate-config-out=refunds.tf")
	generated, err := os.ReadFile(filepath.Join(w.dir, "refunds.tf"))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("generated refunds.tf:\n%s", generated)
	if n := regexp.MustCompile(`(?m)^resource "cobo_payment_refund" `).FindAll(generated, -1); len(n) != 2 {
		t.Fatalf("want 2 resource blocks (the merchant's refunds), got %d", len(n))
	}
	if !regexp.MustCompile(`payable_amount\s+= "7.00"`).Match(generated) {
		t.Error("the refund with a fee should be written with payable_amount 7.00 (amount 6.30 plus the fee 0.70)")
	}
	env.sandbox.ResetRequests()
	if out := w.mustRun("apply", "-auto-approve", "-input=false"); !strings.Contains(out, "Resources: 2 imported, 0 added, 0 changed, 0 destroyed.") {
		t.Fatalf("the generated configuration should import the 2 refunds and change nothing:\n%s", out)
	}
	if out, code := w.run("plan", "-detailed-exitcode", "-input=false"); code != 0 {
		t.Fatalf("the plan after the import is not empty (exit code %d):\n%s", code, out)
	}
	for _, r := range env.sandbox.Requests() {
		if r.Method != http.MethodGet {
			t.Errorf("importing sent %s %s to Cobo; only reads are expected", r.Method, r.Path)
		}
	}
}
