package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/devtf"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

// Scenario keys.
const (
	scTFData   = "c"  // plan over N terraform_data in state: Terraform's own floor
	scNetwork  = "d"  // N signed GETs from a Go program at concurrency 10: the network floor
	scData     = "a"  // plan over N data "cobo_payment_order"
	scResource = "b"  // plan (with refresh) over N cobo_payment_order in state
	scDataDev  = "a'" // (a) with Terraform launching the provider itself (dev_overrides)
	scResDev   = "b'" // (b) likewise
	scDataEcho = "ea" // (a) against internal/bench/echoprovider: the same schema, no work, no framework
	scResEcho  = "eb" // (b) likewise, over the state of (b)
	scDataFW   = "fa" // (a) against internal/bench/fwnoop: the provider's framework server, no work
	scResFW    = "fb" // (b) likewise, over the state of (b)
)

// scenarioOrder is the order of the report's rows.
var scenarioOrder = []string{scTFData, scNetwork, scData, scResource, scDataEcho, scResEcho, scDataFW, scResFW, scDataDev, scResDev, scPayin, scPayinFW}

// sample is one measured run.
type sample struct {
	wall     time.Duration
	requests int64         // sandbox API requests during the run
	conns    int64         // TCP connections the sandbox accepted during the run
	rssKiB   int64         // provider peak RSS (VmHWM); 0 when not measured
	cpuTF    time.Duration // terraform's CPU time
	cpuProv  time.Duration // the reattached provider's CPU time; 0 when not measured
	cpuSelf  time.Duration // this process's CPU time: the sandbox (and, for (d), the client)
	exit     int           // terraform's exit code (plan -detailed-exitcode: 0 no changes, 2 changes)
	onceEach bool          // every order was read, none by two GETs, pages within read-ahead's budget, nothing else
	gets     int64         // GETs of single orders during the run
	pages    int64         // list pages (read-ahead) during the run
	detail   string
}

// e2e is the end-to-end harness: one sandbox, one API secret, one provider build.
type e2e struct {
	opts        options
	tmp         string
	terraform   string
	providerBin string
	pprofBin    string   // the profiling build, with -profile only
	echoBin     string   // internal/bench/echoprovider, with -no-work only
	fwnoopBin   string   // internal/bench/fwnoop, with -no-work only
	profileEnv  []string // for the profiling build: where to write, which server
	srv         *sandbox.Server
	secret      string
	baseEnv     []string // the user's environment without TF_* and COBO_* variables
	rcPlain     string   // CLI configuration without overrides (reattach runs, terraform_data)
	rcDev       string   // CLI configuration with dev_overrides to the fresh build
	orderIDs    []string // seeded orders, by seeding index (seeded concurrently)
	listOrder   []string // the organization's orders in the order the list endpoint walks them
	seedRun     string   // makes this run's psp_order_codes unique
	log         func(format string, args ...any)
}

func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "TF_") || strings.HasPrefix(kv, "COBO_") || strings.HasPrefix(kv, "PLUGIN_") || strings.HasPrefix(kv, "CHECKPOINT_") {
			continue
		}
		env = append(env, kv)
	}
	return env
}

func (e *e2e) setup(ctx context.Context, cl *cleanups) error {
	e.terraform = e.opts.terraform
	if e.terraform == "" {
		var err error
		if e.terraform, err = exec.LookPath("terraform"); err != nil {
			return errors.New("terraform is not on PATH (Terraform >= 1.5 is needed; or pass -terraform)")
		}
	}
	tmp, err := os.MkdirTemp("", "cobo-bench-")
	if err != nil {
		return err
	}
	e.tmp = tmp
	cl.add(func() {
		_ = os.RemoveAll(tmp)
		e.log("removed %s", tmp)
	})
	e.baseEnv = cleanEnv()
	if err := e.buildBinaries(ctx); err != nil {
		return err
	}
	if err := e.startSandbox(cl); err != nil {
		return err
	}
	e.rcPlain = filepath.Join(tmp, "terraformrc")
	if err := os.WriteFile(e.rcPlain, []byte("# cobo bench: no provider installation overrides; the provider is reattached\n"), 0o644); err != nil {
		return err
	}
	e.rcDev = filepath.Join(tmp, "terraformrc-dev")
	if err := os.WriteFile(e.rcDev, []byte(devtf.CLIConfig(filepath.Dir(e.providerBin))), 0o644); err != nil {
		return err
	}
	if e.opts.profileDir != "" {
		if err := os.MkdirAll(e.opts.profileDir, 0o755); err != nil {
			return err
		}
	}
	return os.MkdirAll(filepath.Join(tmp, "sock"), 0o755)
}

