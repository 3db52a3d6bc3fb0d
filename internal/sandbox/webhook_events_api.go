package sandbox

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// The event routes of webhooks.openapi.yaml: an endpoint's events (the last 30 days by the sandbox
// clock), one event, its delivery logs and a manual retry. An unknown endpoint or event id, or one of
// another organization, is 404 / 2028 (cobo.UnknownWebhookResource).

const eventsPattern = webhookEndpointsPath + "/{endpoint_id}/events"

const triggerPath = apiPrefix + "/payments/webhooks/trigger"

func unknownEvent(id string) *response {
	return decisionError(cobo.UnknownWebhookResource, "webhook event %q not found", truncate(id, 100))
}

// eventJSON is the event as the API shows it, a copy safe to encode after the lock is released.
func (ev *webhookEvent) eventJSON() cobo.WebhookEvent {
	c := ev.WebhookEvent
	if ev.NextRetryTimestamp != nil {
		c.NextRetryTimestamp = i64Ptr(*ev.NextRetryTimestamp)
	}
	if ev.RetriesLeft != nil {
		left := *ev.RetriesLeft
		c.RetriesLeft = &left
	}
	return c
}

// eventLocked finds the event of the request's endpoint, or answers 404.
func (s *Sandbox) eventLocked(in apiRequest) (*webhookEvent, *response) {
	epID, evID := in.params["endpoint_id"], in.params["event_id"]
	if _, errResp := s.endpointLocked(in); errResp != nil {
		return nil, errResp
	}
	r := s.events.get(in.org, evID)
	if r == nil || r.Value.EndpointID != epID {
		return nil, unknownEvent(evID)
	}
	return &r.Value, nil
}

