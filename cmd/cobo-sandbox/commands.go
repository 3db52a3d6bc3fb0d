package main

import (
	"flag"
	"io"
	"slices"
	"strings"
)

// command is one "cobo-sandbox NOUN VERB" client command. The table below is the one place that
// names them: runClient routes by it and the usage text (cobo-sandbox help) is written from it.
type command struct {
	noun, verb  string   // verb may be two words, such as "endpoints list"
	args        []string // the positional arguments, checked before the command runs and shown first in its usage
	synopsis    string   // the flags after them; "\n" continues them on the next line
	note        string   // what it does, when the synopsis does not say
	needsSecret bool     // signs /v2 requests
	flags       func(fs *flag.FlagSet) func(c *client, args []string) error
}

var commands = []command{
	{noun: "orders", verb: "create", needsSecret: true, flags: ordersCreate,
		synopsis: "-merchant-id M -psp-order-code P -payable-currency TOKEN -fee-amount A\n" +
			"(-pricing-amount A [-pricing-currency USD] | -payable-amount A)\n" +
			"[-expired-in SECONDS] [-amount-tolerance A] [-merchant-order-code C] [-adopt]",
		note: "without -pricing-currency, -pricing-amount and -fee-amount are in the payable token; a\n" +
			"psp_order_code already taken fails with Cobo's 2040 and the order holding it, unless -adopt"},
	{noun: "orders", verb: "get", args: []string{"ORDER_ID"}, needsSecret: true, flags: ordersGet},
	{noun: "orders", verb: "list", synopsis: "[-merchant-id M] [-psp-order-code P] [-statuses Pending,Completed] [-limit N]", needsSecret: true, flags: ordersList},
	{noun: "orders", verb: "pay", args: []string{"ORDER_ID"}, synopsis: "[-amount A] [-confirmed=false]", note: "pays what is still owed unless -amount", needsSecret: true, flags: ordersPay},
	{noun: "orders", verb: "confirm", args: []string{"ORDER_ID", "TX_ID"}, note: "confirms a Confirming transaction of -confirmed=false", needsSecret: true, flags: ordersConfirm},
	{noun: "orders", verb: "expire", args: []string{"ORDER_ID"}, needsSecret: true, flags: ordersExpire},
	{noun: "merchants", verb: "list", synopsis: "[-keyword K] [-wallet-setup S] [-json]", needsSecret: true, flags: merchantsList},
	{noun: "merchants", verb: "create", synopsis: "-name N [-developer-fee-rate R] [-wallet-setup Shared|Separate]", needsSecret: true, flags: merchantsCreate},
	{noun: "merchants", verb: "update", args: []string{"MERCHANT_ID"}, synopsis: "[-name N] [-developer-fee-rate R]", needsSecret: true, flags: merchantsUpdate},
	{noun: "refunds", verb: "list", synopsis: "[-merchant-id M] [-request-id R] [-statuses S1,S2] [-json]", needsSecret: true, flags: refundsList},
	{noun: "refunds", verb: "get", args: []string{"REFUND_ID"}, needsSecret: true, flags: refundsGet},
	{noun: "refunds", verb: "create", needsSecret: true, flags: refundsCreate,
		synopsis: "-request-id R -refund-type Merchant|Psp -token-id T -payable-amount A\n" +
			"[-merchant-id M] [-order-id O] [-to-address X]\n" +
			"[-charge-merchant-fee -merchant-fee-amount F -merchant-fee-token-id T]",
		note: "never creates twice for one -request-id: a request_id already used prints its refund when the inputs\n" +
			"match, and otherwise fails naming those that differ"},
	{noun: "refunds", verb: "cancel", args: []string{"REFUND_ID"}, needsSecret: true, flags: refundsCancel},
	{noun: "refunds", verb: "complete", args: []string{"REFUND_ID"}, note: "as if Cobo paid it out (the merchant fee moves to the developer)", flags: refundsComplete},
	{noun: "refunds", verb: "fail", args: []string{"REFUND_ID"}, synopsis: "[-reason TEXT]", note: "its amount goes back to its balance", flags: refundsFail},
	{noun: "balances", verb: "", synopsis: "[-merchant-ids M1,M2] [-token-id T] [-json]", note: "merchant balances (every merchant by default), and the developer balance with -token-id", needsSecret: true, flags: balances},
	{noun: "rates", verb: "list", synopsis: "[-token-ids T1,T2] [-json]", note: "USD exchange rates (every supported token by default)", needsSecret: true, flags: ratesList},
	{noun: "rates", verb: "set", args: []string{"TOKEN_ID", "RATE"}, note: "a token's USD rate, for the exchange rates and orders priced in USD later", flags: ratesSet},
	{noun: "clock", verb: "get", flags: clockGet},
	{noun: "clock", verb: "advance", args: []string{"DURATION"}, note: "such as 30m or 2h", flags: clockAdvance},
	{noun: "faults", verb: "add", flags: faultsAdd,
		synopsis: "[-method M] [-path P] [-status N] [-body B] [-content-type T] [-retry-after S]\n" +
			"[-delay D] [-drop-connection] [-after-commit] [-times N]\n" +
			"| -delivery [-event-type PREFIX] [-duplicate] [-delay D] [-times N]"},
	{noun: "faults", verb: "list", flags: faultsList},
	{noun: "faults", verb: "clear", flags: faultsClear},
	{noun: "webhooks", verb: "listen", needsSecret: true, flags: webhooksListen,
		synopsis: "[-forward-to URL] [-events T1,T2] [-json] [-addr 127.0.0.1:0] [-public-key HEX]",
		note: "register a local receiver as a webhook endpoint, print each event delivered to it (type, order or\n" +
			"transaction id, status, signature verified), forward it to -forward-to; Ctrl-C revokes the endpoint"},
	{noun: "webhooks", verb: "trigger", args: []string{"EVENT_TYPE"}, synopsis: "[-override JSON]", note: "a test event to the subscribed endpoints", needsSecret: true, flags: webhooksTrigger},
	{noun: "webhooks", verb: "endpoints list", synopsis: "[-status S] [-event-type T] [-limit N] [-json]", needsSecret: true, flags: webhooksEndpointsList},
	{noun: "webhooks", verb: "endpoints get", args: []string{"ENDPOINT_ID"}, needsSecret: true, flags: webhooksEndpointsGet},
	{noun: "webhooks", verb: "endpoints create", synopsis: "-url URL [-events T1,T2] [-description D]", note: "register an endpoint (default events: the pay-in order events)", needsSecret: true, flags: webhooksEndpointsCreate},
	{noun: "webhooks", verb: "endpoints revoke", args: []string{"ENDPOINT_ID"}, note: "revoke an endpoint (final: a revoked endpoint receives nothing more)", needsSecret: true, flags: webhooksEndpointsRevoke},
	{noun: "webhooks", verb: "events list", args: []string{"ENDPOINT_ID"}, synopsis: "[-status S] [-type T] [-limit N] [-json]", needsSecret: true, flags: webhooksEventsList},
	{noun: "webhooks", verb: "events get", args: []string{"ENDPOINT_ID", "EVENT_ID"}, needsSecret: true, flags: webhooksEventsGet},
	{noun: "webhooks", verb: "events logs", args: []string{"ENDPOINT_ID", "EVENT_ID"}, synopsis: "[-limit N] [-json]", note: "one log per delivery attempt", needsSecret: true, flags: webhooksEventsLogs},
	{noun: "webhooks", verb: "events retry", args: []string{"ENDPOINT_ID", "EVENT_ID"}, needsSecret: true, flags: webhooksEventsRetry},
	{noun: "webhooks", verb: "key", note: "the public key the sandbox signs events with", flags: webhooksKey},
	{noun: "webhooks", verb: "approve", args: []string{"ENDPOINT_ID"}, note: "an endpoint awaiting approval (serve -webhook-approval)", flags: webhooksDecide("approve")},
	{noun: "webhooks", verb: "reject", args: []string{"ENDPOINT_ID"}, note: "an endpoint awaiting approval (serve -webhook-approval)", flags: webhooksDecide("reject")},
}

