package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
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

// cobo_payment_balances: the ledger as Cobo keeps it, a balance per merchant and token, and the
// developer's balance per token.

func newPaymentBalancesDataSource() datasource.DataSource {
	return &readDataSource[balancesModel]{
		dataSourceBase: dataSourceBase{typeName: "payment_balances"},
		schema:         balancesSchema,
		// Cobo refuses a merchant balance request with neither; caught here, before any request.
		validators: []datasource.ConfigValidator{
			datasourcevalidator.AtLeastOneOf(path.MatchRoot("merchant_ids"), path.MatchRoot("token_id")),
		},
		read:    readBalances,
		failure: func(*balancesModel) string { return "Unable to read balances" },
	}
}

type balancesModel struct {
	MerchantIDs types.Set      `tfsdk:"merchant_ids"`
	TokenID     types.String   `tfsdk:"token_id"`
	Merchants   types.List     `tfsdk:"merchants"`
	Developer   types.Object   `tfsdk:"developer"`
	Timeouts    timeouts.Value `tfsdk:"timeouts"`
}

type merchantBalanceModel struct {
	MerchantID          types.String `tfsdk:"merchant_id"`
	TokenID             types.String `tfsdk:"token_id"`
	TotalBalance        types.String `tfsdk:"total_balance"`
	TotalReceivedAmount types.String `tfsdk:"total_received_amount"`
	RefundedAmount      types.String `tfsdk:"refunded_amount"`
	SettledAmount       types.String `tfsdk:"settled_amount"`
}

type developerBalanceModel struct {
	TotalBalance       types.String `tfsdk:"total_balance"`
	DeveloperFeeAmount types.String `tfsdk:"developer_fee_amount"`
	RefundedAmount     types.String `tfsdk:"refunded_amount"`
	SettledAmount      types.String `tfsdk:"settled_amount"`
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
	rows := make([]merchantBalanceModel, 0, len(balances))
	for _, b := range balances {
		rows = append(rows, merchantBalanceModel{
			MerchantID: types.StringValue(b.MerchantID), TokenID: types.StringValue(b.TokenID),
			TotalBalance: types.StringValue(b.TotalBalance), TotalReceivedAmount: types.StringValue(b.TotalReceivedAmount),
			RefundedAmount: types.StringValue(b.RefundedAmount), SettledAmount: types.StringValue(b.SettledAmount),
		})
	}
	var ds diag.Diagnostics
	cfg.Merchants, ds = listOfModels(rows, merchantBalanceAttributes)
	diags.Append(ds...)
	cfg.Developer = types.ObjectNull(attrTypesOf(developerBalanceAttributes))
	if tokenID == "" {
		return nil
	}
	dev, err := client.DeveloperBalance(ctx, tokenID)
	if err != nil {
		return err
	}
	cfg.Developer, ds = objectFromModel(developerBalanceModel{
		TotalBalance: types.StringValue(dev.TotalBalance), DeveloperFeeAmount: types.StringValue(dev.DeveloperFeeAmount),
		RefundedAmount: types.StringValue(dev.RefundedAmount), SettledAmount: types.StringValue(dev.SettledAmount),
	}, attrTypesOf(developerBalanceAttributes))
	diags.Append(ds...)
	return nil
}