// buildBinaries builds the provider and, as the options ask, the no-work providers and the profiling
// build, each in a directory of its own: dev_overrides looks for terraform-provider-cobo* in the real
// provider's directory, and must only ever find the real one.
func (e *e2e) buildBinaries(ctx context.Context) error {
	builds := []struct {
		what, dir, name, pkg string
		bin                  *string
		wanted               bool
	}{
		{"the provider", "bin", "terraform-provider-cobo", ".", &e.providerBin, true},
		{"the echo provider", "bin-echo", "echoprovider", "./internal/bench/echoprovider", &e.echoBin, e.opts.noWork},
		{"the framework no-work provider", "bin-fwnoop", "fwnoopprovider", "./internal/bench/fwnoop/fwnoopprovider", &e.fwnoopBin, e.opts.noWork},
		{"the profiling provider", "bin-pprof", "terraform-provider-cobo", "./internal/bench/pprofprovider", &e.pprofBin, e.opts.profileDir != ""},
	}
	for _, b := range builds {
		if !b.wanted {
			continue
		}
		*b.bin = filepath.Join(e.tmp, b.dir, b.name)
		e.log("building %s (go build -o %s %s)", b.what, *b.bin, b.pkg)
		build := exec.CommandContext(ctx, "go", "build", "-o", *b.bin, b.pkg)
		build.Env = e.baseEnv
		if out, err := build.CombinedOutput(); err != nil {
			return fmt.Errorf("building %s: %v\n%s", b.what, err, lastLines(string(out), 20))
		}
	}
	return nil
}

// startSandbox starts the sandbox on 127.0.0.1:0 with a fresh random API secret; only its key is
// accepted.
func (e *e2e) startSandbox(cl *cleanups) error {
	seed := make([]byte, 32)
	if _, err := rand.Read(seed); err != nil {
		return err
	}
	e.secret = hex.EncodeToString(seed)
	signer, err := cobo.NewSigner(e.secret)
	if err != nil {
		return err
	}
	srv, err := sandbox.Start("127.0.0.1:0", sandbox.Options{AllowedAPIKeys: []string{signer.APIKey()}})
	if err != nil {
		return fmt.Errorf("starting the sandbox: %w", err)
	}
	e.srv = srv
	cl.add(func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
		e.log("stopped the sandbox")
	})
	e.log("sandbox at %s (a fresh random API secret; only its key is accepted)", srv.BaseURL())
	if e.opts.latency > 0 {
		// Seeding is not slowed: the fault is added after it (see seed).
		e.log("experiment: the sandbox will delay every API request by %s", e.opts.latency)
	}
	return nil
}

// profile runs (a) and (b) once more at size n with the profiling build, and (fa) and (fb) with the
// same build serving internal/bench/fwnoop; the files go to -profile.
func (e *e2e) profile(ctx context.Context, n int) ([]string, error) {
	root := filepath.Join(e.tmp, fmt.Sprintf("n%d", n))
	runs := []struct {
		key, dir string
		noWork   bool
	}{{scData, "data", false}, {scResource, "resource", false}, {scDataFW, "data", true}, {scResFW, "resource", true}}
	var files []string
	for _, p := range runs {
		if p.noWork && !e.opts.noWork {
			continue
		}
		prefix, err := filepath.Abs(filepath.Join(e.opts.profileDir, fmt.Sprintf("%s-N%d", p.key, n)))
		if err != nil {
			return nil, err
		}
		e.profileEnv = []string{"COBO_BENCH_PROFILE_PREFIX=" + prefix}
		if p.noWork {
			e.profileEnv = append(e.profileEnv, "COBO_BENCH_PROFILE_NO_WORK=1")
		}
		e.log("profiling (%s) at N=%d: %s.*", p.key, n, prefix)
		check := n
		if p.noWork {
			check = 0 // no API requests to check
		}
		s, _, err := e.terraformCmd(ctx, filepath.Join(root, p.dir), profiled, check, []int{2}, planArgs...)
		if err != nil {
			return nil, err
		}
		memstats, _ := os.ReadFile(prefix + ".memstats.txt")
		files = append(files, fmt.Sprintf("(%s) N=%d: plan %s, provider CPU %s, peak RSS %s; %s.{cpu.pprof,heap.pprof,heap-exit.pprof,memstats.txt}\n%s",
			p.key, n, seconds(s.wall), seconds(s.cpuProv), mib(float64(s.rssKiB)), prefix, strings.TrimSpace(string(memstats))))
	}
	return files, nil
}

