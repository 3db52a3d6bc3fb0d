# The live state of one pay-in order, refreshed on every plan.
data "cobo_payment_order" "invoice" {
  order_id = "O20250304-000042"
}

output "invoice_status" {
  value = data.cobo_payment_order.invoice.status
}

output "invoice_received" {
  value = "${data.cobo_payment_order.invoice.received_token_amount} of ${data.cobo_payment_order.invoice.payable_amount} ${data.cobo_payment_order.invoice.payable_currency}"
}

# One line per transaction detected for the order.
output "invoice_transactions" {
  value = [for tx in data.cobo_payment_order.invoice.transactions : "${tx.tx_id}: ${tx.amount} from ${tx.from_address} (${tx.status})"]
}
