package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// PricingRates is the sandbox's rate table: units of the pricing currency per token. Without a
// pricing_currency the rate is 1 (amounts are then denominated in the payable token). USD is the
// default of every token's USD rate, which Options.Rates and SetRate change (catalog.go).
var PricingRates = map[string]string{
	"USD": "0.99",
	"EUR": "0.92",
	"GBP": "0.79",
	"SGD": "1.34",
	"HKD": "7.74",
	"CNY": "7.16",
}

// order is the stored state of one pay-in order: its Order, which the state file keeps, and what
// derive makes from it.
type order struct {
	cobo.Order
	org              string
	expiredAt        int64
	payable          *big.Rat
	tolerance        *big.Rat
	received         *big.Rat // confirmed amounts only
	receivedDecimals int
}

// ordersTable is the orders' table in the state file. Its sequence is the global order sequence, part
// of every order id, so that ids never repeat.
const ordersTable = "orders"

func newOrderTable() *table[order] {
	t := newTable(ordersTable, func(o *order) string { return o.OrderID }, checkStoredOrder)
	t.unique = func(o *order) string { return o.PspOrderCode }
	t.loaded = func(r *tableRow[order]) { r.Value.derive(r.Org) }
	return t
}

// derive sets the order's organization and what it keeps parsed beside its Order (checkStoredOrder
// has checked that the amounts parse).
func (o *order) derive(org string) {
	o.org, o.expiredAt = org, *o.ExpiredAt
	o.payable, _, _ = parseDecimal(o.PayableAmount)
	o.received, o.receivedDecimals, _ = parseDecimal(o.ReceivedTokenAmount)
	o.tolerance = new(big.Rat)
	if o.AmountTolerance != nil {
		o.tolerance, _, _ = parseDecimal(*o.AmountTolerance)
	}
}

func checkStoredOrder(o *order) error {
	switch {
	case o.PspOrderCode == "":
		return errors.New("psp_order_code is empty")
	case o.ExpiredAt == nil || o.PayableCurrency == nil:
		return errors.New("expired_at or payable_currency is missing")
	case !isOrderStatus(o.Status):
		return fmt.Errorf("status %q is not an order status", o.Status)
	}
	for _, v := range []string{o.PayableAmount, o.ReceivedTokenAmount} {
		if _, _, ok := parseDecimal(v); !ok {
			return fmt.Errorf("amount %q is not a decimal", v)
		}
	}
	if o.AmountTolerance != nil {
		if _, _, ok := parseDecimal(*o.AmountTolerance); !ok {
			return fmt.Errorf("amount_tolerance %q is not a decimal", *o.AmountTolerance)
		}
	}
	return nil
}

func strPtr(s string) *string { return &s }
func i64Ptr(v int64) *int64   { return &v }

// The fields of the create body and the JSON type each must have.
var createFieldKinds = map[string]string{
	"merchant_id": "string", "merchant_order_code": "string", "psp_order_code": "string",
	"pricing_currency": "string", "pricing_amount": "string", "fee_amount": "string",
	"payable_currency": "string", "payable_amount": "string", "amount_tolerance": "string",
	"currency": "string", "order_amount": "string", "token_id": "string", "custom_exchange_rate": "string",
	"expired_in": "integer", "use_dedicated_address": "boolean",
}

// createFieldOrder is the order in which type errors are reported (the spec's order).
var createFieldOrder = []string{
	"merchant_id", "merchant_order_code", "psp_order_code", "pricing_currency", "pricing_amount",
	"fee_amount", "payable_currency", "payable_amount", "expired_in", "amount_tolerance", "currency",
	"order_amount", "token_id", "use_dedicated_address", "custom_exchange_rate",
}

// orderCreateRequest is an order create body after decoding and validation, deprecated names resolved.
type orderCreateRequest struct {
	merchantID, merchantOrderCode, pspOrderCode  string
	payableCurrency, pricingCurrency             string
	pricingAmount, payableAmount, fee, tolerance string
	expiredIn                                    int64
	rate                                         string // units of the pricing currency per token; "1" without one
}