// providerEnv is what the provider process needs (it reads COBO_HOST and COBO_API_SECRET itself).
func (e *e2e) providerEnv() []string {
	env := append(append([]string(nil), e.baseEnv...),
		"COBO_HOST="+e.srv.BaseURL(),
		"COBO_API_SECRET="+e.secret,
		"CHECKPOINT_DISABLE=1",
		"PLUGIN_UNIX_SOCKET_DIR="+filepath.Join(e.tmp, "sock"), // the reattach socket lives in our temp dir
	)
	return append(env, e.opts.providerEnv...)
}

func (e *e2e) terraformEnv(rc string, extra ...string) []string {
	env := append(append([]string(nil), e.baseEnv...),
		"TF_CLI_CONFIG_FILE="+rc,
		"CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1",
	)
	return append(env, extra...)
}

// newClient is a client with a transport of its own, so its connections can be closed afterwards.
func (e *e2e) newClient() (*cobo.Client, *http.Transport, error) {
	t := cobo.NewTransport()
	c, err := cobo.New(cobo.Config{BaseURL: e.srv.BaseURL(), APISecret: e.secret, UserAgent: "cobo-bench", Transport: t})
	return c, t, err
}

// seed creates n orders through the cobo client, 10 at a time.
func (e *e2e) seed(ctx context.Context, n int) error {
	c, t, err := e.newClient()
	if err != nil {
		return err
	}
	defer t.CloseIdleConnections()
	run := newRunID()
	ids := make([]string, n)
	err = forEach(ctx, n, 10, func(ctx context.Context, i int) error {
		expiry := int64(cobo.ExpiredInMax)
		o, err := c.CreatePaymentOrder(ctx, cobo.CreateOrderRequest{
			MerchantID:      "M1001",
			PspOrderCode:    pspCode(run, i),
			PayableCurrency: "ETH_USDT",
			PricingCurrency: "USD",
			PricingAmount:   "100.00",
			FeeAmount:       "2.00",
			ExpiredIn:       &expiry,
		})
		if err != nil {
			return fmt.Errorf("seeding order %d: %w", i, err)
		}
		ids[i] = o.OrderID
		return nil
	})
	if err != nil {
		return err
	}
	e.orderIDs = ids
	e.seedRun = run
	// What read-ahead's pages contain, to check that every order a plan needs was read.
	for after := ""; ; {
		page, err := c.ListPaymentOrders(ctx, cobo.ListOrdersParams{Limit: cobo.MaxPageSize, After: after})
		if err != nil {
			return fmt.Errorf("listing the seeded orders: %w", err)
		}
		for _, o := range page.Data {
			e.listOrder = append(e.listOrder, o.OrderID)
		}
		if after = page.Pagination.After; after == "" || len(page.Data) == 0 {
			break
		}
	}
	return nil
}

// newRunID makes this run's names unique (psp_order_codes, merchant names, request_ids).
func newRunID() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func pspCode(run string, i int) string { return fmt.Sprintf("bench-%s-%04d", run, i) }

// forEach runs f(0..n-1) on `workers` goroutines and returns the first error.
func forEach(ctx context.Context, n, workers int, f func(context.Context, int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	next := make(chan int)
	var (
		wg       sync.WaitGroup
		once     sync.Once
		firstErr error
	)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := f(ctx, i); err != nil {
					once.Do(func() { firstErr = err; cancel() })
				}
			}
		}()
	}
	for i := 0; i < n; i++ {
		select {
		case next <- i:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
	}
	close(next)
	wg.Wait()
	if firstErr == nil && ctx.Err() != nil {
		return ctx.Err()
	}
	return firstErr
}

