package provider

import (
	"context"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

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
