package main

import (
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox/sandboxtest"
)

// help lists every command of the table, and every command it lists is one the CLI runs: the usage
// text has no second copy to fall out of step.
func TestHelpListsEveryCommand(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	if err := run([]string{"help"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	listed := regexp.MustCompile(`(?m)^  cobo-sandbox (orders|merchants|refunds|balances|rates|clock|faults|webhooks)((?: (?:endpoints |events )?[a-z]+)?)`).FindAllStringSubmatch(out.String(), -1)
	if len(listed) != len(commands) {
		t.Errorf("help lists %d client commands, the table has %d:\n%s", len(listed), len(commands), out.String())
	}
	for _, m := range listed {
		if _, _, ok := lookupCommand(m[1], strings.Fields(m[2])); !ok {
			t.Errorf("help lists %q %q, which the CLI does not run", m[1], m[2])
		}
	}
	for _, want := range []string{"webhooks endpoints create -url URL", "webhooks endpoints revoke ENDPOINT_ID", "events logs ENDPOINT_ID EVENT_ID [-limit N] [-json]"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help does not show %q", want)
		}
	}
}

// Help's serve synopsis is written from the flag set serve parses: every flag, with the name of its
// value, and no flag serve would refuse.
func TestHelpListsEveryServeFlag(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	if err := run([]string{"help"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	synopsis, _, _ := strings.Cut(out.String(), "serve the sandbox until")
	for _, want := range []string{"[-addr HOST:PORT]", "[-state FILE]", "[-default-merchant ID]", "[-any-merchant]", "[-rate TOKEN=RATE]", "[-webhook-secret HEX]"} {
		if !strings.Contains(synopsis, want) {
			t.Errorf("help's serve synopsis lacks %s:\n%s", want, synopsis)
		}
	}
	fs, _ := newServeFlags(io.Discard)
	shown := regexp.MustCompile(`\[-([a-z-]+)[ \]]`).FindAllStringSubmatch(synopsis, -1)
	if n := strings.Count(synopsis, "[-"); len(shown) != n {
		t.Fatalf("%d flags in the synopsis, %d of them read", n, len(shown))
	}
	count := 0
	fs.VisitAll(func(*flag.Flag) { count++ })
	if len(shown) != count {
		t.Errorf("help shows %d serve flags, serve has %d", len(shown), count)
	}
	for _, m := range shown {
		if fs.Lookup(m[1]) == nil {
			t.Errorf("help shows -%s, which serve does not take", m[1])
		}
	}
}

// The table's positional arguments are checked before any request, for every command: one more or
// one fewer is a usage error naming them, and help shows them after the verb.
func TestEveryCommandChecksItsArguments(t *testing.T) {
	t.Parallel()
	var help strings.Builder
	if err := run([]string{"help"}, &help, io.Discard); err != nil {
		t.Fatal(err)
	}
	noSandbox := []string{"-host", "http://127.0.0.1:1/v2", "-api-secret", testSecret} // any request would fail otherwise
	for _, c := range commands {
		words := append([]string{c.noun}, strings.Fields(c.verb)...)
		if !strings.Contains(help.String(), strings.Join(append(words, c.args...), " ")) {
			t.Errorf("help does not show %s with its arguments %v", strings.Join(words, " "), c.args)
		}
		tooMany := append(append(append([]string{}, words...), c.args...), "EXTRA")
		tries := [][]string{tooMany}
		if len(c.args) > 0 {
			tries = append(tries, words) // too few
		}
		for _, args := range tries {
			err := run(append(args, noSandbox...), io.Discard, io.Discard)
			if !errors.As(err, new(usageError)) || !strings.Contains(err.Error(), strings.Join(c.args, " ")) {
				t.Errorf("cobo-sandbox %s: %v, want a usage error naming %v", strings.Join(args, " "), err, c.args)
			}
		}
	}
}

// endpoints create registers an endpoint (the pay-in events by default), list shows it in a table,
// revoke makes it STATUS_INACTIVE; -json prints the array as the API returns it.
func TestWebhooksEndpointsCreateListRevoke(t *testing.T) {
	t.Parallel()
	srv := sandboxtest.New(t, sandbox.Options{})
	ep := decodeEndpoint(t, cli(t, srv, "webhooks", "endpoints", "create", "-url", "http://127.0.0.1:3000/cobo/webhook", "-description", "my app"))
	if ep.Status != cobo.EndpointStatusActive || strings.Join(ep.SubscribedEvents, ",") != strings.Join(listenDefaultEvents, ",") {
		t.Errorf("endpoints create: %+v, want an active endpoint for the pay-in events", ep)
	}

	table := string(cli(t, srv, "webhooks", "endpoints", "list"))
	rows := strings.Split(strings.TrimSuffix(table, "\n"), "\n")
	if len(rows) != 2 || !strings.HasPrefix(rows[0], "ENDPOINT_ID") ||
		!strings.Contains(rows[1], ep.EndpointID) || !strings.Contains(rows[1], cobo.EndpointStatusActive) ||
		!strings.Contains(rows[1], "http://127.0.0.1:3000/cobo/webhook") || !strings.Contains(rows[1], "my app") {
		t.Errorf("endpoints list = %q, want a header and one row with the endpoint's id, status, url and description", table)
	}

	revoked := decodeEndpoint(t, cli(t, srv, "webhooks", "endpoints", "revoke", ep.EndpointID))
	if revoked.EndpointID != ep.EndpointID || revoked.Status != cobo.EndpointStatusInactive {
		t.Errorf("endpoints revoke: %+v, want %s %s", revoked, ep.EndpointID, cobo.EndpointStatusInactive)
	}
	var list []cobo.WebhookEndpoint
	if err := json.Unmarshal(cli(t, srv, "webhooks", "endpoints", "list", "-json"), &list); err != nil || len(list) != 1 || list[0].Status != cobo.EndpointStatusInactive {
		t.Errorf("endpoints list -json after revoke: %v %+v", err, list)
	}
	if out := string(cli(t, srv, "webhooks", "endpoints", "list", "-status", cobo.EndpointStatusActive)); strings.Count(out, "\n") != 1 || !strings.HasPrefix(out, "ENDPOINT_ID") {
		t.Errorf("endpoints list with no match = %q, want the header alone", out)
	}
}

// Bad endpoints create and revoke command lines are usage errors that say what is accepted.
func TestWebhooksEndpointsCreateUsage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"webhooks", "endpoints", "create"}, "needs -url"},
		{[]string{"webhooks", "endpoints", "create", "-url", "http://example.com/hook"}, "-url: "},
		{[]string{"webhooks", "endpoints", "create", "-url", "http://127.0.0.1:3000/hook", "-events", ","}, "-events must name at least one event type"},
		{[]string{"webhooks", "endpoints", "revoke"}, "want ENDPOINT_ID"},
	} {
		err := run(append(tc.args, "-host", "http://127.0.0.1:1/v2", "-api-secret", testSecret), io.Discard, io.Discard)
		if _, ok := err.(usageError); !ok || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v, want a usage error containing %q", tc.args, err, tc.want)
		}
	}
}

