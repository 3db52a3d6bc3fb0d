package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox/sandboxtest"
)

// waitTimeout bounds how long a test waits for a delivery; a slack for a loaded machine, not a target.
const waitTimeout = 20 * time.Second

// lines collects a subprocess's output lines for a test to wait on. It is the command's Stdout or
// Stderr writer (not a pipe the test reads), so cmd.Wait returns only once every line is collected.
type lines struct {
	mu      sync.Mutex
	all     []string
	partial []byte
	more    chan struct{}
}

func newLines() *lines { return &lines{more: make(chan struct{}, 1)} }

func (l *lines) Write(p []byte) (int, error) {
	l.mu.Lock()
	l.partial = append(l.partial, p...)
	for {
		i := bytes.IndexByte(l.partial, '\n')
		if i < 0 {
			break
		}
		l.all = append(l.all, string(l.partial[:i]))
		l.partial = l.partial[i+1:]
	}
	l.mu.Unlock()
	select {
	case l.more <- struct{}{}:
	default:
	}
	return len(p), nil
}

// waitFor returns the first line that matches, failing the test after waitTimeout.
func (l *lines) waitFor(t *testing.T, what string, match func(string) bool) string {
	t.Helper()
	deadline := time.After(waitTimeout)
	for {
		l.mu.Lock()
		for _, s := range l.all {
			if match(s) {
				l.mu.Unlock()
				return s
			}
		}
		got := strings.Join(l.all, "\n")
		l.mu.Unlock()
		select {
		case <-l.more:
		case <-deadline:
			t.Fatalf("no line %s after %s; got:\n%s", what, waitTimeout, got)
		}
	}
}

func containsAll(words ...string) func(string) bool {
	return func(s string) bool {
		for _, w := range words {
			if !strings.Contains(s, w) {
				return false
			}
		}
		return true
	}
}

// forwarded is one request the app behind -forward-to received.
type forwarded struct {
	body   []byte
	header http.Header
}

// appServer stands in for the user's app: it records what arrives and answers 200.
func appServer(t *testing.T) (*httptest.Server, func() []forwarded) {
	var mu sync.Mutex
	var got []forwarded
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, forwarded{b, r.Header.Clone()})
		mu.Unlock()
	}))
	t.Cleanup(srv.Close)
	return srv, func() []forwarded {
		mu.Lock()
		defer mu.Unlock()
		return append([]forwarded(nil), got...)
	}
}

var listeningLine = regexp.MustCompile(`listening on (http://127\.0\.0\.1:\d+/webhook) as endpoint (\S+) \((STATUS_[A-Z_]+)\)`)

// startListen runs "webhooks listen" as a subprocess against srv and waits until it is registered.
func startListen(t *testing.T, srv *sandboxtest.Server, args ...string) (cmd *exec.Cmd, stdout, stderr *lines, endpointID string) {
	t.Helper()
	cmd = subprocess(t, append([]string{"webhooks", "listen", "-host", srv.BaseURL}, args...)...)
	cmd.Env = append(filterEnv(cmd.Env), "COBO_API_SECRET="+testSecret)
	stdout, stderr = newLines(), newLines()
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	m := listeningLine.FindStringSubmatch(stderr.waitFor(t, "saying it listens", listeningLine.MatchString))
	return cmd, stdout, stderr, m[2]
}

func sandboxKey(t *testing.T, srv *sandboxtest.Server) string {
	t.Helper()
	var k struct {
		PublicKey string `json:"public_key"`
	}
	if err := json.Unmarshal(cli(t, srv, "webhooks", "key"), &k); err != nil || !isPublicKeyHex(k.PublicKey) {
		t.Fatalf("webhooks key: %v %q", err, k.PublicKey)
	}
	return k.PublicKey
}