// createOrder is POST /v2/payments/orders: decode, validate, price, store.
func (s *Sandbox) createOrder(in apiRequest) *response {
	fields, expiredIn, errResp := decodeCreate(in.body)
	if errResp != nil {
		return errResp
	}
	req, errResp := s.validateCreate(fields, expiredIn)
	if errResp != nil {
		return errResp
	}
	payable, exchangeRate, errResp := priceOrder(req)
	if errResp != nil {
		return errResp
	}
	return s.storeOrder(in.org, req, payable, exchangeRate)
}

// decodeCreate checks the JSON type of every known field (in the spec's order) and returns the
// string fields and expired_in (cobo.ExpiredInDefault when absent).
func decodeCreate(body []byte) (map[string]string, int64, *response) {
	m, errResp := decodeObject(body)
	if errResp != nil {
		return nil, 0, errResp
	}
	str := map[string]string{}
	var expiredIn int64 = cobo.ExpiredInDefault
	for _, field := range createFieldOrder {
		raw, ok := m[field]
		if !ok || strings.TrimSpace(string(raw)) == "null" {
			continue
		}
		switch createFieldKinds[field] {
		case "string":
			var v string
			if err := json.Unmarshal(raw, &v); err != nil {
				return nil, 0, invalidParam("%s must be a JSON string, got %s", field, jsonKind(raw))
			}
			str[field] = v
		case "integer":
			n, err := strconv.ParseInt(strings.TrimSpace(string(raw)), 10, 64)
			if err != nil {
				if jsonKind(raw) == "a number" {
					return nil, 0, invalidParam("%s must be an integer number of seconds between %d and %d, got %s", field, cobo.ExpiredInMin, cobo.ExpiredInMax, truncate(string(raw), 30))
				}
				return nil, 0, invalidParam("%s must be a JSON integer, got %s", field, jsonKind(raw))
			}
			expiredIn = n
		case "boolean":
			var v bool
			if err := json.Unmarshal(raw, &v); err != nil {
				return nil, 0, invalidParam("%s must be a JSON boolean, got %s", field, jsonKind(raw))
			}
		}
	}
	return str, expiredIn, nil
}

// validateCreate resolves the deprecated names and applies Cobo's rules (required fields, amount
// formats, expiry range, tokens, pricing currencies).
func (s *Sandbox) validateCreate(str map[string]string, expiredIn int64) (*orderCreateRequest, *response) {
	req := &orderCreateRequest{
		merchantID: str["merchant_id"], merchantOrderCode: str["merchant_order_code"], pspOrderCode: str["psp_order_code"],
		payableAmount: str["payable_amount"], fee: str["fee_amount"], tolerance: str["amount_tolerance"], expiredIn: expiredIn, rate: "1",
	}
	var errResp *response
	if req.payableCurrency, errResp = pickAlias(str, "payable_currency", "token_id"); errResp != nil {
		return nil, errResp
	}
	if req.pricingCurrency, errResp = pickAlias(str, "pricing_currency", "currency"); errResp != nil {
		return nil, errResp
	}
	if req.pricingAmount, errResp = pickAlias(str, "pricing_amount", "order_amount"); errResp != nil {
		return nil, errResp
	}
	for _, required := range []struct{ field, value string }{
		{"merchant_id", req.merchantID}, {"psp_order_code", req.pspOrderCode},
		{"fee_amount", req.fee}, {"payable_currency", req.payableCurrency},
	} {
		if required.value == "" {
			return nil, missingParam("missing required parameter: %s", required.field)
		}
	}
	if req.pricingAmount == "" && req.payableAmount == "" {
		return nil, missingParam("missing required parameter: pricing_amount or payable_amount (one of them is required)")
	}
	for _, c := range []struct {
		rule  cobo.AmountRule
		value string
	}{
		{cobo.PricingAmountRule, req.pricingAmount}, {cobo.PayableAmountRule, req.payableAmount},
		{cobo.FeeAmountRule, req.fee}, {cobo.AmountToleranceRule, req.tolerance},
	} {
		if c.value == "" {
			continue
		}
		if err := c.rule.Check(c.value); err != nil {
			return nil, invalidParam("%s", err.Error())
		}
	}
	if expiredIn < cobo.ExpiredInMin || expiredIn > cobo.ExpiredInMax {
		return nil, invalidParam("expired_in must be between %d and %d seconds, got %d", cobo.ExpiredInMin, cobo.ExpiredInMax, expiredIn)
	}
	if !cobo.IsDocumentedPayinToken(req.payableCurrency) && !s.extraTokens[req.payableCurrency] {
		return nil, invalidParam("payable_currency %q is not a supported pay-in token; supported: %s", truncate(req.payableCurrency, 40), strings.Join(cobo.PayinTokenIDs, ", "))
	}
	if req.pricingCurrency != "" {
		r, ok := PricingRates[req.pricingCurrency]
		if !ok {
			return nil, invalidParam("pricing_currency %q is not supported by the sandbox; supported: %s", truncate(req.pricingCurrency, 20), supportedPricingCurrencies())
		}
		req.rate = r
		if req.pricingCurrency == RateCurrency { // the catalog's rate of this token (catalog.go)
			s.mu.Lock()
			req.rate = s.usdRateLocked(req.payableCurrency)
			s.mu.Unlock()
		}
	}
	return req, nil
}

