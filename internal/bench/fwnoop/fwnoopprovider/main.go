// Command fwnoopprovider serves internal/bench/fwnoop, always in debug mode (make bench reattaches to
// it), with the provider's log and GC settings.
package main

import (
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/bench/fwnoop"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/provider"
)

func main() {
	// The benchmark starts every provider binary with -debug; this one always serves in debug mode.
	flag.Bool("debug", true, "ignored: fwnoopprovider always runs in debug mode")
	flag.Parse()
	provider.QuietSDKLogsUnlessAsked()
	provider.TuneGCUnlessSet()
	if err := tf6server.Serve(provider.Address, fwnoop.NewServer, tf6server.WithManagedDebug()); err != nil {
		log.Fatal(err)
	}
}
