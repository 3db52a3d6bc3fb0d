package cobo

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// Order mirrors Cobo's Order object (spec v1.42.0). Keys the spec marks required are plain values; the
// others are pointers so that a key Cobo omits stays distinguishable from an empty one. Unknown keys in
// responses are ignored.
type Order struct {
	OrderID             string        `json:"order_id"`
	MerchantID          *string       `json:"merchant_id,omitempty"`
	MerchantOrderCode   *string       `json:"merchant_order_code,omitempty"`
	PspOrderCode        string        `json:"psp_order_code"`
	PricingCurrency     *string       `json:"pricing_currency,omitempty"`
	PricingAmount       *string       `json:"pricing_amount,omitempty"`
	FeeAmount           string        `json:"fee_amount"`
	PayableCurrency     *string       `json:"payable_currency,omitempty"`
	ChainID             string        `json:"chain_id"`
	PayableAmount       string        `json:"payable_amount"`
	ExchangeRate        string        `json:"exchange_rate"`
	AmountTolerance     *string       `json:"amount_tolerance,omitempty"`
	ReceiveAddress      string        `json:"receive_address"`
	Status              string        `json:"status"`
	ReceivedTokenAmount string        `json:"received_token_amount"`
	ExpiredAt           *int64        `json:"expired_at,omitempty"`
	CreatedTimestamp    *int64        `json:"created_timestamp,omitempty"`
	UpdatedTimestamp    *int64        `json:"updated_timestamp,omitempty"`
	Transactions        []Transaction `json:"transactions,omitempty"`
	Currency            *string       `json:"currency,omitempty"`
	OrderAmount         *string       `json:"order_amount,omitempty"`
	TokenID             *string       `json:"token_id,omitempty"`
	SettlementStatus    *string       `json:"settlement_status,omitempty"`
}

// OrderRequiredKeys are the keys the spec marks required on every Order.
var OrderRequiredKeys = []string{
	"order_id", "chain_id", "payable_amount", "receive_address", "fee_amount",
	"exchange_rate", "psp_order_code", "status", "received_token_amount",
}

// Transaction mirrors Cobo's PaymentTransaction. Its timestamps are milliseconds, unlike the Order's.
type Transaction struct {
	TxID             string  `json:"tx_id"`
	TxHash           *string `json:"tx_hash,omitempty"`
	TokenID          *string `json:"token_id,omitempty"`
	FromAddress      string  `json:"from_address"`
	ToAddress        string  `json:"to_address"`
	Amount           string  `json:"amount"`
	Status           string  `json:"status"`
	SubStatus        *string `json:"sub_status,omitempty"`
	FailedReason     *string `json:"failed_reason,omitempty"`
	CreatedTimestamp int64   `json:"created_timestamp"`
	UpdatedTimestamp int64   `json:"updated_timestamp"`
}

// Order statuses.
const (
	StatusPending    = "Pending"
	StatusProcessing = "Processing"
	StatusCompleted  = "Completed"
	StatusExpired    = "Expired"
	StatusUnderpaid  = "Underpaid"
)

// OrderStatuses is the order status enum, in lifecycle order.
var OrderStatuses = []string{StatusPending, StatusProcessing, StatusCompleted, StatusExpired, StatusUnderpaid}

// SettlementStatuses is the settlement status enum.
var SettlementStatuses = []string{"Pending", "Processing", "Completed", "PartiallyCompleted", "Failed"}

// CreateOrderRequest is the body of POST /payments/orders. Field order is the wire order; amounts are
// decimal strings. The deprecated seed-era names are accepted by Cobo and kept for completeness.
type CreateOrderRequest struct {
	MerchantID        string `json:"merchant_id"`
	PspOrderCode      string `json:"psp_order_code"`
	FeeAmount         string `json:"fee_amount"`
	PayableCurrency   string `json:"payable_currency"`
	PricingAmount     string `json:"pricing_amount,omitempty"`
	PricingCurrency   string `json:"pricing_currency,omitempty"`
	PayableAmount     string `json:"payable_amount,omitempty"`
	ExpiredIn         *int64 `json:"expired_in,omitempty"`
	AmountTolerance   string `json:"amount_tolerance,omitempty"`
	MerchantOrderCode string `json:"merchant_order_code,omitempty"`
	TokenID           string `json:"token_id,omitempty"`
	Currency          string `json:"currency,omitempty"`
	OrderAmount       string `json:"order_amount,omitempty"`
}

