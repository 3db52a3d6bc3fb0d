package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-exec/tfexec"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// terraform-plugin-testing does not show what Terraform prints (how often a warning appears), and
// does not run `terraform query -generate-config-out` or `apply -invoke`: the tests that need those
// drive the acceptance tests' CLI themselves, in a directory of their own, against this provider
// served from the test process and attached through TF_REATTACH_PROVIDERS, as plugin-testing does.

// cliWorkspace is a Terraform working directory driven through the acceptance tests' CLI.
type cliWorkspace struct {
	t        *testing.T
	cli, dir string
	env      []string
}

// newCLIWorkspace serves the provider to the acceptance tests' CLI (Terraform or OpenTofu).
func newCLIWorkspace(t *testing.T) *cliWorkspace {
	t.Helper()
	cli := acceptanceCLI(t)
	rc, err := filepath.Abs("testdata/terraformrc")
	if err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1", "TF_CLI_CONFIG_FILE="+rc,
		"TF_REATTACH_PROVIDERS="+serveProvider(t))
	return &cliWorkspace{t: t, cli: cli, dir: t.TempDir(), env: env}
}

// newQueryWorkspace is newCLIWorkspace for the tests of terraform query and actions: it skips unless
// the CLI is Terraform 1.14 or later.
func newQueryWorkspace(t *testing.T) *cliWorkspace {
	t.Helper()
	skipWithoutQuery(t)
	return newCLIWorkspace(t)
}

// skipWithoutQuery skips unless the CLI is Terraform 1.14 or later: for tests that prepare a lot
// before their first Terraform step, so that older CLIs skip at once.
func skipWithoutQuery(t *testing.T) {
	t.Helper()
	if isOpenTofu() {
		t.Skip("OpenTofu has no terraform query and no actions")
	}
	skipBelowTerraform(t, "1.14.0") // terraform query and actions
}

// skipBelowTerraform skips unless the CLI is Terraform (not OpenTofu) of at least that version.
func skipBelowTerraform(t *testing.T, least string) {
	t.Helper()
	if isOpenTofu() {
		t.Skipf("a Terraform %s feature; the CLI is OpenTofu", least)
	}
	out, err := exec.Command(acceptanceCLI(t), "version", "-json").Output()
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err != nil || json.Unmarshal(out, &v) != nil {
		t.Fatalf("terraform version -json: %v (%s)", err, out)
	}
	if version.Must(version.NewVersion(v.Version)).LessThan(version.Must(version.NewVersion(least))) {
		t.Skipf("Terraform %s is below %s", v.Version, least)
	}
}

// acceptanceCLI is the CLI the acceptance tests drive: TF_ACC_TERRAFORM_PATH, else terraform on PATH.
func acceptanceCLI(t *testing.T) string {
	t.Helper()
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		cli, _ = exec.LookPath("terraform")
	}
	if cli == "" {
		t.Skip("no Terraform CLI: set TF_ACC_TERRAFORM_PATH or put terraform on PATH")
	}
	return cli
}

// serveProvider serves the provider in this process until the test ends and returns the
// TF_REATTACH_PROVIDERS value that points the CLI at it, under the address that CLI gives
// `source = "cobo-terraform/cobo"` (OpenTofu's registry host differs).
func serveProvider(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	configCh, closeCh, served := make(chan *plugin.ReattachConfig, 1), make(chan struct{}), make(chan error, 1)
	go func() {
		served <- tf6server.Serve(Address, NewServer("test"), tf6server.WithDebug(ctx, configCh, closeCh),
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()), tf6server.WithLoggingSink(t), tf6server.WithoutLogStderrOverride())
	}()
	var c *plugin.ReattachConfig
	select {
	case c = <-configCh:
	case err := <-served:
		cancel()
		t.Fatalf("serving the provider: %v", err)
	}
	t.Cleanup(func() { cancel(); <-closeCh })
	address := Address
	if isOpenTofu() {
		address = strings.Replace(Address, "registry.terraform.io", "registry.opentofu.org", 1)
	}
	info, err := json.Marshal(tfexec.ReattachInfo{address: {
		Protocol: string(c.Protocol), ProtocolVersion: c.ProtocolVersion, Pid: c.Pid, Test: c.Test,
		Addr: tfexec.ReattachConfigAddr{Network: c.Addr.Network(), String: c.Addr.String()},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return string(info)
}

// requiredProviders names the provider by its registry address, which TF_REATTACH_PROVIDERS serves.
const requiredProviders = "terraform {\n  required_providers {\n    cobo = {\n      source = \"cobo-terraform/cobo\"\n    }\n  }\n}\n"

func (w *cliWorkspace) write(name, content string) {
	w.t.Helper()
	if err := os.WriteFile(filepath.Join(w.dir, name), []byte(content), 0o644); err != nil {
		w.t.Fatal(err)
	}
}

// run runs the CLI with args (and -no-color); it returns the combined output and the exit code,
// failing the test when the command could not run at all.
func (w *cliWorkspace) run(args ...string) (string, int) {
	w.t.Helper()
	cmd := exec.CommandContext(w.t.Context(), w.cli, append(args, "-no-color")...)
	cmd.Dir, cmd.Env = w.dir, w.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		w.t.Fatalf("terraform %s: %v", strings.Join(args, " "), err)
	}
	return out.String(), cmd.ProcessState.ExitCode()
}

// mustRun runs the CLI and fails the test unless it exits 0.
func (w *cliWorkspace) mustRun(args ...string) string {
	w.t.Helper()
	out, code := w.run(args...)
	if code != 0 {
		w.t.Fatalf("terraform %s exited %d:\n%s", strings.Join(args, " "), code, out)
	}
	return out
}
