package sandbox

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// PricingRates is the sandbox's fixed rate table: units of the pricing currency per token. Without a
// pricing_currency the rate is 1 (amounts are then denominated in the payable token).
var PricingRates = map[string]string{
	"USD": "0.99",
	"EUR": "0.92",
	"GBP": "0.79",
	"SGD": "1.34",
	"HKD": "7.74",
	"CNY": "7.16",
}

// order is the stored state of one pay-in order.
type order struct {
	cobo.Order
	org              string
	seq              int64
	expiredAt        int64
	payable          *big.Rat
	tolerance        *big.Rat
	received         *big.Rat // confirmed amounts only
	receivedDecimals int
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

func jsonKind(raw json.RawMessage) string {
	t := strings.TrimSpace(string(raw))
	switch {
	case t == "":
		return "nothing"
	case t[0] == '"':
		return "a string"
	case t[0] == '{':
		return "an object"
	case t[0] == '[':
		return "an array"
	case t == "true" || t == "false":
		return "a boolean"
	case t == "null":
		return "null"
	default:
		return "a number"
	}
}

func invalidParam(format string, args ...any) *response {
	return coboError(http.StatusBadRequest, cobo.CodeInvalidParameter, format, args...)
}

func missingParam(format string, args ...any) *response {
	return coboError(http.StatusBadRequest, cobo.CodeMissingParameter, format, args...)
}

// decodeObject decodes a request body that must be one JSON object.
func decodeObject(body []byte) (map[string]json.RawMessage, *response) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil || m == nil {
		if len(strings.TrimSpace(string(body))) == 0 {
			return nil, invalidParam("the request body must be a JSON object, got an empty body")
		}
		return nil, invalidParam("the request body must be a JSON object")
	}
	return m, nil
}

