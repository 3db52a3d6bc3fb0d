package provider

import (
	"net/http"
	"strings"
	"testing"
)

// One plan reads the merchant list once for every merchant (Cobo has no get-by-id): 60 merchants and
// the default one refresh with 2 list requests (pages of 50), not 60 walks. Destroying them sends
// nothing, warns that each stays in Cobo, and leaves them there.
func TestAccPaymentMerchant_onePlanWalksTheListOnceAndDestroyKeepsThem(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	w := newCLIWorkspace(t)
	w.write("main.tf", requiredProviders+env.providerBlock()+`
resource "cobo_payment_merchant" "many" {
  count = 60
  name  = "walk-${count.index}"
}
`)
	w.mustRun("init", "-input=false")
	w.mustRun("apply", "-auto-approve", "-input=false")

	env.sandbox.ResetRequests()
	if out, code := w.run("plan", "-detailed-exitcode", "-input=false"); code != 0 {
		t.Fatalf("the plan after the apply is not empty (exit code %d):\n%s", code, out)
	}
	if lists := env.requests(http.MethodGet, merchantsPath); len(lists) != 2 {
		t.Errorf("refreshing 60 merchants sent %d merchant list requests; want 2 (one walk of 61 merchants in pages of 50)", len(lists))
	}

	env.sandbox.ResetRequests()
	out := w.mustRun("destroy", "-auto-approve", "-input=false")
	if !strings.Contains(out, "stays in Cobo") || !strings.Contains(out, "Cobo cannot delete merchants: merchant M") {
		t.Errorf("destroy did not warn that the merchants stay in Cobo:\n%s", out)
	}
	for _, r := range env.sandbox.Requests() {
		if r.Method != http.MethodGet {
			t.Errorf("destroy sent %s %s; Cobo has no merchant delete, so it should send nothing but the refresh", r.Method, r.Path)
		}
	}
	if n := len(env.requests(http.MethodGet, merchantsPath)); n > 2 {
		t.Errorf("destroy's refresh sent %d merchant list requests; want at most 2", n)
	}
	all, err := env.client.AllMerchants(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 61 {
		t.Errorf("the sandbox has %d merchants after destroy, want the 60 and the default one", len(all))
	}
}

// In Terraform 1.16 or later, lifecycle { destroy = false } is the quiet way: destroy forgets the
// merchant without asking the provider, so there is no warning, and Cobo keeps it.
func TestAccPaymentMerchant_destroyFalseForgetsQuietly(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	skipBelowTerraform(t, "1.16.0")
	w := newCLIWorkspace(t)
	w.write("main.tf", requiredProviders+env.providerBlock()+merchantConfig(`name = "Quiet"`, "lifecycle {\n    destroy = false\n  }"))
	w.mustRun("init", "-input=false")
	w.mustRun("apply", "-auto-approve", "-input=false")
	out := w.mustRun("destroy", "-auto-approve", "-input=false")
	if strings.Contains(out, "stays in Cobo") {
		t.Errorf("destroy = false should forget the merchant without the provider's warning:\n%s", out)
	}
	if state := w.mustRun("state", "list"); strings.Contains(state, "cobo_payment_merchant") {
		t.Errorf("the merchant is still in the state:\n%s", state)
	}
	if n := len(env.merchantsNamed("Quiet")); n != 1 {
		t.Errorf("want the merchant kept in Cobo, found %d", n)
	}
}
