package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// Refunds: money leaving a balance chosen by refund_type (Merchant: that merchant's; Psp: the
// developer's). The amount is taken from the balance when the refund is created (a refund above the
// balance is refused and stores nothing), given back when it fails or is cancelled, and the merchant
// fee moves to the developer when it completes. Lifecycle on the sandbox clock:
//
//	created with to_address     Pending
//	created without             PendingConfirmation, until a PUT sets to_address: Pending
//	cobo.RefundProcessingDelay after Pending    Processing (a transaction with a tx_hash)
//	cobo.RefundCompletionDelay after Pending    Completed
//	PUT .../cancel while Pending or PendingConfirmation: Failed, failed_reason cobo.RefundCancelledReason
//
// CompleteRefund and FailRefund force an outcome. Every status change sends
// payment.refund.status.updated (creation included).

// Refund statuses (RefundStatus) the sandbox uses.
const (
	RefundPendingConfirmation = "PendingConfirmation"
	RefundPending             = "Pending"
	RefundProcessing          = "Processing"
	RefundCompleted           = "Completed"
	RefundFailed              = "Failed"
)

// refundStatuses is the spec's RefundStatus enum.
var refundStatuses = []string{"AddressPending", "AddressSubmitted", RefundPending, RefundProcessing, RefundCompleted, "PartiallyCompleted", RefundFailed, RefundPendingConfirmation}

// Refund types (RefundType).
const (
	RefundTypeMerchant = "Merchant"
	RefundTypePsp      = "Psp"
)

// Refund is the spec's Refund, as the API answers it.
type Refund struct {
	RequestID          string             `json:"request_id"`
	RefundID           string             `json:"refund_id"`
	OrderID            *string            `json:"order_id,omitempty"`
	MerchantID         *string            `json:"merchant_id,omitempty"`
	TokenID            string             `json:"token_id"`
	ChainID            string             `json:"chain_id"`
	Amount             string             `json:"amount"`
	ToAddress          string             `json:"to_address"`
	Status             string             `json:"status"`
	FailedReason       *string            `json:"failed_reason,omitempty"`
	RefundType         string             `json:"refund_type"`
	CreatedTimestamp   int64              `json:"created_timestamp"`
	UpdatedTimestamp   int64              `json:"updated_timestamp"`
	Initiator          string             `json:"initiator"`
	Transactions       []cobo.Transaction `json:"transactions"`
	ChargeMerchantFee  *bool              `json:"charge_merchant_fee,omitempty"`
	MerchantFeeAmount  *string            `json:"merchant_fee_amount,omitempty"`
	MerchantFeeTokenID *string            `json:"merchant_fee_token_id,omitempty"`
}

// refund is a stored refund: the answer, and what the ledger needs.
type refund struct {
	Refund        Refund `json:"refund"`
	PayableAmount string `json:"payable_amount"`       // taken from the source balance
	Fee           string `json:"fee"`                  // to the developer on completion ("0" without)
	PendingAt     int64  `json:"pending_at,omitempty"` // unix seconds it became Pending
}

func newRefundTable() *table[refund] {
	return newTable("refunds", func(r *refund) string { return r.Refund.RefundID }, checkStoredRefund)
}

func checkStoredRefund(r *refund) error {
	switch {
	case r.Refund.RequestID == "" || r.Refund.TokenID == "":
		return errors.New("request_id or token_id is empty")
	case !slices.Contains(refundStatuses, r.Refund.Status):
		return fmt.Errorf("status %q is not a refund status", r.Refund.Status)
	case r.Refund.RefundType != RefundTypeMerchant && r.Refund.RefundType != RefundTypePsp:
		return fmt.Errorf("refund_type %q is not Merchant or Psp", r.Refund.RefundType)
	}
	for _, v := range []string{r.PayableAmount, r.Fee, r.Refund.Amount} {
		if _, _, ok := parseDecimal(v); !ok {
			return fmt.Errorf("amount %q is not a decimal", v)
		}
	}
	return nil
}

// source is the account a refund takes from.
func (r *refund) source() string {
	if r.Refund.RefundType == RefundTypePsp {
		return DeveloperAccount
	}
	return deref(r.Refund.MerchantID)
}

// refundCreate is a create body after decoding.
type refundCreate struct {
	RequestID          string  `json:"request_id"`
	MerchantID         string  `json:"merchant_id"`
	PayableAmount      string  `json:"payable_amount"`
	ToAddress          *string `json:"to_address"`
	TokenID            string  `json:"token_id"`
	RefundType         string  `json:"refund_type"`
	OrderID            string  `json:"order_id"`
	ChargeMerchantFee  *bool   `json:"charge_merchant_fee"`
	MerchantFeeAmount  string  `json:"merchant_fee_amount"`
	MerchantFeeTokenID string  `json:"merchant_fee_token_id"`
}

