package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// paymentOrderSchema is the resource's schema: every Order attribute of orderAttributes, computed,
// with the create inputs made configurable, the Terraform-only settings and the timeouts block.
func paymentOrderSchema(ctx context.Context) schema.Schema {
	attrs := make(map[string]schema.Attribute, len(orderAttributes)+3)
	for _, a := range orderAttributes {
		attrs[a.name] = computedResourceAttribute(a)
	}
	desc := func(name string) string {
		for _, a := range orderAttributes {
			if a.name == name {
				return a.description
			}
		}
		panic("no order attribute " + name)
	}
	replaceNote := " Changing it creates a new order, which needs a new `psp_order_code`."
	amountNote := " Amounts compare as numbers: respelling one (`\"2\"` as `\"2.00\"`) changes nothing."

	attrs["merchant_id"] = schema.StringAttribute{
		Required:            true,
		MarkdownDescription: desc("merchant_id") + " It must reference a merchant of your organization." + replaceNote,
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
	}
	attrs["psp_order_code"] = schema.StringAttribute{
		Required:            true,
		MarkdownDescription: "Your own identifier for this order, unique within your Cobo organization: Cobo rejects a code another order already uses, including an expired one. Changing it creates a new order.",
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
	}
	attrs["payable_currency"] = schema.StringAttribute{
		Required:            true,
		MarkdownDescription: fmt.Sprintf("The ID of the cryptocurrency the payer pays in. Cobo documents %s; other values get a warning and are left for Cobo to judge.%s", markdownList(cobo.PayinTokenIDs), replaceNote),
		// The warning for an undocumented token is given in ModifyPlan, once per planned create.
		Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
	}
	attrs["fee_amount"] = schema.StringAttribute{
		Required:            true,
		CustomType:          decimalStringType{},
		MarkdownDescription: desc("fee_amount") + " Must be " + cobo.FeeAmountRule.Doc + "." + amountNote + replaceNote,
		Validators:          []validator.String{amountValidator(cobo.FeeAmountRule)},
		PlanModifiers:       []planmodifier.String{keepEqualDecimal()},
	}
	attrs["pricing_currency"] = optionalInput(desc("pricing_currency") + " Cobo's API reference gives `USD` as its example and links its list of supported pricing currencies (Supported chains and tokens); the provider leaves the value for Cobo to judge." + replaceNote)
	attrs["pricing_amount"] = amountInput(desc("pricing_amount")+" Must be "+cobo.PricingAmountRule.Doc+". Set `pricing_amount`, `payable_amount` or both."+replaceNote, cobo.PricingAmountRule)
	attrs["payable_amount"] = amountInput(desc("payable_amount")+" Must be "+cobo.PayableAmountRule.Doc+". When unset, Cobo derives it as (`pricing_amount` + `fee_amount`) / the current exchange rate; when set, it is what the payer pays and `exchange_rate` stays empty."+replaceNote, cobo.PayableAmountRule)
	attrs["amount_tolerance"] = amountInput(desc("amount_tolerance")+" Must be "+cobo.AmountToleranceRule.Doc+"."+replaceNote, cobo.AmountToleranceRule)
	attrs["merchant_order_code"] = optionalInput(desc("merchant_order_code") + " Set it only when a downstream merchant supplies its own order reference." + replaceNote)
	settingAttributes(attrs, replaceNote)

	return schema.Schema{
		MarkdownDescription: "A Cobo pay-in order. Creating the resource creates the order; setting `expired = true` expires it; destroying it expires a still `Pending` order (see `expire_on_destroy`). " +
			"Every input forces a new order when changed. `status`, `received_token_amount`, `transactions` and `settlement_status` are refreshed on every plan and never cause a diff by themselves.",
		Attributes: attrs,
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}),
		},
	}
}

