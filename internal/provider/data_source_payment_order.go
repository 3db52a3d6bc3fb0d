package provider

import (
	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// cobo_payment_order: one pay-in order by its id.

func newPaymentOrderDataSource() datasource.DataSource {
	return byIDDataSource[paymentOrderDataSourceModel, *cobo.Order]{
		kind:     orderKind,
		typeName: "payment_order",
		description: "Reads one Cobo pay-in order and its live state: status, amounts, the address to pay to, and the transactions received so far. " +
			"An `order_id` Cobo does not know fails the plan (HTTP 404, error_code 2028); to read an order that may not exist, use the `cobo_payment_orders` data source with a filter, whose `orders` is then empty.",
		attributes: dataSourceOrderAttributes,
		id:         func(cfg *paymentOrderDataSourceModel) types.String { return cfg.OrderID },
		fetch:      (*cobo.Client).RefreshPaymentOrder,
		fill:       fillPaymentOrderDataSource,
	}.dataSource()
}

type paymentOrderDataSourceModel struct {
	orderModel
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

func fillPaymentOrderDataSource(cfg *paymentOrderDataSourceModel, order *cobo.Order, orderID string) diag.Diagnostics {
	m, diags := flattenOrder(order)
	m.OrderID = types.StringValue(orderID)
	cfg.orderModel = m
	return diags
}
