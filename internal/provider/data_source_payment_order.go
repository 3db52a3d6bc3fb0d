package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ datasource.DataSource = &paymentOrderDataSource{}
)

func newPaymentOrderDataSource() datasource.DataSource {
	return &paymentOrderDataSource{dataSourceBase{typeName: "payment_order"}}
}

type paymentOrderDataSource struct{ dataSourceBase }

type paymentOrderDataSourceModel struct {
	orderModel
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

func (d *paymentOrderDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := dataSourceOrderAttributes()
	attrs["order_id"] = schema.StringAttribute{
		Required:            true,
		MarkdownDescription: "The ID of the pay-in order to read, as Cobo assigned it.",
		Validators:          []validator.String{orderIDValidator()},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one Cobo pay-in order and its live state: status, amounts, the address to pay to, and the transactions received so far. " +
			"An `order_id` Cobo does not know fails the plan (HTTP 404, error_code 2028); to read an order that may not exist, use the `cobo_payment_orders` data source with a filter, whose `orders` is then empty.",
		Attributes: attrs,
		Blocks:     map[string]schema.Block{"timeouts": timeouts.Block(ctx)},
	}
}

func (d *paymentOrderDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg paymentOrderDataSourceModel
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
	orderID := cfg.OrderID.ValueString()
	order, err := client.RefreshPaymentOrder(ctx, orderID)
	if err != nil {
		resp.Diagnostics.Append(timeout.diagnostic(ctx, "Unable to read pay-in order "+quote(orderID), err))
		return
	}
	m, diags := flattenOrder(order)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Keep the id as configured: Cobo answers for exactly this id.
	m.OrderID = types.StringValue(orderID)
	resp.Diagnostics.Append(setModel(ctx, &resp.State, paymentOrderDataSourceModel{orderModel: m, Timeouts: cfg.Timeouts})...)
}
