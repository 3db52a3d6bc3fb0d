package provider

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/contract"
)

// receivedEvent is one delivery a test receiver took.
type receivedEvent struct {
	header http.Header
	body   []byte
}

// eventReceiver is a webhook receiver on 127.0.0.1 that answers every delivery with status.
type eventReceiver struct {
	url    string
	mu     sync.Mutex
	events []receivedEvent
}

func newEventReceiver(t *testing.T, status int) *eventReceiver {
	t.Helper()
	r := &eventReceiver{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.events = append(r.events, receivedEvent{header: req.Header.Clone(), body: body})
		r.mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(srv.Close)
	r.url = srv.URL + "/cobo/webhook"
	return r
}

func (r *eventReceiver) received() []receivedEvent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]receivedEvent(nil), r.events...)
}

// eventually polls cond until it holds, failing the test after a generous wait: deliveries are
// asynchronous, and this is not a speed check.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// A configuration that registers an endpoint pings it right after creating it: the receiver gets a
// signed event of the type asked for, with override_data in place of Cobo's dummy data.
func TestAccWebhookTestEventAction_pingsTheEndpointAfterCreate(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	skipWithoutQuery(t)
	receiver := newEventReceiver(t, http.StatusOK)
	config := env.config(fmt.Sprintf(`
action "cobo_webhook_test_event" "ping" {
  config {
    event_type    = "payment.order.status.updated"
    override_data = jsonencode({ order_id = "O-ping-1", status = "Completed" })
  }
}

resource "cobo_webhook_endpoint" "app" {
  url               = %q
  subscribed_events = ["payment.order.status.updated"]

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.cobo_webhook_test_event.ping]
    }
  }
}
`, receiver.url))
	unitTestOn(t, skipBelowQuery, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: config,
			Check: func(*terraform.State) error {
				triggers := env.requests(http.MethodPost, "/v2/payments/webhooks/trigger")
				if len(triggers) != 1 || !strings.Contains(triggers[0].Body, `"override_data":{"order_id":"O-ping-1","status":"Completed"}`) {
					return fmt.Errorf("want one trigger request with the override, got %+v", triggers)
				}
				return nil
			},
		}},
	})
	eventually(t, "the test event at the receiver", func() bool { return len(receiver.received()) > 0 })
	expectSignedEvent(t, env, receiver.received()[0], cobo.EventPaymentOrderStatusUpdated, map[string]string{"order_id": "O-ping-1", "status": "Completed"})
}

// expectSignedEvent checks that a delivery verifies with the sandbox's webhook key in both header
// spellings, is a WebhookEvent as Cobo's spec describes it, of that type, with those data fields.
func expectSignedEvent(t *testing.T, env *testEnv, got receivedEvent, eventType string, fields map[string]string) {
	t.Helper()
	// Go reads BIZ_TIMESTAMP as Biz_timestamp, and Get canonicalizes its argument the same way.
	for _, names := range cobo.WebhookHeaderSpellings {
		ts, sig := got.header.Get(names[0]), got.header.Get(names[1])
		if err := cobo.VerifyWebhook(env.sandbox.WebhookPublicKey(), sig, got.body, ts); err != nil {
			t.Errorf("the delivery's %s/%s headers (%q, %q) do not verify: %v", names[0], names[1], ts, sig, err)
		}
	}
	if err := contract.ValidateWebhookEvent(got.body); err != nil {
		t.Errorf("the delivered body breaks Cobo's WebhookEvent schema: %v", err)
	}
	var event struct {
		Type string         `json:"type"`
		Data map[string]any `json:"data"`
	}
	if err := json.Unmarshal(got.body, &event); err != nil {
		t.Fatalf("the delivery is not a WebhookEvent: %v\n%s", err, got.body)
	}
	if event.Type != eventType {
		t.Errorf("event type %q, want %q", event.Type, eventType)
	}
	for name, want := range fields {
		if event.Data[name] != want {
			t.Errorf("data.%s = %v, want %q (override_data applied): %s", name, event.Data[name], want, got.body)
		}
	}
}