// events list and events logs print a table by default: one row per event (type, status, the order it
// is about) and per delivery attempt (success, HTTP status, failure reason).
func TestWebhooksEventsTables(t *testing.T) {
	t.Parallel()
	srv := sandboxtest.New(t, sandbox.Options{})
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusInternalServerError) }))
	defer failing.Close()
	ep := decodeEndpoint(t, cli(t, srv, "webhooks", "endpoints", "create", "-url", failing.URL+"/hook", "-events", cobo.EventPaymentOrderStatusUpdated))
	order := decodeOrder(t, cli(t, srv, createArgs("tables-1")...))
	cli(t, srv, "orders", "expire", order.OrderID)
	ev := waitForEvent(t, srv, ep.EndpointID, cobo.EventStatusRetrying)

	events := string(cli(t, srv, "webhooks", "events", "list", ep.EndpointID))
	rows := strings.Split(strings.TrimSuffix(events, "\n"), "\n")
	if len(rows) != 2 || !strings.HasPrefix(rows[0], "EVENT_ID") {
		t.Fatalf("events list = %q, want a header and one row", events)
	}
	for _, want := range []string{ev.EventID, cobo.EventPaymentOrderStatusUpdated, cobo.EventStatusRetrying, "order=" + order.OrderID, "status=Expired"} {
		if !strings.Contains(rows[1], want) {
			t.Errorf("events list row %q does not show %q", rows[1], want)
		}
	}
	logs := string(cli(t, srv, "webhooks", "events", "logs", ep.EndpointID, ev.EventID))
	rows = strings.Split(strings.TrimSuffix(logs, "\n"), "\n")
	if len(rows) != 2 || !strings.HasPrefix(rows[0], "CREATED") || !regexp.MustCompile(`\sfalse\s+\S+\s+500\s`).MatchString(rows[1]) {
		t.Errorf("events logs = %q, want a header and one failed attempt with HTTP 500", logs)
	}
}

// Client flags written before the command ("-host URL orders list", a newcomer's first try) are a usage
// error that shows the command line the right way round, not serve's usage; a serve flag's value that
// is also a command's name ("-state orders") is still a value.
func TestFlagsBeforeTheCommand(t *testing.T) {
	t.Parallel()
	err := run([]string{"-host", "http://127.0.0.1:1/v2", "orders", "list"}, io.Discard, io.Discard)
	want := "the flags of a command go after it: cobo-sandbox orders list -host http://127.0.0.1:1/v2"
	if !errors.As(err, new(usageError)) || err.Error() != want {
		t.Errorf("flags before the command: %v, want the usage error %q", err, want)
	}
	for _, args := range [][]string{{"-state", "orders"}, {"-quiet", "-state", "orders"}, {"-state=x", "-tokens", "merchants"}} {
		if i := commandAfterFlags(args); i != 0 {
			t.Errorf("%v: %q taken for a command, but it is a flag's value", args, args[i])
		}
	}
	if i := commandAfterFlags([]string{"-quiet", "merchants", "list"}); i != 1 {
		t.Errorf("-quiet merchants list: the command found at %d, want 1", i)
	}
}