// listen against the real sandbox: a triggered event and the events of a paid order are printed
// verified and forwarded (exact body, both header spellings), and SIGINT revokes the endpoint.
func TestWebhooksListen(t *testing.T) {
	t.Parallel()
	srv := sandboxtest.New(t, sandbox.Options{})
	app, arrived := appServer(t)
	cmd, stdout, stderr, endpointID := startListen(t, srv, "-forward-to", app.URL+"/hook")

	ep := decodeEndpoint(t, cli(t, srv, "webhooks", "endpoints", "get", endpointID))
	if ep.Status != cobo.EndpointStatusActive || ep.Description == nil || *ep.Description != listenDescription ||
		strings.Join(ep.SubscribedEvents, ",") != strings.Join(listenDefaultEvents, ",") {
		t.Errorf("the registered endpoint: %+v", ep)
	}

	fault := cli(t, srv, "faults", "add", "-delivery", "-duplicate", "-event-type", "payment.order.")
	if string(fault) != `{"delivery":true,"event_type":"payment.order.","duplicate":true,"times":1}`+"\n" {
		t.Errorf("faults add -delivery -duplicate = %s", fault)
	}
	cli(t, srv, "webhooks", "trigger", cobo.EventPaymentOrderStatusUpdated, "-override", `{"status": "Underpaid"}`)
	first := stdout.waitFor(t, "for the triggered event", containsAll(cobo.EventPaymentOrderStatusUpdated, "status=Underpaid", "signature=verified", "forwarded=200"))
	event := regexp.MustCompile(`event=\S+`).FindString(first)
	stdout.waitFor(t, "for its duplicate", containsAll(cobo.EventPaymentOrderStatusUpdated, event+" ", "signature=verified", "forwarded=200", "delivery=2"))

	o := decodeOrder(t, cli(t, srv, createArgs("listen-1")...))
	cli(t, srv, "orders", "pay", o.OrderID)
	stdout.waitFor(t, "for the payment", containsAll(cobo.EventPaymentTransactionCreated, "order="+o.OrderID, "transaction=", "signature=verified", "forwarded=200"))
	stdout.waitFor(t, "for the order's Completed status", containsAll(cobo.EventPaymentOrderStatusUpdated, "order="+o.OrderID, "status=Completed", "signature=verified", "forwarded=200"))

	stdout.mu.Lock()
	t.Logf("listen printed:\n%s", strings.Join(stdout.all, "\n"))
	stdout.mu.Unlock()
	key := sandboxKey(t, srv)
	got := arrived()
	if len(got) < 3 {
		t.Fatalf("the app got %d events, want the trigger's and the order's", len(got))
	}
	for _, f := range got {
		ts, sig := f.header.Get(cobo.HeaderWebhookTimestamp), f.header.Get(cobo.HeaderWebhookSignature)
		if ts == "" || sig == "" || f.header.Get(cobo.HeaderWebhookTimestampDash) != ts || f.header.Get(cobo.HeaderWebhookSignatureDash) != sig {
			t.Errorf("the app did not get both header spellings with the same values: %v", f.header)
		}
		if err := cobo.VerifyWebhook(key, sig, f.body, ts); err != nil {
			t.Errorf("the app got a body that is not the one signed: %v: %s", err, f.body)
		}
	}

	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("listen exited with %v after SIGINT, want status 0", err)
	}
	stderr.waitFor(t, "saying it revoked the endpoint", containsAll("revoked endpoint "+endpointID, cobo.EndpointStatusInactive))
	if ep := decodeEndpoint(t, cli(t, srv, "webhooks", "endpoints", "get", endpointID)); ep.Status != cobo.EndpointStatusInactive {
		t.Errorf("after SIGINT the endpoint is %s, want %s", ep.Status, cobo.EndpointStatusInactive)
	}
}

