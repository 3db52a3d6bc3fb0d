package provider

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// A Cobo WebhookEndpoint as Terraform shows it, shared by the cobo_webhook_endpoint resource, data
// source and list resource: the model, how an endpoint maps to it, and each attribute's description.

// webhookEndpointModel holds a WebhookEndpoint's attributes.
type webhookEndpointModel struct {
	ID               types.String `tfsdk:"id"`
	EndpointID       types.String `tfsdk:"endpoint_id"`
	URL              types.String `tfsdk:"url"`
	SubscribedEvents types.Set    `tfsdk:"subscribed_events"`
	Description      types.String `tfsdk:"description"`
	Status           types.String `tfsdk:"status"`
	CreatedTimestamp types.Int64  `tfsdk:"created_timestamp"`
}

// flattenWebhookEndpoint maps a Cobo WebhookEndpoint to the model: strings as Cobo sent them, an
// omitted description as null, the events as a (possibly empty) set.
func flattenWebhookEndpoint(e *cobo.WebhookEndpoint) (webhookEndpointModel, diag.Diagnostics) {
	events := make([]attr.Value, 0, len(e.SubscribedEvents))
	for _, ev := range e.SubscribedEvents {
		events = append(events, types.StringValue(ev))
	}
	set, diags := types.SetValue(types.StringType, events)
	return webhookEndpointModel{
		ID:               types.StringValue(e.EndpointID),
		EndpointID:       types.StringValue(e.EndpointID),
		URL:              types.StringValue(e.URL),
		SubscribedEvents: set,
		Description:      types.StringPointerValue(e.Description),
		Status:           types.StringValue(e.Status),
		CreatedTimestamp: types.Int64Value(e.CreatedTimestamp),
	}, diags
}

// webhookEndpointDescriptions describes each attribute, once for every schema that has it.
var webhookEndpointDescriptions = map[string]string{
	"id":          "The endpoint's ID, the same as `endpoint_id`.",
	"endpoint_id": "The webhook endpoint ID Cobo assigned (a UUID).",
	"url": fmt.Sprintf("The URL Cobo delivers events to: an absolute `https` URL of at most %d characters (`http` is accepted only for a loopback host, such as `http://127.0.0.1:8080/hook`, which the sandbox serves).",
		cobo.WebhookURLMaxLength),
	"subscribed_events": "The event types delivered to the endpoint, such as `" + cobo.EventPaymentOrderStatusUpdated + "` and `" + cobo.EventPaymentTransactionCompleted + "`.",
	"description":       "A description of the endpoint, for people.",
	"status": "The endpoint's status: " + markdownList(cobo.WebhookEndpointStatuses) + ". `STATUS_PENDING_*` ones await approval in Cobo Portal: of the registration (`" +
		cobo.EndpointStatusPendingActive + "`, which receives no events until then), of an update or of a revoke (which leave the endpoint receiving events as before until then). `" +
		cobo.EndpointStatusInactive + "` (revoked) and `" + cobo.EndpointStatusRejectedActive + "` (registration rejected) are final.",
	"created_timestamp": "When the endpoint was registered, in milliseconds since the Unix epoch (Cobo's reference says seconds, but its example and every other webhook timestamp are in milliseconds: see the API decisions guide).",
}

// webhookEndpointDescription is one attribute's description; a name without one is a bug.
func webhookEndpointDescription(name string) string {
	d, ok := webhookEndpointDescriptions[name]
	if !ok {
		panic("no webhook endpoint attribute " + name)
	}
	return d
}

// dataSourceWebhookEndpointAttributes are every endpoint attribute as a computed data source attribute.
func dataSourceWebhookEndpointAttributes() map[string]dsschema.Attribute {
	attrs := make(map[string]dsschema.Attribute, len(webhookEndpointDescriptions))
	for name, d := range webhookEndpointDescriptions {
		switch name {
		case "subscribed_events":
			attrs[name] = dsschema.SetAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: d}
		case "created_timestamp":
			attrs[name] = dsschema.Int64Attribute{Computed: true, MarkdownDescription: d}
		default:
			attrs[name] = dsschema.StringAttribute{Computed: true, MarkdownDescription: d}
		}
	}
	return attrs
}