// triggeredEvent registers an endpoint for the receiver, triggers one test event and waits until
// Cobo reports it in status.
func (e *testEnv) triggeredEvent(receiver *eventReceiver, status string) (endpointID string, event cobo.WebhookEvent) {
	e.t.Helper()
	ep := e.seedEndpoint(cobo.CreateWebhookEndpointRequest{URL: receiver.url, SubscribedEvents: []string{cobo.EventPaymentTransactionCompleted}})
	if err := e.client.TriggerWebhookEvent(e.t.Context(), cobo.TriggerWebhookEventRequest{EventType: cobo.EventPaymentTransactionCompleted}); err != nil {
		e.t.Fatalf("triggering a test event: %v", err)
	}
	eventually(e.t, "a "+status+" event", func() bool {
		page, err := e.client.ListWebhookEvents(e.t.Context(), ep.EndpointID, cobo.ListWebhookEventsParams{})
		if err != nil {
			e.t.Fatalf("listing the events of %s: %v", ep.EndpointID, err)
		}
		for _, ev := range page.Data {
			if ev.Status == status {
				event = ev
				return true
			}
		}
		return false
	})
	return ep.EndpointID, event
}

// logCount is how many delivery attempts Cobo logged for the event.
func (e *testEnv) logCount(endpointID, eventID string) int {
	e.t.Helper()
	page, err := e.client.ListWebhookEventLogs(e.t.Context(), endpointID, eventID, cobo.PageParams{Limit: cobo.MaxPageSize})
	if err != nil {
		e.t.Fatalf("listing the logs of event %s: %v", eventID, err)
	}
	return len(page.Data)
}

// An event its endpoint failed to take (HTTP 500) is Retrying, and Failed once the sandbox clock has
// brought all its retries; either way the action delivers it again, which Cobo logs as one more attempt.
func TestAccWebhookEventRetryAction_retriesRetryingAndFailedEvents(t *testing.T) {
	t.Parallel()
	for _, status := range []string{cobo.EventStatusRetrying, cobo.EventStatusFailed} {
		t.Run(status, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t)
			skipWithoutQuery(t)
			receiver := newEventReceiver(t, http.StatusInternalServerError)
			endpointID, event := env.triggeredEvent(receiver, cobo.EventStatusRetrying)
			if status == cobo.EventStatusFailed {
				event = env.exhaustRetries(endpointID, event.EventID)
			}
			logs := env.logCount(endpointID, event.EventID)
			env.sandbox.ResetRequests()
			unitTest(t, resource.TestCase{
				TerraformVersionChecks: skipBelowQuery,
				Steps: []resource.TestStep{{
					Config: env.config(webhookActionConfig("cobo_webhook_event_retry", fmt.Sprintf("endpoint_id = %q", endpointID), fmt.Sprintf("event_id = %q", event.EventID))),
				}},
			})
			retries := env.requests(http.MethodPost, "/v2/webhooks/endpoints/")
			if want := fmt.Sprintf("/v2/webhooks/endpoints/%s/events/%s/retry", endpointID, event.EventID); len(retries) != 1 || retries[0].Path != want {
				t.Errorf("want one POST %s, got %+v", want, retries)
			}
			eventually(t, "one more delivery log", func() bool { return env.logCount(endpointID, event.EventID) == logs+1 })
			if n := len(receiver.received()); n != logs+1 {
				t.Errorf("the receiver got %d deliveries; want the %d logged before and the retry", n, logs)
			}
		})
	}
}

// exhaustRetries advances the sandbox clock past each due retry of a Retrying event, one at a time,
// until the event is Failed.
func (e *testEnv) exhaustRetries(endpointID, eventID string) cobo.WebhookEvent {
	e.t.Helper()
	var event *cobo.WebhookEvent
	for attempts := 1; attempts <= cobo.WebhookMaxRetries; attempts++ {
		e.sandbox.Advance(cobo.WebhookRetrySchedule[attempts-1])
		eventually(e.t, fmt.Sprintf("delivery attempt %d", attempts+1), func() bool { return e.logCount(endpointID, eventID) == attempts+1 })
	}
	eventually(e.t, "a Failed event", func() bool {
		var err error
		event, err = e.client.GetWebhookEvent(e.t.Context(), endpointID, eventID)
		if err != nil {
			e.t.Fatalf("reading event %s: %v", eventID, err)
		}
		return event.Status == cobo.EventStatusFailed
	})
	return *event
}

