package provider

import (
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

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