// pickAlias is the value of a field or of its deprecated alias, which must not disagree.
func pickAlias(str map[string]string, current, deprecated string) (string, *response) {
	c, d := str[current], str[deprecated]
	if c != "" && d != "" && c != d {
		return "", invalidParam("%s %q and its deprecated alias %s %q disagree; send only %s", current, c, deprecated, d, current)
	}
	if c != "" {
		return c, nil
	}
	return d, nil
}

// priceOrder is the payable amount and exchange rate: as sent, or (pricing_amount + fee_amount) / rate
// rounded half up to 2 decimals, with the rate as exchange_rate.
func priceOrder(req *orderCreateRequest) (payable, exchangeRate string, errResp *response) {
	if req.payableAmount != "" {
		return req.payableAmount, "", nil
	}
	rate, _, _ := parseDecimal(req.rate)
	p, _, _ := parseDecimal(req.pricingAmount)
	f, _, _ := parseDecimal(req.fee)
	total := new(big.Rat).Add(p, f)
	payable = roundHalfUp2(total.Quo(total, rate))
	if strings.Trim(payable, "0.") == "" {
		return "", "", invalidParam("the derived payable_amount (pricing_amount + fee_amount) / %s rounds to 0.00; increase pricing_amount", req.rate)
	}
	return payable, req.rate, nil
}

// storeOrder assigns the id and stores the order, unless its psp_order_code is taken; with a state
// file it is saved before the answer.
func (s *Sandbox) storeOrder(org string, req *orderCreateRequest, payable, exchangeRate string) *response {
	s.mu.Lock()
	defer s.mu.Unlock()
	if prev := s.orders.getUnique(org, req.pspOrderCode); prev != nil {
		return decisionError(cobo.DuplicatePspOrderCode, "Duplicate key: psp_order_code %q is already used by order %s in this organization", truncate(req.pspOrderCode, 100), prev.Value.OrderID)
	}
	if errResp := s.orderMerchantLocked(org, req.merchantID); errResp != nil {
		return errResp
	}
	now := s.Now()
	seq := s.orders.nextSeq() // not given back when the save fails: a number is never reused
	created := now.Unix()
	chain := cobo.ChainIDForToken(req.payableCurrency)
	o := &order{Order: cobo.Order{
		OrderID:             fmt.Sprintf("O%s-%s-%06d", now.UTC().Format("20060102"), s.idPrefix, seq),
		MerchantID:          strPtr(req.merchantID),
		PspOrderCode:        req.pspOrderCode,
		FeeAmount:           req.fee,
		PayableCurrency:     strPtr(req.payableCurrency),
		ChainID:             chain,
		PayableAmount:       payable,
		ExchangeRate:        exchangeRate,
		Status:              cobo.StatusPending,
		ReceivedTokenAmount: "0",
		ExpiredAt:           i64Ptr(created + req.expiredIn),
		CreatedTimestamp:    i64Ptr(created),
		UpdatedTimestamp:    i64Ptr(created),
		TokenID:             strPtr(req.payableCurrency),
		MerchantOrderCode:   optional(req.merchantOrderCode),
		PricingCurrency:     optional(req.pricingCurrency),
		Currency:            optional(req.pricingCurrency),
		PricingAmount:       optional(req.pricingAmount),
		OrderAmount:         optional(req.pricingAmount),
		AmountTolerance:     optional(req.tolerance),
	}}
	o.ReceiveAddress = addressFor(chain, "receive/"+o.OrderID)
	o.derive(org)
	o = &s.orders.insert(org, seq, *o).Value
	if err := s.commitLocked(); err != nil {
		return coboError(http.StatusInternalServerError, cobo.CodeInternal, "the order was not created: %v", err)
	}
	return &response{status: http.StatusCreated, contentType: "application/json", body: s.encodeOrderLocked(o)}
}

