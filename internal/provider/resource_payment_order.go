package provider

import (
	"context"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/resourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// cobo_payment_order is one Cobo pay-in order. Create sends POST /payments/orders (adopting an order
// an interrupted earlier apply committed); Read refreshes it; Update only expires it (PUT, when
// `expired` turns true), since Cobo cannot change an order's inputs; Delete expires a still Pending
// order, as Cobo has no delete. ModifyPlan, below the CRUD, turns what Cobo would refuse into plan-time
// errors. The schema is in resource_payment_order_schema.go, the replacement rules in
// resource_payment_order_plan.go.

var (
	_ resource.Resource                     = &paymentOrderResource{}
	_ resource.ResourceWithImportState      = &paymentOrderResource{}
	_ resource.ResourceWithModifyPlan       = &paymentOrderResource{}
	_ resource.ResourceWithConfigValidators = &paymentOrderResource{}
	_ resource.ResourceWithIdentity         = &paymentOrderResource{}
)

func newPaymentOrderResource() resource.Resource {
	return &paymentOrderResource{resourceBase{typeName: "payment_order"}}
}

type paymentOrderResource struct{ resourceBase }

// paymentOrderResourceModel is the Order's attributes plus the settings only Terraform has.
type paymentOrderResourceModel struct {
	orderModel
	ExpiredIn       types.Int64    `tfsdk:"expired_in"`
	Expired         types.Bool     `tfsdk:"expired"`
	ExpireOnDestroy types.Bool     `tfsdk:"expire_on_destroy"`
	Timeouts        timeouts.Value `tfsdk:"timeouts"`
}

func (r *paymentOrderResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = paymentOrderSchema(ctx)
}

// IdentitySchema: an order is identified by its Cobo order id alone (Terraform >= 1.12 keeps it in the
// state and accepts it in import blocks: identity = { order_id = "..." }).
func (r *paymentOrderResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = orderKind.identitySchema()
}

// ConfigValidators: an order needs an amount (Cobo rejects a create without either).
func (r *paymentOrderResource) ConfigValidators(context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		resourcevalidator.AtLeastOneOf(path.MatchRoot("pricing_amount"), path.MatchRoot("payable_amount")),
	}
}

func (r *paymentOrderResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan paymentOrderResourceModel
	resp.Diagnostics.Append(getModel(ctx, req.Plan, &plan)...)
	ctx, client, timeout, cancel := r.begin(ctx, createOperation, plan.Timeouts, &resp.Diagnostics)
	defer cancel()
	if client == nil {
		return
	}

	order := r.data.createOrAdopt(ctx, timeout, orderCreateRequest(plan), &resp.Diagnostics)
	if order == nil {
		return
	}
	// Save the order at once, not yet expired: whatever happens next, Terraform knows it exists.
	notExpiredYet := plan
	notExpiredYet.Expired = types.BoolValue(false)
	saveOrder(ctx, &resp.State, order, notExpiredYet, &resp.Diagnostics)
	setOrderIdentity(ctx, resp.Identity, order.OrderID, &resp.Diagnostics)
	tflog.Info(ctx, "created pay-in order", map[string]any{"order_id": order.OrderID, "psp_order_code": order.PspOrderCode})
	if resp.Diagnostics.HasError() || !plan.Expired.ValueBool() {
		return
	}

	expired, err := client.UpdatePaymentOrder(ctx, order.OrderID, cobo.UpdateOrderRequest{Expired: true})
	if err != nil {
		resp.Diagnostics.Append(timeout.diagnostic(ctx, fmt.Sprintf("Order %s was created but could not be expired", order.OrderID), err))
		return
	}
	saveOrder(ctx, &resp.State, expired, plan, &resp.Diagnostics)
}

