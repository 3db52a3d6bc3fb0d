package provider

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// createInputs are the attributes sent on create. Cobo cannot change them afterwards, so a change
// means a new order. Amounts respelled as the same number are planned as they are in the state
// (keepEqualDecimal), so they never count.
var createInputs = []struct {
	name  string
	value func(*paymentOrderResourceModel) attr.Value
}{
	{"merchant_id", func(m *paymentOrderResourceModel) attr.Value { return m.MerchantID }},
	{"psp_order_code", func(m *paymentOrderResourceModel) attr.Value { return m.PspOrderCode }},
	{"payable_currency", func(m *paymentOrderResourceModel) attr.Value { return m.PayableCurrency }},
	{"fee_amount", func(m *paymentOrderResourceModel) attr.Value { return m.FeeAmount }},
	{"pricing_currency", func(m *paymentOrderResourceModel) attr.Value { return m.PricingCurrency }},
	{"pricing_amount", func(m *paymentOrderResourceModel) attr.Value { return m.PricingAmount }},
	{"payable_amount", func(m *paymentOrderResourceModel) attr.Value { return m.PayableAmount }},
	{"amount_tolerance", func(m *paymentOrderResourceModel) attr.Value { return m.AmountTolerance }},
	{"merchant_order_code", func(m *paymentOrderResourceModel) attr.Value { return m.MerchantOrderCode }},
}

// replacedBy lists the inputs whose planned value makes a new order necessary. Unset optional inputs
// were planned to their state value (UseStateForUnknown), so they never count. expired_in counts only
// when the state has one: Cobo does not return it, so after an import configuring it changes nothing.
func replacedBy(plan, state paymentOrderResourceModel) path.Paths {
	var paths path.Paths
	for _, in := range createInputs {
		if !in.value(&plan).Equal(in.value(&state)) {
			paths = append(paths, path.Root(in.name))
		}
	}
	if !state.ExpiredIn.IsNull() && !plan.ExpiredIn.IsNull() && !plan.ExpiredIn.Equal(state.ExpiredIn) {
		paths = append(paths, path.Root("expired_in"))
	}
	return paths
}

// configuredUnchanged reports whether every attribute and block the configuration can set is planned
// as it is in the state.
func configuredUnchanged(plan tfsdk.Plan, state tfsdk.State) bool {
	var p, s map[string]tftypes.Value
	if plan.Raw.As(&p) != nil || state.Raw.As(&s) != nil {
		return false
	}
	for name, a := range plan.Schema.GetAttributes() {
		if (a.IsRequired() || a.IsOptional()) && !p[name].Equal(s[name]) {
			return false
		}
	}
	for name := range plan.Schema.GetBlocks() {
		if !p[name].Equal(s[name]) {
			return false
		}
	}
	return true
}

func pathList(paths path.Paths) string {
	names := make([]string, 0, len(paths))
	for _, p := range paths {
		names = append(names, p.String())
	}
	return strings.Join(names, ", ")
}

// pspOrderCodeClaim: one resource per psp_order_code, and a replacement needs a new one (claims.go).
var pspOrderCodeClaim = claimedKey{
	attr: "psp_order_code", idAttr: "order_id",
	claimsOf: func(d *providerData) *claims { return d.pspCodes },
	twoHolders: func(pc planClaim) (string, string) {
		return "psp_order_code used by two resources",
			fmt.Sprintf("psp_order_code %q is claimed by two cobo_payment_order resources of this configuration: %s. "+
				"Cobo keeps one order per psp_order_code, even an expired one, and never gives it to a new order, so both resources would hold one order, and destroying either would expire the other's. "+
				"Give each resource its own psp_order_code. To move an order to another resource address, use a moved block or terraform state mv instead of declaring it twice.",
				pc.key, pc.rivals("order"))
	},
	keptByReplacement: func(pc planClaim) (string, string) {
		return "A new order needs a new psp_order_code",
			fmt.Sprintf("Terraform plans to replace order %s, but the new order keeps its psp_order_code %q. "+
				"Cobo rejects a psp_order_code that another order of your organization already uses, even an expired one, so the new order could not be created. "+
				"Set a new psp_order_code to replace the order, or keep order %s: do not replace it.",
				pc.object, pc.key, pc.object)
	},
}
