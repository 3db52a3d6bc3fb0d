package cobo

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
)

const (
	webhookEndpointsPath   = "/webhooks/endpoints"
	webhookDefinitionsPath = "/webhooks/events/definitions"
	webhookTriggerPath     = "/payments/webhooks/trigger"
)

// ValidateWebhookEndpointID checks an endpoint id before it goes into a request path (an import ID,
// a data source's endpoint_id): the rules of every id in a path.
func ValidateWebhookEndpointID(id string) error {
	return validatePathID("endpoint_id", "webhook endpoint", id)
}

// ValidateWebhookEventID checks an event id before it goes into a request path (the retry action's
// event_id), as ValidateWebhookEndpointID does for an endpoint id.
func ValidateWebhookEventID(id string) error {
	return validatePathID("event_id", "webhook event", id)
}

// webhookPath builds a path below /webhooks/endpoints from ids that are each checked and escaped.
func webhookPath(ids ...string) (string, error) {
	p := webhookEndpointsPath
	for i, id := range ids {
		validate := ValidateWebhookEndpointID
		if i > 0 {
			validate = ValidateWebhookEventID
		}
		if err := validate(id); err != nil {
			return "", err
		}
		p += "/" + url.PathEscape(id)
		if i == 0 && len(ids) > 1 {
			p += "/events"
		}
	}
	return p, nil
}

// decodeJSON decodes an answer into v, naming what was expected when it is not that.
func decodeJSON[T any](body []byte, what string) (*T, error) {
	v := new(T)
	if err := json.Unmarshal(body, v); err != nil {
		return nil, fmt.Errorf("the response is not a valid %s: %w", what, err)
	}
	return v, nil
}

// getJSON sends an idempotent request and decodes its answer as plain JSON (see call).
func getJSON[T any](ctx context.Context, c *Client, method, path, query string, payload []byte, what string) (*T, error) {
	return call(ctx, c, method, path, query, payload, func(body []byte) (*T, error) { return decodeJSON[T](body, what) })
}

// CreateWebhookEndpointOnce registers an endpoint (POST /webhooks/endpoints) with a single request and
// no retry; CreateWebhookEndpoint is the safe one to call.
func (c *Client) CreateWebhookEndpointOnce(ctx context.Context, req CreateWebhookEndpointRequest) (*WebhookEndpoint, error) {
	payload, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	body, err := c.attempt(ctx, http.MethodPost, webhookEndpointsPath, "", payload, 1)
	if err != nil {
		return nil, err
	}
	return decodeJSON[WebhookEndpoint](body, "webhook endpoint")
}

// CreateWebhookEndpoint registers an endpoint. Like an order's create it is never repeated blindly:
// after an ambiguous failure (no answer, 429 or 5xx) the endpoints with req.URL that can still
// receive events are looked up, and one found is returned (the lost answer's endpoint) instead of
// registering a second. Only when none exists is the POST sent again, within Config.MaxRetries.
func (c *Client) CreateWebhookEndpoint(ctx context.Context, req CreateWebhookEndpointRequest) (*WebhookEndpoint, error) {
	endpoint, _, err := createNeverTwice(ctx, c, req, neverTwice[WebhookEndpoint]{
		path: webhookEndpointsPath, what: "webhook endpoint",
		find: func(ctx context.Context, b *retryBudget) (*WebhookEndpoint, error) {
			return newest(c.liveEndpointsWithURL(ctx, b, req.URL))
		},
		unknown: outcomeUnknown("webhook endpoint", fmt.Sprintf("url %q", req.URL), "list the endpoints"),
	})
	return endpoint, err
}

// FindLiveWebhookEndpoints returns the endpoints with this url that are active or awaiting approval
// (every status but the final ones), oldest first. Cobo's list has no url filter: every page is read.
func (c *Client) FindLiveWebhookEndpoints(ctx context.Context, endpointURL string) ([]WebhookEndpoint, error) {
	return c.liveEndpointsWithURL(ctx, &retryBudget{left: c.cfg.MaxRetries}, endpointURL)
}

func (c *Client) liveEndpointsWithURL(ctx context.Context, b *retryBudget, endpointURL string) ([]WebhookEndpoint, error) {
	query := func(pp PageParams) string { return ListWebhookEndpointsParams{PageParams: pp}.Query() }
	live := func(e *WebhookEndpoint) bool { return e.URL == endpointURL && !IsFinalEndpointStatus(e.Status) }
	return listAllWithin(ctx, c, b, webhookEndpointsPath, "webhook endpoint", query, live)
}

