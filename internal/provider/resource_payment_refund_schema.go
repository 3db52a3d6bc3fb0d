package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// paymentRefundResourceModel is a refund's create inputs, the Terraform-only settings and what Cobo
// reports about it.
type paymentRefundResourceModel struct {
	ID                 types.String   `tfsdk:"id"`
	RefundID           types.String   `tfsdk:"refund_id"`
	RequestID          types.String   `tfsdk:"request_id"`
	OrderID            types.String   `tfsdk:"order_id"`
	MerchantID         types.String   `tfsdk:"merchant_id"`
	TokenID            types.String   `tfsdk:"token_id"`
	PayableAmount      decimalString  `tfsdk:"payable_amount"`
	RefundType         types.String   `tfsdk:"refund_type"`
	ToAddress          types.String   `tfsdk:"to_address"`
	ChargeMerchantFee  types.Bool     `tfsdk:"charge_merchant_fee"`
	MerchantFeeAmount  decimalString  `tfsdk:"merchant_fee_amount"`
	MerchantFeeTokenID types.String   `tfsdk:"merchant_fee_token_id"`
	CancelOnDestroy    types.Bool     `tfsdk:"cancel_on_destroy"`
	Status             types.String   `tfsdk:"status"`
	Amount             types.String   `tfsdk:"amount"`
	ChainID            types.String   `tfsdk:"chain_id"`
	FailedReason       types.String   `tfsdk:"failed_reason"`
	Transactions       types.List     `tfsdk:"transactions"`
	Initiator          types.String   `tfsdk:"initiator"`
	CommissionFee      types.String   `tfsdk:"commission_fee"`
	CreatedTimestamp   types.Int64    `tfsdk:"created_timestamp"`
	UpdatedTimestamp   types.Int64    `tfsdk:"updated_timestamp"`
	Timeouts           timeouts.Value `tfsdk:"timeouts"`
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
	txs, diags := flattenTransactions(r.Transactions)
	s := prior
	s.ID, s.RefundID = types.StringValue(r.RefundID), types.StringValue(r.RefundID)
	s.Status, s.Amount, s.ChainID = types.StringValue(r.Status), types.StringValue(r.Amount), types.StringValue(r.ChainID)
	s.FailedReason, s.Initiator = optionalString(r.FailedReason), optionalString(r.Initiator)
	s.Transactions = txs
	s.CommissionFee = types.StringNull()
	if len(r.CommissionFee) > 0 && string(r.CommissionFee) != "null" {
		s.CommissionFee = types.StringValue(string(r.CommissionFee))
	}
	s.CreatedTimestamp, s.UpdatedTimestamp = types.Int64PointerValue(r.CreatedTimestamp), types.Int64PointerValue(r.UpdatedTimestamp)
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