func (r *paymentOrderResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var prior paymentOrderResourceModel
	resp.Diagnostics.Append(getModel(ctx, req.State, &prior)...)
	orderID := prior.ID.ValueString()
	ctx, client, timeout, cancel := r.beginRefresh(ctx, orderKind, orderID, prior.Timeouts, resp.Identity, &resp.Diagnostics)
	defer cancel()
	if client == nil {
		return
	}

	order, err := client.RefreshPaymentOrder(ctx, orderID)
	if cobo.IsNotFound(err) {
		importing := prior.PspOrderCode.IsNull() // ImportState sets only the id
		resp.Diagnostics.Append(notFoundOnReadDiagnostic(orderKind, r.resourceType(), orderID, importing, err))
		return // the state is kept: see notFoundInStateDiagnostic
	}
	if err != nil {
		resp.Diagnostics.Append(timeout.diagnostic(ctx, "Unable to read pay-in order "+quote(orderID), err))
		return
	}
	saveOrder(ctx, &resp.State, order, prior, &resp.Diagnostics)
}

func (r *paymentOrderResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state paymentOrderResourceModel
	resp.Diagnostics.Append(getModel(ctx, req.Plan, &plan)...)
	resp.Diagnostics.Append(getModel(ctx, req.State, &state)...)
	ctx, client, timeout, cancel := r.begin(ctx, updateOperation, plan.Timeouts, &resp.Diagnostics)
	defer cancel()
	if client == nil {
		return
	}

	orderID := state.ID.ValueString()
	setOrderIdentity(ctx, resp.Identity, orderID, &resp.Diagnostics)
	var (
		order *cobo.Order
		err   error
	)
	if plan.Expired.ValueBool() && !state.Expired.ValueBool() {
		order, err = client.UpdatePaymentOrder(ctx, orderID, cobo.UpdateOrderRequest{Expired: true})
		if err != nil {
			resp.Diagnostics.Append(timeout.diagnostic(ctx, fmt.Sprintf("Unable to expire pay-in order %s", orderID), err))
			return
		}
		tflog.Info(ctx, "expired pay-in order", map[string]any{"order_id": orderID, "status": order.Status})
	} else {
		// Only Terraform-side settings changed (expire_on_destroy, timeouts, expired_in after an
		// import): refresh the live attributes.
		order, err = client.GetPaymentOrder(ctx, orderID)
		if err != nil {
			resp.Diagnostics.Append(timeout.diagnostic(ctx, "Unable to read pay-in order "+quote(orderID), err))
			return
		}
	}
	saveOrder(ctx, &resp.State, order, plan, &resp.Diagnostics)
}

