package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// cobo_payment_merchant is one merchant of the organization. Create makes sure no merchant has its
// name, then creates it (the client looks the name up after an ambiguous failure before sending
// again); Read finds it in this command's walk of the merchant list (merchantDirectory), as Cobo has
// no get-by-id; Update renames it or changes its fee rate (PUT); Delete only forgets it, as Cobo has
// no delete. The schema is in resource_payment_merchant_schema.go.

var (
	_ resource.Resource                = &paymentMerchantResource{}
	_ resource.ResourceWithImportState = &paymentMerchantResource{}
	_ resource.ResourceWithIdentity    = &paymentMerchantResource{}
	_ resource.ResourceWithModifyPlan  = &paymentMerchantResource{}
)

func newPaymentMerchantResource() resource.Resource {
	return &paymentMerchantResource{resourceBase{typeName: "payment_merchant"}}
}

type paymentMerchantResource struct{ resourceBase }

// paymentMerchantResourceModel is the merchant's attributes plus the timeouts block.
type paymentMerchantResourceModel struct {
	merchantModel
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

func (r *paymentMerchantResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = paymentMerchantSchema(ctx)
}

// IdentitySchema: a merchant is identified by its merchant id alone (Terraform >= 1.12).
func (r *paymentMerchantResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = merchantKind.identitySchema()
}

func (r *paymentMerchantResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan paymentMerchantResourceModel
	resp.Diagnostics.Append(getModel(ctx, req.Plan, &plan)...)
	ctx, client, timeout, cancel := r.begin(ctx, createOperation, plan.Timeouts, &resp.Diagnostics)
	defer cancel()
	if client == nil {
		return
	}
	merchant := r.createMerchant(ctx, client, timeout, plan, &resp.Diagnostics)
	if merchant == nil {
		return
	}
	saveMerchant(ctx, &resp.State, merchant, plan, &resp.Diagnostics)
	setMerchantIdentity(ctx, resp.Identity, merchant.MerchantID, &resp.Diagnostics)
	tflog.Info(ctx, "created merchant", map[string]any{"merchant_id": merchant.MerchantID})
}

// createMerchant creates the merchant unless one has its name already (cobo.MerchantNameTaken).
func (r *paymentMerchantResource) createMerchant(ctx context.Context, client *cobo.Client, timeout operationTimeout, plan paymentMerchantResourceModel, diags *diag.Diagnostics) *cobo.Merchant {
	name := plan.Name.ValueString()
	existing, err := client.MerchantsNamed(ctx, name)
	if err != nil {
		diags.Append(timeout.diagnostic(ctx, "Unable to look up the merchants named "+quote(name)+" before creating one", err))
		return nil
	}
	if len(existing) > 0 {
		diags.AddAttributeError(path.Root("name"), "A merchant with this name exists already", existingMerchantDetail(name, existing))
		return nil
	}
	defer r.data.merchants.forget()
	merchant, err := client.CreateMerchant(ctx, cobo.CreateMerchantRequest{
		Name: name, DeveloperFeeRate: plan.DeveloperFeeRate.ValueString(), WalletSetup: plan.WalletSetup.ValueString(),
	})
	if err != nil {
		diags.Append(timeout.diagnostic(ctx, "Unable to create the merchant "+quote(name), err))
		return nil
	}
	return merchant
}

// existingMerchantDetail names the merchants that have the name and shows how to adopt the first.
func existingMerchantDetail(name string, existing []cobo.Merchant) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Cobo already has a merchant named %q:\n", name)
	for _, m := range existing {
		fmt.Fprintf(&b, "  - merchant_id %s, wallet_setup %s\n", m.MerchantID, m.WalletSetup)
	}
	id := existing[0].MerchantID
	fmt.Fprintf(&b, "\nTerraform does not create a second merchant with the name of an existing one (Cobo cannot delete merchants, so a duplicate would stay forever), so nothing was created. "+
		"Take the existing merchant over with an import block (Terraform 1.5 or later)\n\n"+
		"import {\n  to = cobo_payment_merchant.NAME\n  id = %q\n}\n\n"+
		"or, in Terraform 1.12 or later, by its identity\n\n"+
		"import {\n  to       = cobo_payment_merchant.NAME\n  identity = { merchant_id = %q }\n}\n\n"+
		"where cobo_payment_merchant.NAME is this resource's address, as shown after \"with\" above. Or choose another name.", id, id)
	return b.String()
}

