package provider

import (
	"context"
	"fmt"
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// ValidateConfig checks the rules between arguments, with no request: Merchant refunds name their
// merchant, the fee fields belong to a Merchant refund that charges a fee, and the fee is below the
// amount and in the refund's token.
func (r *paymentRefundResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var c paymentRefundResourceModel
	resp.Diagnostics.Append(getModel(ctx, req.Config, &c)...)
	if resp.Diagnostics.HasError() {
		return
	}
	validateRefundConfig(c, &resp.Diagnostics)
}

func validateRefundConfig(c paymentRefundResourceModel, diags *diag.Diagnostics) {
	refundType := c.RefundType.ValueString()
	if c.RefundType.IsUnknown() {
		return
	}
	if refundType == cobo.RefundTypeMerchant && c.MerchantID.IsNull() {
		diags.AddAttributeError(path.Root("merchant_id"), "Missing merchant_id",
			`A refund with refund_type = "Merchant" takes its money from a merchant's balance: set merchant_id to that merchant's id (or use refund_type = "Psp" to refund from the developer balance).`)
	}
	feeSet := map[string]bool{"charge_merchant_fee": !c.ChargeMerchantFee.IsNull(), "merchant_fee_amount": !c.MerchantFeeAmount.IsNull(), "merchant_fee_token_id": !c.MerchantFeeTokenID.IsNull()}
	if refundType == cobo.RefundTypePsp {
		for _, name := range []string{"charge_merchant_fee", "merchant_fee_amount", "merchant_fee_token_id"} {
			if feeSet[name] {
				diags.AddAttributeError(path.Root(name), "Merchant fee on a Psp refund",
					name+` applies only to a refund with refund_type = "Merchant": a Psp refund takes from the developer balance and Cobo ignores the merchant fee. Remove `+name+`, or use refund_type = "Merchant".`)
			}
		}
		return
	}
	charged := c.ChargeMerchantFee.ValueBool()
	switch {
	case c.ChargeMerchantFee.IsUnknown() || c.MerchantFeeAmount.IsUnknown():
	case charged && !feeSet["merchant_fee_amount"]:
		diags.AddAttributeError(path.Root("merchant_fee_amount"), "Missing merchant_fee_amount",
			"charge_merchant_fee = true charges the merchant a fee: set merchant_fee_amount to it, "+cobo.MerchantFeeAmountRule.Doc+".")
	case !charged && (feeSet["merchant_fee_amount"] || feeSet["merchant_fee_token_id"]):
		name := "merchant_fee_amount"
		if !feeSet[name] {
			name = "merchant_fee_token_id"
		}
		diags.AddAttributeError(path.Root(name), name+" without charge_merchant_fee",
			name+" is used only when charge_merchant_fee = true; Cobo would ignore it. Set charge_merchant_fee = true to charge the fee, or remove "+name+".")
	case charged:
		checkFeeBelowAmount(c, diags)
	}
	if to, token := c.MerchantFeeTokenID, c.TokenID; !to.IsNull() && !to.IsUnknown() && !token.IsUnknown() && to.ValueString() != token.ValueString() {
		diags.AddAttributeError(path.Root("merchant_fee_token_id"), "Invalid merchant_fee_token_id",
			fmt.Sprintf("The merchant fee is in the refund's token, so merchant_fee_token_id must be token_id %q, not %q (or be left out).", token.ValueString(), to.ValueString()))
	}
}

func checkFeeBelowAmount(c paymentRefundResourceModel, diags *diag.Diagnostics) {
	fee, okFee := new(big.Rat).SetString(c.MerchantFeeAmount.ValueString())
	amount, okAmount := new(big.Rat).SetString(c.PayableAmount.ValueString())
	if okFee && okAmount && fee.Cmp(amount) >= 0 {
		diags.AddAttributeError(path.Root("merchant_fee_amount"), "Merchant fee not below the amount",
			fmt.Sprintf("merchant_fee_amount %s must be below payable_amount %s: the payer receives payable_amount less the fee.", c.MerchantFeeAmount.ValueString(), c.PayableAmount.ValueString()))
	}
}

// refundMoney are the inputs that make a refund's money. Cobo keeps one refund per request_id and
// cannot change these, so a change needs a new request_id (which replaces the refund).
var refundMoney = []struct {
	name  string
	value func(*paymentRefundResourceModel) attr.Value
}{
	{"payable_amount", func(m *paymentRefundResourceModel) attr.Value { return m.PayableAmount }},
	{"token_id", func(m *paymentRefundResourceModel) attr.Value { return m.TokenID }},
	{"refund_type", func(m *paymentRefundResourceModel) attr.Value { return m.RefundType }},
	{"merchant_id", func(m *paymentRefundResourceModel) attr.Value { return m.MerchantID }},
	{"order_id", func(m *paymentRefundResourceModel) attr.Value { return m.OrderID }},
	{"charge_merchant_fee", func(m *paymentRefundResourceModel) attr.Value { return m.ChargeMerchantFee }},
	{"merchant_fee_amount", func(m *paymentRefundResourceModel) attr.Value { return m.MerchantFeeAmount }},
	{"merchant_fee_token_id", func(m *paymentRefundResourceModel) attr.Value { return m.MerchantFeeTokenID }},
}

// ModifyPlan refuses, with no request, a change of money under the same request_id and a to_address
// Cobo no longer takes. A new request_id replaces the refund (its RequiresReplace).
func (r *paymentRefundResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if !r.claimRequestID(ctx, req, resp) || req.Plan.Raw.IsNull() || req.State.Raw.IsNull() || req.Plan.Raw.Equal(req.State.Raw) {
		return // a second holder, destroy, create, or nothing changes
	}
	if configuredUnchanged(req.Plan, req.State) {
		// Only computed attributes were marked unknown, because the framework compared the
		// configuration before keepEqualDecimal kept a respelled amount: nothing changes.
		resp.Plan.Raw = req.State.Raw
		return
	}
	var plan, state paymentRefundResourceModel
	resp.Diagnostics.Append(getModel(ctx, req.Plan, &plan)...)
	resp.Diagnostics.Append(getModel(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() || plan.RequestID.IsUnknown() || !plan.RequestID.Equal(state.RequestID) {
		return // a new request_id: a new refund, whatever its money
	}
	for _, in := range refundMoney {
		planned := in.value(&plan)
		if planned.IsUnknown() || planned.Equal(in.value(&state)) {
			continue
		}
		resp.Diagnostics.AddAttributeError(path.Root(in.name), "A new refund needs a new request_id",
			fmt.Sprintf("Refund %s (request_id %q) has %s %s, and a refund's money cannot change. Cobo keeps one refund per request_id, so another %s needs a new refund: "+
				"set a new request_id together with this change (the refund is then replaced, and the old one cancelled while Cobo allows), or keep %s as it is.",
				state.RefundID.ValueString(), state.RequestID.ValueString(), in.name, in.value(&state), in.name, in.name))
	}
	if to := plan.ToAddress; !to.IsUnknown() && !to.Equal(state.ToAddress) && !refundCancellable(state.Status.ValueString()) {
		resp.Diagnostics.AddAttributeError(path.Root("to_address"), "to_address can no longer change",
			fmt.Sprintf("Refund %s is %s, and Cobo changes a refund's to_address only while it is %s or %s. Keep to_address as it is (%s).",
				state.RefundID.ValueString(), state.Status.ValueString(), cobo.RefundStatusPendingConfirmation, cobo.RefundStatusPending, state.ToAddress))
	}
}

// claimRequestID claims the request_id of the refund this plan concerns (claims.go) and reports
// false, with an error, when another resource holds it or a replacement would keep it.
func (r *paymentRefundResource) claimRequestID(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) bool {
	var c *claims
	if r.data != nil {
		c = r.data.refunds
	}
	pc, ok := claimInPlan(ctx, c, req, resp, "request_id", "refund_id")
	switch {
	case !ok:
		resp.Diagnostics.AddAttributeError(path.Root("request_id"), "request_id used by two resources",
			fmt.Sprintf("request_id %q is claimed by two cobo_payment_refund resources of this configuration: %s. "+
				"Cobo keeps one refund per request_id, so both resources would hold one refund, and destroying either would cancel the other's. "+
				"Give each resource its own request_id. To move a refund to another resource address, use a moved block or terraform state mv instead of declaring it twice.",
				pc.key, pc.rivals("refund")))
	case req.State.Raw.IsNull() && pc.again:
		resp.Diagnostics.AddAttributeError(path.Root("request_id"), "A new refund needs a new request_id",
			fmt.Sprintf("Terraform plans to replace refund %s, but the new refund keeps its request_id %q. Cobo refuses a request_id another refund already uses, so the new refund could not be created. "+
				"Set a new request_id to replace the refund, or keep refund %s: do not replace it.", pc.object, pc.key, pc.object))
	}
	return !resp.Diagnostics.HasError()
}
