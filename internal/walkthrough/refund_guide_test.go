package walkthrough

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

const (
	refundGuide = "templates/guides/refund-a-paid-order.md.tmpl"
	// The guide's setup is the README walkthrough's first two shell blocks (make build, the CLI
	// configuration, the sandbox), as its first step says.
	refundGuideSetupBlocks = 2
)

// claim is a Terraform command of the guide and what its comment says it shows, if anything: outputs
// (`name = "value"` or `name.attribute = "value"`), "No changes." (the plan is empty) or "no resource
// changes" (the plan changes outputs only).
type claim struct {
	command           string
	outputs           map[string]string
	noChanges         bool
	noResourceChanges bool
}

var (
	terraformCommand = regexp.MustCompile(`^(terraform\s[^#]*?)\s*(?:#(.*))?$`)
	outputClaim      = regexp.MustCompile(`([\w.]+) = "([^"]*)"`)
	// destroyWarning is a warning the guide's destroy section quotes; … stands for an id.
	destroyWarning = regexp.MustCompile(`warning "([^"]+)"`)
)

// refundGuideScript is the guide as one bash script after the README's setup: a new directory, each
// terraform block added to main.tf, each sh block run, the output of the n-th Terraform command kept in
// step-n.out with the outputs after it in step-n.json. It returns the commands in order.
func refundGuideScript(t *testing.T) (string, []claim) {
	t.Helper()
	text := section(t, refundGuide, "# Refund a paid order", "")
	var script strings.Builder
	script.WriteString("mkdir refund-guide && cd refund-guide\n")
	var claims []claim
	for _, block := range fencedBlocks(text) {
		switch block.lang {
		case "terraform":
			script.WriteString("cat >> main.tf <<'GUIDE_HCL'\n" + block.body + "GUIDE_HCL\n")
		case "sh":
			for _, line := range strings.Split(strings.TrimRight(block.body, "\n"), "\n") {
				c, ok := parseTerraformCommand(line)
				if !ok {
					script.WriteString(line + "\n")
					continue
				}
				n := len(claims)
				fmt.Fprintf(&script, "%s > \"$WALKTHROUGH_ROOT/step-%d.out\" 2>&1 || { cat \"$WALKTHROUGH_ROOT/step-%[2]d.out\"; exit 1; }\n", c.command, n)
				fmt.Fprintf(&script, "cat \"$WALKTHROUGH_ROOT/step-%d.out\"\nterraform output -json > \"$WALKTHROUGH_ROOT/step-%[1]d.json\"\n", n)
				claims = append(claims, c)
			}
		default:
			t.Fatalf("the guide has a %q block; the test runs terraform and sh blocks", block.lang)
		}
	}
	return script.String(), claims
}

// parseTerraformCommand reads a Terraform command line and the claims of its comment.
func parseTerraformCommand(line string) (claim, bool) {
	m := terraformCommand.FindStringSubmatch(strings.TrimSpace(line))
	if m == nil {
		return claim{}, false
	}
	c := claim{command: m[1], outputs: map[string]string{},
		noChanges: strings.Contains(m[2], "No changes."), noResourceChanges: strings.Contains(m[2], "no resource changes")}
	for _, kv := range outputClaim.FindAllStringSubmatch(m[2], -1) {
		c.outputs[kv[1]] = kv[2]
	}
	return c, true
}

