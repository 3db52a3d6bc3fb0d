# Refund part of a paid order from its merchant's balance. The merchant is charged a 0.50 fee, which
# goes to the developer: the payer receives 9.50 (`amount`).
resource "cobo_payment_refund" "partial" {
  request_id          = "refund-inv-2026-0001-1" # the idempotency key: unique within your organization
  refund_type         = "Merchant"
  merchant_id         = "M1001"
  order_id            = "O20250304-000042" # checked at apply: paid, and in token_id
  token_id            = "ETH_USDT"
  payable_amount      = "10.00"
  to_address          = "0x3f5CE5FBFe3E9af3971dD833D26bA9b5C936f0bE"
  charge_merchant_fee = true
  merchant_fee_amount = "0.50"
}

# Refund from the developer balance, address to come: the refund waits in PendingConfirmation until
# to_address is set (an update in place). Destroying it cancels it while Cobo still allows.
resource "cobo_payment_refund" "goodwill" {
  request_id     = "goodwill-2026-0007"
  refund_type    = "Psp"
  token_id       = "TRON_USDT"
  payable_amount = "5.00"
}

output "refund_status" {
  value = cobo_payment_refund.partial.status # Pending, Processing, then Completed: no diff as it moves
}
