package provider

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/go-version"
)

// An object in the state that Cobo does not know was looked up in the wrong organization (Cobo deletes
// none): the refresh fails and keeps the state, so that no apply creates a second object (issue 22);
// a removed block or terraform state rm forgets it on purpose.

// cliVersion is the version of the acceptance tests' CLI (Terraform's or OpenTofu's own numbering).
func cliVersion(t *testing.T) *version.Version {
	t.Helper()
	cli := acceptanceCLI(t)
	out, err := exec.Command(cli, "version", "-json").Output()
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err != nil || json.Unmarshal(out, &v) != nil {
		t.Fatalf("%s version -json: %v (%s)", cli, err, out)
	}
	return version.Must(version.NewVersion(v.Version))
}

// hasRemovedBlocks reports whether the CLI has removed blocks with lifecycle { destroy = false }:
// Terraform 1.7; for OpenTofu, whose 1.7 had removed blocks without a lifecycle, 1.9 (tested: 1.12.6).
func hasRemovedBlocks(t *testing.T) bool {
	since := "1.7.0"
	if isOpenTofu() {
		since = "1.9.0"
	}
	return !cliVersion(t).LessThan(version.Must(version.NewVersion(since)))
}

// otherSecret is a fresh API secret: another organization of the same sandbox.
func otherSecret(t *testing.T) string {
	seed := make([]byte, 32)
	if _, err := rand.Read(seed); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(seed)
}

// notFoundCase is one resource kind under test.
type notFoundCase struct {
	addr, summary string
	body          string
	idOf          func(env *testEnv) string
	seed          func(env *testEnv) // what the object needs in Cobo first, if anything
}

// setUp applies c.body in a new workspace of env, after its seed.
func (c notFoundCase) setUp(t *testing.T, env *testEnv) *cliWorkspace {
	t.Helper()
	if c.seed != nil {
		c.seed(env)
	}
	tf := newCLIWorkspace(t)
	tf.write("main.tf", requiredProviders+env.config(c.body))
	tf.mustRun("init", "-input=false")
	tf.mustRun("apply", "-input=false", "-auto-approve")
	return tf
}

var orderNotFoundCase = notFoundCase{
	addr: orderAddr, summary: "Pay-in order",
	body: orderConfig(`merchant_id = "M1001"`, `psp_order_code = "psp-notfound"`, `payable_currency = "ETH_USDT"`, `fee_amount = "0"`, `payable_amount = "10.00"`),
	idOf: func(env *testEnv) string { return env.orderByPsp("psp-notfound").OrderID },
}

var endpointNotFoundCase = notFoundCase{
	addr: webhookAddr, summary: "Webhook endpoint",
	body: webhookEndpointConfig(`url = "http://127.0.0.1:9/notfound"`, `subscribed_events = ["payment.order.status.updated"]`),
	idOf: func(env *testEnv) string { return env.endpointWithURL("http://127.0.0.1:9/notfound").EndpointID },
}

// expectNotFoundError runs a plan and an apply that must both fail with the not-found error for id,
// create nothing, and leave the state holding id.
func (c notFoundCase) expectNotFoundError(t *testing.T, env *testEnv, tf *cliWorkspace, id string) {
	t.Helper()
	env.sandbox.ResetRequests()
	for _, cmd := range [][]string{{"plan", "-input=false"}, {"apply", "-input=false", "-auto-approve"}} {
		out, code := tf.run(cmd...)
		if code != 1 {
			t.Fatalf("terraform %s exited %d, want 1 (the not-found error):\n%s", cmd[0], code, out)
		}
		for _, want := range []string{
			c.summary + ` "` + id + `" not found; kept in the state`, "error_code 2028",
			"Cobo knows no such " + strings.ToLower(c.summary), "is an organization of its own", "without -state",
			"The state keeps it unchanged", "removed {", "terraform state rm " + strings.Split(c.addr, ".")[0] + ".NAME",
		} {
			if !expectWords(regexp.QuoteMeta(want)).MatchString(out) {
				t.Errorf("terraform %s does not say %q:\n%s", cmd[0], want, out)
			}
		}
	}
	for _, r := range env.sandbox.Requests() {
		if r.Method != http.MethodGet {
			t.Errorf("a failed refresh sent %s %s; want reads only", r.Method, r.Path)
		}
	}
	if got := tf.stateValues(c.addr)["id"]; got != id {
		t.Errorf("the state holds %v for %s, want %s unchanged", got, c.addr, id)
	}
}

