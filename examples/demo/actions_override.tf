# Terraform 1.14 and later (see actions.tf). An override file merges this lifecycle into main.tf's
# endpoint, so main.tf itself stays valid for every CLI: the ping follows the endpoint's creation.
resource "cobo_webhook_endpoint" "app" {
  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.cobo_webhook_test_event.ping]
    }
  }
}
