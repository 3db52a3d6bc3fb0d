// Package fill builds the fixed data source results of the benchmark's no-work providers
// (internal/bench/echoprovider and internal/bench/fwnoop), so that both answer with the same values.
package fill

import (
	"fmt"
	"math/big"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Fixed values of the no-work providers' data source results: short, so that building and encoding them
// costs as little as possible.
const (
	String = "echo"
	Number = 42
)

// Value returns a wholly known value of typ, built by walking the type: where config holds a
// known, non-null value (order_id in the data source) it is kept, since Terraform expects configured
// arguments back unchanged; everything else gets a fixed value: strings String, numbers
// Number, bools false, lists, sets and maps empty, objects and tuples filled element by element.
// A dynamic type, which has no fixed value of its own, becomes null. config may be the zero Value
// (nothing configured).
func Value(typ tftypes.Type, config tftypes.Value) (tftypes.Value, error) {
	configured := config.Type() != nil && config.IsKnown() && !config.IsNull()
	switch t := typ.(type) {
	case tftypes.Object:
		// Recurse even into a configured object, so that its unset attributes are filled as well.
		var attrs map[string]tftypes.Value
		if configured {
			if err := config.As(&attrs); err != nil {
				return tftypes.Value{}, fmt.Errorf("reading the configured object: %w", err)
			}
		}
		out := make(map[string]tftypes.Value, len(t.AttributeTypes))
		for name, at := range t.AttributeTypes {
			v, err := Value(at, attrs[name])
			if err != nil {
				return tftypes.Value{}, fmt.Errorf("%s: %w", name, err)
			}
			out[name] = v
		}
		return tftypes.NewValue(t, out), nil
	case tftypes.Tuple:
		if configured {
			return config, nil
		}
		out := make([]tftypes.Value, len(t.ElementTypes))
		for i, et := range t.ElementTypes {
			v, err := Value(et, tftypes.Value{})
			if err != nil {
				return tftypes.Value{}, fmt.Errorf("[%d]: %w", i, err)
			}
			out[i] = v
		}
		return tftypes.NewValue(t, out), nil
	case tftypes.List, tftypes.Set:
		if configured {
			return config, nil
		}
		return tftypes.NewValue(t, []tftypes.Value{}), nil
	case tftypes.Map:
		if configured {
			return config, nil
		}
		return tftypes.NewValue(t, map[string]tftypes.Value{}), nil
	}
	if configured {
		return config, nil
	}
	switch {
	case typ.Equal(tftypes.String):
		return tftypes.NewValue(typ, String), nil
	case typ.Equal(tftypes.Number):
		return tftypes.NewValue(typ, big.NewFloat(Number)), nil
	case typ.Equal(tftypes.Bool):
		return tftypes.NewValue(typ, false), nil
	case typ.Equal(tftypes.DynamicPseudoType):
		return tftypes.NewValue(typ, nil), nil
	}
	return tftypes.Value{}, fmt.Errorf("no fixed value for type %s", typ)
}
