package cobo

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var amountRules = map[string]AmountRule{
	"pricing_amount":   PricingAmountRule,
	"payable_amount":   PayableAmountRule,
	"fee_amount":       FeeAmountRule,
	"amount_tolerance": AmountToleranceRule,
}

func TestAmountRulesAreWhatTheReadmeSays(t *testing.T) {
	t.Parallel()
	want := map[string]struct {
		decimals  int
		allowZero bool
	}{
		"pricing_amount": {2, false}, "payable_amount": {2, false}, "fee_amount": {2, true}, "amount_tolerance": {1, true},
	}
	for field, r := range amountRules {
		if r.Field != field || r.MaxDecimals != want[field].decimals || r.AllowZero != want[field].allowZero || r.Doc == "" {
			t.Errorf("%s rule is %+v", field, r)
		}
	}
}

func TestAmountRuleCheck(t *testing.T) {
	t.Parallel()
	all := []string{"pricing_amount", "payable_amount", "fee_amount", "amount_tolerance"}
	twoDecimals := []string{"pricing_amount", "payable_amount", "fee_amount"}
	zeroOK := []string{"fee_amount", "amount_tolerance"}
	positiveOnly := []string{"pricing_amount", "payable_amount"}

	type row struct {
		in        string
		accepted  []string // fields that accept it; every other field rejects it
		rejectMsg string   // part of the rejection message
	}
	rows := []row{
		{"0", zeroOK, "is zero"},
		{"0.0", zeroOK, "is zero"},
		{"0.00", []string{"fee_amount"}, ""}, // zero for pricing/payable, too precise for amount_tolerance
		{"00", zeroOK, "is zero"},
		{"100", all, ""},
		{"100.5", all, ""},
		{"100.00", twoDecimals, "has 2 decimal places"},
		{"0.5", all, ""},
		{"0.01", twoDecimals, "has 2 decimal places"},
		{"007", all, ""},
		{"12345678901234567890", all, ""},
		{"1e3", nil, "not a plain decimal number"},
		{"-1", nil, "not a plain decimal number"},
		{"+1", nil, "not a plain decimal number"},
		{"abc", nil, "not a plain decimal number"},
		{"", nil, "not a plain decimal number"},
		{" 1", nil, "not a plain decimal number"},
		{"1 ", nil, "not a plain decimal number"},
		{"1\n", nil, "not a plain decimal number"},
		{"1,000", nil, "not a plain decimal number"},
		{"1.", nil, "not a plain decimal number"},
		{".5", nil, "not a plain decimal number"},
		{"1.2.3", nil, "not a plain decimal number"},
		{"0x10", nil, "not a plain decimal number"},
		{"１", nil, "not a plain decimal number"}, // full-width digit one
		{"٣", nil, "not a plain decimal number"}, // Arabic-Indic digit three
		{"NaN", nil, "not a plain decimal number"},
		{"Infinity", nil, "not a plain decimal number"},
		{"1.234", nil, "has 3 decimal places"},
		{"0.55", twoDecimals, "has 2 decimal places"},
		{"0.001", nil, "has 3 decimal places"},
	}
	for _, r := range rows {
		accepted := map[string]bool{}
		for _, f := range r.accepted {
			accepted[f] = true
		}
		for _, field := range all {
			rule := amountRules[field]
			err := rule.Check(r.in)
			if accepted[field] {
				if err != nil {
					t.Errorf("%s.Check(%q) = %v, want nil", field, r.in, err)
				}
				continue
			}
			if err == nil {
				t.Errorf("%s.Check(%q) accepted it", field, r.in)
				continue
			}
			msg := err.Error()
			// The message names the field, quotes the input and says what is accepted.
			mustContain(t, msg, field+" must be ", rule.Doc, `"`+strings.ReplaceAll(r.in, "\n", `\n`)+`"`)
			if r.rejectMsg != "" && !strings.Contains(msg, r.rejectMsg) {
				t.Errorf("%s.Check(%q) = %q, want it to say %q", field, r.in, msg, r.rejectMsg)
			}
		}
	}
	// Specific wordings.
	for _, c := range []struct {
		rule AmountRule
		in   string
		want string
	}{
		{PricingAmountRule, "0", `"0" is zero`},
		{PayableAmountRule, "0.00", `"0.00" is zero`},
		{PricingAmountRule, "1.234", `"1.234" has 3 decimal places`},
		{AmountToleranceRule, "0.55", `"0.55" has 2 decimal places`},
		{FeeAmountRule, "1e3", `"1e3" is not a plain decimal number`},
		{AmountToleranceRule, "100.00", `"100.00" has 2 decimal places`},
		{AmountToleranceRule, "0.00", `"0.00" has 2 decimal places`},
		{PayableAmountRule, "0.001", `"0.001" has 3 decimal places`},
	} {
		err := c.rule.Check(c.in)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s.Check(%q) = %v, want %q", c.rule.Field, c.in, err, c.want)
		}
	}
	for _, f := range positiveOnly {
		if err := amountRules[f].Check("0.01"); err != nil {
			t.Errorf("%s must accept the smallest positive amount: %v", f, err)
		}
	}
}

