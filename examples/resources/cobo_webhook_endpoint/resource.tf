# Cobo delivers every change of a pay-in order, and every payment into one, to your app.
resource "cobo_webhook_endpoint" "orders" {
  url = "https://shop.example.com/cobo/webhook"
  subscribed_events = [
    "payment.order.status.updated",  # the whole order, on every status change
    "payment.transaction.created",   # a payment was detected
    "payment.transaction.completed", # a payment was confirmed
    "payment.transaction.late",      # a payment arrived after the order was final
  ]
  description = "Order events for the shop"
}

# Against the sandbox (cobo-sandbox serve), a local receiver can use http on a loopback address.
resource "cobo_webhook_endpoint" "local" {
  url               = "http://127.0.0.1:8080/hook"
  subscribed_events = ["payment.order.status.updated"]
}

output "orders_endpoint_id" {
  value = cobo_webhook_endpoint.orders.endpoint_id
}

output "orders_endpoint_status" {
  value = cobo_webhook_endpoint.orders.status # STATUS_PENDING_ACTIVE until approved, where approval is required
}