func (s *Sandbox) createOrder(org string, body []byte) *response {
	m, errResp := decodeObject(body)
	if errResp != nil {
		return errResp
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
				return invalidParam("%s must be a JSON string, got %s", field, jsonKind(raw))
			}
			str[field] = v
		case "integer":
			n, err := strconv.ParseInt(strings.TrimSpace(string(raw)), 10, 64)
			if err != nil {
				if jsonKind(raw) == "a number" {
					return invalidParam("%s must be an integer number of seconds between %d and %d, got %s", field, cobo.ExpiredInMin, cobo.ExpiredInMax, truncate(string(raw), 30))
				}
				return invalidParam("%s must be a JSON integer, got %s", field, jsonKind(raw))
			}
			expiredIn = n
		case "boolean":
			var v bool
			if err := json.Unmarshal(raw, &v); err != nil {
				return invalidParam("%s must be a JSON boolean, got %s", field, jsonKind(raw))
			}
		}
	}

	// deprecated names stand in for the current ones
	pick := func(current, deprecated string) (string, *response) {
		c, d := str[current], str[deprecated]
		if c != "" && d != "" && c != d {
			return "", invalidParam("%s %q and its deprecated alias %s %q disagree; send only %s", current, c, deprecated, d, current)
		}
		if c != "" {
			return c, nil
		}
		return d, nil
	}
	payableCurrency, errResp := pick("payable_currency", "token_id")
	if errResp != nil {
		return errResp
	}
	pricingCurrency, errResp := pick("pricing_currency", "currency")
	if errResp != nil {
		return errResp
	}
	pricingAmount, errResp := pick("pricing_amount", "order_amount")
	if errResp != nil {
		return errResp
	}
	for _, req := range []struct{ field, value string }{
		{"merchant_id", str["merchant_id"]},
		{"psp_order_code", str["psp_order_code"]},
		{"fee_amount", str["fee_amount"]},
		{"payable_currency", payableCurrency},
	} {
		if req.value == "" {
			return missingParam("missing required parameter: %s", req.field)
		}
	}
	payableAmount := str["payable_amount"]
	tolerance := str["amount_tolerance"]
	fee := str["fee_amount"]
	if pricingAmount == "" && payableAmount == "" {
		return missingParam("missing required parameter: pricing_amount or payable_amount (one of them is required)")
	}
	for _, c := range []struct {
		rule  cobo.AmountRule
		value string
	}{
		{cobo.PricingAmountRule, pricingAmount},
		{cobo.PayableAmountRule, payableAmount},
		{cobo.FeeAmountRule, fee},
		{cobo.AmountToleranceRule, tolerance},
	} {
		if c.value == "" {
			continue
		}
		if err := c.rule.Check(c.value); err != nil {
			return invalidParam("%s", err.Error())
		}
	}
	if expiredIn < cobo.ExpiredInMin || expiredIn > cobo.ExpiredInMax {
		return invalidParam("expired_in must be between %d and %d seconds, got %d", cobo.ExpiredInMin, cobo.ExpiredInMax, expiredIn)
	}
	if !cobo.IsDocumentedPayinToken(payableCurrency) && !s.extraTokens[payableCurrency] {
		return invalidParam("payable_currency %q is not a supported pay-in token; supported: %s", truncate(payableCurrency, 40), strings.Join(cobo.PayinTokenIDs, ", "))
	}
	rateStr := "1"
	if pricingCurrency != "" {
		r, ok := PricingRates[pricingCurrency]
		if !ok {
			return invalidParam("pricing_currency %q is not supported by the sandbox; supported: %s", truncate(pricingCurrency, 20), supportedPricingCurrencies())
		}
		rateStr = r
	}

	o := &order{org: org, tolerance: new(big.Rat), received: new(big.Rat)}
	if tolerance != "" {
		o.tolerance, _, _ = parseDecimal(tolerance)
	}
	exchangeRate := ""
	if payableAmount == "" {
		rate, _, _ := parseDecimal(rateStr)
		p, _, _ := parseDecimal(pricingAmount)
		f, _, _ := parseDecimal(fee)
		total := new(big.Rat).Add(p, f)
		payableAmount = roundHalfUp2(total.Quo(total, rate))
		exchangeRate = rateStr
		if strings.Trim(payableAmount, "0.") == "" {
			return invalidParam("the derived payable_amount (pricing_amount + fee_amount) / %s rounds to 0.00; increase pricing_amount", rateStr)
		}
	}
	o.payable, _, _ = parseDecimal(payableAmount)

	s.mu.Lock()
	defer s.mu.Unlock()
	if prev := s.pspCodes[org][str["psp_order_code"]]; prev != nil {
		return decisionError(cobo.DuplicatePspOrderCode, "Duplicate key: psp_order_code %q is already used by order %s in this organization", truncate(str["psp_order_code"], 100), prev.OrderID)
	}
	now := s.Now()
	s.seq++ // not given back when the save fails: a number is never reused
	o.seq = s.seq
	created := now.Unix()
	o.expiredAt = created + expiredIn
	chain := cobo.ChainIDForToken(payableCurrency)
	o.Order = cobo.Order{
		OrderID:             fmt.Sprintf("O%s-%s-%06d", now.UTC().Format("20060102"), s.idPrefix, o.seq),
		MerchantID:          strPtr(str["merchant_id"]),
		PspOrderCode:        str["psp_order_code"],
		FeeAmount:           fee,
		PayableCurrency:     strPtr(payableCurrency),
		ChainID:             chain,
		PayableAmount:       payableAmount,
		ExchangeRate:        exchangeRate,
		Status:              cobo.StatusPending,
		ReceivedTokenAmount: "0",
		ExpiredAt:           i64Ptr(o.expiredAt),
		CreatedTimestamp:    i64Ptr(created),
		UpdatedTimestamp:    i64Ptr(created),
		TokenID:             strPtr(payableCurrency),
	}
	o.ReceiveAddress = addressFor(chain, "receive/"+o.OrderID)
	if v := str["merchant_order_code"]; v != "" {
		o.MerchantOrderCode = strPtr(v)
	}
	if pricingCurrency != "" {
		o.PricingCurrency = strPtr(pricingCurrency)
		o.Currency = strPtr(pricingCurrency)
	}
	if pricingAmount != "" {
		o.PricingAmount = strPtr(pricingAmount)
		o.OrderAmount = strPtr(pricingAmount)
	}
	if tolerance != "" {
		o.AmountTolerance = strPtr(tolerance)
	}
	s.insertLocked(o)
	if err := s.commitLocked(); err != nil {
		return coboError(http.StatusInternalServerError, cobo.CodeInternal, "the order was not created: %v", err)
	}
	return &response{status: http.StatusCreated, contentType: "application/json", body: s.encodeOrderLocked(o)}
}

// insertLocked adds a new order to the indexes; orders are inserted in sequence order.
func (s *Sandbox) insertLocked(o *order) {
	s.orders[o.OrderID] = o
	s.orgs[o.org] = append(s.orgs[o.org], o)
	if s.pspCodes[o.org] == nil {
		s.pspCodes[o.org] = make(map[string]*order)
	}
	s.pspCodes[o.org][o.PspOrderCode] = o
}

func supportedPricingCurrencies() string {
	return "USD, EUR, GBP, SGD, HKD, CNY"
}

// lookupLocked finds an order of org and applies its lifecycle.
func (s *Sandbox) lookupLocked(org, id string) *order {
	o := s.orders[id]
	if o == nil || o.org != org {
		return nil
	}
	s.advanceLocked(o, s.Now())
	return o
}

func (s *Sandbox) getOrder(org, id string) *response {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.lookupLocked(org, id)
	if o == nil {
		return unknownOrder(id)
	}
	return &response{status: http.StatusOK, contentType: "application/json", body: s.encodeOrderLocked(o)}
}

