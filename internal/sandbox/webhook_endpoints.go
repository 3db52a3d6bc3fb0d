package sandbox

import (
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// Webhook endpoints (webhooks.openapi.yaml): registered, listed, read, updated and revoked per
// organization, like orders. There is no DELETE: a revoke (PUT status STATUS_INACTIVE) is final. With
// Options.WebhookApproval every registration, update and revoke waits for an approval helper, as in an
// organization that requires approval in Cobo Portal:
//
//	register: STATUS_PENDING_ACTIVE   -- approve -> STATUS_ACTIVE, reject -> STATUS_REJECT_ACTIVE
//	update:   STATUS_PENDING_UPDATE   -- approve -> the change applied, STATUS_ACTIVE; reject -> unchanged, STATUS_ACTIVE
//	revoke:   STATUS_PENDING_INACTIVE -- approve -> STATUS_INACTIVE; reject -> unchanged, STATUS_ACTIVE
//
// A pending update or revoke leaves the endpoint as it was, receiving events, until it is approved.

const (
	webhookEndpointsPath = apiPrefix + "/webhooks/endpoints"
	eventDefinitionsPath = apiPrefix + "/webhooks/events/definitions"
)

// webhookEndpoint is the stored state of one endpoint, a row of Sandbox.webhookEndpoints: what the API
// shows, and the change awaiting approval (STATUS_PENDING_UPDATE, STATUS_PENDING_INACTIVE), which the
// API does not show.
type webhookEndpoint struct {
	cobo.WebhookEndpoint
	Pending *endpointChange `json:"pending,omitempty"`
}

const webhookEndpointsTable = "webhook_endpoints" // its name in the state file

func newWebhookEndpointTable() *table[webhookEndpoint] {
	return newTable(webhookEndpointsTable, func(ep *webhookEndpoint) string { return ep.EndpointID }, checkWebhookEndpoint)
}

// checkWebhookEndpoint refuses a saved endpoint the sandbox could not have made.
func checkWebhookEndpoint(ep *webhookEndpoint) error {
	switch {
	case ep.URL == "" || len(ep.SubscribedEvents) == 0:
		return errors.New("url or subscribed_events is empty")
	case !slices.Contains(cobo.WebhookEndpointStatuses, ep.Status):
		return fmt.Errorf("status %q is not a webhook endpoint status", ep.Status)
	case ep.Pending != nil && ep.Status != cobo.EndpointStatusPendingUpdate && ep.Status != cobo.EndpointStatusPendingInact:
		return fmt.Errorf("a pending change on an endpoint that is %s", ep.Status)
	}
	return nil
}

// endpointChange is an update or revoke of an endpoint (PUT), applied at once or kept for approval.
type endpointChange struct {
	SubscribedEvents []string `json:"subscribed_events,omitempty"` // nil: unchanged
	Description      *string  `json:"description,omitempty"`       // nil: unchanged; "": removed
	Revoke           bool     `json:"revoke,omitempty"`
}

func (c *endpointChange) isEmpty() bool {
	return c.SubscribedEvents == nil && c.Description == nil && !c.Revoke
}

// merge adds a later change to c (a later value wins; a revoke stays).
func (c *endpointChange) merge(later *endpointChange) {
	if later.SubscribedEvents != nil {
		c.SubscribedEvents = later.SubscribedEvents
	}
	if later.Description != nil {
		c.Description = later.Description
	}
	c.Revoke = c.Revoke || later.Revoke
}

// applyTo sets the changed fields of ep (the status is the caller's business).
func (c *endpointChange) applyTo(ep *webhookEndpoint) {
	if c.SubscribedEvents != nil {
		ep.SubscribedEvents = slices.Clone(c.SubscribedEvents)
	}
	if c.Description != nil {
		ep.Description = optional(*c.Description)
	}
}

// receivesEvents reports whether the endpoint is sent events (cobo.EndpointReceivesEvents).
func (ep *webhookEndpoint) receivesEvents() bool { return cobo.EndpointReceivesEvents(ep.Status) }

// subscribedEndpointsLocked lists, in registration order, the endpoints of org that receive events of
// eventType: active (receivesEvents) and subscribed to it. Event delivery starts here.
func (s *Sandbox) subscribedEndpointsLocked(org, eventType string) []*webhookEndpoint {
	var out []*webhookEndpoint
	for _, r := range s.webhookEndpoints.list(org) {
		if ep := &r.Value; ep.receivesEvents() && slices.Contains(ep.SubscribedEvents, eventType) {
			out = append(out, ep)
		}
	}
	return out
}

// endpointLocked is the endpoint of the request's endpoint_id and organization, or the 404 answer
// when it is unknown or another organization's.
func (s *Sandbox) endpointLocked(in apiRequest) (*webhookEndpoint, *response) {
	id := in.params["endpoint_id"]
	if r := s.webhookEndpoints.get(in.org, id); r != nil {
		return &r.Value, nil
	}
	return nil, decisionError(cobo.UnknownWebhookResource, "webhook endpoint %q not found", truncate(id, 100))
}

// newUUID is a random (version 4) UUID, the form of Cobo's endpoint and event ids.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// endpointJSON is the endpoint as the API shows it: a copy, safe to encode after the lock is released.
func (ep *webhookEndpoint) endpointJSON() cobo.WebhookEndpoint {
	c := ep.WebhookEndpoint
	c.SubscribedEvents = slices.Clone(ep.SubscribedEvents)
	if ep.Description != nil {
		c.Description = strPtr(*ep.Description)
	}
	return c
}

// createWebhookEndpoint is POST /v2/webhooks/endpoints.
func (s *Sandbox) createWebhookEndpoint(in apiRequest) *response {
	m, errResp := decodeObject(in.body)
	if errResp != nil {
		return errResp
	}
	rawURL, present, errResp := stringField(m, "url")
	switch {
	case errResp != nil:
		return errResp
	case !present || rawURL == "":
		return missingParam("missing required parameter: url")
	}
	if err := cobo.ValidateWebhookURL(rawURL); err != nil {
		return decisionError(cobo.InvalidWebhookRequest, "%v", err)
	}
	events, errResp := eventsField(m, true)
	if errResp != nil {
		return errResp
	}
	description, _, errResp := stringField(m, "description")
	if errResp != nil {
		return errResp
	}
	return s.storeEndpoint(in.org, rawURL, events, description)
}

// storeEndpoint registers the endpoint; with a state file it is saved before the answer. A second
// endpoint for a URL is accepted (cobo.WebhookDuplicateURL).
func (s *Sandbox) storeEndpoint(org, rawURL string, events []string, description string) *response {
	s.mu.Lock()
	defer s.mu.Unlock()
	status := cobo.EndpointStatusActive
	if s.opts.WebhookApproval {
		status = cobo.EndpointStatusPendingActive
	}
	r := s.webhookEndpoints.insert(org, s.webhookEndpoints.nextSeq(), webhookEndpoint{WebhookEndpoint: cobo.WebhookEndpoint{
		EndpointID: newUUID(), URL: rawURL, SubscribedEvents: events, Status: status,
		Description: optional(description), CreatedTimestamp: s.Now().UnixMilli(), // cobo.WebhookEndpointTimestampUnit
	}})
	if err := s.commitLocked(); err != nil {
		return coboError(http.StatusInternalServerError, cobo.CodeInternal, "the webhook endpoint was not registered: %v", err)
	}
	s.ensureDeliveryLocked() // from now on the clock's expiries send events (webhook_delivery.go)
	return jsonResponse(http.StatusCreated, r.Value.endpointJSON())
}

// getWebhookEndpoint is GET /v2/webhooks/endpoints/{endpoint_id}.
func (s *Sandbox) getWebhookEndpoint(in apiRequest) *response {
	s.mu.Lock()
	defer s.mu.Unlock()
	ep, errResp := s.endpointLocked(in)
	if errResp != nil {
		return errResp
	}
	return jsonResponse(http.StatusOK, ep.endpointJSON())
}

// updateWebhookEndpoint is PUT /v2/webhooks/endpoints/{endpoint_id}: new subscribed_events or
// description, or status STATUS_INACTIVE to revoke; the url cannot change.
func (s *Sandbox) updateWebhookEndpoint(in apiRequest) *response {
	change, errResp := decodeEndpointChange(in.body)
	if errResp != nil {
		return errResp
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ep, errResp := s.endpointLocked(in)
	if errResp != nil {
		return errResp
	}
	if errResp := s.changeEndpointLocked(ep, change); errResp != nil {
		return errResp
	}
	if err := s.commitLocked(); err != nil {
		return coboError(http.StatusInternalServerError, cobo.CodeInternal, "the webhook endpoint was not updated: %v", err)
	}
	return jsonResponse(http.StatusOK, ep.endpointJSON())
}

// changeEndpointLocked applies a PUT to ep by its status (see the top of this file).
func (s *Sandbox) changeEndpointLocked(ep *webhookEndpoint, ch *endpointChange) *response {
	switch ep.Status {
	case cobo.EndpointStatusInactive, cobo.EndpointStatusRejectedActive:
		return decisionError(cobo.InvalidWebhookRequest, "webhook endpoint %s is %s, which is final: it cannot be updated or reactivated; register a new endpoint", ep.EndpointID, ep.Status)
	case cobo.EndpointStatusPendingInact:
		if ch.Revoke && ch.SubscribedEvents == nil && ch.Description == nil {
			return nil // already awaiting this revoke
		}
		return decisionError(cobo.InvalidWebhookRequest, "webhook endpoint %s has a revoke awaiting approval (%s): it cannot be updated until the revoke is approved or rejected", ep.EndpointID, ep.Status)
	case cobo.EndpointStatusPendingActive: // not active yet: the registration awaiting approval changes
		ch.applyTo(ep)
		if ch.Revoke {
			ep.Status = cobo.EndpointStatusInactive // the registration is withdrawn
		}
		return nil
	}
	switch {
	case ch.isEmpty():
	case s.opts.WebhookApproval:
		if ep.Pending == nil {
			ep.Pending = &endpointChange{}
		}
		ep.Pending.merge(ch)
		ep.Status = cobo.EndpointStatusPendingUpdate
		if ep.Pending.Revoke {
			ep.Status = cobo.EndpointStatusPendingInact
		}
	default:
		ch.applyTo(ep)
		if ch.Revoke {
			ep.Status, ep.Pending = cobo.EndpointStatusInactive, nil
		}
	}
	return nil
}

// decodeEndpointChange reads a PUT body: subscribed_events, description, status (STATUS_INACTIVE only).
func decodeEndpointChange(body []byte) (*endpointChange, *response) {
	m, errResp := decodeObject(body)
	if errResp != nil {
		return nil, errResp
	}
	if _, ok := m["url"]; ok {
		return nil, decisionError(cobo.InvalidWebhookRequest, "url cannot be changed by an update; register a new endpoint with the new url and revoke this one")
	}
	ch := &endpointChange{}
	if ch.SubscribedEvents, errResp = eventsField(m, false); errResp != nil {
		return nil, errResp
	}
	description, present, errResp := stringField(m, "description")
	if errResp != nil {
		return nil, errResp
	}
	if present {
		ch.Description = &description
	}
	status, present, errResp := stringField(m, "status")
	switch {
	case errResp != nil:
		return nil, errResp
	case present && status != cobo.EndpointStatusInactive:
		return nil, decisionError(cobo.InvalidWebhookRequest, "status can only be %s (revoke the endpoint), got %q", cobo.EndpointStatusInactive, truncate(status, 40))
	}
	ch.Revoke = present
	return ch, nil
}

// stringField reads an optional string field; present is false when it is missing or null.
func stringField(m map[string]json.RawMessage, name string) (v string, present bool, errResp *response) {
	raw, ok := m[name]
	if !ok || strings.TrimSpace(string(raw)) == "null" {
		return "", false, nil
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return "", false, invalidParam("%s must be a JSON string, got %s", name, jsonKind(raw))
	}
	return v, true, nil
}

// eventsField reads subscribed_events: nil when missing or null (an error when required); otherwise a
// non-empty array of known event types, each kept once, in the order sent.
func eventsField(m map[string]json.RawMessage, required bool) ([]string, *response) {
	raw, ok := m["subscribed_events"]
	if (!ok || strings.TrimSpace(string(raw)) == "null") && !required {
		return nil, nil
	}
	var events []string
	if ok && json.Unmarshal(raw, &events) != nil {
		return nil, invalidParam("subscribed_events must be a JSON array of event type strings, got %s", jsonKind(raw))
	}
	if len(events) == 0 {
		return nil, decisionError(cobo.MissingWebhookEvents, "missing required parameter: subscribed_events must hold at least one event type (GET %s lists them)", eventDefinitionsPath)
	}
	var out []string
	for _, t := range events {
		if !cobo.IsKnownWebhookEventType(t) {
			return nil, decisionError(cobo.InvalidWebhookRequest, "subscribed_events: %q is not a webhook event type (GET %s lists them)", truncate(t, 80), eventDefinitionsPath)
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out, nil
}

// endpointMatches reports whether ep passes the filters of a GET /v2/webhooks/endpoints query.
func endpointMatches(q *webhookListQuery, ep *webhookEndpoint) bool {
	return (q.status == "" || ep.Status == q.status) &&
		(q.eventType == "" || slices.Contains(ep.SubscribedEvents, q.eventType))
}

// listWebhookEndpoints is GET /v2/webhooks/endpoints: an organization's matching endpoints, oldest
// first, one page, paged like the order list.
func (s *Sandbox) listWebhookEndpoints(in apiRequest) *response {
	q, errResp := parseWebhookListQuery(in.query, cobo.WebhookEndpointStatuses, "event_type")
	if errResp != nil {
		return errResp
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rows, pagination, errResp := s.webhookEndpoints.page(in.org, q.page, "an endpoint_id", func(ep *webhookEndpoint) bool { return endpointMatches(q, ep) })
	if errResp != nil {
		return errResp
	}
	resp := cobo.WebhookEndpointPage{Data: make([]cobo.WebhookEndpoint, 0, len(rows)), Pagination: pagination}
	for _, r := range rows {
		resp.Data = append(resp.Data, r.Value.endpointJSON())
	}
	return jsonResponse(http.StatusOK, resp)
}