// checkOnceEach reports whether the recorded requests read each of the first n orders once, as a
// refresh should: by its own GET or in a list page (the provider's read-ahead), no order by two GETs,
// no more list pages than read-ahead's budget (cobo.ReadAheadBudget), and nothing else. The sandbox lists orders
// oldest first, so a page's orders are the 50 that follow its "after" cursor in e.listOrder.
func (e *e2e) checkOnceEach(n int) (ok bool, detail string, gets, pages int64) {
	reads := sandbox.ClassifyReads(e.srv.Sandbox.Requests())
	other := map[string]int{}
	for _, r := range reads.Other {
		other[fmt.Sprintf("%s %s (status %d)", r.Method, r.Path, r.Status)]++
	}
	listed := e.listedOrders(reads.Pages, other)
	var dup, missing int
	wanted := make(map[string]bool, n)
	for _, id := range e.orderIDs[:n] {
		wanted[id] = true
		switch {
		case reads.Gets[id] > 1:
			dup++
		case reads.Gets[id] == 0 && !listed[id]:
			missing++
		}
	}
	for id, c := range reads.Gets {
		if !wanted[id] {
			other[fmt.Sprintf("GET of an order the plan does not read (%d)", c)]++
		}
	}
	gets, pages = int64(reads.GetCount()), int64(len(reads.Pages))
	budget := int64(cobo.ReadAheadBudget(n, n-int(gets))) // each order is read once: the others were hits
	if dup == 0 && missing == 0 && len(other) == 0 && pages <= budget {
		return true, "", gets, pages
	}
	var parts []string
	if missing > 0 {
		parts = append(parts, fmt.Sprintf("%d orders neither read nor listed", missing))
	}
	if dup > 0 {
		parts = append(parts, fmt.Sprintf("%d orders read with more than one GET", dup))
	}
	if pages > budget {
		parts = append(parts, fmt.Sprintf("%d list pages, over read-ahead's budget of %d", pages, budget))
	}
	for k, v := range other {
		parts = append(parts, fmt.Sprintf("%d x %s", v, k))
	}
	return false, strings.Join(parts, "; "), gets, pages
}

// listedOrders are the orders the recorded list pages returned, worked out from each page's cursor and
// the sandbox's list order; a page it cannot place is counted in other.
func (e *e2e) listedOrders(pages []sandbox.RecordedRequest, other map[string]int) map[string]bool {
	position := make(map[string]int, len(e.listOrder))
	for i, id := range e.listOrder {
		position[id] = i
	}
	listed := map[string]bool{}
	for _, r := range pages {
		q, err := url.ParseQuery(r.Query)
		start, known := 0, err == nil && q.Get("limit") == strconv.Itoa(cobo.MaxPageSize) && len(q) <= 2
		if after := q.Get("after"); known && after != "" {
			p, found := position[after]
			start, known = p+1, found
		}
		if !known {
			other[fmt.Sprintf("GET %s?%s (status %d)", r.Path, r.Query, r.Status)]++
			continue
		}
		for _, id := range e.listOrder[start:min(start+cobo.MaxPageSize, len(e.listOrder))] {
			listed[id] = true
		}
	}
	return listed
}

// tfResult is one terraform command's outcome.
type tfResult struct {
	out  string
	exit int
	wall time.Duration
	cpu  time.Duration // terraform's own user + system CPU time
}

// runTerraform runs terraform in dir; exit codes in okExits are not errors.
func (e *e2e) runTerraform(ctx context.Context, dir string, env []string, okExits []int, args ...string) (tfResult, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, e.terraform, args...)
	cmd.Dir, cmd.Env = dir, env
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) } // let Terraform stop cleanly
	cmd.WaitDelay = 20 * time.Second
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	res := tfResult{out: out.String(), wall: time.Since(start)}
	if cmd.ProcessState != nil {
		res.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) {
		res.exit = exitErr.ExitCode()
		for _, ok := range okExits {
			if res.exit == ok {
				return res, nil
			}
		}
	}
	if err != nil {
		if ctx.Err() != nil {
			return res, fmt.Errorf("terraform %s in %s: %w", args[0], dir, ctx.Err())
		}
		return res, fmt.Errorf("terraform %s in %s: %v\n%s", args[0], dir, err, lastLines(res.out, 25))
	}
	return res, nil
}

// providerMode says how Terraform gets the provider for a command.
type providerMode int

