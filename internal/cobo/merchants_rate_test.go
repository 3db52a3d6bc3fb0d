package cobo

import (
	"strings"
	"testing"
)

func TestCheckDeveloperFeeRate(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"0", "0.0", "1", "1.0000", "0.015", "0.0150", "0.9999"} {
		if err := CheckDeveloperFeeRate(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for in, why := range map[string]string{"1.0001": "above 1", "2": "above 1", "0.00001": "5 decimal places", "-0.1": "not a plain decimal", "": "not a plain decimal", "1e-2": "not a plain decimal"} {
		err := CheckDeveloperFeeRate(in)
		if err == nil || !strings.Contains(err.Error(), why) || !strings.Contains(err.Error(), "from 0 to 1 with at most 4 decimal places") {
			t.Errorf("%q: %v, want an error saying %q and what is accepted", in, err, why)
		}
	}
	if !IsZeroRate(nil) || !IsZeroRate(ptrTo("0.0000")) || IsZeroRate(ptrTo("0.01")) {
		t.Error("IsZeroRate: nil and 0.0000 are zero, 0.01 is not")
	}
}

func ptrTo(s string) *string { return &s }
