package provider

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// cobo.Order and cobo.Transaction are the one list of the fields Cobo sends; each must be described in
// orderAttributes (or transactionAttributes) and mapped by flattenOrder to the attribute of the same
// name. The structs are filled by reflection, every string with its own JSON name and every number
// with its field index + 1, so a field added to cobo.Order and forgotten here, or mapped to the wrong
// attribute, fails.
func TestEveryOrderFieldIsDescribedAndMapped(t *testing.T) {
	t.Parallel()
	var order cobo.Order
	fillByJSONName(reflect.ValueOf(&order).Elem())
	var tx cobo.Transaction
	fillByJSONName(reflect.ValueOf(&tx).Elem())
	order.Transactions = []cobo.Transaction{tx}

	model, diags := flattenOrder(&order)
	if diags.HasError() {
		t.Fatal(diags)
	}
	obj, diags := objectFromModel(model, orderAttrTypes)
	if diags.HasError() {
		t.Fatal(diags)
	}
	orderDescribed := map[string]bool{}
	for _, a := range orderAttributes {
		orderDescribed[a.name] = a.description != ""
	}
	checkMapped(t, "cobo.Order", order, obj.Attributes(), orderDescribed)

	txList, ok := obj.Attributes()["transactions"].(types.List)
	if !ok || len(txList.Elements()) != 1 {
		t.Fatalf("transactions is %s, want one transaction", obj.Attributes()["transactions"])
	}
	txObj, _ := txList.Elements()[0].(types.Object)
	txDescribed := map[string]bool{}
	for _, a := range transactionAttributes {
		txDescribed[a.name] = a.description != ""
	}
	checkMapped(t, "cobo.Transaction", tx, txObj.Attributes(), txDescribed)
}

// checkMapped checks that every field of the filled struct v is a described attribute holding the
// value fillByJSONName gave it (the transactions list is checked by the caller).
func checkMapped(t *testing.T, what string, v any, attrs map[string]attr.Value, described map[string]bool) {
	t.Helper()
	rt := reflect.TypeOf(v)
	for i := range rt.NumField() {
		name := jsonName(rt.Field(i))
		if !described[name] {
			t.Errorf("%s field %s has no described attribute", what, name)
			continue
		}
		if name == "transactions" {
			continue
		}
		got, err := attrs[name].ToTerraformValue(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		want := tftypes.NewValue(tftypes.String, name)
		if k := rt.Field(i).Type; k.Kind() == reflect.Int64 || (k.Kind() == reflect.Pointer && k.Elem().Kind() == reflect.Int64) {
			want = tftypes.NewValue(tftypes.Number, int64(i+1))
		}
		if !got.Equal(want) {
			t.Errorf("%s field %s is mapped to %s, want %s", what, name, got, want)
		}
	}
}

// fillByJSONName sets every string (or *string) field of a struct to its JSON name and every int64
// (or *int64) field to its index + 1.
func fillByJSONName(v reflect.Value) {
	for i := range v.NumField() {
		f, name := v.Field(i), jsonName(v.Type().Field(i))
		switch {
		case f.Kind() == reflect.String:
			f.SetString(name)
		case f.Kind() == reflect.Int64:
			f.SetInt(int64(i + 1))
		case f.Kind() == reflect.Pointer && f.Type().Elem().Kind() == reflect.String:
			f.Set(reflect.ValueOf(&name))
		case f.Kind() == reflect.Pointer && f.Type().Elem().Kind() == reflect.Int64:
			n := int64(i + 1)
			f.Set(reflect.ValueOf(&n))
		}
	}
}

func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	return name
}
