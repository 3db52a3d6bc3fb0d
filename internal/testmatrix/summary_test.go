package main

import (
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"
)

// Each kind of suite output comes to its counts: our scripts' count line, terraform test's lines
// (added up over runs), a SKIPPED line, or just the exit status.
func TestSuiteResult(t *testing.T) {
	t.Parallel()
	exit1 := errors.New("exit status 1")
	for _, tc := range []struct {
		name, output string
		err          error
		want         string
		ok           bool
	}{
		{"validate-examples", "ok    examples/a (Terraform v1.11.4)\nvalidate-examples: 12 passed, 0 failed, 2 skipped\n", nil,
			"validate-examples: 12 passed, 0 failed, 2 skipped", true},
		{"validate-examples", "FAIL  examples/a\nvalidate-examples: 11 passed, 1 failed, 2 skipped\n", exit1,
			"validate-examples: 11 passed, 1 failed, 2 skipped", false},
		{"test-module-example", "run 1\n\x1b[32mSuccess!\x1b[0m 3 passed, 0 failed.\nrun 2\nSuccess! 3 passed, 0 failed.\n", nil,
			"test-module-example: 6 passed, 0 failed, 0 skipped", true},
		{"test-ci-example", "Failure! 2 passed, 1 failed.\n", exit1, "test-ci-example: 2 passed, 1 failed, 0 skipped", false},
		{"test-ci-example", "test-ci-example: step 7/8: terraform test\n    Success! 4 passed, 0 failed.\ntest-ci-example: all 8 steps of the workflow passed\n", nil,
			"test-ci-example: 4 passed, 0 failed, 0 skipped", true},
		{"test-ci-example", "test-ci-example: SKIPPED: terraform is version 1.5.7; terraform test needs >= 1.6\n", nil,
			"test-ci-example: 0 passed, 0 failed, 1 skipped (terraform is version 1.5.7; terraform test needs >= 1.6)", true},
		{"vet", "go vet ./...\n", nil, "vet: 1 passed, 0 failed, 0 skipped", true},
		{"vet", "x.go:3: unreachable code\n", exit1, "vet: failed (exit status 1)", false},
	} {
		r := suiteResult(tc.name, tc.output, tc.err)
		if r.line() != tc.want || r.ok() != tc.ok {
			t.Errorf("%s with %q: %q (ok %v), want %q (ok %v)", tc.name, tc.output, r.line(), r.ok(), tc.want, tc.ok)
		}
	}
}

// The summary totals every suite, a suite that failed as a whole counting as one failure, and lists
// each suite on a line of its own.
func TestSummary(t *testing.T) {
	t.Parallel()
	got := summary("make test", []result{
		{name: "vet", counts: counts{passed: 1}},
		{name: "CLI Terraform v1.11.4", counts: counts{passed: 640, failed: 1, skipped: 3}},
		{name: "test-ci-example", note: "exit status 2", broken: true},
	})
	want := "\nmake test: 641 passed, 2 failed, 3 skipped\n" +
		"  vet: 1 passed, 0 failed, 0 skipped\n" +
		"  CLI Terraform v1.11.4: 640 passed, 1 failed, 3 skipped\n" +
		"  test-ci-example: failed (exit status 2)\n"
	if got != want {
		t.Errorf("summary:\n%s\nwant:\n%s", got, want)
	}
}

// make test runs every suite through testmatrix, so that its output ends with the summary: the test
// target has no prerequisites and one command after its check for terraform, and every suite the
// GNUmakefile defines for it is a -before or -after.
func TestMakeTestEndsWithTheSummary(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../../GNUmakefile")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^test:(.*)\n((?:\t.*\n)+)`).FindStringSubmatch(string(b))
	if m == nil {
		t.Fatal("GNUmakefile has no test target")
	}
	if strings.TrimSpace(m[1]) != "" {
		t.Errorf("make test has prerequisites %q, which run before testmatrix and stay out of its summary", m[1])
	}
	recipe := strings.ReplaceAll(m[2], "\\\n", " ")
	commands := strings.Split(strings.TrimSpace(recipe), "\n")
	last := commands[len(commands)-1]
	if !strings.Contains(last, "go run ./internal/testmatrix") || !strings.Contains(last, `-name "make test"`) {
		t.Fatalf("make test's last command is %q, want testmatrix with -name \"make test\"", last)
	}
	for _, suite := range []string{"vet", "validate-examples", "test-module-example", "test-ci-example"} {
		if !regexp.MustCompile(`-(before|after) '` + suite + `=`).MatchString(last) {
			t.Errorf("make test does not run %s as a suite of testmatrix", suite)
		}
	}
}
