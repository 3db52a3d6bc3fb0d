# Terraform 1.14 and later. Ping the app's webhook handler as soon as its endpoint is registered: Cobo
# sends a test order status event, with these fields in place of its dummy data, to the endpoints.
action "cobo_webhook_test_event" "ping" {
  config {
    event_type = "payment.order.status.updated"
    override_data = jsonencode({
      order_id = "O20250304-000042"
      status   = "Completed"
    })
  }
}

resource "cobo_webhook_endpoint" "app" {
  url               = "https://shop.example.com/cobo/webhook"
  subscribed_events = ["payment.order.status.updated", "payment.transaction.completed"]
  description       = "Order events for the shop"

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.cobo_webhook_test_event.ping]
    }
  }
}

# Or any time: terraform apply -invoke=action.cobo_webhook_test_event.ping
