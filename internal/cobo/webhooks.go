package cobo

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// This file mirrors the webhook part of Cobo's API (webhooks.openapi.yaml, v1.42.0): endpoints, events,
// delivery logs, the payments test trigger, and how a delivered event is signed. What Cobo leaves
// undocumented about webhooks is decided in decisions.go.

// Pay-in order event types (a subset of WebhookEventTypes).
const (
	EventPaymentOrderStatusUpdated   = "payment.order.status.updated"
	EventPaymentStatusUpdated        = "payment.status.updated" // the older name of the event above
	EventPaymentTransactionCreated   = "payment.transaction.created"
	EventPaymentTransactionHeld      = "payment.transaction.held"
	EventPaymentTransactionCompleted = "payment.transaction.completed"
	EventPaymentTransactionLate      = "payment.transaction.late" // a payment after the order's final status
	EventPaymentTransactionFailed    = "payment.transaction.failed"
)

// WebhookEventTypes is the WebhookEventType enum of the spec, in its order. Cobo adds types over time:
// the provider warns about a type not listed here instead of rejecting it; the sandbox, which stands in
// for Cobo, rejects it.
var WebhookEventTypes = []string{
	"wallets.transaction.created", "wallets.transaction.updated", "wallets.transaction.failed",
	"wallets.transaction.succeeded", "wallets.mpc.tss_request.created", "wallets.mpc.tss_request.updated",
	"wallets.mpc.tss_request.failed", "wallets.mpc.tss_request.succeeded", "wallets.addresses.created",
	"wallets.created", "wallets.updated", "wallets.token_listing.failed", "wallets.token_listing.succeeded",
	"mpc_vaults.created", "mpc_vaults.updated", "mpc_vaults.deleted", "organizations.updated",
	"fee_station.transaction.created", "fee_station.transaction.updated", "fee_station.transaction.failed",
	"fee_station.transaction.succeeded", "fee_station.fiat_transaction.created", "wallet.token.enabled",
	"wallet.chain.enabled", "wallet.mpc.balance.updated", "wallet.web3.balance.updated",
	"wallet.token.disabled", "wallet.chain.disabled", "token.suspended.deposit", "token.suspended.withdraw",
	EventPaymentTransactionCreated, EventPaymentTransactionLate, EventPaymentTransactionCompleted,
	EventPaymentTransactionHeld, EventPaymentTransactionFailed, "payment.account.balance.updated",
	EventPaymentStatusUpdated, EventPaymentOrderStatusUpdated, "payment.refund.status.updated",
	"payment.settlement.status.updated", "payment.payout.status.updated",
	"payment.bank_withdrawal.status.updated", "payment.address.updated",
	"payment.subscription.status.updated", "payment.charge.status.updated",
	"payment.bulk_send.status.updated", "payment.bulk_send.item.status.updated",
	"payment.transaction.external.created", "payment.transaction.external.completed",
	"payment.transaction.settlement_network.created", "payment.transaction.settlement_network.completed",
	"compliance.disposition.status.updated", "compliance.kyt.screenings.status.updated",
	"compliance.kya.screenings.status.updated",
}

// IsKnownWebhookEventType reports whether t is in WebhookEventTypes.
func IsKnownWebhookEventType(t string) bool {
	for _, known := range WebhookEventTypes {
		if known == t {
			return true
		}
	}
	return false
}

// IsPaymentWebhookEventType reports whether t is a Payments event type, the only kind
// POST /payments/webhooks/trigger sends.
func IsPaymentWebhookEventType(t string) bool {
	return strings.HasPrefix(t, "payment.") && IsKnownWebhookEventType(t)
}

// Webhook endpoint statuses (WebhookEndpointStatus). Only STATUS_ACTIVE endpoints receive events;
// STATUS_INACTIVE (revoked) and STATUS_REJECT_ACTIVE are final; the STATUS_PENDING_* ones await
// approval in Cobo Portal, where the organization requires it.
const (
	EndpointStatusActive         = "STATUS_ACTIVE"
	EndpointStatusInactive       = "STATUS_INACTIVE"
	EndpointStatusPendingActive  = "STATUS_PENDING_ACTIVE"
	EndpointStatusPendingInact   = "STATUS_PENDING_INACTIVE"
	EndpointStatusPendingUpdate  = "STATUS_PENDING_UPDATE"
	EndpointStatusRejectedActive = "STATUS_REJECT_ACTIVE"
)

// WebhookEndpointStatuses is the WebhookEndpointStatus enum, in the spec's order.
var WebhookEndpointStatuses = []string{
	EndpointStatusActive, EndpointStatusInactive, EndpointStatusPendingActive,
	EndpointStatusPendingInact, EndpointStatusPendingUpdate, EndpointStatusRejectedActive,
}

// IsFinalEndpointStatus reports whether an endpoint in status st can never receive events again.
func IsFinalEndpointStatus(st string) bool {
	return st == EndpointStatusInactive || st == EndpointStatusRejectedActive
}