// -json prints each event's body on stdout; a wrong -public-key shows every event as invalid.
func TestWebhooksListenJSONAndWrongKey(t *testing.T) {
	t.Parallel()
	srv := sandboxtest.New(t, sandbox.Options{})
	_, stdout, stderr, endpointID := startListen(t, srv, "-json", "-public-key", cobo.WebhookPublicKeyProd, "-events", cobo.EventPaymentTransactionCreated)
	cli(t, srv, "webhooks", "trigger", cobo.EventPaymentTransactionCreated)
	raw := stdout.waitFor(t, "with the event's JSON", containsAll(`"type":"`+cobo.EventPaymentTransactionCreated+`"`))
	var ev cobo.WebhookEvent
	if err := json.Unmarshal([]byte(raw), &ev); err != nil || ev.EventID == "" {
		t.Fatalf("-json printed %q, want a WebhookEvent: %v", raw, err)
	}
	stderr.waitFor(t, "saying the signature is invalid", containsAll(cobo.EventPaymentTransactionCreated, "event="+ev.EventID, "signature=invalid", "# signature: "))
	got := decodeEvent(t, cli(t, srv, "webhooks", "events", "get", endpointID, ev.EventID))
	if got.EventID != ev.EventID || got.Type != cobo.EventPaymentTransactionCreated {
		t.Errorf("events get: %+v", got)
	}
}

func decodeEndpoint(t *testing.T, out []byte) cobo.WebhookEndpoint {
	t.Helper()
	return decodeWithID(t, out, "WebhookEndpoint", func(ep cobo.WebhookEndpoint) string { return ep.EndpointID })
}

func decodeEvent(t *testing.T, out []byte) cobo.WebhookEvent {
	t.Helper()
	return decodeWithID(t, out, "WebhookEvent", func(ev cobo.WebhookEvent) string { return ev.EventID })
}

// decodeWithID decodes a command's output as one T (named typeName) that has an id.
func decodeWithID[T any](t *testing.T, out []byte, typeName string, id func(T) string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(out, &v); err != nil || id(v) == "" {
		t.Fatalf("not a %s: %v: %s", typeName, err, out)
	}
	return v
}

// The other commands against the sandbox: endpoints list/get, trigger, events list/get/logs/retry,
// key, with an endpoint that fails (500) so that its event can be retried.
func TestWebhooksCommands(t *testing.T) {
	t.Parallel()
	srv := sandboxtest.New(t, sandbox.Options{})
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusInternalServerError) }))
	defer failing.Close()
	api, err := cobo.New(cobo.Config{BaseURL: srv.BaseURL, APISecret: testSecret})
	if err != nil {
		t.Fatal(err)
	}
	ep, err := api.CreateWebhookEndpoint(t.Context(), cobo.CreateWebhookEndpointRequest{URL: failing.URL + "/hook", SubscribedEvents: []string{cobo.EventPaymentOrderStatusUpdated}})
	if err != nil {
		t.Fatal(err)
	}
	var list []cobo.WebhookEndpoint
	if err := json.Unmarshal(cli(t, srv, "webhooks", "endpoints", "list", "-json"), &list); err != nil || len(list) != 1 || list[0].EndpointID != ep.EndpointID {
		t.Fatalf("endpoints list: %v %+v", err, list)
	}
	if out := cli(t, srv, "webhooks", "endpoints", "list", "-json", "-status", cobo.EndpointStatusInactive); string(out) != "[]\n" {
		t.Errorf("endpoints list -status STATUS_INACTIVE = %s, want []", out)
	}
	if got := decodeEndpoint(t, cli(t, srv, "webhooks", "endpoints", "get", ep.EndpointID)); got.URL != ep.URL {
		t.Errorf("endpoints get: %+v", got)
	}
	if out := string(cli(t, srv, "webhooks", "trigger", cobo.EventPaymentOrderStatusUpdated)); out != `{"triggered":true}`+"\n" {
		t.Errorf("trigger = %q", out)
	}

	ev := waitForEvent(t, srv, ep.EndpointID, cobo.EventStatusRetrying)
	if got := decodeEvent(t, cli(t, srv, "webhooks", "events", "get", ep.EndpointID, ev.EventID)); got.Status != cobo.EventStatusRetrying || got.RetriesLeft == nil {
		t.Errorf("events get: %+v", got)
	}
	logs := eventLogs(t, srv, ep.EndpointID, ev.EventID)
	if len(logs) != 1 || logs[0].Success || logs[0].ResponseStatusCode == nil || *logs[0].ResponseStatusCode != 500 {
		t.Fatalf("events logs after one failed attempt: %+v", logs)
	}
	if out := string(cli(t, srv, "webhooks", "events", "retry", ep.EndpointID, ev.EventID)); out != `{"retried":true}`+"\n" {
		t.Errorf("events retry = %q", out)
	}
	deadline := time.Now().Add(waitTimeout)
	for len(eventLogs(t, srv, ep.EndpointID, ev.EventID)) < 2 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := len(eventLogs(t, srv, ep.EndpointID, ev.EventID)); n != 2 {
		t.Errorf("%d logs after events retry, want 2", n)
	}
	if _, err := cliErr(srv, "webhooks", "events", "get", ep.EndpointID, "no-such-event"); err == nil || !strings.Contains(err.Error(), "error_code 2028") {
		t.Errorf("events get of an unknown event: %v, want Cobo's 404 / 2028", err)
	}
	sandboxKey(t, srv)
}

