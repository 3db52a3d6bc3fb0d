package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

const providerHeader = `terraform {
  required_providers {
    cobo = {
      source = "cobo-terraform/cobo"
    }
  }
}

# COBO_HOST and COBO_API_SECRET come from the provider process's environment.
provider "cobo" {}
`

// withReadAhead sets the provider's read_ahead argument in a generated configuration (the default,
// true, leaves the provider block empty).
func withReadAhead(cfg string, on bool) string {
	if on {
		return cfg
	}
	return strings.Replace(cfg, `provider "cobo" {}`, "provider \"cobo\" {\n  read_ahead = false\n}", 1)
}

// dataConfig is scenario (a): one data "cobo_payment_order" block per order.
func dataConfig(ids []string) string {
	var b strings.Builder
	b.WriteString(providerHeader)
	for i, id := range ids {
		fmt.Fprintf(&b, "\ndata \"cobo_payment_order\" \"o%04d\" {\n  order_id = %q\n}\n", i, id)
	}
	return b.String()
}

// resourceConfig is scenario (b): one cobo_payment_order per seeded order, with the inputs it was
// created with (expired_in is left out: Cobo does not return it, so an imported order has none), and,
// for the first apply only, an import block per order.
func resourceConfig(ids []string, run string, withImports bool) string {
	var b strings.Builder
	b.WriteString(providerHeader)
	for i, id := range ids {
		if withImports {
			fmt.Fprintf(&b, "\nimport {\n  to = cobo_payment_order.o%04d\n  id = %q\n}\n", i, id)
		}
		fmt.Fprintf(&b, `
resource "cobo_payment_order" "o%04d" {
  merchant_id      = "M1001"
  psp_order_code   = %q
  payable_currency = "ETH_USDT"
  pricing_currency = "USD"
  pricing_amount   = "100.00"
  fee_amount       = "2.00"
}
`, i, pspCode(run, i))
	}
	return b.String()
}

// terraformDataConfig is floor (c): N terraform_data resources (Terraform's built-in provider).
func terraformDataConfig(ids []string) string {
	var b strings.Builder
	b.WriteString("# Terraform's own floor: N resources of the built-in terraform_data, no external provider.\n")
	for i, id := range ids {
		fmt.Fprintf(&b, "\nresource \"terraform_data\" \"o%04d\" {\n  input = %q\n}\n", i, id)
	}
	return b.String()
}

func writeConfig(dir, content string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "main.tf"), []byte(content), 0o644)
}
