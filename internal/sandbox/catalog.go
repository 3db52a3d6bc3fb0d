package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// The catalog: the pay-in tokens with their chain data, and their USD exchange rates. It is the one
// source for GET /payments/supported_tokens, the exchange rate routes, the pricing of an order priced
// in USD, and the decimals the ledger keeps.

// supportedToken is the spec's SupportedToken.
type supportedToken struct {
	TokenID      string  `json:"token_id"`
	Name         string  `json:"name"`
	Symbol       string  `json:"symbol"`
	Decimal      int     `json:"decimal"`
	TokenAddress *string `json:"token_address"` // null for a native coin
	ChainID      string  `json:"chain_id"`
	ChainSymbol  *string `json:"chain_symbol"`
	CanOffRamp   bool    `json:"can_off_ramp"`
}

// payinTokenChainData is the on-chain data of each of cobo.PayinTokenIDs (mainnet contracts).
var payinTokenChainData = map[string]struct {
	address  string
	decimals int
}{
	"ETH_USDC":      {"0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48", 6},
	"ARBITRUM_USDC": {"0xaf88d065e77c8cc2239327c5edb3a432268e5831", 6},
	"SOL_USDC":      {"EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v", 6},
	"BASE_USDC":     {"0x833589fcd6edb6e08f4c7c32d4f71b54bda02913", 6},
	"MATIC_USDC":    {"0x3c499c542cef5e3811e1192ce70d8cc03d5c3359", 6},
	"BSC_USDC":      {"0x8ac76a51cc950d9822d68b83fe1ad97b32cd580d", 18},
	"TRON_USDT":     {"TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", 6},
	"ETH_USDT":      {"0xdac17f958d2ee523a2206206994597c13d831ec7", 6},
	"ARBITRUM_USDT": {"0xfd086bc7cd5c481dcc9c85ebe478a1c0b69fcbb9", 6},
	"SOL_USDT":      {"Es9vMFrzaCERmJfrF4H2FYD4KCoNkY11McCe8BenwNYB", 6},
	"BASE_USDT":     {"0xfde4c96c8593536e31f229ea8f37b2ada2699bb2", 6},
	"MATIC_USDT":    {"0xc2132d05d31c914a87c6611c10748aeb04b58e8f", 6},
	"BSC_USDT":      {"0x55d398326f99059ff775485246999027b3197955", 18},
}

// extraTokenDecimals are the decimals of a token added with Options.ExtraTokens (a test token).
const extraTokenDecimals = 6

// canonicalToken resolves the spellings of cobo.PayinTokenAliases (ARBITRUM_USDCOIN is ARBITRUM_USDC):
// balances are kept under the canonical id.
func canonicalToken(id string) string {
	if c, ok := cobo.PayinTokenAliases[id]; ok {
		return c
	}
	return id
}

// isSupportedToken reports whether id (or its alias) is a pay-in token of this sandbox.
func (s *Sandbox) isSupportedToken(id string) bool {
	return cobo.IsDocumentedPayinToken(id) || s.extraTokens[id]
}

// tokenDecimals is the precision the ledger keeps for a token.
func tokenDecimals(id string) int {
	if d, ok := payinTokenChainData[canonicalToken(id)]; ok {
		return d.decimals
	}
	return extraTokenDecimals
}

// supportedTokens lists the documented pay-in tokens, then the extra ones, sorted by id.
func (s *Sandbox) supportedTokens() []supportedToken {
	out := make([]supportedToken, 0, len(cobo.PayinTokenIDs)+len(s.extraTokens))
	for _, id := range cobo.PayinTokenIDs {
		d := payinTokenChainData[id]
		chain := cobo.ChainIDForToken(id)
		symbol := id[len(chain)+1:]
		out = append(out, supportedToken{
			TokenID: id, Name: tokenName(symbol), Symbol: symbol, Decimal: d.decimals,
			TokenAddress: strPtr(d.address), ChainID: chain, ChainSymbol: strPtr(chain), CanOffRamp: true,
		})
	}
	extra := make([]string, 0, len(s.extraTokens))
	for id := range s.extraTokens {
		extra = append(extra, id)
	}
	sort.Strings(extra)
	for _, id := range extra {
		chain := cobo.ChainIDForToken(id)
		out = append(out, supportedToken{TokenID: id, Name: id, Symbol: strings.TrimPrefix(id, chain+"_"), Decimal: extraTokenDecimals,
			TokenAddress: strPtr(addressFor(chain, "token/"+id)), ChainID: chain, ChainSymbol: strPtr(chain)})
	}
	return out
}

func tokenName(symbol string) string {
	switch symbol {
	case "USDC":
		return "USD Coin"
	case "USDT":
		return "Tether USD"
	}
	return symbol
}

// RateCurrency is the only fiat currency of the exchange rate routes (documented: "only USD").
const RateCurrency = "USD"

// rateTable is the USD rate of each token set with Options.Rates or SetRate; a token without one has
// PricingRates["USD"], the rate orders priced in USD always had. It is kept by -state.
type rateTable map[string]string

func (rt rateTable) reset() { clear(rt) }

func (rt rateTable) save() (json.RawMessage, error) { return json.Marshal(map[string]string(rt)) }

