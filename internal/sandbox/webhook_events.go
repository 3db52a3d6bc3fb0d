package sandbox

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// Webhook events from the order lifecycle, as Cobo sends them to the endpoints of the order's
// organization that are active and subscribed to the event's type:
//
//	a payment arrives                 payment.transaction.created
//	a payment is confirmed            payment.transaction.completed (a confirmed payment sends both)
//	a payment to a final order        payment.transaction.late (the order is unchanged)
//	every order status change         payment.order.status.updated, and payment.status.updated (its
//	                                  older name) to endpoints subscribed to that
//
// No event is sent for an order created through the API (Cobo sends Pending only for payment links).
// Each endpoint gets its own event (its own event_id), like Cobo's events, which belong to an endpoint.
// An event is saved in the same state file write as the change that caused it (commitLocked), and is
// handed to delivery (webhook_delivery.go) only once saved.

// webhookEvent is the stored state of one event of one endpoint; its exported fields are its row in
// the state file (webhook_events_state.go).
type webhookEvent struct {
	cobo.WebhookEvent `json:"event"`
	EndpointID        string                 `json:"endpoint_id"`
	Attempts          int                    `json:"attempts"`       // scheduled attempts made (the first and the retries); manual retries are not counted
	Logs              []cobo.WebhookEventLog `json:"logs,omitempty"` // one per attempt, oldest first
	org               string                 // its row's organization
	queued            bool                   // waiting in its endpoint's queue or being sent: never queued twice
	manual            bool                   // the queued attempt is a manual retry (the retry route)
}

// eventStore holds the events of every organization in a table, whose sequence (never reset) orders
// them across endpoints; guarded by Sandbox.mu. It is registered with the tables -state keeps.
type eventStore struct {
	*table[webhookEvent]
	unsaved  []*webhookEvent        // created since the last commit: delivered once saved
	retrying map[*webhookEvent]bool // Retrying events waiting for their next_retry_timestamp
}

func newEventStore() *eventStore {
	es := &eventStore{table: newTable(webhookEventsTable, func(ev *webhookEvent) string { return ev.EventID }, checkStoredEvent)}
	es.loaded = func(r *tableRow[webhookEvent]) { es.index(r) }
	es.reset()
	return es
}

// reset forgets every event; the sequence goes on, so event order stays meaningful across a Reset.
func (es *eventStore) reset() {
	es.table.reset()
	es.unsaved, es.retrying = nil, map[*webhookEvent]bool{}
}

// load replaces the events with a saved table's, Retrying ones waiting for their time again.
func (es *eventStore) load(raw json.RawMessage) error {
	es.reset()
	return es.table.load(raw)
}

// add stores a new event of org, to be delivered once saved.
func (es *eventStore) add(org string, ev webhookEvent) {
	r := es.insert(org, es.nextSeq(), ev)
	es.index(r)
	es.unsaved = append(es.unsaved, &r.Value)
}

// index sets what an event keeps beside its saved fields.
func (es *eventStore) index(r *tableRow[webhookEvent]) {
	r.Value.org = r.Org
	if r.Value.Status == cobo.EventStatusRetrying {
		es.retrying[&r.Value] = true
	}
}

// holds reports whether ev is still stored (not dropped by Reset, a failed save or its age).
func (es *eventStore) holds(ev *webhookEvent) bool {
	r := es.get(ev.org, ev.EventID)
	return r != nil && &r.Value == ev
}

// forgetOlderThan drops the Success and Failed events created before the cutoff (ms), which the API no
// longer lists (cobo.WebhookEventRetention); the next save leaves them out of the state file too.
func (es *eventStore) forgetOlderThan(cutoff int64) {
	es.dropOldest(func(ev *webhookEvent) bool { return ev.CreatedTimestamp < cutoff },
		func(ev *webhookEvent) bool {
			return ev.Status == cobo.EventStatusSuccess || ev.Status == cobo.EventStatusFailed
		})
}

// emitLocked creates one event of eventType for every endpoint of org that receives it; data is only
// built when one does (most changes have no endpoint to go to). The caller commits the change; one
// that does not (an expiry found by a read) wakes the delivery scheduler, which saves them.
func (s *Sandbox) emitLocked(org, eventType string, data func() json.RawMessage) {
	endpoints := s.subscribedEndpointsLocked(org, eventType)
	if len(endpoints) == 0 {
		return
	}
	now, body := s.Now().UnixMilli(), data()
	for _, ep := range endpoints {
		s.events.add(org, webhookEvent{
			WebhookEvent: cobo.WebhookEvent{EventID: newUUID(), URL: ep.URL, CreatedTimestamp: now, Type: eventType, Data: body},
			EndpointID:   ep.EndpointID,
		})
	}
	s.ensureDeliveryLocked() // the caller commits, which hands them to delivery once saved
}

// emitOrderStatusLocked sends the order's status events: the whole Order, as the API shows it
// (without the extra fields of SetExtraOrderFields, which are for API answers).
func (s *Sandbox) emitOrderStatusLocked(o *order) {
	data := once(func() json.RawMessage { return withDataType(cobo.DataTypePaymentOrder, &o.Order) })
	s.emitLocked(o.org, cobo.EventPaymentOrderStatusUpdated, data)
	s.emitLocked(o.org, cobo.EventPaymentStatusUpdated, data)
}

