package main

import (
	"strings"
	"testing"
)

func TestCountLeafTestsAndShowFailures(t *testing.T) {
	in := strings.Join([]string{
		`{"Action":"run","Package":"p","Test":"TestA"}`,
		`{"Action":"output","Package":"p","Test":"TestA","Output":"=== RUN   TestA\n"}`,
		`{"Action":"pass","Package":"p","Test":"TestA"}`,
		`{"Action":"output","Package":"p","Test":"TestB/one","Output":"    b_test.go:9: boom\n"}`,
		`{"Action":"fail","Package":"p","Test":"TestB/one"}`,
		`{"Action":"pass","Package":"p","Test":"TestB/two"}`,
		`{"Action":"fail","Package":"p","Test":"TestB"}`,
		`{"Action":"output","Package":"p","Test":"TestC","Output":"    c_test.go:3: Terraform CLI version 1.5.7 is below minimum version 1.12.0: skipping test\n"}`,
		`{"Action":"skip","Package":"p","Test":"TestC"}`,
		`{"Action":"skip","Package":"p","Test":"TestD/one"}`,
		`{"Action":"pass","Package":"p","Test":"TestD"}`,
		`# p [p.test]`,
		`{"Action":"output","Package":"p","Output":"FAIL\tp\t1.5s\n"}`,
	}, "\n")
	var out strings.Builder
	got := count(strings.NewReader(in), &out)
	// Leaves only: TestA, TestB/one, TestB/two, TestC and TestD/one (TestD passes, but only because
	// its one subtest skipped).
	if got != (counts{passed: 2, failed: 1, skipped: 2}) {
		t.Errorf("counts = %+v, want 2 passed, 1 failed, 2 skipped", got)
	}
	for _, want := range []string{"b_test.go:9: boom", "FAIL\tp\t1.5s", "# p [p.test]"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "=== RUN   TestA") || strings.Contains(out.String(), "skipping test") {
		t.Errorf("output of passed or skipped tests should not be shown:\n%s", out.String())
	}
}
