package main

import (
	"os"
	"strings"
	"testing"
)

// A warning is shown with its text, not its title alone; its source lines and the dev_overrides
// warning are left out.
func TestSummarizeShowsWarningText(t *testing.T) {
	t.Parallel()
	out := `
Warning: Provider development overrides are in effect

The following provider development overrides are set in the CLI
configuration:
 - cobo-terraform/cobo in /tmp/x/bin

cobo_payment_order.invoice_a: Destroying... [id=O1]
cobo_payment_order.invoice_a: Destruction complete after 0s

Warning: Pay-in order left in Cobo

  with cobo_payment_order.invoice_a,
  on main.tf line 10, in resource "cobo_payment_order" "invoice_a":
  10: resource "cobo_payment_order" "invoice_a" {

Order O1 is Completed. Cobo has no delete and only
expires Pending orders, so the order was only removed from the Terraform
state; it remains in Cobo.

Destroy complete! Resources: 1 destroyed.
`
	got := strings.Join(summarize(out), "\n")
	want := `cobo_payment_order.invoice_a: Destroying... [id=O1]
cobo_payment_order.invoice_a: Destruction complete after 0s
Warning: Pay-in order left in Cobo
  Order O1 is Completed. Cobo has no delete and only
  expires Pending orders, so the order was only removed from the Terraform
  state; it remains in Cobo.
Destroy complete! Resources: 1 destroyed.`
	if got != want {
		t.Errorf("summarize:\n%s\n\nwant:\n%s", got, want)
	}
}

// The headings name the CLI the demo drives: tofu for OpenTofu (TERRAFORM=tofu make demo).
func TestCLIName(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for name, version := range map[string]string{"terraform": "Terraform v1.11.4\non linux_amd64", "tofu": "OpenTofu v1.12.6\non linux_amd64"} {
		script := dir + "/" + name
		if err := os.WriteFile(script, []byte("#!/bin/sh\nprintf '%s\\n' '"+version+"'\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		if got := cliName(t.Context(), script); got != name {
			t.Errorf("cliName for %q = %q, want %q", version, got, name)
		}
	}
}
