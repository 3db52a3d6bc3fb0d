package main

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// rpcCounter counts the provider RPCs Terraform makes, by name, and how many ran at once.
type rpcCounter struct {
	mu       sync.Mutex
	calls    map[string]int
	inflight atomic.Int64
	maxAll   int64
}

func (c *rpcCounter) enter(name string) func() {
	n := c.inflight.Add(1)
	c.mu.Lock()
	if c.calls == nil {
		c.calls = map[string]int{}
	}
	c.calls[name]++
	if n > c.maxAll {
		c.maxAll = n
	}
	c.mu.Unlock()
	return func() { c.inflight.Add(-1) }
}

func (c *rpcCounter) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	names := make([]string, 0, len(c.calls))
	for k := range c.calls {
		names = append(names, k)
	}
	sort.Strings(names)
	parts := make([]string, 0, len(names))
	for _, k := range names {
		parts = append(parts, fmt.Sprintf("%s %d", k, c.calls[k]))
	}
	return fmt.Sprintf("RPCs: %s; at most %d in flight at once", strings.Join(parts, ", "), c.maxAll)
}

// countingServer wraps the framework's server and counts the RPCs of resources and data sources.
type countingServer struct {
	tfprotov6.ProviderServer
	c *rpcCounter
}

func (s countingServer) GetProviderSchema(ctx context.Context, r *tfprotov6.GetProviderSchemaRequest) (*tfprotov6.GetProviderSchemaResponse, error) {
	defer s.c.enter("GetProviderSchema")()
	return s.ProviderServer.GetProviderSchema(ctx, r)
}

func (s countingServer) ConfigureProvider(ctx context.Context, r *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	defer s.c.enter("ConfigureProvider")()
	return s.ProviderServer.ConfigureProvider(ctx, r)
}

func (s countingServer) ValidateResourceConfig(ctx context.Context, r *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	defer s.c.enter("ValidateResourceConfig")()
	return s.ProviderServer.ValidateResourceConfig(ctx, r)
}

func (s countingServer) UpgradeResourceState(ctx context.Context, r *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	defer s.c.enter("UpgradeResourceState")()
	return s.ProviderServer.UpgradeResourceState(ctx, r)
}

func (s countingServer) ReadResource(ctx context.Context, r *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	defer s.c.enter("ReadResource")()
	return s.ProviderServer.ReadResource(ctx, r)
}

func (s countingServer) PlanResourceChange(ctx context.Context, r *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	defer s.c.enter("PlanResourceChange")()
	return s.ProviderServer.PlanResourceChange(ctx, r)
}

func (s countingServer) ValidateDataResourceConfig(ctx context.Context, r *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	defer s.c.enter("ValidateDataResourceConfig")()
	return s.ProviderServer.ValidateDataResourceConfig(ctx, r)
}

func (s countingServer) ReadDataSource(ctx context.Context, r *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	defer s.c.enter("ReadDataSource")()
	return s.ProviderServer.ReadDataSource(ctx, r)
}
