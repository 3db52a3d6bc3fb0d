package provider

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// createOrAdopt creates the order, or adopts the one Cobo already has for its psp_order_code when
// every input matches (an earlier apply that died before saving it: see
// cobo.Client.CreateOrAdoptPaymentOrder), and reports what happened in diags. It returns nil when
// there is no order for this resource to hold.
func (d *providerData) createOrAdopt(ctx context.Context, timeout operationTimeout, req cobo.CreateOrderRequest, diags *diag.Diagnostics) *cobo.Order {
	code := req.PspOrderCode
	res, err := d.client.CreateOrAdoptPaymentOrder(ctx, req)
	var exists *cobo.ExistingOrderError
	switch {
	case errors.As(err, &exists):
		diags.AddAttributeError(path.Root("psp_order_code"), "psp_order_code already belongs to a different order", existingOrderDetail(exists))
		return nil
	case err != nil:
		failed := timeout.diagnostic(ctx, "Unable to create pay-in order "+quote(code), err)
		diags.AddError(failed.Summary(), failed.Detail()+d.unknownOutcomeAdvice(err))
		return nil
	}
	if res.Adopted {
		diags.AddWarning("Existing pay-in order adopted, not created",
			fmt.Sprintf("Cobo already had pay-in order %s with psp_order_code %q, %s, created %s, and every input Cobo reports matches this configuration. "+
				"It was adopted into the Terraform state instead of creating a new order. Terraform adopts only a %s order created in the last %s, "+
				"which an apply stopped before it could save its order leaves behind. If something else created this order (another configuration, a script), "+
				"it now has two holders: remove this resource from the state (a removed block, or terraform state rm) and give it a new psp_order_code.",
				res.Order.OrderID, code, res.Order.Status, createdAt(res.Order), cobo.AdoptableStatus, formatDuration(cobo.AdoptWindow)))
	}
	return res.Order
}

// existingOrderDetail explains a psp_order_code taken by a different order, and how to take it over.
func existingOrderDetail(e *cobo.ExistingOrderError) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Cobo already has pay-in order %s with psp_order_code %q (%s, created %s), and it is not this resource's order:\n",
		e.Order.OrderID, e.PspOrderCode, e.Order.Status, createdAt(e.Order))
	for _, diff := range e.Differences {
		fmt.Fprintf(&b, "  - %s: the configuration has %q, Cobo's order has %q\n", diff.Field, diff.Requested, diff.Existing)
	}
	if e.NotAdoptable != "" {
		fmt.Fprintf(&b, "  - %s: Terraform adopts only what an apply stopped before it could save its order leaves behind\n", e.NotAdoptable)
	}
	fmt.Fprintf(&b, "\nCobo keeps one order per psp_order_code, so no new order was created. Either give this resource a new psp_order_code, "+
		"or take the existing order over: set every input to Cobo's values and import it with this block (Terraform 1.5 or later)\n\n"+
		"import {\n  to = cobo_payment_order.NAME\n  id = %q\n}\n\n"+
		"or with the command\n\n  terraform import cobo_payment_order.NAME %s\n\n"+
		"where cobo_payment_order.NAME is this resource's address, as shown after \"with\" above.",
		e.Order.OrderID, e.Order.OrderID)
	return b.String()
}

// createdAt is when Cobo created an order, readable by a person.
func createdAt(o *cobo.Order) string { return unixTime(o.CreatedTimestamp) }

// unixTime is a Cobo timestamp readable by a person.
func unixTime(ts *int64) string {
	if ts == nil {
		return "at a time Cobo did not report"
	}
	return time.Unix(*ts, 0).UTC().Format("2006-01-02 15:04:05 UTC")
}

// unknownOutcomeAdvice says, once per apply, what to do about orders whose create may have reached
// Cobo though it failed: each error names its order, the advice is the same for all.
func (d *providerData) unknownOutcomeAdvice(err error) string {
	var unknown *cobo.CreateOutcomeUnknownError
	if !errors.As(err, &unknown) || d.advisedUnknownOutcome.Swap(true) {
		return ""
	}
	return fmt.Sprintf("\n\nCobo may hold the orders whose create failed this way (each such error names its psp_order_code). Apply again once Cobo answers: "+
		"a create finds the order Cobo committed by its psp_order_code and adopts it, within %s of its creation. Later, find it with the cobo_payment_orders data source "+
		"(psp_order_code = ...) and import it.", formatDuration(cobo.AdoptWindow))
}
