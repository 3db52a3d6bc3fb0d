package main

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox/sandboxtest"
)

// testWebhookKey is a fixed Ed25519 key pair standing in for the sandbox's.
func testWebhookKey(t *testing.T, seed byte) (ed25519.PrivateKey, string) {
	t.Helper()
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
	return priv, hex.EncodeToString(priv.Public().(ed25519.PublicKey))
}

// deliver POSTs body to url signed with key, as the sandbox does (both header spellings).
func deliver(t *testing.T, url string, key ed25519.PrivateKey, body string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	const ts = "1764670000123"
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "cobo-sandbox-test")
	cobo.SetWebhookSignatureHeaders(req.Header, ts, cobo.SignWebhook(key, []byte(body), ts))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = resp.Body.Close() })
	return resp
}

const (
	orderEvent = `{"event_id":"9b0c6a4e-1111-4c3e-9d7e-000000000001","url":"http://127.0.0.1/webhook","created_timestamp":1764670000000,` +
		`"type":"payment.order.status.updated","data":{"data_type":"PaymentOrder","order_id":"O20261202-AB-000001","status":"Completed"}}`
	transactionEvent = `{"event_id":"9b0c6a4e-1111-4c3e-9d7e-000000000002","url":"http://127.0.0.1/webhook","created_timestamp":1764670000000,` +
		`"type":"payment.transaction.created","data":{"data_type":"PaymentTransaction","transaction_id":"tx-1","order_id":"O20261202-AB-000001","status":"Confirming"}}`
)

// Without -forward-to: one line per delivery, the signature checked with the key given, 200.
func TestListenReceiverPrintsAndVerifies(t *testing.T) {
	t.Parallel()
	key, pub := testWebhookKey(t, 1)
	other, _ := testWebhookKey(t, 2)
	var stdout, stderr sandboxtest.Buffer
	srv := startListenReceiver(t, pub, "", false, &stdout, &stderr)

	for _, d := range []struct {
		key  ed25519.PrivateKey
		body string
	}{{key, orderEvent}, {key, transactionEvent}, {other, orderEvent}} {
		if resp := deliver(t, srv.URL+listenPath, d.key, d.body); resp.StatusCode != http.StatusOK {
			t.Errorf("the receiver answered %d, want 200", resp.StatusCode)
		}
	}
	// a delivery with no signature headers at all
	resp, err := http.Post(srv.URL+listenPath, "application/json", strings.NewReader(transactionEvent))
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()

	lines := strings.Split(strings.TrimSuffix(stdout.String(), "\n"), "\n")
	want := []string{
		"payment.order.status.updated order=O20261202-AB-000001 status=Completed event=9b0c6a4e-1111-4c3e-9d7e-000000000001 signature=verified",
		"payment.transaction.created order=O20261202-AB-000001 transaction=tx-1 status=Confirming event=9b0c6a4e-1111-4c3e-9d7e-000000000002 signature=verified",
		"payment.order.status.updated order=O20261202-AB-000001 status=Completed event=9b0c6a4e-1111-4c3e-9d7e-000000000001 signature=invalid delivery=2 # signature: the signature does not match",
		"payment.transaction.created order=O20261202-AB-000001 transaction=tx-1 status=Confirming event=9b0c6a4e-1111-4c3e-9d7e-000000000002 signature=invalid delivery=2 # signature: no BIZ_TIMESTAMP",
	}
	if len(lines) != len(want) {
		t.Fatalf("printed %d lines, want %d:\n%s", len(lines), len(want), stdout.String())
	}
	for i := range want {
		if !strings.HasPrefix(lines[i], want[i]) {
			t.Errorf("line %d = %q, want it to start with %q", i+1, lines[i], want[i])
		}
	}
	if stderr.String() != "" {
		t.Errorf("stderr = %q, want nothing without -json", stderr.String())
	}
}

// -json: the raw body on stdout, one line each; the summary on stderr.
func TestListenReceiverJSON(t *testing.T) {
	t.Parallel()
	key, pub := testWebhookKey(t, 3)
	var stdout, stderr sandboxtest.Buffer
	srv := startListenReceiver(t, pub, "", true, &stdout, &stderr)
	pretty := strings.ReplaceAll(orderEvent, `,"type"`, ",\n  \"type\"")
	deliver(t, srv.URL+listenPath, key, pretty)
	if stdout.String() != orderEvent+"\n" {
		t.Errorf("stdout = %q, want the event on one line", stdout.String())
	}
	if !strings.HasPrefix(stderr.String(), "payment.order.status.updated order=O20261202-AB-000001 status=Completed") || !strings.Contains(stderr.String(), "signature=verified") {
		t.Errorf("stderr = %q, want the summary line", stderr.String())
	}
}

