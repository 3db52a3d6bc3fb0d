// Package devtf is what the repository's own tools (make demo, make bench) share to run Terraform
// against a provider built from this checkout, offline.
package devtf

import (
	"fmt"
	"os"
	"os/exec"
	"testing"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/provider"
)

// OpenTofuAddress is the provider's address for OpenTofu: OpenTofu resolves the source
// "cobo-terraform/cobo" on its own registry, so its dev_overrides must name that host.
const OpenTofuAddress = "registry.opentofu.org/cobo-terraform/cobo"

// CLIConfig is a Terraform or OpenTofu CLI configuration (for TF_CLI_CONFIG_FILE) whose dev_overrides
// make the CLI use the provider binary in binDir instead of installing one; no init is needed. It
// overrides both addresses, so the same file serves Terraform and OpenTofu (each ignores the other's).
func CLIConfig(binDir string) string {
	return fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n    %q = %q\n  }\n  direct {}\n}\n",
		provider.Address, binDir, OpenTofuAddress, binDir)
}

// CLIForTests is the Terraform (or OpenTofu) CLI a test that drives it runs: TF_ACC_TERRAFORM_PATH,
// as make test sets it, else terraform on PATH. Without either the test is skipped, saying so.
func CLIForTests(t testing.TB) string {
	t.Helper()
	if cli := os.Getenv("TF_ACC_TERRAFORM_PATH"); cli != "" {
		return cli
	}
	cli, err := exec.LookPath("terraform")
	if err != nil {
		t.Skip("needs a Terraform or OpenTofu CLI: set TF_ACC_TERRAFORM_PATH (make test does) or put terraform on PATH")
	}
	return cli
}
