package cobo

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPaymentsDecisionsGuide checks that the guide states the merchant, refund and ledger decisions of
// decisions.go, so that changing one without the other fails.
func TestPaymentsDecisionsGuide(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile(filepath.Join("..", "..", "templates", "guides", "api-decisions.md.tmpl"))
	if err != nil {
		t.Fatal(err)
	}
	guide := string(raw)
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
		"RefundProcessingDelay":      fmt.Sprintf("`Processing` (a transaction with a `tx_hash`) %d\n  seconds after", int(RefundProcessingDelay.Seconds())),
		"RefundCompletionDelay":      fmt.Sprintf("`Completed` %d seconds after", int(RefundCompletionDelay.Seconds())),
	}
	for name, w := range want {
		if !strings.Contains(guide, w) {
			t.Errorf("templates/guides/api-decisions.md.tmpl does not say %q (decisions.go: %s); update one or the other", w, name)
		}
	}
}
