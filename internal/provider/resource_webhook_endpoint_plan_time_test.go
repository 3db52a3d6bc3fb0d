package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// Bad webhook input fails (or warns) at plan time, before any request reaches Cobo.

// webhookEndpointConfig renders a cobo_webhook_endpoint.test block from attribute lines.
func webhookEndpointConfig(lines ...string) string {
	return "resource \"cobo_webhook_endpoint\" \"test\" {\n  " + strings.Join(lines, "\n  ") + "\n}\n"
}

// expectNoRequests fails the test if anything reached the sandbox.
func (e *testEnv) expectNoRequests(what string) {
	e.t.Helper()
	for _, r := range e.sandbox.Requests() {
		e.t.Errorf("%s reached Cobo: %s %s", what, r.Method, r.Path)
	}
}

func TestAccWebhookEndpoint_badInputIsAPlanTimeError(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	events := `subscribed_events = ["payment.order.status.updated"]`
	cases := []struct {
		lines []string
		want  string
	}{
		{[]string{`url = "http://example.com/hook"`, events}, `Invalid webhook endpoint url.*url must be an absolute https URL.*uses http to a host that is not loopback`},
		{[]string{`url = "ftp://example.com/hook"`, events}, `Invalid webhook endpoint url.*has the scheme "ftp"`},
		{[]string{`url = "/cobo/hook"`, events}, `Invalid webhook endpoint url.*is not an absolute URL`},
		{[]string{`url = ""`, events}, `Invalid webhook endpoint url.*is not an absolute URL`},
		{[]string{fmt.Sprintf(`url = "https://example.com/%s"`, strings.Repeat("a", 481)), events}, `Invalid webhook endpoint url.*at most 500 characters, got 501`},
		{[]string{`url = "https://example.com/hook"`, `subscribed_events = []`}, `Invalid Attribute Value.*subscribed_events.*set must contain at least 1 elements`},
		{[]string{`url = "https://example.com/hook"`, `subscribed_events = [""]`}, `Invalid Attribute Value Length.*string length must be at least 1`},
		{[]string{`url = "https://example.com/hook"`}, `Missing required argument.*"subscribed_events" is required`},
	}
	steps := make([]resource.TestStep, 0, len(cases))
	for _, c := range cases {
		steps = append(steps, resource.TestStep{Config: env.config(webhookEndpointConfig(c.lines...)), PlanOnly: true, ExpectError: expectWords(c.want)})
	}
	resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: protoV6ProviderFactories, Steps: steps})
	env.expectNoRequests("a bad webhook endpoint configuration")
}

// Loopback hosts may use http (the sandbox serves them); values known only at apply are not judged.
func TestAccWebhookEndpoint_loopbackHTTPAndUnknownValuesPlan(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	cfg := webhookEndpointConfig(`url = "http://127.0.0.1:8080/hook"`, `subscribed_events = ["payment.order.status.updated"]`) + `
resource "cobo_payment_order" "later" {
  merchant_id      = "M1"
  psp_order_code   = "psp-webhook-unknown"
  payable_currency = "ETH_USDT"
  fee_amount       = "0"
  payable_amount   = "1.00"
}
resource "cobo_webhook_endpoint" "unknown" {
  url               = "https://example.com/${cobo_payment_order.later.order_id}"
  subscribed_events = [cobo_payment_order.later.status]
  description       = cobo_payment_order.later.receive_address
}
`
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{{Config: env.config(cfg), PlanOnly: true, ExpectNonEmptyPlan: true}},
	})
	env.expectNoRequests("planning new endpoints")
}

// An event type Cobo does not document warns, naming the nearest documented type, and is not refused.
func TestAccWebhookEndpoint_unknownEventTypeWarnsWithTheNearestName(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	tf := newCLIWorkspace(t)
	tf.write("main.tf", requiredProviders+env.config(webhookEndpointConfig(
		`url = "https://example.com/hook"`, `subscribed_events = ["payment.order.status.update", "payment.transaction.completed"]`)))
	tf.mustRun("init", "-input=false")
	out := tf.mustRun("plan", "-input=false", "-json")
	if got := warningsIn(t, out, "Unknown webhook event type"); got != "cobo_webhook_endpoint.test" {
		t.Errorf("terraform plan warned for [%s], want the resource once:\n%s", got, out)
	}
	if !strings.Contains(out, `\"payment.order.status.update\" is not one of the webhook event types Cobo documents; did you mean \"payment.order.status.updated\"?`) {
		t.Errorf("the warning does not name the nearest documented type:\n%s", out)
	}
	env.expectNoRequests("terraform plan")
}

func TestAccWebhookEndpointDataSource_invalidEndpointIDNeverReachesTheAPI(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	steps := []resource.TestStep{}
	for _, id := range []string{"../endpoints", "a/b", "x?limit=1", ""} {
		steps = append(steps, resource.TestStep{
			Config:      env.config(fmt.Sprintf(`data "cobo_webhook_endpoint" "test" { endpoint_id = %q }`, id)),
			ExpectError: expectWords(`Invalid endpoint_id.*endpoint_id`),
		})
	}
	resource.UnitTest(t, resource.TestCase{ProtoV6ProviderFactories: protoV6ProviderFactories, Steps: steps})
	env.expectNoRequests("an invalid endpoint_id")
}
