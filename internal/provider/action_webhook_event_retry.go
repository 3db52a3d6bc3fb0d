package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// The action cobo_webhook_event_retry asks Cobo to deliver one webhook event again (Terraform >= 1.14):
// `terraform apply -invoke=action.cobo_webhook_event_retry.NAME`, for example once the app that failed
// to take it is fixed.

func newWebhookEventRetryAction() action.Action {
	return &configuredAction[webhookEventRetryModel]{actionBase: actionBase{typeName: "webhook_event_retry"}, schema: webhookEventRetrySchema, invoke: retryWebhookEvent}
}

type webhookEventRetryModel struct {
	EndpointID types.String `tfsdk:"endpoint_id"`
	EventID    types.String `tfsdk:"event_id"`
}

func webhookEventRetrySchema() schema.Schema {
	return schema.Schema{
		MarkdownDescription: fmt.Sprintf("Asks Cobo to deliver a webhook event to its endpoint once more, through `POST /webhooks/endpoints/{endpoint_id}/events/{event_id}/retry` (Terraform >= 1.14). "+
			"It reads the event first: a `%s` or `%s` event is retried, which adds a delivery log to it; an event in any other status (`%s`: it was delivered) cannot be retried, "+
			"and the action fails naming its status without sending anything. The retry is sent once, never repeated on failure, since each retry is one more delivery.",
			cobo.EventStatusRetrying, cobo.EventStatusFailed, cobo.EventStatusSuccess),
		Attributes: map[string]schema.Attribute{
			"endpoint_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The id of the webhook endpoint the event was sent to, such as a `cobo_webhook_endpoint`'s `endpoint_id`.",
				Validators:          []validator.String{webhookEndpointIDValidator()},
			},
			"event_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "The id (`event_id`, a UUID) of the event to deliver again, as Cobo lists it among the endpoint's events.",
				Validators:          []validator.String{webhookEventKind.idValidator()},
			},
		},
	}
}

// retryWebhookEvent retries the event when Cobo still retries it, after reading it.
func retryWebhookEvent(ctx context.Context, client *cobo.Client, cfg webhookEventRetryModel, resp *action.InvokeResponse) {
	endpointID, eventID := cfg.EndpointID.ValueString(), cfg.EventID.ValueString()
	what := fmt.Sprintf("webhook event %s of endpoint %s", eventID, endpointID)
	event, err := client.GetWebhookEvent(ctx, endpointID, eventID)
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic("Unable to read "+what, err))
		return
	}
	if event.Status != cobo.EventStatusRetrying && event.Status != cobo.EventStatusFailed {
		resp.Diagnostics.AddAttributeError(path.Root("event_id"), "Webhook event cannot be retried in its current status",
			fmt.Sprintf("The %s (%s) is %s. Cobo retries only %s or %s events, so nothing was sent.", what, event.Type, statusOrNone(event.Status), cobo.EventStatusRetrying, cobo.EventStatusFailed))
		return
	}

	sendProgress(resp, "The %s (%s) is %s: asking Cobo to deliver it again.", what, event.Type, event.Status)
	if err := client.RetryWebhookEvent(ctx, endpointID, eventID); err != nil {
		resp.Diagnostics.Append(apiErrorDiagnostic("Unable to retry "+what, err))
		return
	}
	tflog.Info(ctx, "retried a webhook event through the action", map[string]any{"endpoint_id": endpointID, "event_id": eventID, "status": event.Status})
	sendProgress(resp, "Cobo accepted the retry of the %s; its delivery logs show the new attempt.", what)
}

// statusOrNone names a status for a message, also when Cobo sent none.
func statusOrNone(status string) string {
	if status == "" {
		return "without a status"
	}
	return status
}
