package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// The test events of POST /v2/payments/webhooks/trigger: a realistic default payload of the event's
// data type (a Completed order, or a completed deposit to it), each field of override_data replacing
// the default's, sent like a real event to the organization's active endpoints subscribed to the type
// (cobo.WebhookTriggerTargets). The sandbox emulates pay-in orders only, so it triggers the pay-in
// Payments types, whose data (PaymentOrder, PaymentTransaction) it knows; another Payments type is
// 400 / 2006 naming it (cobo.WebhookTriggerTypes).

// triggerTypes are the event types the trigger sends.
var triggerTypes = cobo.WebhookTriggerEventTypes

// triggerData is the data of a test event: the default of eventType with override's fields over it.
// data_type cannot be overridden (it follows the event type).
func triggerData(eventType string, override map[string]json.RawMessage, now time.Time, org string) (json.RawMessage, error) {
	o := sampleOrder(now, org)
	var def json.RawMessage
	if eventType == cobo.EventPaymentOrderStatusUpdated || eventType == cobo.EventPaymentStatusUpdated {
		def = withDataType(cobo.DataTypePaymentOrder, &o.Order)
	} else {
		tx := sampleTransaction(eventType, &o.Order)
		def = transactionEventData(o, &tx)
	}
	if len(override) == 0 {
		return def, nil
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(def, &fields); err != nil {
		return nil, err
	}
	if raw, ok := override["data_type"]; ok && string(raw) != string(fields["data_type"]) {
		return nil, fmt.Errorf("data_type is %s for %s and cannot be overridden", fields["data_type"], eventType)
	}
	for k, v := range override {
		fields[k] = v
	}
	out, err := json.Marshal(fields)
	if err != nil {
		return nil, errors.New("the merged payload cannot be encoded")
	}
	return withDataTypeFirst(out), nil
}

// withDataTypeFirst re-encodes a data object with data_type first, as the sandbox's other events.
func withDataTypeFirst(data []byte) json.RawMessage {
	var fields map[string]json.RawMessage
	if json.Unmarshal(data, &fields) != nil {
		return data
	}
	var dataType string
	_ = json.Unmarshal(fields["data_type"], &dataType)
	delete(fields, "data_type")
	return withDataType(dataType, fields)
}

// sampleOrder is the default order of a test event: Completed, paid in full, with ids that say "TEST".
func sampleOrder(now time.Time, org string) *order {
	sec := now.Unix()
	const amount = "100.50"
	o := &order{org: org, payable: big.NewRat(10050, 100)}
	o.Order = cobo.Order{
		OrderID: fmt.Sprintf("O%s-TEST-000001", now.UTC().Format("20060102")), MerchantID: strPtr("M1001"),
		PspOrderCode: "TEST-" + now.UTC().Format("20060102150405"), FeeAmount: "0.50",
		PayableCurrency: strPtr("ETH_USDT"), TokenID: strPtr("ETH_USDT"), ChainID: "ETH", PayableAmount: amount,
		PricingCurrency: strPtr("USD"), Currency: strPtr("USD"), PricingAmount: strPtr("99.00"), OrderAmount: strPtr("99.00"),
		ExchangeRate: "0.99", Status: cobo.StatusCompleted, ReceivedTokenAmount: amount, SettlementStatus: strPtr("Pending"),
		ReceiveAddress: addressFor("ETH", "receive/test-event"),
		ExpiredAt:      i64Ptr(sec + 1800), CreatedTimestamp: i64Ptr(sec - 60), UpdatedTimestamp: i64Ptr(sec),
	}
	tx := sampleTransaction(cobo.EventPaymentTransactionCompleted, &o.Order)
	o.Transactions = []cobo.Transaction{tx}
	return o
}

// sampleTransaction is the default payment of a test event; its status follows the event type.
func sampleTransaction(eventType string, o *cobo.Order) cobo.Transaction {
	ms := *o.UpdatedTimestamp * 1000
	tx := cobo.Transaction{
		TxID: "tx_" + "7e57" + "0000000000000000000000000001", TxHash: strPtr("0x" + randomHex(32)), TokenID: o.TokenID,
		FromAddress: addressFor(o.ChainID, "from/test-event"), ToAddress: o.ReceiveAddress, Amount: o.PayableAmount,
		Status: "Completed", CreatedTimestamp: ms, UpdatedTimestamp: ms,
	}
	switch eventType {
	case cobo.EventPaymentTransactionCreated:
		tx.Status, tx.SubStatus = "Confirming", strPtr("PendingBlockConfirmations")
	case cobo.EventPaymentTransactionHeld:
		tx.Status, tx.SubStatus = "PendingScreening", strPtr("PendingCoboKYTCheck")
	case cobo.EventPaymentTransactionFailed:
		tx.Status, tx.SubStatus, tx.FailedReason = "Failed", strPtr("RejectedByCoboKYT"), strPtr("Rejected by Cobo KYT screening")
	}
	return tx
}
