package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// "webhooks listen" is the sandbox's answer to `stripe listen --forward-to`: a local receiver that is
// registered as a webhook endpoint for as long as it runs, prints each delivered event with whether
// its signature verifies, and optionally hands the event on to the app under test.

// listenDefaultEvents are the pay-in order events, what a merchant's app listens to. The older name
// payment.status.updated is left out: subscribing to both would deliver every order change twice.
var listenDefaultEvents = []string{
	cobo.EventPaymentOrderStatusUpdated, cobo.EventPaymentTransactionCreated, cobo.EventPaymentTransactionHeld,
	cobo.EventPaymentTransactionCompleted, cobo.EventPaymentTransactionLate, cobo.EventPaymentTransactionFailed,
}

const (
	listenPath        = "/webhook"
	listenDescription = "cobo-sandbox webhooks listen"
	maxEventBytes     = 4 << 20  // larger than any event the sandbox sends
	maxAnswerBytes    = 64 << 10 // of the forward target's answer, handed back to the sandbox
	revokeTimeout     = 10 * time.Second
)

// webhooksListen registers a local receiver and serves it until SIGINT or SIGTERM, then revokes it.
func webhooksListen(fs *flag.FlagSet) func(*client, []string) error {
	addr := fs.String("addr", "127.0.0.1:0", "the local address to receive events on (a loopback host; port 0 picks a free port)")
	forwardTo := fs.String("forward-to", "", "also POST each event, its exact body and headers, to this URL (your app's handler) and answer the sandbox with its status")
	events := fs.String("events", strings.Join(listenDefaultEvents, ","), "the event types to subscribe to, comma-separated")
	asJSON := fs.Bool("json", false, "print each event's raw JSON body on stdout (one line each) instead of a summary line (the summary goes to stderr)")
	publicKey := fs.String("public-key", "", "verify signatures with this hex Ed25519 public key (default: the sandbox's, from GET /_sandbox/webhooks/key)")
	stderr := fs.Output()
	return func(c *client, _ []string) error {
		subscribed := splitList(*events)
		if len(subscribed) == 0 {
			return usageErrorf("-events must name at least one event type, such as %s", cobo.EventPaymentOrderStatusUpdated)
		}
		if err := checkListenAddr(*addr); err != nil {
			return err
		}
		recv, err := newListenReceiver(*publicKey, *forwardTo, *asJSON, c.out, stderr)
		if err != nil {
			return err
		}
		if recv.publicKey == "" {
			if recv.publicKey, err = c.sandboxWebhookKey(); err != nil {
				return fmt.Errorf("%w (or pass -public-key)", err)
			}
		}
		ctx, stop := signal.NotifyContext(c.ctx, os.Interrupt, syscall.SIGTERM)
		defer stop()
		go func() { <-ctx.Done(); stop() }() // a second Ctrl-C during the revoke ends the process at once
		return listenUntilDone(ctx, c, recv, *addr, subscribed, stderr)
	}
}

// listenUntilDone serves recv on addr, registers it, waits for ctx, then revokes the endpoint.
func listenUntilDone(ctx context.Context, c *client, recv *listenReceiver, addr string, events []string, stderr io.Writer) error {
	ln, endpointURL, err := listenLocal(addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: recv, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer func() { _ = srv.Close() }()

	ep, err := c.api.CreateWebhookEndpoint(ctx, cobo.CreateWebhookEndpointRequest{URL: endpointURL, SubscribedEvents: events, Description: listenDescription})
	if err != nil {
		return fmt.Errorf("registering %s as a webhook endpoint: %w", endpointURL, err)
	}
	fmt.Fprintf(stderr, "cobo-sandbox: listening on %s as endpoint %s (%s) for %s; Ctrl-C revokes it\n", endpointURL, ep.EndpointID, ep.Status, strings.Join(events, ", "))
	if ep.Status != cobo.EndpointStatusActive {
		fmt.Fprintf(stderr, "cobo-sandbox: the endpoint receives events once approved: cobo-sandbox webhooks approve %s\n", ep.EndpointID)
	}
	<-ctx.Done()

	revokeCtx, cancel := context.WithTimeout(context.Background(), revokeTimeout)
	defer cancel()
	revoked, err := c.api.UpdateWebhookEndpoint(revokeCtx, ep.EndpointID, cobo.UpdateWebhookEndpointRequest{Status: cobo.EndpointStatusInactive})
	if err != nil {
		return fmt.Errorf("revoking endpoint %s: %w; it stays registered until revoked", ep.EndpointID, err)
	}
	fmt.Fprintf(stderr, "cobo-sandbox: revoked endpoint %s (%s)\n", revoked.EndpointID, revoked.Status)
	if !cobo.IsFinalEndpointStatus(revoked.Status) {
		fmt.Fprintf(stderr, "cobo-sandbox: the revoke awaits approval: cobo-sandbox webhooks approve %s\n", revoked.EndpointID)
	}
	return nil
}

// checkListenAddr accepts host:port on a loopback host: the sandbox delivers over http only there.
func checkListenAddr(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return usageErrorf("-addr must be host:port, such as 127.0.0.1:0; got %q", addr)
	}
	if !cobo.IsLoopbackHost(host) {
		return usageErrorf("-addr must be on a loopback host (127.0.0.1, ::1 or localhost), where the sandbox delivers over http; got %q", addr)
	}
	return nil
}

