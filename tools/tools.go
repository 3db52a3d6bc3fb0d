//go:build generate

// Package tools pins this repository's development tools in tools/go.mod, apart from the provider's
// own module: tfplugindocs renders docs/ and golangci-lint runs `make lint`. The generate build tag
// keeps this file out of every build; `go generate` sets that tag, so the directives below run from
// `make generate` (cd tools && go generate ./...).
package tools

import (
	_ "github.com/golangci/golangci-lint/v2/cmd/golangci-lint"
	_ "github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs"
)

// Format the examples, which the documentation includes verbatim. This also fails early when
// terraform is not on PATH: tfplugindocs would then try to download one.
//go:generate terraform fmt -recursive ../examples/

// Render docs/ from templates/, examples/ and the provider's schema. Without --tf-version (which would
// download Terraform) and without --providers-schema, tfplugindocs builds the provider, installs it in
// a temporary -plugin-dir and runs `terraform init` and `terraform providers schema -json` there with
// the terraform found on PATH: nothing is fetched from a registry or the network.
//go:generate go run github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs generate --provider-dir .. --provider-name cobo
