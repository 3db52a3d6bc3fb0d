# The tokens Cobo Payments takes on Tron, to refuse at plan time an order in any other.
data "cobo_payment_supported_tokens" "tron" {
  chain_id = "TRON"
}

variable "payable_currency" {
  type    = string
  default = "TRON_USDT"
}

resource "terraform_data" "currency_check" {
  input = var.payable_currency

  lifecycle {
    precondition {
      condition     = contains(data.cobo_payment_supported_tokens.tron.token_ids, var.payable_currency)
      error_message = "Cobo Payments does not take ${var.payable_currency} on Tron; it takes ${join(", ", data.cobo_payment_supported_tokens.tron.token_ids)}."
    }
  }
}

output "tron_token_decimals" {
  value = { for t in data.cobo_payment_supported_tokens.tron.tokens : t.token_id => t.decimal }
}
