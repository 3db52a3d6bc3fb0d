package sandbox

import (
	"reflect"
	"strconv"
	"testing"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// fillAll sets every field reachable from v (a settable value) to a distinct non-zero value: pointers
// point at a filled value, slices hold two filled elements.
func fillAll(t *testing.T, v reflect.Value, n *int) {
	t.Helper()
	*n++
	switch v.Kind() {
	case reflect.String:
		v.SetString("s" + strconv.Itoa(*n))
	case reflect.Int, reflect.Int64:
		v.SetInt(int64(*n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fillAll(t, v.Elem(), n)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := 0; i < 2; i++ {
			fillAll(t, v.Index(i), n)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			fillAll(t, v.Field(i), n)
		}
	default:
		t.Fatalf("fillAll: a field of kind %s: teach this test (and cloneOrder) about it", v.Kind())
	}
}

// sharedPointers reports the paths where a and b hold the same pointer or slice array.
func sharedPointers(a, b reflect.Value, path string) []string {
	switch a.Kind() {
	case reflect.Pointer:
		if a.IsNil() {
			return nil
		}
		if a.Pointer() == b.Pointer() {
			return []string{path}
		}
		return sharedPointers(a.Elem(), b.Elem(), path)
	case reflect.Slice:
		if a.Len() > 0 && a.Pointer() == b.Pointer() {
			return []string{path}
		}
		var out []string
		for i := 0; i < a.Len(); i++ {
			out = append(out, sharedPointers(a.Index(i), b.Index(i), path+"[]")...)
		}
		return out
	case reflect.Struct:
		var out []string
		for i := 0; i < a.NumField(); i++ {
			out = append(out, sharedPointers(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name)...)
		}
		return out
	}
	return nil
}

// Every field of cobo.Order (and of its transactions) is copied by cloneOrder, and nothing is shared:
// a field added to cobo.Order without a deep copy here fails this test.
func TestCloneOrderCopiesEveryField(t *testing.T) {
	t.Parallel()
	var o cobo.Order
	n := 0
	fillAll(t, reflect.ValueOf(&o).Elem(), &n)
	c := cloneOrder(&o)
	if !reflect.DeepEqual(c, o) {
		t.Fatalf("cloneOrder lost fields:\n got %+v\nwant %+v", c, o)
	}
	if shared := sharedPointers(reflect.ValueOf(o), reflect.ValueOf(c), "Order"); len(shared) > 0 {
		t.Errorf("cloneOrder shares memory with the original at %v", shared)
	}
	if got := cloneOrder(&cobo.Order{}); !reflect.DeepEqual(got, cobo.Order{}) {
		t.Errorf("cloneOrder of an empty order = %+v", got)
	}
}
