# Terraform 1.12 and later (and OpenTofu 1.12): import by the refund's identity, its Cobo refund ID.
import {
  to = cobo_payment_refund.imported
  identity = {
    refund_id = "R20250304-M1001-000002"
  }
}

resource "cobo_payment_refund" "imported" {
  request_id     = "legacy-refund-2"
  refund_type    = "Psp"
  token_id       = "ETH_USDT"
  payable_amount = "3.00"
}
