package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The CI guide's pages: its template and the page rendered from it.
var ciGuidePages = []string{"../../templates/guides/test-your-module-in-ci.md.tmpl", "../../docs/guides/test-your-module-in-ci.md"}

// fencedBlocks are the bodies of the guide's ``` blocks of one language.
func fencedBlocks(text, lang string) []string {
	var blocks []string
	for _, m := range regexp.MustCompile("(?s)```"+lang+"\n(.*?)```").FindAllStringSubmatch(text, -1) {
		blocks = append(blocks, m[1])
	}
	return blocks
}

func readGuide(t *testing.T, page string) string {
	t.Helper()
	b, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The guide says that go install @COBO_VERSION needs a release, and its from-source step installs
// the same two commands as the recipe's install step, from a checkout.
func TestCIGuideFromSource(t *testing.T) {
	t.Parallel()
	_, j, err := readWorkflow("../../examples/ci/github-actions.yml")
	if err != nil {
		t.Fatal(err)
	}
	var released []string // the recipe's packages, relative to the module: "." and "./cmd/cobo-sandbox"
	for _, s := range j.Steps {
		for _, m := range regexp.MustCompile(regexp.QuoteMeta(modulePath)+`(/[^@"]*)?@`).FindAllStringSubmatch(s.Run, -1) {
			released = append(released, "."+m[1])
		}
	}
	if len(released) != 2 {
		t.Fatalf("the recipe installs %v, want the provider and cobo-sandbox", released)
	}
	for _, page := range ciGuidePages {
		text := readGuide(t, page)
		if !strings.Contains(text, "needs a published tag") || !strings.Contains(text, "for a fork") {
			t.Errorf("%s does not say that go install @COBO_VERSION needs a release, and what to do before one or for a fork", page)
		}
		var fromSource []string
		for _, block := range append(fencedBlocks(text, "yaml"), fencedBlocks(text, "sh")...) {
			if m := regexp.MustCompile(`go install ((?:\.\S*\s*)+)`).FindStringSubmatch(block); m != nil {
				fromSource = append(fromSource, strings.TrimRight(strings.Join(strings.Fields(m[1]), " "), ")"))
			}
		}
		want := strings.Join(released, " ")
		if len(fromSource) != 2 || fromSource[0] != want || fromSource[1] != want {
			t.Errorf("%s installs %q from source (the CI step and the local one), want %q twice", page, fromSource, want)
		}
	}
	for _, pkg := range released {
		if _, err := os.Stat(filepath.Join("../..", pkg, "main.go")); err != nil {
			t.Errorf("the guide installs %s, which is not a command of this repository: %v", pkg, err)
		}
	}
}

// expectFailuresModule is a module whose variable has a validation block, as the guide advises.
const expectFailuresModule = `terraform {
  required_providers {
    cobo = { source = "cobo-terraform/cobo" }
  }
}

provider "cobo" {
  host       = "http://127.0.0.1:1/v2" # a plan that fails validation sends nothing
  api_secret = "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20"
}

variable "amount" {
  type = string
  validation {
    condition     = can(regex("^[0-9]+(\\.[0-9]{1,2})?$", var.amount))
    error_message = "amount must be a decimal such as 100.00."
  }
}

resource "cobo_payment_order" "invoice" {
  merchant_id      = "M1001"
  psp_order_code   = "inv-1"
  payable_currency = "ETH_USDT"
  pricing_currency = "USD"
  pricing_amount   = var.amount
  fee_amount       = "2.00"
}
`

// What the guide says of expect_failures holds on the CLI under test: the provider's validation error
// is not an expected failure ("Missing expected failure"), and the guide's run block, which expects
// the variable's, passes.
func TestCIGuideExpectFailures(t *testing.T) {
	text := readGuide(t, ciGuidePages[0])
	for _, page := range ciGuidePages {
		if !strings.Contains(readGuide(t, page), "It cannot assert an error the provider reports") {
			t.Errorf("%s does not say that expect_failures cannot assert the provider's validation errors", page)
		}
	}
	var guideRun string
	for _, block := range fencedBlocks(text, "hcl") {
		if strings.Contains(block, "expect_failures") {
			guideRun = block
		}
	}
	if !strings.Contains(guideRun, "expect_failures = [var.amount]") {
		t.Fatalf("the guide has no run block that expects var.amount to fail: %q", guideRun)
	}
	terraform := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if os.Getenv("TF_ACC") == "" || terraform == "" {
		t.Skip("runs terraform test: set TF_ACC=1 and TF_ACC_TERRAFORM_PATH, as make test does")
	}
	t.Setenv("TERRAFORM", terraform)
	if _, skip, err := findTerraform(); err != nil {
		t.Fatal(err)
	} else if skip != "" {
		t.Skip(skip)
	}

	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "terraform-provider-cobo"), ".")
	build.Dir = "../.."
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	rc := filepath.Join(dir, "terraformrc")
	config := "provider_installation {\n  dev_overrides {\n" +
		"    \"registry.terraform.io/cobo-terraform/cobo\" = \"" + bin + "\"\n" +
		"    \"registry.opentofu.org/cobo-terraform/cobo\" = \"" + bin + "\"\n  }\n  direct {}\n}\n"
	module := filepath.Join(dir, "module")
	for name, content := range map[string]string{rc: config, filepath.Join(module, "main.tf"): expectFailuresModule} {
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	test := func(runBlock string) (string, error) {
		tests := filepath.Join(module, "tests")
		_ = os.RemoveAll(tests)
		if err := os.MkdirAll(tests, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(tests, "amount.tftest.hcl"), []byte(runBlock), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(terraform, "test", "-no-color")
		cmd.Dir = module
		cmd.Env = append(slices.Clip(os.Environ()), "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}

	providerError := strings.Replace(guideRun, "expect_failures = [var.amount]", "expect_failures = [cobo_payment_order.invoice]", 1)
	providerError = regexp.MustCompile(`(?m)^(\s*)variables.*$`).ReplaceAllString(providerError, `${1}variables { amount = "0.00" }`)
	out, err := test(providerError)
	if err == nil || !strings.Contains(out, "Invalid pricing_amount") || !strings.Contains(out, "Missing expected failure") {
		t.Errorf("expect_failures = [cobo_payment_order.invoice] with the provider's validation error: %v, want the run to fail with Missing expected failure:\n%s", err, out)
	}
	if out, err := test(guideRun); err != nil {
		t.Errorf("the guide's run block: %v, want it to pass:\n%s", err, out)
	}
}
