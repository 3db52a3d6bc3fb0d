package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

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

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address: "registry.terraform.io/cobo-terraform/cobo",
		Debug:   debug,
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
