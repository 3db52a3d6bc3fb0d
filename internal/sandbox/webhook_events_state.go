package sandbox

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// The webhook events in the state file (state.go): saved with the change that made them, with their
// logs and their retry status, so that after a restart the events never attempted are sent at once and
// the Retrying ones when their next_retry_timestamp falls due.

// checkStoredEvents refuses events a sandbox could not have saved.
func checkStoredEvents(list []storedEvent, maxSeq int64) error {
	ids := make(map[string]bool, len(list))
	for i, se := range list {
		ev := se.Event
		switch {
		case ev.EventID == "" || ev.URL == "" || se.EndpointID == "" || len(ev.Data) == 0:
			return fmt.Errorf("webhook_events[%d]: event_id, url, endpoint_id or data is empty", i)
		case !isHex(se.Organization, 64):
			return fmt.Errorf("webhook_events[%d]: organization is not a 64-character hex API key", i)
		case se.Seq < 1 || se.Seq > maxSeq:
			return fmt.Errorf("webhook_events[%d]: seq %d is not between 1 and event_seq %d", i, se.Seq, maxSeq)
		case ev.Status != "" && !slices.Contains(cobo.WebhookEventStatuses, ev.Status):
			return fmt.Errorf("webhook_events[%d]: status %q is not a webhook event status", i, ev.Status)
		case ev.Status == cobo.EventStatusRetrying && ev.NextRetryTimestamp == nil:
			return fmt.Errorf("webhook_events[%d]: a Retrying event without next_retry_timestamp", i)
		case ids[ev.EventID]:
			return fmt.Errorf("webhook_events[%d]: event_id %q appears twice", i, ev.EventID)
		}
		ids[ev.EventID] = true
	}
	return nil
}

// applyEventsLocked replaces the events with st's (already checked).
func (s *Sandbox) applyEventsLocked(st *stateFile) {
	s.events.reset()
	s.events.seq = max(s.events.seq, st.EventSeq)
	stored := slices.Clone(st.WebhookEvents)
	slices.SortFunc(stored, func(a, b storedEvent) int { return cmp.Compare(a.Seq, b.Seq) })
	for _, se := range stored {
		ev := &webhookEvent{WebhookEvent: se.Event, org: se.Organization, endpointID: se.EndpointID, seq: se.Seq,
			attempts: se.Attempts, logs: slices.Clone(se.Logs)}
		s.events.insert(ev)
	}
}

// storedEventsLocked is the events to save, in creation order.
func (s *Sandbox) storedEventsLocked() []storedEvent {
	if len(s.events.byID) == 0 {
		return nil
	}
	out := make([]storedEvent, 0, len(s.events.byID))
	for _, ev := range s.events.byID {
		out = append(out, storedEvent{Organization: ev.org, EndpointID: ev.endpointID, Seq: ev.seq, Attempts: ev.attempts,
			Event: ev.WebhookEvent, Logs: ev.logs})
	}
	slices.SortFunc(out, func(a, b storedEvent) int { return cmp.Compare(a.Seq, b.Seq) })
	return out
}

func sortEventsBySeq(list []*webhookEvent) {
	slices.SortFunc(list, func(a, b *webhookEvent) int { return cmp.Compare(a.seq, b.seq) })
}
