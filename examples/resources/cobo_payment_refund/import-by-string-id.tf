# Adopt a refund created outside Terraform (in Cobo Portal, or by Cobo's SDKs) by its refund ID. The
# configuration repeats its request_id and money: amount, token, type, merchant, order and fee.
import {
  to = cobo_payment_refund.legacy
  id = "R20250304-M1001-000001"
}

resource "cobo_payment_refund" "legacy" {
  request_id          = "refund-inv-2026-0001-1"
  refund_type         = "Merchant"
  merchant_id         = "M1001"
  order_id            = "O20250304-000042"
  token_id            = "ETH_USDT"
  payable_amount      = "10.00"
  charge_merchant_fee = true
  merchant_fee_amount = "0.50"
}
