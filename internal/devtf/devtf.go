// Package devtf is what the repository's own tools (make demo, make bench) share to run Terraform
// against a provider built from this checkout, offline.
package devtf

import (
	"fmt"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/provider"
)

// CLIConfig is a Terraform CLI configuration (for TF_CLI_CONFIG_FILE) whose dev_overrides make
// Terraform use the provider binary in binDir instead of installing one; no terraform init is needed.
func CLIConfig(binDir string) string {
	return fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n", provider.Address, binDir)
}
