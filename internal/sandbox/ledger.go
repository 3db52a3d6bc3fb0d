package sandbox

import (
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"strings"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// The ledger (Cobo's Payments manual, "Accounts and fund allocation"): a merchant balance per
// merchant and token, and one developer balance per token, in exact decimals. Only payments.go and
// refunds.go move it, inside the locked change that moved the money, so the balance is saved in the
// same state file write as the payment or refund (or not at all). Balances are kept under the
// canonical token id (canonicalToken).

// DeveloperAccount is the account name of the developer balance (the spec's source_account).
const DeveloperAccount = "developer"

// balance is one account's balance of one token; the amounts are decimal strings.
type balance struct {
	Account      string `json:"account"` // a merchant id, or DeveloperAccount
	TokenID      string `json:"token_id"`
	Total        string `json:"total_balance"`
	Received     string `json:"total_received_amount"` // merchants: what orders paid in
	DeveloperFee string `json:"developer_fee_amount"`  // developer: fees and late payments received
	Refunded     string `json:"refunded_amount"`
}

func balanceID(account, token string) string { return account + "/" + token }

func newBalanceTable() *table[balance] {
	return newTable("balances", func(b *balance) string { return balanceID(b.Account, b.TokenID) }, checkStoredBalance)
}

func checkStoredBalance(b *balance) error {
	for _, v := range []string{b.Total, b.Received, b.DeveloperFee, b.Refunded} {
		r, _, ok := parseDecimal(v)
		if !ok || r.Sign() < 0 {
			return fmt.Errorf("amount %q is not a decimal of 0 or more", v)
		}
	}
	return nil
}

// Balance change source types (PaymentBalanceChangeSourceType) the sandbox makes.
const (
	sourceOrderIn     = "OrderIn"
	sourceLatePayment = "LatePayment"
	sourceRefundOut   = "RefundOut"
)

// ledgerMove is one change of one balance.
type ledgerMove struct {
	org, account, token string
	amount              *big.Rat // positive: in; negative: out
	sourceType          string
	sourceID            string // the order or refund id
	field               string // the cumulative counter it also moves: "received", "fee", "refunded" or ""
}

// errInsufficientBalance is what moveLocked answers when a balance would go below zero.
var errInsufficientBalance = errors.New("insufficient balance")

// moveLocked applies a move and sends payment.account.balance.updated. A move that would take a
// balance below zero changes nothing and is errInsufficientBalance.
func (s *Sandbox) moveLocked(m ledgerMove) error {
	if m.amount.Sign() == 0 {
		return nil
	}
	token := canonicalToken(m.token)
	decimals := tokenDecimals(token)
	r := s.balances.get(m.org, balanceID(m.account, token))
	if r == nil {
		r = s.balances.insert(m.org, s.balances.nextSeq(), balance{Account: m.account, TokenID: token, Total: "0", Received: "0", DeveloperFee: "0", Refunded: "0"})
	}
	before := mustDecimal(r.Value.Total)
	after := new(big.Rat).Add(before, m.amount)
	if after.Sign() < 0 {
		return errInsufficientBalance
	}
	r.Value.Total = formatAmount(after, decimals)
	abs := new(big.Rat).Abs(m.amount)
	switch m.field {
	case "received":
		r.Value.Received = addAmount(r.Value.Received, m.amount, decimals)
	case "fee":
		r.Value.DeveloperFee = addAmount(r.Value.DeveloperFee, m.amount, decimals)
	case "refunded":
		r.Value.Refunded = addAmount(r.Value.Refunded, new(big.Rat).Neg(m.amount), decimals)
	}
	direction := "in"
	if m.amount.Sign() < 0 {
		direction = "out"
	}
	s.emitBalanceLocked(m.org, balanceEventData{
		SourceAccount: m.account, SourceID: m.sourceID, SourceType: m.sourceType, TokenID: token,
		Amount: truncate2(abs), AmountRaw: formatAmount(abs, decimals),
		BalanceBefore: truncate2(before), BalanceBeforeRaw: formatAmount(before, decimals),
		BalanceAfter: truncate2(after), BalanceAfterRaw: formatAmount(after, decimals),
		FlowDirection: direction, UpdateTime: s.Now().Unix(),
	})
	return nil
}

func mustDecimal(v string) *big.Rat {
	r, _, ok := parseDecimal(v)
	if !ok {
		return new(big.Rat)
	}
	return r
}

func addAmount(v string, delta *big.Rat, decimals int) string {
	return formatAmount(new(big.Rat).Add(mustDecimal(v), delta), decimals)
}

// formatAmount writes an amount with the token's precision, without trailing zeros ("99.5", "0").
func formatAmount(r *big.Rat, decimals int) string {
	v := floorTo(r, decimals).FloatString(decimals)
	if strings.Contains(v, ".") {
		v = strings.TrimRight(strings.TrimRight(v, "0"), ".")
	}
	return v
}

// truncate2 is an amount truncated to two decimals, as the balance event's amounts are.
func truncate2(r *big.Rat) string { return floorTo(r, 2).FloatString(2) }

// floorTo rounds a non-negative r down to the given number of decimals (toward zero for a negative).
func floorTo(r *big.Rat, decimals int) *big.Rat {
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(decimals)), nil)
	n := new(big.Int).Mul(r.Num(), scale)
	n.Quo(n, r.Denom())
	return new(big.Rat).SetFrac(n, scale)
}

