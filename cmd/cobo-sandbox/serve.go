package main

import (
	"context"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

// serveFlags are serve's options, parsed from its flag set (newServeFlags), which is also what the help
// text lists (serveUsage): one declaration of each flag.
type serveFlags struct {
	addr, state, apiKeys, tokens, webhookSecret, defaultMerchant *string
	quiet, webhookApproval, deliverRemote, anyMerchant           *bool
	rates                                                        map[string]string
}

func newServeFlags(stderr io.Writer) (*flag.FlagSet, *serveFlags) {
	fs := flag.NewFlagSet("cobo-sandbox serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	f := &serveFlags{rates: map[string]string{}}
	f.addr = fs.String("addr", "127.0.0.1:18080", "`HOST:PORT` to listen on (port 0 picks a free port)")
	f.state = fs.String("state", "", "keep, in `FILE`, orders, merchants, balances, refunds, rates, webhook endpoints and events, the id sequences and the clock across restarts (created when missing; a file that is not a sandbox state is refused and left untouched); empty: in memory only")
	f.apiKeys = fs.String("api-keys", "", "the hex API keys (Ed25519 public keys) to accept, comma-separated: `K1,K2`; empty accepts any well-formed key")
	f.tokens = fs.String("tokens", "", "extra payable_currency token ids to accept besides Cobo's documented pay-in tokens, comma-separated: `T1,T2`")
	f.quiet = fs.Bool("quiet", false, "do not log requests to stderr")
	f.webhookApproval = fs.Bool("webhook-approval", false, "webhook endpoint registrations, updates and revokes wait (STATUS_PENDING_*) until approved or rejected, as where Cobo Portal requires approval")
	f.webhookSecret = fs.String("webhook-secret", "", "64 `HEX` characters (an Ed25519 seed): the key that signs delivered webhook events; empty: a key made at first start and kept in the -state file")
	f.deliverRemote = fs.Bool("deliver-remote", false, "deliver webhook events to endpoints that are not on this machine (default: only loopback addresses; other deliveries are logged as failed)")
	f.defaultMerchant = fs.String("default-merchant", sandbox.DefaultMerchantID, "the `ID` of each organization's default merchant (wallet_setup Default), which orders can name without creating a merchant")
	f.anyMerchant = fs.Bool("any-merchant", false, "an order for a merchant the organization lacks creates it (for test harnesses) instead of being refused as Cobo refuses it")
	fs.Func("rate", "a token's USD exchange rate (units of USD per token) as `TOKEN=RATE`, such as ETH_USDT=0.9998; repeat for more tokens (default 0.99 each)", func(v string) error {
		token, rate, ok := strings.Cut(v, "=")
		if !ok || token == "" || rate == "" {
			return fmt.Errorf("%q is not TOKEN=RATE, such as ETH_USDT=0.9998", v)
		}
		f.rates[token] = rate
		return nil
	})
	return fs, f
}

// serve runs the sandbox until SIGINT or SIGTERM.
func serve(args []string, stdout, stderr io.Writer) error {
	fs, f := newServeFlags(stderr)
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageErrorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	keys := splitList(*f.apiKeys)
	for _, k := range keys {
		if b, err := hex.DecodeString(k); err != nil || len(b) != 32 {
			return usageErrorf("-api-keys: %q is not a 64-character hex API key", k)
		}
	}

	if err := sandbox.ValidateWebhookSecret(*f.webhookSecret); err != nil {
		return usageErrorf("-webhook-secret: %v", err)
	}

	// Catch the signals before anything is served, so that an early Ctrl-C still shuts down cleanly.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	opts := sandbox.Options{AllowedAPIKeys: keys, ExtraTokens: splitList(*f.tokens), StateFile: *f.state,
		WebhookApproval: *f.webhookApproval, WebhookSecret: *f.webhookSecret, DeliverRemote: *f.deliverRemote,
		DefaultMerchantID: *f.defaultMerchant, Rates: f.rates, Merchants: sandbox.MerchantsAsCobo}
	if *f.anyMerchant {
		opts.Merchants = sandbox.MerchantsAutoCreate
	}
	if !*f.quiet {
		opts.Log = stderr
	}
	srv, err := sandbox.Start(*f.addr, opts)
	if errors.Is(err, syscall.EADDRINUSE) {
		return fmt.Errorf("%w\nSomething (another cobo-sandbox?) already listens on %s: stop it, or pick another port; -addr 127.0.0.1:0 picks a free one", err, *f.addr)
	}
	if err != nil {
		return err
	}
	if err := printExports(stdout, srv, keys, *f.state); err != nil {
		_ = srv.Close()
		return err
	}

	<-ctx.Done()
	stop()
	fmt.Fprintln(stderr, "cobo-sandbox: shutting down")
	// At once: idle keep-alive connections and requests held by a delay fault are cut. A change being
	// written to the state file is finished first, and every change a client saw succeed is saved.
	return srv.Close()
}

// printExports tells the user what to export to reach this sandbox.
func printExports(stdout io.Writer, srv *sandbox.Server, keys []string, state string) error {
	secret := srv.Sandbox.SuggestedSecret()
	signer, err := cobo.NewSigner(secret)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Cobo sandbox listening on %s (API base URL %s, helpers under %s/_sandbox)\n", srv.URL(), srv.BaseURL(), srv.URL())
	if state != "" {
		fmt.Fprintf(stdout, "# State file %s: %d orders, with the merchants, balances, refunds, webhooks and clock; every change is saved there before it is answered.\n", state, len(srv.Sandbox.Orders("")))
	} else {
		fmt.Fprintln(stdout, "# No -state file: orders, merchants, balances, refunds and webhooks live in memory and are gone after a restart (order ids are never reused).")
	}
	fmt.Fprintf(stdout, "# Webhook events are signed with the sandbox's key; verify them with this public key (not Cobo's):\n")
	fmt.Fprintf(stdout, "export COBO_WEBHOOK_PUBLIC_KEY=%s\n", srv.Sandbox.WebhookPublicKey())
	fmt.Fprintf(stdout, "export COBO_HOST=%s\n", srv.BaseURL())
	fmt.Fprintf(stdout, "export COBO_API_SECRET=%s\n", secret)
	if len(keys) == 0 {
		fmt.Fprintln(stdout, "# Any well-formed API secret (64 hex characters) works: every key is accepted, each key is its own organization.")
	} else {
		fmt.Fprintf(stdout, "# -api-keys is set: only secrets whose API key is listed are accepted; the secret above (API key %s) is not unless you list its key.\n", signer.APIKey())
	}
	return nil
}
