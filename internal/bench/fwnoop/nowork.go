package fwnoop

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	fwprovider "github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/bench/fill"
)

// noWorkProvider is the real provider with its Configure, resources and data sources replaced by
// no-work wrappers. Metadata and Schema come from the embedded provider.
type noWorkProvider struct {
	fwprovider.Provider
}

func noWork(real fwprovider.Provider) fwprovider.Provider { return noWorkProvider{real} }

// Configure builds no client: nothing the no-work resources do needs one.
func (noWorkProvider) Configure(context.Context, fwprovider.ConfigureRequest, *fwprovider.ConfigureResponse) {
}

func (p noWorkProvider) Resources(ctx context.Context) []func() resource.Resource {
	var out []func() resource.Resource
	for _, newReal := range p.Provider.Resources(ctx) {
		out = append(out, func() resource.Resource { return noWorkResourceOf(newReal()) })
	}
	return out
}

// ListResources and Actions are the real ones: the benchmark plans never call them, and passing them
// through keeps the server's metadata and schema the provider's.
func (p noWorkProvider) ListResources(ctx context.Context) []func() list.ListResource {
	if withList, ok := p.Provider.(fwprovider.ProviderWithListResources); ok {
		return withList.ListResources(ctx)
	}
	return nil
}

func (p noWorkProvider) Actions(ctx context.Context) []func() action.Action {
	if withActions, ok := p.Provider.(fwprovider.ProviderWithActions); ok {
		return withActions.Actions(ctx)
	}
	return nil
}

func (p noWorkProvider) DataSources(ctx context.Context) []func() datasource.DataSource {
	var out []func() datasource.DataSource
	for _, newReal := range p.Provider.DataSources(ctx) {
		out = append(out, func() datasource.DataSource { return noWorkDataSource{real: newReal()} })
	}
	return out
}

// noWorkResource has the real resource's type name and schema, and no CRUD. Configure is kept as a
// no-op: the framework calls it before every resource RPC for any provider that has a client, and
// that call is part of what the framework costs.
type noWorkResource struct {
	real resource.Resource
}

var _ resource.ResourceWithConfigure = noWorkResource{}

func (r noWorkResource) Metadata(ctx context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	r.real.Metadata(ctx, req, resp)
}

func (r noWorkResource) Schema(ctx context.Context, req resource.SchemaRequest, resp *resource.SchemaResponse) {
	r.real.Schema(ctx, req, resp)
}

func (noWorkResource) Configure(context.Context, resource.ConfigureRequest, *resource.ConfigureResponse) {
}

// ConfigValidators are the real resource's: validation is part of what the framework costs.
func (r noWorkResource) ConfigValidators(ctx context.Context) []resource.ConfigValidator {
	if withValidators, ok := r.real.(resource.ResourceWithConfigValidators); ok {
		return withValidators.ConfigValidators(ctx)
	}
	return nil
}

// Read leaves the state the framework copied into the response as it is: nothing changed remotely.
func (noWorkResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

func (noWorkResource) Create(_ context.Context, _ resource.CreateRequest, resp *resource.CreateResponse) {
	resp.Diagnostics.AddError(notSupported, "The benchmark's no-work provider (internal/bench/fwnoop) only plans.")
}

func (noWorkResource) Update(_ context.Context, _ resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.Diagnostics.AddError(notSupported, "The benchmark's no-work provider (internal/bench/fwnoop) only plans.")
}

// Delete removes the resource from the state (the framework's default when Delete adds no error).
func (noWorkResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

// noWorkResourceWithIdentity is a noWorkResource whose real resource has an identity schema: the
// framework then checks identities on every read and plan, and the no-work provider must pay for that
// too. The identity comes back as it was sent, like the state.
type noWorkResourceWithIdentity struct {
	noWorkResource
	identity resource.ResourceWithIdentity
}

func (r noWorkResourceWithIdentity) IdentitySchema(ctx context.Context, req resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	r.identity.IdentitySchema(ctx, req, resp)
}

// Read returns the state as it came, and an identity read from the state's attributes of the same
// names when the request had none (a state from before identities), as the framework requires.
func (r noWorkResourceWithIdentity) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	if resp.Identity == nil || !resp.Identity.Raw.IsNull() {
		return
	}
	for name := range resp.Identity.Schema.GetAttributes() {
		var v attr.Value
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root(name), &v)...)
		resp.Diagnostics.Append(resp.Identity.SetAttribute(ctx, path.Root(name), v)...)
	}
}

func noWorkResourceOf(real resource.Resource) resource.Resource {
	if withIdentity, ok := real.(resource.ResourceWithIdentity); ok {
		return noWorkResourceWithIdentity{noWorkResource{real: real}, withIdentity}
	}
	return noWorkResource{real: real}
}

const notSupported = "fwnoop: not supported"

// noWorkDataSource has the real data source's type name and schema; Read answers with fixed values.
type noWorkDataSource struct {
	real datasource.DataSource
}

var _ datasource.DataSourceWithConfigure = noWorkDataSource{}

func (d noWorkDataSource) Metadata(ctx context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	d.real.Metadata(ctx, req, resp)
}

func (d noWorkDataSource) Schema(ctx context.Context, req datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	d.real.Schema(ctx, req, resp)
}

func (noWorkDataSource) Configure(context.Context, datasource.ConfigureRequest, *datasource.ConfigureResponse) {
}

// Read answers with fill.Value of the data source's type, as internal/bench/echoprovider does.
func (noWorkDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	v, err := fill.Value(resp.State.Schema.Type().TerraformType(ctx), req.Config.Raw)
	if err != nil {
		resp.Diagnostics.AddError("fwnoop: building the result", err.Error())
		return
	}
	resp.State.Raw = v
}