func (r *paymentMerchantResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var prior paymentMerchantResourceModel
	resp.Diagnostics.Append(getModel(ctx, req.State, &prior)...)
	merchantID := prior.ID.ValueString()
	ctx, client, timeout, cancel := r.beginRefresh(ctx, merchantKind, merchantID, prior.Timeouts, resp.Identity, &resp.Diagnostics)
	defer cancel()
	if client == nil {
		return
	}

	merchant, err := r.data.merchants.merchant(ctx, client, merchantID)
	switch {
	case err != nil:
		resp.Diagnostics.Append(timeout.diagnostic(ctx, "Unable to read merchant "+quote(merchantID), err))
	case merchant == nil:
		resp.Diagnostics.Append(merchantMissing(merchantID, prior.Name.ValueString()))
	default:
		saveMerchant(ctx, &resp.State, merchant, prior, &resp.Diagnostics)
	}
}

// merchantMissing is the error of a merchant the organization's list lacks (cobo.MerchantMissing).
func merchantMissing(merchantID, name string) diag.Diagnostic {
	what := "merchant " + merchantID
	if name != "" {
		what = fmt.Sprintf("merchant %s (%s)", merchantID, quote(name))
	}
	return diag.NewErrorDiagnostic("Merchant not found: "+merchantID,
		fmt.Sprintf("Cobo's merchant list for this API key has no %s. Cobo cannot delete merchants, so it was not deleted: most likely the provider is configured for another organization or environment than the one that has it. "+
			"Check api_secret (each API key belongs to one organization), and env or host (dev and prod, and each sandbox, have merchants of their own). "+
			"If Terraform should stop managing this merchant, replace its resource block with a removed block with lifecycle { destroy = false } (Terraform 1.7 or later; OpenTofu reads the merchant first), or run terraform state rm ADDRESS (ADDRESS is shown after \"with\" above); either leaves Cobo as it is.", what))
}

func (r *paymentMerchantResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state paymentMerchantResourceModel
	resp.Diagnostics.Append(getModel(ctx, req.Plan, &plan)...)
	resp.Diagnostics.Append(getModel(ctx, req.State, &state)...)
	ctx, client, timeout, cancel := r.begin(ctx, updateOperation, plan.Timeouts, &resp.Diagnostics)
	defer cancel()
	if client == nil {
		return
	}
	merchantID := state.ID.ValueString()
	setMerchantIdentity(ctx, resp.Identity, merchantID, &resp.Diagnostics)
	var (
		merchant *cobo.Merchant
		err      error
	)
	if update, changed := updateMerchantRequest(plan, state); changed {
		r.data.merchants.forget()
		merchant, err = client.UpdateMerchant(ctx, merchantID, update)
		if cobo.IsNotFound(err) {
			resp.Diagnostics.Append(merchantMissing(merchantID, state.Name.ValueString()))
			return
		}
		tflog.Info(ctx, "updated merchant", map[string]any{"merchant_id": merchantID})
	} else {
		// Only the timeouts changed: refresh the live attributes.
		merchant, err = r.data.merchants.merchant(ctx, client, merchantID)
		if err == nil && merchant == nil {
			resp.Diagnostics.Append(merchantMissing(merchantID, state.Name.ValueString()))
			return
		}
	}
	if err != nil {
		resp.Diagnostics.Append(timeout.diagnostic(ctx, "Unable to update merchant "+quote(merchantID), err))
		return
	}
	saveMerchant(ctx, &resp.State, merchant, plan, &resp.Diagnostics)
}

