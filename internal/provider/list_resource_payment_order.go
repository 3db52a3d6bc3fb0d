package provider

import (
	"context"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// The list resource cobo_payment_order serves `terraform query` (Terraform >= 1.14): it finds the
// orders Cobo has, so that `terraform query -generate-config-out=FILE` can write the resource and
// import blocks that bring them under Terraform.

var (
	_ list.ListResource = &paymentOrderListResource{}
)

func newPaymentOrderListResource() list.ListResource {
	return &paymentOrderListResource{resourceBase{typeName: "payment_order"}}
}

type paymentOrderListResource struct{ resourceBase }

type paymentOrderListModel struct {
	MerchantID   types.String `tfsdk:"merchant_id"`
	PspOrderCode types.String `tfsdk:"psp_order_code"`
	Statuses     types.List   `tfsdk:"statuses"`
}

func (l *paymentOrderListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: fmt.Sprintf("Finds Cobo pay-in orders for `terraform query` (Terraform >= 1.14), filtered by Cobo, following Cobo's cursor pages (%d orders a page) until the `list` block's `limit` (default %d) or the last page. "+
			"Each result is the order's identity (`order_id`) with a display name of its `psp_order_code`, order id and status. With `include_resource = true` it is also the resource as an import would read it, "+
			"so `terraform query -generate-config-out=FILE` writes resource and import blocks that import the orders unchanged. In those, `expired_in` is null (Cobo does not return it), `expired` is `false`, `expire_on_destroy` is `true`, "+
			"and `payable_amount` is null when Cobo derived it from `pricing_amount` (then `exchange_rate` is set), so the configuration says what the order was created with.",
			cobo.MaxPageSize, defaultQueryLimit),
		Attributes: map[string]schema.Attribute{
			"merchant_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: merchantFilterDescription,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"psp_order_code": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: pspOrderCodeFilterDescription,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"statuses": schema.ListAttribute{
				Optional:            true,
				ElementType:         types.StringType,
				MarkdownDescription: statusesFilterDescription + " Repeated statuses count once.",
				Validators: []validator.List{
					listvalidator.SizeAtLeast(1),
					listvalidator.ValueStringsAre(stringvalidator.OneOf(cobo.OrderStatuses...)),
				},
			},
		},
	}
}

func (l *paymentOrderListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg paymentOrderListModel
	diags := getModel(ctx, req.Config, &cfg)
	params := cobo.ListOrdersParams{MerchantID: cfg.MerchantID.ValueString(), PspOrderCode: cfg.PspOrderCode.ValueString()}
	if !diags.HasError() && !cfg.Statuses.IsNull() {
		diags.Append(cfg.Statuses.ElementsAs(ctx, &params.Statuses, false)...)
		params.Statuses = uniqueStrings(params.Statuses)
	}
	ctx, client := l.data.clientFor(ctx, &diags)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	prior, diags := importedPrior(ctx, req)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	orders, _, err := listOrders(ctx, client, params, queryLimit(req))
	if err != nil {
		stream.Results = list.ListResultsStreamDiagnostics(diag.Diagnostics{apiErrorDiagnostic("Unable to list pay-in orders", err)})
		return
	}
	stream.Results = streamEach(orders, func(o *cobo.Order) list.ListResult { return listResult(ctx, req, prior, o) })
}

// listResult is one order as a query result: its identity, a display name and, when asked for, the
// resource as the import of that identity would read it (resourceState over prior, importedPrior).
func listResult(ctx context.Context, req list.ListRequest, prior paymentOrderResourceModel, order *cobo.Order) list.ListResult {
	result := req.NewListResult(ctx)
	result.DisplayName = fmt.Sprintf("%s (%s, %s)", order.PspOrderCode, order.OrderID, order.Status)
	result.Diagnostics.Append(result.Identity.SetAttribute(ctx, path.Root("order_id"), order.OrderID)...)
	if !req.IncludeResource {
		return result
	}
	model, diags := resourceState(order, prior)
	result.Diagnostics.Append(diags...)
	// The generated configuration states what the order was created with: an amount Cobo derived
	// (payable_amount from pricing_amount, shown by a non-empty exchange_rate) stays out of it.
	// Unset, it plans to the imported value, so the import still changes nothing.
	if model.ExchangeRate.ValueString() != "" {
		model.PayableAmount = decimalPointerValue(nil)
	}
	result.Diagnostics.Append(result.Resource.Set(ctx, &model)...)
	return result
}

// importedPrior is what an import knows before its first read: nothing, so the timeouts block is
// null, typed as the resource's schema types it.
func importedPrior(ctx context.Context, req list.ListRequest) (paymentOrderResourceModel, diag.Diagnostics) {
	var prior paymentOrderResourceModel
	t, diags := nullTimeouts(ctx, req)
	prior.Timeouts = t
	return prior, diags
}

// nullTimeouts is a null timeouts block, typed as the listed resource's schema types it.
func nullTimeouts(ctx context.Context, req list.ListRequest) (timeouts.Value, diag.Diagnostics) {
	typ := req.ResourceSchema.GetBlocks()["timeouts"].Type()
	v, err := typ.ValueFromTerraform(ctx, tftypes.NewValue(typ.TerraformType(ctx), nil))
	if err != nil {
		return timeouts.Value{}, modelError(err)
	}
	t, ok := v.(timeouts.Value)
	if !ok {
		return timeouts.Value{}, modelError(fmt.Errorf("the timeouts block is a %T, not a timeouts.Value", v))
	}
	return t, nil
}

// uniqueStrings drops repeated values, keeping the first of each.
func uniqueStrings(values []string) []string {
	out := make([]string, 0, len(values))
	for _, v := range values {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}
