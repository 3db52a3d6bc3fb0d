package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// What every resource's Create, Read, Update and Delete do before they ask Cobo: read the
// operation's timeout from the timeouts block and take the client within it.

// resourceOperation is one of a resource's CRUD operations: its attribute in the timeouts block, its
// default timeout and the timeouts.Value method that reads it.
type resourceOperation struct {
	name     string
	fallback time.Duration
	get      func(timeouts.Value, context.Context, time.Duration) (time.Duration, diag.Diagnostics)
}

var (
	createOperation = resourceOperation{"create", defaultCreateTimeout, timeouts.Value.Create}
	readOperation   = resourceOperation{"read", defaultReadTimeout, timeouts.Value.Read}
	updateOperation = resourceOperation{"update", defaultUpdateTimeout, timeouts.Value.Update}
	deleteOperation = resourceOperation{"delete", defaultDeleteTimeout, timeouts.Value.Delete}
)

// timeout reads the operation's timeout from a resource's timeouts block t, or its default.
func (op resourceOperation) timeout(ctx context.Context, t timeouts.Value, diags *diag.Diagnostics) operationTimeout {
	get := func(ctx context.Context, fallback time.Duration) (time.Duration, diag.Diagnostics) {
		return op.get(t, ctx, fallback)
	}
	return timeoutFrom(ctx, "resource", op.name, op.fallback, get, diags)
}

// begin starts op (create, update or delete) of a resource whose timeouts block is t: it returns ctx
// bounded by the operation's timeout, the client, the timeout (for its diagnostics) and the cancel to
// defer. The client is nil, and cancel does nothing, when diags hold an error (reading the model
// included) or there is no client.
func (b *resourceBase) begin(ctx context.Context, op resourceOperation, t timeouts.Value, diags *diag.Diagnostics) (context.Context, *cobo.Client, operationTimeout, context.CancelFunc) {
	if diags.HasError() {
		return ctx, nil, operationTimeout{}, func() {}
	}
	timeout := op.timeout(ctx, t, diags)
	ctx, client, cancel := b.data.startOperation(ctx, timeout, diags)
	return ctx, client, timeout, cancel
}

// beginRefresh is begin for Read of an object of kind k with id: it first records id as the identity
// (also for states written before identities), and while the provider configuration is not known yet
// it returns no client and no error, so the state is kept unrefreshed (providerData.startRefresh).
func (b *resourceBase) beginRefresh(ctx context.Context, k objectKind, id string, t timeouts.Value, identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics) (context.Context, *cobo.Client, operationTimeout, context.CancelFunc) {
	if diags.HasError() {
		return ctx, nil, operationTimeout{}, func() {}
	}
	setKindIdentity(ctx, k, identity, id, diags)
	timeout := readOperation.timeout(ctx, t, diags)
	ctx, client, cancel := b.data.startRefresh(ctx, timeout, k.noun)
	return ctx, client, timeout, cancel
}
