package provider

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

// jsonDiagnostic is a diagnostic in Terraform's -json output.
type jsonDiagnostic struct {
	Severity string `json:"severity"`
	Summary  string `json:"summary"`
	Detail   string `json:"detail"`
	Address  string `json:"address"`
}

// jsonDiagnostics lists the diagnostics in Terraform's -json output (one JSON message a line).
func jsonDiagnostics(jsonLines string) []jsonDiagnostic {
	var diags []jsonDiagnostic
	for _, line := range strings.Split(jsonLines, "\n") {
		var msg struct {
			Type       string         `json:"type"`
			Diagnostic jsonDiagnostic `json:"diagnostic"`
		}
		if json.Unmarshal([]byte(line), &msg) == nil && msg.Type == "diagnostic" {
			diags = append(diags, msg.Diagnostic)
		}
	}
	return diags
}

// warningsIn lists, sorted and space-separated, the resource addresses of the warnings with that
// summary in Terraform's -json output (one address per warning; a repeated warning repeats it).
func warningsIn(t *testing.T, jsonLines, summary string) string {
	t.Helper()
	var addrs []string
	for _, d := range jsonDiagnostics(jsonLines) {
		if d.Severity == "warning" && d.Summary == summary {
			addrs = append(addrs, d.Address)
		}
	}
	slices.Sort(addrs)
	return strings.Join(addrs, " ")
}

// An order without an amount fails at plan time, naming both attributes, and never reaches Cobo.
func TestAccPaymentOrder_noAmountIsAPlanTimeError(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:      env.config(orderConfig(`merchant_id = "M1"`, `psp_order_code = "psp-noamount"`, `payable_currency = "ETH_USDT"`, `fee_amount = "0"`)),
			PlanOnly:    true,
			ExpectError: expectWords(`Missing Attribute Configuration.*At least one of these attributes must be configured:\s+\[pricing_amount,payable_amount\]`),
		}},
	})
	if n := len(env.sandbox.Requests()); n != 0 {
		t.Errorf("a configuration without an amount reached Cobo: %d requests", n)
	}
}

// An undocumented payable_currency warns exactly once per resource in each Terraform run: terraform
// plan warns at plan time, before any request, and applying that saved plan warns once more (Terraform
// plans each resource again while applying, and nothing tells the provider it is doing so; this is why
// a terraform apply without a saved plan shows the warning in both of its phases).
func TestAccPaymentOrder_undocumentedTokenWarnsOncePerResource(t *testing.T) {
	t.Parallel()
	env := newTestEnvWith(t, sandbox.Options{ExtraTokens: []string{"ETH_TESTUSDT"}}) // as dev has test tokens
	tf := newCLIWorkspace(t)
	tf.write("main.tf", requiredProviders+env.config(
		strings.ReplaceAll(orderConfig(`merchant_id = "M1"`, `psp_order_code = "psp-tok-1"`, `payable_currency = "ETH_TESTUSDT"`, `fee_amount = "0"`, `payable_amount = "1.00"`), `"test"`, `"one"`)+
			strings.ReplaceAll(orderConfig(`merchant_id = "M1"`, `psp_order_code = "psp-tok-2"`, `payable_currency = "ETH_TESTUSDT"`, `fee_amount = "0"`, `payable_amount = "1.00"`), `"test"`, `"two"`)))
	tf.mustRun("init", "-input=false")
	// -json: Terraform's human output folds similar warnings into one ("and one more similar warning").
	out := tf.mustRun("plan", "-input=false", "-json", "-out=tfplan")
	if got := warningsIn(t, out, "Undocumented pay-in token"); got != "cobo_payment_order.one cobo_payment_order.two" {
		t.Errorf("terraform plan warned for [%s], want each resource once:\n%s", got, out)
	}
	if !strings.Contains(out, `payable_currency \"ETH_TESTUSDT\" is not one of the pay-in tokens Cobo documents`) {
		t.Errorf("terraform plan output lacks the warning's detail:\n%s", out)
	}
	if n := len(env.sandbox.Requests()); n != 0 {
		t.Errorf("terraform plan sent %d requests, want none", n)
	}

	out = tf.mustRun("apply", "-input=false", "-json", "tfplan")
	if got := warningsIn(t, out, "Undocumented pay-in token"); got != "cobo_payment_order.one cobo_payment_order.two" {
		t.Errorf("terraform apply warned for [%s], want each resource once:\n%s", got, out)
	}
	// Existing orders are not warned about again.
	out = tf.mustRun("plan", "-input=false", "-detailed-exitcode")
	if strings.Contains(out, "Undocumented pay-in token") {
		t.Errorf("a plan of existing orders repeated the warning:\n%s", out)
	}
	tf.mustRun("destroy", "-input=false", "-auto-approve")
}