// splitOrderPaymentLocked credits a counted payment of an order: the merchant gets
// amount * pricing / (pricing + fee), rounded down to the token's precision, and the developer the
// rest (the manual: "split in the ratio pricing_amount : fee_amount", over- and underpayments too).
func (s *Sandbox) splitOrderPaymentLocked(o *order, amount *big.Rat) {
	token := *o.PayableCurrency
	pricing, fee := orderSplitRatio(o)
	merchantShare := new(big.Rat).Set(amount)
	if total := new(big.Rat).Add(pricing, fee); total.Sign() > 0 {
		merchantShare = floorTo(new(big.Rat).Quo(new(big.Rat).Mul(amount, pricing), total), tokenDecimals(token))
	}
	developerShare := new(big.Rat).Sub(amount, merchantShare)
	_ = s.moveLocked(ledgerMove{org: o.org, account: deref(o.MerchantID), token: token, amount: merchantShare, sourceType: sourceOrderIn, sourceID: o.OrderID, field: "received"})
	_ = s.moveLocked(ledgerMove{org: o.org, account: DeveloperAccount, token: token, amount: developerShare, sourceType: sourceOrderIn, sourceID: o.OrderID, field: "fee"})
}

// orderSplitRatio is pricing_amount : fee_amount; an order created with payable_amount and no
// pricing_amount splits (payable_amount - fee_amount) : fee_amount (cobo.OrderSplitWithoutPricing).
func orderSplitRatio(o *order) (pricing, fee *big.Rat) {
	fee = mustDecimal(o.FeeAmount)
	if o.PricingAmount != nil {
		return mustDecimal(*o.PricingAmount), fee
	}
	pricing = new(big.Rat).Sub(o.payable, fee)
	if pricing.Sign() < 0 {
		pricing.SetInt64(0)
	}
	return pricing, fee
}

// creditLatePaymentLocked credits a late payment wholly to the developer balance.
func (s *Sandbox) creditLatePaymentLocked(o *order, amount *big.Rat) {
	_ = s.moveLocked(ledgerMove{org: o.org, account: DeveloperAccount, token: *o.PayableCurrency, amount: amount, sourceType: sourceLatePayment, sourceID: o.OrderID, field: "fee"})
}

// balanceAmounts are the amounts MerchantBalance and PspBalance share. Nothing is settled, paid out
// or locked in the sandbox; available_balance (deprecated) is total_balance.
type balanceAmounts struct {
	SettledAmount    string `json:"settled_amount"`
	PayoutAmount     string `json:"payout_amount"`
	RefundedAmount   string `json:"refunded_amount"`
	TotalBalance     string `json:"total_balance"`
	AvailableBalance string `json:"available_balance"`
	LockedBalance    string `json:"locked_balance"`
}

func (b balance) amounts() balanceAmounts {
	return balanceAmounts{SettledAmount: "0", PayoutAmount: "0", RefundedAmount: b.Refunded, TotalBalance: b.Total, AvailableBalance: b.Total, LockedBalance: "0"}
}

