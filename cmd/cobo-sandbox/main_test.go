package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox/sandboxtest"
)

// TestMain runs the command itself when the test binary is started as a subprocess by runMain, so
// that exit statuses, stderr and kill -9 are tested on the real main.
func TestMain(m *testing.M) {
	if args := os.Getenv("COBO_SANDBOX_TEST_ARGS"); args != "" {
		var list []string
		if err := json.Unmarshal([]byte(args), &list); err != nil {
			panic(err)
		}
		os.Args = append([]string{"cobo-sandbox"}, list...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// subprocess is the command run as its own process.
func subprocess(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	enc, _ := json.Marshal(args)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	// A race-instrumented binary sleeps 1 s at exit by default; the stop tests time the exit.
	cmd.Env = append(os.Environ(), "COBO_SANDBOX_TEST_ARGS="+string(enc), "GORACE=atexit_sleep_ms=0")
	return cmd
}

const testSecret = "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20"

// cli runs one client command in process against srv with -host and -api-secret (last, since a verb
// can be two words); it fails the test when the command fails.
func cli(t *testing.T, srv *sandboxtest.Server, args ...string) []byte {
	t.Helper()
	out, err := cliErr(srv, args...)
	if err != nil {
		t.Fatalf("cobo-sandbox %s: %v", strings.Join(args, " "), err)
	}
	return out
}

func cliErr(srv *sandboxtest.Server, args ...string) ([]byte, error) {
	var stdout bytes.Buffer
	err := run(append(args[:len(args):len(args)], "-host", srv.BaseURL, "-api-secret", testSecret), &stdout, io.Discard)
	return stdout.Bytes(), err
}

func decodeOrder(t *testing.T, out []byte) *cobo.Order {
	t.Helper()
	if !bytes.HasSuffix(out, []byte("}\n")) || bytes.Count(out, []byte("\n")) != 1 {
		t.Fatalf("output is not one JSON object on one line: %q", out)
	}
	o, err := cobo.DecodeOrder(out)
	if err != nil {
		t.Fatalf("output is not an Order: %v: %s", err, out)
	}
	return o
}

func createArgs(psp string, extra ...string) []string {
	return append([]string{"orders", "create", "-merchant-id", "M1001", "-psp-order-code", psp, "-payable-currency", "ETH_USDT",
		"-pricing-currency", "USD", "-pricing-amount", "100.00", "-fee-amount", "2.00"}, extra...)
}

func TestOrdersCommands(t *testing.T) {
	t.Parallel()
	srv := sandboxtest.New(t, sandbox.Options{})
	srv.Sandbox.SetExtraOrderFields(map[string]any{"added_later": "x"})

	created := cli(t, srv, createArgs("cli-1", "-expired-in", "600", "-amount-tolerance", "0.5", "-merchant-order-code", "MOC-1")...)
	o := decodeOrder(t, created)
	if o.PspOrderCode != "cli-1" || *o.MerchantID != "M1001" || *o.PayableCurrency != "ETH_USDT" || *o.PricingAmount != "100.00" ||
		o.FeeAmount != "2.00" || *o.AmountTolerance != "0.5" || *o.MerchantOrderCode != "MOC-1" || *o.ExpiredAt-*o.CreatedTimestamp != 600 {
		t.Errorf("created order does not carry the flags: %s", created)
	}
	if !bytes.Contains(created, []byte(`"added_later":"x"`)) {
		t.Errorf("create output is not the Order exactly as the API returned it (a key it does not know is missing): %s", created)
	}
	if got := cli(t, srv, "orders", "get", o.OrderID); !bytes.Equal(got, created) {
		t.Errorf("orders get = %s, want what create printed %s", got, created)
	}
	byPayable := decodeOrder(t, cli(t, srv, "orders", "create", "-merchant-id", "M2", "-psp-order-code", "cli-2", "-payable-currency", "TRON_USDT", "-payable-amount", "10.5", "-fee-amount", "0"))
	if byPayable.PayableAmount != "10.5" || byPayable.PricingAmount != nil {
		t.Errorf("create with -payable-amount: payable %s, pricing %v", byPayable.PayableAmount, byPayable.PricingAmount)
	}

	// pay: part of it, then by default what is still owed (an unconfirmed payment counts as owed too)
	partial := decodeOrder(t, cli(t, srv, "orders", "pay", o.OrderID, "-amount", "3.03"))
	if partial.Status != cobo.StatusProcessing || partial.ReceivedTokenAmount != "3.03" {
		t.Fatalf("after paying 3.03: %s received %s, want Processing 3.03", partial.Status, partial.ReceivedTokenAmount)
	}
	confirming := decodeOrder(t, cli(t, srv, "orders", "pay", "-confirmed=false", "-amount", "50", o.OrderID))
	if len(confirming.Transactions) != 2 || confirming.Transactions[1].Status != "Confirming" {
		t.Fatalf("an unconfirmed payment did not add a Confirming transaction: %+v", confirming.Transactions)
	}
	paid := decodeOrder(t, cli(t, srv, "orders", "pay", o.OrderID))
	if paid.Status != cobo.StatusProcessing || paid.Transactions[2].Amount != "50.00" {
		t.Errorf("pay without -amount paid %s (status %s), want the 50.00 still owed besides the Confirming 50", paid.Transactions[2].Amount, paid.Status)
	}
	if _, err := cliErr(srv, "orders", "pay", o.OrderID); err == nil || !strings.Contains(err.Error(), "owes nothing") {
		t.Errorf("pay of an order that owes nothing: %v, want an error saying so", err)
	}
	whole := decodeOrder(t, cli(t, srv, "orders", "pay", byPayable.OrderID))
	if whole.Status != cobo.StatusCompleted || whole.ReceivedTokenAmount != "10.5" {
		t.Errorf("pay without -amount: %s received %s, want Completed 10.5", whole.Status, whole.ReceivedTokenAmount)
	}

	third := decodeOrder(t, cli(t, srv, createArgs("cli-3")...))
	expired := decodeOrder(t, cli(t, srv, "orders", "expire", third.OrderID))
	if expired.Status != cobo.StatusExpired {
		t.Errorf("orders expire: status %s", expired.Status)
	}
	if _, err := cliErr(srv, "orders", "expire", o.OrderID); err == nil || !strings.Contains(err.Error(), "error_code 2006") {
		t.Errorf("expiring a Processing order: %v, want Cobo's error", err)
	}

	// list: a JSON array of the orders as the API returns them, filters, -limit
	var all []map[string]any
	if err := json.Unmarshal(cli(t, srv, "orders", "list"), &all); err != nil || len(all) != 3 {
		t.Fatalf("orders list: %v, %d orders, want 3", err, len(all))
	}
	if all[0]["order_id"] != o.OrderID || all[2]["order_id"] != third.OrderID || all[0]["added_later"] != "x" {
		t.Errorf("orders list: %v", all)
	}
	var filtered []cobo.Order
	if err := json.Unmarshal(cli(t, srv, "orders", "list", "-statuses", "Expired,Completed"), &filtered); err != nil || len(filtered) != 2 ||
		filtered[0].OrderID != byPayable.OrderID || filtered[1].OrderID != third.OrderID {
		t.Errorf("orders list -statuses Expired,Completed: %v %+v", err, filtered)
	}
	if out := cli(t, srv, "orders", "list", "-merchant-id", "nobody"); string(out) != "[]\n" {
		t.Errorf("an empty list is %q, want []", out)
	}
}

func TestOrdersListFollowsPages(t *testing.T) {
	t.Parallel()
	srv := sandboxtest.New(t, sandbox.Options{})
	for i := 0; i < cobo.MaxPageSize+7; i++ {
		decodeOrder(t, cli(t, srv, createArgs("page-"+string(rune('A'+i/26))+string(rune('a'+i%26)))...))
	}
	var all []cobo.Order
	if err := json.Unmarshal(cli(t, srv, "orders", "list"), &all); err != nil || len(all) != cobo.MaxPageSize+7 {
		t.Fatalf("orders list over two pages: %v, %d orders, want %d", err, len(all), cobo.MaxPageSize+7)
	}
	if err := json.Unmarshal(cli(t, srv, "orders", "list", "-limit", "52"), &all); err != nil || len(all) != 52 || all[51].PspOrderCode != "page-Bz" {
		t.Fatalf("orders list -limit 52: %v, %d orders", err, len(all))
	}
}

func TestClockAndFaultsCommands(t *testing.T) {
	t.Parallel()
	start := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	srv := sandboxtest.New(t, sandbox.Options{Now: func() time.Time { return start }})
	if got := string(cli(t, srv, "clock", "get")); got != `{"now":1893553445,"offset_seconds":0}`+"\n" {
		t.Errorf("clock get = %s", got)
	}
	if got := string(cli(t, srv, "clock", "advance", "1h30m")); got != `{"now":1893558845,"offset_seconds":5400}`+"\n" {
		t.Errorf("clock advance 1h30m = %s", got)
	}
	if !srv.Sandbox.Now().Equal(start.Add(90 * time.Minute)) {
		t.Errorf("sandbox clock = %s after advancing 90 minutes", srv.Sandbox.Now())
	}
	for _, bad := range []string{"soon", "-5m"} {
		if _, err := cliErr(srv, "clock", "advance", bad); !errors.As(err, new(usageError)) {
			t.Errorf("clock advance %s: %v, want a usage error", bad, err)
		}
	}

	if got := string(cli(t, srv, "faults", "list")); got != "[]\n" {
		t.Errorf("faults list without faults = %q", got)
	}
	added := cli(t, srv, "faults", "add", "-method", "GET", "-path", "/v2/payments/orders", "-status", "418", "-body", "teapot", "-times", "2")
	if string(added) != `{"method":"GET","path":"/v2/payments/orders","status":418,"body":"teapot","times":2}`+"\n" {
		t.Errorf("faults add = %s", added)
	}
	cli(t, srv, "faults", "add", "-drop-connection", "-after-commit", "-method", "POST", "-delay", "10ms")
	var listed []map[string]any
	if err := json.Unmarshal(cli(t, srv, "faults", "list"), &listed); err != nil || len(listed) != 2 || listed[1]["delay_ms"] != float64(10) || listed[1]["after_commit"] != true {
		t.Errorf("faults list: %v %v", err, listed)
	}
	// the fault answers the next GET: the command fails with the status in its error
	if _, err := cliErr(srv, "orders", "get", "O1"); err == nil || !strings.Contains(err.Error(), "HTTP 418") {
		t.Errorf("orders get with a 418 fault: %v", err)
	}
	if got := string(cli(t, srv, "faults", "clear")); got != `{"cleared":true}`+"\n" {
		t.Errorf("faults clear = %s", got)
	}
	if n := len(srv.Sandbox.Faults()); n != 0 {
		t.Errorf("%d faults after faults clear", n)
	}
	if _, err := cliErr(srv, "faults", "add", "-after-commit"); err == nil || !strings.Contains(err.Error(), "after_commit") {
		t.Errorf("faults add -after-commit alone: %v, want the sandbox's refusal", err)
	}
}

// The real binary: errors on stderr with a non-zero status and nothing on stdout; COBO_HOST and
// COBO_API_SECRET from the environment.
func TestCommandExitStatusAndEnvironment(t *testing.T) {
	t.Parallel()
	srv := sandboxtest.New(t, sandbox.Options{})
	env := []string{"COBO_HOST=" + srv.BaseURL, "COBO_API_SECRET=" + testSecret}
	closed := "http://" + closedPort(t) + "/v2"
	for _, tc := range []struct {
		args       []string
		env        []string
		status     int
		stderr     string
		stdoutJSON bool
	}{
		{createArgs("env-1"), env, 0, "", true},
		{[]string{"orders", "get", "O20990101-NOPE-000001"}, env, 1, "error_code 2028", false},
		{[]string{"orders", "get", "O20990101-NOPE-000001"}, env, 1, "Each API secret is its own organization", false},
		{[]string{"orders", "pay", "O20990101-NOPE-000001"}, env, 1, "started without -state forgets its orders", false},
		{createArgs("env-1"), env, 1, "error_code 2040 (duplicate key): psp_order_code \"env-1\" is already taken by order O", false},
		{[]string{"orders", "get", "O1"}, []string{"COBO_HOST=" + closed, "COBO_API_SECRET=" + testSecret}, 1, "Is the sandbox running?", false},
		{[]string{"clock", "get"}, []string{"COBO_HOST=" + closed}, 1, "-addr 127.0.0.1:0 picks a free port", false},
		{[]string{"orders", "create", "-psp-order-code", "x"}, env, 2, "needs -merchant-id", false},
		{[]string{"orders", "get"}, env, 2, "want ORDER_ID", false},
		{[]string{"orders", "get", "x"}, nil, 2, "set COBO_HOST", false},
		{[]string{"orders", "get", "x"}, []string{"COBO_HOST=" + srv.BaseURL, "COBO_API_SECRET=short"}, 1, "COBO_API_SECRET", false},
		{[]string{"orders", "get", "x"}, []string{"COBO_HOST=" + srv.URL}, 2, "ending in /v2", false},
		{[]string{"clock", "advance", "1h"}, []string{"COBO_HOST=" + srv.BaseURL}, 0, "", true},
		{[]string{"oops"}, nil, 2, `unknown command "oops"`, false},
	} {
		cmd := subprocess(t, tc.args...)
		cmd.Env = append(filterEnv(cmd.Env), tc.env...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		status := 0
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			status = exitErr.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if status != tc.status || !strings.Contains(stderr.String(), tc.stderr) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and stderr containing %q", tc.args, status, stderr.String(), tc.status, tc.stderr)
		}
		if tc.stdoutJSON != json.Valid(stdout.Bytes()) || (!tc.stdoutJSON && stdout.Len() > 0) {
			t.Errorf("%v: stdout %q", tc.args, stdout.String())
		}
		if strings.Contains(stderr.String()+stdout.String(), testSecret) {
			t.Errorf("%v: the secret was printed", tc.args)
		}
	}
}

func filterEnv(env []string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "COBO_HOST=") && !strings.HasPrefix(kv, "COBO_API_SECRET=") {
			out = append(out, kv)
		}
	}
	return out
}

// startServer runs "cobo-sandbox serve" as a subprocess and returns it with the exports it printed.
func startServer(t *testing.T, args ...string) (*exec.Cmd, map[string]string) {
	t.Helper()
	cmd := subprocess(t, append([]string{"-addr", "127.0.0.1:0", "-quiet"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	exports := map[string]string{}
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if k, v, ok := strings.Cut(strings.TrimPrefix(sc.Text(), "export "), "="); ok && strings.HasPrefix(sc.Text(), "export ") {
			exports[k] = v
		}
		if exports["COBO_API_SECRET"] != "" {
			break
		}
	}
	if exports["COBO_HOST"] == "" {
		t.Fatalf("the server printed no exports")
	}
	go func() { _, _ = io.Copy(io.Discard, stdout) }()
	return cmd, exports
}

// SIGTERM stops the server at once, even with an idle keep-alive connection and a connection that
// never sent a request (http.Server.Shutdown would wait for those).
func TestServeStopsAtOnceOnSignal(t *testing.T) {
	t.Parallel()
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		cmd, exports := startServer(t)
		client := &http.Client{Transport: &http.Transport{}}
		resp, err := client.Get(strings.TrimSuffix(exports["COBO_HOST"], "/v2") + "/_sandbox/clock")
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close() // the connection stays open, idle, in the transport's pool
		raw, err := net.Dial("tcp", strings.TrimPrefix(strings.TrimSuffix(exports["COBO_HOST"], "/v2"), "http://"))
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = raw.Close() }()
		time.Sleep(50 * time.Millisecond)
		start := time.Now()
		if err := cmd.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
		if err := cmd.Wait(); err != nil {
			t.Errorf("after %s the server exited with %v, want status 0", sig, err)
		}
		// http.Server.Shutdown waits 5 s for a connection that never sent a request; a stop at once
		// takes milliseconds; the slack is for a loaded machine.
		d := time.Since(start)
		t.Logf("stopped %s after %s", d.Round(time.Millisecond), sig)
		if d > 2*time.Second {
			t.Errorf("the server took %s to stop after %s, want it at once (well under the 5 s Shutdown would wait)", d, sig)
		}
	}
}

// kill -9 while clients create orders: the state file loads, and holds every order a client saw
// created.
func TestStateSurvivesKill(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "state.json")
	cmd, exports := startServer(t, "-state", path)
	host := exports["COBO_HOST"]
	created := untilKilled(t, cmd, func(w, i int) (string, bool) {
		var out bytes.Buffer
		args := []string{"orders", "create", "-host", host, "-api-secret", testSecret, "-merchant-id", "M1001", "-psp-order-code",
			"kill-" + string(rune('a'+w)) + "-" + strings.Repeat("x", i%3) + time.Now().Format("150405.000000000"),
			"-payable-currency", "ETH_USDT", "-payable-amount", "1.00", "-fee-amount", "0"}
		if run(args, &out, io.Discard) != nil {
			return "", false // the server is gone
		}
		var o cobo.Order
		ok := json.Unmarshal(out.Bytes(), &o) == nil
		return o.OrderID, ok
	})
	if len(created) == 0 {
		t.Fatal("no order was created before the kill")
	}
	sb, err := sandbox.Open(sandbox.Options{StateFile: path})
	if err != nil {
		t.Fatalf("the state file does not load after kill -9: %v", err)
	}
	defer sb.Close()
	have := map[string]bool{}
	for _, o := range sb.Orders("") {
		have[o.OrderID] = true
	}
	for _, id := range created {
		if !have[id] {
			t.Errorf("order %s was answered as created but is not in the state file", id)
		}
	}
	t.Logf("%d orders created before kill -9, %d in the state file", len(created), len(have))
}

