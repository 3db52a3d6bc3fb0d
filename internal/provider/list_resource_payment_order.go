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

// The list resource cobo_payment_order serves `terraform query` (Terraform >= 1.14): it finds the
// orders Cobo has, so that `terraform query -generate-config-out=FILE` can write the resource and
// import blocks that bring them under Terraform.

func newPaymentOrderListResource() list.ListResource {
	return &queryList[paymentOrderListModel, cobo.Order]{
		resourceBase: resourceBase{typeName: "payment_order"}, kind: orderKind,
		schema: paymentOrderListSchema, failure: "Unable to list pay-in orders",
		find: func(ctx context.Context, client *cobo.Client, cfg paymentOrderListModel, limit int) ([]cobo.Order, error) {
			params := cobo.ListOrdersParams{MerchantID: cfg.MerchantID.ValueString(), PspOrderCode: cfg.PspOrderCode.ValueString(), Statuses: statusFilter(cfg.Statuses)}
			orders, _, err := listOrders(ctx, client, params, limit)
			return orders, err
		},
		describe: func(o *cobo.Order) (string, string) {
			return o.OrderID, fmt.Sprintf("%s (%s, %s)", o.PspOrderCode, o.OrderID, o.Status)
		},
		resource: importedOrder,
	}
}

type paymentOrderListModel struct {
	MerchantID   types.String `tfsdk:"merchant_id"`
	PspOrderCode types.String `tfsdk:"psp_order_code"`
	Statuses     types.List   `tfsdk:"statuses"`
}

func paymentOrderListSchema() schema.Schema {
	return schema.Schema{
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

// importedOrder is the resource as the import of an order's identity would read it: resourceState
// over a prior that knows nothing but the null timeouts block.
func importedOrder(order *cobo.Order, noTimeouts timeouts.Value) (any, diag.Diagnostics) {
	model, diags := resourceState(order, paymentOrderResourceModel{Timeouts: noTimeouts})
	// The generated configuration states what the order was created with: an amount Cobo derived
	// (payable_amount from pricing_amount, shown by a non-empty exchange_rate) stays out of it.
	// Unset, it plans to the imported value, so the import still changes nothing.
	if model.ExchangeRate.ValueString() != "" {
		model.PayableAmount = decimalPointerValue(nil)
	}
	return &model, diags
}
