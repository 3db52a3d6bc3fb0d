package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

func TestEditDistance(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "abc", 3},
		{"abc", "", 3},
		{"abc", "abc", 0},
		{"kitten", "sitting", 3}, // two substitutions and one insertion
		{"flaw", "lawn", 2},      // a deletion and an insertion
		{"ab", "ba", 2},          // a swap is two edits
		{"payment.order.status.update", "payment.order.status.updated", 1},
	} {
		if got := editDistance(c.a, c.b); got != c.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
		if got := editDistance(c.b, c.a); got != c.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d (the distance is symmetric)", c.b, c.a, got, c.want)
		}
	}
}

func TestNearestWebhookEventType(t *testing.T) {
	t.Parallel()
	for typo, want := range map[string]string{
		"payment.order.status.update":    cobo.EventPaymentOrderStatusUpdated,
		"payment.orders.status.updated":  cobo.EventPaymentOrderStatusUpdated,
		"PAYMENT.ORDER.STATUS.UPDATED":   cobo.EventPaymentOrderStatusUpdated,
		"payment.transaction.complete":   cobo.EventPaymentTransactionCompleted,
		"payment.transaction.create":     cobo.EventPaymentTransactionCreated,
		"payments.transaction.late":      cobo.EventPaymentTransactionLate,
		"payment.status.update":          cobo.EventPaymentStatusUpdated,
		"wallets.transaction.succeded":   "wallets.transaction.succeeded",
		cobo.EventPaymentTransactionHeld: cobo.EventPaymentTransactionHeld,
	} {
		if got := nearestWebhookEventType(typo); got != want {
			t.Errorf("nearestWebhookEventType(%q) = %q, want %q", typo, got, want)
		}
	}
}

func TestCheckWebhookEventTypeWarnsWithTheNearestName(t *testing.T) {
	t.Parallel()
	for _, known := range cobo.WebhookEventTypes {
		if err := checkWebhookEventType(known); err != nil {
			t.Errorf("%q is documented: %v", known, err)
		}
	}
	err := checkWebhookEventType("payment.order.status.update")
	if err == nil {
		t.Fatal("an undocumented type passed")
	}
	for _, want := range []string{`"payment.order.status.update" is not one of the webhook event types Cobo documents`, `did you mean "payment.order.status.updated"?`, "still sent"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the warning %q lacks %q", err, want)
		}
	}
}

func TestWarnUndocumentedEventTypesOnlyForNewOnes(t *testing.T) {
	t.Parallel()
	var diags diag.Diagnostics
	prior := stringSet(t, "payment.order.status.update") // warned about when it was planned first
	warnUndocumentedEventTypes(stringSet(t, "payment.order.status.update", "payment.transaction.complete", cobo.EventPaymentTransactionLate), prior, &diags)
	if diags.ErrorsCount() != 0 || diags.WarningsCount() != 1 {
		t.Fatalf("want one warning, got %v", diags)
	}
	if d := diags[0].Detail(); !strings.Contains(d, `"payment.transaction.complete"`) || !strings.Contains(d, `did you mean "payment.transaction.completed"?`) {
		t.Errorf("the warning names the wrong type: %s", d)
	}
	diags = nil
	warnUndocumentedEventTypes(types.SetUnknown(types.StringType), types.SetNull(types.StringType), &diags)
	warnUndocumentedEventTypes(types.SetValueMust(types.StringType, []attr.Value{types.StringUnknown()}), types.SetNull(types.StringType), &diags)
	if len(diags) != 0 {
		t.Errorf("unknown values must not be judged: %v", diags)
	}
}
