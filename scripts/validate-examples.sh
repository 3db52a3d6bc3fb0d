#!/usr/bin/env bash
# Checks every example configuration under examples/ (the ones docs/ includes and examples/demo):
# `terraform fmt -check`, then `terraform validate` in a temporary copy of each directory against the
# provider built from this checkout.
#
# Terraform finds the provider through a temporary CLI configuration whose dev_overrides point
# registry.terraform.io/cobo-terraform/cobo at the fresh build, so no `terraform init`, registry or
# network is needed, and the user's ~/.terraformrc (or TF_CLI_CONFIG_FILE) is never read. Everything
# it makes is removed on exit, also on failure or Ctrl-C.
#
# Usage: scripts/validate-examples.sh   (or make validate-examples). TERRAFORM overrides the binary.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

terraform="${TERRAFORM:-$(command -v terraform || true)}"
if [ -z "$terraform" ]; then
	echo "validate-examples: terraform not found on PATH (Terraform >= 1.5 is needed)" >&2
	exit 1
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/cobo-validate-examples.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
export TF_CLI_CONFIG_FILE="$tmp/terraformrc"
unset TF_DATA_DIR TF_PLUGIN_CACHE_DIR TF_WORKSPACE TF_CLI_ARGS TF_CLI_ARGS_validate TF_CLI_ARGS_fmt

echo "validate-examples: building the provider"
go build -o "$tmp/bin/terraform-provider-cobo" .

# Only the override: any other provider would have to be installed, which this script never does.
cat >"$TF_CLI_CONFIG_FILE" <<EOF
provider_installation {
  dev_overrides {
    "registry.terraform.io/cobo-terraform/cobo" = "$tmp/bin"
  }
}
EOF

failed=0
passed=0

echo "validate-examples: terraform fmt -check -recursive examples"
if ! "$terraform" fmt -check -recursive -diff examples; then
	echo "validate-examples: examples/ is not formatted: run make fmt (or make generate)" >&2
	failed=$((failed + 1))
fi

# Every directory that holds a .tf file is one configuration.
mapfile -t dirs < <(find examples -name .terraform -prune -o -type f -name '*.tf' -printf '%h\n' | LC_ALL=C sort -u)
if [ "${#dirs[@]}" -eq 0 ]; then
	echo "validate-examples: no example configurations found under examples/" >&2
	exit 1
fi

for dir in "${dirs[@]}"; do
	work="$tmp/work/$dir"
	mkdir -p "$work"
	# Configuration files only: never a .terraform directory, state or lock file of a local run.
	find "$dir" -maxdepth 1 -type f \( -name '*.tf' -o -name '*.tf.json' -o -name '*.tfvars' \) -exec cp {} "$work/" \;
	if out="$("$terraform" -chdir="$work" validate -no-color 2>&1)"; then
		echo "ok    $dir"
		passed=$((passed + 1))
	else
		echo "FAIL  $dir"
		printf '%s\n' "$out" | sed 's/^/      /'
		failed=$((failed + 1))
	fi
done

echo "validate-examples: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
