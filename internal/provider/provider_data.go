package provider

import (
	"context"
	"fmt"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// providerDataFrom unpacks what Configure produced. It is nil until the provider is configured, and
// stays nil when the provider configuration has values unknown until apply.
func providerDataFrom(v any, diags *diag.Diagnostics) *providerData {
	if v == nil {
		return nil
	}
	data, ok := v.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data", fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", v))
		return nil
	}
	// The provider's settings from the environment are wrong: each use of the provider says why.
	diags.Append(data.notConfigured...)
	return data
}

// clientFor returns the shared client with a context that masks the API secret in everything logged
// with it, or adds an error saying why there is no client.
func (d *providerData) clientFor(ctx context.Context, diags *diag.Diagnostics) (context.Context, *cobo.Client) {
	if d == nil || d.client == nil {
		diags.AddError("Cobo provider not configured",
			"The provider configuration depends on values that are not known yet (for example the output of another resource), so Cobo cannot be called during this plan. Apply the resources it depends on first, or use values known at plan time.")
		return ctx, nil
	}
	return d.logContext(ctx), d.client
}

// startOperation is clientFor with ctx bounded by the operation's timeout. The client is nil, and
// cancel does nothing, when there is no client or diags already holds an error.
func (d *providerData) startOperation(ctx context.Context, timeout operationTimeout, diags *diag.Diagnostics) (context.Context, *cobo.Client, context.CancelFunc) {
	ctx, client := d.clientFor(ctx, diags)
	if client == nil || diags.HasError() {
		return ctx, nil, func() {}
	}
	ctx, cancel := timeout.start(ctx)
	return ctx, client, cancel
}

// logContext masks the API secret in everything logged with the returned context.
// startRefresh is startOperation for a resource's Read: while the provider configuration is not known
// yet (a deferred provider) there is no client, and the resource keeps its state unrefreshed, with a
// warning in the log, instead of failing. noun names the object: "refund".
func (d *providerData) startRefresh(ctx context.Context, timeout operationTimeout, noun string) (context.Context, *cobo.Client, context.CancelFunc) {
	if d == nil || d.client == nil {
		tflog.Warn(ctx, "provider configuration not known yet; keeping the "+noun+"'s state without refreshing it")
		return ctx, nil, func() {}
	}
	ctx, cancel := timeout.start(d.logContext(ctx))
	return ctx, d.client, cancel
}

func (d *providerData) logContext(ctx context.Context) context.Context {
	if d == nil {
		return ctx
	}
	return maskSecret(ctx, d.secret)
}

func quote(s string) string { return strconv.Quote(s) }
