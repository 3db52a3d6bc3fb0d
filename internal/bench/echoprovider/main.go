// Command echoprovider is a provider with exactly the schema of terraform-provider-cobo that does no
// work: no API calls, no framework. make bench runs the same plans against it as against the real
// provider, (ea) and (eb), so that Terraform's own per-resource cost for this schema can be told
// apart from the provider's.
//
// It is written directly on terraform-plugin-go's tfprotov6 and always serves in debug mode
// (tf6server.WithManagedDebug), printing the TF_REATTACH_PROVIDERS line the benchmark reattaches to,
// under the real provider's address. What it does per RPC:
//
//   - GetProviderSchema, GetMetadata: the real provider's responses, taken once at startup from
//     provider.NewServer (so the schema is byte-for-byte ours).
//   - UpgradeResourceState: decodes the raw JSON state into the resource's type and encodes it as
//     msgpack, the least any provider must do.
//   - ReadResource: returns the current state and private data unchanged.
//   - PlanResourceChange: returns the proposed new state as the plan.
//   - ReadDataSource: decodes the config and returns a known object of the data source's type built
//     by walking that type: configured values kept, other strings "echo", numbers 42, bools false,
//     collections empty.
//   - Validate*, ConfigureProvider, StopProvider: empty responses.
//   - Everything else (apply, import, functions, ephemeral resources...): an error diagnostic.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/provider"
)

func main() {
	// The benchmark starts every provider binary with -debug; this one always serves in debug mode.
	flag.Bool("debug", true, "ignored: the echo provider always runs in debug mode")
	flag.Parse()
	provider.QuietSDKLogsUnlessAsked() // as the real provider does, so neither formats logs nobody reads
	provider.TuneGCUnlessSet()

	s, err := newEchoServer(context.Background(), provider.NewServer("echo")())
	if err != nil {
		log.Fatal(err)
	}
	// One stateless server serves every connection.
	err = tf6server.Serve(provider.Address, func() tfprotov6.ProviderServer { return s }, tf6server.WithManagedDebug())
	if err != nil {
		log.Fatal(err)
	}
}
