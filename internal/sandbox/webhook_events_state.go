package sandbox

import (
	"errors"
	"fmt"
	"slices"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// The webhook events in the state file (state.go): a table saved with the change that made them, with
// their logs and their retry status, so that after a restart the events never attempted are sent at
// once and the Retrying ones when their next_retry_timestamp falls due. The table's sequence is the
// event order across endpoints.

// webhookEventsTable is the events' table in the state file.
const webhookEventsTable = "webhook_events"

// checkStoredEvent refuses an event a sandbox could not have saved.
func checkStoredEvent(ev *webhookEvent) error {
	switch {
	case ev.URL == "" || ev.EndpointID == "" || len(ev.Data) == 0:
		return errors.New("url, endpoint_id or data is empty")
	case ev.Status != "" && !slices.Contains(cobo.WebhookEventStatuses, ev.Status):
		return fmt.Errorf("status %q is not a webhook event status", ev.Status)
	case ev.Status == cobo.EventStatusRetrying && ev.NextRetryTimestamp == nil:
		return errors.New("a Retrying event without next_retry_timestamp")
	}
	return nil
}
