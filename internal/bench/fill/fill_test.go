package fill

import (
	"math/big"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

var txType = tftypes.Object{AttributeTypes: map[string]tftypes.Type{
	"tx_id":             tftypes.String,
	"created_timestamp": tftypes.Number,
}}

var orderType = tftypes.Object{AttributeTypes: map[string]tftypes.Type{
	"order_id":     tftypes.String,
	"status":       tftypes.String,
	"expired_at":   tftypes.Number,
	"expired":      tftypes.Bool,
	"transactions": tftypes.List{ElementType: txType},
	"statuses":     tftypes.Set{ElementType: tftypes.String},
	"labels":       tftypes.Map{ElementType: tftypes.String},
	"pair":         tftypes.Tuple{ElementTypes: []tftypes.Type{tftypes.String, tftypes.Number}},
	"nested":       tftypes.Object{AttributeTypes: map[string]tftypes.Type{"a": tftypes.String, "b": tftypes.Number}},
	"anything":     tftypes.DynamicPseudoType,
}}

func TestValue(t *testing.T) {
	t.Parallel()
	config := tftypes.NewValue(orderType, map[string]tftypes.Value{
		"order_id":     tftypes.NewValue(tftypes.String, "O123"),
		"status":       tftypes.NewValue(tftypes.String, nil),
		"expired_at":   tftypes.NewValue(tftypes.Number, tftypes.UnknownValue),
		"expired":      tftypes.NewValue(tftypes.Bool, nil),
		"transactions": tftypes.NewValue(tftypes.List{ElementType: txType}, nil),
		"statuses":     tftypes.NewValue(tftypes.Set{ElementType: tftypes.String}, []tftypes.Value{tftypes.NewValue(tftypes.String, "PAID")}),
		"labels":       tftypes.NewValue(tftypes.Map{ElementType: tftypes.String}, nil),
		"pair":         tftypes.NewValue(tftypes.Tuple{ElementTypes: []tftypes.Type{tftypes.String, tftypes.Number}}, nil),
		"nested": tftypes.NewValue(tftypes.Object{AttributeTypes: map[string]tftypes.Type{"a": tftypes.String, "b": tftypes.Number}}, map[string]tftypes.Value{
			"a": tftypes.NewValue(tftypes.String, "set"),
			"b": tftypes.NewValue(tftypes.Number, nil),
		}),
		"anything": tftypes.NewValue(tftypes.DynamicPseudoType, nil),
	})
	v, err := Value(orderType, config)
	if err != nil {
		t.Fatal(err)
	}
	// Through the wire format and back, as Terraform receives it.
	dv, err := tfprotov6.NewDynamicValue(orderType, v)
	if err != nil {
		t.Fatal(err)
	}
	back, err := dv.Unmarshal(orderType)
	if err != nil {
		t.Fatal(err)
	}
	if !back.Equal(v) {
		t.Errorf("round trip changed the value:\n%s\n%s", v, back)
	}
	if !back.IsFullyKnown() {
		t.Errorf("not wholly known: %s", back)
	}
	var attrs map[string]tftypes.Value
	if err := back.As(&attrs); err != nil {
		t.Fatal(err)
	}
	str := func(v tftypes.Value) string {
		var s string
		if err := v.As(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	if got := str(attrs["order_id"]); got != "O123" {
		t.Errorf("order_id = %q, want the configured O123", got)
	}
	if got := str(attrs["status"]); got != String {
		t.Errorf("status = %q, want %q", got, String)
	}
	var n big.Float
	if err := attrs["expired_at"].As(&n); err != nil || n.Cmp(big.NewFloat(Number)) != 0 {
		t.Errorf("expired_at = %s (%v), want %d", attrs["expired_at"], err, Number)
	}
	var b bool
	if err := attrs["expired"].As(&b); err != nil || b || attrs["expired"].IsNull() {
		t.Errorf("expired = %s, want false", attrs["expired"])
	}
	var txs []tftypes.Value
	if err := attrs["transactions"].As(&txs); err != nil || attrs["transactions"].IsNull() || len(txs) != 0 {
		t.Errorf("transactions = %s, want an empty list", attrs["transactions"])
	}
	var statuses []tftypes.Value
	if err := attrs["statuses"].As(&statuses); err != nil || len(statuses) != 1 {
		t.Errorf("statuses = %s, want the configured set", attrs["statuses"])
	}
	var pair []tftypes.Value
	if err := attrs["pair"].As(&pair); err != nil || len(pair) != 2 || str(pair[0]) != String {
		t.Errorf("pair = %s", attrs["pair"])
	}
	var nested map[string]tftypes.Value
	if err := attrs["nested"].As(&nested); err != nil || str(nested["a"]) != "set" || nested["b"].IsNull() {
		t.Errorf("nested = %s, want a kept, b filled", attrs["nested"])
	}
	if !attrs["anything"].IsNull() {
		t.Errorf("anything = %s, want null", attrs["anything"])
	}

	// Nothing configured at all: everything filled.
	if v, err := Value(orderType, tftypes.Value{}); err != nil || !v.IsFullyKnown() {
		t.Errorf("fill without config: %s, %v", v, err)
	}
}
