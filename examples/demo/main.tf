# The demo configuration `make demo` applies against the sandbox: two pay-in orders, one read back
# through the data source, one expired by flipping `expired`, and the webhook endpoint through which
# the merchant's app hears of both. The provider reads COBO_HOST and COBO_API_SECRET from the
# environment, which the demo sets, with TF_VAR_webhook_url. With Terraform 1.14 and later the demo
# adds actions.tf and actions_override.tf, which ping the endpoint with a test event.
terraform {
  required_providers {
    cobo = {
      source = "cobo-terraform/cobo"
    }
  }
}

provider "cobo" {}

variable "run_id" {
  description = "Makes the psp_order_codes unique, so the demo can run again against the same sandbox."
  type        = string
  default     = "demo"
}

variable "expire_invoice_b" {
  description = "Set to true to expire invoice B."
  type        = bool
  default     = false
}

variable "webhook_url" {
  description = "The app's webhook receiver; the demo serves one on a free loopback port (http is accepted only for loopback hosts)."
  type        = string
}

# Cobo signs and sends these events to the app: every status change of an order, and every payment
# into one. Destroy revokes the endpoint (Cobo has no delete).
resource "cobo_webhook_endpoint" "app" {
  url = var.webhook_url
  subscribed_events = [
    "payment.order.status.updated",
    "payment.transaction.created",
    "payment.transaction.completed",
  ]
  description = "make demo: the app's order events"
}

# Priced in USD: Cobo derives the ETH_USDT amount to pay.
resource "cobo_payment_order" "invoice_a" {
  merchant_id      = "M1001"
  psp_order_code   = "${var.run_id}-invoice-a"
  payable_currency = "ETH_USDT"
  pricing_currency = "USD"
  pricing_amount   = "100.00"
  fee_amount       = "2.00"
  expired_in       = 3600
}

# Priced directly in the token, and expired when var.expire_invoice_b is true.
resource "cobo_payment_order" "invoice_b" {
  merchant_id      = "M1001"
  psp_order_code   = "${var.run_id}-invoice-b"
  payable_currency = "TRON_USDT"
  payable_amount   = "25.00"
  fee_amount       = "0"
  expired          = var.expire_invoice_b
}

# Live state of invoice A, as a payments dashboard would read it.
data "cobo_payment_order" "invoice_a" {
  order_id = cobo_payment_order.invoice_a.order_id
}

output "orders" {
  value = {
    invoice_a = {
      order_id              = data.cobo_payment_order.invoice_a.order_id
      psp_order_code        = data.cobo_payment_order.invoice_a.psp_order_code
      status                = data.cobo_payment_order.invoice_a.status
      payable_amount        = data.cobo_payment_order.invoice_a.payable_amount
      payable_currency      = data.cobo_payment_order.invoice_a.payable_currency
      received_token_amount = data.cobo_payment_order.invoice_a.received_token_amount
      receive_address       = data.cobo_payment_order.invoice_a.receive_address
    }
    invoice_b = {
      order_id              = cobo_payment_order.invoice_b.order_id
      psp_order_code        = cobo_payment_order.invoice_b.psp_order_code
      status                = cobo_payment_order.invoice_b.status
      payable_amount        = cobo_payment_order.invoice_b.payable_amount
      payable_currency      = cobo_payment_order.invoice_b.payable_currency
      received_token_amount = cobo_payment_order.invoice_b.received_token_amount
      receive_address       = cobo_payment_order.invoice_b.receive_address
    }
  }
}