// -forward-to: the exact body and every header (both signature spellings) reach the target, and its
// status and body are the answer to the sandbox; a target that cannot be reached is a 502.
func TestListenReceiverForwards(t *testing.T) {
	t.Parallel()
	key, pub := testWebhookKey(t, 4)
	type got struct {
		body   string
		header http.Header
	}
	arrived := make(chan got, 4)
	var status atomic.Int32 // the app's answer
	status.Store(http.StatusCreated)
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		arrived <- got{string(b), r.Header.Clone()}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(int(status.Load()))
		_, _ = w.Write([]byte(`{"app":"` + strconv.Itoa(int(status.Load())) + `"}`))
	}))
	defer app.Close()
	var stdout sandboxtest.Buffer
	srv := startListenReceiver(t, pub, app.URL+"/cobo/hook", false, &stdout, io.Discard)

	body := orderEvent + "\n" // the exact bytes, trailing newline included
	resp := deliver(t, srv.URL+listenPath, key, body)
	answer, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated || string(answer) != `{"app":"201"}` {
		t.Errorf("the receiver answered %d %s, want the app's 201 {\"app\":\"201\"}", resp.StatusCode, answer)
	}
	g := <-arrived
	if g.body != body {
		t.Errorf("the app got body %q, want %q", g.body, body)
	}
	ts, sig := g.header.Get(cobo.HeaderWebhookTimestamp), g.header.Get(cobo.HeaderWebhookSignature)
	if ts == "" || sig == "" || g.header.Get(cobo.HeaderWebhookTimestampDash) != ts || g.header.Get(cobo.HeaderWebhookSignatureDash) != sig {
		t.Errorf("the app did not get both header spellings with the same values: %v", g.header)
	}
	if err := cobo.VerifyWebhook(pub, sig, []byte(g.body), ts); err != nil {
		t.Errorf("what the app got does not verify: %v", err)
	}
	if g.header.Get("User-Agent") != "cobo-sandbox-test" || g.header.Get("Content-Type") != "application/json" {
		t.Errorf("the app did not get the delivery's other headers: %v", g.header)
	}
	if !strings.Contains(stdout.String(), "signature=verified forwarded=201") {
		t.Errorf("stdout = %q, want the forward's status on the line", stdout.String())
	}

	status.Store(http.StatusInternalServerError) // the app fails: the sandbox must see it, to retry
	if resp := deliver(t, srv.URL+listenPath, key, transactionEvent); resp.StatusCode != http.StatusInternalServerError {
		t.Errorf("the receiver answered %d when the app answered 500, want 500", resp.StatusCode)
	}
	<-arrived
	app.Close()
	if resp := deliver(t, srv.URL+listenPath, key, transactionEvent); resp.StatusCode != http.StatusBadGateway {
		t.Errorf("the receiver answered %d with the app down, want 502", resp.StatusCode)
	}
	if !strings.Contains(stdout.String(), "forwarded=500\n") || !strings.Contains(stdout.String(), "forwarded=failed delivery=2 # forward: ") {
		t.Errorf("stdout = %q, want forwarded=500, then forwarded=failed with the reason", stdout.String())
	}
}

// Bad command lines are usage errors (exit status 2) that say what is accepted; nothing is sent.
func TestWebhookCommandUsageErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"webhooks"}, "webhooks needs one of: listen, trigger, endpoints list"},
		{[]string{"webhooks", "endpoints"}, "webhooks needs one of"},
		{[]string{"webhooks", "events", "remove"}, "webhooks needs one of"},
		{[]string{"webhooks", "trigger"}, "want EVENT_TYPE"},
		{[]string{"webhooks", "trigger", "payment.order.status.updated", "-override", "[1]"}, "-override must be a JSON object"},
		{[]string{"webhooks", "events", "get", "E1"}, "want ENDPOINT_ID EVENT_ID"},
		{[]string{"webhooks", "endpoints", "list", "-limit", "-1"}, "-limit must be 0"},
		{[]string{"webhooks", "listen", "-public-key", "abc"}, "-public-key must be an Ed25519 public key"},
		{[]string{"webhooks", "listen", "-public-key", strings.Repeat("ab", 32), "-forward-to", "localhost:3000"}, "-forward-to must be an absolute http or https URL"},
		{[]string{"webhooks", "listen", "-addr", "0.0.0.0:0"}, "-addr must be on a loopback host"},
		{[]string{"webhooks", "listen", "-addr", "8080"}, "-addr must be host:port"},
		{[]string{"webhooks", "listen", "-events", ","}, "-events must name at least one event type"},
		{[]string{"webhooks", "approve"}, "want ENDPOINT_ID"},
	} {
		full := append(tc.args, "-host", "http://127.0.0.1:1/v2", "-api-secret", testSecret)
		if len(tc.args) < 2 {
			full = tc.args
		}
		err := run(full, io.Discard, io.Discard)
		if !errors.As(err, new(usageError)) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v, want a usage error containing %q", tc.args, err, tc.want)
		}
	}
}

// startListenReceiver serves newListenReceiver's handler on a loopback port until the test ends.
func startListenReceiver(t *testing.T, pub, forwardTo string, asJSON bool, stdout, stderr io.Writer) *httptest.Server {
	t.Helper()
	recv, err := newListenReceiver(pub, forwardTo, asJSON, stdout, stderr)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(recv)
	t.Cleanup(srv.Close)
	return srv
}