// emitTransactionLocked sends transaction events of one of the order's payments (one data for all).
func (s *Sandbox) emitTransactionLocked(o *order, tx *cobo.Transaction, eventTypes ...string) {
	data := once(func() json.RawMessage { return transactionEventData(o, tx) })
	for _, eventType := range eventTypes {
		s.emitLocked(o.org, eventType, data)
	}
}

// once builds data at the first call only (the events of one change share it).
func once(build func() json.RawMessage) func() json.RawMessage {
	var data json.RawMessage
	return func() json.RawMessage {
		if data == nil {
			data = build()
		}
		return data
	}
}

// withDataType encodes v (a JSON object) with "data_type" first, the discriminator of WebhookEventData.
func withDataType(dataType string, v any) json.RawMessage {
	body, err := json.Marshal(v)
	head := `{"data_type":"` + dataType + `"`
	if err != nil || len(body) <= 2 || body[0] != '{' {
		return json.RawMessage(head + "}")
	}
	return append([]byte(head+","), body[1:]...)
}

// paymentTransactionData is the data of a payment.transaction.* event: the spec's
// PaymentTransactionEventData, a wallet Transaction (a deposit to the order's receive address) with the
// pay-in fields. The spec requires transaction_type while naming the property type: both are sent
// (see cobo.WebhookTransactionTypeField).
type paymentTransactionData struct {
	TransactionID       string        `json:"transaction_id"`
	WalletID            string        `json:"wallet_id"`
	Type                string        `json:"type"`
	TransactionType     string        `json:"transaction_type"`
	Status              string        `json:"status"`
	SubStatus           *string       `json:"sub_status,omitempty"`
	ChainID             string        `json:"chain_id"`
	TokenID             string        `json:"token_id"`
	Source              depositSource `json:"source"`
	Destination         depositDest   `json:"destination"`
	InitiatorType       string        `json:"initiator_type"`
	ConfirmedNum        int           `json:"confirmed_num"`
	ConfirmingThreshold int           `json:"confirming_threshold"`
	TransactionHash     string        `json:"transaction_hash,omitempty"`
	CreatedTimestamp    int64         `json:"created_timestamp"`
	UpdatedTimestamp    int64         `json:"updated_timestamp"`
	AcquiringType       string        `json:"acquiring_type"`
	OrderID             string        `json:"order_id,omitempty"`
	PspOrderCode        string        `json:"psp_order_code,omitempty"`
	MerchantID          string        `json:"merchant_id,omitempty"`
}

type depositSource struct {
	SourceType string   `json:"source_type"`
	Addresses  []string `json:"addresses"`
}

type depositDest struct {
	DestinationType string `json:"destination_type"`
	WalletID        string `json:"wallet_id"`
	WalletType      string `json:"wallet_type"`
	Address         string `json:"address"`
	Amount          string `json:"amount"`
}

// confirmingThreshold is the number of confirmations a payment needs in the sandbox's events.
const confirmingThreshold = 12

// transactionEventData builds the data of a transaction event of order o.
func transactionEventData(o *order, tx *cobo.Transaction) json.RawMessage {
	wallet := walletIDOf(o.org)
	d := paymentTransactionData{
		TransactionID: uuidFromTxID(tx.TxID), WalletID: wallet, Type: "Deposit", TransactionType: "Deposit",
		Status: tx.Status, SubStatus: tx.SubStatus, ChainID: o.ChainID, TokenID: deref(tx.TokenID),
		Source:              depositSource{SourceType: "DepositFromAddress", Addresses: []string{tx.FromAddress}},
		Destination:         depositDest{DestinationType: "DepositToAddress", WalletID: wallet, WalletType: "MPC", Address: tx.ToAddress, Amount: tx.Amount},
		InitiatorType:       "External",
		ConfirmingThreshold: confirmingThreshold, TransactionHash: deref(tx.TxHash),
		CreatedTimestamp: tx.CreatedTimestamp, UpdatedTimestamp: tx.UpdatedTimestamp,
		AcquiringType: "Order", OrderID: o.OrderID, PspOrderCode: o.PspOrderCode, MerchantID: deref(o.MerchantID),
	}
	if tx.Status == "Completed" {
		d.ConfirmedNum = confirmingThreshold
	}
	return withDataType(cobo.DataTypePaymentTransaction, d)
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// uuidFromTxID is the transaction_id (a UUID) of a sandbox transaction "tx_" + 32 hex: the same 32
// digits, so an event's transaction_id and the order's tx_id name one payment.
func uuidFromTxID(txID string) string {
	h := strings.TrimPrefix(txID, "tx_")
	if len(h) != 32 || !isHex(h, 32) {
		sum := sha256.Sum256([]byte(txID))
		h = hex.EncodeToString(sum[:16])
	}
	return fmt.Sprintf("%s-%s-%s-%s-%s", h[0:8], h[8:12], h[12:16], h[16:20], h[20:32])
}

// walletIDOf is the organization's (simulated) pay-in wallet id, a UUID derived from its API key.
func walletIDOf(org string) string {
	sum := sha256.Sum256([]byte("wallet/" + org))
	h := hex.EncodeToString(sum[:16])
	return fmt.Sprintf("%s-%s-%s-%s-%s", h[0:8], h[8:12], h[12:16], h[16:20], h[20:32])
}
