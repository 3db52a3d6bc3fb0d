package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// The action cobo_webhook_test_event asks Cobo to send a test Payments event to the organization's
// webhook endpoints (Terraform >= 1.14): `terraform apply -invoke=action.cobo_webhook_test_event.NAME`,
// or an action_trigger on after_create of a cobo_webhook_endpoint, so that a configuration pings its
// endpoint as soon as it is registered.

func newWebhookTestEventAction() action.Action {
	return &configuredAction[webhookTestEventModel]{actionBase: actionBase{typeName: "webhook_test_event"}, schema: webhookTestEventSchema, invoke: triggerTestEvent}
}

type webhookTestEventModel struct {
	EventType    types.String `tfsdk:"event_type"`
	OverrideData types.String `tfsdk:"override_data"`
}

// paymentEventTypes are the event types the test trigger sends: the Payments ones Cobo documents.
var paymentEventTypes = func() []string {
	var out []string
	for _, t := range cobo.WebhookEventTypes {
		if cobo.IsPaymentWebhookEventType(t) {
			out = append(out, t)
		}
	}
	return out
}()

func webhookTestEventSchema() schema.Schema {
	return schema.Schema{
		MarkdownDescription: "Asks Cobo to send a test Payments webhook event to the organization's webhook endpoints through `POST /payments/webhooks/trigger` (Terraform >= 1.14), " +
			"so that a configuration can check that its app receives events, for example from an `action_trigger` on `after_create` of a `cobo_webhook_endpoint`. " +
			"The event goes to " + cobo.WebhookTriggerTargets + " (see the API decisions guide), and carries Cobo's dummy data with the fields of `override_data` in place of Cobo's. " +
			"Each invocation sends one event; it is never repeated on failure, since a repeated request would send a second event. " +
			"The sandbox sends test events of the pay-in order types only: " + markdownList(cobo.WebhookTriggerEventTypes) + ".",
		Attributes: map[string]schema.Attribute{
			"event_type": schema.StringAttribute{
				Required: true,
				MarkdownDescription: "The type of the test event: a Payments event type, such as `" + cobo.EventPaymentOrderStatusUpdated + "` (Cobo's test trigger sends no other kind): " +
					markdownList(paymentEventTypes) + ". Another type is an error at plan time; a `payment.` type not listed here is sent with a warning, since Cobo adds types.",
				Validators: []validator.String{paymentEventTypeValidator(), knownPaymentEventTypeValidator()},
			},
			"override_data": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "A JSON object, usually written with `jsonencode`, whose fields replace those of the event's default `data`, such as `jsonencode({ order_id = \"O20250304-000042\", status = \"Completed\" })`. " +
					"The fields must match the data of the event type. Checked at plan time to be a JSON object.",
				Validators: []validator.String{jsonObjectValidator()},
			},
		},
	}
}

// triggerTestEvent sends one test event of the configured type.
func triggerTestEvent(ctx context.Context, client *cobo.Client, cfg webhookTestEventModel, resp *action.InvokeResponse) {
	eventType := cfg.EventType.ValueString()
	trigger := cobo.TriggerWebhookEventRequest{EventType: eventType}
	if override := cfg.OverrideData.ValueString(); override != "" {
		// Checked again: a value unknown at plan time (from another resource) was not checked then.
		if err := checkJSONObject(override); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("override_data"), "Invalid override_data", err.Error()+".")
			return
		}
		trigger.OverrideData = json.RawMessage(override)
	}
	if err := client.TriggerWebhookEvent(ctx, trigger); err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic("Unable to send a test "+quote(eventType)+" webhook event", err))
		return
	}
	tflog.Info(ctx, "triggered a test webhook event through the action", map[string]any{"event_type": eventType})
	sendProgress(resp, "Cobo accepted the test %s event; it goes to %s.", eventType, cobo.WebhookTriggerTargets)
}

// paymentEventTypeValidator rejects a type outside Payments: the test trigger sends no other.
func paymentEventTypeValidator() validator.String {
	return stringCheck{
		description: "must be a Payments event type (payment.*)",
		summary:     "Invalid event_type",
		check: func(t string) error {
			if strings.HasPrefix(t, "payment.") {
				return nil
			}
			return fmt.Errorf("event_type %q is not a Payments event type: Cobo's test trigger (POST /payments/webhooks/trigger) only sends Payments events, one of %s", t, strings.Join(paymentEventTypes, ", "))
		},
	}
}

// knownPaymentEventTypeValidator warns about a payment.* type Cobo does not document: Cobo adds
// types, so it is sent and Cobo decides.
func knownPaymentEventTypeValidator() validator.String {
	return stringCheck{
		description: "should be a Payments event type Cobo documents",
		summary:     "Undocumented Payments event type",
		warning:     true,
		check: func(t string) error {
			if !strings.HasPrefix(t, "payment.") || cobo.IsPaymentWebhookEventType(t) {
				return nil
			}
			return fmt.Errorf("event_type %q is not one of the Payments event types Cobo documents; did you mean %q? It is still sent: Cobo adds event types, and its API decides whether it accepts this one",
				t, nearestWebhookEventType(t))
		},
	}
}

// jsonObjectValidator accepts a string that is one JSON object, as Cobo's override_data is.
func jsonObjectValidator() validator.String {
	return stringCheck{
		description: "must be a JSON object, such as jsonencode({ status = \"Completed\" })",
		summary:     "Invalid override_data",
		check:       checkJSONObject,
	}
}

func checkJSONObject(s string) error {
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) {
			return fmt.Errorf("override_data is not valid JSON (%v at byte %d); write a JSON object, for example with jsonencode({ status = \"Completed\" })", err, syntax.Offset)
		}
		return fmt.Errorf("override_data is not valid JSON (%v); write a JSON object, for example with jsonencode({ status = \"Completed\" })", err)
	}
	if _, ok := v.(map[string]any); !ok {
		return fmt.Errorf("override_data must be a JSON object ({...}) whose fields replace those of the event's data, got %s; for example jsonencode({ status = \"Completed\" })", jsonKind(v))
	}
	return nil
}

// jsonKind names the kind of a decoded JSON value, for messages.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case []any:
		return "an array"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	default:
		return "a number"
	}
}
