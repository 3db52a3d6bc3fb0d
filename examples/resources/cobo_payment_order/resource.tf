# Priced in USD: Cobo converts 100.00 USD plus the 2.00 USD fee into the ETH_USDT amount to pay.
resource "cobo_payment_order" "invoice" {
  merchant_id      = "M1001"
  psp_order_code   = "inv-2026-0001" # unique within your Cobo organization, forever
  payable_currency = "ETH_USDT"
  pricing_currency = "USD"
  pricing_amount   = "100.00"
  fee_amount       = "2.00"
  amount_tolerance = "0.5" # a payment up to 0.5 ETH_USDT short still completes the order
  expired_in       = 3600  # seconds; Cobo's default is 1800
}

# Priced directly in the token. Set expired = true to stop payments into it while it is Pending.
resource "cobo_payment_order" "deposit" {
  merchant_id         = "M1001"
  psp_order_code      = "dep-2026-0042"
  merchant_order_code = "shop-7-order-981" # the downstream merchant's own reference
  payable_currency    = "TRON_USDT"
  payable_amount      = "25.00"
  fee_amount          = "0"
  expired             = false

  # Cobo cannot delete orders. With false, terraform destroy leaves a Pending order payable and only
  # forgets it; the default (true) expires it first.
  expire_on_destroy = false
}

output "invoice_payment_instructions" {
  value = "Send ${cobo_payment_order.invoice.payable_amount} ${cobo_payment_order.invoice.payable_currency} on ${cobo_payment_order.invoice.chain_id} to ${cobo_payment_order.invoice.receive_address}"
}

output "invoice_expires_at" {
  value = cobo_payment_order.invoice.expired_at # UNIX seconds
}

output "invoice_status" {
  value = cobo_payment_order.invoice.status
}
