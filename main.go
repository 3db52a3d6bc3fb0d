package main

import (
	"flag"
	"log"
	"os"
	"strings"

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
	quietSDKLogsUnlessAsked()

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

// quietSDKLogsUnlessAsked switches off the plugin SDK's and the provider's log output when no TF_LOG*
// variable is set. Terraform passes its environment to the provider and, without TF_LOG, discards
// whatever the provider logs, yet the SDK would still format a TRACE line for every call: make bench
// measured that at a third of the provider's CPU. With any TF_LOG* variable set, nothing changes.
func quietSDKLogsUnlessAsked() {
	for _, kv := range os.Environ() {
		if name, value, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "TF_LOG") && value != "" {
			return
		}
	}
	for _, name := range []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER"} {
		_ = os.Setenv(name, "OFF")
	}
}
