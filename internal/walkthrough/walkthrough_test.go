package walkthrough

import (
	"regexp"
	"strings"
	"testing"
)

// The walkthrough creates two orders with Terraform, pays one with the sandbox's CLI, expires the
// other with expired = true, and shows both statuses: exactly what its comments say they are.
func TestREADMEWalkthrough(t *testing.T) {
	blocks := readmeWalkthroughBlocks(t)
	if len(blocks) < 4 {
		t.Fatalf("the walkthrough has %d shell blocks; want the setup, the sandbox and the steps", len(blocks))
	}
	script := scriptPrologue + readmeScript(t, blocks)
	want := statusClaims(t, script)

	terraform := terraformForREADME(t)
	_, out := runScript(t, script, terraform)
	for _, pair := range want {
		if !strings.Contains(out, pair) {
			t.Errorf("terraform output statuses does not show %s, as the README says it does", pair)
		}
	}
	if !strings.Contains(out, "No changes.") {
		t.Errorf("the last terraform plan did not print No changes")
	}
	if t.Failed() {
		t.Logf("the walkthrough's output:\n%s", out)
	}
}

// statusClaims are the pairs the README's comment on "terraform output statuses" says it prints,
// such as `"paid" = "Completed"`.
func statusClaims(t *testing.T, script string) []string {
	t.Helper()
	line := regexp.MustCompile(`(?m)^terraform output statuses\s+#(.*)$`).FindStringSubmatch(script)
	if line == nil {
		t.Fatal("the walkthrough has no `terraform output statuses   # ...` line saying what it prints")
	}
	pairs := regexp.MustCompile(`"\w+" = "\w+"`).FindAllString(line[1], -1)
	if strings.Join(pairs, ",") != `"paid" = "Completed","unpaid" = "Expired"` {
		t.Fatalf("the walkthrough says terraform output statuses prints %v; want one Completed and one Expired order", pairs)
	}
	return pairs
}