// settingAttributes adds the attributes Cobo does not store with the order: how it is created
// (expired_in), whether Terraform expires it, and what destroying it does.
func settingAttributes(attrs map[string]schema.Attribute, replaceNote string) {
	attrs["expired_in"] = schema.Int64Attribute{
		Optional: true,
		MarkdownDescription: fmt.Sprintf("Seconds from creation until the order expires, between %d and %d (3 hours). Cobo's default is %d. Cobo does not return it, so it stays null after an import, and setting it on an imported order changes nothing remotely.%s",
			cobo.ExpiredInMin, cobo.ExpiredInMax, cobo.ExpiredInDefault, replaceNote),
		Validators: []validator.Int64{int64validator.Between(cobo.ExpiredInMin, cobo.ExpiredInMax)},
	}
	attrs["expired"] = schema.BoolAttribute{
		Optional: true,
		Computed: true,
		Default:  booldefault.StaticBool(false),
		MarkdownDescription: "Set to `true` to expire the order through Cobo's `PUT /payments/orders/{order_id}`, so that no payer can pay into it any more. " +
			"Cobo only expires `Pending` orders: planning `true` for a `Processing`, `Completed` or `Underpaid` order is an error, and for an already `Expired` order it changes nothing. " +
			"An expired order cannot be reopened, so changing `true` back to `false` is an error. " +
			"This attribute records what Terraform asked for; an order that expires by time or outside Terraform shows it in `status`.",
	}
	attrs["expire_on_destroy"] = schema.BoolAttribute{
		Optional: true,
		Computed: true,
		Default:  booldefault.StaticBool(true),
		MarkdownDescription: "Cobo has no way to delete an order. When `true` (the default), destroying the resource expires the order if it is still `Pending`, so no payer can pay into an order nobody tracks; " +
			"an order in any other status is only removed from the Terraform state, with a warning. When `false`, destroying only removes the order from the state.",
	}
}

// computedResourceAttribute is an Order attribute the user cannot set. Stable ones keep their state
// value in plans; live ones are refreshed and become unknown only when the order is updated.
func computedResourceAttribute(a orderAttribute) schema.Attribute {
	switch a.kind {
	case kindInt64:
		var mods []planmodifier.Int64
		if a.stable {
			mods = append(mods, int64planmodifier.UseStateForUnknown())
		}
		return schema.Int64Attribute{Computed: true, MarkdownDescription: a.description, DeprecationMessage: a.deprecation, PlanModifiers: mods}
	case kindTransactions:
		var mods []planmodifier.List
		if a.stable {
			mods = append(mods, listplanmodifier.UseStateForUnknown())
		}
		return schema.ListNestedAttribute{Computed: true, MarkdownDescription: a.description, PlanModifiers: mods,
			NestedObject: schema.NestedAttributeObject{Attributes: resourceTransactionAttributes()}}
	default:
		var mods []planmodifier.String
		if a.stable {
			mods = append(mods, stringplanmodifier.UseStateForUnknown())
		}
		return schema.StringAttribute{Computed: true, MarkdownDescription: a.description, DeprecationMessage: a.deprecation, PlanModifiers: mods}
	}
}

func resourceTransactionAttributes() map[string]schema.Attribute {
	attrs := make(map[string]schema.Attribute, len(transactionAttributes))
	for _, a := range transactionAttributes {
		if a.kind == kindInt64 {
			attrs[a.name] = schema.Int64Attribute{Computed: true, MarkdownDescription: a.description}
		} else {
			attrs[a.name] = schema.StringAttribute{Computed: true, MarkdownDescription: a.description}
		}
	}
	return attrs
}

// optionalInput is an optional create input that Cobo fills in or echoes: unset, it keeps the value
// Cobo reported (so it causes no diff); set, ModifyPlan compares it with the order's value.
func optionalInput(description string, validators ...validator.String) schema.StringAttribute {
	return schema.StringAttribute{
		Optional:            true,
		Computed:            true,
		MarkdownDescription: description,
		Validators:          validators,
		PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
}

// amountInput is an optional amount input (see optionalInput); an equal amount spelled differently
// plans the state's value (decimal_string.go).
func amountInput(description string, rule cobo.AmountRule) schema.StringAttribute {
	a := optionalInput(description+" Amounts compare as numbers: respelling one (`\"2\"` as `\"2.00\"`) changes nothing.", amountValidator(rule))
	a.CustomType = decimalStringType{}
	a.PlanModifiers = append(a.PlanModifiers, keepEqualDecimal())
	return a
}