// untilKilled runs create in 4 workers (w, the worker; i, its attempt) for 400 ms, kills the server
// with SIGKILL, and returns the ids create reported as answered.
func untilKilled(t *testing.T, cmd *exec.Cmd, create func(w, i int) (string, bool)) []string {
	t.Helper()
	var mu sync.Mutex
	var created []string
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if id, ok := create(w, i); ok {
					mu.Lock()
					created = append(created, id)
					mu.Unlock()
				}
			}
		}()
	}
	time.Sleep(400 * time.Millisecond)
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	close(stop)
	wg.Wait()
	return created
}

// serve refuses a state file it cannot read: exit status 1, the file named on stderr, the file as it was.
func TestServeRefusesBadStateFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "state.json")
	garbage := []byte(`{"format": "cobo-sandbox-state", "version": 1, "orders": [`)
	if err := os.WriteFile(path, garbage, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := subprocess(t, "-addr", "127.0.0.1:0", "-state", path)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) || exitErr.ExitCode() != 1 || !strings.Contains(stderr.String(), path) || stdout.Len() > 0 {
		t.Errorf("serve with a truncated state file: %v, stdout %q, stderr %q; want exit 1 naming %s", err, stdout.String(), stderr.String(), path)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, garbage) {
		t.Errorf("the refused state file changed to %q", got)
	}
}

