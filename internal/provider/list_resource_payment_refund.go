package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// The list resource cobo_payment_refund serves `terraform query` (Terraform >= 1.14): the refunds
// Cobo has, for `terraform query -generate-config-out=FILE`.

var _ list.ListResource = &paymentRefundListResource{}

func newPaymentRefundListResource() list.ListResource {
	return &paymentRefundListResource{resourceBase{typeName: "payment_refund"}}
}

type paymentRefundListResource struct{ resourceBase }

type paymentRefundListModel struct {
	MerchantID types.String `tfsdk:"merchant_id"`
	RequestID  types.String `tfsdk:"request_id"`
	Statuses   types.List   `tfsdk:"statuses"`
}

func (l *paymentRefundListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
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

func (l *paymentRefundListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg paymentRefundListModel
	diags := getModel(ctx, req.Config, &cfg)
	params := cobo.ListRefundsParams{MerchantID: cfg.MerchantID.ValueString(), RequestID: cfg.RequestID.ValueString()}
	if !diags.HasError() && !cfg.Statuses.IsNull() {
		diags.Append(cfg.Statuses.ElementsAs(ctx, &params.Statuses, false)...)
		params.Statuses = uniqueStrings(params.Statuses)
	}
	ctx, client := l.data.clientFor(ctx, &diags)
	var prior paymentRefundResourceModel
	if !diags.HasError() {
		var d diag.Diagnostics
		prior.Timeouts, d = nullTimeouts(ctx, req)
		diags.Append(d...)
	}
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	page := func(ctx context.Context, after string, limit int) (*cobo.RefundPage, error) {
		params.After, params.Limit = after, limit
		return client.ListRefunds(ctx, params)
	}
	refunds, _, err := cobo.CollectPages(ctx, queryLimit(req), "refund", page, nil)
	if err != nil {
		stream.Results = list.ListResultsStreamDiagnostics(diag.Diagnostics{apiErrorDiagnostic("Unable to list refunds", err)})
		return
	}
	stream.Results = streamEach(refunds, func(r *cobo.Refund) list.ListResult { return refundListResult(ctx, req, prior, r) })
}

// refundListResult is one refund as a query result (see listResult for orders).
func refundListResult(ctx context.Context, req list.ListRequest, prior paymentRefundResourceModel, r *cobo.Refund) list.ListResult {
	result := req.NewListResult(ctx)
	result.DisplayName = fmt.Sprintf("%s (%s, %s)", r.RequestID, r.RefundID, r.Status)
	result.Diagnostics.Append(result.Identity.SetAttribute(ctx, path.Root("refund_id"), r.RefundID)...)
	if !req.IncludeResource {
		return result
	}
	model, diags := refundState(r, prior)
	result.Diagnostics.Append(diags...)
	result.Diagnostics.Append(result.Resource.Set(ctx, &model)...)
	return result
}
