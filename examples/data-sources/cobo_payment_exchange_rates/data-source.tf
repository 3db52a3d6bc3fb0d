# What 100 USD is worth in two stablecoins today, at Cobo's reference rates.
data "cobo_payment_exchange_rates" "stablecoins" {
  token_ids = ["ETH_USDT", "TRON_USDT"]
}

output "tokens_for_100_usd" {
  value = { for token, rate in data.cobo_payment_exchange_rates.stablecoins.rates : token => 100 / tonumber(rate) }
}