// updateMerchantRequest builds the PUT body from what changed; changed is false when nothing Cobo
// stores did. A removed rate is sent as "0" (cobo.MerchantRateCleared).
func updateMerchantRequest(plan, state paymentMerchantResourceModel) (req cobo.UpdateMerchantRequest, changed bool) {
	if plan.Name.ValueString() != state.Name.ValueString() {
		name := plan.Name.ValueString()
		req.Name, changed = &name, true
	}
	planned, prior := rateOf(plan.DeveloperFeeRate), rateOf(state.DeveloperFeeRate)
	if !sameRate(planned, prior) {
		rate := "0"
		if planned != nil {
			rate = *planned
		}
		req.DeveloperFeeRate, changed = &rate, true
	}
	return req, changed
}

func rateOf(v decimalString) *string {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	s := v.ValueString()
	return &s
}

// sameRate compares two rates as numbers, an absent rate being zero.
func sameRate(a, b *string) bool {
	if a == nil || b == nil {
		return cobo.IsZeroRate(a) && cobo.IsZeroRate(b)
	}
	return cobo.SameDecimal(*a, *b)
}

// Delete only forgets the merchant: Cobo cannot delete one (cobo.MerchantDestroy). No request is sent.
func (r *paymentMerchantResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state paymentMerchantResourceModel
	resp.Diagnostics.Append(getModel(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.AddWarning("Merchant "+state.ID.ValueString()+" stays in Cobo",
		fmt.Sprintf("Cobo cannot delete merchants: merchant %s (%s) was removed from the Terraform state only, and stays in Cobo with its balances. "+
			"Import it to manage it again. To forget a merchant without this warning, declare lifecycle { destroy = false } in its resource block (Terraform 1.16 or later), or replace the block with a removed block with lifecycle { destroy = false } (Terraform 1.7 or later).",
			state.ID.ValueString(), quote(state.Name.ValueString())))
}

// ImportState takes the merchant id from the import ID or from the identity's merchant_id; the Read
// that follows fills in the rest.
func (r *paymentMerchantResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importByID(ctx, merchantKind, req, resp)
}

// ModifyPlan refuses wallet_setup Default for a new merchant, and replacing the default merchant:
// Default belongs to the merchant Cobo's onboarding creates, which an import may bring in.
func (r *paymentMerchantResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if !merchantNameClaim.claim(ctx, r.data, req, resp) || req.Plan.Raw.IsNull() {
		return // a name two resources claim, or a destroy
	}
	var planned, prior types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("wallet_setup"), &planned)...)
	if !req.State.Raw.IsNull() {
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("wallet_setup"), &prior)...)
	}
	keepUpdatedTimestamp(ctx, req, resp)
	switch {
	case planned.IsUnknown() || resp.Diagnostics.HasError():
	case planned.ValueString() == cobo.WalletSetupDefault && prior.ValueString() != cobo.WalletSetupDefault:
		resp.Diagnostics.AddAttributeError(path.Root("wallet_setup"), "Invalid wallet_setup",
			fmt.Sprintf("wallet_setup %q belongs to the default merchant that Cobo's onboarding creates for the organization; a new merchant must be %q (the default) or %q. "+
				"To manage the default merchant, import it.", cobo.WalletSetupDefault, cobo.WalletSetupShared, cobo.WalletSetupSeparate))
	case prior.ValueString() == cobo.WalletSetupDefault && planned.ValueString() != cobo.WalletSetupDefault:
		resp.Diagnostics.AddAttributeError(path.Root("wallet_setup"), "The default merchant cannot be replaced",
			fmt.Sprintf("This is the organization's default merchant (wallet_setup %q). Changing wallet_setup to %q would replace it with a new merchant, and Cobo cannot delete the default one. "+
				"Set wallet_setup = %q to keep managing it.", cobo.WalletSetupDefault, planned.ValueString(), cobo.WalletSetupDefault))
	case !prior.IsNull() && planned.ValueString() != prior.ValueString():
		refuseReplacementUnderTheSameName(ctx, req, resp)
	}
}

