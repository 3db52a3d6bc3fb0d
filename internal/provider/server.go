package provider

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// NewServer returns the factory of the provider's protocol 6 server, as main.go serves it and the
// acceptance tests run it: the framework's server behind contextReleasingServer.
func NewServer(version string) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer {
		return ReleaseRPCContexts(providerserver.NewProtocol6(New(version)())())
	}
}

// ReleaseRPCContexts wraps a terraform-plugin-framework server so that the per-resource and
// per-data-source calls no longer keep their request contexts alive after they return.
//
// Why: terraform-plugin-framework v1.19.0 (proto6server.registerContext) derives a cancelable context
// from every call's context and keeps its CancelFunc until StopProvider, so StopProvider can cancel
// calls in flight. Each CancelFunc holds the call's context, and with it terraform-plugin-go's
// per-call logging contexts (about 14 KB), for the life of the process: a plan over 500 resources
// (2,500 calls) grew the provider to 115 MiB (BENCHMARKS.md). Here each of those calls gets a
// context of its own whose link to the real one is cut when the call returns; the framework still
// holds a CancelFunc, but it now reaches only an empty shell, and StopProvider still cancels the
// calls in flight.
//
// Only unary calls that run once per resource or data source are wrapped. The others run a handful
// of times per command and pass through unchanged, as do calls whose results stream after they
// return.
func ReleaseRPCContexts(server tfprotov6.ProviderServer) tfprotov6.ProviderServer {
	full, ok := server.(FrameworkServer)
	if !ok {
		panic(fmt.Sprintf("ReleaseRPCContexts: %T lacks the list resource or action calls", server))
	}
	return &contextReleasingServer{FrameworkServer: full}
}

// FrameworkServer is what the framework's protocol 6 server implements: terraform-plugin-go keeps the
// list resource and action calls out of tfprotov6.ProviderServer for now and looks for them by type
// assertion, so a wrapper must name them for `terraform query` and actions to reach the provider.
type FrameworkServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
	tfprotov6.ActionServer
}

type contextReleasingServer struct {
	FrameworkServer
}

// withReleasedContext calls f with a releasableContext over ctx and cuts that link once f returns.
func withReleasedContext[Req, Resp any](ctx context.Context, req Req, f func(context.Context, Req) (Resp, error)) (Resp, error) {
	rc := newReleasableContext(ctx)
	defer rc.release()
	return f(rc, req)
}

func (s *contextReleasingServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return withReleasedContext(ctx, req, s.FrameworkServer.ValidateResourceConfig)
}

func (s *contextReleasingServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return withReleasedContext(ctx, req, s.FrameworkServer.UpgradeResourceState)
}

func (s *contextReleasingServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return withReleasedContext(ctx, req, s.FrameworkServer.ReadResource)
}

func (s *contextReleasingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return withReleasedContext(ctx, req, s.FrameworkServer.PlanResourceChange)
}

func (s *contextReleasingServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return withReleasedContext(ctx, req, s.FrameworkServer.ApplyResourceChange)
}

func (s *contextReleasingServer) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return withReleasedContext(ctx, req, s.FrameworkServer.ImportResourceState)
}

func (s *contextReleasingServer) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return withReleasedContext(ctx, req, s.FrameworkServer.ValidateDataResourceConfig)
}

func (s *contextReleasingServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return withReleasedContext(ctx, req, s.FrameworkServer.ReadDataSource)
}

// releasableContext behaves exactly like its parent until release, and like an empty, never-canceled
// context after it, so that whatever outlives the call (the framework's CancelFunc) cannot keep the
// parent alive. Done returns the parent's channel, so context.WithCancel links a child to the
// parent's own cancelation without a goroutine.
type releasableContext struct {
	parent atomic.Pointer[context.Context]
}

func newReleasableContext(parent context.Context) *releasableContext {
	rc := &releasableContext{}
	rc.parent.Store(&parent)
	return rc
}

// released stands in for the parent after release.
var released = context.Background()

func (rc *releasableContext) release() { rc.parent.Store(&released) }

func (rc *releasableContext) ctx() context.Context { return *rc.parent.Load() }

func (rc *releasableContext) Deadline() (time.Time, bool) { return rc.ctx().Deadline() }
func (rc *releasableContext) Done() <-chan struct{}       { return rc.ctx().Done() }
func (rc *releasableContext) Err() error                  { return rc.ctx().Err() }
func (rc *releasableContext) Value(key any) any           { return rc.ctx().Value(key) }
