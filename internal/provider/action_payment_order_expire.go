package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// The action cobo_payment_order_expire expires one order by id (Terraform >= 1.14), whether or not
// Terraform manages it: `terraform apply -invoke=action.cobo_payment_order_expire.NAME`, or an
// action_trigger in a resource's lifecycle.

func newPaymentOrderExpireAction() action.Action {
	return &configuredAction[paymentOrderExpireModel]{actionBase: actionBase{typeName: "payment_order_expire"}, schema: paymentOrderExpireSchema, invoke: expireOrder}
}

type paymentOrderExpireModel struct {
	OrderID types.String `tfsdk:"order_id"`
}

func paymentOrderExpireSchema() schema.Schema {
	return schema.Schema{
		MarkdownDescription: fmt.Sprintf("Expires a Cobo pay-in order through Cobo's `PUT /payments/orders/{order_id}`, so that no payer can pay into it any more (Terraform >= 1.14). "+
			"The order does not need to be managed by Terraform. It reads the order first: a `%s` order is expired; an already `%s` order is left as it is and the action succeeds; "+
			"a `%s`, `%s` or `%s` order cannot be expired, and the action fails naming its status without sending anything.",
			cobo.ExpireOnlyStatus, cobo.StatusExpired, cobo.StatusProcessing, cobo.StatusCompleted, cobo.StatusUnderpaid),
		Attributes: map[string]schema.Attribute{
			"order_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The Cobo order id of the order to expire, such as `O20250304-M1001-1001`.",
				Validators:          []validator.String{orderIDValidator()},
			},
		},
	}
}

// expireOrder expires the order when it is Pending, after reading it.
func expireOrder(ctx context.Context, client *cobo.Client, cfg paymentOrderExpireModel, resp *action.InvokeResponse) {
	orderID := cfg.OrderID.ValueString()
	order, err := client.GetPaymentOrder(ctx, orderID)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic("Unable to read pay-in order "+quote(orderID), err))
		return
	}
	switch order.Status {
	case cobo.StatusExpired:
		sendProgress(resp, "Order %s (%s) is already Expired: nothing to do.", orderID, order.PspOrderCode)
		return
	case cobo.ExpireOnlyStatus:
	default:
		resp.Diagnostics.AddAttributeError(path.Root("order_id"), "Order cannot be expired in its current status",
			fmt.Sprintf("Order %s (%s) is %s. Cobo only expires %s orders, so nothing was sent.", orderID, order.PspOrderCode, order.Status, cobo.ExpireOnlyStatus))
		return
	}

	sendProgress(resp, "Order %s (%s) is Pending: expiring it.", orderID, order.PspOrderCode)
	expired, err := client.UpdatePaymentOrder(ctx, orderID, cobo.UpdateOrderRequest{Expired: true})
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic("Unable to expire pay-in order "+quote(orderID), err))
		return
	}
	tflog.Info(ctx, "expired pay-in order through the action", map[string]any{"order_id": orderID, "status": expired.Status})
	sendProgress(resp, "Order %s (%s) is now %s.", orderID, order.PspOrderCode, expired.Status)
}
