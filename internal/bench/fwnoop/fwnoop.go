// Package fwnoop is the provider's own terraform-plugin-framework server with no work behind it:
// make bench runs the plans of (a) and (b) against it, (fa) and (fb), so that what the framework costs
// for our schema can be told apart from what the provider's code costs.
//
// It is not a second implementation of the resource. The provider, its resources and its data sources
// are the real ones (provider.New), wrapped: Metadata and Schema are passed through unchanged, so the
// schema, with every plan modifier, validator and default, is the provider's own. Tests hold it there:
// the two servers' GetProviderSchema answers are equal, and so are their plans (which run the plan
// modifiers and defaults) and their validation diagnostics. Only the provider's code is left out:
//
//   - the provider's Configure builds no client; Configure of resources and data sources does nothing;
//   - the resource's Read does nothing, so the framework returns the state as it came (no API call,
//     no model conversion); it has no ModifyPlan and no ImportState, and Create and Update answer
//     with an error diagnostic (the benchmark only plans against it);
//   - a data source's Read answers with fill.Value of its type, the same fixed values
//     internal/bench/echoprovider returns (configured values kept, strings "echo", numbers 42, lists
//     empty), so that (fa) and (ea) produce the same results.
//
// The server is built as the provider's main.go builds it (provider.ReleaseRPCContexts around the
// framework's), and the command fwnoopprovider serves it in debug mode, with the same log and GC
// settings; the benchmark reattaches to it.
package fwnoop

import (
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/provider"
)

// NewServer is the framework's server over the no-work provider, wrapped as provider.NewServer wraps
// the real one.
func NewServer() tfprotov6.ProviderServer {
	return provider.ReleaseRPCContexts(providerserver.NewProtocol6(noWork(provider.New("fwnoop")()))())
}
