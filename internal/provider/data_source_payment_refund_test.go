package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

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
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
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
	resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: protoV6ProviderFactories, Steps: steps})
	env.expectNoRequests("a refund data source without exactly one key")
	resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: protoV6ProviderFactories, Steps: []resource.TestStep{{
		Config:      env.config(`data "cobo_payment_refund" "x" { request_id = "rq-none" }`),
		ExpectError: expectWords(`Unable to read the refund with request_id "rq-none".*no refund of this organization has request_id "rq-none"`),
	}}})
}
