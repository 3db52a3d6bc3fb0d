package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// The list resource cobo_webhook_endpoint serves `terraform query` (Terraform >= 1.14): it finds the
// webhook endpoints Cobo has for the organization, so that `terraform query -generate-config-out=FILE`
// can write the resource and import blocks that bring them under Terraform.

func newWebhookEndpointListResource() list.ListResource {
	return &queryList[webhookEndpointListModel, cobo.WebhookEndpoint]{
		resourceBase: resourceBase{typeName: "webhook_endpoint"}, kind: webhookEndpointKind,
		schema: webhookEndpointListSchema, failure: "Unable to list webhook endpoints",
		find: func(ctx context.Context, client *cobo.Client, cfg webhookEndpointListModel, limit int) ([]cobo.WebhookEndpoint, error) {
			return listWebhookEndpoints(ctx, client, cobo.ListWebhookEndpointsParams{Status: cfg.Status.ValueString(), EventType: cfg.EventType.ValueString()}, limit)
		},
		describe: func(e *cobo.WebhookEndpoint) (string, string) {
			return e.EndpointID, fmt.Sprintf("%s (%s, %s)", e.URL, e.EndpointID, e.Status)
		},
		resource: func(e *cobo.WebhookEndpoint, noTimeouts timeouts.Value) (any, diag.Diagnostics) {
			model, diags := flattenWebhookEndpoint(e)
			return &webhookEndpointResourceModel{webhookEndpointModel: model, Timeouts: noTimeouts}, diags
		},
	}
}

type webhookEndpointListModel struct {
	Status    types.String `tfsdk:"status"`
	EventType types.String `tfsdk:"event_type"`
}

func webhookEndpointListSchema() schema.Schema {
	return schema.Schema{
		MarkdownDescription: fmt.Sprintf("Finds the organization's Cobo webhook endpoints for `terraform query` (Terraform >= 1.14), filtered by Cobo, following Cobo's cursor pages (%d endpoints a page) until the `list` block's `limit` (default %d) or the last page. "+
			"Each result is the endpoint's identity (`endpoint_id`) with a display name of its url, id and status. With `include_resource = true` it is also the resource as an import would read it, "+
			"so `terraform query -generate-config-out=FILE` writes resource and import blocks that import the endpoints unchanged. "+
			"Without a `status` filter, revoked (`%s`) and rejected (`%s`) endpoints are left out: they can never receive events again, and Terraform cannot import them.",
			cobo.MaxPageSize, defaultQueryLimit, cobo.EndpointStatusInactive, cobo.EndpointStatusRejectedActive),
		Attributes: map[string]schema.Attribute{
			"status": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only endpoints in this status: " + markdownList(cobo.WebhookEndpointStatuses) + ".",
				Validators:          []validator.String{stringvalidator.OneOf(cobo.WebhookEndpointStatuses...)},
			},
			"event_type": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only endpoints subscribed to this event type, such as `" + cobo.EventPaymentOrderStatusUpdated + "`. A type Cobo does not document warns, naming the nearest one it does.",
				Validators: []validator.String{
					stringvalidator.LengthAtLeast(1),
					stringCheck{description: "should be one of Cobo's webhook event types", summary: "Unknown webhook event type", check: checkWebhookEventType, warning: true},
				},
			},
		},
	}
}

// listWebhookEndpoints reads Cobo's pages until it has want endpoints or the last page. Without a
// status filter, endpoints in a final status are skipped (they do not count towards want).
func listWebhookEndpoints(ctx context.Context, client *cobo.Client, params cobo.ListWebhookEndpointsParams, want int) ([]cobo.WebhookEndpoint, error) {
	page := func(ctx context.Context, after string, limit int) (*cobo.WebhookEndpointPage, error) {
		params.After, params.Limit = after, limit
		return client.ListWebhookEndpoints(ctx, params)
	}
	var live func(*cobo.WebhookEndpoint) bool
	if params.Status == "" {
		live = func(e *cobo.WebhookEndpoint) bool { return !cobo.IsFinalEndpointStatus(e.Status) }
	}
	endpoints, _, err := cobo.CollectPages(ctx, want, "webhook endpoint", page, live)
	return endpoints, err
}
