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

// serve runs the sandbox until SIGINT or SIGTERM.
func serve(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("cobo-sandbox serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:18080", "address to listen on (host:port; port 0 picks a free port)")
	state := fs.String("state", "", "keep orders, webhook endpoints, the order sequence and the clock in this file across restarts (created when missing; a file that is not a sandbox state is refused and left untouched); empty: in memory only")
	apiKeys := fs.String("api-keys", "", "comma-separated hex API keys (Ed25519 public keys) to accept; empty accepts any well-formed key")
	tokens := fs.String("tokens", "", "comma-separated extra payable_currency token ids to accept besides Cobo's documented pay-in tokens")
	quiet := fs.Bool("quiet", false, "do not log requests to stderr")
	webhookApproval := fs.Bool("webhook-approval", false, "webhook endpoint registrations, updates and revokes wait (STATUS_PENDING_*) until approved or rejected, as where Cobo Portal requires approval")
	webhookSecret := fs.String("webhook-secret", "", "64 hex characters (an Ed25519 seed): the key that signs delivered webhook events; empty: a key made at first start and kept in the -state file")
	deliverRemote := fs.Bool("deliver-remote", false, "deliver webhook events to endpoints that are not on this machine (default: only loopback addresses; other deliveries are logged as failed)")
	defaultMerchant := fs.String("default-merchant", sandbox.DefaultMerchantID, "the id of each organization's default merchant (wallet_setup Default), which orders can name without creating a merchant")
	anyMerchant := fs.Bool("any-merchant", false, "an order for a merchant the organization lacks creates it (for test harnesses) instead of being refused as Cobo refuses it")
	rates := map[string]string{}
	fs.Func("rate", "TOKEN=RATE: a token's USD exchange rate (units of USD per token), such as ETH_USDT=0.9998; repeat for more tokens (default 0.99 each)", func(v string) error {
		token, rate, ok := strings.Cut(v, "=")
		if !ok || token == "" || rate == "" {
			return fmt.Errorf("%q is not TOKEN=RATE, such as ETH_USDT=0.9998", v)
		}
		rates[token] = rate
		return nil
	})
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageErrorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	keys := splitList(*apiKeys)
	for _, k := range keys {
		if b, err := hex.DecodeString(k); err != nil || len(b) != 32 {
			return usageErrorf("-api-keys: %q is not a 64-character hex API key", k)
		}
	}

	if err := sandbox.ValidateWebhookSecret(*webhookSecret); err != nil {
		return usageErrorf("-webhook-secret: %v", err)
	}

	// Catch the signals before anything is served, so that an early Ctrl-C still shuts down cleanly.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	opts := sandbox.Options{AllowedAPIKeys: keys, ExtraTokens: splitList(*tokens), StateFile: *state,
		WebhookApproval: *webhookApproval, WebhookSecret: *webhookSecret, DeliverRemote: *deliverRemote,
		DefaultMerchantID: *defaultMerchant, Rates: rates, Merchants: sandbox.MerchantsAsCobo}
	if *anyMerchant {
		opts.Merchants = sandbox.MerchantsAutoCreate
	}
	if !*quiet {
		opts.Log = stderr
	}
	srv, err := sandbox.Start(*addr, opts)
	if errors.Is(err, syscall.EADDRINUSE) {
		return fmt.Errorf("%w\nSomething (another cobo-sandbox?) already listens on %s: stop it, or pick another port; -addr 127.0.0.1:0 picks a free one", err, *addr)
	}
	if err != nil {
		return err
	}
	if err := printExports(stdout, srv, keys, *state); err != nil {
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
		fmt.Fprintf(stdout, "# State file %s: %d orders; every change is saved there before it is answered.\n", state, len(srv.Sandbox.Orders("")))
	} else {
		fmt.Fprintln(stdout, "# No -state file: orders live in memory and are gone after a restart (order ids are never reused).")
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
