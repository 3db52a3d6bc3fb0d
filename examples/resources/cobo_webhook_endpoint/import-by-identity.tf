# Terraform 1.12 and later (and OpenTofu 1.12): import by the endpoint's identity, its Cobo endpoint ID.
import {
  to = cobo_webhook_endpoint.adopted
  identity = {
    endpoint_id = "3b7c6f0e-2d41-4c8e-9a5f-61d2e8b4a907"
  }
}

resource "cobo_webhook_endpoint" "adopted" {
  url               = "https://billing.example.com/cobo/events"
  subscribed_events = ["payment.order.status.updated"]
}
