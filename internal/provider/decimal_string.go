package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// Cobo's amounts are decimal strings, and "2" and "2.00" are the same amount (cobo.SameDecimal). The
// amount attributes have this type, whose semantic equality tells the framework so: a value Cobo
// spells differently from the configuration or the state (after a create, update or refresh) keeps
// the spelling Terraform already has, so it causes neither a diff nor an inconsistent result.
var (
	_ basetypes.StringTypable                    = decimalStringType{}
	_ basetypes.StringValuableWithSemanticEquals = decimalString{}
)

// decimalStringType is the attribute type of decimal strings.
type decimalStringType struct {
	basetypes.StringType
}

func (t decimalStringType) Equal(o attr.Type) bool {
	_, ok := o.(decimalStringType)
	return ok
}

func (t decimalStringType) String() string { return "decimalStringType" }

func (t decimalStringType) ValueFromString(_ context.Context, in basetypes.StringValue) (basetypes.StringValuable, diag.Diagnostics) {
	return decimalString{StringValue: in}, nil
}

func (t decimalStringType) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	v, err := t.StringType.ValueFromTerraform(ctx, in)
	if err != nil {
		return nil, err
	}
	s, ok := v.(basetypes.StringValue)
	if !ok {
		return nil, fmt.Errorf("unexpected value type %T", v)
	}
	return decimalString{StringValue: s}, nil
}

func (t decimalStringType) ValueType(context.Context) attr.Value { return decimalString{} }

// decimalString is a decimal string value, such as an order's fee_amount.
type decimalString struct {
	basetypes.StringValue
}

func decimalValue(s string) decimalString {
	return decimalString{StringValue: basetypes.NewStringValue(s)}
}

func decimalPointerValue(s *string) decimalString {
	return decimalString{StringValue: basetypes.NewStringPointerValue(s)}
}

func (v decimalString) Equal(o attr.Value) bool {
	other, ok := o.(decimalString)
	return ok && v.StringValue.Equal(other.StringValue)
}

func (v decimalString) Type(context.Context) attr.Type { return decimalStringType{} }

// StringSemanticEquals reports whether two known decimal strings denote the same amount.
func (v decimalString) StringSemanticEquals(_ context.Context, newValuable basetypes.StringValuable) (bool, diag.Diagnostics) {
	other, ok := newValuable.(decimalString)
	if !ok || v.IsNull() || v.IsUnknown() || other.IsNull() || other.IsUnknown() {
		return false, nil
	}
	return cobo.SameDecimal(v.ValueString(), other.ValueString()), nil
}

// keepEqualDecimal plans the state's value when the configuration spells the same amount differently:
// the framework applies semantic equality to what Cobo answers, not to plans, and Terraform accepts a
// planned prior value for any configured one. So respelling an amount plans no change at all.
func keepEqualDecimal() planmodifier.String { return keepEqualDecimalModifier{} }

type keepEqualDecimalModifier struct{}

func (keepEqualDecimalModifier) Description(context.Context) string {
	return "keeps the state's value when the configured amount is the same number spelled differently"
}

func (m keepEqualDecimalModifier) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (keepEqualDecimalModifier) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.StateValue.IsNull() || req.PlanValue.IsUnknown() || req.PlanValue.Equal(req.StateValue) {
		return
	}
	equal, diags := decimalString{StringValue: req.StateValue}.StringSemanticEquals(ctx, decimalString{StringValue: req.PlanValue})
	resp.Diagnostics.Append(diags...)
	if equal {
		resp.PlanValue = req.StateValue
	}
}