// orders confirm completes a Confirming transaction of "orders pay -confirmed=false".
func TestOrdersConfirm(t *testing.T) {
	t.Parallel()
	srv := sandboxtest.New(t, sandbox.Options{})
	o := decodeOrder(t, cli(t, srv, createArgs("confirm-1")...))
	confirming := decodeOrder(t, cli(t, srv, "orders", "pay", o.OrderID, "-confirmed=false"))
	if len(confirming.Transactions) != 1 || confirming.Transactions[0].Status != "Confirming" || confirming.ReceivedTokenAmount != "0" {
		t.Fatalf("after an unconfirmed payment: received %s, %+v; want one Confirming transaction and nothing received", confirming.ReceivedTokenAmount, confirming.Transactions)
	}
	confirmed := decodeOrder(t, cli(t, srv, "orders", "confirm", o.OrderID, confirming.Transactions[0].TxID))
	if confirmed.Status != cobo.StatusCompleted || confirmed.Transactions[0].Status != "Completed" || confirmed.ReceivedTokenAmount != confirming.PayableAmount {
		t.Errorf("after orders confirm: %s received %s, transactions %+v; want Completed with %s received", confirmed.Status, confirmed.ReceivedTokenAmount, confirmed.Transactions, confirming.PayableAmount)
	}
	if _, err := cliErr(srv, "orders", "confirm", o.OrderID, confirming.Transactions[0].TxID); err == nil || !strings.Contains(err.Error(), "HTTP 409") {
		t.Errorf("confirming it again: %v, want the sandbox's refusal", err)
	}
	if _, err := cliErr(srv, "orders", "confirm", o.OrderID); !errors.As(err, new(usageError)) || !strings.Contains(err.Error(), "want ORDER_ID TX_ID") {
		t.Errorf("orders confirm without TX_ID: %v, want a usage error", err)
	}
}

