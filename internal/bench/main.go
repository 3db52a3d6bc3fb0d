// Command bench is `make bench` (issues 7, 15, 18 and 23): it measures the provider against the targets of
// the issues and prints one table.
//
//  1. Go benchmarks of internal/cobo (default GOMAXPROCS) and internal/sandbox (-cpu 1): signing and
//     request building per request, the sandbox's signed GETs per second on one core, and its webhook
//     delivery (issue 18): deliveries per second, the API with a hanging endpoint, and the latency from
//     a status change to the receiver, which runs once more with the default GOMAXPROCS.
//  2. End to end, for each N (default 100 and 500): the sandbox runs in this process on 127.0.0.1:0
//     with a fresh random API secret; N orders are seeded through the cobo client; the provider is
//     built once. Each terraform command that needs the provider gets a fresh provider process started
//     with -debug, and Terraform reattaches to it (TF_REATTACH_PROVIDERS), so the process whose peak
//     RSS (VmHWM) is read is exactly the one that served the whole command. Measured, interleaved, a
//     warm-up round and then -runs rounds (median reported): (c) plan over N terraform_data in state,
//     (d) N signed GETs at concurrency 10 from this program, (a) plan over N data sources, (b) plan
//     with refresh over N cobo_payment_order in state (imported), and, for comparison, (a') and (b')
//     with Terraform launching the provider itself through dev_overrides, and the same plans as (a)
//     and (b) against two no-work providers with the provider's exact schema: (ea), (eb) against
//     internal/bench/echoprovider (terraform-plugin-go, no framework) and (fa), (fb) against
//     internal/bench/fwnoop (the provider's framework server with CRUD that does nothing), to separate
//     Terraform's cost and the framework's from the provider's.
//     Then the pay-in scenario of issue 23 (-e2e-scenarios payin, on by default): -merchants merchants
//     and -refunds refunds (of one paid order) seeded through the client and imported, then (p) a plan
//     with refresh over them, whose API requests are counted, and (fp) the same plan against fwnoop.
//  3. The targets of the issues with PASS or MISS: report lines, not assertions.
//
// Progress goes to stderr, the report to stdout. Everything started is stopped and the temporary
// directory removed, also on failure or Ctrl-C. Terraform runs with a CLI configuration of its own
// (never ~/.terraformrc) and CHECKPOINT_DISABLE=1; nothing is downloaded.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

type options struct {
	ns           []int
	runs         int
	benchtime    string
	benchCount   int
	goBench      bool
	goPattern    string // only the Go benchmarks matching it (go test -bench)
	e2e          bool
	devOverrides bool
	noWork       bool
	concurrency  int
	terraform    string
	profileDir   string
	providerEnv  []string        // experiments: extra KEY=VALUE for the provider process
	latency      time.Duration   // experiments: delay the sandbox adds to every API request
	readAhead    bool            // the provider's read_ahead argument (false is an experiment)
	groups       map[string]bool // the end-to-end scenario groups to run (-e2e-scenarios)
	merchants    int             // the pay-in scenario's merchants
	refunds      int             // and refunds
}

