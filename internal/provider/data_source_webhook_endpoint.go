package provider

import (
	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// cobo_webhook_endpoint: one webhook endpoint by its id, whatever its status.

func newWebhookEndpointDataSource() datasource.DataSource {
	return byIDDataSource[webhookEndpointDataSourceModel, *cobo.WebhookEndpoint]{
		kind:     webhookEndpointKind,
		typeName: "webhook_endpoint",
		description: "Reads one webhook endpoint of your Cobo organization: its url, the events it subscribes to and its status, whatever that status is (a revoked endpoint is read too). " +
			"An `endpoint_id` Cobo does not know fails the plan (HTTP 404, error_code 2028).",
		attributes: dataSourceWebhookEndpointAttributes,
		id:         func(cfg *webhookEndpointDataSourceModel) types.String { return cfg.EndpointID },
		fetch:      (*cobo.Client).GetWebhookEndpoint,
		fill:       fillWebhookEndpointDataSource,
	}.dataSource()
}

type webhookEndpointDataSourceModel struct {
	webhookEndpointModel
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

func fillWebhookEndpointDataSource(cfg *webhookEndpointDataSourceModel, endpoint *cobo.WebhookEndpoint, endpointID string) diag.Diagnostics {
	m, diags := flattenWebhookEndpoint(endpoint)
	m.ID, m.EndpointID = types.StringValue(endpointID), types.StringValue(endpointID)
	cfg.webhookEndpointModel = m
	return diags
}