func TestValidateOrderID(t *testing.T) {
	t.Parallel()
	valid := []string{
		"O20250304-M1001-1001", "a", "A_B~c.d", "...", "a;b", "a:b@c", "a+b", "(x)!*'", "{id}", "a=b&c",
		strings.Repeat("x", 128),
	}
	for _, id := range valid {
		if err := ValidateOrderID(id); err != nil {
			t.Errorf("ValidateOrderID(%q) = %v, want nil", id, err)
		}
	}
	invalid := map[string]string{
		"":                       "must not be empty",
		".":                      "not a valid order id",
		"..":                     "not a valid order id",
		"../x":                   "contains '/'",
		"a/b":                    "contains '/'",
		"x?y=1":                  "contains '?'",
		"a#b":                    "contains '#'",
		"100%":                   "contains '%'",
		"%2e%2e":                 "contains '%'",
		"a b":                    "contains ' '",
		"é":                      "contains 'é'",
		`a\b`:                    `contains '\\'`,
		"a\tb":                   `contains '\t'`,
		"a\nb":                   `contains '\n'`,
		"a\x00b":                 `contains '\x00'`,
		"\x7f":                   `contains '\x7f'`,
		"a\u2215b":               "contains '∕'",
		strings.Repeat("x", 129): "129 characters long",
	}
	for id, want := range invalid {
		err := ValidateOrderID(id)
		if err == nil {
			t.Errorf("ValidateOrderID(%q) accepted it", id)
			continue
		}
		mustContain(t, err.Error(), "order_id", want)
	}
}

func TestChainIDForToken(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"ETH_USDT": "ETH", "TRON_USDT": "TRON", "ARBITRUM_USDC": "ARBITRUM", "ARBITRUM_USDCOIN": "ARBITRUM",
		"MATIC_USDC2": "MATIC", "SOL_USDC": "SOL", "BASE_USDC": "BASE", "BSC_USDT": "BSC",
		"SETH_USDT_TEST": "SETH", "": "", "ETH": "ETH", "_USDT": "_USDT", "ETH_": "ETH",
	}
	for in, want := range cases {
		if got := ChainIDForToken(in); got != want {
			t.Errorf("ChainIDForToken(%q) = %q, want %q", in, got, want)
		}
	}
	chains := map[string]bool{"ETH": true, "ARBITRUM": true, "SOL": true, "BASE": true, "MATIC": true, "BSC": true, "TRON": true}
	for _, tok := range PayinTokenIDs {
		if !chains[ChainIDForToken(tok)] {
			t.Errorf("documented token %s maps to unexpected chain %q", tok, ChainIDForToken(tok))
		}
	}
}

func TestIsDocumentedPayinToken(t *testing.T) {
	t.Parallel()
	if len(PayinTokenIDs) != 13 {
		t.Errorf("the README documents 13 pay-in tokens, the code lists %d", len(PayinTokenIDs))
	}
	for _, tok := range PayinTokenIDs {
		if !IsDocumentedPayinToken(tok) {
			t.Errorf("IsDocumentedPayinToken(%q) = false", tok)
		}
	}
	for alias, canonical := range PayinTokenAliases {
		if !IsDocumentedPayinToken(alias) || !IsDocumentedPayinToken(canonical) {
			t.Errorf("alias %s -> %s not recognised", alias, canonical)
		}
	}
	for _, tok := range []string{"", "eth_usdt", "ETH_USDT ", "ETH_USD", "BTC", "SETH_USDT", "TRON_USDC", "ETH_DAI"} {
		if IsDocumentedPayinToken(tok) {
			t.Errorf("IsDocumentedPayinToken(%q) = true", tok)
		}
	}
}

