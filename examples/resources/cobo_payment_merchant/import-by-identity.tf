# Terraform 1.12 and later (and OpenTofu 1.12): import by the merchant's identity, its Cobo merchant ID.
import {
  to = cobo_payment_merchant.legacy
  identity = {
    merchant_id = "M1002"
  }
}

resource "cobo_payment_merchant" "legacy" {
  name = "Legacy Shop"
}
