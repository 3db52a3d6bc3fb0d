# Every merchant's ETH_USDT balance, and the developer's.
data "cobo_payment_balances" "usdt" {
  token_id = "ETH_USDT"
}

output "merchant_balances" {
  value = { for b in data.cobo_payment_balances.usdt.merchants : b.merchant_id => b.total_balance }
}

output "developer_fees" {
  value = data.cobo_payment_balances.usdt.developer.developer_fee_amount
}
