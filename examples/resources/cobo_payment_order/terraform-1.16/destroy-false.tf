# Terraform 1.16 and later: destroying this resource forgets the order, with no call to Cobo, whatever
# expire_on_destroy says. The order stays Pending, and payable, until it lapses (expired_in, in seconds).
resource "cobo_payment_order" "donation" {
  merchant_id      = "M1001"
  psp_order_code   = "donation-2026-0001"
  payable_currency = "ETH_USDT"
  payable_amount   = "25.00"
  fee_amount       = "0"
  expired_in       = 10800

  lifecycle {
    destroy = false
  }
}

# To stop managing an order, replace its resource block with a removed block: deleting the resource
# block alone deletes its lifecycle too, and the order is expired after all.
removed {
  from = cobo_payment_order.old_donation

  lifecycle {
    destroy = false
  }
}
