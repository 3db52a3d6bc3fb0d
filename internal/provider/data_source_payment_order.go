package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ datasource.DataSource              = &paymentOrderDataSource{}
	_ datasource.DataSourceWithConfigure = &paymentOrderDataSource{}
)

func newPaymentOrderDataSource() datasource.DataSource { return &paymentOrderDataSource{} }

type paymentOrderDataSource struct {
	data *providerData
}

func (d *paymentOrderDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_payment_order"
}

func (d *paymentOrderDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := dataSourceOrderAttributes()
	attrs["order_id"] = schema.StringAttribute{
		Required:            true,
		MarkdownDescription: "The ID of the pay-in order to read, as Cobo assigned it.",
		Validators:          []validator.String{orderIDValidator()},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one Cobo pay-in order and its live state: status, amounts, the address to pay to, and the transactions received so far.",
		Attributes:          attrs,
	}
}

func (d *paymentOrderDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *paymentOrderDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg orderModel
	resp.Diagnostics.Append(getModel(ctx, req.Config, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, client := d.data.clientFor(ctx, &resp.Diagnostics)
	if client == nil {
		return
	}
	orderID := cfg.OrderID.ValueString()
	order, err := client.RefreshPaymentOrder(ctx, orderID)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic("Unable to read pay-in order "+quote(orderID), err))
		return
	}
	state, diags := flattenOrder(order)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Keep the id as configured: Cobo answers for exactly this id.
	state.OrderID = types.StringValue(orderID)
	resp.Diagnostics.Append(setModel(ctx, &resp.State, state)...)
}
