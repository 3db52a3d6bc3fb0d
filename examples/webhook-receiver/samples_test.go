package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox/sandboxtest"
)

// A sample is a receiver users copy, run as its own program: the Go one in this directory, node/ and
// python/. All follow one contract: PORT and COBO_WEBHOOK_PUBLIC_KEY from the environment, POST
// /cobo/webhook on 127.0.0.1, a "verified" line with each verified event's event_id on stdout, 400 and
// a "rejected" line on stderr for a delivery that does not verify.
type sample struct {
	name string
	// missing says why this machine cannot run the sample (its runtime is absent), or "".
	missing func() string
	// argv returns the program's command line, relative to this directory.
	argv func(t *testing.T) []string
}

var samples = []sample{
	{"go", func() string { return "" }, func(t *testing.T) []string {
		bin := filepath.Join(t.TempDir(), "webhook-receiver")
		if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
			t.Fatalf("go build: %v\n%s", err, out)
		}
		return []string{bin}
	}},
	{"node", sync.OnceValue(func() string {
		if _, err := exec.LookPath("node"); err != nil {
			return "node is not on PATH: node/receiver.mjs is not run (it needs Node 16 or later)"
		}
		return ""
	}), func(*testing.T) []string { return []string{"node", filepath.Join("node", "receiver.mjs")} }},
	{"python", sync.OnceValue(func() string {
		if _, err := exec.LookPath("python3"); err != nil {
			return "python3 is not on PATH: python/receiver.py is not run"
		}
		if out, err := exec.Command("python3", "-c", "import cryptography").CombinedOutput(); err != nil {
			return fmt.Sprintf("python3 cannot import cryptography (pip install cryptography): python/receiver.py is not run: %s", bytes.TrimSpace(out))
		}
		return ""
	}), func(*testing.T) []string { return []string{"python3", filepath.Join("python", "receiver.py")} }},
}

// command returns the sample's command line, or skips t saying which runtime is missing.
func (s sample) command(t *testing.T) []string {
	t.Helper()
	if reason := s.missing(); reason != "" {
		t.Skip(reason)
	}
	return s.argv(t)
}

// TestMain says which samples this machine cannot run: a skipped test's message is shown only by go
// test -v, while this line reaches make test's output too.
func TestMain(m *testing.M) {
	for _, s := range samples {
		if reason := s.missing(); reason != "" {
			fmt.Printf("examples/webhook-receiver: the %s sample is skipped: %s\n", s.name, reason)
		}
	}
	os.Exit(m.Run())
}

// running is a started sample.
type running struct {
	url            string // http://127.0.0.1:PORT/cobo/webhook
	stdout, stderr *sandboxtest.Buffer
}

var listeningLine = regexp.MustCompile(`listening on (http://127\.0\.0\.1:[0-9]+/cobo/webhook)`)

// start runs argv with PORT=0 and the key, waits for the address it prints, and stops it when t ends.
func start(t *testing.T, argv []string, publicKeyHex string) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), "PORT=0", "COBO_WEBHOOK_PUBLIC_KEY="+publicKeyHex)
	run := &running{stdout: &sandboxtest.Buffer{}, stderr: &sandboxtest.Buffer{}}
	cmd.Stdout, cmd.Stderr = run.stdout, run.stderr
	if err := cmd.Start(); err != nil {
		cancel()
		t.Fatal(err)
	}
	var waitErr error // set before exited closes
	exited := make(chan struct{})
	go func() {
		waitErr = cmd.Wait()
		close(exited)
	}()
	t.Cleanup(func() {
		cancel() // kills the process
		<-exited
	})
	deadline := time.After(30 * time.Second) // slack for a loaded machine, not a target
	for {
		if m := listeningLine.FindStringSubmatch(run.stderr.String()); m != nil {
			run.url = m[1]
			return run
		}
		select {
		case <-exited:
			t.Fatalf("%v exited before listening: %v\nstdout: %s\nstderr: %s", argv, waitErr, run.stdout, run.stderr)
		case <-deadline:
			t.Fatalf("%v printed no listening line in 30 s\nstderr: %s", argv, run.stderr)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// send posts body with header to a receiver and returns the status.
func send(t *testing.T, url string, header http.Header, body []byte) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header = header
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}

// waitFor waits until buf contains want: a process's output can trail its HTTP answer.
func waitFor(t *testing.T, buf *sandboxtest.Buffer, want string) bool {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if strings.Contains(buf.String(), want) {
			return true
		}
	}
	return false
}

