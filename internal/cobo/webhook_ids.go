package cobo

// ValidateWebhookEndpointID rejects what could never be a Cobo webhook endpoint id or could change a
// request path, as webhookPath would, so that the provider can say so at plan time.
func ValidateWebhookEndpointID(id string) error {
	return validatePathID("endpoint_id", "webhook endpoint", id)
}

// ValidateWebhookEventID is ValidateWebhookEndpointID for an event id.
func ValidateWebhookEventID(id string) error {
	return validatePathID("event_id", "webhook event", id)
}
