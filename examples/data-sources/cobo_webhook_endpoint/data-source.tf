# One webhook endpoint of your organization, in any status, refreshed on every plan.
data "cobo_webhook_endpoint" "orders" {
  endpoint_id = "8f2e919a-6a7b-4a9b-8c1a-4c0b3f5b8b1f"
}

output "orders_endpoint" {
  value = "${data.cobo_webhook_endpoint.orders.url} (${data.cobo_webhook_endpoint.orders.status}) receives ${join(", ", data.cobo_webhook_endpoint.orders.subscribed_events)}"
}