func waitForEvent(t *testing.T, srv *sandboxtest.Server, endpointID, status string) cobo.WebhookEvent {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		var events []cobo.WebhookEvent
		if err := json.Unmarshal(cli(t, srv, "webhooks", "events", "list", endpointID, "-json", "-status", status), &events); err != nil {
			t.Fatal(err)
		}
		if len(events) > 0 {
			return events[0]
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s event of endpoint %s after %s", status, endpointID, waitTimeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func eventLogs(t *testing.T, srv *sandboxtest.Server, endpointID, eventID string) []cobo.WebhookEventLog {
	t.Helper()
	var logs []cobo.WebhookEventLog
	if err := json.Unmarshal(cli(t, srv, "webhooks", "events", "logs", endpointID, eventID, "-json"), &logs); err != nil {
		t.Fatal(err)
	}
	return logs
}

// approve and reject, on a sandbox that holds new endpoints for approval (-webhook-approval).
func TestWebhooksApproveReject(t *testing.T) {
	t.Parallel()
	srv := sandboxtest.New(t, sandbox.Options{WebhookApproval: true})
	api, err := cobo.New(cobo.Config{BaseURL: srv.BaseURL, APISecret: testSecret})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, path := range []string{"/a", "/b"} {
		ep, err := api.CreateWebhookEndpoint(t.Context(), cobo.CreateWebhookEndpointRequest{URL: "http://127.0.0.1:9" + path, SubscribedEvents: []string{cobo.EventPaymentOrderStatusUpdated}})
		if err != nil || ep.Status != cobo.EndpointStatusPendingActive {
			t.Fatalf("registering with -webhook-approval: %v %+v", err, ep)
		}
		ids = append(ids, ep.EndpointID)
	}
	if ep := decodeEndpoint(t, cli(t, srv, "webhooks", "approve", ids[0])); ep.EndpointID != ids[0] || ep.Status != cobo.EndpointStatusActive {
		t.Errorf("approve: %+v, want %s", ep, cobo.EndpointStatusActive)
	}
	if ep := decodeEndpoint(t, cli(t, srv, "webhooks", "reject", ids[1])); ep.EndpointID != ids[1] || ep.Status != cobo.EndpointStatusRejectedActive {
		t.Errorf("reject: %+v, want %s", ep, cobo.EndpointStatusRejectedActive)
	}
	if ep := decodeEndpoint(t, cli(t, srv, "webhooks", "endpoints", "get", ids[1])); ep.Status != cobo.EndpointStatusRejectedActive {
		t.Errorf("after reject the API reads %s", ep.Status)
	}
	if _, err := cliErr(srv, "webhooks", "approve", ids[0]); err == nil || !strings.Contains(err.Error(), "HTTP 409") {
		t.Errorf("approving an endpoint that awaits nothing: %v, want the helper's 409", err)
	}
	if _, err := cliErr(srv, "webhooks", "reject", "no-such-endpoint"); err == nil || !strings.Contains(err.Error(), "HTTP 404") {
		t.Errorf("rejecting an unknown endpoint: %v, want the helper's 404", err)
	}

	// listen's endpoint awaits approval too: listen says so, and receives events once approved
	cmd, stdout, stderr, listenID := startListen(t, srv)
	stderr.waitFor(t, "saying how to approve", containsAll("cobo-sandbox webhooks approve "+listenID))
	cli(t, srv, "webhooks", "approve", listenID)
	cli(t, srv, "webhooks", "trigger", cobo.EventPaymentTransactionCompleted)
	stdout.waitFor(t, "for the event after approval", containsAll(cobo.EventPaymentTransactionCompleted, "signature=verified"))
	// and its revoke awaits approval too: listen says so
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("listen exited with %v after SIGINT, want status 0", err)
	}
	stderr.waitFor(t, "saying the revoke awaits approval", containsAll("the revoke awaits approval: cobo-sandbox webhooks approve "+listenID))
	if ep := decodeEndpoint(t, cli(t, srv, "webhooks", "approve", listenID)); ep.Status != cobo.EndpointStatusInactive {
		t.Errorf("approving the revoke: %s, want %s", ep.Status, cobo.EndpointStatusInactive)
	}
}

