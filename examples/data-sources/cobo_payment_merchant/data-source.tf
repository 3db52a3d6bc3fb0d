# The default merchant Cobo's onboarding created, by its ID.
data "cobo_payment_merchant" "default" {
  merchant_id = "M1001"
}

# A merchant by its exact name: exactly one merchant must have it.
data "cobo_payment_merchant" "shop" {
  name = "Example Shop"
}

output "shop" {
  value = "${data.cobo_payment_merchant.shop.merchant_id} (${data.cobo_payment_merchant.shop.wallet_setup})"
}