// optional is nil for "" (an optional input not sent appears nowhere in the Order).
func optional(v string) *string {
	if v == "" {
		return nil
	}
	return &v
}

func supportedPricingCurrencies() string {
	return "USD, EUR, GBP, SGD, HKD, CNY"
}

// lookupOrderLocked finds an order of org and applies its lifecycle.
func (s *Sandbox) lookupOrderLocked(org, id string) *order {
	r := s.orders.get(org, id)
	if r == nil {
		return nil
	}
	s.advanceLocked(&r.Value, s.Now())
	return &r.Value
}

// findOrderLocked is the order with that id in any organization (ids are unique across them), or nil.
func (s *Sandbox) findOrderLocked(id string) *order {
	if r := s.orders.find(id); r != nil {
		return &r.Value
	}
	return nil
}

// getOrder is GET /v2/payments/orders/{order_id}.
func (s *Sandbox) getOrder(in apiRequest) *response {
	id := in.params["order_id"]
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.lookupOrderLocked(in.org, id)
	if o == nil {
		return unknownOrder(id)
	}
	return &response{status: http.StatusOK, contentType: "application/json", body: s.encodeOrderLocked(o)}
}

func unknownOrder(id string) *response {
	return decisionError(cobo.UnknownOrder, "pay-in order %q not found", truncate(id, 100))
}

