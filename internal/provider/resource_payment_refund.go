package provider

import (
	"context"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
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
	resp.IdentitySchema = refundKind.identitySchema()
}

func (r *paymentRefundResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan paymentRefundResourceModel
	resp.Diagnostics.Append(getModel(ctx, req.Plan, &plan)...)
	ctx, client, timeout, cancel := r.begin(ctx, createOperation, plan.Timeouts, &resp.Diagnostics)
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

// checkRefundedOrder reads the order a refund names, once: it must exist, be in the refund's token,
// belong to the refund's merchant (for a Merchant refund) and have received money. A refund above what it received is only warned about: Cobo limits
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
	// cobo.RefundOrderMerchant: a Merchant refund of an order takes from the merchant the order paid.
	if merchant := plan.MerchantID.ValueString(); plan.RefundType.ValueString() == cobo.RefundTypeMerchant && order.MerchantID != nil && *order.MerchantID != merchant {
		diags.AddAttributeError(path.Root("merchant_id"), "Refund merchant differs from the order's",
			fmt.Sprintf("Order %s paid merchant %s, but this Merchant refund would take from the balance of merchant %q. Refund an order from the merchant it paid: set merchant_id = %q "+
				"(or leave order_id out to refund from %q without naming an order).", orderID, *order.MerchantID, merchant, *order.MerchantID, merchant))
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
	refundID := prior.ID.ValueString()
	ctx, client, timeout, cancel := r.beginRefresh(ctx, refundKind, refundID, prior.Timeouts, resp.Identity, &resp.Diagnostics)
	defer cancel()
	if client == nil {
		return
	}

	refund, err := client.RefreshRefund(ctx, refundID)
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
	ctx, client, timeout, cancel := r.begin(ctx, updateOperation, plan.Timeouts, &resp.Diagnostics)
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
	ctx, client, timeout, cancel := r.begin(ctx, deleteOperation, state.Timeouts, &resp.Diagnostics)
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

// paymentRefundResourceModel is a refund's create inputs, the Terraform-only settings and what Cobo
// reports about it.
type paymentRefundResourceModel struct {
	ID                 types.String  `tfsdk:"id"`
	RefundID           types.String  `tfsdk:"refund_id"`
	RequestID          types.String  `tfsdk:"request_id"`
	OrderID            types.String  `tfsdk:"order_id"`
	MerchantID         types.String  `tfsdk:"merchant_id"`
	TokenID            types.String  `tfsdk:"token_id"`
	PayableAmount      decimalString `tfsdk:"payable_amount"`
	RefundType         types.String  `tfsdk:"refund_type"`
	ToAddress          types.String  `tfsdk:"to_address"`
	ChargeMerchantFee  types.Bool    `tfsdk:"charge_merchant_fee"`
	MerchantFeeAmount  decimalString `tfsdk:"merchant_fee_amount"`
	MerchantFeeTokenID types.String  `tfsdk:"merchant_fee_token_id"`
	CancelOnDestroy    types.Bool    `tfsdk:"cancel_on_destroy"`
	refundReportModel
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

// refundReportModel is what Cobo reports about a refund, all computed: the resource and the data
// source share it.
type refundReportModel struct {
	Status           types.String `tfsdk:"status"`
	Amount           types.String `tfsdk:"amount"`
	ChainID          types.String `tfsdk:"chain_id"`
	FailedReason     types.String `tfsdk:"failed_reason"`
	Transactions     types.List   `tfsdk:"transactions"`
	Initiator        types.String `tfsdk:"initiator"`
	CommissionFee    types.String `tfsdk:"commission_fee"`
	CreatedTimestamp types.Int64  `tfsdk:"created_timestamp"`
	UpdatedTimestamp types.Int64  `tfsdk:"updated_timestamp"`
}

const newRequestIDNote = " A refund's money cannot change: changing it under the same `request_id` is a plan-time error, and a new `request_id` creates a new refund."

func paymentRefundSchema(ctx context.Context) schema.Schema {
	stable := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc, PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}}
	}
	live := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
	}
	return schema.Schema{
		MarkdownDescription: "A Cobo refund: money leaving a merchant's balance (`Merchant`) or the developer's (`Psp`). Creating the resource creates the refund, never twice " +
			"(an interrupted create is looked up by `request_id`); destroying it cancels the refund while Cobo still allows (see `cancel_on_destroy`). " +
			"`status`, `failed_reason`, `transactions`, `commission_fee` and `updated_timestamp` are refreshed on every plan and never cause a diff by themselves.",
		Attributes: map[string]schema.Attribute{
			"id":        stable("The refund id (the same as `refund_id`)."),
			"refund_id": stable("The refund id Cobo assigned, such as `" + refundKind.exampleID + "`."),
			"request_id": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "Your idempotency key for this refund, unique within your Cobo organization: Cobo refuses a `request_id` another refund already uses. " +
					"Two resources with one `request_id` are a plan-time error. Changing it replaces the refund (the old one is cancelled while Cobo still allows, see `cancel_on_destroy`).",
				Validators:    []validator.String{stringvalidator.LengthAtLeast(1)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"order_id": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The pay-in order this refund is for. At apply, one read checks that the order exists, that its `payable_currency` is `token_id` and that it received money; " +
					"a refund above what it received gets a warning (Cobo limits refunds by balance, not by order)." + newRequestIDNote,
				Validators: []validator.String{orderKind.idValidator()},
			},
			"merchant_id": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "The merchant whose balance pays the refund. Required when `refund_type` is `Merchant`." + newRequestIDNote,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"token_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The token refunded, such as `ETH_USDT`." + newRequestIDNote,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"payable_amount": schema.StringAttribute{
				Required:            true,
				CustomType:          decimalStringType{},
				MarkdownDescription: "The amount taken from the balance, " + cobo.RefundPayableAmountRule.Doc + ". The payer receives it less `merchant_fee_amount` (see `amount`). Amounts compare as numbers." + newRequestIDNote,
				Validators:          []validator.String{amountValidator(cobo.RefundPayableAmountRule)},
				PlanModifiers:       []planmodifier.String{keepEqualDecimal()},
			},
			"refund_type": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Which balance pays: " + markdownList(cobo.RefundTypes) + ". `Merchant` takes from `merchant_id`'s balance, `Psp` from the developer's." + newRequestIDNote,
				Validators:          []validator.String{stringvalidator.OneOf(cobo.RefundTypes...)},
			},
			"to_address": schema.StringAttribute{
				Optional: true,
				Computed: true,
				MarkdownDescription: "The address the refund pays to. Without it the refund waits in `PendingConfirmation`; setting it later updates the refund in place (`PUT`), " +
					"as does changing it, while the refund is `PendingConfirmation` or `Pending`: later it is a plan-time error. Removing it from the configuration changes nothing.",
				Validators:    []validator.String{stringCheck{description: "must not be blank", summary: "Invalid to_address", check: checkNotBlank("to_address")}},
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"charge_merchant_fee": schema.BoolAttribute{
				Optional:            true,
				MarkdownDescription: "Whether the merchant is charged `merchant_fee_amount`, which goes to the developer. Only with `refund_type = \"Merchant\"`; `true` needs `merchant_fee_amount`." + newRequestIDNote,
			},
			"merchant_fee_amount": schema.StringAttribute{
				Optional:            true,
				CustomType:          decimalStringType{},
				MarkdownDescription: "The fee charged to the merchant, " + cobo.MerchantFeeAmountRule.Doc + ". Only with `charge_merchant_fee = true`." + newRequestIDNote,
				Validators:          []validator.String{amountValidator(cobo.MerchantFeeAmountRule)},
				PlanModifiers:       []planmodifier.String{keepEqualDecimal()},
			},
			"merchant_fee_token_id": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				MarkdownDescription: "The token of the fee. The fee is in the refund's token, so it must equal `token_id` when set. Only with `charge_merchant_fee = true`." + newRequestIDNote,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"cancel_on_destroy": schema.BoolAttribute{
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
				MarkdownDescription: "When `true` (the default), destroying the resource cancels the refund while it is `PendingConfirmation` or `Pending`, and its amount goes back to its balance. " +
					"A refund Cobo has processed (or `false`) is only removed from the Terraform state, with a warning: its money has moved, or will.",
			},
			"status":        live("The refund's status: " + markdownList(cobo.RefundStatuses) + ". A cancelled refund is `Failed` with `failed_reason` \"" + cobo.RefundCancelledReason + "\"."),
			"amount":        stable("What the payer receives: `payable_amount` less `merchant_fee_amount`."),
			"chain_id":      stable("The chain of `token_id`."),
			"failed_reason": live("Why the refund failed, when it did."),
			"transactions": schema.ListNestedAttribute{
				Computed: true, MarkdownDescription: "The refund's on-chain transactions.",
				NestedObject: schema.NestedAttributeObject{Attributes: resourceTransactionAttributes()},
			},
			"initiator":         stable("Who created the refund, as Cobo reports it."),
			"commission_fee":    live("Cobo's commission fee for the refund, as the JSON object Cobo sent (null when none)."),
			"created_timestamp": schema.Int64Attribute{Computed: true, MarkdownDescription: "When Cobo created the refund, in Unix seconds.", PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()}},
			"updated_timestamp": schema.Int64Attribute{Computed: true, MarkdownDescription: "When the refund last changed, in Unix seconds."},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}),
		},
	}
}

