package provider

import (
	"reflect"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

// TestCreateInputsReadTheirOwnAttribute checks each createInputs entry against the model's tfsdk tags:
// the value it reads is the field tagged with its name.
func TestCreateInputsReadTheirOwnAttribute(t *testing.T) {
	t.Parallel()
	var m paymentOrderResourceModel
	v := reflect.ValueOf(&m).Elem()
	for _, f := range modelFields(v.Type()) {
		field := v.FieldByIndex(f.index)
		switch field.Type() {
		case reflect.TypeOf(types.String{}):
			field.Set(reflect.ValueOf(types.StringValue(f.name)))
		case reflect.TypeOf(decimalString{}):
			field.Set(reflect.ValueOf(decimalValue(f.name)))
		}
	}
	for _, in := range createInputs {
		got := in.value(&m)
		want := types.StringValue(in.name)
		if d, ok := got.(decimalString); ok {
			got = d.StringValue
		}
		if !got.Equal(want) {
			t.Errorf("createInputs %q reads %s", in.name, got)
		}
	}
}