// updateOrder is PUT /v2/payments/orders/{order_id}: {"expired": true} expires a Pending order.
func (s *Sandbox) updateOrder(in apiRequest) *response {
	id := in.params["order_id"]
	m, errResp := decodeObject(in.body)
	if errResp != nil {
		return errResp
	}
	raw, ok := m["expired"]
	if !ok || strings.TrimSpace(string(raw)) == "null" {
		return missingParam("missing required parameter: expired")
	}
	var expired bool
	if err := json.Unmarshal(raw, &expired); err != nil {
		return invalidParam("expired must be a JSON boolean, got %s", jsonKind(raw))
	}
	if !expired {
		return decisionError(cobo.ExpireNotPending, "expired must be true: the only supported update is expiring a Pending order")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.lookupOrderLocked(in.org, id)
	if o == nil {
		return unknownOrder(id)
	}
	switch o.Status {
	case cobo.StatusExpired:
		// already expired: unchanged
	case cobo.ExpireOnlyStatus:
		o.Status = cobo.StatusExpired
		o.UpdatedTimestamp = i64Ptr(s.Now().Unix())
		s.emitOrderStatusLocked(o)
		if err := s.commitLocked(); err != nil {
			return coboError(http.StatusInternalServerError, cobo.CodeInternal, "the order was not expired: %v", err)
		}
	default:
		return decisionError(cobo.ExpireNotPending, "pay-in order %s is %s and cannot be expired: only Pending orders can be expired", o.OrderID, o.Status)
	}
	return &response{status: http.StatusOK, contentType: "application/json", body: s.encodeOrderLocked(o)}
}

type listResponse struct {
	Data       []json.RawMessage `json:"data"`
	Pagination cobo.Pagination   `json:"pagination"`
}

// orderListMatches is the filter of GET /v2/payments/orders: merchant_id, psp_order_id, statuses.
func orderListMatches(q *statusQuery, o *order) bool {
	return q.is("merchant_id", deref(o.MerchantID)) && q.is("psp_order_id", o.PspOrderCode) && q.hasStatus(o.Status)
}

// listOrders is GET /v2/payments/orders: an organization's matching orders, oldest first, one page.
func (s *Sandbox) listOrders(in apiRequest) *response {
	q, errResp := parseStatusQuery(in.query, "an order status", cobo.OrderStatuses)
	if errResp != nil {
		return errResp
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.Now()
	rows, pagination, errResp := s.orders.page(in.org, q.page, "an order_id", func(o *order) bool {
		s.advanceLocked(o, now) // every order of the organization, as a status filter sees it
		return orderListMatches(q, o)
	})
	if errResp != nil {
		return errResp
	}
	resp := listResponse{Data: make([]json.RawMessage, 0, len(rows)), Pagination: pagination}
	for _, r := range rows {
		resp.Data = append(resp.Data, s.encodeOrderLocked(&r.Value))
	}
	return jsonResponse(http.StatusOK, resp)
}

func isOrderStatus(st string) bool {
	for _, v := range cobo.OrderStatuses {
		if v == st {
			return true
		}
	}
	return false
}

// advanceLocked applies the expiry lifecycle at time now; a status change sends the order's status
// events (saved with the next commit, or by the delivery scheduler when no commit follows).
func (s *Sandbox) advanceLocked(o *order, now time.Time) {
	if now.Unix() < o.expiredAt {
		return
	}
	switch o.Status {
	case cobo.StatusPending:
		o.Status = cobo.StatusExpired
	case cobo.StatusProcessing:
		if o.received.Sign() > 0 {
			o.Status = cobo.StatusUnderpaid
		} else {
			o.Status = cobo.StatusExpired
		}
	default:
		return
	}
	o.UpdatedTimestamp = i64Ptr(o.expiredAt)
	s.emitOrderStatusLocked(o)
	s.delivery.wake() // a read found it: no commit follows, the scheduler saves and sends its events
}

// encodeOrderLocked encodes the order with the extra fields set by SetExtraOrderFields.
func (s *Sandbox) encodeOrderLocked(o *order) []byte {
	b, err := json.Marshal(&o.Order)
	if err != nil || len(s.extras) == 0 {
		return b
	}
	var present map[string]json.RawMessage
	if json.Unmarshal(b, &present) != nil {
		return b
	}
	out := append([]byte(nil), b[:len(b)-1]...)
	for _, e := range s.extras {
		if _, ok := present[e.key]; ok {
			continue
		}
		k, _ := json.Marshal(e.key)
		out = append(out, ',')
		out = append(out, k...)
		out = append(out, ':')
		out = append(out, e.value...)
	}
	return append(out, '}')
}

func cloneOrder(o *cobo.Order) cobo.Order {
	c := *o
	cp := func(p *string) *string {
		if p == nil {
			return nil
		}
		v := *p
		return &v
	}
	ci := func(p *int64) *int64 {
		if p == nil {
			return nil
		}
		v := *p
		return &v
	}
	c.MerchantID, c.MerchantOrderCode, c.PricingCurrency = cp(o.MerchantID), cp(o.MerchantOrderCode), cp(o.PricingCurrency)
	c.PricingAmount, c.PayableCurrency, c.AmountTolerance = cp(o.PricingAmount), cp(o.PayableCurrency), cp(o.AmountTolerance)
	c.Currency, c.OrderAmount, c.TokenID, c.SettlementStatus = cp(o.Currency), cp(o.OrderAmount), cp(o.TokenID), cp(o.SettlementStatus)
	c.ExpiredAt, c.CreatedTimestamp, c.UpdatedTimestamp = ci(o.ExpiredAt), ci(o.CreatedTimestamp), ci(o.UpdatedTimestamp)
	if o.Transactions != nil {
		c.Transactions = make([]cobo.Transaction, len(o.Transactions))
		for i, t := range o.Transactions {
			t.TxHash, t.TokenID, t.SubStatus, t.FailedReason = cp(t.TxHash), cp(t.TokenID), cp(t.SubStatus), cp(t.FailedReason)
			c.Transactions[i] = t
		}
	}
	return c
}

// Orders returns copies of an organization's orders (apiKey is its hex API key, any case), in creation
// order, with the lifecycle applied. An empty apiKey returns the orders of every organization.
func (s *Sandbox) Orders(apiKey string) []cobo.Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.Now()
	list := s.orders.orgOrAll(apiKey)
	out := make([]cobo.Order, 0, len(list))
	for _, r := range list {
		s.advanceLocked(&r.Value, now)
		out = append(out, cloneOrder(&r.Value.Order))
	}
	return out
}

// OrderCountByPspOrderCode counts an organization's orders with that psp_order_code (at most 1 unless
// the uniqueness rule is broken, which is what tests check).
func (s *Sandbox) OrderCountByPspOrderCode(apiKey, code string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.orders.list(strings.ToLower(apiKey)) {
		if r.Value.PspOrderCode == code {
			n++
		}
	}
	return n
}
