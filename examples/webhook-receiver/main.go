// Command webhook-receiver is a small receiver of Cobo webhook events, to read and to copy into an
// app: it checks each event's Ed25519 signature with the public key it is given, handles each
// event_id once, prints a "verified" line with the event and answers 200; a delivery that does not
// verify gets 400 and a "rejected" line. It uses the Go standard library only. The Node and Python
// samples beside it (node/receiver.mjs, python/receiver.py) do the same, with the same settings:
//
//	PORT=3000 COBO_WEBHOOK_PUBLIC_KEY=... go run ./examples/webhook-receiver   # the key cobo-sandbox printed
//
// Against Cobo, pass Cobo's key instead: development a04ea1d5fa8da71f1dcfccf972b9c4eba0a2d8aba1f6da26f49977b08a0d2718,
// production 8d4a482641adb2a34b726f05827dba9a9653e5857469b8749052bf4458a86729. The guide "Receive order
// events" (docs/guides/receive-order-events.md) explains the rest.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "webhook-receiver:", err)
		os.Exit(1)
	}
}

// run serves the receiver until SIGINT or SIGTERM. Events go to stdout, rejections to stderr.
func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("webhook-receiver", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:"+envOr("PORT", "8080"), "the address to listen on (port 0 picks a free port); the default port is $PORT, else 8080")
	path := fs.String("path", "/cobo/webhook", "the URL path of the endpoint")
	publicKey := fs.String("public-key", os.Getenv("COBO_WEBHOOK_PUBLIC_KEY"), "the sender's Ed25519 public key, hex of its raw 32 bytes (required; default $COBO_WEBHOOK_PUBLIC_KEY): the sandbox's, or Cobo's development or production key")
	maxAge := fs.Duration("max-age", 0, "reject events whose signed timestamp is further than this from this machine's clock, such as 5m (0: no check, the default: the sandbox signs with its own clock, which clock advance moves ahead)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	key, err := parsePublicKey(*publicKey)
	if err != nil {
		return fmt.Errorf("-public-key: %w", err)
	}
	recv := newReceiver(key, *maxAge, stdout, stderr)
	mux := http.NewServeMux()
	mux.Handle("POST "+*path, recv)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "webhook-receiver: listening on http://%s%s\n", ln.Addr(), *path)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// envOr returns the environment variable name, or fallback when it is unset or empty.
func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}
