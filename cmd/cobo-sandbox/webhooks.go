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

// webhooksTrigger: POST /v2/payments/webhooks/trigger; prints the API's answer ({"triggered": true}).
func webhooksTrigger(fs *flag.FlagSet) func(*client, []string) error {
	override := fs.String("override", "", `override_data: a JSON object whose fields replace those of the default payload, such as '{"status": "Completed"}'`)
	return func(c *client, args []string) error {
		req := cobo.TriggerWebhookEventRequest{EventType: args[0]}
		if *override != "" {
			var obj map[string]json.RawMessage
			if err := json.Unmarshal([]byte(*override), &obj); err != nil {
				return usageErrorf("-override must be a JSON object such as '{\"status\": \"Completed\"}': %v", err)
			}
			req.OverrideData = json.RawMessage(*override)
		}
		return c.printAnswer(http.MethodPost, c.api.TriggerWebhookEvent(c.ctx, req))
	}
}

// webhooksEndpointsList: every page of GET /v2/webhooks/endpoints, as a table or (-json) one JSON array.
func webhooksEndpointsList(fs *flag.FlagSet) func(*client, []string) error {
	var p cobo.ListWebhookEndpointsParams
	fs.StringVar(&p.Status, "status", "", "only endpoints with this status: "+strings.Join(cobo.WebhookEndpointStatuses, ", "))
	fs.StringVar(&p.EventType, "event-type", "", "only endpoints subscribed to this event type")
	out := listFlags(fs, "endpoints", true, endpointColumns)
	return func(c *client, _ []string) error {
		return printList(c, out, func(after string) (*cobo.WebhookEndpointPage, error) {
			p.Limit, p.After = cobo.MaxPageSize, after
			return c.api.ListWebhookEndpoints(c.ctx, p)
		})
	}
}

// webhooksEndpointsCreate: POST /v2/webhooks/endpoints; prints the endpoint as the API returns it.
func webhooksEndpointsCreate(fs *flag.FlagSet) func(*client, []string) error {
	endpointURL := fs.String("url", "", "the URL events are sent to (required): https, or http on a loopback host such as http://127.0.0.1:3000/cobo/webhook")
	events := fs.String("events", strings.Join(listenDefaultEvents, ","), "the event types to subscribe to, comma-separated")
	description := fs.String("description", "", "a description of the endpoint")
	return func(c *client, _ []string) error {
		if *endpointURL == "" {
			return usageErrorf("webhooks endpoints create needs -url, such as http://127.0.0.1:3000/cobo/webhook")
		}
		if err := cobo.ValidateWebhookURL(*endpointURL); err != nil {
			return usageErrorf("-url: %v", err)
		}
		subscribed := splitList(*events)
		if len(subscribed) == 0 {
			return usageErrorf("-events must name at least one event type, such as %s", cobo.EventPaymentOrderStatusUpdated)
		}
		req := cobo.CreateWebhookEndpointRequest{URL: *endpointURL, SubscribedEvents: subscribed, Description: *description}
		ep, err := c.api.CreateWebhookEndpoint(c.ctx, req)
		if err != nil {
			return err
		}
		return c.printEndpoint(ep.EndpointID, http.MethodPost)
	}
}

// webhooksEndpointsRevoke: PUT /v2/webhooks/endpoints/{id} with {"status": "STATUS_INACTIVE"}; prints
// the endpoint as the API returns it.
func webhooksEndpointsRevoke(fs *flag.FlagSet) func(*client, []string) error {
	stderr := fs.Output()
	return func(c *client, args []string) error {
		ep, err := c.api.UpdateWebhookEndpoint(c.ctx, args[0], cobo.UpdateWebhookEndpointRequest{Status: cobo.EndpointStatusInactive})
		if err != nil {
			return err
		}
		if !cobo.IsFinalEndpointStatus(ep.Status) {
			fmt.Fprintf(stderr, "cobo-sandbox: the revoke awaits approval: cobo-sandbox webhooks approve %s\n", ep.EndpointID)
		}
		return c.printEndpoint(ep.EndpointID, http.MethodPut)
	}
}

// printEndpoint prints the endpoint exactly as the API answered the last request, made with method.
func (c *client) printEndpoint(id, method string) error {
	if raw := c.capture.last(method); raw != nil {
		return c.printJSON(raw)
	}
	_, err := c.api.GetWebhookEndpoint(c.ctx, id)
	return c.printAnswer(http.MethodGet, err)
}

// webhooksEndpointsGet: GET /v2/webhooks/endpoints/{id}.
func webhooksEndpointsGet(*flag.FlagSet) func(*client, []string) error {
	return func(c *client, args []string) error {
		_, err := c.api.GetWebhookEndpoint(c.ctx, args[0])
		return c.printAnswer(http.MethodGet, err)
	}
}

// webhooksEventsList: every page of GET /v2/webhooks/endpoints/{id}/events, as a table or (-json) one
// JSON array.
func webhooksEventsList(fs *flag.FlagSet) func(*client, []string) error {
	var p cobo.ListWebhookEventsParams
	fs.StringVar(&p.Status, "status", "", "only events with this status: "+strings.Join(cobo.WebhookEventStatuses, ", "))
	fs.StringVar(&p.Type, "type", "", "only events of this type, such as "+cobo.EventPaymentOrderStatusUpdated)
	out := listFlags(fs, "events", true, eventColumns)
	return func(c *client, args []string) error {
		return printList(c, out, func(after string) (*cobo.WebhookEventPage, error) {
			p.Limit, p.After = cobo.MaxPageSize, after
			return c.api.ListWebhookEvents(c.ctx, args[0], p)
		})
	}
}

// webhooksEventsGet: GET /v2/webhooks/endpoints/{id}/events/{event_id}.
func webhooksEventsGet(*flag.FlagSet) func(*client, []string) error {
	return func(c *client, args []string) error {
		_, err := c.api.GetWebhookEvent(c.ctx, args[0], args[1])
		return c.printAnswer(http.MethodGet, err)
	}
}

// webhooksEventsLogs: every page of GET .../events/{event_id}/logs (one log per delivery attempt), as
// a table or (-json) one JSON array.
func webhooksEventsLogs(fs *flag.FlagSet) func(*client, []string) error {
	out := listFlags(fs, "logs", true, logColumns)
	return func(c *client, args []string) error {
		return printList(c, out, func(after string) (*cobo.WebhookEventLogPage, error) {
			return c.api.ListWebhookEventLogs(c.ctx, args[0], args[1], cobo.PageParams{Limit: cobo.MaxPageSize, After: after})
		})
	}
}

// webhooksEventsRetry: POST .../events/{event_id}/retry; prints the API's answer ({"retried": true}).
func webhooksEventsRetry(*flag.FlagSet) func(*client, []string) error {
	return func(c *client, args []string) error {
		return c.printAnswer(http.MethodPost, c.api.RetryWebhookEvent(c.ctx, args[0], args[1]))
	}
}

// webhooksKey prints the public key the sandbox signs delivered events with: {"public_key": "<hex>"}.
func webhooksKey(*flag.FlagSet) func(*client, []string) error {
	return func(c *client, _ []string) error {
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
			return c.printHelper(http.MethodPost, "/webhooks/endpoints/"+url.PathEscape(args[0])+"/"+decision, nil)
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
