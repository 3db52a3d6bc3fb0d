package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// refundsList: every page of GET /v2/payments/refunds, as a table or (-json) one JSON array.
func refundsList(fs *flag.FlagSet) func(*client, []string) error {
	var p cobo.ListRefundsParams
	fs.StringVar(&p.MerchantID, "merchant-id", "", "only refunds of this merchant_id")
	fs.StringVar(&p.RequestID, "request-id", "", "only the refund with this request_id")
	statuses := fs.String("statuses", "", "only refunds with these statuses, comma-separated, such as Pending,Completed")
	out := listFlags(fs, "refunds", false, refundColumns)
	return func(c *client, _ []string) error {
		p.Statuses = splitList(*statuses)
		return printList(c, out, func(after string) (*cobo.RefundPage, error) {
			p.Limit, p.After = cobo.MaxPageSize, after
			return c.api.ListRefunds(c.ctx, p)
		})
	}
}

// refundsGet: GET /v2/payments/refunds/{id}.
func refundsGet(*flag.FlagSet) func(*client, []string) error {
	return func(c *client, args []string) error {
		return c.printRefund(args[0])
	}
}

// refundsCreate: POST /v2/payments/refunds, never twice for one -request-id (package cobo looks the
// refund up by it after an ambiguous failure); prints the refund as the API returns it.
func refundsCreate(fs *flag.FlagSet) func(*client, []string) error {
	var req cobo.CreateRefundRequest
	fs.StringVar(&req.RequestID, "request-id", "", "request_id, the idempotency key (required)")
	fs.StringVar(&req.RefundType, "refund-type", "", "refund_type: "+cobo.RefundTypeMerchant+" (from the merchant's balance) or "+cobo.RefundTypePsp+" (from the developer's) (required)")
	fs.StringVar(&req.TokenID, "token-id", "", "token_id, such as ETH_USDT (required)")
	fs.StringVar(&req.PayableAmount, "payable-amount", "", "payable_amount taken from the balance, such as 10.00 (required)")
	fs.StringVar(&req.MerchantID, "merchant-id", "", "merchant_id (for a Merchant refund)")
	fs.StringVar(&req.OrderID, "order-id", "", "order_id of the order refunded")
	fs.StringVar(&req.ToAddress, "to-address", "", "to_address (default: the refund awaits one)")
	charge := fs.Bool("charge-merchant-fee", false, "charge the merchant a fee (with -merchant-fee-amount and -merchant-fee-token-id)")
	fs.StringVar(&req.MerchantFeeAmount, "merchant-fee-amount", "", "merchant_fee_amount, with -charge-merchant-fee")
	fs.StringVar(&req.MerchantFeeTokenID, "merchant-fee-token-id", "", "merchant_fee_token_id, with -charge-merchant-fee")
	return func(c *client, _ []string) error {
		for _, required := range []struct{ flag, value string }{
			{"-request-id", req.RequestID}, {"-refund-type", req.RefundType},
			{"-token-id", req.TokenID}, {"-payable-amount", req.PayableAmount},
		} {
			if required.value == "" {
				return usageErrorf("refunds create needs %s", required.flag)
			}
		}
		if req.RefundType != cobo.RefundTypeMerchant && req.RefundType != cobo.RefundTypePsp {
			return usageErrorf("-refund-type must be %s or %s, got %q", cobo.RefundTypeMerchant, cobo.RefundTypePsp, req.RefundType)
		}
		feeGiven := req.MerchantFeeAmount != "" || req.MerchantFeeTokenID != ""
		if *charge != feeGiven || (*charge && (req.MerchantFeeAmount == "" || req.MerchantFeeTokenID == "")) {
			return usageErrorf("-charge-merchant-fee goes with both -merchant-fee-amount and -merchant-fee-token-id, and they only with it")
		}
		if *charge {
			req.ChargeMerchantFee = charge
		}
		res, err := c.api.CreateRefund(c.ctx, req)
		if err != nil {
			return err
		}
		if res.Found {
			if err := foundRefundDiffers(req, res.Refund); err != nil {
				return err
			}
			fmt.Fprintf(c.notes, "note: request_id %q already belongs to refund %s (%s), whose inputs match: nothing was created; it is printed\n",
				req.RequestID, res.Refund.RefundID, res.Refund.Status)
		}
		return c.printRefund(res.Refund.RefundID)
	}
}

// foundRefundDiffers is an error naming each input the refund already holding the request_id
// disagrees with, or nil when it matches the request.
func foundRefundDiffers(req cobo.CreateRefundRequest, r *cobo.Refund) error {
	diffs := cobo.RefundDifferences(req, r)
	if len(diffs) == 0 {
		return nil
	}
	parts := make([]string, len(diffs))
	for i, d := range diffs {
		parts[i] = fmt.Sprintf("%s %q (this request: %q)", d.Field, d.Existing, d.Requested)
	}
	return fmt.Errorf("request_id %q already belongs to refund %s, which has %s; use a new -request-id",
		req.RequestID, r.RefundID, strings.Join(parts, ", "))
}

// refundsCancel: PUT /v2/payments/refunds/{id}/cancel.
func refundsCancel(*flag.FlagSet) func(*client, []string) error {
	return func(c *client, args []string) error {
		if _, err := c.api.CancelRefund(c.ctx, args[0]); err != nil {
			return err
		}
		return c.printRefund(args[0])
	}
}

// refundsComplete: POST /_sandbox/refunds/{id}/complete, as if Cobo had paid the refund out.
func refundsComplete(*flag.FlagSet) func(*client, []string) error {
	return func(c *client, args []string) error {
		return c.printHelper(http.MethodPost, "/refunds/"+url.PathEscape(args[0])+"/complete", nil)
	}
}

// refundsFail: POST /_sandbox/refunds/{id}/fail; the amount goes back to its balance.
func refundsFail(fs *flag.FlagSet) func(*client, []string) error {
	reason := fs.String("reason", "", "the failed_reason (default: the sandbox's)")
	return func(c *client, args []string) error {
		return c.printHelper(http.MethodPost, "/refunds/"+url.PathEscape(args[0])+"/fail", map[string]any{"reason": *reason})
	}
}

// printRefund prints the refund as a fresh GET returns it.
func (c *client) printRefund(id string) error {
	_, err := c.api.GetRefund(c.ctx, id)
	return c.printAnswer(http.MethodGet, err)
}

var refundColumns = []column{
	{"REFUND_ID", func(i json.RawMessage) string { return decoded[cobo.Refund](i).RefundID }},
	{"REQUEST_ID", func(i json.RawMessage) string { return decoded[cobo.Refund](i).RequestID }},
	{"TYPE", func(i json.RawMessage) string { return decoded[cobo.Refund](i).RefundType }},
	{"STATUS", func(i json.RawMessage) string { return decoded[cobo.Refund](i).Status }},
	{"MERCHANT_ID", func(i json.RawMessage) string { return decoded[cobo.Refund](i).MerchantID }},
	{"TOKEN_ID", func(i json.RawMessage) string { return decoded[cobo.Refund](i).TokenID }},
	{"AMOUNT", func(i json.RawMessage) string { return decoded[cobo.Refund](i).Amount }},
	{"ORDER_ID", func(i json.RawMessage) string { return decoded[cobo.Refund](i).OrderID }},
	{"FAILED_REASON", func(i json.RawMessage) string { return strings.TrimSpace(decoded[cobo.Refund](i).FailedReason) }},
}
