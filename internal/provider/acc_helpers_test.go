package provider

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// unitTestOn runs tc against the provider under test on the Terraform CLIs that pass checks; the
// others skip it.
func unitTestOn(t *testing.T, checks []tfversion.TerraformVersionCheck, tc resource.TestCase) {
	t.Helper()
	tc.TerraformVersionChecks = checks
	unitTest(t, tc)
}

// unitTest runs tc against the provider under test.
func unitTest(t *testing.T, tc resource.TestCase) {
	t.Helper()
	tc.ProtoV6ProviderFactories = protoV6ProviderFactories
	resource.UnitTest(t, tc)
}

// queryTest runs query as a terraform query step, on the CLIs that have it, after a step that
// declares only env's provider: a query step keeps the provider block of the step before it.
func queryTest(t *testing.T, env *testEnv, query resource.TestStep) {
	t.Helper()
	query.Query = true
	unitTestOn(t, skipBelowQuery, resource.TestCase{Steps: []resource.TestStep{{Config: env.providerBlock()}, query}})
}

// listQueries is the query of every GET of the list at path (such as /v2/payments/orders) sent so far.
func (e *testEnv) listQueries(path string) []url.Values {
	var queries []url.Values
	for _, r := range e.requests(http.MethodGet, path) {
		if r.Path == path {
			q, _ := url.ParseQuery(r.Query)
			queries = append(queries, q)
		}
	}
	return queries
}

// sentQuery says whether one of queries has key=value.
func sentQuery(queries []url.Values, key, value string) bool {
	return slices.ContainsFunc(queries, func(q url.Values) bool { return q.Get(key) == value })
}

// generateConfig runs terraform query -generate-config-out=out in w over env's provider and the list
// blocks of tfquery, and returns what Terraform wrote.
func (w *cliWorkspace) generateConfig(t *testing.T, env *testEnv, tfquery, out string) []byte {
	t.Helper()
	w.write("main.tf", requiredProviders+env.providerBlock())
	w.write("list.tfquery.hcl", tfquery)
	w.mustRun("init", "-input=false")
	w.mustRun("query", "-generate-config-out="+out)
	generated, err := os.ReadFile(filepath.Join(w.dir, out))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("generated %s:\n%s", out, generated)
	return generated
}

// applyImportsChangingNothing applies w's generated configuration, which must import n objects
// (noun, plural) and change nothing, with only reads sent to Cobo and an empty plan after.
func (w *cliWorkspace) applyImportsChangingNothing(t *testing.T, env *testEnv, n int, nouns string) {
	t.Helper()
	env.sandbox.ResetRequests()
	if out := w.mustRun("apply", "-auto-approve", "-input=false"); !strings.Contains(out, fmt.Sprintf("Apply complete! Resources: %d imported, 0 added, 0 changed, 0 destroyed.", n)) {
		t.Fatalf("the generated configuration should import the %d %s and change nothing:\n%s", n, nouns, out)
	}
	if out, code := w.run("plan", "-detailed-exitcode", "-input=false"); code != 0 {
		t.Fatalf("the plan after the import is not empty (exit code %d):\n%s", code, out)
	}
	for _, r := range env.sandbox.Requests() {
		if r.Method != http.MethodGet {
			t.Errorf("importing sent %s %s to Cobo; only reads are expected", r.Method, r.Path)
		}
	}
}

// expectRefusedAtPlan plans config with env's provider, on the CLIs that pass checks (nil: every
// CLI), and expects the plan to fail with wantErr before anything reaches Cobo; what names the mistake.
func (e *testEnv) expectRefusedAtPlan(t *testing.T, checks []tfversion.TerraformVersionCheck, config string, wantErr *regexp.Regexp, what string) {
	t.Helper()
	unitTestOn(t, checks, resource.TestCase{
		Steps: []resource.TestStep{{Config: e.config(config), PlanOnly: true, ExpectError: wantErr}},
	})
	e.expectNoRequests(what)
}

// importBlockChangingNothing is a step that imports addr with an import block of kind (by id or by
// identity) under config, and whose plan must change nothing: the imported object matches config.
func importBlockChangingNothing(addr string, kind resource.ImportStateKind, config string) resource.TestStep {
	return resource.TestStep{
		Config:           config,
		ResourceName:     addr,
		ImportState:      true,
		ImportStateKind:  kind,
		ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionNoop)}},
	}
}