// checkNotBlank rejects a value of only white space.
func checkNotBlank(field string) func(string) error {
	return func(s string) error {
		if strings.TrimSpace(s) == "" {
			return fmt.Errorf("%s must not be empty or blank; leave it out to set it later", field)
		}
		return nil
	}
}

// refundCreateRequest builds the create body from the plan: unset inputs are not sent.
func refundCreateRequest(plan paymentRefundResourceModel) cobo.CreateRefundRequest {
	req := cobo.CreateRefundRequest{
		RequestID:          plan.RequestID.ValueString(),
		MerchantID:         plan.MerchantID.ValueString(),
		PayableAmount:      plan.PayableAmount.ValueString(),
		ToAddress:          plan.ToAddress.ValueString(),
		TokenID:            plan.TokenID.ValueString(),
		RefundType:         plan.RefundType.ValueString(),
		OrderID:            plan.OrderID.ValueString(),
		MerchantFeeAmount:  plan.MerchantFeeAmount.ValueString(),
		MerchantFeeTokenID: plan.MerchantFeeTokenID.ValueString(),
	}
	if !plan.ChargeMerchantFee.IsNull() && !plan.ChargeMerchantFee.IsUnknown() {
		req.ChargeMerchantFee = plan.ChargeMerchantFee.ValueBoolPointer()
	}
	return req
}

