package cobo

import (
	"fmt"
	"math/big"
	"net/http"
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
