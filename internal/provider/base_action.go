package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// configuredAction is an action (Terraform >= 1.14) made of its schema and what it does with its
// configuration C: the base reads the configuration and takes the client, so that an action's file
// holds only its schema and its invoke.
type configuredAction[C any] struct {
	actionBase
	schema func() schema.Schema
	// invoke does the action; resp takes its diagnostics and progress (sendProgress).
	invoke func(ctx context.Context, client *cobo.Client, cfg C, resp *action.InvokeResponse)
}

var _ action.Action = &configuredAction[struct{}]{}

func (a *configuredAction[C]) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = a.schema()
}

func (a *configuredAction[C]) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var cfg C
	resp.Diagnostics.Append(getModel(ctx, req.Config, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, client := a.data.clientFor(ctx, &resp.Diagnostics)
	if client == nil {
		return
	}
	a.invoke(ctx, client, cfg, resp)
}

// sendProgress shows a progress message in the CLI, when it takes them.
func sendProgress(resp *action.InvokeResponse, format string, args ...any) {
	if resp.SendProgress != nil {
		resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf(format, args...)})
	}
}
