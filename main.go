package main

import (
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/provider"
)

// Generate the documentation (see tools/tools.go and the GNUmakefile's generate target).
// The go:generate directives live in tools/tools.go, whose module pins tfplugindocs: run make generate.

// version is set at release time by goreleaser (-ldflags "-X main.version=...").
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()
	provider.QuietSDKLogsUnlessAsked()
	provider.TuneGCUnlessSet()

	// providerserver.Serve would build the framework's server itself; tf6server.Serve takes ours, which
	// is the framework's behind provider.ReleaseRPCContexts (see there), and works exactly the same way.
	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	err := tf6server.Serve(provider.Address, provider.NewServer(version), opts...)
	if err != nil {
		log.Fatal(err.Error())
	}
}
