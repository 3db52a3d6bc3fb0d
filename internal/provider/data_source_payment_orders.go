package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// Without limit the data source reads at most defaultListCap orders and warns when more match;
// limit may raise that to maxListLimit. Both keep a plan's state and memory bounded.
const (
	defaultListCap = 1000
	maxListLimit   = 10000
)

var (
	_ datasource.DataSource = &paymentOrdersDataSource{}
)

func newPaymentOrdersDataSource() datasource.DataSource {
	return &paymentOrdersDataSource{dataSourceBase{typeName: "payment_orders"}}
}

type paymentOrdersDataSource struct{ dataSourceBase }

type paymentOrdersModel struct {
	MerchantID   types.String   `tfsdk:"merchant_id"`
	PspOrderCode types.String   `tfsdk:"psp_order_code"`
	Statuses     types.Set      `tfsdk:"statuses"`
	Limit        types.Int64    `tfsdk:"limit"`
	Orders       types.List     `tfsdk:"orders"`
	TotalCount   types.Int64    `tfsdk:"total_count"`
	Timeouts     timeouts.Value `tfsdk:"timeouts"`
}

func (d *paymentOrdersDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: fmt.Sprintf("Lists Cobo pay-in orders, optionally filtered by merchant, `psp_order_code` or status, following Cobo's cursor pagination (%d orders a page). "+
			"Orders come in the order Cobo lists them: Cobo's API reference does not document it (its pagination says most endpoints sort by object ID), and the sandbox lists the oldest first. "+
			"Without `limit` it reads at most %d orders and warns when more match. With a `psp_order_code` filter it reads an order that may not exist without failing: `orders` is then empty.", cobo.MaxPageSize, defaultListCap),
		Blocks: map[string]schema.Block{"timeouts": timeouts.Block(ctx)},
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
			"statuses": schema.SetAttribute{
				Optional:            true,
				ElementType:         types.StringType,
				MarkdownDescription: statusesFilterDescription,
				Validators: []validator.Set{
					setvalidator.SizeAtLeast(1),
					setvalidator.ValueStringsAre(stringvalidator.OneOf(cobo.OrderStatuses...)),
				},
			},
			"limit": schema.Int64Attribute{
				Optional:            true,
				MarkdownDescription: fmt.Sprintf("The most orders to return, between 1 and %d. Default: all that match, up to %d.", maxListLimit, defaultListCap),
				Validators:          []validator.Int64{int64validator.Between(1, maxListLimit)},
			},
			"orders": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The matching orders, each with the same attributes as the `cobo_payment_order` data source.",
				NestedObject:        schema.NestedAttributeObject{Attributes: dataSourceOrderAttributes()},
			},
			"total_count": schema.Int64Attribute{
				Computed:            true,
				MarkdownDescription: "How many orders match the filters, as Cobo reports it (regardless of `limit`).",
			},
		},
	}
}

func (d *paymentOrdersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg paymentOrdersModel
	resp.Diagnostics.Append(getModel(ctx, req.Config, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout := timeoutFrom(ctx, "data source", "read", defaultReadTimeout, cfg.Timeouts.Read, &resp.Diagnostics)
	ctx, client, cancel := d.data.startOperation(ctx, timeout, &resp.Diagnostics)
	defer cancel()
	if client == nil {
		return
	}

	params := cobo.ListOrdersParams{MerchantID: cfg.MerchantID.ValueString(), PspOrderCode: cfg.PspOrderCode.ValueString()}
	if !cfg.Statuses.IsNull() {
		resp.Diagnostics.Append(cfg.Statuses.ElementsAs(ctx, &params.Statuses, false)...)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	want := defaultListCap
	if !cfg.Limit.IsNull() {
		want = int(cfg.Limit.ValueInt64())
	}

	orders, total, err := listOrders(ctx, client, params, want)
	if err != nil {
		resp.Diagnostics.Append(timeout.diagnostic(ctx, "Unable to list pay-in orders", err))
		return
	}
	if cfg.Limit.IsNull() && total > len(orders) {
		resp.Diagnostics.AddWarning("Pay-in order list truncated",
			fmt.Sprintf("%d orders match, and without limit this data source reads at most %d. Narrow the filters, or set limit (up to %d).", total, defaultListCap, maxListLimit))
	}

	values := make([]attr.Value, 0, len(orders))
	for i := range orders {
		m, diags := flattenOrder(&orders[i])
		resp.Diagnostics.Append(diags...)
		obj, diags := objectFromModel(m, orderAttrTypes)
		resp.Diagnostics.Append(diags...)
		values = append(values, obj)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	list, diags := types.ListValue(types.ObjectType{AttrTypes: orderAttrTypes}, values)
	resp.Diagnostics.Append(diags...)
	cfg.Orders = list
	cfg.TotalCount = types.Int64Value(int64(total))
	resp.Diagnostics.Append(setModel(ctx, &resp.State, cfg)...)
}

// listOrders reads Cobo's pages until it has want orders or the last page, with Cobo's total_count.
func listOrders(ctx context.Context, client *cobo.Client, params cobo.ListOrdersParams, want int) ([]cobo.Order, int, error) {
	page := func(ctx context.Context, after string, limit int) (*cobo.OrderPage, error) {
		params.After, params.Limit = after, limit
		return client.ListPaymentOrders(ctx, params)
	}
	return cobo.CollectPages(ctx, want, "order", page, nil)
}

// The filters of the list data source and the list resource, both sent to Cobo's list endpoint.
const (
	merchantFilterDescription     = "Only orders of this merchant."
	pspOrderCodeFilterDescription = "Only the order with this `psp_order_code` (sent as Cobo's `psp_order_id` query parameter)."
)

var statusesFilterDescription = fmt.Sprintf("Only orders in one of these statuses: %s.", markdownList(cobo.OrderStatuses))

// markdownList renders values as a comma-separated list of code spans.
func markdownList(values []string) string { return strings.Join(codeSpans(values), ", ") }
