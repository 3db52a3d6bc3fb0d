package cobo

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"time"
)

// Refund mirrors Cobo's Refund (v1.42.0): money leaving a merchant's or the developer's balance.
type Refund struct {
	RefundID           string          `json:"refund_id"`
	RequestID          string          `json:"request_id,omitempty"`
	OrderID            string          `json:"order_id,omitempty"`
	MerchantID         string          `json:"merchant_id,omitempty"`
	TokenID            string          `json:"token_id"`
	ChainID            string          `json:"chain_id"`
	Amount             string          `json:"amount"`
	ToAddress          string          `json:"to_address"`
	Status             string          `json:"status"`
	FailedReason       string          `json:"failed_reason,omitempty"`
	RefundType         string          `json:"refund_type,omitempty"`
	CreatedTimestamp   *int64          `json:"created_timestamp,omitempty"`
	UpdatedTimestamp   *int64          `json:"updated_timestamp,omitempty"`
	Initiator          string          `json:"initiator,omitempty"`
	Transactions       []Transaction   `json:"transactions,omitempty"`
	ChargeMerchantFee  *bool           `json:"charge_merchant_fee,omitempty"`
	MerchantFeeAmount  string          `json:"merchant_fee_amount,omitempty"`
	MerchantFeeTokenID string          `json:"merchant_fee_token_id,omitempty"`
	CommissionFee      json.RawMessage `json:"commission_fee,omitempty"`
}

// RefundPage is one page of GET /payments/refunds.
type RefundPage = Page[Refund]

// Refund types (RefundType): which balance the money leaves.
const (
	RefundTypeMerchant = "Merchant"
	RefundTypePsp      = "Psp"
)

// RefundTypes lists the refund types Cobo accepts.
var RefundTypes = []string{RefundTypeMerchant, RefundTypePsp}

// Refund statuses (RefundStatus).
const (
	RefundStatusPendingConfirmation = "PendingConfirmation"
	RefundStatusAddressPending      = "AddressPending"
	RefundStatusAddressSubmitted    = "AddressSubmitted"
	RefundStatusPending             = "Pending"
	RefundStatusProcessing          = "Processing"
	RefundStatusCompleted           = "Completed"
	RefundStatusPartiallyCompleted  = "PartiallyCompleted"
	RefundStatusFailed              = "Failed"
)

// RefundStatuses lists every refund status, in the spec's order.
var RefundStatuses = []string{
	RefundStatusAddressPending, RefundStatusAddressSubmitted, RefundStatusPending, RefundStatusProcessing,
	RefundStatusCompleted, RefundStatusPartiallyCompleted, RefundStatusFailed, RefundStatusPendingConfirmation,
}

// IsFinalRefundStatus reports whether a refund in status st will not change again.
func IsFinalRefundStatus(st string) bool {
	return st == RefundStatusCompleted || st == RefundStatusPartiallyCompleted || st == RefundStatusFailed
}

// The amount rules of a refund create. payable_amount: "a positive number and can have up to two
// decimal places"; merchant_fee_amount: "a positive [number] with up to two decimal places", less
// than the amount (checked apart, as it compares two fields).
var (
	RefundPayableAmountRule = AmountRule{Field: "payable_amount", MaxDecimals: 2, Doc: "a decimal string greater than 0 with at most 2 decimal places, such as \"10.00\""}
	MerchantFeeAmountRule   = AmountRule{Field: "merchant_fee_amount", MaxDecimals: 2, Doc: "a decimal string greater than 0 with at most 2 decimal places, below payable_amount, such as \"0.50\""}
)

// CreateRefundRequest is the body of POST /payments/refunds. RequestID is the caller's idempotency key.
type CreateRefundRequest struct {
	RequestID          string `json:"request_id"`
	MerchantID         string `json:"merchant_id,omitempty"`
	PayableAmount      string `json:"payable_amount"`
	ToAddress          string `json:"to_address,omitempty"`
	TokenID            string `json:"token_id"`
	RefundType         string `json:"refund_type"`
	OrderID            string `json:"order_id,omitempty"`
	ChargeMerchantFee  *bool  `json:"charge_merchant_fee,omitempty"`
	MerchantFeeAmount  string `json:"merchant_fee_amount,omitempty"`
	MerchantFeeTokenID string `json:"merchant_fee_token_id,omitempty"`
}

// UpdateRefundRequest is the body of PUT /payments/refunds/{refund_id}.
type UpdateRefundRequest struct {
	ToAddress string `json:"to_address"`
}

// ListRefundsParams are the query parameters of GET /payments/refunds.
type ListRefundsParams struct {
	PageParams
	MerchantID string
	RequestID  string
	Statuses   []string
}

// Query encodes the parameters in a fixed order.
func (p ListRefundsParams) Query() string {
	return p.query("merchant_id", p.MerchantID, "request_id", p.RequestID, "statuses", strings.Join(p.Statuses, ","))
}

const refundsPath = "/payments/refunds"

// ValidateRefundID rejects what cannot be a refund id in a URL path.
func ValidateRefundID(id string) error { return validatePathID("refund_id", "refund", id) }

func refundPath(id string) (string, error) { return itemPath(refundsPath, ValidateRefundID, id) }

// GetRefund reads one refund.
func (c *Client) GetRefund(ctx context.Context, refundID string) (*Refund, error) {
	path, err := refundPath(refundID)
	if err != nil {
		return nil, err
	}
	return getJSON[Refund](ctx, c, http.MethodGet, path, "", nil, "refund")
}