// Each sample verifies the guide's test vector, in either header spelling, and rejects it with one
// byte of the body changed.
func TestSamplesVerifyGuideVector(t *testing.T) {
	t.Parallel()
	v := readGuideVector(t)
	for _, s := range samples {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			run := start(t, s.command(t), v.publicKey)
			dashes, underscores := http.Header{}, http.Header{}
			dashes.Set(cobo.HeaderWebhookTimestampDash, v.timestamp)
			dashes.Set(cobo.HeaderWebhookSignatureDash, v.signature)
			underscores[cobo.HeaderWebhookTimestamp] = []string{v.timestamp}
			underscores[cobo.HeaderWebhookSignature] = []string{v.signature}
			if got := send(t, run.url, underscores, []byte(v.body)); got != http.StatusOK {
				t.Errorf("the guide's vector with %s: %d, want 200; stderr: %s", cobo.HeaderWebhookSignature, got, run.stderr)
			}
			if got := send(t, run.url, dashes, []byte(v.body)); got != http.StatusOK {
				t.Errorf("the guide's vector with %s: %d, want 200; stderr: %s", cobo.HeaderWebhookSignatureDash, got, run.stderr)
			}
			changed := strings.Replace(v.body, "100.00", "100.01", 1)
			if got := send(t, run.url, dashes, []byte(changed)); got != cobo.WebhookRejectStatus {
				t.Errorf("the guide's vector with a changed body: %d, want %d", got, cobo.WebhookRejectStatus)
			}
			if !waitFor(t, run.stdout, "verified event_id=3f1c7a52-9d4e-4b8a-a6f0-5c2e81d94b37 ") ||
				!waitFor(t, run.stdout, "duplicate, already handled") || !waitFor(t, run.stderr, "rejected (400): the signature does not match") {
				t.Errorf("stdout: %s\nstderr: %s\nwant a verified line, a duplicate line and a rejected line", run.stdout, run.stderr)
			}
		})
	}
}

// Each sample, registered with the sandbox, gets real signed deliveries of a payment flow and answers
// 200 to each (so every event ends Success), printing each event_id with "verified" and the amount
// from data.destination.amount; a real delivery with one changed byte gets 400 and a "rejected" line.
func TestSamplesWithSandbox(t *testing.T) {
	t.Parallel()
	for _, s := range samples {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			argv := s.command(t)
			srv, api, publicKey := startSandbox(t)
			run := start(t, argv, publicKey)
			// A second endpoint records real deliveries to tamper with.
			recorder := &recording{next: http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})}
			recorderSrv := httptest.NewServer(recorder)
			defer recorderSrv.Close()

			ctx := context.Background()
			ep := register(ctx, t, api, run.url)
			register(ctx, t, api, recorderSrv.URL+"/cobo/webhook")
			payOrders(ctx, t, api, srv)
			events := waitUntilDelivered(ctx, t, api, ep.EndpointID, 8)
			for _, ev := range events {
				if !waitFor(t, run.stdout, "verified event_id="+ev.EventID+" ") {
					t.Errorf("no verified line for event %s (%s)", ev.EventID, ev.Type)
				}
			}
			for _, amount := range []string{"amount=10.00 ", "amount=4.00 "} {
				if !strings.Contains(run.stdout.String(), amount) {
					t.Errorf("no line with %s (data.destination.amount of a payment)", amount)
				}
			}
			if strings.Contains(run.stderr.String(), "rejected") {
				t.Errorf("the sample rejected real deliveries: %s", run.stderr)
			}
			delivered := recorder.deliveries()[0]
			tampered := bytes.Clone(delivered.body)
			tampered[len(tampered)/2] ^= 0x01
			if got := send(t, run.url, delivered.header.Clone(), tampered); got != cobo.WebhookRejectStatus {
				t.Errorf("a real delivery with one changed byte: %d, want %d", got, cobo.WebhookRejectStatus)
			}
			if !waitFor(t, run.stderr, "rejected (400)") {
				t.Errorf("no rejected line for the changed delivery; stderr: %s", run.stderr)
			}
			t.Logf("%s printed:\n%s%s", s.name, run.stdout, run.stderr)
		})
	}
}