// checkRefundCreate applies the documented rules that need no state.
func (s *Sandbox) checkRefundCreate(b *refundCreate) *response {
	for _, required := range []struct{ field, value string }{
		{"request_id", b.RequestID}, {"payable_amount", b.PayableAmount}, {"token_id", b.TokenID}, {"refund_type", b.RefundType},
	} {
		if required.value == "" {
			return missingParam("missing required parameter: %s", required.field)
		}
	}
	if err := cobo.RefundPayableAmountRule.Check(b.PayableAmount); err != nil {
		return invalidParam("%s", err.Error())
	}
	switch {
	case !s.isSupportedToken(b.TokenID):
		return invalidParam("token_id %q is not a supported token; GET %s lists them", truncate(b.TokenID, 40), supportedTokensPath)
	case b.RefundType != RefundTypeMerchant && b.RefundType != RefundTypePsp:
		return invalidParam("refund_type must be %s or %s, got %q", RefundTypeMerchant, RefundTypePsp, truncate(b.RefundType, 20))
	case b.ToAddress != nil && strings.TrimSpace(*b.ToAddress) == "":
		return invalidParam("to_address must not be empty (leave it out to set it later with PUT %s/{refund_id})", refundsPath)
	case b.RefundType == RefundTypeMerchant && b.MerchantID == "":
		return missingParam("missing required parameter: merchant_id (required when refund_type is %s)", RefundTypeMerchant)
	}
	if b.RefundType == RefundTypePsp || b.ChargeMerchantFee == nil || !*b.ChargeMerchantFee {
		return nil // the fee fields apply only to a Merchant refund that charges the fee
	}
	if b.MerchantFeeAmount == "" {
		return missingParam("missing required parameter: merchant_fee_amount (required when charge_merchant_fee is true)")
	}
	if err := cobo.MerchantFeeAmountRule.Check(b.MerchantFeeAmount); err != nil {
		return invalidParam("%s", err.Error())
	}
	if mustDecimal(b.MerchantFeeAmount).Cmp(mustDecimal(b.PayableAmount)) >= 0 {
		return invalidParam("merchant_fee_amount %s must be below payable_amount %s", b.MerchantFeeAmount, b.PayableAmount)
	}
	if b.MerchantFeeTokenID != "" && canonicalToken(b.MerchantFeeTokenID) != canonicalToken(b.TokenID) {
		return invalidParam("merchant_fee_token_id %q must be the refund's token_id %q (the fee moves in the refund's token)", truncate(b.MerchantFeeTokenID, 40), b.TokenID)
	}
	return nil
}

