# Terraform 1.14 and later: `terraform query` lists the organization's webhook endpoints that can
# still receive events; `terraform query -generate-config-out=endpoints.tf` writes a resource and an
# import block for each, ready to apply.
list "cobo_webhook_endpoint" "all" {
  provider         = cobo
  include_resource = true # the full endpoint, needed for -generate-config-out
}

# The endpoints that receive order status events.
list "cobo_webhook_endpoint" "order_events" {
  provider = cobo

  config {
    event_type = "payment.order.status.updated"
  }
}

# Endpoints awaiting approval in Cobo Portal.
list "cobo_webhook_endpoint" "pending" {
  provider = cobo

  config {
    status = "STATUS_PENDING_ACTIVE"
  }
}