func main() {
	var (
		o     options
		nFlag string
	)
	defaultN := os.Getenv("BENCH_N")
	if defaultN == "" {
		defaultN = "100 500"
	}
	flag.StringVar(&nFlag, "n", defaultN, "order counts for the end-to-end part, space or comma separated (env BENCH_N)")
	flag.IntVar(&o.runs, "runs", 3, "timed runs per measurement after one warm-up; the median is reported")
	flag.StringVar(&o.benchtime, "benchtime", "500ms", "go test -benchtime for the Go benchmarks")
	flag.IntVar(&o.benchCount, "count", 3, "go test -count for the Go benchmarks (the median is reported)")
	flag.BoolVar(&o.goBench, "go", true, "run the Go benchmarks (part 1)")
	flag.StringVar(&o.goPattern, "go-bench", ".", "run only the Go benchmarks matching this regular expression (go test -bench), e.g. Webhook; with -e2e=false, a quick report of those targets")
	flag.BoolVar(&o.e2e, "e2e", true, "run the end-to-end measurements (part 2)")
	flag.BoolVar(&o.devOverrides, "dev-overrides", true, "also time (a) and (b) with Terraform launching the provider (dev_overrides)")
	flag.BoolVar(&o.noWork, "no-work", true, "also time (a) and (b) against the two no-work providers with the provider's schema: internal/bench/echoprovider (terraform-plugin-go) and internal/bench/fwnoop (terraform-plugin-framework)")
	flag.IntVar(&o.concurrency, "concurrency", 10, "concurrency of the network floor (d); Terraform's default parallelism is 10")
	flag.StringVar(&o.terraform, "terraform", "", "the terraform binary (default: terraform on PATH)")
	flag.StringVar(&o.profileDir, "profile", "", "after the measurements, profile (a) and (b) at the largest N with a profiling build of the provider and keep the profiles in this directory")
	flag.Func("provider-env", "experiment: add KEY=VALUE to the provider's environment (repeatable), e.g. TF_LOG_SDK_FRAMEWORK=OFF or GOGC=50", func(v string) error {
		if k, _, ok := strings.Cut(v, "="); !ok || k == "" {
			return fmt.Errorf("want KEY=VALUE, got %q", v)
		}
		o.providerEnv = append(o.providerEnv, v)
		return nil
	})
	flag.BoolVar(&o.readAhead, "read-ahead", true, "the provider's read_ahead argument; false (an experiment) reads every order with its own GET")
	groups := flag.String("e2e-scenarios", strings.Join(e2eGroups, ","), "the end-to-end scenario groups to run, comma separated: "+groupOrders+" ((a), (b) and their comparisons, for each -n) and "+groupPayin+" ((p), (fp): a plan refreshing -merchants merchants and -refunds refunds)")
	flag.IntVar(&o.merchants, "merchants", 200, "merchants in the pay-in scenario (p)")
	flag.IntVar(&o.refunds, "refunds", 500, "refunds in the pay-in scenario (p)")
	flag.DurationVar(&o.latency, "latency", 0, "experiment: the sandbox delays every API request by this much, like a remote API (e.g. 50ms); 0: none")
	flag.Parse()
	ns, err := parseNs(nFlag)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	o.ns = ns
	if o.groups, err = parseGroups(*groups); err != nil {
		fmt.Fprintln(os.Stderr, "bench: -e2e-scenarios:", err)
		os.Exit(2)
	}
	if o.merchants < 1 || o.refunds < 1 || o.merchants > 5000 || o.refunds > 5000 {
		fmt.Fprintln(os.Stderr, "bench: -merchants and -refunds must be between 1 and 5000")
		os.Exit(2)
	}
	if o.runs < 1 || o.benchCount < 1 || o.concurrency < 1 {
		fmt.Fprintln(os.Stderr, "bench: -runs, -count and -concurrency must be at least 1")
		os.Exit(2)
	}
	if _, err := regexp.Compile(o.goPattern); err != nil {
		fmt.Fprintf(os.Stderr, "bench: -go-bench: %v\n", err)
		os.Exit(2)
	}
	if _, err := os.Stat("go.mod"); err != nil {
		fmt.Fprintln(os.Stderr, "bench: run it from the repository root (make bench)")
		os.Exit(2)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, o, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, o options, stdout, stderr io.Writer) int {
	start := time.Now()
	logf := func(format string, args ...any) {
		fmt.Fprintf(stderr, "[bench %5.1fs] %s\n", time.Since(start).Seconds(), fmt.Sprintf(format, args...))
	}
	var cl cleanups
	defer cl.run()

	rep := &report{opts: o, started: start, loadStart: loadAverage()}
	rep.machine = machineInfo()
	var failures []error

	if o.goBench {
		failures = append(failures, runGoBenchmarks(ctx, o, rep, logf)...)
	}
	if o.e2e && ctx.Err() == nil {
		e := &e2e{opts: o, log: logf}
		if err := e.run(ctx, &cl, rep); err != nil {
			failures = append(failures, err)
		}
	}

	rep.elapsed = time.Since(start)
	rep.print(stdout)
	interrupted := ctx.Err() != nil
	for _, err := range failures {
		if !interrupted || !errors.Is(err, context.Canceled) {
			fmt.Fprintf(stderr, "\nbench: %v\n", err)
		}
	}
	switch {
	case interrupted:
		fmt.Fprintln(stderr, "bench: interrupted; stopped everything it started")
		return 130
	case len(failures) > 0:
		return 1
	}
	return 0
}

// goBenchSpec is one `go test -bench` run of part 1.
type goBenchSpec struct{ pkg, cpu, pattern string }

// goBenchSpecs are the runs of part 1: every benchmark of internal/cobo with the default GOMAXPROCS
// and of internal/sandbox on one core, then the webhook latency again with the default GOMAXPROCS
// (its target names no core count). A -go-bench pattern narrows the first two and keeps the third
// only if it matches that benchmark's name.
func goBenchSpecs(pattern string) []goBenchSpec {
	specs := []goBenchSpec{{"internal/cobo", "", pattern}, {"internal/sandbox", "1", pattern}}
	if regexp.MustCompile(pattern).MatchString(webhookLatencyBench) {
		specs = append(specs, goBenchSpec{"internal/sandbox", "", "^" + webhookLatencyBench + "$"})
	}
	return specs
}

// runGoBenchmarks runs part 1 into rep and returns the failures (reported, not fatal).
func runGoBenchmarks(ctx context.Context, o options, rep *report, logf func(string, ...any)) []error {
	var failures []error
	env := cleanEnv()
	for _, spec := range goBenchSpecs(o.goPattern) {
		logf("go benchmarks: %s", shellQuote(goBenchCommand(spec.pkg, spec.cpu, spec.pattern, o.benchtime, o.benchCount)))
		r := runGoBench(ctx, env, spec.pkg, spec.cpu, spec.pattern, o.benchtime, o.benchCount)
		rep.goRuns = append(rep.goRuns, r)
		if r.Err != nil {
			failures = append(failures, r.Err)
			logf("go benchmarks of %s failed (reported, continuing)", spec.pkg)
		}
		if ctx.Err() != nil {
			break
		}
	}
	return failures
}

// run is part 2: set up, seed (the largest N of orders, the pay-in objects), measure every N and the
// pay-in scenario, then profile if asked.
func (e *e2e) run(ctx context.Context, cl *cleanups, rep *report) error {
	if err := e.setup(ctx, cl); err != nil {
		return err
	}
	if out, err := exec.CommandContext(ctx, e.terraform, "version").Output(); err == nil {
		rep.terraformVersion = strings.SplitN(strings.TrimSpace(string(out)), "\n", 2)[0]
	}
	maxN := 0
	for _, n := range e.opts.ns {
		maxN = max(maxN, n)
	}
	payin, err := e.seedAll(ctx, maxN)
	if err != nil {
		return err
	}
	if e.opts.groups[groupOrders] {
		for _, n := range e.opts.ns {
			sr := &sizeResult{n: n}
			rep.sizes = append(rep.sizes, sr)
			if err := e.runSize(ctx, sr); err != nil {
				return fmt.Errorf("with %d orders: %w", n, err)
			}
		}
	}
	if payin != nil {
		rep.payin = &sizeResult{n: e.opts.merchants + e.opts.refunds, title: fmt.Sprintf("pay-in: %d merchants + %d refunds", e.opts.merchants, e.opts.refunds)}
		if err := e.runPayin(ctx, rep.payin, payin); err != nil {
			return fmt.Errorf("pay-in scenario: %w", err)
		}
	}
	if e.opts.profileDir == "" || !e.opts.groups[groupOrders] {
		return nil
	}
	files, err := e.profile(ctx, maxN)
	rep.profiles = files
	if err != nil {
		return fmt.Errorf("profiling: %w", err)
	}
	return nil
}

// seedAll seeds what the chosen scenario groups need: maxN orders, the pay-in merchants and refunds
// (nil when that group is not run). Then, as an experiment asks, the sandbox starts delaying requests:
// after seeding, which it would only slow down.
func (e *e2e) seedAll(ctx context.Context, maxN int) (*payinSeed, error) {
	if e.opts.groups[groupOrders] {
		e.log("seeding %d orders through the cobo client", maxN)
		if err := e.seed(ctx, maxN); err != nil {
			return nil, err
		}
	}
	var payin *payinSeed
	if e.opts.groups[groupPayin] {
		e.log("seeding %d merchants and %d refunds through the cobo client", e.opts.merchants, e.opts.refunds)
		var err error
		if payin, err = e.seedPayin(ctx, e.opts.merchants, e.opts.refunds); err != nil {
			return nil, err
		}
	}
	if e.opts.latency > 0 {
		e.srv.Sandbox.AddFault(sandbox.Fault{Delay: e.opts.latency, Times: -1})
	}
	return payin, nil
}

// parseGroups parses -e2e-scenarios.
func parseGroups(s string) (map[string]bool, error) {
	groups := map[string]bool{}
	for _, g := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		if !slices.Contains(e2eGroups, g) {
			return nil, fmt.Errorf("unknown scenario group %q; the groups are %s", g, strings.Join(e2eGroups, ", "))
		}
		groups[g] = true
	}
	if len(groups) == 0 {
		return nil, fmt.Errorf("no scenario group given; the groups are %s", strings.Join(e2eGroups, ", "))
	}
	return groups, nil
}

