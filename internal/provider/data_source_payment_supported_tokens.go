package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// cobo_payment_supported_tokens: the tokens Cobo Payments accepts, so that a configuration can check
// its payable_currency (a precondition) before it plans an order in a token Cobo does not take.

func newPaymentSupportedTokensDataSource() datasource.DataSource {
	return &readDataSource[supportedTokensModel]{
		dataSourceBase: dataSourceBase{typeName: "payment_supported_tokens"},
		schema:         supportedTokensSchema,
		read:           readSupportedTokens,
		failure:        func(*supportedTokensModel) string { return "Unable to list supported tokens" },
	}
}

type supportedTokensModel struct {
	ChainID  types.String   `tfsdk:"chain_id"`
	Tokens   types.List     `tfsdk:"tokens"`
	TokenIDs types.List     `tfsdk:"token_ids"`
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

type supportedTokenModel struct {
	TokenID      types.String `tfsdk:"token_id"`
	Name         types.String `tfsdk:"name"`
	Symbol       types.String `tfsdk:"symbol"`
	Decimal      types.Int64  `tfsdk:"decimal"`
	TokenAddress types.String `tfsdk:"token_address"`
	ChainID      types.String `tfsdk:"chain_id"`
	ChainSymbol  types.String `tfsdk:"chain_symbol"`
	CanOffRamp   types.Bool   `tfsdk:"can_off_ramp"`
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
				MarkdownDescription: "Only the tokens of this chain, such as `ETH` or `TRON`.",
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
	var tokens []supportedTokenModel
	var ids []string
	for _, t := range all {
		if chain := cfg.ChainID.ValueString(); chain != "" && t.ChainID != chain {
			continue
		}
		tokens = append(tokens, supportedTokenModel{
			TokenID: types.StringValue(t.TokenID), Name: types.StringValue(t.Name), Symbol: types.StringValue(t.Symbol),
			Decimal: types.Int64Value(t.Decimal), TokenAddress: types.StringPointerValue(t.TokenAddress),
			ChainID: types.StringValue(t.ChainID), ChainSymbol: types.StringValue(t.ChainSymbol), CanOffRamp: types.BoolValue(t.CanOffRamp),
		})
		ids = append(ids, t.TokenID)
	}
	var ds diag.Diagnostics
	cfg.Tokens, ds = listOfModels(tokens, supportedTokenAttributes)
	diags.Append(ds...)
	cfg.TokenIDs, ds = types.ListValueFrom(ctx, types.StringType, ids)
	diags.Append(ds...)
	return nil
}
