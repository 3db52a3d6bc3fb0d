package cobo

import (
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// This file keeps, in one place, what this project assumes where Cobo documents nothing or little,
// and the documented input rules both the provider's plan-time validation and the sandbox enforce.
// Change an assumption here and both follow. The user-facing account of these decisions is the guide
// templates/guides/api-decisions.md.tmpl (rendered to docs/guides/api-decisions.md);
// TestDecisionsGuide keeps the two in step.

// Answers Cobo does not document; the sandbox gives them and the provider expects them.
var (
	// DuplicatePspOrderCode: a reused psp_order_code is rejected with 400 / 2040 ("Duplicate key").
	DuplicatePspOrderCode = ErrorDecision{HTTPStatus: http.StatusBadRequest, Code: CodeDuplicateKey}
	// ExpireNotPending: expiring a Processing, Completed or Underpaid order, or sending
	// {"expired": false}, is 400 / 2006. Expiring an already Expired order is 200 with the order unchanged.
	ExpireNotPending = ErrorDecision{HTTPStatus: http.StatusBadRequest, Code: CodeInvalidParameter}
	// UnknownOrder: an unknown order id is 404 / 2028.
	UnknownOrder = ErrorDecision{HTTPStatus: http.StatusNotFound, Code: CodeNotFound}
	// BadSignature: a bad or missing signature, key or nonce header is 401 / 2024.
	BadSignature = ErrorDecision{HTTPStatus: http.StatusUnauthorized, Code: CodeAuthFailed}
)

// NotFoundInState is what the provider makes of a 404 / 2028 for an order or webhook endpoint that
// the Terraform state holds. Cobo documents no delete for either (an order is expired, an endpoint
// revoked, and both stay readable), so the object was asked for in another organization (api_secret),
// environment (env or host) or a sandbox that forgot it, never deleted: the refresh fails and keeps the
// state, instead of planning a second object. A destroy that meets it forgets the object, with a
// warning: the user asked for it to go, and failing would leave only terraform state rm.
const NotFoundInState = "an error that keeps the state"

// ErrorDecision is an HTTP status with the business code that goes with it.
type ErrorDecision struct {
	HTTPStatus int
	Code       int
}

// APIBasePathSuffix is how the path of a base URL ends. Cobo's hosts (DevBaseURL, ProdBaseURL) and the
// sandbox serve the API under /v2, and every signed path includes it; a host given without it (such as
// https://api.dev.cobo.com) would reach no API route at all. A prefix before it is allowed, for a
// gateway that serves the API under a path of its own (https://gateway.example/cobo/v2); a trailing
// slash is ignored. This is checked at plan time, before any request is sent.
const APIBasePathSuffix = "/v2"

// IsAPIBasePath reports whether a base URL's path is the API base (see APIBasePathSuffix).
func IsAPIBasePath(p string) bool {
	return strings.HasSuffix(strings.TrimRight(p, "/"), APIBasePathSuffix)
}

// AdoptWindow: a create whose psp_order_code Cobo already has adopts that order only when its inputs
// match, it is Pending, and Cobo created it at most this long ago: what an apply stopped before it
// could save its order leaves behind (a create times out after 2 minutes by default, and a re-run
// follows within minutes). An older, Expired or paid order is someone else's, or one an earlier
// removed block forgot: the create fails, naming it, with an import block. An order whose creation
// time Cobo does not report is never adopted.
const AdoptWindow = 15 * time.Minute

// AdoptableStatus is the only status of an order a create adopts (see AdoptWindow).
const AdoptableStatus = StatusPending

// NonceWindow is how far a request nonce may be from the server's wall clock (not documented by Cobo).
const NonceWindow = 5 * time.Minute

// exchange_rate is in every Order (a required key of Order), "" where it does not apply: when the
// creator supplied payable_amount. The sandbox answers so; the provider keeps "" as sent.

// Expiry bounds of expired_in, in seconds (documented).
const (
	ExpiredInMin     = 1
	ExpiredInMax     = 10800
	ExpiredInDefault = 1800
)

// ExpireOnlyStatus is the only status from which an order can be expired (documented).
const ExpireOnlyStatus = StatusPending

// ChainIDForToken derives chain_id from a token id's prefix: ETH_USDT -> ETH, TRON_USDT -> TRON.
func ChainIDForToken(tokenID string) string {
	if i := strings.IndexByte(tokenID, '_'); i > 0 {
		return tokenID[:i]
	}
	return tokenID
}

// PayinTokenIDs are the tokens Cobo documents for pay-in orders. The provider does not reject others
// (dev has test tokens and other pages spell two of them differently); the API is the judge.
var PayinTokenIDs = []string{
	"ETH_USDC", "ARBITRUM_USDC", "SOL_USDC", "BASE_USDC", "MATIC_USDC", "BSC_USDC",
	"TRON_USDT", "ETH_USDT", "ARBITRUM_USDT", "SOL_USDT", "BASE_USDT", "MATIC_USDT", "BSC_USDT",
}

// PayinTokenAliases are spellings other Cobo pages use for two of the tokens above.
var PayinTokenAliases = map[string]string{"ARBITRUM_USDCOIN": "ARBITRUM_USDC", "MATIC_USDC2": "MATIC_USDC"}

// IsDocumentedPayinToken reports whether id is one of the documented pay-in tokens or their aliases.
func IsDocumentedPayinToken(id string) bool {
	if _, ok := PayinTokenAliases[id]; ok {
		return true
	}
	for _, t := range PayinTokenIDs {
		if t == id {
			return true
		}
	}
	return false
}

// AmountRule is the documented shape of one amount field of the create request.
type AmountRule struct {
	Field       string
	MaxDecimals int
	AllowZero   bool
	Doc         string // what is accepted, in words, for diagnostics and docs
}

// The amount rules of the create request. pricing_amount and payable_amount: "greater than 0 and
// contain two decimal places" (read as: at most two); amount_tolerance: "precision up to 1 decimal
// place"; fee_amount: "0 and positive values are valid", precision undocumented, assumed two decimals
// like the pricing amount it is added to.
var (
	PricingAmountRule   = AmountRule{Field: "pricing_amount", MaxDecimals: 2, Doc: "a decimal string greater than 0 with at most 2 decimal places, such as \"100.00\""}
	PayableAmountRule   = AmountRule{Field: "payable_amount", MaxDecimals: 2, Doc: "a decimal string greater than 0 with at most 2 decimal places, such as \"103.03\""}
	FeeAmountRule       = AmountRule{Field: "fee_amount", MaxDecimals: 2, AllowZero: true, Doc: "a decimal string of 0 or more with at most 2 decimal places, such as \"0\" or \"2.50\""}
	AmountToleranceRule = AmountRule{Field: "amount_tolerance", MaxDecimals: 1, AllowZero: true, Doc: "a decimal string of 0 or more with at most 1 decimal place, such as \"0.5\""}
)

var decimalPattern = regexp.MustCompile(`^[0-9]{1,20}(\.[0-9]{1,18})?$`)

// Check returns nil when s satisfies the rule, or an error that says what was wrong and what is accepted.
func (r AmountRule) Check(s string) error {
	if !decimalPattern.MatchString(s) {
		return fmt.Errorf("%s must be %s; %q is not a plain decimal number (no sign, exponent, spaces or thousands separators)", r.Field, r.Doc, s)
	}
	if i := strings.IndexByte(s, '.'); i >= 0 && len(s)-i-1 > r.MaxDecimals {
		return fmt.Errorf("%s must be %s; %q has %d decimal places", r.Field, r.Doc, s, len(s)-i-1)
	}
	if !r.AllowZero && strings.Trim(s, "0.") == "" {
		return fmt.Errorf("%s must be %s; %q is zero", r.Field, r.Doc, s)
	}
	return nil
}

// SameDecimal reports whether two decimal strings denote the same amount ("2" and "2.00"). Cobo
// documents amounts as strings without saying whether it normalises them, so comparisons are numeric.
func SameDecimal(a, b string) bool {
	if a == b {
		return true
	}
	x, okA := new(big.Rat).SetString(a)
	y, okB := new(big.Rat).SetString(b)
	return okA && okB && x.Cmp(y) == 0
}

// Webhooks: what Cobo documents (the 2-second answer, 10 retries, 200 or 201, HTTPS, no redirects) and
// what it leaves open, decided here. The sandbox delivers by these; the provider validates by them.

// Answers of the webhook routes Cobo does not document.
var (
	// UnknownWebhookResource: an unknown endpoint or event id, or one of another organization, is 404 /
	// 2028, like an unknown order.
	UnknownWebhookResource = ErrorDecision{HTTPStatus: http.StatusNotFound, Code: CodeNotFound}
	// InvalidWebhookRequest: a bad url, an unknown event type, a PUT with a status other than
	// STATUS_INACTIVE or to a revoked endpoint, a retry of an event that is not Retrying or Failed, a
	// test trigger of a non-Payments type: 400 / 2006 naming what was wrong.
	InvalidWebhookRequest = ErrorDecision{HTTPStatus: http.StatusBadRequest, Code: CodeInvalidParameter}
	// MissingWebhookEvents: an empty or missing subscribed_events is 400 / 2003.
	MissingWebhookEvents = ErrorDecision{HTTPStatus: http.StatusBadRequest, Code: CodeMissingParameter}
)

// WebhookURLMaxLength is the longest endpoint url (the spec's maxLength).
const WebhookURLMaxLength = 500

// WebhookDeliveryTimeout is how long an endpoint has to answer 200 or 201 (documented: 2 seconds).
const WebhookDeliveryTimeout = 2 * time.Second

// WebhookMaxRetries is how many times an event is sent again after its first attempt fails
// (documented: up to 10), after which it is Failed.
const WebhookMaxRetries = 10

// WebhookRetrySchedule is the wait before each retry, by the sender's clock (undocumented; chosen
// to grow roughly exponentially over about a day, like other payment providers' schedules). Retry n
// (1-based) waits WebhookRetrySchedule[n-1] after attempt n failed.
var WebhookRetrySchedule = [WebhookMaxRetries]time.Duration{
	1 * time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 30 * time.Minute,
	1 * time.Hour, 2 * time.Hour, 4 * time.Hour, 8 * time.Hour, 16 * time.Hour,
}

// IsWebhookDelivered reports whether an endpoint's HTTP answer counts as delivered (documented: 200
// or 201; any other status, a redirect included, is a failed attempt).
func IsWebhookDelivered(status int) bool {
	return status == http.StatusOK || status == http.StatusCreated
}

// WebhookRejectStatus: Cobo does not say what a receiver should answer to a delivery whose signature
// does not verify. Every answer but 200 or 201 is a failed attempt, retried alike, so it only labels the
// logs; the receive-order-events guide and examples/webhook-receiver answer 400 (the request is bad),
// not 401, which would ask the sender for credentials it cannot change.
const WebhookRejectStatus = http.StatusBadRequest

// WebhookHeaderSpellings: which spelling of the signature headers reaches a handler is undocumented
// (Cobo's guide writes BIZ_TIMESTAMP / BIZ_RESP_SIGNATURE, its samples read Biz-Timestamp /
// Biz-Resp-Signature, and proxies such as nginx drop underscore headers by default), so both are sent
// with the same values, and receivers should read either.
var WebhookHeaderSpellings = [][2]string{
	{HeaderWebhookTimestamp, HeaderWebhookSignature},
	{HeaderWebhookTimestampDash, HeaderWebhookSignatureDash},
}

// WebhookEndpointTimestampUnit: the spec describes WebhookEndpoint.created_timestamp in seconds but
// gives an example in milliseconds, and every other webhook timestamp is in milliseconds; milliseconds
// are assumed, and the provider shows the value as Cobo sends it.
const WebhookEndpointTimestampUnit = time.Millisecond

// WebhookDuplicateURL: Cobo does not say whether a second endpoint may have the url of one that is
// active or pending. The sandbox accepts it (the API is not assumed to refuse what Cobo does not
// document refusing); the provider never registers one: its create looks the url up first and fails
// naming the existing endpoint, with the import block to adopt it.
const WebhookDuplicateURL = "accepted by the sandbox; refused by the provider before any request"

// WebhookEventRetention is how long events can be listed (documented: the last 30 days).
const WebhookEventRetention = 30 * 24 * time.Hour

// ValidateWebhookURL checks an endpoint url as Cobo delivers to it: an absolute https URL of at most
// WebhookURLMaxLength characters. Decided: http is accepted for loopback hosts only (localhost,
// 127.0.0.0/8, ::1), which the sandbox serves and Cobo could never reach anyway.
func ValidateWebhookURL(s string) error {
	const accepted = "an absolute https URL such as https://example.com/cobo/webhook (http only for a loopback host such as http://127.0.0.1:8080/hook)"
	if len(s) > WebhookURLMaxLength {
		return fmt.Errorf("url must be at most %d characters, got %d", WebhookURLMaxLength, len(s))
	}
	u, err := url.Parse(s)
	if err != nil || !u.IsAbs() || u.Host == "" || u.Hostname() == "" {
		return fmt.Errorf("url must be %s; %q is not an absolute URL", accepted, s)
	}
	switch {
	case u.Scheme == "https":
		return nil
	case u.Scheme == "http" && IsLoopbackHost(u.Hostname()):
		return nil
	case u.Scheme == "http":
		return fmt.Errorf("url must be %s; %q uses http to a host that is not loopback (Cobo delivers only over https)", accepted, s)
	}
	return fmt.Errorf("url must be %s; %q has the scheme %q", accepted, s, u.Scheme)
}

// IsLoopbackHost reports whether a URL's host name is loopback by its spelling: localhost (or a name
// under .localhost), or an IP literal in 127.0.0.0/8 or ::1. Delivery checks the resolved address too.
func IsLoopbackHost(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// Webhook events: what the spec leaves open or contradicts about the events themselves, decided for
// the sandbox (which sends them) and for receivers (which the guide tells what to expect).
const (
	// WebhookTransactionTypeFields: PaymentTransactionEventData requires transaction_type while the
	// Transaction schema it extends names the property type; a transaction event carries both, with the
	// same value (Deposit for a pay-in).
	WebhookTransactionTypeFields = "type and transaction_type, with the same value"
	// WebhookEventPerEndpoint: an event belongs to one endpoint (it is listed under it, with its url);
	// a change that two endpoints receive makes two events, each with its own event_id.
	WebhookEventPerEndpoint = "one event, with its own event_id, per endpoint that receives it"
	// WebhookFirstAttemptStatus: the delivered body is the event as it stands. The first attempt carries
	// no status; a retry carries status Retrying, next_retry_timestamp (the time of this attempt) and
	// retries_left (counting this attempt).
	WebhookFirstAttemptStatus = "no status on the first attempt; Retrying with next_retry_timestamp and retries_left on a retry"
	// WebhookManualRetry: a retry through the API is one extra attempt at once, outside the schedule and
	// not counted among the 10 retries: a success makes the event Success, a failure leaves its status,
	// retries_left and next_retry_timestamp as they were.
	WebhookManualRetry = "one extra attempt at once, outside the schedule"
	// WebhookTriggerTargets: the spec says a test event goes to "all endpoints"; it goes to the
	// organization's endpoints that receive events and are subscribed to its type, as a real event would
	// (an endpoint not subscribed to a type is not expected to handle it).
	WebhookTriggerTargets = "the organization's active endpoints subscribed to the event type"
	// WebhookLatePayment: a payment to an order in a final status (Completed, Expired, Underpaid) sends
	// payment.transaction.late and changes nothing in the order: it is not counted, not listed in its
	// transactions, and its status stays.
	WebhookLatePayment = "payment.transaction.late; the order is unchanged"
	// WebhookEventLogStatus: the spec's WebhookEventLog requires a status that it does not declare (Cobo's
	// SDKs drop it); a log carries the event's status right after that attempt (Success, Retrying or
	// Failed), so the answer matches the spec and says what the attempt led to.
	WebhookEventLogStatus = "the event's status after the attempt"
)

// WebhookTriggerEventTypes are the types a test event can have in the sandbox: the pay-in order types,
// whose data (PaymentOrder, PaymentTransaction) it emulates. Cobo accepts every Payments type; the
// sandbox answers another type with InvalidWebhookRequest naming it.
var WebhookTriggerEventTypes = []string{
	EventPaymentOrderStatusUpdated, EventPaymentStatusUpdated,
	EventPaymentTransactionCreated, EventPaymentTransactionHeld, EventPaymentTransactionCompleted,
	EventPaymentTransactionLate, EventPaymentTransactionFailed,
}

// EndpointReceivesEvents reports whether an endpoint in status st is sent events. Decided from the
// spec's status descriptions (the issue behind this said STATUS_ACTIVE only): an endpoint awaiting
// approval of an update or a revoke stays active, under the subscription last approved, until the
// change is approved; one awaiting approval of its registration, revoked or rejected receives nothing.
func EndpointReceivesEvents(st string) bool {
	switch st {
	case EndpointStatusActive, EndpointStatusPendingUpdate, EndpointStatusPendingInact:
		return true
	}
	return false
}

// WebhookPendingChanges: what a PUT does to an endpoint awaiting approval (undocumented). While its
// registration waits, an update changes it in place and a revoke withdraws it at once
// (STATUS_INACTIVE); while a revoke waits, an update is InvalidWebhookRequest and another revoke
// answers the endpoint unchanged.
const WebhookPendingChanges = "a waiting registration changes in place or is withdrawn at once; an update while a revoke waits is refused"

// Merchants, refunds and balances (payments-merchants-refunds.openapi.yaml and the Payments manual):
// what Cobo leaves open, decided for the sandbox, which keeps the ledger, and for the guide.
var (
	// UnknownMerchant: updating a merchant id the organization lacks is 404 / 2028, like an unknown order.
	UnknownMerchant = ErrorDecision{HTTPStatus: http.StatusNotFound, Code: CodeNotFound}
	// MerchantNotInOrganization: an order, a refund or a balance query naming a merchant the
	// organization lacks is 400 / 2006 naming it (Cobo's text: the merchant must be the organization's).
	MerchantNotInOrganization = ErrorDecision{HTTPStatus: http.StatusBadRequest, Code: CodeInvalidParameter}
	// UnknownRefund: an unknown refund id, or one of another organization, is 404 / 2028.
	UnknownRefund = ErrorDecision{HTTPStatus: http.StatusNotFound, Code: CodeNotFound}
	// DuplicateRefundRequestID: a reused request_id is 400 / 2040 ("Duplicate key", like a reused
	// psp_order_code), naming the refund that holds it.
	DuplicateRefundRequestID = ErrorDecision{HTTPStatus: http.StatusBadRequest, Code: CodeDuplicateKey}
	// InsufficientBalance: a refund above the balance it takes from is 400 / 2006 and stores nothing.
	InsufficientBalance = ErrorDecision{HTTPStatus: http.StatusBadRequest, Code: CodeInvalidParameter}
	// RefundProcessed: updating or cancelling a refund that is Processing, Completed or Failed is
	// 400 / 2006 naming its status.
	RefundProcessed = ErrorDecision{HTTPStatus: http.StatusBadRequest, Code: CodeInvalidParameter}
)

// RefundCancelledReason: Cobo has no Canceled status. A cancelled refund shows status Failed with this
// failed_reason, and its amount goes back to its balance; cancelling it again answers it unchanged.
const RefundCancelledReason = "Cancelled through the API"

// RefundProcessingDelay and RefundCompletionDelay: how long after a refund becomes Pending the
// sandbox makes it Processing (a transaction with a tx_hash) and Completed, on its clock.
const (
	RefundProcessingDelay = 10 * time.Second
	RefundCompletionDelay = 60 * time.Second
)

const (
	// RefundAmountIsNet: Refund.amount is what the payer receives, payable_amount less
	// merchant_fee_amount (the manual: the payer receives payable_amount - F).
	RefundAmountIsNet = "amount is payable_amount less merchant_fee_amount"
	// RefundBalanceTiming: a refund's payable_amount leaves its balance when the refund is created (so
	// two refunds can never overdraw it), comes back when it fails or is cancelled, and the merchant
	// fee reaches the developer balance when it completes.
	RefundBalanceTiming = "taken at creation, given back on failure or cancel, the fee moved on completion"
	// RefundFeeToken: merchant_fee_token_id, when sent, must be the refund's token_id.
	RefundFeeToken = "the fee is in the refund's token"
	// PaymentCountsWhenConfirmed: a payment moves the balances when it is confirmed (when the order
	// counts it), not when the order settles.
	PaymentCountsWhenConfirmed = "when the payment is confirmed"
	// OrderSplitWithoutPricing: an order created with payable_amount and no pricing_amount splits what it
	// receives (payable_amount - fee_amount) : fee_amount; the merchant's share is rounded down to the
	// token's precision and the developer gets the rest.
	OrderSplitWithoutPricing = "(payable_amount - fee_amount) : fee_amount"
	// DefaultMerchantName: each organization's default merchant (wallet_setup Default) is named
	// "Organization " and the first 8 characters of its API key.
	DefaultMerchantName = "Organization "
	// RefundCreatedEvent: payment.refund.status.updated is sent for a refund's first status too (when
	// it is created), not only for later changes, so a receiver sees every status a refund had.
	RefundCreatedEvent = "sent when a refund is created, and at every status change"
	// MerchantDuplicateNames: no rule on duplicate merchant names exists; the sandbox accepts them.
	MerchantDuplicateNames = "accepted"
	// MerchantBalanceRows: with token_id, the merchant balance route answers one row per merchant asked
	// (every merchant of the organization without merchant_ids), zeros included; with merchant_ids
	// only, one row per token that moved each merchant's balance.
	MerchantBalanceRows = "one row per merchant with token_id; per moved token without"
)

// How the provider manages merchants (cobo_payment_merchant), where Cobo has no get-by-id, no delete
// and no idempotency key, and says nothing about names. The API decisions guide states each.
const (
	// MerchantNameTaken: before a create, a name is taken when an existing merchant's name is exactly
	// the same (case and spaces included); Cobo's keyword filter is fuzzy, so its matches are filtered.
	// A taken name is an error with an import block, so one declaration never makes two merchants.
	MerchantNameTaken = "exactly the same (case and spaces included)"
	// MerchantRename: an update may rename a merchant to a name another merchant has (Cobo has no rule
	// against it); only a create checks names.
	MerchantRename = "a rename is not checked against other merchants' names"
	// MerchantReplacedNeedsNewName: a new wallet_setup makes a new merchant while the old one stays in
	// Cobo under its name, so a plan that changes wallet_setup without changing name is refused.
	MerchantReplacedNeedsNewName = "`wallet_setup` needs a new `name` too"
	// MerchantDestroy: Cobo cannot delete a merchant. Destroy removes it from the Terraform state with
	// a warning naming it; it stays in Cobo, and importing it brings it back.
	MerchantDestroy = "removed from the Terraform state with a warning; the merchant stays in Cobo"
	// MerchantMissing: a merchant missing from the list on refresh is an error naming the likely wrong
	// api_secret, env or host, never a removal: Cobo cannot delete merchants.
	MerchantMissing = "an error, never a silent removal"
	// MerchantRateCleared: Cobo reads an absent developer_fee_rate as zero and documents no way to
	// clear one, so removing developer_fee_rate from the configuration sends "0", and a zero rate shows
	// as null when the configuration sets none.
	MerchantRateCleared = "removing `developer_fee_rate` sends `\"0\"`"
	// MerchantWalkMaxAge: one Terraform command reuses its walk of the merchant list for at most this
	// long (creates and updates start a new walk), so a plan lists the merchants once, not once each.
	MerchantWalkMaxAge = 5 * time.Minute
)

// Decisions of the cobo_payment_refund resource, where Cobo is silent.
const (
	// RefundAdoptWindow: a create that finds a refund under its request_id (a lost answer) adopts it
	// only when every input matches, it is not final and Cobo created it this recently: what an
	// interrupted apply could have made. The orders' window.
	RefundAdoptWindow = AdoptWindow
	// RefundAddressChange: to_address is set or changed in place (PUT) while the refund is
	// PendingConfirmation or Pending; later a change is a plan-time error, never a replacement, which
	// would move the money a second time.
	RefundAddressChange = "in place while PendingConfirmation or Pending, else a plan-time error"
	// RefundFeeFields: merchant_fee_amount and merchant_fee_token_id are accepted only with
	// charge_merchant_fee = true, which needs merchant_fee_amount (Cobo would ignore them).
	RefundFeeFields = "only with charge_merchant_fee = true"
	// RefundCommissionFee: commission_fee (an object the spec does not describe) is kept as the JSON
	// string Cobo sent, null when absent.
	RefundCommissionFee = "the JSON string Cobo sent"
	// RefundPayableAmountRead: Cobo's Refund has no payable_amount; an import reads it as amount plus
	// merchant_fee_amount when the fee was charged (RefundAmountIsNet).
	RefundPayableAmountRead = "amount plus merchant_fee_amount"
	// RefundOrderMerchant: Cobo does not say whether a Merchant refund may name an order another
	// merchant received. The provider refuses it at apply (the order is read there anyway): it would
	// take the money from a merchant that never received the payment.
	RefundOrderMerchant = "a Merchant refund with order_id takes from the order's merchant"
)
