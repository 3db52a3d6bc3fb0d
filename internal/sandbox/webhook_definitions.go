package sandbox

import (
	"net/http"
	"strings"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// payinEventDescriptions describes the pay-in event types, the ones the sandbox sends for order
// changes. Every other type of cobo.WebhookEventTypes is described by its name (eventDescription), so
// the enum stays in one place.
var payinEventDescriptions = map[string]string{
	cobo.EventPaymentOrderStatusUpdated:   "Occurs when the status of a pay-in order changes (Processing, Completed, Underpaid, Expired); the data is the whole order (data_type PaymentOrder)",
	cobo.EventPaymentStatusUpdated:        "The older name of payment.order.status.updated, sent to the endpoints subscribed to it",
	cobo.EventPaymentTransactionCreated:   "Occurs when a payment to a pay-in order is detected on chain (data_type PaymentTransaction)",
	cobo.EventPaymentTransactionHeld:      "Occurs when a payment to a pay-in order is held",
	cobo.EventPaymentTransactionCompleted: "Occurs when a payment to a pay-in order is confirmed",
	cobo.EventPaymentTransactionLate:      "Occurs when a payment arrives after its order reached a final status",
	cobo.EventPaymentTransactionFailed:    "Occurs when a payment to a pay-in order fails",
	eventRefundStatusUpdated:              "Occurs when a refund is created or its status changes; the data is the whole refund (data_type PaymentRefund)",
	eventAccountBalanceUpdate:             "Occurs when a merchant or developer balance changes (data_type PaymentAccountBalanceUpdate)",
}

// eventDescription is the description GET /v2/webhooks/events/definitions gives an event type.
func eventDescription(eventType string) string {
	if d, ok := payinEventDescriptions[eventType]; ok {
		return d
	}
	words := strings.NewReplacer(".", " ", "_", " ").Replace(eventType) // wallets.transaction.created -> "wallets transaction created"
	return "Occurs on " + words
}

// webhookEventDefinitions is GET /v2/webhooks/events/definitions: every event type of Cobo's enum.
func (s *Sandbox) webhookEventDefinitions(apiRequest) *response {
	out := make([]cobo.WebhookEventDefinition, len(cobo.WebhookEventTypes))
	for i, t := range cobo.WebhookEventTypes {
		out[i] = cobo.WebhookEventDefinition{EventType: t, Description: eventDescription(t)}
	}
	return jsonResponse(http.StatusOK, out)
}