// UpdateRefundAddress sets the address a refund pays to, while Cobo has not processed it.
func (c *Client) UpdateRefundAddress(ctx context.Context, refundID, toAddress string) (*Refund, error) {
	path, err := refundPath(refundID)
	if err != nil {
		return nil, err
	}
	c.refundReads.forget(refundID)
	defer c.refundReads.forget(refundID)
	return put(ctx, c, path, UpdateRefundRequest{ToAddress: toAddress}, jsonAs[Refund]("refund"))
}

// CancelRefund cancels a refund Cobo has not processed yet. Cancelling twice asks for the same end, so
// it is retried like a read.
func (c *Client) CancelRefund(ctx context.Context, refundID string) (*Refund, error) {
	path, err := refundPath(refundID)
	if err != nil {
		return nil, err
	}
	c.refundReads.forget(refundID)
	defer c.refundReads.forget(refundID)
	return getJSON[Refund](ctx, c, http.MethodPut, path+"/cancel", "", nil, "refund")
}

// ListRefunds reads one page of refunds.
func (c *Client) ListRefunds(ctx context.Context, p ListRefundsParams) (*RefundPage, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return getJSON[RefundPage](ctx, c, http.MethodGet, refundsPath, p.Query(), nil, "refund list")
}

// FindRefundByRequestID returns the refund with that request_id, or nil when Cobo has none.
func (c *Client) FindRefundByRequestID(ctx context.Context, requestID string) (*Refund, error) {
	return c.refundWithRequestID(ctx, &retryBudget{left: c.cfg.MaxRetries}, requestID)
}

func (c *Client) refundWithRequestID(ctx context.Context, b *retryBudget, requestID string) (*Refund, error) {
	query := func(pp PageParams) string { return ListRefundsParams{PageParams: pp, RequestID: requestID}.Query() }
	// A server that ignored the filter must not make the client take another refund.
	same := func(r *Refund) bool { return r.RequestID == requestID }
	found, err := listAllWithin(ctx, c, b, refundsPath, "refund", query, same)
	if err != nil || len(found) == 0 {
		return nil, err
	}
	return &found[0], nil
}

// CreateRefund creates a refund, never twice: after an ambiguous failure (no answer, 429 or 5xx), or
// a refusal of its request_id as taken, the refund is looked up by request_id (the documented way), and
// one found is returned with Found set, for the caller to compare with what it asked. Only when none
// exists is the POST sent again.
func (c *Client) CreateRefund(ctx context.Context, req CreateRefundRequest) (*RefundResult, error) {
	refund, found, err := createNeverTwice(ctx, c, req, neverTwice[Refund]{
		path: refundsPath, what: "refund", findOnDuplicate: true,
		find: func(ctx context.Context, b *retryBudget) (*Refund, error) {
			return c.refundWithRequestID(ctx, b, req.RequestID)
		},
		unknown: outcomeUnknown("refund", fmt.Sprintf("request_id %q", req.RequestID), fmt.Sprintf("list refunds with request_id %q", req.RequestID)),
	})
	if err != nil {
		return nil, err
	}
	return &RefundResult{Refund: refund, Found: found}, nil
}

// RefundResult is what CreateRefund got: the refund, and whether it was found by its request_id
// rather than created by this call (a lost answer's refund, or one an earlier request made).
type RefundResult struct {
	Refund *Refund
	Found  bool
}

// RefundPayableAmount is what a refund took from its balance: amount plus the merchant fee it
// charged (RefundAmountIsNet). It is "" when amount is not a decimal.
func RefundPayableAmount(r *Refund) string {
	total, ok := new(big.Rat).SetString(r.Amount)
	if !ok {
		return ""
	}
	if r.ChargeMerchantFee != nil && *r.ChargeMerchantFee && r.MerchantFeeAmount != "" {
		fee, ok := new(big.Rat).SetString(r.MerchantFeeAmount)
		if !ok {
			return ""
		}
		total.Add(total, fee)
	}
	return total.FloatString(2)
}

// RefundDifferences lists the inputs of req that an existing refund r disagrees with. Amounts compare
// as numbers; an input the request did not set, or that Cobo's answer leaves out, is not compared.
func RefundDifferences(req CreateRefundRequest, r *Refund) []InputDifference {
	inputs := []struct {
		field, requested, existing string
		amount                     bool
	}{
		{"refund_type", req.RefundType, r.RefundType, false},
		{"merchant_id", req.MerchantID, r.MerchantID, false},
		{"order_id", req.OrderID, r.OrderID, false},
		{"token_id", req.TokenID, r.TokenID, false},
		{"payable_amount", req.PayableAmount, RefundPayableAmount(r), true},
		{"merchant_fee_amount", req.MerchantFeeAmount, r.MerchantFeeAmount, true},
		{"to_address", req.ToAddress, r.ToAddress, false},
	}
	var diffs []InputDifference
	for _, in := range inputs {
		if in.requested == "" || in.existing == "" || in.existing == in.requested || (in.amount && SameDecimal(in.existing, in.requested)) {
			continue
		}
		diffs = append(diffs, InputDifference{Field: in.field, Requested: in.requested, Existing: in.existing})
	}
	return diffs
}

// RefundNotAdoptable says why a create must not adopt refund r, found under its request_id, at time
// now, or "" when it may: only what an interrupted apply could have made, recent and not final.
func RefundNotAdoptable(r *Refund, now time.Time) string {
	if IsFinalRefundStatus(r.Status) {
		return "it is " + r.Status + ", and only a refund that is not final yet is adopted"
	}
	if r.CreatedTimestamp == nil {
		return "Cobo did not report when it was created"
	}
	if age := now.Sub(time.Unix(*r.CreatedTimestamp, 0)); age > RefundAdoptWindow {
		return fmt.Sprintf("it was created %s ago, and only a refund created in the last %s is adopted", windowWords(age.Truncate(time.Minute)), windowWords(RefundAdoptWindow))
	}
	return ""
}