// listenLocal listens on addr and returns the URL to register, checked by the rule the API applies
// (cobo.ValidateWebhookURL).
func listenLocal(addr string) (net.Listener, string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, "", fmt.Errorf("listening on %s: %w", addr, err)
	}
	u := (&url.URL{Scheme: "http", Host: ln.Addr().String(), Path: listenPath}).String()
	if err := cobo.ValidateWebhookURL(u); err != nil {
		_ = ln.Close()
		return nil, "", err
	}
	return ln, u, nil
}

// listenReceiver handles the sandbox's deliveries.
type listenReceiver struct {
	publicKey string
	forwardTo string // "" when not forwarding
	forward   *http.Client
	asJSON    bool

	mu     sync.Mutex // serializes output and seen
	stdout io.Writer
	stderr io.Writer
	seen   map[string]int // deliveries per event_id
}

func newListenReceiver(publicKey, forwardTo string, asJSON bool, stdout, stderr io.Writer) (*listenReceiver, error) {
	if publicKey != "" && !isPublicKeyHex(publicKey) {
		return nil, usageErrorf("-public-key must be an Ed25519 public key of 64 hexadecimal characters, such as Cobo's development key %s", cobo.WebhookPublicKeyDev)
	}
	if forwardTo != "" {
		u, err := url.Parse(forwardTo)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, usageErrorf("-forward-to must be an absolute http or https URL, such as http://127.0.0.1:3000/cobo/webhook; got %q", forwardTo)
		}
	}
	return &listenReceiver{
		publicKey: publicKey, forwardTo: forwardTo, asJSON: asJSON, stdout: stdout, stderr: stderr, seen: map[string]int{},
		// Like Cobo: the answer is due within the delivery timeout, and redirects are not followed.
		forward: &http.Client{
			Timeout:       cobo.WebhookDeliveryTimeout,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}, nil
}

// ServeHTTP verifies, forwards, prints, then answers: the forward target's status and body when
// forwarding (so the sandbox retries when the app fails, as Cobo would), 502 when the target cannot be
// reached, and otherwise 200. Printing comes before answering, so an event the sandbox counts as
// delivered has been printed.
func (l *listenReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxEventBytes))
	if err != nil {
		http.Error(w, "reading the event: "+err.Error(), http.StatusBadRequest)
		return
	}
	sum := summarize(body)
	sum.verifyErr = l.verify(r.Header, body)
	answer := forwardAnswer{status: http.StatusOK, body: []byte("ok\n"), contentType: "text/plain; charset=utf-8"}
	if l.forwardTo != "" {
		answer = l.forwardEvent(r, body)
		sum.forward = &answer
	}
	l.print(sum, body)
	w.Header().Set("Content-Type", answer.contentType)
	w.WriteHeader(answer.status)
	_, _ = w.Write(answer.body)
}

func (l *listenReceiver) verify(h http.Header, body []byte) error {
	timestamp, signature := cobo.WebhookSignatureHeaders(h)
	if signature == "" || timestamp == "" {
		return fmt.Errorf("no %s / %s (or %s / %s) header", cobo.HeaderWebhookTimestamp, cobo.HeaderWebhookSignature,
			cobo.HeaderWebhookTimestampDash, cobo.HeaderWebhookSignatureDash)
	}
	return cobo.VerifyWebhook(l.publicKey, signature, body, timestamp)
}

// forwardAnswer is the forward target's answer (or, when it could not be reached, a 502 saying why).
type forwardAnswer struct {
	status      int
	body        []byte
	contentType string
	err         error
}

// hopHeaders are not forwarded: they describe the connection to the listener, not the event.
var hopHeaders = map[string]bool{
	"Connection": true, "Keep-Alive": true, "Proxy-Connection": true, "Te": true, "Trailer": true,
	"Transfer-Encoding": true, "Upgrade": true, "Content-Length": true, "Accept-Encoding": true,
}