// listWebhookEvents is GET .../events: the endpoint's matching events of the last 30 days (by the
// sandbox clock), oldest first, one page, paged like the order list.
func (s *Sandbox) listWebhookEvents(in apiRequest) *response {
	q, errResp := parseWebhookListQuery(in.query, cobo.WebhookEventStatuses, "type")
	if errResp != nil {
		return errResp
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	epID := in.params["endpoint_id"]
	if _, errResp := s.endpointLocked(in); errResp != nil {
		return errResp
	}
	if c := q.page.cursor(); c != "" {
		if cursor := s.events.get(in.org, c); cursor == nil || cursor.Value.EndpointID != epID {
			return q.page.badCursor("an event_id")
		}
	}
	since := s.Now().Add(-cobo.WebhookEventRetention).UnixMilli()
	page, pagination, errResp := s.events.page(in.org, q.page, "an event_id", func(ev *webhookEvent) bool {
		return ev.EndpointID == epID && ev.CreatedTimestamp >= since && (q.status == "" || ev.Status == q.status) && (q.eventType == "" || ev.Type == q.eventType)
	})
	if errResp != nil {
		return errResp
	}
	resp := cobo.WebhookEventPage{Data: make([]cobo.WebhookEvent, 0, len(page)), Pagination: pagination}
	for _, r := range page {
		resp.Data = append(resp.Data, r.Value.eventJSON())
	}
	return jsonResponse(http.StatusOK, resp)
}

// getWebhookEvent is GET .../events/{event_id}.
func (s *Sandbox) getWebhookEvent(in apiRequest) *response {
	s.mu.Lock()
	defer s.mu.Unlock()
	ev, errResp := s.eventLocked(in)
	if errResp != nil {
		return errResp
	}
	return jsonResponse(http.StatusOK, ev.eventJSON())
}

// listWebhookEventLogs is GET .../events/{event_id}/logs: one log per attempt, oldest first, paged
// with log ids as cursors.
func (s *Sandbox) listWebhookEventLogs(in apiRequest) *response {
	_, page, errResp := parsePagedQuery(in.query)
	if errResp != nil {
		return errResp
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ev, errResp := s.eventLocked(in)
	if errResp != nil {
		return errResp
	}
	var cursorSeq int64 = -1
	for i, l := range ev.Logs {
		if l.ID == page.cursor() {
			cursorSeq = int64(i)
		}
	}
	if page.cursor() != "" && cursorSeq < 0 {
		return page.badCursor("a log id")
	}
	logs, pagination := pageOf(ev.Logs, page, cursorSeq, logIndex(ev.Logs), func(l cobo.WebhookEventLog) string { return l.ID })
	return jsonResponse(http.StatusOK, cobo.WebhookEventLogPage{Data: slices.Clone(logs), Pagination: pagination})
}

// logIndex is a log's position in its event's list (its sequence for paging).
func logIndex(logs []cobo.WebhookEventLog) func(cobo.WebhookEventLog) int64 {
	pos := make(map[string]int64, len(logs))
	for i, l := range logs {
		pos[l.ID] = int64(i)
	}
	return func(l cobo.WebhookEventLog) int64 { return pos[l.ID] }
}

// retryWebhookEvent is POST .../events/{event_id}/retry: a Retrying or Failed event is sent again at
// once (see cobo.WebhookManualRetry); any other status is 400 / 2006 naming it.
func (s *Sandbox) retryWebhookEvent(in apiRequest) *response {
	s.mu.Lock()
	defer s.mu.Unlock()
	ev, errResp := s.eventLocked(in)
	if errResp != nil {
		return errResp
	}
	if ev.Status != cobo.EventStatusRetrying && ev.Status != cobo.EventStatusFailed {
		status := ev.Status
		if status == "" {
			status = "not attempted yet"
		}
		return decisionError(cobo.InvalidWebhookRequest, "webhook event %s is %s: only a Retrying or Failed event can be retried", ev.EventID, status)
	}
	s.retryEventLocked(ev)
	return jsonResponse(http.StatusCreated, map[string]bool{"retried": true})
}

// triggerWebhookEvent is POST /v2/payments/webhooks/trigger (webhook_trigger.go builds the data).
func (s *Sandbox) triggerWebhookEvent(in apiRequest) *response {
	m, errResp := decodeObject(in.body)
	if errResp != nil {
		return errResp
	}
	eventType, override, errResp := decodeTrigger(m)
	if errResp != nil {
		return errResp
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	data, err := triggerData(eventType, override, s.Now(), in.org)
	if err != nil {
		return decisionError(cobo.InvalidWebhookRequest, "override_data: %v", err)
	}
	s.emitLocked(in.org, eventType, func() json.RawMessage { return data })
	if len(s.events.unsaved) == 0 {
		return jsonResponse(http.StatusCreated, map[string]bool{"triggered": true}) // no endpoint receives it
	}
	if err := s.commitLocked(); err != nil {
		return coboError(http.StatusInternalServerError, cobo.CodeInternal, "the test event was not sent: %v", err)
	}
	return jsonResponse(http.StatusCreated, map[string]bool{"triggered": true})
}

// decodeTrigger checks event_type (a pay-in event type the sandbox can fill) and override_data (an object).
func decodeTrigger(m map[string]json.RawMessage) (string, map[string]json.RawMessage, *response) {
	raw, ok := m["event_type"]
	if !ok || strings.TrimSpace(string(raw)) == "null" {
		return "", nil, missingParam("missing required parameter: event_type")
	}
	var eventType string
	if err := json.Unmarshal(raw, &eventType); err != nil {
		return "", nil, invalidParam("event_type must be a JSON string, got %s", jsonKind(raw))
	}
	if !slices.Contains(triggerTypes, eventType) {
		return "", nil, decisionError(cobo.InvalidWebhookRequest, "event_type %q cannot be triggered: the sandbox sends test events of the pay-in Payments types %s", truncate(eventType, 80), strings.Join(triggerTypes, ", "))
	}
	var override map[string]json.RawMessage
	if raw, ok := m["override_data"]; ok && strings.TrimSpace(string(raw)) != "null" {
		if err := json.Unmarshal(raw, &override); err != nil || override == nil {
			return "", nil, decisionError(cobo.InvalidWebhookRequest, "override_data must be a JSON object of the event data fields to replace, got %s", jsonKind(raw))
		}
	}
	return eventType, override, nil
}