// forgetWithRemovedBlock replaces the resource block with a removed block and applies it: the
// object leaves the state, and nothing is sent to Cobo but reads.
func (c notFoundCase) forgetWithRemovedBlock(t *testing.T, env *testEnv, tf *cliWorkspace) {
	t.Helper()
	tf.write("main.tf", requiredProviders+env.providerBlock()+"removed {\n  from = "+c.addr+"\n  lifecycle {\n    destroy = false\n  }\n}\n")
	env.sandbox.ResetRequests()
	apply := []string{"apply", "-input=false", "-auto-approve"}
	if isOpenTofu() {
		// OpenTofu refreshes the object of a removed block before it forgets it, and so meets the
		// error; the error says to apply with -refresh=false there.
		if out, code := tf.run(apply...); code != 1 || !strings.Contains(out, "not found; kept in the state") {
			t.Errorf("OpenTofu applied a removed block of an unknown object without -refresh=false (exit %d); if it no longer refreshes it, update forgetAdvice and the docs:\n%s", code, out)
		}
		apply = append(apply, "-refresh=false")
	}
	tf.mustRun(apply...)
	if got := tf.stateValues(c.addr); got != nil {
		t.Errorf("the state still holds %s after the removed block: %v", c.addr, got)
	}
	for _, r := range env.sandbox.Requests() {
		if r.Method != http.MethodGet {
			t.Errorf("forgetting %s sent %s %s", c.addr, r.Method, r.Path)
		}
	}
}

// applied applies c's configuration in a new workspace against a new sandbox, and returns them with
// the id of the object it created.
// applied is a fresh sandbox with the case's object applied: the env, its workspace and the id.
func (c notFoundCase) applied(t *testing.T) (*testEnv, *cliWorkspace, string) {
	t.Helper()
	env := newTestEnv(t)
	tf := c.setUp(t, env)
	return env, tf, c.idOf(env)
}

func testNotFoundKeepsState(t *testing.T, c notFoundCase) {
	t.Run("sandbox forgot it", func(t *testing.T) {
		t.Parallel()
		env, tf, id := c.applied(t)

		env.sandbox.Reset() // as a sandbox restarted without -state
		c.expectNotFoundError(t, env, tf, id)
		tf.mustRun("state", "rm", c.addr)
		if out, code := tf.planExitCode(); code != 2 || !strings.Contains(out, c.addr+" will be created") {
			t.Errorf("after terraform state rm the plan must create %s anew (exit %d):\n%s", c.addr, code, out)
		}
	})
	t.Run("destroy without a refresh", func(t *testing.T) {
		t.Parallel()
		env, tf, id := c.applied(t)

		env.secret = otherSecret(t)
		tf.write("main.tf", requiredProviders+env.config(c.body))
		out := tf.mustRun("destroy", "-input=false", "-auto-approve", "-refresh=false", "-json")
		expectWarning(t, out, c.summary+` "`+id+`" not found on destroy; removed from the state`, "", "destroy without a refresh")
		if got := tf.stateValues(c.addr); got != nil {
			t.Errorf("the state still holds %s after destroy: %v", c.addr, got)
		}
	})
	t.Run("another api_secret", func(t *testing.T) {
		t.Parallel()
		env, tf, id := c.applied(t)

		mine := env.secret
		env.secret = otherSecret(t) // the provider block now names another organization
		tf.write("main.tf", requiredProviders+env.config(c.body))
		c.expectNotFoundError(t, env, tf, id)
		if !hasRemovedBlocks(t) {
			t.Logf("skipping the removed block: %s has no removed block with lifecycle { destroy = false }", cliVersion(t))
			return
		}
		c.forgetWithRemovedBlock(t, env, tf)
		env.secret = mine
		if got := c.idOf(env); got != id {
			t.Errorf("the first organization's object is now %s, want %s untouched", got, id)
		}
	})
}

// Both resources, each in two ways: a sandbox that forgot the object, then terraform state rm; another
// organization's api_secret, then a removed block, which leaves the object in its organization as it was.
func TestAccPaymentOrder_notFoundOnRefreshIsAnErrorThatKeepsTheState(t *testing.T) {
	t.Parallel()
	testNotFoundKeepsState(t, orderNotFoundCase)
}

func TestAccWebhookEndpoint_notFoundOnRefreshIsAnErrorThatKeepsTheState(t *testing.T) {
	t.Parallel()
	testNotFoundKeepsState(t, endpointNotFoundCase)
}

// Importing an id Cobo does not know fails naming the kind and the likely causes, and speaks of no
// state to keep or forget: nothing was imported.
func TestAccNotFoundOnImportCannotImport(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		kind      objectKind
		typeName  string
		id, block string
	}{
		{orderKind, "cobo_payment_order", "O20990101-NOPE-1", orderNotFoundCase.body},
		{webhookEndpointKind, "cobo_webhook_endpoint", "no-such-endpoint", endpointNotFoundCase.body},
		{refundKind, "cobo_payment_refund", "R20990101-NOPE-000001", refundNotFoundCase.body},
	} {
		t.Run(c.typeName, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t)
			tf := newCLIWorkspace(t)
			tf.write("main.tf", requiredProviders+env.config(c.block)+"import {\n  to = "+c.typeName+".test\n  id = \""+c.id+"\"\n}\n")
			tf.mustRun("init", "-input=false")
			out, code := tf.run("plan", "-input=false")
			if code != 1 || !expectWords(regexp.QuoteMeta(`Cannot import `+c.kind.noun+` "`+c.id+`": not found`)+`.*error_code 2028.*`+
				regexp.QuoteMeta("Cobo knows no such "+c.kind.noun)).MatchString(out) || strings.Contains(out, "kept in the state") {
				t.Errorf("importing an unknown %s (exit %d), want the import error without the refresh's:\n%s", c.kind.noun, code, out)
			}
		})
	}
}
