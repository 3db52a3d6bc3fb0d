package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// The pay-in reference data sources, each a readDataSource: the tokens Cobo Payments supports, its
// exchange rates, and the balances of its ledger. They read what Cobo keeps, never an object this
// provider manages, so they share one file.

// cobo_payment_supported_tokens: the tokens Cobo Payments accepts, so that a configuration can check
// its payable_currency (a precondition) before it plans an order in a token Cobo does not take.

func newPaymentSupportedTokensDataSource() datasource.DataSource {
	return newReadDataSource("payment_supported_tokens", supportedTokensSchema, readSupportedTokens, always[supportedTokensModel]("Unable to list supported tokens"))
}

type supportedTokensModel struct {
	ChainID  types.String   `tfsdk:"chain_id"`
	Tokens   types.List     `tfsdk:"tokens"`
	TokenIDs types.List     `tfsdk:"token_ids"`
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

var supportedTokenAttributes = map[string]schema.Attribute{
	"token_id":      schema.StringAttribute{Computed: true, MarkdownDescription: "The token's id, such as `ETH_USDT`: what an order's `payable_currency` and a refund's `token_id` take."},
	"name":          schema.StringAttribute{Computed: true, MarkdownDescription: "The token's name."},
	"symbol":        schema.StringAttribute{Computed: true, MarkdownDescription: "The token's symbol, such as `USDT`."},
	"decimal":       schema.Int64Attribute{Computed: true, MarkdownDescription: "How many decimals the token has on its chain."},
	"token_address": schema.StringAttribute{Computed: true, MarkdownDescription: "The token's contract address; null for a chain's native coin."},
	"chain_id":      schema.StringAttribute{Computed: true, MarkdownDescription: "The chain's id, such as `ETH`."},
	"chain_symbol":  schema.StringAttribute{Computed: true, MarkdownDescription: "The chain's symbol."},
	"can_off_ramp":  schema.BoolAttribute{Computed: true, MarkdownDescription: "Whether Cobo can off-ramp the token."},
}

func supportedTokensSchema(context.Context) schema.Schema {
	return schema.Schema{
		MarkdownDescription: "Lists the tokens Cobo Payments supports (`GET /payments/supported_tokens`), optionally of one chain. " +
			"Use `token_ids` in a `precondition` to refuse, at plan time, an order or refund in a token Cobo does not take.",
		Attributes: map[string]schema.Attribute{
			"chain_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only the tokens of this chain, such as `ETH` or `TRON`, matched exactly (`eth` matches nothing). A chain with no supported token gives empty lists, with a warning naming the chains there are.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"tokens": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The supported tokens, in Cobo's order.",
				NestedObject:        schema.NestedAttributeObject{Attributes: supportedTokenAttributes},
			},
			"token_ids": schema.ListAttribute{
				Computed:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "The `token_id` of each token in `tokens`, in the same order.",
			},
		},
	}
}

func readSupportedTokens(ctx context.Context, client *cobo.Client, cfg *supportedTokensModel, diags *diag.Diagnostics) error {
	all, err := client.ListSupportedTokens(ctx)
	if err != nil {
		return err
	}
	// Empty, never null, when nothing matches: a precondition's contains() fails on null.
	tokens := []map[string]attr.Value{}
	ids := []string{}
	chain := cfg.ChainID.ValueString()
	for _, t := range all {
		if chain != "" && t.ChainID != chain {
			continue
		}
		tokens = append(tokens, map[string]attr.Value{
			"token_id": types.StringValue(t.TokenID), "name": types.StringValue(t.Name), "symbol": types.StringValue(t.Symbol),
			"decimal": types.Int64Value(t.Decimal), "token_address": types.StringPointerValue(t.TokenAddress),
			"chain_id": types.StringValue(t.ChainID), "chain_symbol": types.StringValue(t.ChainSymbol), "can_off_ramp": types.BoolValue(t.CanOffRamp),
		})
		ids = append(ids, t.TokenID)
	}
	if chain != "" && len(ids) == 0 {
		diags.AddAttributeWarning(path.Root("chain_id"), "No supported tokens on this chain",
			fmt.Sprintf("Cobo Payments supports no token on chain_id %q, so tokens and token_ids are empty. chain_id matches exactly, case included; the chains Cobo lists are %s.",
				chain, strings.Join(supportedChains(all), ", ")))
	}
	var ds diag.Diagnostics
	cfg.Tokens, ds = listOfObjects(tokens, supportedTokenAttributes)
	diags.Append(ds...)
	cfg.TokenIDs, ds = types.ListValueFrom(ctx, types.StringType, ids)
	diags.Append(ds...)
	return nil
}

// supportedChains lists the chain ids of tokens, each once, in Cobo's order.
func supportedChains(tokens []cobo.SupportedToken) []string {
	var chains []string
	for _, t := range tokens {
		if !slices.Contains(chains, t.ChainID) {
			chains = append(chains, t.ChainID)
		}
	}
	return chains
}

// cobo_payment_exchange_rates: Cobo's reference rates of tokens in a fiat currency (USD only today).