// A psp_order_code already taken: Cobo's 2040 and the order holding it, unless -adopt, which prints
// that order when its inputs match (what the provider does).
func TestOrdersCreateTakenPspOrderCode(t *testing.T) {
	t.Parallel()
	srv := sandboxtest.New(t, sandbox.Options{})
	first := decodeOrder(t, cli(t, srv, createArgs("taken-1")...))
	out, err := cliErr(srv, createArgs("taken-1")...)
	if err == nil || len(out) > 0 || !strings.Contains(err.Error(), "error_code 2040") || !strings.Contains(err.Error(), first.OrderID) || !strings.Contains(err.Error(), "-adopt") {
		t.Errorf("creating taken-1 again: %v, stdout %q; want an error naming 2040, order %s and -adopt", err, out, first.OrderID)
	}
	if adopted := decodeOrder(t, cli(t, srv, createArgs("taken-1", "-adopt")...)); adopted.OrderID != first.OrderID {
		t.Errorf("-adopt printed order %s, want %s", adopted.OrderID, first.OrderID)
	}
	if _, err := cliErr(srv, createArgs("taken-1", "-fee-amount", "3.00", "-adopt")...); err == nil || !strings.Contains(err.Error(), "error_code 2040") || !strings.Contains(err.Error(), first.OrderID) {
		t.Errorf("-adopt with other inputs: %v, want an error naming 2040 and order %s", err, first.OrderID)
	}
	signer, err := cobo.NewSigner(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	if n := srv.Sandbox.OrderCountByPspOrderCode(signer.APIKey(), "taken-1"); n != 1 {
		t.Errorf("%d orders hold taken-1, want 1", n)
	}
}

// -pricing-amount without -pricing-currency is what Cobo accepts: amounts in the payable token.
func TestOrdersCreatePricingAmountWithoutCurrency(t *testing.T) {
	t.Parallel()
	srv := sandboxtest.New(t, sandbox.Options{})
	o := decodeOrder(t, cli(t, srv, "orders", "create", "-merchant-id", "M1", "-psp-order-code", "nocur-1", "-payable-currency", "ETH_USDT", "-pricing-amount", "10", "-fee-amount", "0"))
	if o.PricingCurrency != nil && *o.PricingCurrency != "" || o.PricingAmount == nil || *o.PricingAmount != "10" {
		t.Errorf("order created with -pricing-amount alone: pricing %v %v", o.PricingCurrency, o.PricingAmount)
	}
	var stdout bytes.Buffer
	if err := run([]string{"help"}, &stdout, io.Discard); err != nil || !strings.Contains(stdout.String(), "-pricing-amount A [-pricing-currency USD]") ||
		!strings.Contains(stdout.String(), "without -pricing-currency, -pricing-amount and -fee-amount are in the payable token") {
		t.Errorf("help does not say -pricing-currency is optional: %v\n%s", err, stdout.String())
	}
}

// closedPort is a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return addr
}