// sizeResult is everything measured for one N.
type sizeResult struct {
	n     int    // orders, or objects of the pay-in scenario
	title string // "" for an N of orders
	scen  map[string]*scenario
	notes []string
	setup map[string]time.Duration // one-off commands: the applies
}

type scenario struct {
	key, label string
	warmup     sample
	samples    []sample
}

var planArgs = []string{"plan", "-input=false", "-no-color", "-detailed-exitcode"}

// runSize measures everything for one N.
func (e *e2e) runSize(ctx context.Context, sr *sizeResult) error {
	dirs, err := e.prepareSize(ctx, sr)
	if err != nil {
		return err
	}
	return e.measure(ctx, sr, e.steps(ctx, sr.n, dirs))
}

// measure runs a warm-up round and -runs timed rounds of steps into sr. Rounds interleave the
// scenarios (c, d, a, b, ea, eb, fa, fb, a', b'; or p, fp), so that a noisy neighbour slows all of
// them rather than one.
func (e *e2e) measure(ctx context.Context, sr *sizeResult, steps []step) error {
	sr.scen = map[string]*scenario{}
	for _, st := range steps {
		sr.scen[st.key] = &scenario{key: st.key, label: st.label}
	}
	for round := 0; round <= e.opts.runs; round++ {
		what := "warm-up"
		if round > 0 {
			what = fmt.Sprintf("run %d/%d", round, e.opts.runs)
		}
		var line []string
		for _, st := range steps {
			s, err := st.run()
			if err != nil {
				return fmt.Errorf("(%s) %s: %w", st.key, st.label, err)
			}
			sc := sr.scen[st.key]
			if round == 0 {
				sc.warmup = s
			} else {
				sc.samples = append(sc.samples, s)
			}
			line = append(line, fmt.Sprintf("%s %s", st.key, seconds(s.wall)))
		}
		e.log("%s %s: %s", sr.name(), what, strings.Join(line, ", "))
	}
	sr.checkSamples()
	return nil
}