// forwardEvent POSTs the exact body with the delivery's headers to the forward target. Go's server
// reads BIZ_TIMESTAMP as Biz_timestamp; the underscore names are sent back in Cobo's spelling.
func (l *listenReceiver) forwardEvent(in *http.Request, body []byte) forwardAnswer {
	req, err := http.NewRequestWithContext(in.Context(), http.MethodPost, l.forwardTo, bytes.NewReader(body))
	if err != nil {
		return forwardFailed(err)
	}
	for name, values := range in.Header {
		if hopHeaders[name] {
			continue
		}
		for _, cobos := range []string{cobo.HeaderWebhookTimestamp, cobo.HeaderWebhookSignature} {
			if strings.EqualFold(name, cobos) {
				name = cobos
			}
		}
		req.Header[name] = append([]string(nil), values...)
	}
	resp, err := l.forward.Do(req)
	if err != nil {
		return forwardFailed(err)
	}
	defer func() { _ = resp.Body.Close() }()
	out, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswerBytes))
	if err != nil {
		return forwardFailed(fmt.Errorf("reading the answer: %w", err))
	}
	return forwardAnswer{status: resp.StatusCode, body: out, contentType: resp.Header.Get("Content-Type")}
}

func forwardFailed(err error) forwardAnswer {
	return forwardAnswer{status: http.StatusBadGateway, body: []byte("cobo-sandbox webhooks listen could not forward the event: " + err.Error() + "\n"),
		contentType: "text/plain; charset=utf-8", err: err}
}

// eventSummary is what one line says about a delivered event.
type eventSummary struct {
	eventID, eventType, orderID, transactionID, status string
	notJSON                                            error
	verifyErr                                          error
	forward                                            *forwardAnswer
}

// summarize reads the fields a line shows from a WebhookEvent body: the order id and status of a
// PaymentOrder, the transaction id, order id and status of a PaymentTransaction.
func summarize(body []byte) eventSummary {
	var ev struct {
		EventID string `json:"event_id"`
		Type    string `json:"type"`
		Data    struct {
			OrderID       string `json:"order_id"`
			TransactionID string `json:"transaction_id"`
			TxID          string `json:"tx_id"`
			Status        string `json:"status"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &ev); err != nil {
		return eventSummary{notJSON: err}
	}
	tx := ev.Data.TransactionID
	if tx == "" {
		tx = ev.Data.TxID
	}
	return eventSummary{eventID: ev.EventID, eventType: ev.Type, orderID: ev.Data.OrderID, transactionID: tx, status: ev.Data.Status}
}

// print writes the event's line (on stdout, or on stderr with the raw JSON on stdout under -json).
func (l *listenReceiver) print(sum eventSummary, body []byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	repeat := 0
	if sum.eventID != "" {
		l.seen[sum.eventID]++
		repeat = l.seen[sum.eventID]
	}
	line := sum.line(repeat)
	if !l.asJSON {
		fmt.Fprintln(l.stdout, line)
		return
	}
	var compact bytes.Buffer
	if json.Compact(&compact, body) == nil {
		compact.WriteByte('\n')
		_, _ = l.stdout.Write(compact.Bytes())
	}
	fmt.Fprintln(l.stderr, line)
}

// line is "TYPE order=… transaction=… status=… event=… signature=verified|invalid [forwarded=N]
// [delivery=N]", followed by "# reasons" when something failed.
func (s eventSummary) line(delivery int) string {
	if s.notJSON != nil {
		return fmt.Sprintf("(not a JSON event) signature=%s # %v", verdict(s.verifyErr), s.notJSON)
	}
	parts := []string{s.eventType}
	for _, kv := range [][2]string{{"order", s.orderID}, {"transaction", s.transactionID}, {"status", s.status}, {"event", s.eventID}} {
		if kv[1] != "" {
			parts = append(parts, kv[0]+"="+kv[1])
		}
	}
	parts = append(parts, "signature="+verdict(s.verifyErr))
	var notes []string
	if s.verifyErr != nil {
		notes = append(notes, "signature: "+s.verifyErr.Error())
	}
	if s.forward != nil {
		if s.forward.err != nil {
			parts = append(parts, "forwarded=failed")
			notes = append(notes, "forward: "+s.forward.err.Error())
		} else {
			parts = append(parts, fmt.Sprintf("forwarded=%d", s.forward.status))
		}
	}
	if delivery > 1 {
		parts = append(parts, fmt.Sprintf("delivery=%d", delivery))
	}
	if len(notes) > 0 {
		parts = append(parts, "# "+strings.Join(notes, "; "))
	}
	return strings.Join(parts, " ")
}

func verdict(err error) string {
	if err != nil {
		return "invalid"
	}
	return "verified"
}
