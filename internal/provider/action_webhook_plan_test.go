package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// webhookActionConfig declares one webhook action with the given config lines and a terraform_data
// whose creation triggers it.
func webhookActionConfig(actionType string, lines ...string) string {
	return fmt.Sprintf(`
action %[1]q "this" {
  config {
    %[2]s
  }
}

resource "terraform_data" "trigger" {
  input = "ping"
  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.%[1]s.this]
    }
  }
}
`, actionType, strings.Join(lines, "\n    "))
}

// planTimeCase is a bad action configuration and the error it must fail with at plan time.
type planTimeCase struct {
	name  string
	lines []string
	want  string
}

// expectPlanTimeErrors checks that each bad configuration of the action fails at plan time, naming the
// attribute and what is accepted, and never reaches Cobo.
func expectPlanTimeErrors(t *testing.T, actionType string, cases []planTimeCase) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t)
			unitTest(t, resource.TestCase{
				TerraformVersionChecks: skipBelowQuery,
				Steps: []resource.TestStep{{
					Config: env.config(webhookActionConfig(actionType, c.lines...)), PlanOnly: true, ExpectError: expectWords(c.want),
				}},
			})
			if n := len(env.sandbox.Requests()); n != 0 {
				t.Errorf("an invalid action configuration reached Cobo: %d requests", n)
			}
		})
	}
}

func TestAccWebhookTestEventAction_planTimeErrors(t *testing.T) {
	t.Parallel()
	const orderStatus = `event_type = "payment.order.status.updated"`
	expectPlanTimeErrors(t, "cobo_webhook_test_event", []planTimeCase{
		{"override not JSON", []string{orderStatus, `override_data = "{status: Completed}"`},
			`Invalid override_data.*override_data is not valid JSON .*at byte 2.*write a JSON object, for example with jsonencode`},
		{"override an array", []string{orderStatus, `override_data = jsonencode(["Completed"])`},
			`Invalid override_data.*override_data must be a JSON object .* got an array`},
		{"override null", []string{orderStatus, `override_data = "null"`},
			`Invalid override_data.*must be a JSON object .* got null`},
		{"known type outside Payments", []string{`event_type = "wallets.transaction.created"`},
			`Invalid event_type.*"wallets.transaction.created" is not a Payments event type.*only sends Payments events, one of .*payment.order.status.updated`},
		{"unknown type outside Payments", []string{`event_type = "order.paid"`},
			`Invalid event_type.*"order.paid" is not a Payments event type.*payment.transaction.completed`},
	})
}

func TestAccWebhookEventRetryAction_planTimeErrors(t *testing.T) {
	t.Parallel()
	expectPlanTimeErrors(t, "cobo_webhook_event_retry", []planTimeCase{
		{"malformed endpoint id", []string{`endpoint_id = "../orders"`, `event_id = "e1"`},
			`Invalid endpoint_id.*endpoint_id "../orders" contains '/'; Cobo webhook endpoint ids are printable ASCII`},
		{"empty event id", []string{`endpoint_id = "ep-1"`, `event_id = ""`},
			`Invalid event_id.*event_id must not be empty`},
	})
}

// A payment.* type Cobo does not document warns and plans: Cobo adds types, and the API is the judge.
func TestAccWebhookTestEventAction_undocumentedPaymentTypeWarns(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	w := newQueryWorkspace(t)
	w.write("main.tf", requiredProviders+env.config(webhookActionConfig("cobo_webhook_test_event",
		`event_type = "payment.order.refunded"`, `override_data = jsonencode({ status = "Completed" })`)))
	w.mustRun("init", "-input=false")
	out := w.mustRun("plan", "-json", "-input=false")
	warnings := diagnosticsIn(t, out, "warning", "Undocumented Payments event type")
	if len(warnings) == 0 || !strings.Contains(warnings[0], `event_type "payment.order.refunded" is not one of the Payments event types Cobo documents`) ||
		!strings.Contains(warnings[0], `did you mean "payment.order.status.updated"? It is still sent: Cobo adds event types, and its API decides whether it accepts this one.`) {
		t.Errorf("want a warning naming the type, got %q in:\n%s", warnings, out)
	}
	if n := len(env.sandbox.Requests()); n != 0 {
		t.Errorf("planning reached Cobo: %d requests", n)
	}
}

// diagnosticsIn lists the details of the diagnostics of that severity and summary in Terraform's
// -json output.
func diagnosticsIn(t *testing.T, jsonLines, severity, summary string) []string {
	t.Helper()
	var details []string
	for _, d := range jsonDiagnostics(jsonLines) {
		if d.Severity == severity && d.Summary == summary {
			details = append(details, d.Detail)
		}
	}
	return details
}

// override_data known only at apply time (another resource's output) is checked before the request.
func TestAccWebhookTestEventAction_overrideKnownAtApplyIsCheckedBeforeSending(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	config := env.config(`
resource "terraform_data" "payload" {
  input = jsonencode(["Completed"])
}

action "cobo_webhook_test_event" "this" {
  config {
    event_type    = "payment.order.status.updated"
    override_data = terraform_data.payload.output
  }
}

resource "terraform_data" "trigger" {
  input = terraform_data.payload.output
  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.cobo_webhook_test_event.this]
    }
  }
}
`)
	unitTestOn(t, skipBelowQuery, resource.TestCase{
		Steps: []resource.TestStep{{Config: config, ExpectError: expectWords(`Invalid override_data.*override_data must be a JSON object .* got an array`)}},
	})
	if n := len(env.sandbox.Requests()); n != 0 {
		t.Errorf("an invalid override_data reached Cobo: %d requests", n)
	}
}