// UpdateOrderRequest is the body of PUT /payments/orders/{order_id}. Cobo accepts only expired=true.
type UpdateOrderRequest struct {
	Expired bool `json:"expired"`
}

// ListOrdersParams are the query parameters of GET /payments/orders.
type ListOrdersParams struct {
	Limit        int      // 1..MaxPageSize; 0 sends nothing (Cobo's default is 10)
	Before       string   // cursor
	After        string   // cursor
	MerchantID   string   // filter
	PspOrderCode string   // filter, sent as psp_order_id
	Statuses     []string // filter, sent comma-separated
}

// MaxPageSize is the largest page the list endpoint serves.
const MaxPageSize = 50

// Validate rejects parameter combinations Cobo refuses, before they reach the network.
func (p ListOrdersParams) Validate() error {
	if p.Limit < 0 || p.Limit > MaxPageSize {
		return fmt.Errorf("limit must be between 1 and %d, got %d", MaxPageSize, p.Limit)
	}
	if p.Before != "" && p.After != "" {
		return fmt.Errorf("before and after cannot be used together")
	}
	return nil
}

// Query encodes the parameters the way they go on the wire: keys sorted, values escaped.
func (p ListOrdersParams) Query() string {
	q := make([]string, 0, 6)
	add := func(k, v string) {
		if v != "" {
			q = append(q, url.QueryEscape(k)+"="+url.QueryEscape(v))
		}
	}
	add("after", p.After)
	add("before", p.Before)
	if p.Limit > 0 {
		add("limit", fmt.Sprint(p.Limit))
	}
	add("merchant_id", p.MerchantID)
	add("psp_order_id", p.PspOrderCode)
	add("statuses", strings.Join(p.Statuses, ","))
	sort.Strings(q)
	return strings.Join(q, "&")
}

// Pagination is the cursor block of a list response.
type Pagination struct {
	Before     string `json:"before"`
	After      string `json:"after"`
	TotalCount int    `json:"total_count"`
}

// OrderPage is one page of GET /payments/orders.
type OrderPage = Page[Order]

// DecodeOrder decodes one Order and checks that every required key is present, so that a truncated or
// foreign object is an error rather than an order full of empty strings.
//
// It decodes twice on purpose: the struct cannot tell which keys were sent (encoding/json matches
// "ORDER_ID" to order_id, leaves a field alone for null, and keeps an earlier duplicate over a later
// null), so the check reads the keys as a map, exactly as sent, and unknown keys stay ignored.
func DecodeOrder(data []byte) (*Order, error) {
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(data, &keys); err != nil {
		return nil, fmt.Errorf("the response is not a JSON object: %w", err)
	}
	if err := checkOrderKeys(keys); err != nil {
		return nil, err
	}
	var o Order
	if err := json.Unmarshal(data, &o); err != nil {
		return nil, fmt.Errorf("the response is not a valid Order: %w", err)
	}
	if o.OrderID == "" {
		return nil, errEmptyOrderID
	}
	return &o, nil
}

// DecodeOrderPage decodes a list response and checks every order in it.
func DecodeOrderPage(data []byte) (*OrderPage, error) {
	var raw struct {
		Data       *[]map[string]json.RawMessage `json:"data"`
		Pagination *Pagination                   `json:"pagination"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("the response is not a valid order list: %w", err)
	}
	// A page without data must not read as "no such order": the create lookup relies on it.
	if raw.Data == nil {
		return nil, fmt.Errorf("the order list response has no data array")
	}
	if raw.Pagination == nil {
		return nil, fmt.Errorf("the order list response has no pagination block")
	}
	for i, keys := range *raw.Data {
		if err := checkOrderKeys(keys); err != nil {
			return nil, fmt.Errorf("order %d of the page: %w", i, err)
		}
	}
	var page OrderPage
	if err := json.Unmarshal(data, &page); err != nil {
		return nil, fmt.Errorf("the response is not a valid order list: %w", err)
	}
	for i := range page.Data {
		if page.Data[i].OrderID == "" {
			return nil, fmt.Errorf("order %d of the page: %w", i, errEmptyOrderID)
		}
	}
	return &page, nil
}

// errEmptyOrderID: an order without an id cannot be tracked, read back or expired.
var errEmptyOrderID = errors.New("the Order in the response has an empty order_id")

func checkOrderKeys(keys map[string]json.RawMessage) error {
	var missing []string
	for _, k := range OrderRequiredKeys {
		if v, ok := keys[k]; !ok || string(v) == "null" {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("the Order in the response lacks required keys: %s", strings.Join(missing, ", "))
	}
	return nil
}
