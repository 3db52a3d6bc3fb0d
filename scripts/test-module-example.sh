#!/usr/bin/env bash
# Runs `terraform test` in examples/testing (the guide "Test your module offline") against a
# cobo-sandbox it starts on a free loopback port and stops on exit, also on failure or Ctrl-C.
#
# The provider and cobo-sandbox are built from this checkout. Terraform finds the provider through a
# temporary CLI configuration whose dev_overrides point at that build, so there is no `terraform init`
# and no registry: `terraform get` only records the local helper module the test uses (tests/pay).
# terraform test needs Terraform >= 1.6; with an older terraform this script says so and skips.
#
# Usage: scripts/test-module-example.sh   (or make test-module-example). TERRAFORM overrides the binary.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

terraform="${TERRAFORM:-$(command -v terraform || true)}"
if [ -z "$terraform" ]; then
	echo "test-module-example: terraform not found on PATH (Terraform >= 1.6 is needed for terraform test)" >&2
	exit 1
fi
version="$(TF_CLI_CONFIG_FILE=/dev/null CHECKPOINT_DISABLE=1 "$terraform" version -json | sed -n 's/.*"terraform_version": *"\([0-9][0-9.]*\).*/\1/p')"
IFS=. read -r major minor _ <<<"$version"
if [ -z "$version" ] || [ "$major" -lt 1 ] || { [ "$major" -eq 1 ] && [ "$minor" -lt 6 ]; }; then
	echo "test-module-example: SKIPPED: $terraform is version ${version:-unknown}; terraform test needs >= 1.6"
	exit 0
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/cobo-test-module.XXXXXX")"
sandbox_pid=""
cleanup() {
	if [ -n "$sandbox_pid" ]; then
		kill "$sandbox_pid" 2>/dev/null || true
		wait "$sandbox_pid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
export TF_CLI_CONFIG_FILE="$tmp/terraformrc"
unset TF_DATA_DIR TF_PLUGIN_CACHE_DIR TF_WORKSPACE TF_CLI_ARGS TF_CLI_ARGS_test TF_CLI_ARGS_get

echo "test-module-example: building the provider and cobo-sandbox"
go build -o "$tmp/bin/terraform-provider-cobo" .
go build -o "$tmp/bin/cobo-sandbox" ./cmd/cobo-sandbox

# Both registry hosts, so that OpenTofu (registry.opentofu.org) finds the override too.
cat >"$TF_CLI_CONFIG_FILE" <<CONFIG
provider_installation {
  dev_overrides {
    "registry.terraform.io/cobo-terraform/cobo" = "$tmp/bin"
    "registry.opentofu.org/cobo-terraform/cobo" = "$tmp/bin"
  }
}
CONFIG

"$tmp/bin/cobo-sandbox" -addr 127.0.0.1:0 -quiet >"$tmp/sandbox.out" 2>&1 &
sandbox_pid=$!
for _ in $(seq 100); do
	grep -q '^export COBO_API_SECRET=' "$tmp/sandbox.out" && break
	kill -0 "$sandbox_pid" 2>/dev/null || { cat "$tmp/sandbox.out" >&2; exit 1; }
	sleep 0.1
done
eval "$(grep '^export COBO_' "$tmp/sandbox.out")"
echo "test-module-example: cobo-sandbox at $COBO_HOST"

mkdir -p "$tmp/work"
cp -R examples/testing/. "$tmp/work/"
rm -rf "$tmp/work/.terraform" "$tmp/work"/terraform.tfstate*
"$terraform" -chdir="$tmp/work" get -no-color >/dev/null
# The README's walkthrough first (its order takes psp_order_code inv-0001), then the test twice on the
# same sandbox and secret: each run's codes have a prefix of their own, so none is taken (2040).
"$tmp/bin/cobo-sandbox" orders create -merchant-id M1001 -psp-order-code inv-0001 -payable-currency ETH_USDT \
	-pricing-currency USD -pricing-amount 100.00 -fee-amount 2.00 >/dev/null
for pass in 1 2; do
	echo "test-module-example: terraform test, run $pass on this sandbox"
	PATH="$tmp/bin:$PATH" "$terraform" -chdir="$tmp/work" test -no-color
done