// Webhook event statuses (WebhookEventStatus).
const (
	EventStatusSuccess  = "Success"
	EventStatusRetrying = "Retrying"
	EventStatusFailed   = "Failed"
)

// WebhookEventStatuses is the WebhookEventStatus enum.
var WebhookEventStatuses = []string{EventStatusSuccess, EventStatusRetrying, EventStatusFailed}

// Webhook event data types (the data_type discriminator of WebhookEventData) of pay-in events.
const (
	DataTypePaymentOrder       = "PaymentOrder"
	DataTypePaymentTransaction = "PaymentTransaction"
)

// WebhookEndpoint mirrors Cobo's WebhookEndpoint. CreatedTimestamp's unit is decided in decisions.go
// (WebhookEndpointTimestampUnit).
type WebhookEndpoint struct {
	EndpointID       string   `json:"endpoint_id"`
	URL              string   `json:"url"`
	SubscribedEvents []string `json:"subscribed_events"`
	Status           string   `json:"status"`
	Description      *string  `json:"description,omitempty"`
	CreatedTimestamp int64    `json:"created_timestamp"`
}

// CreateWebhookEndpointRequest is the body of POST /webhooks/endpoints.
type CreateWebhookEndpointRequest struct {
	URL              string   `json:"url"`
	SubscribedEvents []string `json:"subscribed_events"`
	Description      string   `json:"description,omitempty"`
}

// UpdateWebhookEndpointRequest is the body of PUT /webhooks/endpoints/{endpoint_id}. Nil fields are not
// sent; Status can only be EndpointStatusInactive (revoke). The URL cannot be updated.
type UpdateWebhookEndpointRequest struct {
	SubscribedEvents []string `json:"subscribed_events,omitempty"`
	Description      *string  `json:"description,omitempty"`
	Status           string   `json:"status,omitempty"`
}

// WebhookEndpointPage is one page of GET /webhooks/endpoints.
type WebhookEndpointPage = Page[WebhookEndpoint]

// WebhookEvent mirrors Cobo's WebhookEvent: the body of a delivery, and what the event routes return.
// Data is kept as sent (a PaymentOrder or PaymentTransaction object with its data_type).
type WebhookEvent struct {
	EventID            string          `json:"event_id"`
	URL                string          `json:"url"`
	CreatedTimestamp   int64           `json:"created_timestamp"` // milliseconds, unchanged across retries
	Type               string          `json:"type"`
	Data               json.RawMessage `json:"data"`
	Status             string          `json:"status,omitempty"`
	NextRetryTimestamp *int64          `json:"next_retry_timestamp,omitempty"` // milliseconds; only while Retrying
	RetriesLeft        *int            `json:"retries_left,omitempty"`         // only while Retrying
}

// WebhookEventPage is one page of GET /webhooks/endpoints/{endpoint_id}/events.
type WebhookEventPage = Page[WebhookEvent]

// WebhookEventLog mirrors Cobo's WebhookEventLog: one delivery attempt.
type WebhookEventLog struct {
	ID                 string            `json:"id"`
	CreatedTimestamp   int64             `json:"created_timestamp"` // milliseconds
	Status             string            `json:"status"`            // the event's status after this attempt (WebhookEventLogStatus)
	RequestHeaders     map[string]string `json:"request_headers"`
	RequestBody        json.RawMessage   `json:"request_body"` // the WebhookEvent as sent
	ResponseBody       *string           `json:"response_body,omitempty"`
	ResponseStatusCode *int              `json:"response_status_code,omitempty"`
	ResponseTime       *int64            `json:"response_time,omitempty"` // milliseconds
	Success            bool              `json:"success"`
	FailureReason      *string           `json:"failure_reason,omitempty"`
}

// WebhookEventLogPage is one page of GET .../events/{event_id}/logs.
type WebhookEventLogPage = Page[WebhookEventLog]

// WebhookEventDefinition is one entry of GET /webhooks/events/definitions.
type WebhookEventDefinition struct {
	EventType   string `json:"event_type"`
	Description string `json:"description"`
}

// TriggerWebhookEventRequest is the body of POST /payments/webhooks/trigger. OverrideData, when set,
// is a JSON object whose fields replace those of the default payload.
type TriggerWebhookEventRequest struct {
	EventType    string          `json:"event_type"`
	OverrideData json.RawMessage `json:"override_data,omitempty"`
}

// PageParams are the cursor parameters every webhook list takes.
type PageParams struct {
	Limit  int // 1..MaxPageSize; 0 sends nothing (Cobo's default is 10)
	Before string
	After  string
}

// ListWebhookEndpointsParams are the query parameters of GET /webhooks/endpoints.
type ListWebhookEndpointsParams struct {
	PageParams
	Status    string
	EventType string
}

