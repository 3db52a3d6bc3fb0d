package cobo

import (
	"encoding/json"
	"net/url"
	"path"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// Seed corpora live in testdata/fuzz/<FuzzName>/; the f.Add calls below are a few more.

// requireOrderInvariants checks what a successful decode promises.
func requireOrderInvariants(t *testing.T, raw []byte, o *Order) {
	t.Helper()
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(raw, &keys); err != nil {
		t.Fatalf("decoded an order from something that is not a JSON object (%v): %q", err, raw)
	}
	for _, k := range OrderRequiredKeys {
		if v, ok := keys[k]; !ok || string(v) == "null" {
			t.Fatalf("decoded an order without required key %s: %q", k, raw)
		}
	}
	if o.OrderID == "" {
		t.Fatalf("decoded an order with an empty order_id: %q", raw)
	}
	// The order survives a round trip through its own JSON.
	again, err := json.Marshal(o)
	if err != nil {
		t.Fatalf("re-encoding %+v: %v", o, err)
	}
	o2, err := DecodeOrder(again)
	if err != nil {
		t.Fatalf("the re-encoded order %s does not decode: %v", again, err)
	}
	if len(o.Transactions) == 0 {
		o.Transactions = nil // omitempty drops an empty list
	}
	if !reflect.DeepEqual(o, o2) {
		t.Fatalf("round trip changed the order:\n%+v\n%+v", o, o2)
	}
}

func FuzzDecodeOrder(f *testing.F) {
	f.Add([]byte(fullOrderJSON))
	f.Add([]byte(minimalOrderJSON))
	f.Add([]byte(`{"order_id":"O1","ORDER_ID":""}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		o, err := DecodeOrder(data)
		if err != nil {
			if o != nil {
				t.Fatalf("an error came with an order: %v", err)
			}
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		requireOrderInvariants(t, data, o)
	})
}

func FuzzDecodeOrderPage(f *testing.F) {
	f.Add([]byte(`{"data":[` + minimalOrderJSON + `],"pagination":{"before":"","after":"","total_count":1}}`))
	f.Add([]byte(`{"data":[],"pagination":{}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		page, err := DecodeOrderPage(data)
		if err != nil {
			if page != nil {
				t.Fatalf("an error came with a page: %v", err)
			}
			return
		}
		var top map[string]json.RawMessage
		if err := json.Unmarshal(data, &top); err != nil {
			t.Fatalf("decoded a page from something that is not a JSON object: %q", data)
		}
		for i := range page.Data {
			raw, err := json.Marshal(page.Data[i])
			if err != nil {
				t.Fatal(err)
			}
			o, err := DecodeOrder(raw)
			if err != nil {
				t.Fatalf("order %d of an accepted page does not decode on its own: %v\npage: %q", i, err, data)
			}
			if o.OrderID == "" {
				t.Fatalf("order %d of an accepted page has an empty order_id: %q", i, data)
			}
		}
	})
}

var plainDecimal = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)

// wantAmountAccepted is an independent statement of an AmountRule, written without regular expressions.
func wantAmountAccepted(r AmountRule, s string) bool {
	intPart, frac, hasDot := strings.Cut(s, ".")
	digits := func(p string) bool {
		for i := 0; i < len(p); i++ {
			if p[i] < '0' || p[i] > '9' {
				return false
			}
		}
		return p != ""
	}
	if !digits(intPart) || len(intPart) > 20 || (hasDot && (!digits(frac) || len(frac) > 18)) {
		return false
	}
	if len(frac) > r.MaxDecimals {
		return false
	}
	if !r.AllowZero && strings.Trim(intPart+frac, "0") == "" {
		return false
	}
	return true
}

func FuzzAmountRuleCheck(f *testing.F) {
	for _, s := range []string{"100.00", "0", "0.5", "1e3", "-1", ".5", "1.", "1,000", " 1"} {
		f.Add(s)
	}
	rules := []AmountRule{PricingAmountRule, PayableAmountRule, FeeAmountRule, AmountToleranceRule}
	f.Fuzz(func(t *testing.T, s string) {
		for _, r := range rules {
			err := r.Check(s)
			if want := wantAmountAccepted(r, s); want != (err == nil) {
				t.Fatalf("%s.Check(%q) = %v, want accepted=%v", r.Field, s, err, want)
			}
			if err != nil {
				if !strings.Contains(err.Error(), r.Field) || !strings.Contains(err.Error(), r.Doc) {
					t.Fatalf("%s.Check(%q): the message %q does not name the field and what is accepted", r.Field, s, err)
				}
				continue
			}
			if !plainDecimal.MatchString(s) {
				t.Fatalf("%s accepted %q, which is not a plain decimal", r.Field, s)
			}
			if _, frac, ok := strings.Cut(s, "."); ok && len(frac) > r.MaxDecimals {
				t.Fatalf("%s accepted %q with %d decimals (max %d)", r.Field, s, len(frac), r.MaxDecimals)
			}
			if !r.AllowZero && strings.Trim(s, "0.") == "" {
				t.Fatalf("%s accepted zero: %q", r.Field, s)
			}
		}
	})
}

func FuzzValidateOrderID(f *testing.F) {
	for _, s := range []string{"O20250304-M1001-1001", "..", "a/b", "%2F", "é", "..."} {
		f.Add(s)
	}
	const prefix = "/v2/payments/orders/"
	f.Fuzz(func(t *testing.T, id string) {
		err := ValidateOrderID(id)
		if err != nil {
			if !strings.Contains(err.Error(), "order_id") {
				t.Fatalf("the error %q does not name order_id", err)
			}
			return
		}
		esc := url.PathEscape(id)
		if strings.ContainsAny(esc, "/?#") || esc == "." || esc == ".." || esc == "" {
			t.Fatalf("accepted %q escapes to %q", id, esc)
		}
		if back, err := url.PathUnescape(esc); err != nil || back != id {
			t.Fatalf("%q -> %q -> %q, %v", id, esc, back, err)
		}
		// On the wire it is one segment that no path cleaning moves.
		u, err := url.Parse("https://api.dev.cobo.com" + prefix + esc)
		if err != nil {
			t.Fatalf("accepted %q gives an unparseable URL: %v", id, err)
		}
		if u.Path != prefix+id || path.Clean(u.Path) != u.Path || u.RawQuery != "" || u.Fragment != "" {
			t.Fatalf("accepted %q gives path %q (clean %q), query %q, fragment %q", id, u.Path, path.Clean(u.Path), u.RawQuery, u.Fragment)
		}
		if seg := strings.TrimPrefix(u.EscapedPath(), prefix); strings.Contains(seg, "/") {
			t.Fatalf("accepted %q is sent as several segments: %q", id, u.EscapedPath())
		}
	})
}
