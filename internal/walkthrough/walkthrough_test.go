package walkthrough

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

const (
	sectionStart = "## Try it offline"
	sectionEnd   = "### Receive order events offline"
	// sandboxCommand starts the shell block that the walkthrough runs in a second terminal.
	sandboxCommand = "bin/cobo-sandbox -addr "
)

// walkthroughBlocks are the ```sh blocks of the README's walkthrough, in order.
func walkthroughBlocks(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	start := strings.Index(text, sectionStart)
	end := strings.Index(text, sectionEnd)
	if start < 0 || end < start {
		t.Fatalf("README.md has no section %q followed by %q", sectionStart, sectionEnd)
	}
	var blocks []string
	for _, m := range regexp.MustCompile("(?s)```sh\n(.*?)```").FindAllStringSubmatch(text[start:end], -1) {
		blocks = append(blocks, m[1])
	}
	return blocks
}

// sandboxStep runs the README's sandbox command as the second terminal would, at the same root, but
// on a free port (as the README says to when 18080 is taken), and then runs the export lines it
// prints in this shell, as the README says. The sandbox is stopped when the session ends.
func sandboxStep(block string) string {
	command := strings.Replace(strings.TrimSpace(block), "-addr 127.0.0.1:18080", "-addr 127.0.0.1:0", 1)
	return `
(
` + command + `
) > "$WALKTHROUGH_ROOT/sandbox.out" 2>&1 &
sandbox_pid=$!
trap 'kill $sandbox_pid 2>/dev/null || true' EXIT
for _ in $(seq 200); do
  [ "$(grep -c '^export ' "$WALKTHROUGH_ROOT/sandbox.out")" -ge 3 ] && break
  sleep 0.1
done
grep '^export ' "$WALKTHROUGH_ROOT/sandbox.out" || { cat "$WALKTHROUGH_ROOT/sandbox.out"; exit 1; }
eval "$(grep '^export ' "$WALKTHROUGH_ROOT/sandbox.out")"
`
}

// The walkthrough creates two orders with Terraform, pays one with the sandbox's CLI, expires the
// other with expired = true, and shows both statuses: exactly what its comments say they are.
func TestREADMEWalkthrough(t *testing.T) {
	blocks := walkthroughBlocks(t)
	var script strings.Builder
	script.WriteString("set -eo pipefail\nset -x\n")
	// make build, as the README's first command runs it at the repository root, into this root's bin/.
	script.WriteString(`make() { [ "$*" = build ] || { echo "the walkthrough runs make $*" >&2; return 1; }; command make -s -C "$REPO_ROOT" build BIN="$PWD/bin"; }` + "\n")
	sandboxes := 0
	for _, block := range blocks {
		if strings.HasPrefix(strings.TrimSpace(block), sandboxCommand) {
			script.WriteString(sandboxStep(block))
			sandboxes++
			continue
		}
		script.WriteString(block)
	}
	if sandboxes != 1 || len(blocks) < 4 {
		t.Fatalf("the walkthrough has %d shell blocks, %d of which start the sandbox; want the setup, the sandbox and the steps", len(blocks), sandboxes)
	}
	want := statusClaims(t, script.String())

	if os.Getenv("TF_ACC") == "" || os.Getenv("TF_ACC_TERRAFORM_PATH") == "" {
		t.Skip("runs Terraform: set TF_ACC=1 and TF_ACC_TERRAFORM_PATH, as make test does")
	}
	terraform := os.Getenv("TF_ACC_TERRAFORM_PATH")
	version, err := exec.Command(terraform, "version").Output()
	if err != nil {
		t.Fatalf("%s version: %v", terraform, err)
	}
	if !regexp.MustCompile(`(?m)^Terraform v`).Match(version) {
		t.Skipf("%s is not Terraform: the walkthrough's dev_overrides name registry.terraform.io, the address Terraform uses", terraform)
	}
	out := runScript(t, script.String(), terraform)
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

var ansi = regexp.MustCompile(`\x1b\[[0-9;]*m`)

// runScript runs the walkthrough in one bash session in a fresh root directory, with terraform (the
// CLI under test) first on PATH, and returns its output without colours.
func runScript(t *testing.T, script, terraform string) string {
	t.Helper()
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	cliDir := filepath.Join(t.TempDir(), "cli")
	if err := os.MkdirAll(cliDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(terraform, filepath.Join(cliDir, "terraform")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", script)
	cmd.Dir = root
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, "TF_") && !strings.HasPrefix(name, "COBO_") && name != "PATH" {
			env = append(env, kv)
		}
	}
	cmd.Env = append(env, "PATH="+cliDir+string(os.PathListSeparator)+os.Getenv("PATH"),
		"CHECKPOINT_DISABLE=1", "REPO_ROOT="+repo, "WALKTHROUGH_ROOT="+root)
	out, err := cmd.CombinedOutput()
	text := ansi.ReplaceAllString(string(out), "")
	if err != nil {
		t.Fatalf("the walkthrough failed: %v\n%s", err, text)
	}
	return text
}
