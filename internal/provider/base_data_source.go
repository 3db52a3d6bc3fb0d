package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// readDataSource is a data source made of a schema and a read function over its model M: the base
// reads the configuration into M, gives read the client within the read timeout (every schema has a
// timeouts block), renders read's error as an API error, and writes M back as the state. A kind's
// data source then holds only what differs: its attributes and how it asks Cobo.
type readDataSource[M any] struct {
	dataSourceBase
	schema     func(ctx context.Context) schema.Schema
	validators []datasource.ConfigValidator
	// read fills cfg's computed attributes; diags take what flattening finds, the error what Cobo said.
	read func(ctx context.Context, client *cobo.Client, cfg *M, diags *diag.Diagnostics) error
	// failure is the summary of the diagnostic of read's error, such as "Unable to read refund R1".
	failure func(cfg *M) string
}

var _ datasource.DataSourceWithConfigValidators = &readDataSource[struct{}]{}

// newReadDataSource is the data source cobo_<typeName> made of these parts.
func newReadDataSource[M any](typeName string, schema func(context.Context) schema.Schema,
	read func(context.Context, *cobo.Client, *M, *diag.Diagnostics) error, failure func(*M) string,
	validators ...datasource.ConfigValidator,
) datasource.DataSource {
	return &readDataSource[M]{dataSourceBase: dataSourceBase{typeName: typeName}, schema: schema, read: read, failure: failure, validators: validators}
}

// always is a failure summary that does not depend on the configuration.
func always[M any](summary string) func(*M) string { return func(*M) string { return summary } }

func (d *readDataSource[M]) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = d.schema(ctx)
	resp.Schema.Blocks = withTimeoutsBlock(ctx, resp.Schema.Blocks)
}

func (d *readDataSource[M]) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return d.validators
}

func (d *readDataSource[M]) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg M
	var t timeouts.Value
	resp.Diagnostics.Append(getModel(ctx, req.Config, &cfg)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("timeouts"), &t)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout := timeoutFrom(ctx, "data source", "read", defaultReadTimeout, t.Read, &resp.Diagnostics)
	ctx, client, cancel := d.data.startOperation(ctx, timeout, &resp.Diagnostics)
	defer cancel()
	if client == nil {
		return
	}
	if err := d.read(ctx, client, &cfg, &resp.Diagnostics); err != nil {
		resp.Diagnostics.Append(timeout.diagnostic(ctx, d.failure(&cfg), err))
		return
	}
	if !resp.Diagnostics.HasError() {
		resp.Diagnostics.Append(setModel(ctx, &resp.State, cfg)...)
	}
}

// withTimeoutsBlock adds the data source timeouts block (read) to a schema's blocks.
func withTimeoutsBlock(ctx context.Context, blocks map[string]schema.Block) map[string]schema.Block {
	if blocks == nil {
		blocks = map[string]schema.Block{}
	}
	blocks["timeouts"] = timeouts.Block(ctx)
	return blocks
}
