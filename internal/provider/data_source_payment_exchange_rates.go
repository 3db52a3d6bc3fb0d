package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// cobo_payment_exchange_rates: Cobo's reference rates of tokens in a fiat currency (USD only today).

func newPaymentExchangeRatesDataSource() datasource.DataSource {
	return &readDataSource[exchangeRatesModel]{
		dataSourceBase: dataSourceBase{typeName: "payment_exchange_rates"},
		schema:         exchangeRatesSchema,
		read:           readExchangeRates,
		failure:        func(*exchangeRatesModel) string { return "Unable to read exchange rates" },
	}
}

type exchangeRatesModel struct {
	TokenIDs types.Set      `tfsdk:"token_ids"`
	Currency types.String   `tfsdk:"currency"`
	Rates    types.Map      `tfsdk:"rates"`
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

func exchangeRatesSchema(context.Context) schema.Schema {
	return schema.Schema{
		MarkdownDescription: "Reads Cobo's exchange rates of tokens in a fiat currency with one request (`GET /payments/exchange_rates`). " +
			"Cobo updates them about every 10 minutes and gives them for reference only: an order's own `exchange_rate` is what it was priced at.",
		Attributes: map[string]schema.Attribute{
			"token_ids": schema.SetAttribute{
				Required:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "The tokens to read, such as `ETH_USDT`.",
				Validators: []validator.Set{
					setvalidator.SizeAtLeast(1),
					setvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1)),
				},
			},
			"currency": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				MarkdownDescription: fmt.Sprintf("The fiat currency. Default and only value Cobo supports: `%s`.", cobo.CurrencyUSD),
				Validators:          []validator.String{stringvalidator.OneOf(cobo.CurrencyUSD)},
			},
			"rates": schema.MapAttribute{
				Computed:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "The rate of each token of `token_ids`: how many units of `currency` one unit of the token is worth, as a decimal string.",
			},
		},
	}
}

func readExchangeRates(ctx context.Context, client *cobo.Client, cfg *exchangeRatesModel, diags *diag.Diagnostics) error {
	if cfg.Currency.IsNull() || cfg.Currency.IsUnknown() {
		cfg.Currency = types.StringValue(cobo.CurrencyUSD)
	}
	var tokenIDs []string
	if diags.Append(cfg.TokenIDs.ElementsAs(ctx, &tokenIDs, false)...); diags.HasError() {
		return nil
	}
	rates, err := client.ExchangeRates(ctx, tokenIDs, cfg.Currency.ValueString())
	if err != nil {
		return err
	}
	byToken := make(map[string]string, len(rates))
	for _, r := range rates {
		byToken[r.TokenID] = r.Rate
	}
	var missing []string
	for _, id := range tokenIDs {
		if _, ok := byToken[id]; !ok {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		diags.AddAttributeError(path.Root("token_ids"), "No exchange rate for some tokens",
			fmt.Sprintf("Cobo returned no %s rate for %s. Check the token ids against the cobo_payment_supported_tokens data source.",
				cfg.Currency.ValueString(), strings.Join(missing, ", ")))
		return nil
	}
	var ds diag.Diagnostics
	cfg.Rates, ds = types.MapValueFrom(ctx, types.StringType, byToken)
	diags.Append(ds...)
	return nil
}
