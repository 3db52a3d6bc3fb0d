package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ datasource.DataSource = &webhookEndpointDataSource{}
)

func newWebhookEndpointDataSource() datasource.DataSource {
	return &webhookEndpointDataSource{dataSourceBase{typeName: "webhook_endpoint"}}
}

type webhookEndpointDataSource struct{ dataSourceBase }

type webhookEndpointDataSourceModel struct {
	webhookEndpointModel
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

func (d *webhookEndpointDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := dataSourceWebhookEndpointAttributes()
	attrs["endpoint_id"] = schema.StringAttribute{
		Required:            true,
		MarkdownDescription: "The ID of the webhook endpoint to read, as Cobo assigned it.",
		Validators:          []validator.String{webhookEndpointIDValidator()},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one webhook endpoint of your Cobo organization: its url, the events it subscribes to and its status, whatever that status is (a revoked endpoint is read too). " +
			"An `endpoint_id` Cobo does not know fails the plan (HTTP 404, error_code 2028).",
		Attributes: attrs,
		Blocks:     map[string]schema.Block{"timeouts": timeouts.Block(ctx)},
	}
}

func (d *webhookEndpointDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg webhookEndpointDataSourceModel
	resp.Diagnostics.Append(getModel(ctx, req.Config, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout := timeoutFrom(ctx, "data source", "read", defaultReadTimeout, cfg.Timeouts.Read, &resp.Diagnostics)
	ctx, client, cancel := d.data.startOperation(ctx, timeout, &resp.Diagnostics)
	defer cancel()
	if client == nil {
		return
	}
	endpointID := cfg.EndpointID.ValueString()
	endpoint, err := client.GetWebhookEndpoint(ctx, endpointID)
	if err != nil {
		resp.Diagnostics.Append(timeout.diagnostic(ctx, "Unable to read webhook endpoint "+quote(endpointID), err))
		return
	}
	m, diags := flattenWebhookEndpoint(endpoint)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Keep the id as configured: Cobo answers for exactly this id.
	m.ID, m.EndpointID = types.StringValue(endpointID), types.StringValue(endpointID)
	resp.Diagnostics.Append(setModel(ctx, &resp.State, webhookEndpointDataSourceModel{webhookEndpointModel: m, Timeouts: cfg.Timeouts})...)
}