func unknownOrder(id string) *response {
	return decisionError(cobo.UnknownOrder, "pay-in order %q not found", truncate(id, 100))
}

func (s *Sandbox) updateOrder(org, id string, body []byte) *response {
	m, errResp := decodeObject(body)
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
	o := s.lookupLocked(org, id)
	if o == nil {
		return unknownOrder(id)
	}
	switch o.Status {
	case cobo.StatusExpired:
		// already expired: unchanged
	case cobo.ExpireOnlyStatus:
		o.Status = cobo.StatusExpired
		o.UpdatedTimestamp = i64Ptr(s.Now().Unix())
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

func (s *Sandbox) listOrders(org, query string) *response {
	q, err := url.ParseQuery(query)
	if err != nil {
		return invalidParam("the query string is not valid: %v", err)
	}
	limit := 10
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > cobo.MaxPageSize {
			return invalidParam("limit must be an integer between 1 and %d, got %q", cobo.MaxPageSize, truncate(v, 20))
		}
		limit = n
	}
	before, after := q.Get("before"), q.Get("after")
	if before != "" && after != "" {
		return invalidParam("before and after cannot be used together")
	}
	merchantID, psp := q.Get("merchant_id"), q.Get("psp_order_id")
	var statuses map[string]bool
	if v := q.Get("statuses"); v != "" {
		statuses = map[string]bool{}
		for _, st := range strings.Split(v, ",") {
			st = strings.TrimSpace(st)
			if !isOrderStatus(st) {
				return invalidParam("statuses: %q is not an order status; use a comma-separated list of %s", truncate(st, 30), strings.Join(cobo.OrderStatuses, ", "))
			}
			statuses[st] = true
		}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	var cursor *order
	if c := before + after; c != "" {
		cursor = s.orders[c]
		if cursor == nil || cursor.org != org {
			name := "after"
			if before != "" {
				name = "before"
			}
			return invalidParam("%s: %q is not a cursor of this list (use an order_id from a previous page's pagination)", name, truncate(c, 100))
		}
	}
	now := s.Now()
	var matching []*order
	for _, o := range s.orgs[org] {
		s.advanceLocked(o, now)
		if merchantID != "" && (o.MerchantID == nil || *o.MerchantID != merchantID) {
			continue
		}
		if psp != "" && o.PspOrderCode != psp {
			continue
		}
		if statuses != nil && !statuses[o.Status] {
			continue
		}
		matching = append(matching, o)
	}
	// matching is in creation (sequence) order
	var lo, hi int
	switch {
	case after != "":
		lo = firstAfter(matching, cursor.seq)
		hi = min(lo+limit, len(matching))
	case before != "":
		hi = firstAfter(matching, cursor.seq-1) // index of the first order with seq >= cursor
		lo = max(hi-limit, 0)
	default:
		hi = min(limit, len(matching))
	}
	resp := listResponse{Data: make([]json.RawMessage, 0, hi-lo), Pagination: cobo.Pagination{TotalCount: len(matching)}}
	for _, o := range matching[lo:hi] {
		resp.Data = append(resp.Data, s.encodeOrderLocked(o))
	}
	if hi > lo {
		if lo > 0 {
			resp.Pagination.Before = matching[lo].OrderID
		}
		if hi < len(matching) {
			resp.Pagination.After = matching[hi-1].OrderID
		}
	}
	return jsonResponse(http.StatusOK, resp)
}

// firstAfter is the index of the first order whose sequence is greater than seq.
func firstAfter(list []*order, seq int64) int {
	lo, hi := 0, len(list)
	for lo < hi {
		mid := (lo + hi) / 2
		if list[mid].seq > seq {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

func isOrderStatus(st string) bool {
	for _, v := range cobo.OrderStatuses {
		if v == st {
			return true
		}
	}
	return false
}

// advanceLocked applies the expiry lifecycle at time now.
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
	var list []*order
	if apiKey == "" {
		list = make([]*order, 0, len(s.orders))
		for _, o := range s.orders {
			list = append(list, o)
		}
		sortBySeq(list)
	} else {
		list = s.orgs[strings.ToLower(apiKey)]
	}
	out := make([]cobo.Order, 0, len(list))
	for _, o := range list {
		s.advanceLocked(o, now)
		out = append(out, cloneOrder(&o.Order))
	}
	return out
}

func sortBySeq(list []*order) {
	slices.SortFunc(list, func(a, b *order) int { return cmp.Compare(a.seq, b.seq) })
}

// OrderCountByPspOrderCode counts an organization's orders with that psp_order_code (at most 1 unless
// the uniqueness rule is broken, which is what tests check).
func (s *Sandbox) OrderCountByPspOrderCode(apiKey, code string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, o := range s.orgs[strings.ToLower(apiKey)] {
		if o.PspOrderCode == code {
			n++
		}
	}
	return n
}