// lookupCommand finds NOUN VERB in the table; args may start with a two-word verb.
func lookupCommand(noun string, args []string) (command, []string, bool) {
	for _, words := range []int{2, 1, 0} { // 0: a noun that is the whole command, such as balances
		if len(args) < words {
			continue
		}
		verb := strings.Join(args[:words], " ")
		for _, c := range commands {
			if c.noun == noun && c.verb == verb {
				return c, args[words:], true
			}
		}
	}
	return command{}, nil, false
}

// verbsOf are the verbs of noun, in the table's order.
func verbsOf(noun string) []string {
	var verbs []string
	for _, c := range commands {
		if c.noun == noun {
			verbs = append(verbs, c.verb)
		}
	}
	return verbs
}

func isNoun(word string) bool { return len(verbsOf(word)) > 0 }

// serveUsage is serve's synopsis, its flags listed from the flag set serve parses.
func serveUsage() string {
	fs, _ := newServeFlags(io.Discard)
	var b strings.Builder
	b.WriteString("Usage:\n")
	line := "  cobo-sandbox [serve]"
	fs.VisitAll(func(f *flag.Flag) {
		word, _ := flag.UnquoteUsage(f)
		item := "[-" + f.Name + "]"
		if word != "" {
			item = "[-" + f.Name + " " + word + "]"
		}
		if len(line)+1+len(item) > 100 {
			b.WriteString(line + "\n")
			line = strings.Repeat(" ", len("  cobo-sandbox"))
		}
		line += " " + item
	})
	b.WriteString(line + "\n")
	b.WriteString("      serve the sandbox until Ctrl-C or SIGTERM (-state FILE keeps what it holds across restarts;\n")
	b.WriteString("      cobo-sandbox serve -h describes each flag)\n")
	return b.String()
}

