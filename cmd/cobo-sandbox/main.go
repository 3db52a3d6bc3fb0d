// Command cobo-sandbox serves an emulation of Cobo's pay-in order API on a local address, so that the
// Terraform provider (or any Cobo client) can be tried without a Cobo account, and drives a running
// sandbox from the command line (orders, clock, faults) so that nobody signs requests by hand. See
// internal/sandbox/README.md.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

const usage = `Usage:
  cobo-sandbox [serve] [-addr 127.0.0.1:18080] [-state FILE] [-api-keys K1,K2] [-tokens T1,T2] [-quiet]
                     [-webhook-approval] [-webhook-secret HEX] [-deliver-remote]
      serve the sandbox until Ctrl-C or SIGTERM (-state FILE keeps its orders and clock across restarts)

  cobo-sandbox orders create -merchant-id M -psp-order-code P -payable-currency TOKEN -fee-amount A
                             (-pricing-amount A [-pricing-currency USD] | -payable-amount A)
                             [-expired-in SECONDS] [-amount-tolerance A] [-merchant-order-code C] [-adopt]
      (without -pricing-currency, -pricing-amount and -fee-amount are in the payable token; a
      psp_order_code already taken fails with Cobo's 2040 and the order holding it, unless -adopt)
  cobo-sandbox orders get ID
  cobo-sandbox orders list [-merchant-id M] [-psp-order-code P] [-statuses Pending,Completed] [-limit N]
  cobo-sandbox orders pay ID [-amount A] [-confirmed=false]   (default: what is still owed)
  cobo-sandbox orders confirm ID TX_ID                        (a Confirming transaction of -confirmed=false)
  cobo-sandbox orders expire ID
  cobo-sandbox clock get
  cobo-sandbox clock advance DURATION                         (such as 30m or 2h)
  cobo-sandbox faults add [-method M] [-path P] [-status N] [-body B] [-content-type T] [-retry-after S]
                          [-delay D] [-drop-connection] [-after-commit] [-times N]
  cobo-sandbox faults add -delivery [-event-type PREFIX] [-duplicate] [-delay D] [-times N]
  cobo-sandbox faults list
  cobo-sandbox faults clear
  cobo-sandbox webhooks listen [-forward-to URL] [-events T1,T2] [-json] [-addr 127.0.0.1:0] [-public-key HEX]
      register a local receiver as a webhook endpoint, print each event delivered to it (type, order or
      transaction id, status, signature verified), forward it to -forward-to; Ctrl-C revokes the endpoint
  cobo-sandbox webhooks trigger EVENT_TYPE [-override JSON]  (a test event to the subscribed endpoints)
  cobo-sandbox webhooks endpoints list [-status S] [-event-type T] [-limit N]
  cobo-sandbox webhooks endpoints get ENDPOINT_ID
  cobo-sandbox webhooks events list ENDPOINT_ID [-status S] [-type T] [-limit N]
  cobo-sandbox webhooks events get|logs|retry ENDPOINT_ID EVENT_ID
  cobo-sandbox webhooks key                                   (the public key the sandbox signs events with)
  cobo-sandbox webhooks approve|reject ENDPOINT_ID            (an endpoint awaiting approval: -webhook-approval)

The client commands talk to the sandbox at COBO_HOST (the API base URL it printed, ending in /v2) with
the API secret COBO_API_SECRET, or the -host and -api-secret flags. Orders go through the signed /v2
API, payments, the clock and faults through /_sandbox; webhooks through /v2 except key, approve and
reject (/_sandbox). Output is JSON on stdout (an Order exactly as the API returns it, a list as a JSON
array; listen prints one line per event); errors go to stderr with exit status 1 (2 for bad usage).
`

func main() {
	err := run(os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case err == nil || errors.Is(err, flag.ErrHelp):
		return
	case errors.As(err, new(usageError)):
		fmt.Fprintln(os.Stderr, "cobo-sandbox:", err)
		fmt.Fprint(os.Stderr, "Run cobo-sandbox help for the commands.\n")
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "cobo-sandbox:", err)
		os.Exit(1)
	}
}

// run dispatches to the server (no command, or "serve") or to a client command.
func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return serve(args, stdout, stderr)
	}
	command, rest := args[0], args[1:]
	switch command {
	case "serve":
		return serve(rest, stdout, stderr)
	case "help":
		fmt.Fprint(stdout, usage)
		return nil
	case "orders", "clock", "faults":
		return runClient(command, rest, stdout, stderr)
	case "webhooks":
		return runClient(command, webhookArgs(rest), stdout, stderr)
	}
	return usageError{fmt.Sprintf("unknown command %q", command)}
}

// usageError is a command line that cannot be run as written (exit status 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// parseInterspersed parses flags that may come before or after the positional arguments
// ("orders pay ID -amount 5" as well as "orders pay -amount 5 ID").
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{err.Error()}
		}
		if fs.NArg() == 0 {
			return positional, nil
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
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
