# Terraform 1.14 and later: make demo adds this file and actions_override.tf only for such a CLI
# (OpenTofu and older Terraform have no actions). The action pings the app as soon as its endpoint is
# registered: Cobo sends it a test order event, with these fields in place of its dummy data.
terraform {
  required_version = ">= 1.14.0"
}

action "cobo_webhook_test_event" "ping" {
  config {
    event_type = "payment.order.status.updated"
    override_data = jsonencode({
      order_id = "test-event"
    })
  }
}