func newPaymentExchangeRatesDataSource() datasource.DataSource {
	return newReadDataSource("payment_exchange_rates", exchangeRatesSchema, readExchangeRates, always[exchangeRatesModel]("Unable to read exchange rates"))
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

// cobo_payment_balances: the ledger as Cobo keeps it, a balance per merchant and token, and the
// developer's balance per token.

func newPaymentBalancesDataSource() datasource.DataSource {
	return newReadDataSource("payment_balances", balancesSchema, readBalances, always[balancesModel]("Unable to read balances"),
		// Cobo refuses a merchant balance request with neither; caught here, before any request.
		datasourcevalidator.AtLeastOneOf(path.MatchRoot("merchant_ids"), path.MatchRoot("token_id")))
}

type balancesModel struct {
	MerchantIDs types.Set      `tfsdk:"merchant_ids"`
	TokenID     types.String   `tfsdk:"token_id"`
	Merchants   types.List     `tfsdk:"merchants"`
	Developer   types.Object   `tfsdk:"developer"`
	Timeouts    timeouts.Value `tfsdk:"timeouts"`
}

func amountAttr(description string) schema.StringAttribute {
	return schema.StringAttribute{Computed: true, MarkdownDescription: description + " A decimal string, exactly as Cobo sends it."}
}

var merchantBalanceAttributes = map[string]schema.Attribute{
	"merchant_id":           schema.StringAttribute{Computed: true, MarkdownDescription: "The merchant."},
	"token_id":              schema.StringAttribute{Computed: true, MarkdownDescription: "The token of this balance."},
	"total_balance":         amountAttr("What the merchant holds now: what refunds and payouts can take."),
	"total_received_amount": amountAttr("Everything the merchant has received from paid orders."),
	"refunded_amount":       amountAttr("Everything refunds have taken from the merchant."),
	"settled_amount":        amountAttr("Everything paid out of the merchant's balance."),
}

var developerBalanceAttributes = map[string]schema.Attribute{
	"total_balance":        amountAttr("What the developer balance holds now."),
	"developer_fee_amount": amountAttr("The developer fees received: orders' `fee_amount` shares and late payments."),
	"refunded_amount":      amountAttr("Everything `Psp` refunds have taken."),
	"settled_amount":       amountAttr("Everything paid out of the developer balance."),
}

func balancesSchema(context.Context) schema.Schema {
	return schema.Schema{
		MarkdownDescription: "Reads merchant balances (`GET /payments/balance/merchants`) and, with `token_id`, the developer balance in that token (`GET /payments/balance/psp`). " +
			"Set `merchant_ids`, `token_id` or both, as Cobo requires.",
		Attributes: map[string]schema.Attribute{
			"merchant_ids": schema.SetAttribute{
				Optional:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "Only these merchants' balances. Default: every merchant's, in `token_id`.",
				Validators:          []validator.Set{setvalidator.SizeAtLeast(1), setvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1))},
			},
			"token_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only balances in this token, such as `ETH_USDT`; also reads the developer balance in it.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"merchants": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "One balance per merchant and token, in Cobo's order.",
				NestedObject:        schema.NestedAttributeObject{Attributes: merchantBalanceAttributes},
			},
			"developer": schema.SingleNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The developer balance in `token_id`; null without `token_id`.",
				Attributes:          developerBalanceAttributes,
			},
		},
	}
}

func readBalances(ctx context.Context, client *cobo.Client, cfg *balancesModel, diags *diag.Diagnostics) error {
	var merchantIDs []string
	if !cfg.MerchantIDs.IsNull() {
		if diags.Append(cfg.MerchantIDs.ElementsAs(ctx, &merchantIDs, false)...); diags.HasError() {
			return nil
		}
	}
	tokenID := cfg.TokenID.ValueString()
	balances, err := client.MerchantBalances(ctx, merchantIDs, tokenID)
	if err != nil {
		return err
	}
	rows := make([]map[string]attr.Value, 0, len(balances))
	for _, b := range balances {
		rows = append(rows, map[string]attr.Value{
			"merchant_id": types.StringValue(b.MerchantID), "token_id": types.StringValue(b.TokenID),
			"total_balance": types.StringValue(b.TotalBalance), "total_received_amount": types.StringValue(b.TotalReceivedAmount),
			"refunded_amount": types.StringValue(b.RefundedAmount), "settled_amount": types.StringValue(b.SettledAmount),
		})
	}
	var ds diag.Diagnostics
	cfg.Merchants, ds = listOfObjects(rows, merchantBalanceAttributes)
	diags.Append(ds...)
	cfg.Developer = types.ObjectNull(attrTypesOf(developerBalanceAttributes))
	if tokenID == "" {
		return nil
	}
	dev, err := client.DeveloperBalance(ctx, tokenID)
	if err != nil {
		return err
	}
	cfg.Developer, ds = types.ObjectValue(attrTypesOf(developerBalanceAttributes), map[string]attr.Value{
		"total_balance": types.StringValue(dev.TotalBalance), "developer_fee_amount": types.StringValue(dev.DeveloperFeeAmount),
		"refunded_amount": types.StringValue(dev.RefundedAmount), "settled_amount": types.StringValue(dev.SettledAmount),
	})
	diags.Append(ds...)
	return nil
}