// createRefund is POST /v2/payments/refunds.
func (s *Sandbox) createRefund(in apiRequest) *response {
	if _, errResp := decodeObject(in.body); errResp != nil {
		return errResp
	}
	var b refundCreate
	if err := json.Unmarshal(in.body, &b); err != nil {
		return invalidParam("the refund body does not match the spec (strings for ids and amounts, a boolean for charge_merchant_fee): %v", err)
	}
	if errResp := s.checkRefundCreate(&b); errResp != nil {
		return errResp
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ensureOrgLocked(in.org)
	if errResp := s.refundReferencesLocked(in.org, &b); errResp != nil {
		return errResp
	}
	r := s.newRefundLocked(in.org, &b)
	if err := s.moveLocked(ledgerMove{org: in.org, account: r.source(), token: r.Refund.TokenID, amount: new(big.Rat).Neg(mustDecimal(r.PayableAmount)),
		sourceType: sourceRefundOut, sourceID: r.Refund.RefundID, field: "refunded"}); err != nil {
		bal := s.balanceLocked(in.org, r.source(), r.Refund.TokenID)
		return decisionError(cobo.InsufficientBalance, "payable_amount %s is above the %s balance of %s (%s %s): a refund cannot exceed the balance it takes from", r.PayableAmount, r.source(), bal.TokenID, bal.Total, bal.TokenID)
	}
	row := s.refunds.insert(in.org, s.refunds.nextSeq(), *r)
	s.emitRefundLocked(in.org, &row.Value)
	if err := s.commitLocked(); err != nil {
		return coboError(http.StatusInternalServerError, cobo.CodeInternal, "the refund was not created: %v", err)
	}
	return jsonResponse(http.StatusCreated, row.Value.Refund)
}

// refundReferencesLocked checks what a refund names: a request_id not yet used, a merchant and an
// order of the organization.
func (s *Sandbox) refundReferencesLocked(org string, b *refundCreate) *response {
	for _, r := range s.refunds.list(org) {
		if r.Value.Refund.RequestID == b.RequestID {
			return decisionError(cobo.DuplicateRefundRequestID, "Duplicate key: request_id %q is already used by refund %s in this organization (a new refund needs a new request_id)", truncate(b.RequestID, 100), r.Value.Refund.RefundID)
		}
	}
	if b.MerchantID != "" && s.merchants.get(org, b.MerchantID) == nil {
		return decisionError(cobo.MerchantNotInOrganization, "merchant_id %q is not a merchant of this organization", truncate(b.MerchantID, 64))
	}
	if b.OrderID != "" && s.lookupOrderLocked(org, b.OrderID) == nil {
		return invalidParam("order_id %q is not a pay-in order of this organization", truncate(b.OrderID, 100))
	}
	return nil
}

// newRefundLocked builds a refund from a checked body. Refund.amount is what the payer receives:
// payable_amount less the merchant fee (cobo.RefundAmountIsNet).
func (s *Sandbox) newRefundLocked(org string, b *refundCreate) *refund {
	now := s.Now()
	r := &refund{PayableAmount: b.PayableAmount, Fee: "0"}
	id := fmt.Sprintf("R%s-%s-%06d", now.UTC().Format("20060102"), s.idPrefix, s.refunds.seq+1)
	r.Refund = Refund{
		RequestID: b.RequestID, RefundID: id, OrderID: optional(b.OrderID), TokenID: b.TokenID, ChainID: cobo.ChainIDForToken(canonicalToken(b.TokenID)),
		Amount: b.PayableAmount, Status: RefundPendingConfirmation, RefundType: b.RefundType,
		CreatedTimestamp: now.Unix(), UpdatedTimestamp: now.Unix(), Initiator: "api_key_" + org, Transactions: []cobo.Transaction{},
	}
	if b.RefundType == RefundTypeMerchant {
		r.Refund.MerchantID = optional(b.MerchantID)
		if b.ChargeMerchantFee != nil {
			r.Refund.ChargeMerchantFee = b.ChargeMerchantFee
		}
		if b.ChargeMerchantFee != nil && *b.ChargeMerchantFee {
			r.Fee = b.MerchantFeeAmount
			r.Refund.MerchantFeeAmount = strPtr(b.MerchantFeeAmount)
			r.Refund.MerchantFeeTokenID = strPtr(b.TokenID)
			r.Refund.Amount = formatDecimal(new(big.Rat).Sub(mustDecimal(b.PayableAmount), mustDecimal(b.MerchantFeeAmount)), 2)
		}
	}
	if b.ToAddress != nil {
		r.Refund.ToAddress = *b.ToAddress
		r.Refund.Status = RefundPending
		r.PendingAt = now.Unix()
	}
	return r
}

// lookupRefundLocked finds a refund of org and applies its lifecycle.
func (s *Sandbox) lookupRefundLocked(org, id string) *tableRow[refund] {
	row := s.refunds.get(org, id)
	if row != nil {
		s.advanceRefundLocked(row, s.Now())
	}
	return row
}

func unknownRefund(id string) *response {
	return decisionError(cobo.UnknownRefund, "refund %q not found", truncate(id, 100))
}

// withRefundLocked runs handle on the refund of the path ({refund_id}) with its lifecycle applied,
// under the lock, or answers 404.
func (s *Sandbox) withRefundLocked(in apiRequest, handle func(r *refund) *response) *response {
	s.mu.Lock()
	defer s.mu.Unlock()
	row := s.lookupRefundLocked(in.org, in.params["refund_id"])
	if row == nil {
		return unknownRefund(in.params["refund_id"])
	}
	return handle(&row.Value)
}

// getRefund is GET /v2/payments/refunds/{refund_id}.
func (s *Sandbox) getRefund(in apiRequest) *response {
	return s.withRefundLocked(in, func(r *refund) *response { return jsonResponse(http.StatusOK, r.Refund) })
}

// updateRefund is PUT /v2/payments/refunds/{refund_id} with {"to_address"}: while PendingConfirmation
// (it becomes Pending) or Pending (the address changes).
func (s *Sandbox) updateRefund(in apiRequest) *response {
	m, errResp := decodeObject(in.body)
	if errResp != nil {
		return errResp
	}
	var to string
	if raw, ok := m["to_address"]; !ok || json.Unmarshal(raw, &to) != nil || strings.TrimSpace(to) == "" {
		return missingParam("missing required parameter: to_address (a non-empty JSON string)")
	}
	return s.withRefundLocked(in, func(r *refund) *response { return s.setRefundAddressLocked(in.org, r, to) })
}

// setRefundAddressLocked is the update of updateRefund.
func (s *Sandbox) setRefundAddressLocked(org string, r *refund, to string) *response {
	if st := r.Refund.Status; st != RefundPending && st != RefundPendingConfirmation {
		return decisionError(cobo.RefundProcessed, "refund %s is %s: its to_address can only be changed while %s or %s", r.Refund.RefundID, st, RefundPendingConfirmation, RefundPending)
	}
	old := *r
	now := s.Now().Unix()
	r.Refund.ToAddress, r.Refund.UpdatedTimestamp = to, now
	if r.Refund.Status == RefundPendingConfirmation {
		r.Refund.Status, r.PendingAt = RefundPending, now
		s.emitRefundLocked(org, r)
	}
	if err := s.commitLocked(); err != nil {
		*r = old
		return coboError(http.StatusInternalServerError, cobo.CodeInternal, "the refund was not updated: %v", err)
	}
	return jsonResponse(http.StatusOK, r.Refund)
}

// cancelRefund is PUT /v2/payments/refunds/{refund_id}/cancel: while Pending or PendingConfirmation
// the refund becomes Failed (cobo.RefundCancelledReason) and its amount goes back to its balance; a
// refund cancelled before answers unchanged.
func (s *Sandbox) cancelRefund(in apiRequest) *response {
	return s.withRefundLocked(in, func(r *refund) *response { return s.cancelRefundLocked(in.org, r) })
}

func (s *Sandbox) cancelRefundLocked(org string, r *refund) *response {
	switch {
	case r.Refund.Status == RefundFailed && deref(r.Refund.FailedReason) == cobo.RefundCancelledReason:
		return jsonResponse(http.StatusOK, r.Refund)
	case r.Refund.Status != RefundPending && r.Refund.Status != RefundPendingConfirmation:
		return decisionError(cobo.RefundProcessed, "refund %s is %s and cannot be cancelled: only %s or %s refunds can", r.Refund.RefundID, r.Refund.Status, RefundPendingConfirmation, RefundPending)
	}
	s.failRefundLocked(org, r, cobo.RefundCancelledReason)
	if err := s.commitLocked(); err != nil {
		return coboError(http.StatusInternalServerError, cobo.CodeInternal, "the refund was not cancelled: %v", err)
	}
	return jsonResponse(http.StatusOK, r.Refund)
}

// failRefundLocked makes a refund Failed and gives its amount back to the balance it came from.
func (s *Sandbox) failRefundLocked(org string, r *refund, reason string) {
	now := s.Now()
	r.Refund.Status, r.Refund.FailedReason, r.Refund.UpdatedTimestamp = RefundFailed, strPtr(reason), now.Unix()
	for i := range r.Refund.Transactions {
		if tx := &r.Refund.Transactions[i]; tx.Status != "Completed" {
			tx.Status, tx.FailedReason, tx.UpdatedTimestamp = "Failed", strPtr(reason), now.UnixMilli()
		}
	}
	_ = s.moveLocked(ledgerMove{org: org, account: r.source(), token: r.Refund.TokenID, amount: mustDecimal(r.PayableAmount),
		sourceType: sourceRefundOut, sourceID: r.Refund.RefundID, field: "refunded"})
	s.emitRefundLocked(org, r)
}

// processRefundLocked starts the refund's transaction: Processing.
func (s *Sandbox) processRefundLocked(org string, r *refund, at time.Time) {
	ms := at.UnixMilli()
	r.Refund.Transactions = append(r.Refund.Transactions, cobo.Transaction{
		TxID: "tx_" + randomHex(16), TxHash: strPtr("0x" + randomHex(32)), TokenID: strPtr(r.Refund.TokenID),
		FromAddress: addressFor(r.Refund.ChainID, "refund-from/"+org), ToAddress: r.Refund.ToAddress, Amount: r.Refund.Amount,
		Status: "Confirming", SubStatus: strPtr("PendingBlockConfirmations"), CreatedTimestamp: ms, UpdatedTimestamp: ms,
	})
	r.Refund.Status, r.Refund.UpdatedTimestamp = RefundProcessing, at.Unix()
	s.emitRefundLocked(org, r)
}

// completeRefundLocked completes the refund: its transaction Completed, the merchant fee to the developer.
func (s *Sandbox) completeRefundLocked(org string, r *refund, at time.Time) {
	if r.Refund.Status == RefundPending {
		s.processRefundLocked(org, r, at)
	}
	for i := range r.Refund.Transactions {
		tx := &r.Refund.Transactions[i]
		tx.Status, tx.SubStatus, tx.UpdatedTimestamp = "Completed", nil, at.UnixMilli()
	}
	r.Refund.Status, r.Refund.UpdatedTimestamp = RefundCompleted, at.Unix()
	_ = s.moveLocked(ledgerMove{org: org, account: DeveloperAccount, token: r.Refund.TokenID, amount: mustDecimal(r.Fee),
		sourceType: sourceRefundOut, sourceID: r.Refund.RefundID, field: "fee"})
	s.emitRefundLocked(org, r)
}

// advanceRefundLocked applies the clock: Pending -> Processing -> Completed. A change found by a read
// wakes the delivery scheduler, which saves it with its events.
func (s *Sandbox) advanceRefundLocked(row *tableRow[refund], now time.Time) {
	r := &row.Value
	changed := false
	if r.Refund.Status == RefundPending && now.Unix() >= r.PendingAt+int64(cobo.RefundProcessingDelay/time.Second) {
		s.processRefundLocked(row.Org, r, time.Unix(r.PendingAt, 0).Add(cobo.RefundProcessingDelay))
		changed = true
	}
	if r.Refund.Status == RefundProcessing && now.Unix() >= r.PendingAt+int64(cobo.RefundCompletionDelay/time.Second) {
		s.completeRefundLocked(row.Org, r, time.Unix(r.PendingAt, 0).Add(cobo.RefundCompletionDelay))
		changed = true
	}
	if changed {
		s.delivery.wake()
	}
}

// refundListMatches is the filter of GET /v2/payments/refunds: merchant_id, request_id, statuses.
func refundListMatches(q *statusQuery, r *refund) bool {
	return q.is("merchant_id", deref(r.Refund.MerchantID)) && q.is("request_id", r.Refund.RequestID) && q.hasStatus(r.Refund.Status)
}

// listRefunds is GET /v2/payments/refunds: merchant_id, request_id, statuses, paging; oldest first.
func (s *Sandbox) listRefunds(in apiRequest) *response {
	q, errResp := parseStatusQuery(in.query, "a refund status", refundStatuses)
	if errResp != nil {
		return errResp
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.Now()
	for _, row := range s.refunds.list(in.org) {
		s.advanceRefundLocked(row, now)
	}
	rows, pagination, errResp := s.refunds.page(in.org, q.page, "a refund_id", func(r *refund) bool { return refundListMatches(q, r) })
	if errResp != nil {
		return errResp
	}
	data := make([]Refund, len(rows))
	for i, row := range rows {
		data[i] = row.Value.Refund
	}
	return jsonResponse(http.StatusOK, struct {
		Data       []Refund        `json:"data"`
		Pagination cobo.Pagination `json:"pagination"`
	}{data, pagination})
}

// CompleteRefund forces a Pending or Processing refund (of any organization) to Completed.
// ErrNotFound: unknown; ErrConflict: awaiting its address, or final.
func (s *Sandbox) CompleteRefund(id string) (json.RawMessage, error) {
	return s.forceRefund(id, func(org string, r *refund) error {
		if r.Refund.Status != RefundPending && r.Refund.Status != RefundProcessing {
			return newHelperError(ErrConflict, "refund %s is %s: only a Pending or Processing refund can be completed", id, r.Refund.Status)
		}
		s.completeRefundLocked(org, r, s.Now())
		return nil
	})
}

// FailRefund forces a refund that is not final (of any organization) to Failed with reason (a default
// when empty); its amount goes back to its balance. ErrNotFound: unknown; ErrConflict: final.
func (s *Sandbox) FailRefund(id, reason string) (json.RawMessage, error) {
	if reason == "" {
		reason = "failed by the sandbox helper"
	}
	return s.forceRefund(id, func(org string, r *refund) error {
		switch r.Refund.Status {
		case RefundPending, RefundPendingConfirmation, RefundProcessing:
			s.failRefundLocked(org, r, reason)
			return nil
		}
		return newHelperError(ErrConflict, "refund %s is %s, which is final", id, r.Refund.Status)
	})
}

func (s *Sandbox) forceRefund(id string, change func(org string, r *refund) error) (json.RawMessage, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	row := s.refunds.find(id)
	if row == nil {
		return nil, newHelperError(ErrNotFound, "refund %q not found", id)
	}
	s.advanceRefundLocked(row, s.Now())
	if err := change(row.Org, &row.Value); err != nil {
		return nil, err
	}
	if err := s.commitLocked(); err != nil {
		return nil, err
	}
	return json.Marshal(row.Value.Refund)
}
