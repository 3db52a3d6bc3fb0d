package provider

import (
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
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
)

// terraformCLI runs the Terraform CLI in a directory of its own against this provider, served
// in-process and attached through TF_REATTACH_PROVIDERS as terraform-plugin-testing does it. Tests use
// it where they need what Terraform prints, such as how many times a warning appears, which
// terraform-plugin-testing does not expose.
type terraformCLI struct {
	t   *testing.T
	dir string
	env []string
}

func newTerraformCLI(t *testing.T) *terraformCLI {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	reattach := make(chan *plugin.ReattachConfig, 1)
	closed := make(chan struct{})
	served := make(chan error, 1)
	go func() {
		served <- tf6server.Serve(Address, NewServer("test"), tf6server.WithDebug(ctx, reattach, closed),
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()))
	}()
	var cfg *plugin.ReattachConfig
	select {
	case cfg = <-reattach:
	case err := <-served:
		cancel()
		t.Fatalf("serving the provider: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		<-closed
	})
	type addr struct{ Network, String string }
	type reattachConfig struct {
		Protocol        string
		ProtocolVersion int
		Pid             int
		Test            bool
		Addr            addr
	}
	reattachJSON, err := json.Marshal(map[string]reattachConfig{Address: {
		Protocol: string(cfg.Protocol), ProtocolVersion: cfg.ProtocolVersion, Pid: cfg.Pid, Test: true,
		Addr: addr{Network: cfg.Addr.Network(), String: cfg.Addr.String()},
	}})
	if err != nil {
		t.Fatal(err)
	}
	rc, err := filepath.Abs("testdata/terraformrc")
	if err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "TF_REATTACH_PROVIDERS="+string(reattachJSON), "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_CLI_CONFIG_FILE="+rc)
	return &terraformCLI{t: t, dir: t.TempDir(), env: env}
}

// write sets the configuration (main.tf), after a required_providers block naming this provider.
func (c *terraformCLI) write(config string) {
	c.t.Helper()
	header := "terraform {\n  required_providers {\n    cobo = { source = \"cobo-terraform/cobo\" }\n  }\n}\n"
	if err := os.WriteFile(filepath.Join(c.dir, "main.tf"), []byte(header+config), 0o600); err != nil {
		c.t.Fatal(err)
	}
}

// run runs terraform with args (and -no-color) and returns its combined output and exit code.
func (c *terraformCLI) run(args ...string) (string, int) {
	c.t.Helper()
	bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if bin == "" {
		bin = "terraform"
	}
	cmd := exec.Command(bin, append(args, "-no-color")...)
	cmd.Dir, cmd.Env = c.dir, c.env
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return string(out), exit.ExitCode()
	case err != nil:
		c.t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out), 0
}

// mustRun runs terraform and fails the test unless it exits with want.
func (c *terraformCLI) mustRun(want int, args ...string) string {
	c.t.Helper()
	out, code := c.run(args...)
	if code != want {
		c.t.Fatalf("terraform %s exited %d, want %d:\n%s", strings.Join(args, " "), code, want, out)
	}
	return out
}
