package main

import (
	"encoding/json"
	"flag"
	"net/http"
	"net/url"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// developerRow names the developer's (PSP's) balance in the MERCHANT_ID column of balances.
const developerRow = "(developer)"

// balances: GET /v2/payments/balance/merchants (every merchant unless -merchant-ids), and with
// -token-id GET /v2/payments/balance/psp too. -json prints {"merchants": [...], "developer": {...}}.
func balances(fs *flag.FlagSet) func(*client, []string) error {
	merchantIDs := fs.String("merchant-ids", "", "only these merchants, comma-separated (default: every merchant)")
	tokenID := fs.String("token-id", "", "only this token, such as ETH_USDT; also shows the developer balance in it")
	asJSON := fs.Bool("json", false, `print {"merchants": [...], "developer": {...}} exactly as the API returns them, instead of a table`)
	return func(c *client, _ []string) error {
		ids := splitList(*merchantIDs)
		if len(ids) == 0 && *tokenID == "" {
			all, err := c.api.AllMerchants(c.ctx) // Cobo needs merchant ids or a token
			if err != nil {
				return err
			}
			for _, m := range all {
				ids = append(ids, m.MerchantID)
			}
		}
		var out struct {
			Merchants []json.RawMessage `json:"merchants"`
			Developer json.RawMessage   `json:"developer,omitempty"`
		}
		out.Merchants = []json.RawMessage{}
		if len(ids) > 0 || *tokenID != "" {
			if _, err := c.api.MerchantBalances(c.ctx, ids, *tokenID); err != nil {
				return err
			}
			if err := json.Unmarshal(mustField(c.capture.last(http.MethodGet)), &out.Merchants); err != nil {
				return err
			}
		}
		if *tokenID != "" {
			if _, err := c.api.DeveloperBalance(c.ctx, *tokenID); err != nil {
				return err
			}
			out.Developer = c.capture.last(http.MethodGet)
		}
		if *asJSON {
			raw, err := json.Marshal(out)
			if err != nil {
				return err
			}
			return c.printJSON(raw)
		}
		rows := out.Merchants
		if out.Developer != nil {
			rows = append(rows, out.Developer)
		}
		return printTable(c.out, rows, balanceColumns)
	}
}

// mustField is the data array of a list answer, or null when it has none.
func mustField(raw []byte) []byte {
	data, err := field(raw, "data")
	if err != nil {
		return []byte("null")
	}
	return data
}

var balanceColumns = []column{
	{"MERCHANT_ID", func(i json.RawMessage) string {
		if id := decoded[cobo.MerchantBalance](i).MerchantID; id != "" {
			return id
		}
		return developerRow
	}},
	{"TOKEN_ID", func(i json.RawMessage) string { return decoded[cobo.MerchantBalance](i).TokenID }},
	{"TOTAL_RECEIVED", func(i json.RawMessage) string { return decoded[cobo.MerchantBalance](i).TotalReceivedAmount }},
	{"DEVELOPER_FEE", func(i json.RawMessage) string { return decoded[cobo.PspBalance](i).DeveloperFeeAmount }},
	{"SETTLED", func(i json.RawMessage) string { return decoded[cobo.MerchantBalance](i).SettledAmount }},
	{"REFUNDED", func(i json.RawMessage) string { return decoded[cobo.MerchantBalance](i).RefundedAmount }},
	{"TOTAL_BALANCE", func(i json.RawMessage) string { return decoded[cobo.MerchantBalance](i).TotalBalance }},
}

// ratesList: GET /v2/payments/exchange_rates in USD for -token-ids, by default every supported token.
func ratesList(fs *flag.FlagSet) func(*client, []string) error {
	tokenIDs := fs.String("token-ids", "", "only these tokens, comma-separated (default: every supported token)")
	asJSON := fs.Bool("json", false, "print the rates as one JSON array, exactly as the API returns them, instead of a table")
	return func(c *client, _ []string) error {
		ids := splitList(*tokenIDs)
		if len(ids) == 0 {
			tokens, err := c.api.ListSupportedTokens(c.ctx)
			if err != nil {
				return err
			}
			for _, t := range tokens {
				ids = append(ids, t.TokenID)
			}
		}
		if _, err := c.api.ExchangeRates(c.ctx, ids, cobo.CurrencyUSD); err != nil {
			return err
		}
		raw := c.capture.last(http.MethodGet)
		if *asJSON {
			return c.printJSON(raw)
		}
		var items []json.RawMessage
		if err := json.Unmarshal(raw, &items); err != nil {
			return err
		}
		return printTable(c.out, items, rateColumns)
	}
}

// ratesSet: PUT /_sandbox/rates/{token}; prints every rate the sandbox now has.
func ratesSet(*flag.FlagSet) func(*client, []string) error {
	return func(c *client, args []string) error {
		return c.printHelper(http.MethodPut, "/rates/"+url.PathEscape(args[0]), map[string]any{"rate": args[1]})
	}
}

var rateColumns = []column{
	{"TOKEN_ID", func(i json.RawMessage) string { return decoded[cobo.ExchangeRate](i).TokenID }},
	{"CURRENCY", func(i json.RawMessage) string { return decoded[cobo.ExchangeRate](i).Currency }},
	{"RATE", func(i json.RawMessage) string { return decoded[cobo.ExchangeRate](i).Rate }},
}