func TestDecisionsAreTheReadmeDecisions(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		got  ErrorDecision
		want ErrorDecision
	}{
		{"duplicate psp_order_code", DuplicatePspOrderCode, ErrorDecision{http.StatusBadRequest, 2040}},
		{"expire not pending", ExpireNotPending, ErrorDecision{http.StatusBadRequest, 2006}},
		{"unknown order", UnknownOrder, ErrorDecision{http.StatusNotFound, 2028}},
		{"bad signature", BadSignature, ErrorDecision{http.StatusUnauthorized, 2024}},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, c.got, c.want)
		}
	}
	if ExpiredInMin != 1 || ExpiredInMax != 10800 || ExpiredInDefault != 1800 || ExpireOnlyStatus != StatusPending {
		t.Error("expired_in bounds or the expirable status differ from the README")
	}
}

// TestDecisionsGuide checks that the user-facing guide states the decisions this file's code makes, so
// that changing one without the other fails.
// retryScheduleWords spells WebhookRetrySchedule as the guide does: "1 min, 2 min, ... and 16 h".
func retryScheduleWords() string {
	words := make([]string, len(WebhookRetrySchedule))
	for i, d := range WebhookRetrySchedule {
		if d < time.Hour {
			words[i] = fmt.Sprintf("%d min", int(d.Minutes()))
		} else {
			words[i] = fmt.Sprintf("%d h", int(d.Hours()))
		}
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// decisionsGuide is the text of templates/guides/api-decisions.md.tmpl.
func decisionsGuide(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "templates", "guides", "api-decisions.md.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

func TestDecisionsGuide(t *testing.T) {
	t.Parallel()
	guide := decisionsGuide(t)
	want := []string{
		fmt.Sprintf("HTTP %d, `error_code` %d", DuplicatePspOrderCode.HTTPStatus, DuplicatePspOrderCode.Code),
		fmt.Sprintf("HTTP %d, `error_code` %d", ExpireNotPending.HTTPStatus, ExpireNotPending.Code),
		fmt.Sprintf("HTTP %d, `error_code` %d", UnknownOrder.HTTPStatus, UnknownOrder.Code),
		"A refresh then fails with " + NotFoundInState,
		fmt.Sprintf("HTTP %d, `error_code` %d", BadSignature.HTTPStatus, BadSignature.Code),
		fmt.Sprintf("more than %d minutes", int(NonceWindow.Minutes())),
		fmt.Sprintf("it is `%s`, and Cobo created it within\nthe last %d minutes", AdoptableStatus, int(AdoptWindow.Minutes())),
		fmt.Sprintf("`%s` is on `%s`", "ETH_USDT", ChainIDForToken("ETH_USDT")),
		fmt.Sprintf("*at most* %d decimal places", PricingAmountRule.MaxDecimals),
		fmt.Sprintf("precision up to %d decimal place", AmountToleranceRule.MaxDecimals),
		fmt.Sprintf("assumed to be %d decimal places", FeeAmountRule.MaxDecimals),
		fmt.Sprintf("HTTP %d, `error_code` %d", UnknownWebhookResource.HTTPStatus, UnknownWebhookResource.Code),
		fmt.Sprintf("HTTP %d, `error_code` %d, naming", InvalidWebhookRequest.HTTPStatus, InvalidWebhookRequest.Code),
		fmt.Sprintf("HTTP %d, `error_code` %d |", MissingWebhookEvents.HTTPStatus, MissingWebhookEvents.Code),
		fmt.Sprintf("within %d seconds", int(WebhookDeliveryTimeout.Seconds())),
		fmt.Sprintf("receivers answer HTTP %d", WebhookRejectStatus),
		fmt.Sprintf("up\nto %d times", WebhookMaxRetries),
		"Retry 1 to 10 wait " + retryScheduleWords(),
		fmt.Sprintf("`%s` and `%s`", HeaderWebhookTimestamp, HeaderWebhookSignature),
		fmt.Sprintf("`%s` and `%s`", HeaderWebhookTimestampDash, HeaderWebhookSignatureDash),
		fmt.Sprintf("at most %d characters", WebhookURLMaxLength),
		"in milliseconds",
		"`type` and `transaction_type`",
		"its own `event_id`",
		"first attempt carries no\n  `status`",
		"one extra attempt at once, outside the schedule",
		"active endpoints subscribed to the event type",
		"sends `payment.transaction.late` and\n  changes nothing",
		"the event's `status` right after that attempt",
		MerchantNameTaken, MerchantRename, MerchantReplacedNeedsNewName, MerchantDestroy, MerchantMissing, MerchantRateCleared,
	}
	for _, typ := range WebhookTriggerEventTypes {
		want = append(want, "`"+typ+"`")
	}
	if WebhookEndpointTimestampUnit != time.Millisecond {
		t.Errorf("the guide says endpoint timestamps are in milliseconds")
	}
	for alias := range PayinTokenAliases {
		want = append(want, "`"+alias+"`")
	}
	for _, w := range want {
		if !strings.Contains(guide, w) {
			t.Errorf("templates/guides/api-decisions.md.tmpl does not say %q; update the guide or decisions.go", w)
		}
	}
}

// TestPaymentsDecisionsGuide checks that the guide states the merchant, refund and ledger decisions of
// decisions.go, so that changing one without the other fails.
func TestPaymentsDecisionsGuide(t *testing.T) {
	t.Parallel()
	guide := decisionsGuide(t)
	answer := func(d ErrorDecision) string { return fmt.Sprintf("HTTP %d, `error_code` %d", d.HTTPStatus, d.Code) }
	want := map[string]string{
		"UnknownMerchant":            "| updating a merchant id the organization lacks | " + answer(UnknownMerchant) + " |",
		"MerchantNotInOrganization":  "naming a merchant the organization lacks | " + answer(MerchantNotInOrganization) + ", naming the merchant |",
		"UnknownRefund":              "one of another organization | " + answer(UnknownRefund) + " |",
		"DuplicateRefundRequestID":   "already used | " + answer(DuplicateRefundRequestID) + " (\"Duplicate key\")",
		"InsufficientBalance":        "above the balance it takes from | " + answer(InsufficientBalance) + "; nothing is stored",
		"RefundProcessed":            "`Completed` or `Failed` | " + answer(RefundProcessed) + ", naming its status |",
		"RefundCancelledReason":      "`failed_reason` `" + RefundCancelledReason + "`",
		"RefundAmountIsNet":          "is what the payer receives: `payable_amount` less `merchant_fee_amount`",
		"RefundBalanceTiming":        "leaves its balance when the refund is created",
		"RefundFeeToken":             "`merchant_fee_token_id`, when sent, must be the\n  refund's `token_id`",
		"PaymentCountsWhenConfirmed": "moves the balances when it is confirmed",
		"OrderSplitWithoutPricing":   "`" + OrderSplitWithoutPricing + "`",
		"DefaultMerchantName":        "named \"" + DefaultMerchantName + "\"",
		"MerchantDuplicateNames":     "**Duplicate merchant names** are " + MerchantDuplicateNames,
		"MerchantBalanceRows":        "With `token_id`, one row per merchant asked",
		"RefundCreatedEvent":         "`payment.refund.status.updated` is sent when a refund is created, and at every\n  status change",
		"RefundProcessingDelay":      fmt.Sprintf("`Processing` (a transaction with a `tx_hash`) %d\n  seconds after", int(RefundProcessingDelay.Seconds())),
		"RefundCompletionDelay":      fmt.Sprintf("`Completed` %d seconds after", int(RefundCompletionDelay.Seconds())),
	}
	for name, w := range want {
		if !strings.Contains(guide, w) {
			t.Errorf("templates/guides/api-decisions.md.tmpl does not say %q (decisions.go: %s); update one or the other", w, name)
		}
	}
}

// The refund resource's decisions are in the guide, in the words decisions.go has them.
func TestRefundResourceDecisionsGuide(t *testing.T) {
	t.Parallel()
	guide := decisionsGuide(t)
	for name, w := range map[string]string{
		"RefundAdoptWindow":       fmt.Sprintf("created it in the last %d minutes", int(RefundAdoptWindow.Minutes())),
		"RefundAddressChange":     "is set or changed in place while the refund is `PendingConfirmation` or `Pending`;\n  later a change is a plan-time error",
		"RefundFeeFields":         "accepted only with\n  `charge_merchant_fee = true`",
		"RefundCommissionFee":     "is kept as the JSON string Cobo sent",
		"RefundPayableAmountRead": "read as `amount` plus\n  `merchant_fee_amount`",
		"RefundOrderMerchant":     "a `Merchant` refund with `order_id` takes from the order's merchant",
	} {
		if !strings.Contains(guide, w) {
			t.Errorf("templates/guides/api-decisions.md.tmpl does not say %q (decisions.go: %s); update one or the other", w, name)
		}
	}
}
