// Command cobo-sandbox serves an emulation of Cobo's pay-in order API on a local address, so that the
// Terraform provider (or any Cobo client) can be tried without a Cobo account. See
// internal/sandbox/README.md.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "cobo-sandbox:", err)
		os.Exit(2)
	}
}

func splitList(v string) []string {
	var out []string
	for _, item := range strings.Split(v, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("cobo-sandbox", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:18080", "address to listen on (host:port; port 0 picks a free port)")
	apiKeys := fs.String("api-keys", "", "comma-separated hex API keys (Ed25519 public keys) to accept; empty accepts any well-formed key")
	tokens := fs.String("tokens", "", "comma-separated extra payable_currency token ids to accept besides Cobo's documented pay-in tokens")
	quiet := fs.Bool("quiet", false, "do not log requests to stderr")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	keys := splitList(*apiKeys)
	for _, k := range keys {
		if b, err := hex.DecodeString(k); err != nil || len(b) != 32 {
			return fmt.Errorf("-api-keys: %q is not a 64-character hex API key", k)
		}
	}

	// Catch the signals before anything is served, so that an early Ctrl-C still shuts down cleanly.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	seed := make([]byte, 32)
	if _, err := rand.Read(seed); err != nil {
		return fmt.Errorf("generating a secret: %w", err)
	}
	secret := hex.EncodeToString(seed)
	signer, err := cobo.NewSigner(secret)
	if err != nil {
		return err
	}

	opts := sandbox.Options{AllowedAPIKeys: keys, ExtraTokens: splitList(*tokens)}
	if !*quiet {
		opts.Log = stderr
	}
	srv, err := sandbox.Start(*addr, opts)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", *addr, err)
	}

	fmt.Fprintf(stdout, "Cobo sandbox listening on %s (API base URL %s, helpers under %s/_sandbox)\n", srv.URL(), srv.BaseURL(), srv.URL())
	fmt.Fprintf(stdout, "export COBO_HOST=%s\n", srv.BaseURL())
	fmt.Fprintf(stdout, "export COBO_API_SECRET=%s\n", secret)
	if len(keys) == 0 {
		fmt.Fprintln(stdout, "# Any well-formed API secret (64 hex characters) works: every key is accepted, each key is its own organization.")
	} else {
		fmt.Fprintf(stdout, "# -api-keys is set: only secrets whose API key is listed are accepted; the secret above (API key %s) is not unless you list its key.\n", signer.APIKey())
	}

	<-ctx.Done()
	stop()
	fmt.Fprintln(stderr, "cobo-sandbox: shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}
