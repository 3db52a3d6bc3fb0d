package sandbox

import (
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// Errors of the simulation helpers (Pay, ConfirmTransaction and their HTTP routes). Test with errors.Is.
var (
	ErrNotFound = errors.New("sandbox: not found")       // unknown order or transaction (HTTP 404)
	ErrConflict = errors.New("sandbox: conflict")        // the order or transaction is final (HTTP 409)
	ErrInvalid  = errors.New("sandbox: invalid request") // a malformed helper input (HTTP 400)
)

type helperError struct {
	kind error
	msg  string
}

func (e *helperError) Error() string { return e.msg }
func (e *helperError) Unwrap() error { return e.kind }

func newHelperError(kind error, format string, args ...any) error {
	return &helperError{kind: kind, msg: fmt.Sprintf(format, args...)}
}

// Payment is a simulated incoming on-chain payment to an order's receive address.
type Payment struct {
	Amount      string `json:"amount"`                 // positive decimal, in the payable token
	Confirmed   *bool  `json:"confirmed,omitempty"`    // nil means true
	TxHash      string `json:"tx_hash,omitempty"`      // default: random "0x"+64 hex
	FromAddress string `json:"from_address,omitempty"` // default: derived from the order id
}

// paymentAmountRule accepts any positive plain decimal with token precision.
var paymentAmountRule = cobo.AmountRule{Field: "amount", MaxDecimals: 18, Doc: "a positive decimal string such as \"10.00\""}

// Pay simulates a payment to the order (of any organization). A confirmed payment counts at once: the
// order becomes Completed (settlement_status Pending) once the confirmed total reaches payable_amount
// minus amount_tolerance, Processing before that, and the amount is split between the merchant and
// developer balances (ledger.go). An unconfirmed one adds a Confirming transaction and makes a Pending
// order Processing without counting; ConfirmTransaction counts it later. A payment to a final order
// (after expiry is applied with the sandbox clock) is late: the order is unchanged (not counted nor
// listed, and Pay returns it as it is), the amount goes wholly to the developer balance, and
// payment.transaction.late is sent. Each step sends its webhook events (webhook_events.go).
func (s *Sandbox) Pay(orderID string, p Payment) (*cobo.Order, error) {
	if err := paymentAmountRule.Check(p.Amount); err != nil {
		return nil, newHelperError(ErrInvalid, "%s", err.Error())
	}
	amount, decimals, ok := parseDecimal(p.Amount)
	if !ok || amount.Sign() <= 0 {
		return nil, newHelperError(ErrInvalid, "amount must be a positive decimal, got %q", p.Amount)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.findOrderLocked(orderID)
	if o == nil {
		return nil, newHelperError(ErrNotFound, "pay-in order %q not found", orderID)
	}
	now := s.Now()
	s.advanceLocked(o, now)
	tx := newPayment(o, p, now)
	if o.Status != cobo.StatusPending && o.Status != cobo.StatusProcessing {
		return s.latePaymentLocked(o, &tx, amount)
	}
	before := o.Status
	o.Transactions = append(o.Transactions, tx)
	if tx.Status == "Completed" {
		s.countLocked(o, amount, decimals)
	} else if o.Status == cobo.StatusPending {
		o.Status = cobo.StatusProcessing
	}
	o.UpdatedTimestamp = i64Ptr(now.Unix())
	s.emitPaymentEventsLocked(o, &tx, before, true)
	c := cloneOrder(&o.Order)
	if err := s.commitLocked(); err != nil {
		return nil, err
	}
	return &c, nil
}

// newPayment is the transaction of a simulated payment to o's receive address.
func newPayment(o *order, p Payment, now time.Time) cobo.Transaction {
	ms := now.UnixMilli()
	txHash := p.TxHash
	if txHash == "" {
		txHash = "0x" + randomHex(32)
	}
	from := p.FromAddress
	if from == "" {
		from = addressFor(o.ChainID, "from/"+o.OrderID+"/"+strconv.Itoa(len(o.Transactions)))
	}
	tx := cobo.Transaction{
		TxID: "tx_" + randomHex(16), TxHash: strPtr(txHash), TokenID: strPtr(*o.PayableCurrency),
		FromAddress: from, ToAddress: o.ReceiveAddress, Amount: p.Amount, Status: "Completed",
		CreatedTimestamp: ms, UpdatedTimestamp: ms,
	}
	if p.Confirmed != nil && !*p.Confirmed {
		tx.Status = "Confirming"
		tx.SubStatus = strPtr("PendingBlockConfirmations")
	}
	return tx
}

// latePaymentLocked sends payment.transaction.late for a payment to a final order, which it leaves
// unchanged, and credits the amount wholly to the developer balance, in one commit.
func (s *Sandbox) latePaymentLocked(o *order, tx *cobo.Transaction, amount *big.Rat) (*cobo.Order, error) {
	s.emitTransactionLocked(o, tx, cobo.EventPaymentTransactionLate)
	s.creditLatePaymentLocked(o, amount)
	c := cloneOrder(&o.Order)
	if err := s.commitLocked(); err != nil {
		return nil, err
	}
	return &c, nil
}

// emitPaymentEventsLocked sends payment.transaction.created for a new payment, .completed for a
// confirmed one, and the order's status events when its status changed from before.
func (s *Sandbox) emitPaymentEventsLocked(o *order, tx *cobo.Transaction, before string, created bool) {
	var types []string
	if created {
		types = append(types, cobo.EventPaymentTransactionCreated)
	}
	if tx.Status == "Completed" {
		types = append(types, cobo.EventPaymentTransactionCompleted)
	}
	s.emitTransactionLocked(o, tx, types...)
	if o.Status != before {
		s.emitOrderStatusLocked(o)
	}
}

// ConfirmTransaction confirms a Confirming transaction added by an unconfirmed Pay: it becomes
// Completed, its amount counts, and the order is re-evaluated.
func (s *Sandbox) ConfirmTransaction(orderID, txID string) (*cobo.Order, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, err := s.openOrderLocked(orderID)
	if err != nil {
		return nil, err
	}
	idx := -1
	for i := range o.Transactions {
		if o.Transactions[i].TxID == txID {
			idx = i
			break
		}
	}
	if idx < 0 {
		return nil, newHelperError(ErrNotFound, "order %s has no transaction %q", orderID, txID)
	}
	tx := &o.Transactions[idx]
	if tx.Status != "Confirming" {
		return nil, newHelperError(ErrConflict, "transaction %s of order %s is %s, not Confirming", txID, orderID, tx.Status)
	}
	amount, decimals, ok := parseDecimal(tx.Amount)
	if !ok {
		return nil, newHelperError(ErrInvalid, "transaction %s has an unreadable amount %q", txID, tx.Amount)
	}
	now := s.Now()
	before := o.Status
	tx.Status = "Completed"
	tx.SubStatus = nil
	tx.UpdatedTimestamp = now.UnixMilli()
	s.countLocked(o, amount, decimals)
	o.UpdatedTimestamp = i64Ptr(now.Unix())
	s.emitPaymentEventsLocked(o, tx, before, false)
	c := cloneOrder(&o.Order)
	if err := s.commitLocked(); err != nil {
		return nil, err
	}
	return &c, nil
}

// openOrderLocked finds an order that still accepts payments.
func (s *Sandbox) openOrderLocked(orderID string) (*order, error) {
	o := s.findOrderLocked(orderID)
	if o == nil {
		return nil, newHelperError(ErrNotFound, "pay-in order %q not found", orderID)
	}
	s.advanceLocked(o, s.Now())
	if o.Status != cobo.StatusPending && o.Status != cobo.StatusProcessing {
		return nil, newHelperError(ErrConflict, "pay-in order %s is %s, which is final: only Pending or Processing orders accept payments (a late payment is not counted)", orderID, o.Status)
	}
	return o, nil
}

// countLocked adds a confirmed amount and moves the order to Processing or Completed.
func (s *Sandbox) countLocked(o *order, amount *big.Rat, decimals int) {
	s.splitOrderPaymentLocked(o, amount)
	o.received.Add(o.received, amount)
	o.receivedDecimals = max(o.receivedDecimals, decimals)
	o.ReceivedTokenAmount = formatDecimal(o.received, o.receivedDecimals)
	due := new(big.Rat).Sub(o.payable, o.tolerance)
	if o.received.Cmp(due) >= 0 {
		o.Status = cobo.StatusCompleted
		o.SettlementStatus = strPtr("Pending")
	} else {
		o.Status = cobo.StatusProcessing
	}
}