// name is what the log and the report call this size.
func (sr *sizeResult) name() string {
	if sr.title != "" {
		return sr.title
	}
	return fmt.Sprintf("N=%d", sr.n)
}

// sizeDirs are the Terraform working directories of one N, by scenario key: (c), (a), (b).
type sizeDirs map[string]string

// prepareSize writes the configurations of one N and applies the two that need a state: N
// terraform_data, and N cobo_payment_order imported through import blocks (then removed, so the
// timed plans see only resources in state).
func (e *e2e) prepareSize(ctx context.Context, sr *sizeResult) (sizeDirs, error) {
	n, ids := sr.n, e.orderIDs[:sr.n]
	root := filepath.Join(e.tmp, fmt.Sprintf("n%d", n))
	dirs := sizeDirs{scTFData: filepath.Join(root, "terraform_data"), scData: filepath.Join(root, "data"), scResource: filepath.Join(root, "resource")}
	sr.setup = map[string]time.Duration{}
	if err := writeConfig(dirs[scTFData], terraformDataConfig(ids)); err != nil {
		return nil, err
	}
	e.log("N=%d: terraform apply of %d terraform_data (floor c)", n, n)
	_, res, err := e.terraformCmd(ctx, dirs[scTFData], noProvider, 0, nil, "apply", "-auto-approve", "-input=false", "-no-color")
	if err != nil {
		return nil, err
	}
	sr.setup["apply terraform_data"] = res.wall

	if err := e.applyImports(ctx, sr, dirs[scResource], "cobo_payment_order", resourceConfig(ids, e.seedRun, true), withReadAhead(resourceConfig(ids, e.seedRun, false), e.opts.readAhead)); err != nil {
		return nil, err
	}
	return dirs, writeConfig(dirs[scData], withReadAhead(dataConfig(ids), e.opts.readAhead))
}

