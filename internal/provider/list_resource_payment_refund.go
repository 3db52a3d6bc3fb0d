package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// The list resource cobo_payment_refund serves `terraform query` (Terraform >= 1.14): the refunds
// Cobo has, for `terraform query -generate-config-out=FILE`.

func newPaymentRefundListResource() list.ListResource {
	return &queryList[paymentRefundListModel, cobo.Refund]{
		resourceBase: resourceBase{typeName: "payment_refund"}, kind: refundKind,
		schema: paymentRefundListSchema, failure: "Unable to list refunds", find: findRefunds,
		describe: func(r *cobo.Refund) (string, string) {
			return r.RefundID, fmt.Sprintf("%s (%s, %s)", r.RequestID, r.RefundID, r.Status)
		},
		resource: func(r *cobo.Refund, noTimeouts timeouts.Value) (any, diag.Diagnostics) {
			model, diags := refundState(r, paymentRefundResourceModel{Timeouts: noTimeouts})
			return &model, diags
		},
	}
}

type paymentRefundListModel struct {
	MerchantID types.String `tfsdk:"merchant_id"`
	RequestID  types.String `tfsdk:"request_id"`
	Statuses   types.List   `tfsdk:"statuses"`
}

func paymentRefundListSchema() schema.Schema {
	return schema.Schema{
		MarkdownDescription: fmt.Sprintf("Finds Cobo refunds for `terraform query` (Terraform >= 1.14), filtered by Cobo, following its cursor pages until the `list` block's `limit` (default %d). "+
			"Each result is the refund's identity (`refund_id`) with a display name of its `request_id`, refund id and status; with `include_resource = true` also the resource as an import reads it "+
			"(`payable_amount` is `amount` plus the merchant fee), so `terraform query -generate-config-out=FILE` writes blocks that import the refunds unchanged.", defaultQueryLimit),
		Attributes: map[string]schema.Attribute{
			"merchant_id": schema.StringAttribute{
				Optional: true, MarkdownDescription: "Only refunds of this merchant.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"request_id": schema.StringAttribute{
				Optional: true, MarkdownDescription: "Only the refund with this `request_id`.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"statuses": schema.ListAttribute{
				Optional: true, ElementType: types.StringType,
				MarkdownDescription: "Only refunds in one of these statuses: " + markdownList(cobo.RefundStatuses) + ". Repeated statuses count once.",
				Validators:          []validator.List{listvalidator.SizeAtLeast(1), listvalidator.ValueStringsAre(stringvalidator.OneOf(cobo.RefundStatuses...))},
			},
		},
	}
}

// findRefunds reads the refunds the list block's filters select, up to limit.
func findRefunds(ctx context.Context, client *cobo.Client, cfg paymentRefundListModel, limit int) ([]cobo.Refund, error) {
	params := cobo.ListRefundsParams{MerchantID: cfg.MerchantID.ValueString(), RequestID: cfg.RequestID.ValueString(), Statuses: statusFilter(cfg.Statuses)}
	page := func(ctx context.Context, after string, limit int) (*cobo.RefundPage, error) {
		params.After, params.Limit = after, limit
		return client.ListRefunds(ctx, params)
	}
	refunds, _, err := cobo.CollectPages(ctx, limit, "refund", page, nil)
	return refunds, err
}
