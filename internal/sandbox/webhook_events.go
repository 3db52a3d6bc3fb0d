package sandbox

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
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

// webhookEvent is the stored state of one event of one endpoint.
type webhookEvent struct {
	cobo.WebhookEvent
	org        string
	endpointID string
	seq        int64                  // creation order across endpoints; never reused
	attempts   int                    // scheduled attempts made (the first and the retries); manual retries are not counted
	logs       []cobo.WebhookEventLog // one per attempt, oldest first
	queued     bool                   // waiting in its endpoint's queue or being sent: never queued twice
	manual     bool                   // the queued attempt is a manual retry (the retry route)
}

// eventStore holds the events of every organization; guarded by Sandbox.mu.
type eventStore struct {
	seq        int64
	byID       map[string]*webhookEvent
	byEndpoint map[string][]*webhookEvent // creation order
	unsaved    []*webhookEvent            // created since the last commit: delivered once saved
	retrying   map[*webhookEvent]bool     // Retrying events waiting for their next_retry_timestamp
}

func (es *eventStore) reset() {
	seq := es.seq // never reset, so event order stays meaningful across a Reset
	*es = eventStore{seq: seq, byID: map[string]*webhookEvent{}, byEndpoint: map[string][]*webhookEvent{}, retrying: map[*webhookEvent]bool{}}
}

func (es *eventStore) insert(ev *webhookEvent) {
	es.byID[ev.EventID] = ev
	es.byEndpoint[ev.endpointID] = append(es.byEndpoint[ev.endpointID], ev)
	if ev.Status == cobo.EventStatusRetrying {
		es.retrying[ev] = true
	}
}

// forgetOlderThan drops the Success and Failed events created before the cutoff (ms), which the API no
// longer lists (cobo.WebhookEventRetention); the next save leaves them out of the state file too.
func (es *eventStore) forgetOlderThan(cutoff int64) {
	for endpointID, list := range es.byEndpoint {
		n := 0
		for n < len(list) && list[n].CreatedTimestamp < cutoff && (list[n].Status == cobo.EventStatusSuccess || list[n].Status == cobo.EventStatusFailed) {
			delete(es.byID, list[n].EventID)
			n++
		}
		if n > 0 {
			es.byEndpoint[endpointID] = slices.Clone(list[n:])
		}
	}
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
		s.events.seq++
		ev := &webhookEvent{
			WebhookEvent: cobo.WebhookEvent{EventID: newUUID(), URL: ep.URL, CreatedTimestamp: now, Type: eventType, Data: body},
			org:          org, endpointID: ep.EndpointID, seq: s.events.seq,
		}
		s.events.insert(ev)
		s.events.unsaved = append(s.events.unsaved, ev)
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
