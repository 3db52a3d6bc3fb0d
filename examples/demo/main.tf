# The demo configuration `make demo` applies against the sandbox: a merchant, two pay-in orders (one
# for that merchant, read back through the data source; one expired by flipping `expired`), a partial
# refund of the paid order, the balances it moves, and the webhook endpoint through which the
# merchant's app hears of all of it. The provider reads COBO_HOST and COBO_API_SECRET from the
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

variable "refund_invoice_a" {
  description = "Set to true to refund part of invoice A (once it is paid)."
  type        = bool
  default     = false
}

variable "webhook_url" {
  description = "The app's webhook receiver; the demo serves one on a free loopback port (http is accepted only for loopback hosts)."
  type        = string
}

# Cobo signs and sends these events to the app: every status change of an order or a refund, every
# payment into an order, and every change of a balance. Destroy revokes the endpoint (Cobo has no delete).
resource "cobo_webhook_endpoint" "app" {
  url = var.webhook_url
  subscribed_events = [
    "payment.order.status.updated",
    "payment.transaction.created",
    "payment.transaction.completed",
    "payment.refund.status.updated",
    "payment.account.balance.updated",
  ]
  description = "make demo: the app's order, refund and balance events"
}

# The shop invoice A is paid to. Cobo cannot delete merchants: destroy leaves it in Cobo, with a warning.
resource "cobo_payment_merchant" "shop" {
  name = "Demo Shop (${var.run_id})"
}

# Priced in USD: Cobo derives the ETH_USDT amount to pay. Paid, it splits 100 : 2 between the shop's
# balance and the developer's.
resource "cobo_payment_order" "invoice_a" {
  merchant_id      = cobo_payment_merchant.shop.merchant_id
  psp_order_code   = "${var.run_id}-invoice-a"
  payable_currency = "ETH_USDT"
  pricing_currency = "USD"
  pricing_amount   = "100.00"
  fee_amount       = "2.00"
  expired_in       = 3600
}

# Priced directly in the token, for the organization's default merchant, and expired when
# var.expire_invoice_b is true.
resource "cobo_payment_order" "invoice_b" {
  merchant_id      = "M1001"
  psp_order_code   = "${var.run_id}-invoice-b"
  payable_currency = "TRON_USDT"
  payable_amount   = "25.00"
  fee_amount       = "0"
  expired          = var.expire_invoice_b
}

# 10.00 of invoice A back to the payer, from the shop's balance; the shop is charged a 0.50 fee, which
# goes to the developer balance, so the payer receives 9.50. With to_address the refund goes Pending,
# Processing, Completed on the sandbox clock.
resource "cobo_payment_refund" "invoice_a" {
  count               = var.refund_invoice_a ? 1 : 0
  request_id          = "${var.run_id}-invoice-a-refund-1"
  refund_type         = "Merchant"
  merchant_id         = cobo_payment_merchant.shop.merchant_id
  order_id            = cobo_payment_order.invoice_a.order_id
  token_id            = cobo_payment_order.invoice_a.payable_currency
  payable_amount      = "10.00"
  to_address          = "0x3f5CE5FBFe3E9af3971dD833D26bA9b5C936f0bE"
  charge_merchant_fee = true
  merchant_fee_amount = "0.50"
}

# The shop's and the developer's balance in invoice A's token. depends_on reads them after the refund
# is created, not at plan, so the apply that creates it shows the balance it took.
data "cobo_payment_balances" "invoice_a" {
  merchant_ids = [cobo_payment_merchant.shop.merchant_id]
  token_id     = cobo_payment_order.invoice_a.payable_currency
  depends_on   = [cobo_payment_refund.invoice_a]
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

output "refund" {
  value = one([for r in cobo_payment_refund.invoice_a : {
    refund_id           = r.refund_id
    status              = r.status
    payable_amount      = r.payable_amount
    amount              = r.amount
    token_id            = r.token_id
    merchant_fee_amount = r.merchant_fee_amount
  }])
}

output "balances" {
  value = {
    merchant_id = cobo_payment_merchant.shop.merchant_id
    token_id    = cobo_payment_order.invoice_a.payable_currency
    shop        = one(data.cobo_payment_balances.invoice_a.merchants[*].total_balance)
    developer   = data.cobo_payment_balances.invoice_a.developer.total_balance
  }
}