// The real binary: API errors exit 1 with Cobo's error on stderr and nothing on stdout; bad command
// lines exit 2.
func TestWebhooksExitStatus(t *testing.T) {
	t.Parallel()
	srv := sandboxtest.New(t, sandbox.Options{})
	for _, tc := range []struct {
		args   []string
		status int
		stderr string
	}{
		{[]string{"webhooks", "endpoints", "get", "no-such-endpoint"}, 1, "error_code 2028"},
		{[]string{"webhooks", "events", "list", "no-such-endpoint"}, 1, "error_code 2028"},
		{[]string{"webhooks", "trigger", "wallets.created"}, 1, "error_code 2006"},
		{[]string{"webhooks", "trigger"}, 2, "want EVENT_TYPE"},
		{[]string{"webhooks", "endpoints", "delete", "x"}, 2, "webhooks needs one of"},
	} {
		cmd := subprocess(t, tc.args...)
		cmd.Env = append(filterEnv(cmd.Env), "COBO_HOST="+srv.BaseURL, "COBO_API_SECRET="+testSecret)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		status := 0
		if exitErr, ok := err.(*exec.ExitError); ok {
			status = exitErr.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if status != tc.status || !strings.Contains(stderr.String(), tc.stderr) || stdout.Len() > 0 {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit %d and stderr containing %q", tc.args, status, stdout.String(), stderr.String(), tc.status, tc.stderr)
		}
	}
}

// The app's failure reaches the sandbox: listen answers with the app's status, so the event is
// Retrying with the app's status in its log; SIGTERM revokes the endpoint like SIGINT.
func TestWebhooksListenPassesTheAppsFailure(t *testing.T) {
	t.Parallel()
	srv := sandboxtest.New(t, sandbox.Options{})
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, "app down for maintenance", http.StatusServiceUnavailable)
	}))
	defer app.Close()
	cmd, stdout, _, endpointID := startListen(t, srv, "-forward-to", app.URL)
	cli(t, srv, "webhooks", "trigger", cobo.EventPaymentTransactionLate)
	stdout.waitFor(t, "with the app's 503", containsAll(cobo.EventPaymentTransactionLate, "signature=verified", "forwarded=503"))
	ev := waitForEvent(t, srv, endpointID, cobo.EventStatusRetrying)
	logs := eventLogs(t, srv, endpointID, ev.EventID)
	if len(logs) != 1 || logs[0].ResponseStatusCode == nil || *logs[0].ResponseStatusCode != http.StatusServiceUnavailable ||
		logs[0].ResponseBody == nil || !strings.Contains(*logs[0].ResponseBody, "app down for maintenance") {
		t.Errorf("the sandbox's log of the attempt: %+v, want the app's 503 and its body", logs)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("listen exited with %v after SIGTERM, want status 0", err)
	}
	if ep := decodeEndpoint(t, cli(t, srv, "webhooks", "endpoints", "get", endpointID)); ep.Status != cobo.EndpointStatusInactive {
		t.Errorf("after SIGTERM the endpoint is %s, want %s", ep.Status, cobo.EndpointStatusInactive)
	}
}