// merchantNameClaim: one resource per merchant name, or Cobo would get two merchants of one name
// (claims.go). A replacement under the same name is refused elsewhere (refuseReplacementUnderTheSameName).
var merchantNameClaim = claimedKey{
	attr: "name", idAttr: "merchant_id",
	claimsOf: func(d *providerData) *claims { return d.merchantNames },
	twoHolders: func(pc planClaim) (string, string) {
		return "Merchant name used by two resources",
			fmt.Sprintf("The merchant name %q is claimed by two cobo_payment_merchant resources of this configuration: %s. Give each merchant its own name.",
				pc.key, pc.rivals("merchant"))
	},
}

// refuseReplacementUnderTheSameName: a new wallet_setup makes a new merchant while the old one stays
// in Cobo under its name, so the new one needs another name (cobo.MerchantReplacedNeedsNewName).
func refuseReplacementUnderTheSameName(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	var planned, prior types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("name"), &planned)...)
	resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("name"), &prior)...)
	if planned.IsUnknown() || planned.ValueString() != prior.ValueString() {
		return
	}
	resp.Diagnostics.AddAttributeError(path.Root("wallet_setup"), "A new wallet_setup needs a new name",
		fmt.Sprintf("Cobo cannot change a merchant's wallet_setup, so changing it creates a new merchant, and the current one stays in Cobo (Cobo cannot delete merchants) under the name %q. "+
			"Terraform never creates a second merchant with an existing merchant's name: change name together with wallet_setup.", prior.ValueString()))
}

// keepUpdatedTimestamp plans the state's updated_timestamp when nothing Cobo stores changes (a
// respelled rate, new timeouts): the framework marks it unknown whenever the configuration differs.
func keepUpdatedTimestamp(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() {
		return
	}
	var plan, state paymentMerchantResourceModel
	resp.Diagnostics.Append(getModel(ctx, req.Plan, &plan)...)
	resp.Diagnostics.Append(getModel(ctx, req.State, &state)...)
	if resp.Diagnostics.HasError() || plan.Name.IsUnknown() || plan.DeveloperFeeRate.IsUnknown() {
		return
	}
	if _, changed := updateMerchantRequest(plan, state); !changed {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("updated_timestamp"), state.UpdatedTimestamp)...)
	}
}

// saveMerchant writes a merchant into the resource's state (see merchantState).
func saveMerchant(ctx context.Context, state *tfsdk.State, m *cobo.Merchant, prior paymentMerchantResourceModel, diags *diag.Diagnostics) {
	diags.Append(setModel(ctx, state, merchantState(m, prior))...)
}

// merchantState maps a merchant to the resource's state. prior is the plan (create, update) or the
// previous state (read, import): a rate that is zero in both keeps prior's spelling, null included
// (cobo.MerchantRateCleared), except on import (no name yet), which shows what Cobo has; a rate
// spelled differently is kept by the type's semantic equality.
func merchantState(m *cobo.Merchant, prior paymentMerchantResourceModel) paymentMerchantResourceModel {
	model := flattenMerchant(m)
	imported := prior.Name.IsNull()
	if !imported && !prior.DeveloperFeeRate.IsUnknown() && cobo.IsZeroRate(m.DeveloperFeeRate) && cobo.IsZeroRate(rateOf(prior.DeveloperFeeRate)) {
		model.DeveloperFeeRate = prior.DeveloperFeeRate
	}
	return paymentMerchantResourceModel{merchantModel: model, Timeouts: prior.Timeouts}
}

// setMerchantIdentity records the merchant id as the resource's identity (see setOrderIdentity).
func setMerchantIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, merchantID string, diags *diag.Diagnostics) {
	setKindIdentity(ctx, merchantKind, identity, merchantID, diags)
}

