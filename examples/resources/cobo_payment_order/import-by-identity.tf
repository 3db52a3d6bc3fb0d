# Terraform 1.12 and later (and OpenTofu 1.12): import by the order's identity, its Cobo order ID.
# `terraform query -generate-config-out=orders.tf` (Terraform 1.14) writes such blocks for every order
# a list block finds: see the cobo_payment_order list resource.
import {
  to = cobo_payment_order.adopted
  identity = {
    order_id = "O20250304-000043"
  }
}

resource "cobo_payment_order" "adopted" {
  merchant_id      = "M1001"
  psp_order_code   = "legacy-0002"
  payable_currency = "TRON_USDT"
  payable_amount   = "12.00"
  fee_amount       = "0"
}
