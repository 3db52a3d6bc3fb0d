package provider

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The framework's State.Get and State.Set on a model struct walk its fields by reflection on every
// call, and compile a regular expression for each field while doing so: in a refresh that was 12 % of
// the provider's CPU (make bench, profile of 500 resources). The helpers below do the same conversion
// through types.Object, with the struct's tfsdk tags read once per type, and the provider uses them for
// every model it reads or writes, so that there is one conversion style. They accept only what the
// models here use: fields that are attr.Values, and embedded structs.

// modelField is one tfsdk-tagged field of a model struct, by its index path (through embedded structs).
type modelField struct {
	name  string
	index []int
}

var modelFieldsCache sync.Map // reflect.Type -> []modelField

func modelFields(t reflect.Type) []modelField {
	if cached, ok := modelFieldsCache.Load(t); ok {
		return cached.([]modelField) //nolint:forcetypeassert // only this function stores
	}
	var fields []modelField
	var walk func(t reflect.Type, prefix []int)
	walk = func(t reflect.Type, prefix []int) {
		for i := range t.NumField() {
			f := t.Field(i)
			index := append(slices.Clone(prefix), i)
			if f.Anonymous && f.Type.Kind() == reflect.Struct {
				walk(f.Type, index)
				continue
			}
			if name := f.Tag.Get("tfsdk"); name != "" && name != "-" {
				fields = append(fields, modelField{name: name, index: index})
			}
		}
	}
	walk(t, nil)
	modelFieldsCache.Store(t, fields)
	return fields
}

// objectFromModel converts a model struct into an object of attrTypes. types.ObjectValue checks that
// the fields and the attribute types match one to one.
func objectFromModel(model any, attrTypes map[string]attr.Type) (types.Object, diag.Diagnostics) {
	v := reflect.Indirect(reflect.ValueOf(model))
	values := make(map[string]attr.Value, len(attrTypes))
	for _, f := range modelFields(v.Type()) {
		value, ok := v.FieldByIndex(f.index).Interface().(attr.Value)
		if !ok {
			return types.ObjectNull(attrTypes), modelError(fmt.Errorf("field %s of %s is not an attr.Value", f.name, v.Type()))
		}
		values[f.name] = value
	}
	return types.ObjectValue(attrTypes, values)
}

// modelFromObject sets the fields of the model target points to from obj's attributes.
func modelFromObject(obj types.Object, target any) diag.Diagnostics {
	v := reflect.ValueOf(target).Elem()
	attrs := obj.Attributes()
	fields := modelFields(v.Type())
	if len(fields) != len(attrs) {
		return modelError(fmt.Errorf("%s has %d fields for %d attributes", v.Type(), len(fields), len(attrs)))
	}
	for _, f := range fields {
		value, ok := attrs[f.name]
		if !ok {
			return modelError(fmt.Errorf("no attribute %s for %s", f.name, v.Type()))
		}
		field := v.FieldByIndex(f.index)
		rv := reflect.ValueOf(value)
		if !rv.Type().AssignableTo(field.Type()) {
			return modelError(fmt.Errorf("attribute %s is a %s, field of %s is a %s", f.name, rv.Type(), v.Type(), field.Type()))
		}
		field.Set(rv)
	}
	return nil
}

// getModel reads a state, plan or configuration into a model struct.
func getModel(ctx context.Context, src interface {
	Get(context.Context, any) diag.Diagnostics
}, target any,
) diag.Diagnostics {
	var obj types.Object
	diags := src.Get(ctx, &obj)
	if diags.HasError() {
		return diags
	}
	return append(diags, modelFromObject(obj, target)...)
}

// setModel writes a model struct as the whole state.
func setModel(ctx context.Context, state *tfsdk.State, model any) diag.Diagnostics {
	typ, ok := state.Schema.Type().(attr.TypeWithAttributeTypes)
	if !ok {
		return modelError(fmt.Errorf("the schema's type %T has no attributes", state.Schema.Type()))
	}
	obj, diags := objectFromModel(model, typ.AttributeTypes())
	if diags.HasError() {
		return diags
	}
	return append(diags, state.Set(ctx, obj)...)
}

func modelError(err error) diag.Diagnostics {
	return diag.Diagnostics{diag.NewErrorDiagnostic("Provider model mismatch",
		fmt.Sprintf("The provider's model and schema disagree: %v. This is a bug in the provider; please report it.", err))}
}

// listOfObjects makes a list of objects of the nested attributes attrs, one an item.
func listOfObjects(items []map[string]attr.Value, attrs map[string]schema.Attribute) (types.List, diag.Diagnostics) {
	attrTypes := attrTypesOf(attrs)
	values := make([]attr.Value, 0, len(items))
	var diags diag.Diagnostics
	for _, item := range items {
		obj, ds := types.ObjectValue(attrTypes, item)
		diags.Append(ds...)
		values = append(values, obj)
	}
	if diags.HasError() {
		return types.ListNull(types.ObjectType{AttrTypes: attrTypes}), diags
	}
	list, ds := types.ListValue(types.ObjectType{AttrTypes: attrTypes}, values)
	diags.Append(ds...)
	return list, diags
}

// attrTypesOf is the object type of data source attributes, read from the attributes themselves.
func attrTypesOf(attrs map[string]schema.Attribute) map[string]attr.Type {
	m := make(map[string]attr.Type, len(attrs))
	for name, a := range attrs {
		m[name] = a.GetType()
	}
	return m
}