const (
	noProvider  providerMode = iota // terraform_data only
	reattached                      // a fresh `-debug` process per command, reattached
	profiled                        // like reattached, with the profiling build (internal/bench/pprofprovider)
	echoed                          // like reattached, with the echo provider (internal/bench/echoprovider)
	fwNoWork                        // like reattached, with the framework no-work provider (internal/bench/fwnoop)
	devOverride                     // Terraform launches the build itself (dev_overrides)
)

// terraformCmd runs one terraform command with the provider available as mode says, and measures it:
// wall time, sandbox requests and connections, and (reattached) the provider's peak RSS.
func (e *e2e) terraformCmd(ctx context.Context, dir string, mode providerMode, n int, okExits []int, args ...string) (sample, tfResult, error) {
	var (
		env  []string
		prov *providerProc
		err  error
	)
	switch mode {
	case noProvider:
		env = e.terraformEnv(e.rcPlain)
	case reattached, profiled, echoed, fwNoWork:
		bin, penv := e.providerBin, e.providerEnv()
		switch mode {
		case profiled:
			bin, penv = e.pprofBin, append(penv, e.profileEnv...)
		case echoed:
			bin = e.echoBin // same environment: it ignores COBO_*, and any -provider-env applies alike
		case fwNoWork:
			bin = e.fwnoopBin // likewise
		}
		// Started before the clock runs: Terraform would otherwise spend this launching it.
		if prov, err = startProvider(ctx, bin, penv, e.tmp); err != nil {
			return sample{}, tfResult{}, err
		}
		defer prov.stop()
		env = e.terraformEnv(e.rcPlain, "TF_REATTACH_PROVIDERS="+prov.reattach)
	case devOverride:
		// Terraform passes its environment on to the provider it launches.
		env = e.terraformEnv(e.rcDev, append([]string{"COBO_HOST=" + e.srv.BaseURL(), "COBO_API_SECRET=" + e.secret,
			"PLUGIN_UNIX_SOCKET_DIR=" + filepath.Join(e.tmp, "sock")}, e.opts.providerEnv...)...)
	}
	e.srv.Sandbox.ResetRequests()
	before, selfBefore := e.srv.Sandbox.Stats(), selfCPU()
	res, err := e.runTerraform(ctx, dir, env, okExits, args...)
	after, selfAfter := e.srv.Sandbox.Stats(), selfCPU()
	s := sample{wall: res.wall, exit: res.exit, requests: after.Requests - before.Requests, conns: after.ConnectionsOpened - before.ConnectionsOpened,
		cpuTF: res.cpu, cpuSelf: selfAfter - selfBefore}
	if err != nil {
		return s, res, err
	}
	if prov != nil {
		if s.rssKiB, err = prov.peakRSS(); err != nil {
			return s, res, fmt.Errorf("reading the provider's peak RSS: %w", err)
		}
		if s.cpuProv, err = processCPU(prov.pid); err != nil {
			return s, res, fmt.Errorf("reading the provider's CPU time: %w", err)
		}
	}
	if n > 0 {
		s.onceEach, s.detail, s.gets, s.pages = e.checkOnceEach(n)
	}
	return s, res, nil
}

// networkFloor reads the first n orders with a fresh client (new connections, like a fresh provider)
// at the given concurrency.
func (e *e2e) networkFloor(ctx context.Context, n, concurrency int) (sample, error) {
	c, t, err := e.newClient()
	if err != nil {
		return sample{}, err
	}
	defer t.CloseIdleConnections()
	ids := e.orderIDs[:n]
	e.srv.Sandbox.ResetRequests()
	before, selfBefore := e.srv.Sandbox.Stats(), selfCPU()
	start := time.Now()
	err = forEach(ctx, n, concurrency, func(ctx context.Context, i int) error {
		_, err := c.GetPaymentOrder(ctx, ids[i])
		return err
	})
	wall := time.Since(start)
	after, selfAfter := e.srv.Sandbox.Stats(), selfCPU()
	if err != nil {
		return sample{}, fmt.Errorf("network floor: %w", err)
	}
	s := sample{wall: wall, requests: after.Requests - before.Requests, conns: after.ConnectionsOpened - before.ConnectionsOpened, cpuSelf: selfAfter - selfBefore}
	s.onceEach, s.detail, s.gets, s.pages = e.checkOnceEach(n)
	return s, nil
}
