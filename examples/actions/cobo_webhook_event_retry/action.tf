# Terraform 1.14 and later. Once the app that failed to take an event is fixed, deliver the event
# again (only a Retrying or Failed event can be retried):
#   terraform apply -invoke=action.cobo_webhook_event_retry.missed
action "cobo_webhook_event_retry" "missed" {
  config {
    endpoint_id = "2ea2b3f4-4a5c-4f7e-9a3c-8c5b1d2e3f40"
    event_id    = "8f2e9c3b-1d4a-4b6e-9f7a-3c2d1e0f9a8b"
  }
}
