package cobo

import (
	"context"
	"fmt"
	"math"
	"math/big"
	"net/http"
)

// Merchant mirrors Cobo's Merchant (v1.42.0). WalletID is deprecated by Cobo, yet always sent.
type Merchant struct {
	MerchantID       string  `json:"merchant_id"`
	Name             string  `json:"name"`
	WalletID         string  `json:"wallet_id"`
	DeveloperFeeRate *string `json:"developer_fee_rate,omitempty"`
	WalletSetup      string  `json:"wallet_setup,omitempty"`
	CreatedTimestamp *int64  `json:"created_timestamp,omitempty"` // seconds
	UpdatedTimestamp *int64  `json:"updated_timestamp,omitempty"` // seconds
}

// MerchantPage is one page of GET /payments/merchants.
type MerchantPage = Page[Merchant]

// Wallet setups (WalletSetup). Default belongs to the merchant onboarding creates and is never sent.
const (
	WalletSetupShared   = "Shared"
	WalletSetupSeparate = "Separate"
	WalletSetupDefault  = "Default"
)

// WalletSetupsOnCreate are the wallet setups a create may ask for; Shared is Cobo's default.
var WalletSetupsOnCreate = []string{WalletSetupShared, WalletSetupSeparate}

// DeveloperFeeRateRule is Cobo's rule for developer_fee_rate: "a valid float between 0 and 1
// (inclusive), with up to 4 decimal places". CheckDeveloperFeeRate adds the upper bound.
var DeveloperFeeRateRule = AmountRule{Field: "developer_fee_rate", MaxDecimals: 4, AllowZero: true,
	Doc: "a decimal string from 0 to 1 with at most 4 decimal places, such as \"0.015\""}

// CheckDeveloperFeeRate returns nil for a valid developer_fee_rate, or an error saying what was wrong
// and what is accepted.
func CheckDeveloperFeeRate(v string) error {
	if err := DeveloperFeeRateRule.Check(v); err != nil {
		return err
	}
	if r, ok := new(big.Rat).SetString(v); ok && r.Cmp(big.NewRat(1, 1)) > 0 {
		return fmt.Errorf("developer_fee_rate must be %s; %q is above 1", DeveloperFeeRateRule.Doc, v)
	}
	return nil
}

// IsZeroRate reports whether a developer_fee_rate is zero; Cobo reads an absent rate (nil) as zero.
func IsZeroRate(rate *string) bool { return rate == nil || SameDecimal(*rate, "0") }

// CreateMerchantRequest is the body of POST /payments/merchants.
type CreateMerchantRequest struct {
	Name             string `json:"name"`
	DeveloperFeeRate string `json:"developer_fee_rate,omitempty"`
	WalletSetup      string `json:"wallet_setup,omitempty"`
}

// UpdateMerchantRequest is the body of PUT /payments/merchants/{merchant_id}; nil fields are not sent.
// The wallet setup cannot change after creation.
type UpdateMerchantRequest struct {
	Name             *string `json:"name,omitempty"`
	DeveloperFeeRate *string `json:"developer_fee_rate,omitempty"`
}

// ListMerchantsParams are the query parameters of GET /payments/merchants. Keyword is a fuzzy match on
// the name, the only name filter Cobo has.
type ListMerchantsParams struct {
	PageParams
	Keyword     string
	WalletSetup string
}

// Query encodes the parameters in a fixed order.
func (p ListMerchantsParams) Query() string {
	return p.query("keyword", p.Keyword, "wallet_setup", p.WalletSetup)
}

const merchantsPath = "/payments/merchants"

// ValidateMerchantID rejects what cannot be a merchant id in a URL path.
func ValidateMerchantID(id string) error { return validatePathID("merchant_id", "merchant", id) }

// ListMerchants reads one page of merchants.
func (c *Client) ListMerchants(ctx context.Context, p ListMerchantsParams) (*MerchantPage, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return getJSON[MerchantPage](ctx, c, http.MethodGet, merchantsPath, p.Query(), nil, "merchant list")
}

// AllMerchants reads every merchant of the organization, oldest page first. Cobo has no get-by-id for
// merchants: reading one means this walk, so callers that need several should walk once and share it.
func (c *Client) AllMerchants(ctx context.Context) ([]Merchant, error) {
	list := func(ctx context.Context, after string, limit int) (*MerchantPage, error) {
		return c.ListMerchants(ctx, ListMerchantsParams{PageParams: PageParams{Limit: limit, After: after}})
	}
	merchants, _, err := CollectPages(ctx, math.MaxInt, "merchant", list, nil)
	return merchants, err
}

// MerchantsNamed returns the merchants whose name is exactly name (the keyword filter is fuzzy).
func (c *Client) MerchantsNamed(ctx context.Context, name string) ([]Merchant, error) {
	return c.merchantsNamed(ctx, &retryBudget{left: c.cfg.MaxRetries}, name)
}

func (c *Client) merchantsNamed(ctx context.Context, b *retryBudget, name string) ([]Merchant, error) {
	query := func(pp PageParams) string { return ListMerchantsParams{PageParams: pp, Keyword: name}.Query() }
	exact := func(m *Merchant) bool { return m.Name == name }
	return listAllWithin(ctx, c, b, merchantsPath, "merchant", query, exact)
}

// CreateMerchant creates a merchant. Cobo has no idempotency key for merchants, so it is never sent
// twice blindly: after an ambiguous failure (no answer, 429 or 5xx) the merchants with req.Name are
// looked up, and one found is returned (the lost answer's merchant) instead of creating a second.
// Only when none exists is the POST sent again, within Config.MaxRetries.
func (c *Client) CreateMerchant(ctx context.Context, req CreateMerchantRequest) (*Merchant, error) {
	merchant, _, err := createNeverTwice(ctx, c, req, neverTwice[Merchant]{
		path: merchantsPath, what: "merchant",
		find: func(ctx context.Context, b *retryBudget) (*Merchant, error) {
			return newest(c.merchantsNamed(ctx, b, req.Name))
		},
		unknown: outcomeUnknown("merchant", fmt.Sprintf("name %q", req.Name), fmt.Sprintf("list merchants with keyword %q", req.Name)),
	})
	return merchant, err
}

// UpdateMerchant updates a merchant's name or developer fee rate. A PUT sets values, so it is retried.
func (c *Client) UpdateMerchant(ctx context.Context, merchantID string, req UpdateMerchantRequest) (*Merchant, error) {
	path, err := itemPath(merchantsPath, ValidateMerchantID, merchantID)
	if err != nil {
		return nil, err
	}
	return put(ctx, c, path, req, jsonAs[Merchant]("merchant"))
}