// refundState maps a refund to the resource's state. prior is the plan (create, update) or the
// previous state (read): Cobo cannot change a refund's inputs, so they are kept from it, except on
// import (prior has no request_id), when they come from Cobo.
func refundState(r *cobo.Refund, prior paymentRefundResourceModel) (paymentRefundResourceModel, diag.Diagnostics) {
	report, diags := flattenRefundReport(r)
	s := prior
	s.ID, s.RefundID = types.StringValue(r.RefundID), types.StringValue(r.RefundID)
	s.refundReportModel = report
	s.ToAddress = optionalString(r.ToAddress)
	s.MerchantFeeTokenID = keepIfOmitted(prior.MerchantFeeTokenID, optionalString(r.MerchantFeeTokenID))
	if prior.RequestID.IsNull() { // import: the inputs are Cobo's
		s.RequestID, s.OrderID, s.MerchantID = types.StringValue(r.RequestID), optionalString(r.OrderID), optionalString(r.MerchantID)
		s.TokenID, s.RefundType = types.StringValue(r.TokenID), types.StringValue(r.RefundType)
		s.PayableAmount = decimalValue(cobo.RefundPayableAmount(r))
		s.ChargeMerchantFee = types.BoolPointerValue(r.ChargeMerchantFee)
		s.MerchantFeeAmount = decimalPointerValue(nonEmpty(r.MerchantFeeAmount))
	}
	if s.CancelOnDestroy.IsNull() || s.CancelOnDestroy.IsUnknown() {
		s.CancelOnDestroy = types.BoolValue(true)
	}
	return s, diags
}