// The guide "Refund a paid order", run as written after the README's setup: a merchant, its order,
// the payment, the balance, a refund Pending then Completed on the sandbox clock, plans that change no
// resource, and destroy with its warnings. Every claim its comments make is checked, and the claims
// must include the outcomes the guide exists to show.
func TestRefundGuide(t *testing.T) {
	readme := readmeWalkthroughBlocks(t)
	if len(readme) < refundGuideSetupBlocks || !strings.HasPrefix(strings.TrimSpace(readme[1]), sandboxCommand) {
		t.Fatal("the README walkthrough no longer starts with the setup block and the sandbox block, which the refund guide's first step follows")
	}
	guide, claims := refundGuideScript(t)
	requireClaims(t, claims)
	warnings := destroyWarnings(t)
	last := len(claims) - 1
	if !strings.HasPrefix(claims[last].command, "terraform destroy") {
		t.Fatalf("the guide's last Terraform command is %q; want terraform destroy", claims[last].command)
	}

	terraform := terraformForREADME(t)
	script := scriptPrologue + readmeScript(t, readme[:refundGuideSetupBlocks]) + guide
	root, out := runScript(t, script, terraform, "TF_CLI_ARGS_apply=-auto-approve", "TF_CLI_ARGS_destroy=-auto-approve", "TF_INPUT=0")
	for n, c := range claims {
		checkClaim(t, root, n, c)
	}
	destroyed := readFile(t, filepath.Join(root, fmt.Sprintf("step-%d.out", last)))
	for _, w := range warnings {
		if !w.MatchString(destroyed) {
			t.Errorf("terraform destroy showed no warning matching %s, as the guide says it does:\n%s", w, destroyed)
		}
	}
	if t.Failed() {
		t.Logf("the guide's output:\n%s", out)
	}
}

// requireClaims fails unless the guide still claims what it is for: the balance before and after,
// the refund's amount, Pending then Completed, and an empty plan.
func requireClaims(t *testing.T, claims []claim) {
	t.Helper()
	var got []string
	for _, c := range claims {
		for k, v := range c.outputs {
			got = append(got, k+"="+v)
		}
		if c.noChanges {
			got = append(got, "No changes.")
		}
	}
	for _, want := range []string{`shop_balance=99`, `refund.amount=9.50`, `refund.status=Pending`, `refund.status=Completed`, `shop_balance=89`, "No changes."} {
		if !slices.Contains(got, want) {
			t.Errorf("the guide's commands no longer claim %s (they claim %v)", want, got)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
}

// destroyWarnings are the warnings the guide's destroy section quotes, as patterns of Terraform's
// "Warning: ..." line.
func destroyWarnings(t *testing.T) []*regexp.Regexp {
	t.Helper()
	text := section(t, refundGuide, "## 5. Destroy", "")
	var out []*regexp.Regexp
	for _, m := range destroyWarning.FindAllStringSubmatch(strings.Join(strings.Fields(text), " "), -1) {
		out = append(out, regexp.MustCompile(`Warning: `+strings.ReplaceAll(regexp.QuoteMeta(m[1]), "…", `\S+`)))
	}
	if len(out) < 2 {
		t.Fatalf("the guide's destroy section quotes %d warnings; want those of the refund and the merchant at least", len(out))
	}
	return out
}

// checkClaim checks the n-th claim against its command's output and the outputs after it.
func checkClaim(t *testing.T, root string, n int, c claim) {
	t.Helper()
	out := readFile(t, filepath.Join(root, fmt.Sprintf("step-%d.out", n)))
	if c.noChanges && !strings.Contains(out, "No changes.") {
		t.Errorf("%s: the guide says No changes., the output is:\n%s", c.command, out)
	}
	if c.noResourceChanges && regexp.MustCompile(`(?m)^Plan: `).MatchString(out) {
		t.Errorf("%s: the guide says no resource changes, the output is:\n%s", c.command, out)
	}
	var outputs map[string]struct {
		Value any `json:"value"`
	}
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join(root, fmt.Sprintf("step-%d.json", n)))), &outputs); err != nil {
		t.Fatalf("terraform output -json after %s: %v", c.command, err)
	}
	for path, want := range c.outputs {
		name, attr, nested := strings.Cut(path, ".")
		got := outputs[name].Value
		if m, ok := got.(map[string]any); ok && nested {
			got = m[attr]
		}
		if got != want {
			t.Errorf("after Terraform command %d of the guide (%s), %s is %v; the guide says %q", n+1, c.command, path, got, want)
		}
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return ansi.ReplaceAllString(string(b), "")
}
