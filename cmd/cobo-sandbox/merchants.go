package main

import (
	"encoding/json"
	"flag"
	"net/http"
	"slices"
	"strings"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// merchantsList: every page of GET /v2/payments/merchants, as a table or (-json) one JSON array.
func merchantsList(fs *flag.FlagSet) func(*client, []string) error {
	var p cobo.ListMerchantsParams
	fs.StringVar(&p.Keyword, "keyword", "", "only merchants whose name matches this (Cobo's fuzzy keyword match)")
	fs.StringVar(&p.WalletSetup, "wallet-setup", "", "only merchants with this wallet setup: "+strings.Join(cobo.WalletSetupsOnCreate, ", ")+" or "+cobo.WalletSetupDefault)
	out := listFlags(fs, "merchants", false, merchantColumns)
	return func(c *client, _ []string) error {
		return printList(c, out, func(after string) (*cobo.MerchantPage, error) {
			p.Limit, p.After = cobo.MaxPageSize, after
			return c.api.ListMerchants(c.ctx, p)
		})
	}
}

// merchantsCreate: POST /v2/payments/merchants; prints the merchant as the API returns it.
func merchantsCreate(fs *flag.FlagSet) func(*client, []string) error {
	var req cobo.CreateMerchantRequest
	fs.StringVar(&req.Name, "name", "", "name (required)")
	fs.StringVar(&req.DeveloperFeeRate, "developer-fee-rate", "", "developer_fee_rate, "+cobo.DeveloperFeeRateRule.Doc)
	fs.StringVar(&req.WalletSetup, "wallet-setup", "", "wallet_setup: "+strings.Join(cobo.WalletSetupsOnCreate, " or ")+" (default: Cobo's, "+cobo.WalletSetupShared+")")
	return func(c *client, _ []string) error {
		if req.Name == "" {
			return usageErrorf("merchants create needs -name")
		}
		if err := checkFeeRateFlag(req.DeveloperFeeRate); err != nil {
			return err
		}
		if req.WalletSetup != "" && !slices.Contains(cobo.WalletSetupsOnCreate, req.WalletSetup) {
			return usageErrorf("-wallet-setup must be one of %s, got %q", strings.Join(cobo.WalletSetupsOnCreate, ", "), req.WalletSetup)
		}
		m, err := c.api.CreateMerchant(c.ctx, req)
		if err != nil {
			return err
		}
		return c.printLast(http.MethodPost, m)
	}
}

// merchantsUpdate: PUT /v2/payments/merchants/{id} with the flags given; prints the merchant.
func merchantsUpdate(fs *flag.FlagSet) func(*client, []string) error {
	name := fs.String("name", "", "the new name")
	rate := fs.String("developer-fee-rate", "", "the new developer_fee_rate, "+cobo.DeveloperFeeRateRule.Doc)
	return func(c *client, args []string) error {
		var req cobo.UpdateMerchantRequest
		if *name != "" {
			req.Name = name
		}
		if *rate != "" {
			if err := checkFeeRateFlag(*rate); err != nil {
				return err
			}
			req.DeveloperFeeRate = rate
		}
		if req.Name == nil && req.DeveloperFeeRate == nil {
			return usageErrorf("merchants update needs -name, -developer-fee-rate or both (the wallet setup cannot change)")
		}
		m, err := c.api.UpdateMerchant(c.ctx, args[0], req)
		if err != nil {
			return err
		}
		return c.printLast(http.MethodPut, m)
	}
}

func checkFeeRateFlag(rate string) error {
	if rate == "" {
		return nil
	}
	if err := cobo.CheckDeveloperFeeRate(rate); err != nil {
		return usageErrorf("-developer-fee-rate: %v", err)
	}
	return nil
}

// printLast prints the last answer to a request with method exactly as the API returned it, or v
// when the client's last request was another (a retry that looked the object up).
func (c *client) printLast(method string, v any) error {
	if raw := c.capture.last(method); raw != nil {
		return c.printJSON(raw)
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return c.printJSON(raw)
}

var merchantColumns = []column{
	{"MERCHANT_ID", func(i json.RawMessage) string { return decoded[cobo.Merchant](i).MerchantID }},
	{"NAME", func(i json.RawMessage) string { return decoded[cobo.Merchant](i).Name }},
	{"WALLET_SETUP", func(i json.RawMessage) string { return decoded[cobo.Merchant](i).WalletSetup }},
	{"DEVELOPER_FEE_RATE", func(i json.RawMessage) string { return orEmpty(decoded[cobo.Merchant](i).DeveloperFeeRate) }},
	{"WALLET_ID", func(i json.RawMessage) string { return decoded[cobo.Merchant](i).WalletID }},
}