// flattenRefundReport maps what Cobo reports about a refund; a commission fee of JSON null is null.
func flattenRefundReport(r *cobo.Refund) (refundReportModel, diag.Diagnostics) {
	txs, diags := flattenTransactions(r.Transactions)
	m := refundReportModel{
		Status: types.StringValue(r.Status), Amount: types.StringValue(r.Amount), ChainID: types.StringValue(r.ChainID),
		FailedReason: optionalString(r.FailedReason), Initiator: optionalString(r.Initiator), Transactions: txs,
		CommissionFee:    types.StringNull(),
		CreatedTimestamp: types.Int64PointerValue(r.CreatedTimestamp), UpdatedTimestamp: types.Int64PointerValue(r.UpdatedTimestamp),
	}
	if len(r.CommissionFee) > 0 && string(r.CommissionFee) != "null" {
		m.CommissionFee = types.StringValue(string(r.CommissionFee))
	}
	return m, diags
}

// saveRefund writes a refund into the resource's state (see refundState).
func saveRefund(ctx context.Context, state *tfsdk.State, r *cobo.Refund, prior paymentRefundResourceModel, diags *diag.Diagnostics) {
	s, d := refundState(r, prior)
	diags.Append(d...)
	if !d.HasError() {
		diags.Append(setModel(ctx, state, s)...)
	}
}

// optionalString is null for a value Cobo left empty.
func optionalString(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

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
	if !requestIDClaim.claim(ctx, r.data, req, resp) || req.Plan.Raw.IsNull() {
		return // a second holder, or destroy
	}
	if req.State.Raw.IsNull() {
		warnRefundWithoutAddress(ctx, req.Config, &resp.Diagnostics)
		warnUndocumentedTokenIn(ctx, req.Plan, "token_id", "refund", &resp.Diagnostics)
		return
	}
	if req.Plan.Raw.Equal(req.State.Raw) {
		return
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

// warnRefundWithoutAddress warns when a new refund has no to_address: valid, since Cobo takes the
// address later, but a refund that then waits in PendingConfirmation, moving nothing, is more often a
// forgotten argument than a plan.
func warnRefundWithoutAddress(ctx context.Context, config tfsdk.Config, diags *diag.Diagnostics) {
	var to types.String
	if diags.Append(config.GetAttribute(ctx, path.Root("to_address"), &to)...); diags.HasError() || !to.IsNull() {
		return
	}
	diags.AddAttributeWarning(path.Root("to_address"), warnRefundWithoutAddressSummary,
		fmt.Sprintf("This refund has no to_address, so Cobo will hold it in %s and pay nothing out until one is set. "+
			"Set to_address to the address the refund pays to, now or in a later apply (an update in place while the refund is %s or %s).",
			cobo.RefundStatusPendingConfirmation, cobo.RefundStatusPendingConfirmation, cobo.RefundStatusPending))
}

const warnRefundWithoutAddressSummary = "Refund without to_address waits"

// requestIDClaim: one resource per refund request_id, and a replacement needs a new one (claims.go).
var requestIDClaim = claimedKey{
	attr: "request_id", idAttr: "refund_id",
	claimsOf: func(d *providerData) *claims { return d.refunds },
	twoHolders: func(pc planClaim) (string, string) {
		return "request_id used by two resources",
			fmt.Sprintf("request_id %q is claimed by two cobo_payment_refund resources of this configuration: %s. "+
				"Cobo keeps one refund per request_id, so both resources would hold one refund, and destroying either would cancel the other's. "+
				"Give each resource its own request_id. To move a refund to another resource address, use a moved block or terraform state mv instead of declaring it twice.",
				pc.key, pc.rivals("refund"))
	},
	keptByReplacement: func(pc planClaim) (string, string) {
		return "A new refund needs a new request_id",
			fmt.Sprintf("Terraform plans to replace refund %s, but the new refund keeps its request_id %q. Cobo refuses a request_id another refund already uses, so the new refund could not be created. "+
				"Set a new request_id to replace the refund, or keep refund %s: do not replace it.", pc.object, pc.key, pc.object)
	},
}