// A delivered (Success) event cannot be retried: the action fails naming the status, and no retry
// request reaches Cobo. An unknown event fails with Cobo's 404.
func TestAccWebhookEventRetryAction_refusals(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	skipWithoutQuery(t)
	receiver := newEventReceiver(t, http.StatusOK)
	endpointID, event := env.triggeredEvent(receiver, cobo.EventStatusSuccess)
	cases := []struct {
		eventID string
		want    *regexp.Regexp
	}{
		{event.EventID, expectDiagnostic(`Webhook event cannot be retried in its current status`, `webhook event `+event.EventID+` of endpoint `+endpointID+
			` \(payment.transaction.completed\) is Success. Cobo retries only Retrying or Failed events, so nothing was sent`)},
		{"no-such-event", expectDiagnostic(`Unable to read webhook event no-such-event of endpoint `+endpointID,
			`Cobo API GET http://127\.0\.0\.1:\d+/v2/webhooks/endpoints/`+endpointID+`/events/no-such-event answered HTTP 404, error_code 2028.*`+
				`Cobo knows no such webhook event in the organization of this API key\. Check the event_id, and that the event was sent to endpoint_id`)},
	}
	env.sandbox.ResetRequests()
	for _, c := range cases {
		unitTest(t, resource.TestCase{
			TerraformVersionChecks: skipBelowQuery,
			Steps: []resource.TestStep{{
				Config:      env.config(webhookActionConfig("cobo_webhook_event_retry", fmt.Sprintf("endpoint_id = %q", endpointID), fmt.Sprintf("event_id = %q", c.eventID))),
				ExpectError: c.want,
			}},
		})
	}
	if posts := env.requests(http.MethodPost, "/v2/webhooks/endpoints/"); len(posts) != 0 {
		t.Errorf("the action sent %d retry requests; want none: %+v", len(posts), posts)
	}
	if gets := env.requests(http.MethodGet, "/v2/webhooks/endpoints/"); len(gets) == 0 {
		t.Error("the action did not read the event before refusing")
	}
}

// Invoked from the CLI, both actions say what they did.
func TestAccWebhookEventRetryAction_invokedFromTheCLIReportsProgress(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	w := newQueryWorkspace(t)
	receiver := newEventReceiver(t, http.StatusInternalServerError)
	endpointID, event := env.triggeredEvent(receiver, cobo.EventStatusRetrying)
	w.write("main.tf", requiredProviders+env.providerBlock()+fmt.Sprintf(`
action "cobo_webhook_event_retry" "this" {
  config {
    endpoint_id = %q
    event_id    = %q
  }
}

action "cobo_webhook_test_event" "this" {
  config {
    event_type = "payment.transaction.completed"
  }
}
`, endpointID, event.EventID))
	w.mustRun("init", "-input=false")

	what := fmt.Sprintf("webhook event %s of endpoint %s", event.EventID, endpointID)
	out := w.mustRun("apply", "-invoke=action.cobo_webhook_event_retry.this", "-auto-approve", "-input=false")
	for _, want := range []string{"The " + what + " (payment.transaction.completed) is Retrying: asking Cobo to deliver it again.",
		"Cobo accepted the retry of the " + what + "; its delivery logs show the new attempt."} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks the progress message %q:\n%s", want, out)
		}
	}
	out = w.mustRun("apply", "-invoke=action.cobo_webhook_test_event.this", "-auto-approve", "-input=false")
	if want := "Cobo accepted the test payment.transaction.completed event; it goes to the organization's active endpoints subscribed to the event type."; !strings.Contains(out, want) {
		t.Errorf("the output lacks the progress message %q:\n%s", want, out)
	}
}
