# Adopt an endpoint registered outside Terraform (in Cobo Portal, or by Cobo's SDKs). The resource
# block must repeat its url: a different url would register a new endpoint and revoke this one.
import {
  to = cobo_webhook_endpoint.legacy
  id = "8f2e919a-6a7b-4a9b-8c1a-4c0b3f5b8b1f"
}

resource "cobo_webhook_endpoint" "legacy" {
  url               = "https://erp.example.com/cobo/events"
  subscribed_events = ["payment.order.status.updated"]
}
