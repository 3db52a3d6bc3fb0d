# Every order of one merchant that is still open for payment, up to 200.
data "cobo_payment_orders" "open" {
  merchant_id = "M1001"
  statuses    = ["Pending", "Processing"]
  limit       = 200
}

# The order with a given psp_order_code, if any: for example to find its order_id before an import.
data "cobo_payment_orders" "by_code" {
  psp_order_code = "inv-2026-0001"
}

output "open_orders" {
  value = {
    for o in data.cobo_payment_orders.open.orders :
    o.psp_order_code => "${o.status}: ${o.received_token_amount} of ${o.payable_amount} ${o.payable_currency}"
  }
}

output "open_order_count" {
  value = data.cobo_payment_orders.open.total_count
}

output "order_id_for_inv_2026_0001" {
  value = one(data.cobo_payment_orders.by_code.orders[*].order_id)
}