// merchantBalanceJSON is the spec's MerchantBalance.
type merchantBalanceJSON struct {
	MerchantID          string `json:"merchant_id"`
	TokenID             string `json:"token_id"`
	AcquiringType       string `json:"acquiring_type"`
	TotalReceivedAmount string `json:"total_received_amount"`
	balanceAmounts
}

// pspBalanceJSON is the spec's PspBalance.
type pspBalanceJSON struct {
	TokenID            string `json:"token_id"`
	DeveloperFeeAmount string `json:"developer_fee_amount"`
	balanceAmounts
}

// balanceLocked is an account's balance of a token, zeros when nothing moved it.
func (s *Sandbox) balanceLocked(org, account, token string) balance {
	if r := s.balances.get(org, balanceID(account, canonicalToken(token))); r != nil {
		return r.Value
	}
	return balance{Account: account, TokenID: canonicalToken(token), Total: "0", Received: "0", DeveloperFee: "0", Refunded: "0"}
}

func (b balance) merchantJSON() merchantBalanceJSON {
	return merchantBalanceJSON{MerchantID: b.Account, TokenID: b.TokenID, AcquiringType: "Order", TotalReceivedAmount: b.Received, balanceAmounts: b.amounts()}
}

// listMerchantBalances is GET /v2/payments/balance/merchants: merchant_ids and/or token_id (at least
// one). With token_id, one row per merchant asked (every merchant without merchant_ids), zeros
// included; without it, one row per token that moved each merchant's balance.
func (s *Sandbox) listMerchantBalances(in apiRequest) *response {
	q, err := url.ParseQuery(in.query)
	if err != nil {
		return invalidParam("the query string is not valid: %v", err)
	}
	ids, token := splitList(q.Get("merchant_ids")), q.Get("token_id")
	if len(ids) == 0 && token == "" {
		return missingParam("at least one of merchant_ids or token_id is required")
	}
	if token != "" && !s.isSupportedToken(token) {
		return invalidParam("token_id %q is not a supported token; GET %s lists them", truncate(token, 40), supportedTokensPath)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.readOrgLocked(in.org)
	if len(ids) == 0 {
		for _, r := range s.merchants.list(in.org) {
			ids = append(ids, r.Value.MerchantID)
		}
	}
	data := []merchantBalanceJSON{}
	for _, id := range ids {
		if s.merchants.get(in.org, id) == nil {
			return decisionError(cobo.MerchantNotInOrganization, "merchant_ids: %q is not a merchant of this organization", truncate(id, 64))
		}
		if token != "" {
			data = append(data, s.balanceLocked(in.org, id, token).merchantJSON())
			continue
		}
		for _, r := range s.balances.list(in.org) {
			if r.Value.Account == id {
				data = append(data, r.Value.merchantJSON())
			}
		}
	}
	return jsonResponse(http.StatusOK, struct {
		Data []merchantBalanceJSON `json:"data"`
	}{data})
}

// getPspBalance is GET /v2/payments/balance/psp?token_id= (required).
func (s *Sandbox) getPspBalance(in apiRequest) *response {
	q, err := url.ParseQuery(in.query)
	if err != nil {
		return invalidParam("the query string is not valid: %v", err)
	}
	token := q.Get("token_id")
	switch {
	case token == "":
		return missingParam("missing required parameter: token_id")
	case !s.isSupportedToken(token):
		return invalidParam("token_id %q is not a supported token; GET %s lists them", truncate(token, 40), supportedTokensPath)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.balanceLocked(in.org, DeveloperAccount, token)
	return jsonResponse(http.StatusOK, pspBalanceJSON{TokenID: b.TokenID, DeveloperFeeAmount: b.DeveloperFee, balanceAmounts: b.amounts()})
}

// Balance is an account's balance of a token as the balance routes show it (for tests and the CLI):
// account is a merchant id or DeveloperAccount; apiKey is the organization's hex API key.
type Balance struct {
	Total, Received, DeveloperFee, Refunded string
}

// BalanceOf returns an account's balance of a token (zeros when nothing moved it).
func (s *Sandbox) BalanceOf(apiKey, account, token string) Balance {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := s.balanceLocked(strings.ToLower(apiKey), account, token)
	return Balance{Total: b.Total, Received: b.Received, DeveloperFee: b.DeveloperFee, Refunded: b.Refunded}
}
