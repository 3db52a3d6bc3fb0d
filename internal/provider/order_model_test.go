package provider

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// The models and the attribute table must name the same attributes: the table drives the schemas,
// the models the mapping.
func TestOrderModelsMatchTheAttributeTable(t *testing.T) {
	t.Parallel()
	check := func(model any, names []string) {
		t.Helper()
		var tags []string
		rt := reflect.TypeOf(model)
		for i := range rt.NumField() {
			tags = append(tags, rt.Field(i).Tag.Get("tfsdk"))
		}
		slices.Sort(tags)
		slices.Sort(names)
		if !slices.Equal(tags, names) {
			t.Errorf("%s fields %v\n attribute table %v", rt.Name(), tags, names)
		}
	}
	var orderNames, txNames []string
	for _, a := range orderAttributes {
		orderNames = append(orderNames, a.name)
	}
	for _, a := range transactionAttributes {
		txNames = append(txNames, a.name)
	}
	check(orderModel{}, orderNames)
	check(transactionModel{}, txNames)
}

func TestSameDecimalAndSemanticEquality(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		a, b string
		same bool
	}{
		{"2", "2.00", true}, {"2.5", "2.50", true}, {"0", "0.00", true}, {"100.00", "100", true},
		{"2", "2.01", false}, {"1", "10", false}, {"abc", "abc", true}, {"abc", "abd", false}, {"", "0", false},
	} {
		if got := cobo.SameDecimal(c.a, c.b); got != c.same {
			t.Errorf("cobo.SameDecimal(%q, %q) = %v, want %v", c.a, c.b, got, c.same)
		}
	}
	ctx := context.Background()
	for _, c := range []struct {
		prior, got decimalString
		equal      bool
	}{
		{decimalValue("2"), decimalValue("2.00"), true},
		{decimalValue("2"), decimalValue("3.00"), false},
		{decimalPointerValue(nil), decimalValue("3.00"), false},
		{decimalValue("2"), decimalString{StringValue: types.StringUnknown()}, false},
	} {
		if equal, diags := c.prior.StringSemanticEquals(ctx, c.got); equal != c.equal || diags.HasError() {
			t.Errorf("%v.StringSemanticEquals(%v) = %v, %v; want %v", c.prior, c.got, equal, diags, c.equal)
		}
	}
	if got := keepIfOmitted(types.StringValue("inv-1"), types.StringNull()); got.ValueString() != "inv-1" {
		t.Errorf("an omitted key keeps the prior value, got %v", got)
	}
	if got := keepIfOmitted(types.StringNull(), types.StringNull()); !got.IsNull() {
		t.Errorf("nothing known stays null, got %v", got)
	}
}

func TestOrderStatusMeanings(t *testing.T) {
	t.Parallel()
	if len(orderStatusMeanings) != len(cobo.OrderStatuses) {
		t.Errorf("orderStatusMeanings has %d statuses, cobo.OrderStatuses %d", len(orderStatusMeanings), len(cobo.OrderStatuses))
	}
	for _, s := range cobo.OrderStatuses {
		if orderStatusMeanings[s] == "" {
			t.Errorf("order status %s has no meaning in orderStatusMeanings", s)
		}
	}
}