// applyImports gets objects into the state of dir: one terraform apply of withImports (resource
// blocks and an import block for each), then the configuration without them (plain) for the timed
// plans. The apply's time goes to sr.setup; an apply that did not import sr.n objects is noted.
func (e *e2e) applyImports(ctx context.Context, sr *sizeResult, dir, what, withImports, plain string) error {
	if err := writeConfig(dir, withImports); err != nil {
		return err
	}
	e.log("%s: terraform apply importing %d %s (import blocks)", sr.name(), sr.n, what)
	_, res, err := e.terraformCmd(ctx, dir, reattached, 0, nil, "apply", "-auto-approve", "-input=false", "-no-color")
	if err != nil {
		return err
	}
	sr.setup["apply importing "+what] = res.wall
	if want := fmt.Sprintf("%d imported, 0 added, 0 changed, 0 destroyed", sr.n); !strings.Contains(res.out, want) {
		sr.notes = append(sr.notes, fmt.Sprintf("the import apply did not report %q:\n%s", want, lastLines(res.out, 5)))
	}
	return writeConfig(dir, plain)
}

// planFunc is a timed terraform plan in dir with the provider as mode says; check > 0 checks that the
// first check orders were each read once (checkOnceEach).
func (e *e2e) planFunc(ctx context.Context, dir string, mode providerMode, check int) func() (sample, error) {
	return func() (sample, error) {
		s, _, err := e.terraformCmd(ctx, dir, mode, check, []int{2}, planArgs...)
		return s, err
	}
}

// step is one timed measurement of a round.
type step struct {
	key, label string
	run        func() (sample, error)
}

// steps are the measurements of one N, in the order of each round. The no-work providers plan in the
// directories of (a) and (b): (eb) and (fb) plan over the very state (b) imported.
func (e *e2e) steps(ctx context.Context, n int, dirs sizeDirs) []step {
	plan := func(dir string, mode providerMode, check int) func() (sample, error) {
		return e.planFunc(ctx, dir, mode, check)
	}
	steps := []step{
		{scTFData, fmt.Sprintf("plan, %d terraform_data in state (Terraform floor)", n), plan(dirs[scTFData], noProvider, 0)},
		{scNetwork, fmt.Sprintf("%d signed GETs, Go client, concurrency %d (network floor)", n, e.opts.concurrency), func() (sample, error) { return e.networkFloor(ctx, n, e.opts.concurrency) }},
		{scData, fmt.Sprintf("plan, %d data \"cobo_payment_order\"", n), plan(dirs[scData], reattached, n)},
		{scResource, fmt.Sprintf("plan (refresh), %d cobo_payment_order in state", n), plan(dirs[scResource], reattached, n)},
	}
	if e.opts.noWork {
		steps = append(steps,
			step{scDataEcho, "(a) against the echo provider (terraform-plugin-go, no work)", plan(dirs[scData], echoed, 0)},
			step{scResEcho, "(b) against the echo provider (terraform-plugin-go, no work)", plan(dirs[scResource], echoed, 0)},
			step{scDataFW, "(a) against fwnoop (terraform-plugin-framework, no work)", plan(dirs[scData], fwNoWork, 0)},
			step{scResFW, "(b) against fwnoop (terraform-plugin-framework, no work)", plan(dirs[scResource], fwNoWork, 0)},
		)
	}
	if e.opts.devOverrides {
		steps = append(steps,
			step{scDataDev, "(a) with Terraform launching the provider (dev_overrides)", plan(dirs[scData], devOverride, n)},
			step{scResDev, "(b) with Terraform launching the provider (dev_overrides)", plan(dirs[scResource], devOverride, n)},
		)
	}
	return steps
}

// checkSamples notes timed plans that showed changes, and API requests during a plan against a
// no-work provider, which never calls the API (requests would mean a mix-up of binaries).
func (sr *sizeResult) checkSamples() {
	for _, key := range scenarioOrder {
		sc, ok := sr.scen[key]
		if !ok {
			continue
		}
		for _, s := range sc.samples {
			if s.exit == 2 {
				sr.notes = append(sr.notes, fmt.Sprintf("(%s) the plan shows changes (exit code 2): expected none", key))
				break
			}
		}
		for _, s := range sc.samples {
			if isNoWork(key) && s.requests != 0 {
				sr.notes = append(sr.notes, fmt.Sprintf("(%s) %d API requests during a plan with a no-work provider: expected none", key, s.requests))
				break
			}
		}
	}
}

func machineInfo() string {
	model := "unknown CPU"
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				model = strings.TrimSpace(v)
				break
			}
		}
		_ = f.Close()
	}
	return fmt.Sprintf("%s/%s, %d CPUs (%s), %s", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), model, runtime.Version())
}
