package provider

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// seedRefunds creates readAheadCount refunds of one paid order outside Terraform, then forgets the
// requests, so that a test counts only Terraform's.
func (e *testEnv) seedRefunds(prefix string) []string {
	e.t.Helper()
	e.paidOrder(prefix + "-order")
	ids := make([]string, readAheadCount)
	for i := range ids {
		res, err := e.client.CreateRefund(e.t.Context(), cobo.CreateRefundRequest{RequestID: fmt.Sprintf("%s-%02d", prefix, i), MerchantID: refundMerchant,
			TokenID: refundToken, PayableAmount: "1.00", RefundType: cobo.RefundTypeMerchant})
		if err != nil {
			e.t.Fatal(err)
		}
		ids[i] = res.Refund.RefundID
	}
	e.sandbox.ResetRequests()
	return ids
}

// expectRefundsFromPages checks that the refund reads of the commands so far used read-ahead: each
// command reads readAheadCount refunds, which fit one list page, so each lists one page and reads at
// most the first few with a GET.
func (e *testEnv) expectRefundsFromPages(*terraform.State) error {
	const list = "/v2/payments/refunds"
	var gets, pages int
	for _, r := range e.sandbox.Requests() {
		switch {
		case r.Method != http.MethodGet:
		case r.Path == list:
			pages++
		case strings.HasPrefix(r.Path, list+"/"):
			gets++
		}
	}
	switch {
	case pages == 0:
		return fmt.Errorf("no refund list page: read-ahead did not serve refunds (%d GETs)", gets)
	case gets > pages*readAheadCount*2/3:
		return fmt.Errorf("%d commands read %d refunds each with %d GETs: read-ahead answered too few of them", pages, readAheadCount, gets)
	}
	return nil
}

// The refund resource's refresh (import and plan) reads refunds through read-ahead.
func TestAccPaymentRefund_readAheadServesRefreshes(t *testing.T) {
	t.Parallel()
	env := newRefundTestEnv(t)
	var cfg strings.Builder
	for i, id := range env.seedRefunds("rq-ra-res") {
		fmt.Fprintf(&cfg, "import {\n  to = cobo_payment_refund.r%d\n  id = %q\n}\n", i, id)
		fmt.Fprintf(&cfg, "resource \"cobo_payment_refund\" \"r%d\" {\n  request_id = \"rq-ra-res-%02d\"\n  refund_type = %q\n  merchant_id = %q\n  token_id = %q\n  payable_amount = \"1.00\"\n}\n",
			i, i, cobo.RefundTypeMerchant, refundMerchant, refundToken)
	}
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:           env.config(cfg.String()),
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			Check:            env.expectRefundsFromPages,
		}},
	})
}

// The refund data source by refund_id reads through read-ahead too.
func TestAccPaymentRefundDataSource_readAheadServesReads(t *testing.T) {
	t.Parallel()
	env := newRefundTestEnv(t)
	var cfg strings.Builder
	for i, id := range env.seedRefunds("rq-ra-ds") {
		fmt.Fprintf(&cfg, "data \"cobo_payment_refund\" \"r%d\" { refund_id = %q }\n", i, id)
	}
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: env.config(cfg.String()),
			Check:  env.expectRefundsFromPages,
		}},
	})
}
