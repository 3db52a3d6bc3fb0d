package provider

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

// What a refresh does with an endpoint changed outside Terraform, and with one awaiting approval.
// These tests drive the CLI themselves (terraform_cli_test.go) to see the warnings Terraform prints.

const (
	warnEndpointGone    = "Webhook endpoint revoked or rejected outside Terraform; removed from state"
	warnEndpointPending = "Webhook endpoint awaits approval"
)

// stateValues returns the attributes of addr in the workspace's state (terraform show -json).
func (w *cliWorkspace) stateValues(addr string) map[string]any {
	w.t.Helper()
	var show struct {
		Values struct {
			RootModule struct {
				Resources []struct {
					Address string         `json:"address"`
					Values  map[string]any `json:"values"`
				} `json:"resources"`
			} `json:"root_module"`
		} `json:"values"`
	}
	out := w.mustRun("show", "-json")
	if err := json.Unmarshal([]byte(out), &show); err != nil {
		w.t.Fatalf("terraform show -json: %v\n%s", err, out)
	}
	for _, r := range show.Values.RootModule.Resources {
		if r.Address == addr {
			return r.Values
		}
	}
	return nil
}

// planExitCode runs terraform plan -detailed-exitcode: 0 no changes, 2 changes.
func (w *cliWorkspace) planExitCode() (string, int) {
	w.t.Helper()
	out, code := w.run("plan", "-input=false", "-detailed-exitcode")
	if code == 1 {
		w.t.Fatalf("terraform plan failed:\n%s", out)
	}
	return out, code
}

// expectWarning fails unless Terraform's -json output warned with summary for addr exactly once.
func expectWarning(t *testing.T, out, summary, addr, step string) {
	t.Helper()
	if got := warningsIn(t, out, summary); got != addr {
		t.Errorf("%s: warnings %q for [%s], want %s once:\n%s", step, summary, got, addr, out)
	}
}

func newWebhookWorkspace(t *testing.T, env *testEnv, events string) *cliWorkspace {
	t.Helper()
	tf := newCLIWorkspace(t)
	tf.write("main.tf", requiredProviders+env.config(webhookEndpointConfig(`url = "http://127.0.0.1:9/hook"`, "subscribed_events = "+events)))
	tf.mustRun("init", "-input=false")
	return tf
}

// An endpoint revoked outside Terraform is forgotten with a warning, and the next apply registers a
// new one. (One unknown to Cobo is an error that keeps the state: not_found_test.go.)
func TestAccWebhookEndpoint_revokedOutsideTerraformIsRegisteredAgain(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	url := "http://127.0.0.1:9/hook"
	tf := newWebhookWorkspace(t, env, `["payment.order.status.updated"]`)
	tf.mustRun("apply", "-input=false", "-auto-approve")
	first := env.endpointWithURL(url)
	env.revokeEndpoint(first.EndpointID)

	out := tf.mustRun("plan", "-input=false", "-json", "-out=tfplan")
	expectWarning(t, out, warnEndpointGone, webhookAddr, "plan after an out-of-band revoke")
	if !strings.Contains(out, first.EndpointID) || !strings.Contains(out, "Cobo can never reactivate it") {
		t.Errorf("the warning does not name the endpoint and say why:\n%s", out)
	}
	tf.mustRun("apply", "-input=false", "tfplan")
	if err := env.checkEndpointStatuses(url, cobo.EndpointStatusInactive, cobo.EndpointStatusActive)(nil); err != nil {
		t.Error(err)
	}
	second := env.endpointWithURL(url)
	if got := tf.stateValues(webhookAddr)["endpoint_id"]; got != second.EndpointID || second.EndpointID == first.EndpointID {
		t.Errorf("state holds %v; want the new endpoint %s (the revoked one was %s)", got, second.EndpointID, first.EndpointID)
	}
	if out, code := tf.planExitCode(); code != 0 {
		t.Errorf("the plan after registering again is not empty:\n%s", out)
	}

	// Destroying without a refresh: a revoked endpoint just leaves the state. (An unknown one is
	// not_found_test.go's.)
	env.revokeEndpoint(second.EndpointID)
	env.sandbox.ResetRequests()
	tf.mustRun("destroy", "-input=false", "-auto-approve", "-refresh=false")
	if puts := env.requests(http.MethodPut, webhookEndpointsPath+"/"); len(puts) != 0 {
		t.Errorf("destroying a revoked endpoint sent %d PUTs, want none", len(puts))
	}
	if got := tf.stateValues(webhookAddr); got != nil {
		t.Errorf("the state still has the endpoint after destroy: %v", got)
	}
}

