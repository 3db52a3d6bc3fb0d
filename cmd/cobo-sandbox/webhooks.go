package main

import (
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// The "webhooks" commands: the signed /v2 webhook operations (endpoints, events, logs, retry, the test
// trigger), the sandbox's webhook key and endpoint approval (helpers), and listen (webhooks_listen.go).
// "endpoints" and "events" take a second word ("webhooks events get ..."); webhookArgs joins the two
// into one verb so that runClient routes them like any other.
var webhookCommands = map[string]clientCommand{
	"listen":         {needsSecret: true, flags: webhooksListen},
	"trigger":        {needsSecret: true, flags: webhooksTrigger},
	"endpoints list": {needsSecret: true, flags: webhooksEndpointsList},
	"endpoints get":  {needsSecret: true, flags: webhooksEndpointsGet},
	"events list":    {needsSecret: true, flags: webhooksEventsList},
	"events get":     {needsSecret: true, flags: webhooksEventsGet},
	"events logs":    {needsSecret: true, flags: webhooksEventsLogs},
	"events retry":   {needsSecret: true, flags: webhooksEventsRetry},
	"key":            {flags: webhooksKey},
	"approve":        {flags: webhooksDecide("approve")},
	"reject":         {flags: webhooksDecide("reject")},
}

// webhookVerbOrder is the order the verbs are listed in a usage error.
var webhookVerbOrder = []string{"listen", "trigger", "endpoints list", "endpoints get", "events list", "events get",
	"events logs", "events retry", "key", "approve", "reject"}

// webhookArgs turns "endpoints list ..." into the verb "endpoints list" followed by the rest.
func webhookArgs(args []string) []string {
	if len(args) >= 2 && (args[0] == "endpoints" || args[0] == "events") && !strings.HasPrefix(args[1], "-") {
		return append([]string{args[0] + " " + args[1]}, args[2:]...)
	}
	return args
}

// webhooksTrigger: POST /v2/payments/webhooks/trigger; prints the API's answer ({"triggered": true}).
func webhooksTrigger(fs *flag.FlagSet) func(*client, []string) error {
	override := fs.String("override", "", `override_data: a JSON object whose fields replace those of the default payload, such as '{"status": "Completed"}'`)
	return func(c *client, args []string) error {
		if err := wantArgs(args, "EVENT_TYPE"); err != nil {
			return err
		}
		req := cobo.TriggerWebhookEventRequest{EventType: args[0]}
		if *override != "" {
			var obj map[string]json.RawMessage
			if err := json.Unmarshal([]byte(*override), &obj); err != nil {
				return usageErrorf("-override must be a JSON object such as '{\"status\": \"Completed\"}': %v", err)
			}
			req.OverrideData = json.RawMessage(*override)
		}
		if err := c.api.TriggerWebhookEvent(c.ctx, req); err != nil {
			return err
		}
		return c.printJSON(c.capture.last(http.MethodPost))
	}
}

// webhooksEndpointsList: every page of GET /v2/webhooks/endpoints, as one JSON array.
func webhooksEndpointsList(fs *flag.FlagSet) func(*client, []string) error {
	var p cobo.ListWebhookEndpointsParams
	fs.StringVar(&p.Status, "status", "", "only endpoints with this status: "+strings.Join(cobo.WebhookEndpointStatuses, ", "))
	fs.StringVar(&p.EventType, "event-type", "", "only endpoints subscribed to this event type")
	limit := fs.Int("limit", 0, "at most this many endpoints (0: all)")
	return func(c *client, args []string) error {
		if err := wantArgs(args); err != nil {
			return err
		}
		return c.printAllPages(*limit, func(after string) (string, error) {
			p.Limit, p.After = cobo.MaxPageSize, after
			page, err := c.api.ListWebhookEndpoints(c.ctx, p)
			if err != nil {
				return "", err
			}
			return nextCursor(page.Pagination, len(page.Data)), nil
		})
	}
}

// webhooksEndpointsGet: GET /v2/webhooks/endpoints/{id}.
func webhooksEndpointsGet(*flag.FlagSet) func(*client, []string) error {
	return func(c *client, args []string) error {
		if err := wantArgs(args, "ENDPOINT_ID"); err != nil {
			return err
		}
		if _, err := c.api.GetWebhookEndpoint(c.ctx, args[0]); err != nil {
			return err
		}
		return c.printJSON(c.capture.last(http.MethodGet))
	}
}

// webhooksEventsList: every page of GET /v2/webhooks/endpoints/{id}/events, as one JSON array.
func webhooksEventsList(fs *flag.FlagSet) func(*client, []string) error {
	var p cobo.ListWebhookEventsParams
	fs.StringVar(&p.Status, "status", "", "only events with this status: "+strings.Join(cobo.WebhookEventStatuses, ", "))
	fs.StringVar(&p.Type, "type", "", "only events of this type, such as "+cobo.EventPaymentOrderStatusUpdated)
	limit := fs.Int("limit", 0, "at most this many events (0: all)")
	return func(c *client, args []string) error {
		if err := wantArgs(args, "ENDPOINT_ID"); err != nil {
			return err
		}
		return c.printAllPages(*limit, func(after string) (string, error) {
			p.Limit, p.After = cobo.MaxPageSize, after
			page, err := c.api.ListWebhookEvents(c.ctx, args[0], p)
			if err != nil {
				return "", err
			}
			return nextCursor(page.Pagination, len(page.Data)), nil
		})
	}
}

// webhooksEventsGet: GET /v2/webhooks/endpoints/{id}/events/{event_id}.
func webhooksEventsGet(*flag.FlagSet) func(*client, []string) error {
	return func(c *client, args []string) error {
		if err := wantArgs(args, "ENDPOINT_ID", "EVENT_ID"); err != nil {
			return err
		}
		if _, err := c.api.GetWebhookEvent(c.ctx, args[0], args[1]); err != nil {
			return err
		}
		return c.printJSON(c.capture.last(http.MethodGet))
	}
}

// webhooksEventsLogs: every page of GET .../events/{event_id}/logs (one log per delivery attempt).
func webhooksEventsLogs(fs *flag.FlagSet) func(*client, []string) error {
	limit := fs.Int("limit", 0, "at most this many logs (0: all)")
	return func(c *client, args []string) error {
		if err := wantArgs(args, "ENDPOINT_ID", "EVENT_ID"); err != nil {
			return err
		}
		return c.printAllPages(*limit, func(after string) (string, error) {
			page, err := c.api.ListWebhookEventLogs(c.ctx, args[0], args[1], cobo.PageParams{Limit: cobo.MaxPageSize, After: after})
			if err != nil {
				return "", err
			}
			return nextCursor(page.Pagination, len(page.Data)), nil
		})
	}
}

// webhooksEventsRetry: POST .../events/{event_id}/retry; prints the API's answer ({"retried": true}).
func webhooksEventsRetry(*flag.FlagSet) func(*client, []string) error {
	return func(c *client, args []string) error {
		if err := wantArgs(args, "ENDPOINT_ID", "EVENT_ID"); err != nil {
			return err
		}
		if err := c.api.RetryWebhookEvent(c.ctx, args[0], args[1]); err != nil {
			return err
		}
		return c.printJSON(c.capture.last(http.MethodPost))
	}
}

// webhooksKey prints the public key the sandbox signs delivered events with: {"public_key": "<hex>"}.
func webhooksKey(*flag.FlagSet) func(*client, []string) error {
	return func(c *client, args []string) error {
		if err := wantArgs(args); err != nil {
			return err
		}
		key, err := c.sandboxWebhookKey()
		if err != nil {
			return err
		}
		out, err := json.Marshal(map[string]string{"public_key": key})
		if err != nil {
			return err
		}
		return c.printJSON(out)
	}
}

// webhooksDecide approves or rejects an endpoint awaiting approval (a sandbox started with
// -webhook-approval), as an administrator would in Cobo Portal; prints the endpoint.
func webhooksDecide(decision string) func(*flag.FlagSet) func(*client, []string) error {
	return func(*flag.FlagSet) func(*client, []string) error {
		return func(c *client, args []string) error {
			if err := wantArgs(args, "ENDPOINT_ID"); err != nil {
				return err
			}
			out, err := c.helper(http.MethodPost, "/webhooks/endpoints/"+url.PathEscape(args[0])+"/"+decision, nil)
			if err != nil {
				return err
			}
			return c.printJSON(out)
		}
	}
}

// sandboxWebhookKey reads the sandbox's webhook public key from GET /_sandbox/webhooks/key.
func (c *client) sandboxWebhookKey() (string, error) {
	out, err := c.helper(http.MethodGet, "/webhooks/key", nil)
	if err != nil {
		return "", fmt.Errorf("reading the sandbox's webhook public key: %w", err)
	}
	raw, err := field(out, "public_key")
	if err != nil {
		return "", fmt.Errorf("reading the sandbox's webhook public key: %w", err)
	}
	var key string
	if err := json.Unmarshal(raw, &key); err != nil || !isPublicKeyHex(key) {
		return "", fmt.Errorf("the sandbox's webhook public key %s is not 64 hexadecimal characters", raw)
	}
	return key, nil
}

func isPublicKeyHex(s string) bool {
	b, err := hex.DecodeString(s)
	return err == nil && len(b) == 32
}

// nextCursor is the cursor of the page after this one, "" on the last page.
func nextCursor(p cobo.Pagination, n int) string {
	if n == 0 {
		return ""
	}
	return p.After
}

// printAllPages calls fetch for each page (fetch returns the next page's cursor, "" after the last),
// collects the "data" items of each answer exactly as the API sent them, and prints them as one JSON
// array, cut to limit items when limit > 0.
func (c *client) printAllPages(limit int, fetch func(after string) (string, error)) error {
	if limit < 0 {
		return usageErrorf("-limit must be 0 (all) or more, got %d", limit)
	}
	items := []json.RawMessage{}
	for after := ""; ; {
		next, err := fetch(after)
		if err != nil {
			return err
		}
		var raw struct {
			Data []json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal(c.capture.last(http.MethodGet), &raw); err != nil {
			return fmt.Errorf("reading the list page: %w", err)
		}
		items = append(items, raw.Data...)
		if limit > 0 && len(items) >= limit {
			items = items[:limit]
			break
		}
		if after = next; after == "" {
			break
		}
	}
	out, err := json.Marshal(items)
	if err != nil {
		return err
	}
	return c.printJSON(out)
}
