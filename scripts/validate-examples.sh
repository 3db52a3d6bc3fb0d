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
# Examples of features newer than the CLI (import by identity: 1.12; list resources in .tfquery.hcl
# files and actions: 1.14) are validated with TERRAFORM_NEWEST, or with TERRAFORM itself when it is a
# Terraform >= 1.14; without such a CLI they are skipped with a message. The rest of their directory is
# still validated with TERRAFORM. A directory named terraform-X.Y (examples of features of Terraform
# X.Y, such as examples/resources/cobo_payment_order/terraform-1.16) is validated whole with whichever of
# TERRAFORM_NEWEST and TERRAFORM is a Terraform >= X.Y, and skipped with a message without one.
#
# Usage: scripts/validate-examples.sh   (or make validate-examples). TERRAFORM overrides the binary;
# TERRAFORM_NEWEST names a Terraform >= 1.14 for the newest examples.
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
    "registry.opentofu.org/cobo-terraform/cobo" = "$tmp/bin"
  }
}
EOF

failed=0
passed=0
skipped=0

# cli_version prints "Terraform 1.16.4" or "OpenTofu 1.12.6" (the CLI configuration is already set, so
# OpenTofu prints no warnings before it).
cli_version() {
	"$1" version 2>/dev/null | sed -nE 's/^(Terraform|OpenTofu) v([0-9.]+).*/\1 \2/p' | head -n1
}
# at_least VERSION CLI succeeds for a Terraform (not OpenTofu) of VERSION or later.
at_least() {
	local v
	v=$(cli_version "$2")
	[ "${v%% *}" = Terraform ] && printf '%s\n%s\n' "$1" "${v#* }" | sort -V -C
}
at_least_1_14() { at_least 1.14.0 "$1"; }
newest="${TERRAFORM_NEWEST:-}"
if [ -z "$newest" ] && at_least_1_14 "$terraform"; then
	newest="$terraform"
fi
if [ -n "$newest" ] && ! at_least_1_14 "$newest"; then
	echo "validate-examples: TERRAFORM_NEWEST=$newest is not Terraform >= 1.14" >&2
	exit 1
fi

echo "validate-examples: terraform fmt -check -recursive examples"
if ! "$terraform" fmt -check -recursive -diff examples; then
	echo "validate-examples: examples/ is not formatted: run make fmt (or make generate)" >&2
	failed=$((failed + 1))
fi


# validate LABEL CLI FLAG FILE...: `CLI validate FLAG` of the FILEs, copied into a fresh directory
# (FLAG is -query or empty).
validate() {
	local label=$1 cli=$2 flag=$3 work
	shift 3
	work="$tmp/work/$label"
	mkdir -p "$work"
	cp "$@" "$work/"
	if out="$("$cli" -chdir="$work" validate -no-color $flag 2>&1)"; then
		echo "ok    $label ($(cli_version "$cli"))"
		passed=$((passed + 1))
	else
		echo "FAIL  $label ($(cli_version "$cli"))"
		printf '%s\n' "$out" | sed 's/^/      /'
		failed=$((failed + 1))
	fi
}

# validate_for_version DIR X.Y: DIR with the first of TERRAFORM_NEWEST and TERRAFORM that is a
# Terraform >= X.Y, or a skip.
validate_for_version() {
	local dir=$1 need=$2 cli files
	for cli in "$newest" "$terraform"; do
		if [ -n "$cli" ] && at_least "$need.0" "$cli"; then
			mapfile -t files < <(find "$dir" -maxdepth 1 -type f \( -name '*.tf' -o -name '*.tfvars' \) | LC_ALL=C sort)
			validate "$dir" "$cli" "" "${files[@]}"
			return
		fi
	done
	echo "skip  $dir: needs Terraform >= $need (set TERRAFORM_NEWEST to one)"
	skipped=$((skipped + 1))
}

# Examples directories: every one with a .tf or .tfquery.hcl file.
mapfile -t dirs < <(find examples -name .terraform -prune -o -type f \( -name '*.tf' -o -name '*.tfquery.hcl' \) -printf '%h\n' | LC_ALL=C sort -u)
for dir in "${dirs[@]}"; do
	if [[ "$(basename "$dir")" =~ ^terraform-([0-9]+\.[0-9]+)$ ]]; then
		validate_for_version "$dir" "${BASH_REMATCH[1]}"
		continue
	fi
	# Configuration files only: never a .terraform directory, state or lock file of a local run.
	mapfile -t files < <(find "$dir" -maxdepth 1 -type f \( -name '*.tf' -o -name '*.tf.json' -o -name '*.tfvars' \) | LC_ALL=C sort)
	mapfile -t queries < <(find "$dir" -maxdepth 1 -type f -name '*.tfquery.hcl' | LC_ALL=C sort)
	# A directory of queries alone (examples/list-resources/*: the docs show only the query) takes its
	# provider requirements from the one versions.tf beside it.
	if [ "${#files[@]}" -eq 0 ] && [ -f "$(dirname "$dir")/versions.tf" ]; then
		files=("$(dirname "$dir")/versions.tf")
	fi
	# Files using import by identity, list or action blocks, action_trigger, or requiring Terraform
	# >= 1.12, need a newer CLI than TERRAFORM may be; the others are validated on their own with TERRAFORM.
	new=("${queries[@]}")
	old=()
	for f in "${files[@]}"; do
		if grep -qE '^[[:space:]]*(identity[[:space:]]*=|action[[:space:]]+"|action_trigger[[:space:]]*\{|list[[:space:]]+"|required_version[[:space:]]*=[[:space:]]*">=[[:space:]]*1\.1[2-9])' "$f"; then
			new+=("$f")
		else
			old+=("$f")
		fi
	done
	if [ "${#old[@]}" -gt 0 ]; then
		validate "$dir" "$terraform" "" "${old[@]}"
	fi
	if [ "${#new[@]}" -eq 0 ]; then
		continue
	fi
	if [ -z "$newest" ]; then
		echo "skip  $dir: ${new[*]##*/} need Terraform >= 1.14 (set TERRAFORM_NEWEST to one)"
		skipped=$((skipped + 1))
		continue
	fi
	query_flag=""
	[ "${#queries[@]}" -gt 0 ] && query_flag="-query"
	validate "$dir (all files)" "$newest" "$query_flag" "${files[@]}" "${queries[@]}"
done

echo "validate-examples: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
