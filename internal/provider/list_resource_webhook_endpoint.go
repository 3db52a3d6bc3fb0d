package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// The list resource cobo_webhook_endpoint serves `terraform query` (Terraform >= 1.14): it finds the
// webhook endpoints Cobo has for the organization, so that `terraform query -generate-config-out=FILE`
// can write the resource and import blocks that bring them under Terraform.

var (
	_ list.ListResource = &webhookEndpointListResource{}
)

func newWebhookEndpointListResource() list.ListResource {
	return &webhookEndpointListResource{resourceBase{typeName: "webhook_endpoint"}}
}

type webhookEndpointListResource struct{ resourceBase }

type webhookEndpointListModel struct {
	Status    types.String `tfsdk:"status"`
	EventType types.String `tfsdk:"event_type"`
}

func (l *webhookEndpointListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
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

func (l *webhookEndpointListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg webhookEndpointListModel
	diags := getModel(ctx, req.Config, &cfg)
	ctx, client := l.data.clientFor(ctx, &diags)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	noTimeouts, diags := nullTimeouts(ctx, req)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	params := cobo.ListWebhookEndpointsParams{Status: cfg.Status.ValueString(), EventType: cfg.EventType.ValueString()}
	endpoints, err := listWebhookEndpoints(ctx, client, params, queryLimit(req))
	if err != nil {
		stream.Results = list.ListResultsStreamDiagnostics(diag.Diagnostics{apiErrorDiagnostic("Unable to list webhook endpoints", err)})
		return
	}
	stream.Results = streamEach(endpoints, func(e *cobo.WebhookEndpoint) list.ListResult {
		return webhookEndpointListResult(ctx, req, noTimeouts, e)
	})
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

// webhookEndpointListResult is one endpoint as a query result: its identity, a display name and, when
// asked for, the resource as the import of that identity would read it (no timeouts block).
func webhookEndpointListResult(ctx context.Context, req list.ListRequest, noTimeouts timeouts.Value, e *cobo.WebhookEndpoint) list.ListResult {
	result := req.NewListResult(ctx)
	result.DisplayName = fmt.Sprintf("%s (%s, %s)", e.URL, e.EndpointID, e.Status)
	result.Diagnostics.Append(result.Identity.SetAttribute(ctx, path.Root("endpoint_id"), e.EndpointID)...)
	if !req.IncludeResource {
		return result
	}
	model, diags := flattenWebhookEndpoint(e)
	result.Diagnostics.Append(diags...)
	result.Diagnostics.Append(result.Resource.Set(ctx, &webhookEndpointResourceModel{webhookEndpointModel: model, Timeouts: noTimeouts})...)
	return result
}
