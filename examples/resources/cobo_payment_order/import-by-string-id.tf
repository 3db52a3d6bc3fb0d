# Adopt an order created outside Terraform (by Cobo's SDKs or the Cobo Portal). The resource block
# must repeat the order's inputs: a changed input would need a new order with a new psp_order_code.
# `terraform plan -generate-config-out=generated.tf` can write this block for you.
import {
  to = cobo_payment_order.legacy
  id = "O20250304-000042"
}

resource "cobo_payment_order" "legacy" {
  merchant_id      = "M1001"
  psp_order_code   = "legacy-0001"
  payable_currency = "ETH_USDT"
  payable_amount   = "50.00"
  fee_amount       = "0"
}
