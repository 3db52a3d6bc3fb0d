# Terraform 1.14 and later. Expire an order, managed by Terraform or not:
#   terraform apply -invoke=action.cobo_payment_order_expire.stale
action "cobo_payment_order_expire" "stale" {
  config {
    order_id = "O20250304-000042"
  }
}

# Or as part of a change: expire the previous invoice once its replacement exists.
resource "cobo_payment_order" "invoice_v2" {
  merchant_id      = "M1001"
  psp_order_code   = "inv-2026-0001-v2"
  payable_currency = "ETH_USDT"
  pricing_currency = "USD"
  pricing_amount   = "120.00"
  fee_amount       = "2.00"

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.cobo_payment_order_expire.stale]
    }
  }
}
