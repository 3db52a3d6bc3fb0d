package cobo

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// SupportedToken mirrors Cobo's SupportedToken. TokenAddress is nil for a chain's native coin.
type SupportedToken struct {
	TokenID      string  `json:"token_id"`
	Name         string  `json:"name"`
	Symbol       string  `json:"symbol"`
	Decimal      int64   `json:"decimal"`
	TokenAddress *string `json:"token_address"`
	ChainID      string  `json:"chain_id"`
	ChainSymbol  string  `json:"chain_symbol"`
	ChainIconURL string  `json:"chain_icon_url,omitempty"`
	TokenIconURL string  `json:"token_icon_url,omitempty"`
	CanOffRamp   bool    `json:"can_off_ramp,omitempty"`
}

// ExchangeRate mirrors Cobo's ExchangeRate: Rate units of Currency for one unit of the token, for
// reference only (Cobo updates it about every 10 minutes).
type ExchangeRate struct {
	TokenID  string `json:"token_id"`
	Currency string `json:"currency"`
	Rate     string `json:"rate"`
}

// MerchantBalance mirrors Cobo's MerchantBalance: one merchant's account for one token.
type MerchantBalance struct {
	MerchantID          string `json:"merchant_id"`
	TokenID             string `json:"token_id"`
	AcquiringType       string `json:"acquiring_type,omitempty"`
	TotalReceivedAmount string `json:"total_received_amount,omitempty"`
	BalanceAmounts
}

// PspBalance mirrors Cobo's PspBalance: the developer's account for one token.
type PspBalance struct {
	TokenID            string `json:"token_id"`
	DeveloperFeeAmount string `json:"developer_fee_amount,omitempty"`
	BalanceAmounts
}

// BalanceAmounts are the amounts a merchant and the developer balance both report. Cobo reserves
// payout_amount and locked_balance for later, and deprecates available_balance.
type BalanceAmounts struct {
	SettledAmount    string `json:"settled_amount,omitempty"`
	PayoutAmount     string `json:"payout_amount,omitempty"`
	RefundedAmount   string `json:"refunded_amount,omitempty"`
	TotalBalance     string `json:"total_balance,omitempty"`
	AvailableBalance string `json:"available_balance,omitempty"`
	LockedBalance    string `json:"locked_balance,omitempty"`
}

// CurrencyUSD is the only fiat currency Cobo's exchange rates know.
const CurrencyUSD = "USD"

const (
	supportedTokensPath  = "/payments/supported_tokens"
	exchangeRatesPath    = "/payments/exchange_rates"
	merchantBalancesPath = "/payments/balance/merchants"
	pspBalancePath       = "/payments/balance/psp"
)

// ListSupportedTokens reads every token Cobo Payments supports (one bare array, no paging).
func (c *Client) ListSupportedTokens(ctx context.Context) ([]SupportedToken, error) {
	tokens, err := getJSON[[]SupportedToken](ctx, c, http.MethodGet, supportedTokensPath, "", nil, "supported token list")
	if err != nil {
		return nil, err
	}
	return *tokens, nil
}

// ExchangeRates reads the rates of tokenIDs in currency with one request.
func (c *Client) ExchangeRates(ctx context.Context, tokenIDs []string, currency string) ([]ExchangeRate, error) {
	if len(tokenIDs) == 0 || currency == "" {
		return nil, fmt.Errorf("exchange rates need at least one token_id and a currency")
	}
	q := url.Values{"token_ids": {strings.Join(tokenIDs, ",")}, "currencies": {currency}}
	rates, err := getJSON[[]ExchangeRate](ctx, c, http.MethodGet, exchangeRatesPath, q.Encode(), nil, "exchange rate list")
	if err != nil {
		return nil, err
	}
	return *rates, nil
}

// MerchantBalances reads the balances of merchantIDs (all of them when empty) in tokenID (every token
// when empty); Cobo needs at least one of the two.
func (c *Client) MerchantBalances(ctx context.Context, merchantIDs []string, tokenID string) ([]MerchantBalance, error) {
	if len(merchantIDs) == 0 && tokenID == "" {
		return nil, fmt.Errorf("merchant balances need merchant ids, a token_id, or both")
	}
	q := url.Values{}
	if len(merchantIDs) > 0 {
		q.Set("merchant_ids", strings.Join(merchantIDs, ","))
	}
	if tokenID != "" {
		q.Set("token_id", tokenID)
	}
	page, err := getJSON[struct {
		Data []MerchantBalance `json:"data"`
	}](ctx, c, http.MethodGet, merchantBalancesPath, q.Encode(), nil, "merchant balance list")
	if err != nil {
		return nil, err
	}
	return page.Data, nil
}

// DeveloperBalance reads the developer's (PSP's) balance in tokenID.
func (c *Client) DeveloperBalance(ctx context.Context, tokenID string) (*PspBalance, error) {
	if tokenID == "" {
		return nil, fmt.Errorf("the developer balance needs a token_id")
	}
	return getJSON[PspBalance](ctx, c, http.MethodGet, pspBalancePath, url.Values{"token_id": {tokenID}}.Encode(), nil, "developer balance")
}