func (rt rateTable) decode(raw json.RawMessage) (map[string]string, error) {
	var m map[string]string
	if err := strictUnmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("rates: %w", err)
	}
	for token, rate := range m {
		if err := checkRate(rate); err != nil {
			return nil, fmt.Errorf("rates[%s]: %w", token, err)
		}
	}
	return m, nil
}

func (rt rateTable) verify(raw json.RawMessage) error {
	_, err := rt.decode(raw)
	return err
}

func (rt rateTable) load(raw json.RawMessage) error {
	m, err := rt.decode(raw)
	if err != nil {
		return err
	}
	clear(rt)
	for k, v := range m {
		rt[k] = v
	}
	return nil
}

// rateRule is what a rate may be: a positive decimal with at most 8 places.
var rateRule = cobo.AmountRule{Field: "rate", MaxDecimals: 8, Doc: "a positive decimal string with at most 8 decimal places, such as \"0.9998\""}

func checkRate(rate string) error { return rateRule.Check(rate) }

// usdRateLocked is a token's USD rate: units of USD per token.
func (s *Sandbox) usdRateLocked(token string) string {
	if r, ok := s.rates[canonicalToken(token)]; ok {
		return r
	}
	return PricingRates[RateCurrency]
}

// SetRate sets a token's USD exchange rate (units of USD per token), used by the exchange rate routes
// and to price later orders in USD; with a state file it is saved. ErrNotFound: not a supported token;
// ErrInvalid: not a positive decimal.
func (s *Sandbox) SetRate(token, rate string) error {
	if !s.isSupportedToken(token) {
		return newHelperError(ErrNotFound, "token_id %q is not a supported token of this sandbox", truncate(token, 40))
	}
	if err := checkRate(rate); err != nil {
		return newHelperError(ErrInvalid, "%s", err.Error())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old, had := s.rates[canonicalToken(token)]
	s.rates[canonicalToken(token)] = rate
	if err := s.commitLocked(); err != nil {
		if had {
			s.rates[canonicalToken(token)] = old
		} else {
			delete(s.rates, canonicalToken(token))
		}
		return err
	}
	return nil
}

// Rates is the USD rate of every supported token.
func (s *Sandbox) Rates() map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]string{}
	for _, t := range s.supportedTokens() {
		out[t.TokenID] = s.usdRateLocked(t.TokenID)
	}
	return out
}

// exchangeRate is the spec's ExchangeRate.
type exchangeRate struct {
	TokenID  string `json:"token_id"`
	Currency string `json:"currency"`
	Rate     string `json:"rate"`
}

// listSupportedTokens is GET /v2/payments/supported_tokens: a bare array.
func (s *Sandbox) listSupportedTokens(apiRequest) *response {
	return jsonResponse(http.StatusOK, s.supportedTokens())
}

// getExchangeRate is GET /v2/payments/exchange_rates/{token_id}/{currency}.
func (s *Sandbox) getExchangeRate(in apiRequest) *response {
	token, currency := in.params["token_id"], in.params["currency"]
	if errResp := s.checkRateQuery([]string{token}, []string{currency}); errResp != nil {
		return errResp
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return jsonResponse(http.StatusOK, exchangeRate{TokenID: token, Currency: currency, Rate: s.usdRateLocked(token)})
}

// batchExchangeRates is GET /v2/payments/exchange_rates?token_ids=A,B&currencies=USD: one rate per
// token and currency, in the order asked.
func (s *Sandbox) batchExchangeRates(in apiRequest) *response {
	q, err := url.ParseQuery(in.query)
	if err != nil {
		return invalidParam("the query string is not valid: %v", err)
	}
	tokens, currencies := splitList(q.Get("token_ids")), splitList(q.Get("currencies"))
	switch {
	case len(tokens) == 0:
		return missingParam("missing required parameter: token_ids (a comma-separated list of token ids, such as ETH_USDT,TRON_USDT)")
	case len(currencies) == 0:
		return missingParam("missing required parameter: currencies (only %s is supported)", RateCurrency)
	}
	if errResp := s.checkRateQuery(tokens, currencies); errResp != nil {
		return errResp
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]exchangeRate, 0, len(tokens)*len(currencies))
	for _, t := range tokens {
		for _, c := range currencies {
			out = append(out, exchangeRate{TokenID: t, Currency: c, Rate: s.usdRateLocked(t)})
		}
	}
	return jsonResponse(http.StatusOK, out)
}

func (s *Sandbox) checkRateQuery(tokens, currencies []string) *response {
	for _, c := range currencies {
		if c != RateCurrency {
			return invalidParam("currency %q is not supported: only %s is", truncate(c, 20), RateCurrency)
		}
	}
	for _, t := range tokens {
		if !s.isSupportedToken(t) {
			return invalidParam("token_id %q is not a supported token; GET %s lists them", truncate(t, 40), supportedTokensPath)
		}
	}
	return nil
}

// splitList splits a comma-separated query value, dropping empty items and duplicates.
func splitList(v string) []string {
	var out []string
	for _, item := range strings.Split(v, ",") {
		if item = strings.TrimSpace(item); item != "" && !slices.Contains(out, item) {
			out = append(out, item)
		}
	}
	return out
}
