package sandbox

import (
	"encoding/json"
)

// Webhook events of refunds and balances, delivered like the order events (webhook_events.go):
//
//	every refund status change (creation included)   payment.refund.status.updated (data_type PaymentRefund, the whole Refund)
//	every balance change                             payment.account.balance.updated (data_type PaymentAccountBalanceUpdate)
const (
	eventRefundStatusUpdated  = "payment.refund.status.updated"
	eventAccountBalanceUpdate = "payment.account.balance.updated"
	dataTypePaymentRefund     = "PaymentRefund"
	dataTypeBalanceUpdate     = "PaymentAccountBalanceUpdate"
)

// balanceEventData is the spec's PaymentAccountBalanceUpdateEventData (without data_type).
type balanceEventData struct {
	SourceAccount    string `json:"source_account"`
	SourceID         string `json:"source_id"`
	SourceType       string `json:"source_type"`
	TokenID          string `json:"token_id"`
	Amount           string `json:"amount"`
	AmountRaw        string `json:"amount_raw"`
	BalanceBefore    string `json:"balance_before"`
	BalanceBeforeRaw string `json:"balance_before_raw"`
	BalanceAfter     string `json:"balance_after"`
	BalanceAfterRaw  string `json:"balance_after_raw"`
	FlowDirection    string `json:"flow_direction"`
	UpdateTime       int64  `json:"update_time"`
}

func (s *Sandbox) emitBalanceLocked(org string, d balanceEventData) {
	s.emitLocked(org, eventAccountBalanceUpdate, func() json.RawMessage { return withDataType(dataTypeBalanceUpdate, d) })
}

// emitRefundLocked sends the refund's status event: the whole Refund as the API shows it now.
func (s *Sandbox) emitRefundLocked(org string, r *refund) {
	s.emitLocked(org, eventRefundStatusUpdated, func() json.RawMessage { return withDataType(dataTypePaymentRefund, r.Refund) }) // encoded at once
}