// A port in use: exit status 1 and what to do about it.
func TestServePortInUse(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = ln.Close() }()
	cmd := subprocess(t, "-addr", ln.Addr().String())
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) || exitErr.ExitCode() != 1 || !strings.Contains(stderr.String(), "already listens on "+ln.Addr().String()) ||
		!strings.Contains(stderr.String(), "-addr 127.0.0.1:0 picks a free one") {
		t.Errorf("serve on a port in use: %v, stderr %q; want exit 1 and the hint", err, stderr.String())
	}
}

// The -host help names its default once, as $COBO_HOST, whatever COBO_HOST holds.
func TestHostFlagHelp(t *testing.T) {
	t.Setenv("COBO_HOST", "http://127.0.0.1:18080/v2")
	var stderr bytes.Buffer
	if err := run([]string{"orders", "get", "-h"}, io.Discard, &stderr); !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("orders get -h: %v", err)
	}
	help := stderr.String()
	if !strings.Contains(help, "(default $COBO_HOST)") || strings.Contains(help, "127.0.0.1:18080") {
		t.Errorf("-host help shows its default other than once as $COBO_HOST:\n%s", help)
	}
}

// signedCall sends one signed API request to root (the sandbox's URL without /v2).
func signedCall(signer *cobo.Signer, root, method, path, query, body string) (int, []byte, error) {
	target := root + path
	if query != "" {
		target += "?" + query
	}
	req, err := http.NewRequest(method, target, strings.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	signer.SetHeaders(req.Header, method, path, strconv.FormatInt(time.Now().UnixMilli(), 10), query, []byte(body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	data, err := io.ReadAll(resp.Body)
	return resp.StatusCode, data, err
}

// kill -9 while clients create refunds: every refund answered as created is in the state file, and
// the merchant balance there is what the payment brought less exactly the refunds the file holds.
func TestLedgerSurvivesKill(t *testing.T) {
	t.Parallel()
	path := t.TempDir() + "/state.json"
	cmd, exports := startServer(t, "-state", path)
	root := strings.TrimSuffix(exports["COBO_HOST"], "/v2")
	signer, err := cobo.NewSigner(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	st, body, err := signedCall(signer, root, "POST", "/v2/payments/orders", "", `{"merchant_id": "M1001", "psp_order_code": "kill-ledger", "fee_amount": "0", "payable_currency": "ETH_USDT", "payable_amount": "1000.00"}`)
	if err != nil || st != 201 {
		t.Fatalf("create: %d %s %v", st, body, err)
	}
	var o cobo.Order
	_ = json.Unmarshal(body, &o)
	resp, err := http.Post(root+"/_sandbox/orders/"+o.OrderID+"/payments", "application/json", strings.NewReader(`{"amount": "1000.00"}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("pay: %v %v", resp, err)
	}
	_ = resp.Body.Close()

	created := untilKilled(t, cmd, func(w, i int) (string, bool) {
		refund := fmt.Sprintf(`{"request_id": "kill-%d-%d", "merchant_id": "M1001", "payable_amount": "0.01", "token_id": "ETH_USDT", "refund_type": "Merchant"}`, w, i)
		st, body, err := signedCall(signer, root, "POST", "/v2/payments/refunds", "", refund)
		var r struct {
			RefundID string `json:"refund_id"`
		}
		ok := err == nil && st == 201 && json.Unmarshal(body, &r) == nil
		return r.RefundID, ok
	})
	if len(created) == 0 {
		t.Fatal("no refund was created before the kill")
	}

	srv := sandboxtest.New(t, sandbox.Options{StateFile: path})
	have := map[string]bool{}
	for after := ""; ; {
		st, body, err := signedCall(signer, srv.URL, "GET", "/v2/payments/refunds", "limit=50&after="+after, "")
		if err != nil || st != 200 {
			t.Fatalf("list refunds after the kill: %d %s %v", st, body, err)
		}
		var page struct {
			Data []struct {
				RefundID string `json:"refund_id"`
			} `json:"data"`
			Pagination cobo.Pagination `json:"pagination"`
		}
		_ = json.Unmarshal(body, &page)
		for _, r := range page.Data {
			have[r.RefundID] = true
		}
		if after = page.Pagination.After; after == "" {
			break
		}
	}
	for _, id := range created {
		if !have[id] {
			t.Errorf("refund %s was answered as created but is not in the state file", id)
		}
	}
	want := new(big.Rat).Sub(big.NewRat(1000, 1), new(big.Rat).Mul(big.NewRat(1, 100), big.NewRat(int64(len(have)), 1)))
	if b := srv.Sandbox.BalanceOf(signer.APIKey(), "M1001", "ETH_USDT"); !cobo.SameDecimal(b.Total, want.FloatString(2)) {
		t.Errorf("merchant balance after the kill %s, want 1000 less %d refunds of 0.01 = %s", b.Total, len(have), want.FloatString(2))
	}
	t.Logf("%d refunds created before kill -9, %d in the state file", len(created), len(have))
}
