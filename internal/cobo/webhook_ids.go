package cobo

// ValidateWebhookEventID checks an event id before it goes into a request path (the retry action's
// event_id), as ValidateWebhookEndpointID does for an endpoint id.
func ValidateWebhookEventID(id string) error {
	return validatePathID("event_id", "webhook event", id)
}