// ListWebhookEventsParams are the query parameters of GET /webhooks/endpoints/{endpoint_id}/events.
type ListWebhookEventsParams struct {
	PageParams
	Status string
	Type   string
}

// Validate rejects what Cobo refuses, before it reaches the network.
func (p PageParams) Validate() error {
	return ListOrdersParams{Limit: p.Limit, Before: p.Before, After: p.After}.Validate()
}

// query encodes the parameters, in a fixed order, with extra filters (name, value pairs) first.
func (p PageParams) query(filters ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(filters); i += 2 {
		if filters[i+1] != "" {
			v.Set(filters[i], filters[i+1])
		}
	}
	if p.Limit > 0 {
		v.Set("limit", strconv.Itoa(p.Limit))
	}
	if p.Before != "" {
		v.Set("before", p.Before)
	}
	if p.After != "" {
		v.Set("after", p.After)
	}
	return v.Encode()
}

// Query encodes the endpoint list parameters.
func (p ListWebhookEndpointsParams) Query() string {
	return p.query("status", p.Status, "event_type", p.EventType)
}

// Query encodes the event list parameters.
func (p ListWebhookEventsParams) Query() string {
	return p.query("status", p.Status, "type", p.Type)
}

// Header names of a delivered event's signature. Cobo's guide spells them with underscores, its
// samples read them with dashes; the sandbox sends both (see WebhookHeaderSpellings in decisions.go).
const (
	HeaderWebhookTimestamp     = "BIZ_TIMESTAMP"
	HeaderWebhookSignature     = "BIZ_RESP_SIGNATURE"
	HeaderWebhookTimestampDash = "Biz-Timestamp"
	HeaderWebhookSignatureDash = "Biz-Resp-Signature"
)

// Cobo's public keys for the signatures of delivered events (hex Ed25519).
const (
	WebhookPublicKeyDev  = "a04ea1d5fa8da71f1dcfccf972b9c4eba0a2d8aba1f6da26f49977b08a0d2718"
	WebhookPublicKeyProd = "8d4a482641adb2a34b726f05827dba9a9653e5857469b8749052bf4458a86729"
)

// WebhookDigest is what a delivered event's Ed25519 signature covers: SHA256(SHA256(body|timestamp)),
// over the raw body bytes and the timestamp header's value (milliseconds, as a decimal string).
func WebhookDigest(body []byte, timestamp string) []byte {
	msg := make([]byte, 0, len(body)+1+len(timestamp))
	msg = append(append(append(msg, body...), '|'), timestamp...)
	first := sha256.Sum256(msg)
	second := sha256.Sum256(first[:])
	return second[:]
}

// SignWebhook returns the lowercase hex signature of a delivered event.
func SignWebhook(key ed25519.PrivateKey, body []byte, timestamp string) string {
	return hex.EncodeToString(ed25519.Sign(key, WebhookDigest(body, timestamp)))
}

// VerifyWebhook checks a delivered event's signature with the sender's hex public key.
func VerifyWebhook(publicKeyHex, signatureHex string, body []byte, timestamp string) error {
	pub, err := hex.DecodeString(publicKeyHex)
	if err != nil || len(pub) != ed25519.PublicKeySize {
		return errors.New("the webhook public key must be 64 hexadecimal characters")
	}
	sig, err := hex.DecodeString(signatureHex)
	if err != nil || len(sig) != ed25519.SignatureSize {
		return fmt.Errorf("the signature must be 128 hexadecimal characters, got %d", len(signatureHex))
	}
	if !ed25519.Verify(ed25519.PublicKey(pub), WebhookDigest(body, timestamp), sig) {
		return errors.New("the signature does not match the body and timestamp (wrong key, or the body was changed)")
	}
	return nil
}

// WebhookSignatureHeaders reads the timestamp and signature of a delivered event in either spelling.
// Go canonicalizes BIZ_TIMESTAMP to Biz_timestamp; Get does the same to its argument, so both match.
func WebhookSignatureHeaders(h http.Header) (timestamp, signature string) {
	timestamp, signature = h.Get(HeaderWebhookTimestampDash), h.Get(HeaderWebhookSignatureDash)
	if timestamp == "" {
		timestamp = h.Get(HeaderWebhookTimestamp)
	}
	if signature == "" {
		signature = h.Get(HeaderWebhookSignature)
	}
	return timestamp, signature
}

// SetWebhookSignatureHeaders sets both spellings of the signature headers, the underscore ones exactly
// as Cobo's guide writes them (set in the map directly: Set would canonicalize them to Biz_timestamp).
func SetWebhookSignatureHeaders(h http.Header, timestamp, signature string) {
	h[HeaderWebhookTimestamp] = []string{timestamp}
	h[HeaderWebhookSignature] = []string{signature}
	h.Set(HeaderWebhookTimestampDash, timestamp)
	h.Set(HeaderWebhookSignatureDash, signature)
}
