# A module under test: one pay-in order per invoice. Its test, tests/orders.tftest.hcl, runs with
# `terraform test` against a local cobo-sandbox (see the guide "Test your module offline").
terraform {
  required_providers {
    cobo = {
      source = "cobo-terraform/cobo"
    }
  }
}

variable "merchant_id" {
  description = "The Cobo merchant that collects the invoices."
  type        = string
}

variable "code_prefix" {
  description = "Prepended to each invoice's key to make its psp_order_code, such as \"shop-eu-\"; codes must be unique within the Cobo organization."
  type        = string
  default     = ""
}

variable "invoices" {
  description = "Invoices to collect: psp_order_code => amount in USD, such as { \"inv-0001\" = \"100.00\" }."
  type        = map(string)
}

resource "cobo_payment_order" "invoice" {
  for_each = var.invoices

  merchant_id      = var.merchant_id
  psp_order_code   = "${var.code_prefix}${each.key}"
  payable_currency = "ETH_USDT"
  pricing_currency = "USD"
  pricing_amount   = each.value
  fee_amount       = "1.00"
  expired_in       = 3600
}

output "order_ids" {
  description = "The Cobo order id of each invoice, by its key in var.invoices."
  value       = { for code, order in cobo_payment_order.invoice : code => order.order_id }
}

output "statuses" {
  description = "The status of each invoice's order, as of the last refresh."
  value       = { for code, order in cobo_payment_order.invoice : code => order.status }
}