func (r *paymentOrderResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state paymentOrderResourceModel
	resp.Diagnostics.Append(getModel(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	orderID := state.ID.ValueString()
	if !state.ExpireOnDestroy.IsNull() && !state.ExpireOnDestroy.ValueBool() {
		tflog.Info(ctx, "expire_on_destroy is false: removing the pay-in order from state only", map[string]any{"order_id": orderID})
		return
	}
	ctx, client, timeout, cancel := r.begin(ctx, deleteOperation, state.Timeouts, &resp.Diagnostics)
	defer cancel()
	if client == nil {
		return
	}

	order, err := client.GetPaymentOrder(ctx, orderID)
	if cobo.IsNotFound(err) {
		resp.Diagnostics.Append(notFoundOnDestroyDiagnostic(orderKind, orderID, err))
		return
	}
	if err != nil {
		resp.Diagnostics.Append(timeout.diagnostic(ctx, fmt.Sprintf("Unable to read pay-in order %s before expiring it", orderID), err))
		return
	}
	switch order.Status {
	case cobo.StatusExpired:
		return
	case cobo.ExpireOnlyStatus:
		_, err := client.UpdatePaymentOrder(ctx, orderID, cobo.UpdateOrderRequest{Expired: true})
		if err == nil {
			tflog.Info(ctx, "expired pay-in order on destroy", map[string]any{"order_id": orderID})
			return
		}
		latest, getErr := client.GetPaymentOrder(ctx, orderID)
		if getErr != nil || latest.Status == cobo.ExpireOnlyStatus {
			resp.Diagnostics.Append(timeout.diagnostic(ctx, fmt.Sprintf("Unable to expire pay-in order %s on destroy", orderID), err))
			return
		}
		order = latest // a payment arrived in between: fall through to the warning
	}
	if order.Status != cobo.StatusExpired {
		resp.Diagnostics.AddWarning("Pay-in order left in Cobo",
			fmt.Sprintf("Order %s is %s. Cobo has no delete and only expires %s orders, so the order was only removed from the Terraform state; it remains in Cobo.", orderID, order.Status, cobo.ExpireOnlyStatus))
	}
}

// ImportState takes the order id from the import ID or, in an import block with identity, from the
// identity's order_id; the Read that follows fills in the rest.
func (r *paymentOrderResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importByID(ctx, orderKind, req, resp)
}

// ModifyPlan turns plans Cobo would refuse into plan-time errors, warns once about an undocumented
// token of an order to be created, and plans no change when no configured value changes.
func (r *paymentOrderResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if !pspOrderCodeClaim.claim(ctx, r.data, req, resp) || req.Plan.Raw.IsNull() {
		return // a second holder, or destroy
	}
	if req.State.Raw.IsNull() {
		warnUndocumentedToken(ctx, req.Plan, &resp.Diagnostics)
		return
	}
	if req.Plan.Raw.Equal(req.State.Raw) {
		return // nothing changes: no replacement and no expiry, so nothing to check (most refresh plans)
	}
	if configuredUnchanged(req.Plan, req.State) {
		// Only computed attributes were marked unknown, because the framework compared the
		// configuration before keepEqualDecimal kept a respelled amount: nothing changes.
		resp.Plan.Raw = req.State.Raw
		return
	}
	var plan, state paymentOrderResourceModel
	resp.Diagnostics.Append(getModel(ctx, req.Plan, &plan)...)
	resp.Diagnostics.Append(getModel(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}

	replaced := replacedBy(plan, state)
	if len(replaced) > 0 {
		resp.RequiresReplace = append(resp.RequiresReplace, replaced...)
		if slices.ContainsFunc(replaced, path.Root("payable_currency").Equal) {
			warnUndocumentedToken(ctx, req.Plan, &resp.Diagnostics) // the replacement creates an order with it
		}
		if !plan.PspOrderCode.IsUnknown() && plan.PspOrderCode.Equal(state.PspOrderCode) {
			resp.Diagnostics.AddAttributeError(path.Root("psp_order_code"), "A new order needs a new psp_order_code",
				fmt.Sprintf("Changing %s requires a new Cobo order, but the plan keeps psp_order_code %q. Cobo rejects a psp_order_code that another order of your organization already uses, even an expired one, so the new order could not be created. "+
					"Set a new psp_order_code together with this change.", pathList(replaced), state.PspOrderCode.ValueString()))
		}
		return // the order is replaced: the expiry checks below concern the existing order only
	}

	wasExpired, wantExpired := state.Expired.ValueBool(), plan.Expired
	switch {
	case wantExpired.IsUnknown():
	case wasExpired && !wantExpired.ValueBool():
		resp.Diagnostics.AddAttributeError(path.Root("expired"), "An expired order cannot be reopened",
			fmt.Sprintf("Order %s was expired through Terraform, and Cobo offers no way to reopen an expired order. Keep expired = true, or create a new order with a new psp_order_code.", state.OrderID.ValueString()))
	case !wasExpired && wantExpired.ValueBool():
		status := state.Status.ValueString()
		if status != cobo.ExpireOnlyStatus && status != cobo.StatusExpired {
			resp.Diagnostics.AddAttributeError(path.Root("expired"), "Order cannot be expired in its current status",
				fmt.Sprintf("Order %s is %s. Cobo only expires %s orders (an already %s order needs nothing), so expired = true cannot be applied. Set expired = false to keep this order as it is.",
					state.OrderID.ValueString(), status, cobo.ExpireOnlyStatus, cobo.StatusExpired))
		}
	}
}

// orderCreateRequest builds the create body from the plan: unset inputs are not sent.
func orderCreateRequest(plan paymentOrderResourceModel) cobo.CreateOrderRequest {
	req := cobo.CreateOrderRequest{
		MerchantID:        plan.MerchantID.ValueString(),
		PspOrderCode:      plan.PspOrderCode.ValueString(),
		FeeAmount:         plan.FeeAmount.ValueString(),
		PayableCurrency:   plan.PayableCurrency.ValueString(),
		PricingAmount:     plan.PricingAmount.ValueString(),
		PricingCurrency:   plan.PricingCurrency.ValueString(),
		PayableAmount:     plan.PayableAmount.ValueString(),
		AmountTolerance:   plan.AmountTolerance.ValueString(),
		MerchantOrderCode: plan.MerchantOrderCode.ValueString(),
	}
	if !plan.ExpiredIn.IsNull() && !plan.ExpiredIn.IsUnknown() {
		v := plan.ExpiredIn.ValueInt64()
		req.ExpiredIn = &v
	}
	return req
}

// saveOrder writes an order into the resource's state (see resourceState).
func saveOrder(ctx context.Context, state *tfsdk.State, order *cobo.Order, prior paymentOrderResourceModel, diags *diag.Diagnostics) {
	s, d := resourceState(order, prior)
	diags.Append(d...)
	if !d.HasError() {
		diags.Append(setModel(ctx, state, s)...)
	}
}

// resourceState maps an order to the resource's state. prior is the plan (create, update) or the
// previous state (read, import): values Cobo does not echo are kept, and the Terraform-only
// attributes come from it. (Its spelling of equal amounts is kept by the framework: decimalString.)
func resourceState(order *cobo.Order, prior paymentOrderResourceModel) (paymentOrderResourceModel, diag.Diagnostics) {
	m, diags := flattenOrder(order)
	m.MerchantID = keepIfOmitted(prior.MerchantID, m.MerchantID)
	m.PayableCurrency = keepIfOmitted(prior.PayableCurrency, m.PayableCurrency)
	m.PricingCurrency = keepIfOmitted(prior.PricingCurrency, m.PricingCurrency)
	m.MerchantOrderCode = keepIfOmitted(prior.MerchantOrderCode, m.MerchantOrderCode)
	m.PricingAmount = keepIfOmitted(prior.PricingAmount, m.PricingAmount)
	m.AmountTolerance = keepIfOmitted(prior.AmountTolerance, m.AmountTolerance)

	s := paymentOrderResourceModel{orderModel: m, ExpiredIn: prior.ExpiredIn, Expired: prior.Expired, ExpireOnDestroy: prior.ExpireOnDestroy, Timeouts: prior.Timeouts}
	if s.ExpiredIn.IsUnknown() {
		s.ExpiredIn = types.Int64Null()
	}
	if s.Expired.IsNull() || s.Expired.IsUnknown() {
		s.Expired = types.BoolValue(false)
	}
	if s.ExpireOnDestroy.IsNull() || s.ExpireOnDestroy.IsUnknown() {
		s.ExpireOnDestroy = types.BoolValue(true)
	}
	return s, diags
}

// setOrderIdentity records the order id as the resource's identity. identity is nil when the framework has
// none to fill (it gives one to every call of a resource with an identity schema; Terraform < 1.12
// just does not store it).
func setOrderIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, orderID string, diags *diag.Diagnostics) {
	setKindIdentity(ctx, orderKind, identity, orderID, diags)
}

// keepIfOmitted keeps a known prior value when Cobo's answer leaves the key out: Cobo stored what was
// sent, and an omitted key must not read as drift.
func keepIfOmitted[T interface {
	IsNull() bool
	IsUnknown() bool
}](prior, got T,
) T {
	if got.IsNull() && !prior.IsNull() && !prior.IsUnknown() {
		return prior
	}
	return got
}