// GetWebhookEndpoint reads one endpoint (GET /webhooks/endpoints/{endpoint_id}).
func (c *Client) GetWebhookEndpoint(ctx context.Context, endpointID string) (*WebhookEndpoint, error) {
	path, err := webhookPath(endpointID)
	if err != nil {
		return nil, err
	}
	return getJSON[WebhookEndpoint](ctx, c, http.MethodGet, path, "", nil, "webhook endpoint")
}

// UpdateWebhookEndpoint updates one endpoint (PUT /webhooks/endpoints/{endpoint_id}): its events, its
// description, or Status EndpointStatusInactive to revoke it. A PUT sets values, so it is retried.
func (c *Client) UpdateWebhookEndpoint(ctx context.Context, endpointID string, req UpdateWebhookEndpointRequest) (*WebhookEndpoint, error) {
	path, err := webhookPath(endpointID)
	if err != nil {
		return nil, err
	}
	return put(ctx, c, path, req, jsonAs[WebhookEndpoint]("webhook endpoint"))
}

// ListWebhookEndpoints reads one page of endpoints (GET /webhooks/endpoints).
func (c *Client) ListWebhookEndpoints(ctx context.Context, p ListWebhookEndpointsParams) (*WebhookEndpointPage, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return getJSON[WebhookEndpointPage](ctx, c, http.MethodGet, webhookEndpointsPath, p.Query(), nil, "webhook endpoint list")
}

// ListWebhookEventDefinitions reads the event types Cobo knows (GET /webhooks/events/definitions).
func (c *Client) ListWebhookEventDefinitions(ctx context.Context) ([]WebhookEventDefinition, error) {
	defs, err := getJSON[[]WebhookEventDefinition](ctx, c, http.MethodGet, webhookDefinitionsPath, "", nil, "event definition list")
	if err != nil {
		return nil, err
	}
	return *defs, nil
}

// ListWebhookEvents reads one page of an endpoint's events (GET .../{endpoint_id}/events).
func (c *Client) ListWebhookEvents(ctx context.Context, endpointID string, p ListWebhookEventsParams) (*WebhookEventPage, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	path, err := webhookPath(endpointID)
	if err != nil {
		return nil, err
	}
	return getJSON[WebhookEventPage](ctx, c, http.MethodGet, path+"/events", p.Query(), nil, "webhook event list")
}

// GetWebhookEvent reads one event (GET .../{endpoint_id}/events/{event_id}).
func (c *Client) GetWebhookEvent(ctx context.Context, endpointID, eventID string) (*WebhookEvent, error) {
	path, err := webhookPath(endpointID, eventID)
	if err != nil {
		return nil, err
	}
	return getJSON[WebhookEvent](ctx, c, http.MethodGet, path, "", nil, "webhook event")
}

// ListWebhookEventLogs reads one page of an event's delivery attempts (GET .../{event_id}/logs).
func (c *Client) ListWebhookEventLogs(ctx context.Context, endpointID, eventID string, p PageParams) (*WebhookEventLogPage, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	path, err := webhookPath(endpointID, eventID)
	if err != nil {
		return nil, err
	}
	return getJSON[WebhookEventLogPage](ctx, c, http.MethodGet, path+"/logs", p.query(), nil, "webhook event log list")
}

// RetryWebhookEvent delivers a Retrying or Failed event again (POST .../{event_id}/retry). It is sent
// once: a repeated retry would deliver the event once more.
func (c *Client) RetryWebhookEvent(ctx context.Context, endpointID, eventID string) error {
	path, err := webhookPath(endpointID, eventID)
	if err != nil {
		return err
	}
	_, err = c.attempt(ctx, http.MethodPost, path+"/retry", "", []byte("{}"), 1)
	return err
}

// TriggerWebhookEvent sends a test event to every endpoint of the organization
// (POST /payments/webhooks/trigger). It is sent once: a repeated trigger would send a second event.
func (c *Client) TriggerWebhookEvent(ctx context.Context, req TriggerWebhookEventRequest) error {
	payload, err := json.Marshal(req)
	if err != nil {
		return err
	}
	_, err = c.attempt(ctx, http.MethodPost, webhookTriggerPath, "", payload, 1)
	return err
}