const clientUsage = `
The client commands talk to the sandbox at COBO_HOST (the API base URL it printed, ending in /v2) with
the API secret COBO_API_SECRET, or the -host and -api-secret flags. Orders, merchants, refunds,
balances and rates list go through the signed /v2 API; payments, refunds complete and fail, rates
set, the clock and faults through /_sandbox; webhooks through /v2 except key, approve and reject
(/_sandbox). Output is JSON on stdout (an object exactly as the API returns it, a list as a JSON
array), except that merchants list, refunds list, balances, rates list and webhooks endpoints list,
events list and events logs print a table unless -json, and listen prints one line per event; errors
go to stderr with exit status 1 (2 for bad usage).
`

// usage is the text of cobo-sandbox help, written from the command table.
func usage() string {
	var b strings.Builder
	b.WriteString(serveUsage())
	noun := ""
	for _, c := range commands {
		if c.noun != noun {
			b.WriteString("\n") // a blank line between nouns
			noun = c.noun
		}
		head := strings.TrimRight("  cobo-sandbox "+c.noun+" "+c.verb, " ")
		lines := strings.Split(c.synopsis, "\n")
		first := strings.Join(slices.Concat([]string{head}, c.args, lines[:1]), " ")
		b.WriteString(strings.TrimRight(first, " ") + "\n")
		for _, more := range lines[1:] {
			b.WriteString(strings.Repeat(" ", len(head)+1) + more + "\n")
		}
		for _, note := range strings.Split(c.note, "\n") {
			if note != "" {
				b.WriteString("      " + note + "\n")
			}
		}
	}
	b.WriteString(clientUsage)
	return b.String()
}