// With approval required, a new endpoint is kept while pending, with a warning, and nothing fails;
// the refresh after approval shows it active; an update and the revoke on destroy wait the same way.
// No step plans a change of its own.
func TestAccWebhookEndpoint_approvalPendingIsKeptWithAWarning(t *testing.T) {
	t.Parallel()
	env := newTestEnvWith(t, sandbox.Options{WebhookApproval: true})
	url := "http://127.0.0.1:9/hook"
	tf := newWebhookWorkspace(t, env, `["payment.order.status.updated"]`)
	status := func() any { return tf.stateValues(webhookAddr)["status"] }
	approve := func() {
		t.Helper()
		if _, err := env.sandbox.ApproveWebhookEndpoint(env.endpointWithURL(url).EndpointID); err != nil {
			t.Fatal(err)
		}
	}

	out := tf.mustRun("apply", "-input=false", "-auto-approve", "-json")
	expectWarning(t, out, warnEndpointPending, webhookAddr, "apply of a new endpoint")
	if s := status(); s != cobo.EndpointStatusPendingActive {
		t.Errorf("status %v after the create, want %s", s, cobo.EndpointStatusPendingActive)
	}
	if out, code := tf.planExitCode(); code != 0 || !strings.Contains(out, warnEndpointPending) {
		t.Errorf("a pending endpoint must plan no change, with the warning (exit %d):\n%s", code, out)
	}

	approve()
	tf.mustRun("apply", "-input=false", "-auto-approve") // saves the refresh
	if s := status(); s != cobo.EndpointStatusActive {
		t.Errorf("status %v after approval, want %s", s, cobo.EndpointStatusActive)
	}
	if out, code := tf.planExitCode(); code != 0 || strings.Contains(out, "Warning") {
		t.Errorf("an approved endpoint must plan no change and warn about nothing (exit %d):\n%s", code, out)
	}

	tf.write("main.tf", requiredProviders+env.config(webhookEndpointConfig(fmt.Sprintf("url = %q", url), `subscribed_events = ["payment.transaction.completed"]`)))
	out = tf.mustRun("apply", "-input=false", "-auto-approve", "-json")
	expectWarning(t, out, warnEndpointPending, webhookAddr, "apply of an update")
	if out, code := tf.planExitCode(); code != 0 {
		t.Errorf("an update awaiting approval must not be planned again (exit %d):\n%s", code, out)
	}
	approve()
	if got := env.endpointWithURL(url); got.Status != cobo.EndpointStatusActive || strings.Join(got.SubscribedEvents, ",") != cobo.EventPaymentTransactionCompleted {
		t.Errorf("after approving the update Cobo has %+v", got)
	}
	if out, code := tf.planExitCode(); code != 0 {
		t.Errorf("the plan after the approved update is not empty:\n%s", out)
	}

	out = tf.mustRun("destroy", "-input=false", "-auto-approve", "-json")
	expectWarning(t, out, warnEndpointPending, "", "destroy") // Terraform gives a destroy's diagnostics no address
	if !strings.Contains(out, "removed from the Terraform state; Cobo delivers events to it until the revocation is approved") {
		t.Errorf("the destroy's warning does not say what happened:\n%s", out)
	}
	approve()
	if err := env.checkEndpointStatuses(url, cobo.EndpointStatusInactive)(nil); err != nil {
		t.Error(err)
	}
}

// A registration rejected in Cobo Portal is forgotten with a warning; the next apply registers again.
func TestAccWebhookEndpoint_rejectedRegistrationIsForgotten(t *testing.T) {
	t.Parallel()
	env := newTestEnvWith(t, sandbox.Options{WebhookApproval: true})
	url := "http://127.0.0.1:9/hook"
	tf := newWebhookWorkspace(t, env, `["payment.order.status.updated"]`)
	tf.mustRun("apply", "-input=false", "-auto-approve")
	rejected := env.endpointWithURL(url)
	if _, err := env.sandbox.RejectWebhookEndpoint(rejected.EndpointID); err != nil {
		t.Fatal(err)
	}
	out := tf.mustRun("plan", "-input=false", "-json")
	expectWarning(t, out, warnEndpointGone, webhookAddr, "plan after a rejection")
	if !strings.Contains(out, "STATUS_REJECT_ACTIVE") || !strings.Contains(out, "rejected in Cobo Portal") || !strings.Contains(out, `"action":"create"`) {
		t.Errorf("the plan must say the endpoint was rejected and register a new one:\n%s", out)
	}
}