// paymentMerchantSchema is the resource's schema: name, developer_fee_rate and wallet_setup as
// inputs, the rest computed, and the timeouts block (no delete: destroying sends nothing).
func paymentMerchantSchema(ctx context.Context) schema.Schema {
	desc := merchantDescription
	stable := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	return schema.Schema{
		MarkdownDescription: "A merchant of your Cobo organization: pay-in orders and refunds belong to one, and it has a balance per token. " +
			"Creating the resource creates the merchant; changing `name` or `developer_fee_rate` updates it in place; changing `wallet_setup` creates a new merchant (Cobo cannot change it). " +
			"Cobo cannot delete a merchant: destroying the resource only removes it from the Terraform state, with a warning, and the merchant stays in Cobo " +
			"(in Terraform 1.16 or later, `lifecycle { destroy = false }` forgets it quietly). " +
			"Terraform never creates a second merchant with the name of an existing one, and one plan reads Cobo's merchant list once for all merchants, as Cobo has no way to read one merchant by id.",
		Attributes: map[string]schema.Attribute{
			"id":          schema.StringAttribute{Computed: true, MarkdownDescription: desc("id"), PlanModifiers: stable},
			"merchant_id": schema.StringAttribute{Computed: true, MarkdownDescription: desc("merchant_id"), PlanModifiers: stable},
			"name": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: desc("name") + " Changing it renames the merchant in place. A create fails, naming the merchant and showing an `import` block, when a merchant with exactly this name exists already.",
				Validators:          []validator.String{stringCheck{description: "must not be empty", summary: "Invalid name", check: checkMerchantName}},
			},
			"developer_fee_rate": schema.StringAttribute{
				Optional:   true,
				CustomType: decimalStringType{},
				MarkdownDescription: desc("developer_fee_rate") + " Changing it updates the merchant in place; the same rate spelled differently (`0.0150` for `0.015`) changes nothing. " +
					"Removing it sets the rate to `0`, as Cobo has no way to clear it.",
				Validators:    []validator.String{stringCheck{description: "developer_fee_rate must be " + cobo.DeveloperFeeRateRule.Doc, summary: "Invalid developer_fee_rate", check: cobo.CheckDeveloperFeeRate}},
				PlanModifiers: []planmodifier.String{keepEqualDecimal()},
			},
			"wallet_setup": schema.StringAttribute{
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString(cobo.WalletSetupShared),
				MarkdownDescription: desc("wallet_setup") + " Default `" + cobo.WalletSetupShared + "`. Changing it creates a new merchant. `" + cobo.WalletSetupDefault + "` cannot be chosen for a new merchant; it is accepted only for the imported default merchant.",
				Validators:          []validator.String{stringCheck{description: "must be Shared or Separate", summary: "Invalid wallet_setup", check: checkWalletSetup}},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"wallet_id": schema.StringAttribute{Computed: true, MarkdownDescription: desc("wallet_id"), PlanModifiers: stable},
			"created_timestamp": schema.Int64Attribute{
				Computed: true, MarkdownDescription: desc("created_timestamp"),
				PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
			"updated_timestamp": schema.Int64Attribute{Computed: true, MarkdownDescription: desc("updated_timestamp")},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true}),
		},
	}
}

func checkMerchantName(name string) error {
	if name == "" {
		return fmt.Errorf("name must be the merchant's name, a non-empty string")
	}
	return nil
}

// checkWalletSetup accepts the three wallet setups Cobo has; ModifyPlan refuses Default for a new
// merchant, where the state is at hand.
func checkWalletSetup(v string) error {
	if v == cobo.WalletSetupDefault || slices.Contains(cobo.WalletSetupsOnCreate, v) {
		return nil
	}
	return fmt.Errorf("wallet_setup must be %q (the default) or %q; got %q", cobo.WalletSetupShared, cobo.WalletSetupSeparate, v)
}
