package provider

import (
	"context"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// cobo_payment_refund is one Cobo refund. Create sends POST /payments/refunds (adopting the refund an
// interrupted earlier apply made under the same request_id); Read refreshes it; Update only sets
// to_address (PUT), as Cobo cannot change a refund's money; Delete cancels it while Cobo allows.
// ValidateConfig and ModifyPlan (resource_payment_refund_plan.go) refuse at plan time what Cobo would.

var (
	_ resource.Resource                   = &paymentRefundResource{}
	_ resource.ResourceWithImportState    = &paymentRefundResource{}
	_ resource.ResourceWithModifyPlan     = &paymentRefundResource{}
	_ resource.ResourceWithValidateConfig = &paymentRefundResource{}
	_ resource.ResourceWithIdentity       = &paymentRefundResource{}
)

func newPaymentRefundResource() resource.Resource {
	return &paymentRefundResource{resourceBase{typeName: "payment_refund"}}
}

type paymentRefundResource struct{ resourceBase }

func (r *paymentRefundResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = paymentRefundSchema(ctx)
}

func (r *paymentRefundResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"refund_id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "The Cobo refund id, such as " + refundKind.exampleID + ".",
			},
		},
	}
}

func (r *paymentRefundResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan paymentRefundResourceModel
	resp.Diagnostics.Append(getModel(ctx, req.Plan, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout := timeoutFrom(ctx, "resource", "create", defaultCreateTimeout, plan.Timeouts.Create, &resp.Diagnostics)
	ctx, client, cancel := r.data.startOperation(ctx, timeout, &resp.Diagnostics)
	defer cancel()
	if client == nil {
		return
	}
	refund := r.createOrAdopt(ctx, client, timeout, plan, &resp.Diagnostics)
	if refund == nil {
		return
	}
	saveRefund(ctx, &resp.State, refund, plan, &resp.Diagnostics)
	setRefundIdentity(ctx, resp.Identity, refund.RefundID, &resp.Diagnostics)
	tflog.Info(ctx, "created refund", map[string]any{"refund_id": refund.RefundID, "request_id": refund.RequestID})
}

// createOrAdopt checks the order the refund names, then creates the refund or adopts the one an
// interrupted apply made. It returns nil when there is no refund for the resource to hold.
func (r *paymentRefundResource) createOrAdopt(ctx context.Context, client *cobo.Client, timeout operationTimeout, plan paymentRefundResourceModel, diags *diag.Diagnostics) *cobo.Refund {
	if orderID := plan.OrderID.ValueString(); orderID != "" {
		checkRefundedOrder(ctx, client, timeout, orderID, plan, diags)
		if diags.HasError() {
			return nil
		}
	}
	req := refundCreateRequest(plan)
	res, err := client.CreateRefund(ctx, req)
	if err != nil {
		diags.Append(timeout.diagnostic(ctx, "Unable to create refund with request_id "+quote(req.RequestID), err))
		return nil
	}
	if !res.Found {
		return res.Refund
	}
	found := res.Refund
	why := strings.Join(differenceWords(cobo.RefundDifferences(req, found)), "; ")
	if notAdoptable := cobo.RefundNotAdoptable(found, time.Now()); why == "" {
		why = notAdoptable
	}
	if why != "" {
		diags.AddAttributeError(path.Root("request_id"), "request_id already belongs to another refund", existingRefundDetail(found, why))
		return nil
	}
	diags.AddWarning("Existing refund adopted, not created",
		fmt.Sprintf("Cobo already had refund %s with request_id %q, %s, created %s, and every input Cobo reports matches this configuration. "+
			"It was adopted into the Terraform state instead of creating a second refund: an earlier apply most likely created it and was stopped before it could save it.",
			found.RefundID, req.RequestID, found.Status, unixTime(found.CreatedTimestamp)))
	return found
}

func differenceWords(diffs []cobo.InputDifference) []string {
	words := make([]string, 0, len(diffs))
	for _, d := range diffs {
		words = append(words, fmt.Sprintf("%s: the configuration has %q, Cobo's refund has %q", d.Field, d.Requested, d.Existing))
	}
	return words
}

// existingRefundDetail explains a request_id held by a refund this resource must not adopt.
func existingRefundDetail(found *cobo.Refund, why string) string {
	return fmt.Sprintf("Cobo already has refund %s with request_id %q (%s, created %s), and it was not adopted: %s.\n\n"+
		"Cobo keeps one refund per request_id, so no new refund was created. Give this resource a new request_id for a new refund, "+
		"or take the existing one over with its own arguments and this block (Terraform 1.5 or later)\n\n"+
		"import {\n  to = cobo_payment_refund.NAME\n  id = %q\n}\n\nwhere cobo_payment_refund.NAME is this resource's address.",
		found.RefundID, found.RequestID, found.Status, unixTime(found.CreatedTimestamp), why, found.RefundID)
}

// checkRefundedOrder reads the order a refund names, once: it must exist, be in the refund's token
// and have received money. A refund above what it received is only warned about: Cobo limits
// refunds by balance, not by order.
func checkRefundedOrder(ctx context.Context, client *cobo.Client, timeout operationTimeout, orderID string, plan paymentRefundResourceModel, diags *diag.Diagnostics) {
	order, err := client.GetPaymentOrder(ctx, orderID)
	if err != nil {
		diags.Append(timeout.diagnostic(ctx, "Unable to read pay-in order "+quote(orderID)+" before refunding it", err))
		return
	}
	token := plan.TokenID.ValueString()
	if order.PayableCurrency != nil && *order.PayableCurrency != token {
		diags.AddAttributeError(path.Root("token_id"), "Refund token differs from the order's",
			fmt.Sprintf("Order %s was paid in %s, but the refund's token_id is %q. Refund an order in the token it was paid in: set token_id = %q.", orderID, *order.PayableCurrency, token, *order.PayableCurrency))
		return
	}
	received, ok := new(big.Rat).SetString(order.ReceivedTokenAmount)
	if !ok || received.Sign() <= 0 {
		diags.AddAttributeError(path.Root("order_id"), "Order received no money",
			fmt.Sprintf("Order %s is %s and has received nothing (received_token_amount %q), so there is nothing of it to refund. Refund an order once it is paid, or leave order_id out.", orderID, order.Status, order.ReceivedTokenAmount))
		return
	}
	if amount, ok := new(big.Rat).SetString(plan.PayableAmount.ValueString()); ok && amount.Cmp(received) > 0 {
		diags.AddAttributeWarning(path.Root("payable_amount"), "Refund above what the order received",
			fmt.Sprintf("The refund's payable_amount %s is above the %s %s that order %s received. Cobo limits refunds by the balance they take from, not by order, so it may accept it.",
				plan.PayableAmount.ValueString(), order.ReceivedTokenAmount, token, orderID))
	}
}

func (r *paymentRefundResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var prior paymentRefundResourceModel
	resp.Diagnostics.Append(getModel(ctx, req.State, &prior)...)
	if resp.Diagnostics.HasError() {
		return
	}
	refundID := prior.ID.ValueString()
	setRefundIdentity(ctx, resp.Identity, refundID, &resp.Diagnostics)
	if r.data == nil || r.data.client == nil {
		tflog.Warn(ctx, "provider configuration not known yet; keeping the refund's state without refreshing it")
		return
	}
	ctx = r.data.logContext(ctx)
	timeout := timeoutFrom(ctx, "resource", "read", defaultReadTimeout, prior.Timeouts.Read, &resp.Diagnostics)
	ctx, cancel := timeout.start(ctx)
	defer cancel()

	refund, err := r.data.client.GetRefund(ctx, refundID)
	if cobo.IsNotFound(err) {
		resp.Diagnostics.Append(notFoundOnReadDiagnostic(refundKind, r.resourceType(), refundID, prior.RequestID.IsNull(), err))
		return // the state is kept: Cobo deletes no refund
	}
	if err != nil {
		resp.Diagnostics.Append(timeout.diagnostic(ctx, "Unable to read refund "+quote(refundID), err))
		return
	}
	saveRefund(ctx, &resp.State, refund, prior, &resp.Diagnostics)
}

func (r *paymentRefundResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state paymentRefundResourceModel
	resp.Diagnostics.Append(getModel(ctx, req.Plan, &plan)...)
	resp.Diagnostics.Append(getModel(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout := timeoutFrom(ctx, "resource", "update", defaultUpdateTimeout, plan.Timeouts.Update, &resp.Diagnostics)
	ctx, client, cancel := r.data.startOperation(ctx, timeout, &resp.Diagnostics)
	defer cancel()
	if client == nil {
		return
	}
	refundID := state.ID.ValueString()
	setRefundIdentity(ctx, resp.Identity, refundID, &resp.Diagnostics)
	var (
		refund *cobo.Refund
		err    error
	)
	if to := plan.ToAddress; !to.IsNull() && !to.IsUnknown() && !to.Equal(state.ToAddress) {
		refund, err = client.UpdateRefundAddress(ctx, refundID, to.ValueString())
		if err != nil {
			resp.Diagnostics.Append(timeout.diagnostic(ctx, "Unable to set the to_address of refund "+quote(refundID), err))
			return
		}
		tflog.Info(ctx, "set refund to_address", map[string]any{"refund_id": refundID, "status": refund.Status})
	} else {
		// Only Terraform-side settings changed (cancel_on_destroy, timeouts): refresh.
		if refund, err = client.GetRefund(ctx, refundID); err != nil {
			resp.Diagnostics.Append(timeout.diagnostic(ctx, "Unable to read refund "+quote(refundID), err))
			return
		}
	}
	saveRefund(ctx, &resp.State, refund, plan, &resp.Diagnostics)
}

func (r *paymentRefundResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state paymentRefundResourceModel
	resp.Diagnostics.Append(getModel(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	refundID := state.ID.ValueString()
	timeout := timeoutFrom(ctx, "resource", "delete", defaultDeleteTimeout, state.Timeouts.Delete, &resp.Diagnostics)
	ctx, client, cancel := r.data.startOperation(ctx, timeout, &resp.Diagnostics)
	defer cancel()
	if client == nil {
		return
	}
	refund, err := client.GetRefund(ctx, refundID)
	if cobo.IsNotFound(err) {
		resp.Diagnostics.Append(notFoundOnDestroyDiagnostic(refundKind, refundID, err))
		return
	}
	if err != nil {
		resp.Diagnostics.Append(timeout.diagnostic(ctx, "Unable to read refund "+quote(refundID)+" before cancelling it", err))
		return
	}
	if state.CancelOnDestroy.IsNull() || state.CancelOnDestroy.ValueBool() {
		refund = cancelWhileAllowed(ctx, client, timeout, refund, &resp.Diagnostics)
		if refund == nil {
			return
		}
	}
	if refund.Status != cobo.RefundStatusFailed {
		resp.Diagnostics.AddWarning("Refund left in Cobo; its money has moved",
			fmt.Sprintf("Refund %s is %s. Cobo has no delete and cancels only %s or %s refunds%s, so the refund was only removed from the Terraform state: "+
				"its money has left (or will leave) the balance, and the refund remains in Cobo.",
				refundID, refund.Status, cobo.RefundStatusPendingConfirmation, cobo.RefundStatusPending, cancelOnDestroyNote(state)))
	}
}

// cancelWhileAllowed cancels a refund Cobo still allows to cancel, and returns it as it now is; nil
// when the cancel failed and the refund is still cancellable (diags holds why).
func cancelWhileAllowed(ctx context.Context, client *cobo.Client, timeout operationTimeout, refund *cobo.Refund, diags *diag.Diagnostics) *cobo.Refund {
	if !refundCancellable(refund.Status) {
		return refund
	}
	cancelled, err := client.CancelRefund(ctx, refund.RefundID)
	if err == nil {
		tflog.Info(ctx, "cancelled refund on destroy", map[string]any{"refund_id": refund.RefundID})
		return cancelled
	}
	latest, getErr := client.GetRefund(ctx, refund.RefundID)
	if getErr != nil || refundCancellable(latest.Status) {
		diags.Append(timeout.diagnostic(ctx, "Unable to cancel refund "+quote(refund.RefundID)+" on destroy", err))
		return nil
	}
	return latest // Cobo processed it in between
}

func cancelOnDestroyNote(state paymentRefundResourceModel) string {
	if !state.CancelOnDestroy.IsNull() && !state.CancelOnDestroy.ValueBool() {
		return " (and cancel_on_destroy is false)"
	}
	return ""
}

// refundCancellable reports whether Cobo still cancels a refund in status st.
func refundCancellable(st string) bool {
	return st == cobo.RefundStatusPendingConfirmation || st == cobo.RefundStatusPending
}

// ImportState takes the refund id from the import ID or the identity's refund_id; the Read that
// follows fills in the rest, the inputs included.
func (r *paymentRefundResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importByID(ctx, refundKind, req, resp)
}

func setRefundIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, refundID string, diags *diag.Diagnostics) {
	setKindIdentity(ctx, refundKind, identity, refundID, diags)
}
