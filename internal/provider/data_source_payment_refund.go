package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// cobo_payment_refund (data source): one refund, by refund_id (GET) or by request_id (the list
// filtered by it).

func newPaymentRefundDataSource() datasource.DataSource {
	return &readDataSource[refundDataSourceModel]{
		dataSourceBase: dataSourceBase{typeName: "payment_refund"},
		schema:         refundDataSourceSchema,
		validators:     []datasource.ConfigValidator{datasourcevalidator.ExactlyOneOf(path.MatchRoot("refund_id"), path.MatchRoot("request_id"))},
		read:           readRefundDataSource,
		failure: func(m *refundDataSourceModel) string {
			if !m.RefundID.IsNull() {
				return "Unable to read refund " + quote(m.RefundID.ValueString())
			}
			return "Unable to read the refund with request_id " + quote(m.RequestID.ValueString())
		},
	}
}

type refundDataSourceModel struct {
	RefundID           types.String `tfsdk:"refund_id"`
	RequestID          types.String `tfsdk:"request_id"`
	OrderID            types.String `tfsdk:"order_id"`
	MerchantID         types.String `tfsdk:"merchant_id"`
	TokenID            types.String `tfsdk:"token_id"`
	PayableAmount      types.String `tfsdk:"payable_amount"`
	RefundType         types.String `tfsdk:"refund_type"`
	ToAddress          types.String `tfsdk:"to_address"`
	ChargeMerchantFee  types.Bool   `tfsdk:"charge_merchant_fee"`
	MerchantFeeAmount  types.String `tfsdk:"merchant_fee_amount"`
	MerchantFeeTokenID types.String `tfsdk:"merchant_fee_token_id"`
	refundReportModel
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

// refundDataSourceSchema describes every attribute as the resource does (one wording), all computed
// but the two keys.
func refundDataSourceSchema(ctx context.Context) schema.Schema {
	attrs := map[string]schema.Attribute{}
	for name, a := range paymentRefundSchema(ctx).Attributes {
		desc := a.GetMarkdownDescription()
		switch name {
		case "id", "cancel_on_destroy":
			continue
		case "transactions":
			attrs[name] = schema.ListNestedAttribute{Computed: true, MarkdownDescription: desc, NestedObject: schema.NestedAttributeObject{Attributes: dataSourceTransactionAttributes()}}
		case "charge_merchant_fee":
			attrs[name] = schema.BoolAttribute{Computed: true, MarkdownDescription: desc}
		case "created_timestamp", "updated_timestamp":
			attrs[name] = schema.Int64Attribute{Computed: true, MarkdownDescription: desc}
		default:
			attrs[name] = schema.StringAttribute{Computed: true, MarkdownDescription: desc}
		}
	}
	attrs["refund_id"] = schema.StringAttribute{
		Optional: true, Computed: true,
		MarkdownDescription: "The id of the refund to read, such as `" + refundKind.exampleID + "`. Set exactly one of `refund_id` and `request_id`.",
		Validators:          []validator.String{refundKind.idValidator()},
	}
	attrs["request_id"] = schema.StringAttribute{
		Optional: true, Computed: true,
		MarkdownDescription: "The request_id the refund was created with. Set exactly one of `refund_id` and `request_id`.",
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
	}
	return schema.Schema{
		MarkdownDescription: "Reads one Cobo refund, by `refund_id` or by the `request_id` it was created with, and its live state: status, transactions, failed reason. " +
			"A refund Cobo does not know fails the plan.",
		Attributes: attrs,
	}
}

func readRefundDataSource(ctx context.Context, client *cobo.Client, cfg *refundDataSourceModel, diags *diag.Diagnostics) error {
	var (
		refund *cobo.Refund
		err    error
	)
	if !cfg.RefundID.IsNull() {
		refund, err = client.RefreshRefund(ctx, cfg.RefundID.ValueString())
	} else if refund, err = client.FindRefundByRequestID(ctx, cfg.RequestID.ValueString()); err == nil && refund == nil {
		err = fmt.Errorf("no refund of this organization has request_id %q", cfg.RequestID.ValueString())
		err = errors.Join(err, errors.New(refundKind.notFoundAdvice()))
	}
	if err != nil {
		return err
	}
	s, d := refundState(refund, paymentRefundResourceModel{})
	diags.Append(d...)
	*cfg = refundDataSourceModel{
		RefundID: s.RefundID, RequestID: s.RequestID, OrderID: s.OrderID, MerchantID: s.MerchantID, TokenID: s.TokenID,
		PayableAmount: s.PayableAmount.StringValue, RefundType: s.RefundType, ToAddress: s.ToAddress,
		ChargeMerchantFee: s.ChargeMerchantFee, MerchantFeeAmount: s.MerchantFeeAmount.StringValue, MerchantFeeTokenID: s.MerchantFeeTokenID,
		refundReportModel: s.refundReportModel, Timeouts: cfg.Timeouts,
	}
	return nil
}
