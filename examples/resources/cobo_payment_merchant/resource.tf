# A merchant of your organization: its orders pay into its balance, and refunds take from it.
resource "cobo_payment_merchant" "shop" {
  name               = "Example Shop"
  developer_fee_rate = "0.015" # 1.5 % of top-up deposits goes to the developer balance
}

# A merchant whose funds are kept in a wallet of its own. Cobo cannot change wallet_setup: changing
# it creates a new merchant, which needs a new name, since the old one stays in Cobo.
resource "cobo_payment_merchant" "marketplace" {
  name         = "Example Marketplace"
  wallet_setup = "Separate"
}

# A pay-in order for the merchant.
resource "cobo_payment_order" "first" {
  merchant_id      = cobo_payment_merchant.shop.merchant_id
  psp_order_code   = "shop-0001"
  payable_currency = "ETH_USDT"
  pricing_amount   = "25.00"
  fee_amount       = "0.50"
}
