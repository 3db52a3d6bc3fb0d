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

	"github.com/cobo-terraform/terraform-provider-cobo/internal/devtf"
)

// What the tests of this package share to run documentation as written: its fenced blocks, the
// README's setup, a bash session with the CLI under test first on PATH.

// fencedBlock is a fenced code block of a Markdown text: its language (sh, terraform) and body.
type fencedBlock struct {
	lang, body string
}

var fence = regexp.MustCompile("(?ms)^```(\\w+)\n(.*?)^```")

// fencedBlocks are text's fenced code blocks, in order.
func fencedBlocks(text string) []fencedBlock {
	var blocks []fencedBlock
	for _, m := range fence.FindAllStringSubmatch(text, -1) {
		blocks = append(blocks, fencedBlock{lang: m[1], body: m[2]})
	}
	return blocks
}

// section is the part of a repository file from the heading start to the heading end (to its end
// when end is empty).
func section(t *testing.T, path, start, end string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", path))
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	from, to := strings.Index(text, start), len(text)
	if end != "" {
		to = strings.Index(text, end)
	}
	if from < 0 || to < from {
		t.Fatalf("%s has no section %q followed by %q", path, start, end)
	}
	return text[from:to]
}

const (
	readmeWalkthroughStart = "## Try it offline"
	readmeWalkthroughEnd   = "### Receive order events offline"
	// sandboxCommand starts the shell block that the walkthrough runs in a second terminal.
	sandboxCommand = "bin/cobo-sandbox -addr "
)

// readmeWalkthroughBlocks are the ```sh blocks of the README's walkthrough ("Try it offline"), in order.
func readmeWalkthroughBlocks(t *testing.T) []string {
	t.Helper()
	var blocks []string
	for _, b := range fencedBlocks(section(t, "README.md", readmeWalkthroughStart, readmeWalkthroughEnd)) {
		if b.lang == "sh" {
			blocks = append(blocks, b.body)
		}
	}
	return blocks
}

// scriptPrologue starts every script: stop at the first failure, show each command, and run `make
// build`, as the README's first command runs it at the repository root, into this root's bin/.
const scriptPrologue = "set -eo pipefail\nset -x\n" +
	`make() { [ "$*" = build ] || { echo "the walkthrough runs make $*" >&2; return 1; }; command make -s -C "$REPO_ROOT" build BIN="$PWD/bin"; }` + "\n"

// readmeScript is the README walkthrough's sh blocks as one script: the block that starts the sandbox
// runs in the background (sandboxStep), the others as they are. It fails the test unless exactly one
// block starts the sandbox.
func readmeScript(t *testing.T, blocks []string) string {
	t.Helper()
	var script strings.Builder
	sandboxes := 0
	for _, block := range blocks {
		if strings.HasPrefix(strings.TrimSpace(block), sandboxCommand) {
			script.WriteString(sandboxStep(block))
			sandboxes++
			continue
		}
		script.WriteString(block)
	}
	if sandboxes != 1 {
		t.Fatalf("%d of the README walkthrough's shell blocks start the sandbox; want 1", sandboxes)
	}
	return script.String()
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

// terraformForREADME is the Terraform CLI under test (devtf.CLIForTests), with bash and make, which the
// scripts need. It skips for OpenTofu: the README's dev_overrides name registry.terraform.io, the
// address Terraform uses.
func terraformForREADME(t *testing.T) string {
	t.Helper()
	terraform := devtf.CLIForTests(t)
	for _, tool := range []string{"bash", "make"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("runs the documentation's commands with %s, which is not on PATH", tool)
		}
	}
	version, err := exec.Command(terraform, "version").Output()
	if err != nil {
		t.Fatalf("%s version: %v", terraform, err)
	}
	if !regexp.MustCompile(`(?m)^Terraform v`).Match(version) {
		t.Skipf("%s is not Terraform: the README's dev_overrides name registry.terraform.io, the address Terraform uses", terraform)
	}
	return terraform
}

var ansi = regexp.MustCompile(`\x1b\[[0-9;]*m`)

// runScript runs script in one bash session in a fresh root directory (WALKTHROUGH_ROOT; REPO_ROOT is
// the repository), with terraform (the CLI under test) first on PATH, none of the caller's TF_ and
// COBO_ variables, and env added; it returns the root and the output without colours.
func runScript(t *testing.T, script, terraform string, env ...string) (root, output string) {
	t.Helper()
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	root = t.TempDir()
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
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, "TF_") && !strings.HasPrefix(name, "COBO_") && name != "PATH" {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "PATH="+cliDir+string(os.PathListSeparator)+os.Getenv("PATH"),
		"CHECKPOINT_DISABLE=1", "REPO_ROOT="+repo, "WALKTHROUGH_ROOT="+root)
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	text := ansi.ReplaceAllString(string(out), "")
	if err != nil {
		t.Fatalf("the script failed: %v\n%s", err, text)
	}
	return root, text
}
