package main

import (
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
)

// Targets of issue 7, and the plan-time targets of issue 15 (which replaced 1.5x of terraform_data).
const (
	targetGETsPerOrder    = 1.0  // requests per order per refresh, at most
	targetExtraConns      = 4    // connections per plan <= concurrency + this
	targetVsEcho          = 1.25 // (a), (b) within this factor of the terraform-plugin-go no-work provider (issue 15)
	targetVsFramework     = 1.1  // (a), (b) within this factor of the framework no-work provider (issue 15)
	targetRSSMiB          = 64
	targetSignMicros      = 100
	targetSandboxGETsPerS = 5000
	targetN               = 500
)

// Targets of issue 18: webhook delivery (webhook.go).
const (
	targetWebhookP99Ms    = 50   // status change -> receiver's handler, p99 over 1,000 orders paid in a burst
	targetDeliveriesPerS  = 2000 // deliveries per second to a fast local receiver, on one core
	targetHangingAPIRatio = 1.2  // API p99 with one hanging endpoint / with none, in the same run
)

type report struct {
	opts             options
	started          time.Time
	elapsed          time.Duration
	machine          string
	terraformVersion string
	goRuns           []goBenchRun
	sizes            []*sizeResult
	payin            *sizeResult // the pay-in scenario (issue 23); nil when not run
	profiles         []string
	loadStart        string
}

// loadAverage is the 1-minute load average (other work on the machine), from /proc/loadavg.
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	if f := strings.Fields(string(data)); len(f) > 0 {
		return f[0]
	}
	return "?"
}

func (sc *scenario) walls() []float64 {
	out := make([]float64, len(sc.samples))
	for i, s := range sc.samples {
		out[i] = s.wall.Seconds()
	}
	return out
}

func (sc *scenario) field(f func(sample) float64) []float64 {
	out := make([]float64, len(sc.samples))
	for i, s := range sc.samples {
		out[i] = f(s)
	}
	return out
}

func (sc *scenario) medianWall() float64 { return median(sc.walls()) }

func (sc *scenario) peakRSS() int64 {
	var m int64
	for _, s := range sc.samples {
		m = max(m, s.rssKiB)
	}
	return m
}

func (sc *scenario) maxConns() int64 {
	var m int64
	for _, s := range sc.samples {
		m = max(m, s.conns)
	}
	return m
}

// onceEach is true when every timed run read each order with exactly one GET and nothing else.
func (sc *scenario) onceEach() (bool, string) {
	for _, s := range sc.samples {
		if !s.onceEach {
			return false, s.detail
		}
	}
	return len(sc.samples) > 0, ""
}

// cpuTotal is the median CPU time of everything that worked during a run: terraform, the reattached
// provider, and this process (the sandbox; for (d), the client as well).
func (sc *scenario) cpuTotal() float64 {
	return median(sc.field(func(s sample) float64 { return (s.cpuTF + s.cpuProv + s.cpuSelf).Seconds() }))
}

// cpuRatio is like ratio, on CPU time rather than wall time: less sensitive to other load on the
// machine. With dev_overrides the provider is terraform's child, so its CPU time is in terraform's
// (wait4 counts the children a process has reaped).
func (sr *sizeResult) cpuRatio(key string) float64 {
	sc, ok := sr.scen[key]
	c, okC := sr.scen[scTFData]
	d, okD := sr.scen[scNetwork]
	if !ok || !okC || !okD || len(sc.samples) == 0 || key == scTFData || key == scNetwork {
		return math.NaN()
	}
	return sc.cpuTotal() / math.Max(c.cpuTotal(), d.cpuTotal())
}

// floor is max(median c, median d) for one N.
func (sr *sizeResult) floor() float64 {
	c, okC := sr.scen[scTFData]
	d, okD := sr.scen[scNetwork]
	if !okC || !okD || len(c.samples) == 0 || len(d.samples) == 0 {
		return math.NaN()
	}
	return math.Max(c.medianWall(), d.medianWall())
}

func (sr *sizeResult) ratio(key string) float64 {
	sc, ok := sr.scen[key]
	if !ok || len(sc.samples) == 0 {
		return math.NaN()
	}
	return sc.medianWall() / sr.floor()
}

func (sr *sizeResult) complete() bool {
	for _, sc := range sr.scen {
		if len(sc.samples) == 0 {
			return false
		}
	}
	return len(sr.scen) > 0
}

// rangeInt shows a median, with the range when the runs differ.
func rangeInt(xs []float64) string {
	lo, hi := minMax(xs)
	if lo == hi {
		return fmt.Sprintf("%.0f", lo)
	}
	return fmt.Sprintf("%.0f (%.0f..%.0f)", median(xs), lo, hi)
}

func rangeRatio(xs []float64) string {
	lo, hi := minMax(xs)
	if lo == hi {
		return fmt.Sprintf("%.2f", lo)
	}
	return fmt.Sprintf("%.2f (%.2f..%.2f)", median(xs), lo, hi)
}

func (r *report) print(w io.Writer) {
	fmt.Fprintf(w, "\n===== make bench (issues 7, 15, 18 and 23) — %s =====\n", r.started.Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(w, "machine: %s; load average at start %s, at end %s\n", r.machine, r.loadStart, loadAverage())
	if r.terraformVersion != "" {
		fmt.Fprintf(w, "terraform: %s\n", r.terraformVersion)
	}
	fmt.Fprintln(w, "Timings on a shared machine are noisy: compare the ratios measured within this run, not absolute times.")
	if len(r.opts.providerEnv) > 0 || r.opts.latency > 0 || !r.opts.readAhead {
		fmt.Fprintf(w, "EXPERIMENT, not the default measurement: provider environment %q, sandbox latency %s, read_ahead %t\n", r.opts.providerEnv, r.opts.latency, r.opts.readAhead)
	}
	r.printGo(w)
	r.printE2E(w)
	r.printTargets(w)
	if len(r.profiles) > 0 {
		fmt.Fprintln(w, "\nProfiles (one extra plan each, profiling build; read with go tool pprof -top FILE):")
		for _, p := range r.profiles {
			fmt.Fprintf(w, "   %s\n", strings.ReplaceAll(p, "\n", "\n     "))
		}
	}
	fmt.Fprintf(w, "\ntotal time: %s\n", r.elapsed.Round(time.Second))
}

func (r *report) printGo(w io.Writer) {
	fmt.Fprintf(w, "\n1. Go benchmarks (median of -count %d, -benchtime %s)\n", r.opts.benchCount, r.opts.benchtime)
	if !r.opts.goBench {
		fmt.Fprintln(w, "   skipped (-go=false)")
		return
	}
	pw, nw := len("package"), len("benchmark")
	for _, run := range r.goRuns {
		for _, b := range run.Results {
			pw, nw = max(pw, len(b.Pkg)), max(nw, len(b.Name))
		}
	}
	fmt.Fprintf(w, "   %-*s  %-*s  %10s  %9s  %-17s  %7s  %9s  %s\n", pw, "package", nw, "benchmark", "GOMAXPROCS", "µs/op", "(min..max)", "B/op", "allocs/op", "other")
	for _, run := range r.goRuns {
		for _, b := range run.Results {
			spread := fmt.Sprintf("(%.2f..%.2f)", b.NsMin/1e3, b.NsMax/1e3)
			fmt.Fprintf(w, "   %-*s  %-*s  %10d  %9.2f  %-17s  %7.0f  %9.0f  %s\n", pw, b.Pkg, nw, b.Name, b.Procs, b.Metrics["ns/op"]/1e3, spread, b.Metrics["B/op"], b.Metrics["allocs/op"], extraMetrics(b))
		}
	}
	for _, run := range r.goRuns {
		fmt.Fprintf(w, "   $ %s\n", run.Command)
		if run.Err != nil {
			fmt.Fprintf(w, "     FAILED: %s\n", strings.ReplaceAll(run.Err.Error(), "\n", "\n     "))
		}
	}
	if s, name, ok := r.signMicros(); ok {
		fmt.Fprintf(w, "   signing + request building: %.1f µs/op (%s)\n", s, name)
	}
	if g, ok := r.sandboxGETs(); ok {
		fmt.Fprintf(w, "   sandbox signed GETs on one core: %s/s (BenchmarkSignedGet, -cpu 1)\n", commas(int64(g+0.5)))
	}
}

// signMicros is signing + request building per request: BenchmarkSignAndBuildRequest, or
// BenchmarkSign (signing only) when the former does not exist.
func (r *report) signMicros() (float64, string, bool) {
	if b, ok := findBench(r.goRuns, "internal/cobo", 0, "BenchmarkSignAndBuildRequest"); ok {
		return b.Metrics["ns/op"] / 1e3, "BenchmarkSignAndBuildRequest: build the request, nonce, 3 headers, Ed25519 signature", true
	}
	if b, ok := findBench(r.goRuns, "internal/cobo", 0, "BenchmarkSign"); ok {
		return b.Metrics["ns/op"] / 1e3, "BenchmarkSign: signing only; BenchmarkSignAndBuildRequest is missing", true
	}
	return 0, "", false
}

func (r *report) sandboxGETs() (float64, bool) {
	b, ok := findBench(r.goRuns, "internal/sandbox", 1, "BenchmarkSignedGet")
	if !ok {
		return 0, false
	}
	if v, ok := b.Metrics["req/s"]; ok {
		return v, true
	}
	if ns := b.Metrics["ns/op"]; ns > 0 {
		return 1e9 / ns, true
	}
	return 0, false
}

func (r *report) printE2E(w io.Writer) {
	fmt.Fprintf(w, "\n2. End to end (Terraform parallelism 10; median of %d runs after a warm-up, interleaved; ratio = time / max(c, d))\n", r.opts.runs)
	fmt.Fprintln(w, "   CPU ratio: the same on CPU seconds (terraform + provider + sandbox), less sensitive to other load on the machine.")
	if !r.opts.e2e {
		fmt.Fprintln(w, "   skipped (-e2e=false)")
		return
	}
	fmt.Fprintln(w, "   (a), (b), (p): a fresh `terraform-provider-cobo -debug` process per plan, reattached; peak RSS = its VmHWM (max over the runs).")
	if len(r.sizes) > 0 {
		r.printOrderScenarios(w)
	}
	for _, sr := range r.sizes {
		r.printSize(w, sr)
	}
	if sr := r.payin; sr != nil {
		fmt.Fprintln(w, "\n   (p): plan with refresh over merchants and refunds imported into state (issue 23); (fp): the same plan against fwnoop. req/order is per object.")
		r.printSize(w, sr)
		if sc, ok := sr.scen[scPayin]; ok && len(sc.samples) > 0 {
			fmt.Fprintf(w, "   (p) requests per plan: %s; last run: %s\n", rangeInt(sc.field(func(s sample) float64 { return float64(s.requests) })), sc.samples[len(sc.samples)-1].detail)
		}
	}
}

// printOrderScenarios explains the rows of the order scenarios.
func (r *report) printOrderScenarios(w io.Writer) {
	fmt.Fprintln(w, "   (a'), (b'): the same plans with Terraform launching the provider itself (dev_overrides), as users run it.")
	if r.opts.noWork {
		fmt.Fprintln(w, "   (ea), (eb), (fa), (fb): the plans of (a), (b) (same configuration, same state) against two no-work providers with our exact schema, reattached like (a), (b):")
		fmt.Fprintln(w, "     (ea), (eb) internal/bench/echoprovider on terraform-plugin-go: no framework, no API calls; Terraform's own cost for this schema and the RPCs.")
		fmt.Fprintln(w, "     (fa), (fb) internal/bench/fwnoop: the provider's own terraform-plugin-framework server and schema with CRUD that does nothing; adds the framework's cost.")
	}
}

// printSize is the table of one N, with its one-off commands and notes.
func (r *report) printSize(w io.Writer, sr *sizeResult) {
	if sr.title != "" {
		fmt.Fprintf(w, "\n   %s\n", sr.title)
	} else {
		fmt.Fprintf(w, "\n   N = %d\n", sr.n)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "   \tscenario\ttime (min..max)\tratio\treq/order\tconns/plan\tprovider peak RSS\tCPU s terraform/provider/sandbox\tCPU ratio")
	for _, key := range scenarioOrder {
		sc, ok := sr.scen[key]
		if !ok || len(sc.samples) == 0 {
			continue
		}
		lo, hi := minMax(sc.walls())
		t := fmt.Sprintf("%.2fs (%.2f..%.2f)", sc.medianWall(), lo, hi)
		ratio, reqs, conns, rss, cpuRatio := "floor", "-", "-", "-", "floor"
		switch key {
		case scNetwork:
			reqs = rangeRatio(sc.field(func(s sample) float64 { return float64(s.requests) / float64(sr.n) }))
			conns = rangeInt(sc.field(func(s sample) float64 { return float64(s.conns) }))
		case scData, scResource, scDataDev, scResDev, scDataEcho, scResEcho, scDataFW, scResFW, scPayin, scPayinFW:
			ratio = "-" // the pay-in scenario has no floor measured
			if v := sr.ratio(key); !math.IsNaN(v) {
				ratio = fmt.Sprintf("%.2fx", v)
			}
			cpuRatio = "-"
			if v := sr.cpuRatio(key); !math.IsNaN(v) {
				cpuRatio = fmt.Sprintf("%.2fx", v)
			}
			// The no-work providers make no API requests: nothing to count per order.
			if !isNoWork(key) {
				reqs = rangeRatio(sc.field(func(s sample) float64 { return float64(s.requests) / float64(sr.n) }))
				conns = rangeInt(sc.field(func(s sample) float64 { return float64(s.conns) }))
			}
			if k := sc.peakRSS(); k > 0 {
				rss = mib(float64(k))
			}
		}
		fmt.Fprintf(tw, "   \t(%s) %s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", key, sc.label, t, ratio, reqs, conns, rss, cpuColumn(key, sc), cpuRatio)
	}
	_ = tw.Flush()
	var setup []string
	for k, v := range sr.setup {
		setup = append(setup, fmt.Sprintf("%s %s", k, seconds(v)))
	}
	sort.Strings(setup)
	if len(setup) > 0 {
		fmt.Fprintf(w, "   one-off: %s\n", strings.Join(setup, ", "))
	}
	for _, key := range []string{scData, scResource, scDataDev, scResDev} {
		if sc, ok := sr.scen[key]; ok {
			if once, detail := sc.onceEach(); !once && detail != "" {
				fmt.Fprintf(w, "   (%s) reads not as a refresh should make them: %s\n", key, detail)
			}
		}
	}
	for _, note := range sr.notes {
		fmt.Fprintf(w, "   note: %s\n", note)
	}
	if !sr.complete() {
		fmt.Fprintln(w, "   (incomplete: the run stopped early)")
	}
}

type targetLine struct {
	target, measured, result string
}

func verdict(ok bool) string {
	if ok {
		return "PASS"
	}
	return "MISS"
}

// sizeFor returns the result for N=500, or the largest complete N with a note.
func (r *report) sizeFor(n int) (*sizeResult, string) {
	var best *sizeResult
	for _, sr := range r.sizes {
		if !sr.complete() {
			continue
		}
		if sr.n == n {
			return sr, ""
		}
		if best == nil || sr.n > best.n {
			best = sr
		}
	}
	if best == nil {
		return nil, ""
	}
	return best, fmt.Sprintf(" [N=%d not measured; N=%d instead]", n, best.n)
}

func (r *report) targets() []targetLine {
	var complete []*sizeResult
	for _, sr := range r.sizes {
		if sr.complete() {
			complete = append(complete, sr)
		}
	}
	return append([]targetLine{
		readTarget(complete),
		r.connTarget(complete),
		r.noWorkTarget("the terraform-plugin-go no-work provider (ea), (eb)", scDataEcho, scResEcho, targetVsEcho),
		r.noWorkTarget("the framework no-work provider (fa), (fb)", scDataFW, scResFW, targetVsFramework),
		r.rssTarget(),
		r.signTarget(),
		r.sandboxTarget(),
	}, append(r.payinTargets(), r.webhookTargets()...)...)
}

// payinTargets are issue 23's: a plan refreshing the pay-in scenario's merchants and refunds sends at
// most one request per targetObjectsPerRequest objects (in every timed run), and takes within
// targetVsFramework of the same plan against fwnoop (median wall time).
func (r *report) payinTargets() []targetLine {
	sr := r.payin
	reqTarget := fmt.Sprintf("a plan refreshing %s sends at most 1 request per %d objects", r.payinWhat(), targetObjectsPerRequest)
	fwTarget := fmt.Sprintf("(p) within %.2fx of the framework no-work provider (fp)", targetVsFramework)
	if sr == nil || !sr.has(scPayin) {
		return []targetLine{notMeasured(reqTarget), notMeasured(fwTarget)}
	}
	sc := sr.scen[scPayin]
	reqs := sc.field(func(s sample) float64 { return float64(s.requests) })
	_, most := minMax(reqs)
	limit := sr.n / targetObjectsPerRequest
	lines := []targetLine{{reqTarget, fmt.Sprintf("%s requests for %d objects (limit %d), %.3f per object at most", rangeInt(reqs), sr.n, limit, most/float64(sr.n)), verdict(most <= float64(limit))}}
	if !sr.has(scPayinFW) {
		return append(lines, notMeasured(fwTarget))
	}
	v := sr.vs(scPayin, scPayinFW)
	return append(lines, targetLine{fwTarget, fmt.Sprintf("%.2fx (wall; CPU %.2fx)", v, sr.cpuVs(scPayin, scPayinFW)), verdict(v <= targetVsFramework)})
}

// payinWhat names the pay-in scenario's objects as the options set them.
func (r *report) payinWhat() string {
	return fmt.Sprintf("%d merchants and %d refunds", r.opts.merchants, r.opts.refunds)
}

func notMeasured(target string) targetLine { return targetLine{target, "not measured", "N/A"} }

// readTarget: one read per order per refresh (the resource refresh (b), and the data source read
// (a)): each order by its own GET or in a read-ahead list page, never more than one request per order.
func readTarget(complete []*sizeResult) targetLine {
	const target = "at most 1 request per order per refresh, each order read once"
	if len(complete) == 0 {
		return notMeasured(target)
	}
	ok := true
	var parts []string
	for _, sr := range complete {
		for _, key := range []string{scResource, scData} {
			sc := sr.scen[key]
			once, _ := sc.onceEach()
			rpo := median(sc.field(func(s sample) float64 { return float64(s.requests) / float64(sr.n) }))
			ok = ok && once && rpo <= targetGETsPerOrder
			mark := "each order once"
			if !once {
				mark = "NOT each order once"
			}
			gets := median(sc.field(func(s sample) float64 { return float64(s.gets) }))
			pages := median(sc.field(func(s sample) float64 { return float64(s.pages) }))
			parts = append(parts, fmt.Sprintf("N=%d (%s) %.2f req/order (%.0f GETs, %.0f pages), %s", sr.n, key, rpo, gets, pages, mark))
		}
	}
	return targetLine{target, strings.Join(parts, "; "), verdict(ok)}
}

func (r *report) connTarget(complete []*sizeResult) targetLine {
	limit := int64(r.opts.concurrency + targetExtraConns)
	target := fmt.Sprintf("connections per plan <= %d (%d + %d)", limit, r.opts.concurrency, targetExtraConns)
	if len(complete) == 0 {
		return notMeasured(target)
	}
	ok := true
	var parts []string
	for _, sr := range complete {
		a, b := sr.scen[scData].maxConns(), sr.scen[scResource].maxConns()
		ok = ok && a <= limit && b <= limit
		parts = append(parts, fmt.Sprintf("N=%d max (a) %d, (b) %d", sr.n, a, b))
	}
	return targetLine{target, strings.Join(parts, "; "), verdict(ok)}
}

// noWorkTarget: (a) and (b) within limit of the same plans against a no-work provider (keys a, b),
// on the median wall time at N=500 (or the largest complete N); the CPU ratios and the other sizes
// are reported alongside.
func (r *report) noWorkTarget(what, keyA, keyB string, limit float64) targetLine {
	target := fmt.Sprintf("(a), (b) at N=%d within %.2fx of %s", targetN, limit, what)
	sr, note := r.sizeFor(targetN)
	if sr == nil || !sr.has(keyA) || !sr.has(keyB) {
		return notMeasured(target)
	}
	a, b := sr.vs(scData, keyA), sr.vs(scResource, keyB)
	m := fmt.Sprintf("(a) %.2fx of (%s), (b) %.2fx of (%s) (wall; CPU %.2fx, %.2fx)", a, keyA, b, keyB, sr.cpuVs(scData, keyA), sr.cpuVs(scResource, keyB))
	for _, other := range r.sizes {
		if other != sr && other.complete() && other.has(keyA) && other.has(keyB) {
			m += fmt.Sprintf("; N=%d: %.2fx, %.2fx (CPU %.2fx, %.2fx)", other.n, other.vs(scData, keyA), other.vs(scResource, keyB), other.cpuVs(scData, keyA), other.cpuVs(scResource, keyB))
		}
	}
	return targetLine{target, m + note, verdict(a <= limit && b <= limit)}
}

func (r *report) rssTarget() targetLine {
	target := fmt.Sprintf("provider peak RSS < %d MiB for %d orders", targetRSSMiB, targetN)
	sr, note := r.sizeFor(targetN)
	if sr == nil {
		return notMeasured(target)
	}
	a, b := sr.scen[scData].peakRSS(), sr.scen[scResource].peakRSS()
	ok := a > 0 && b > 0 && float64(max(a, b)) < targetRSSMiB*1024
	return targetLine{target, fmt.Sprintf("(a) %s, (b) %s%s", mib(float64(a)), mib(float64(b)), note), verdict(ok)}
}

func (r *report) signTarget() targetLine {
	target := fmt.Sprintf("signing + request building < %d µs", targetSignMicros)
	s, name, ok := r.signMicros()
	if !ok {
		return notMeasured(target)
	}
	return targetLine{target, fmt.Sprintf("%.1f µs/op (%s)", s, strings.SplitN(name, ":", 2)[0]), verdict(s < targetSignMicros)}
}

func (r *report) sandboxTarget() targetLine {
	target := fmt.Sprintf("sandbox >= %s signed GETs/s on one core", commas(targetSandboxGETsPerS))
	g, ok := r.sandboxGETs()
	if !ok {
		return notMeasured(target)
	}
	return targetLine{target, fmt.Sprintf("%s/s (BenchmarkSignedGet, -cpu 1)", commas(int64(g+0.5))), verdict(g >= targetSandboxGETsPerS)}
}

func (r *report) printTargets(w io.Writer) {
	fmt.Fprintln(w, "\n3. Targets of issues 7, 15, 18 and 23 (report lines, not assertions)")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "   \tresult\ttarget\tmeasured")
	for _, l := range r.targets() {
		fmt.Fprintf(tw, "   \t%s\t%s\t%s\n", l.result, l.target, l.measured)
	}
	if l, ok := r.floors(); ok {
		fmt.Fprintf(tw, "   \t%s\t%s\t%s\n", l.result, l.target, l.measured)
	}
	_ = tw.Flush()
}

// floors is an informational line, not a target: where the no-work providers stand against
// Terraform's floor (c), and what the framework adds over terraform-plugin-go, at N=500 or the
// largest complete N.
func (r *report) floors() (targetLine, bool) {
	sr, _ := r.sizeFor(targetN) // the line names its N
	if sr == nil || !sr.has(scDataEcho) || !sr.has(scResEcho) || !sr.has(scDataFW) || !sr.has(scResFW) {
		return targetLine{}, false
	}
	m := fmt.Sprintf("the framework over terraform-plugin-go: (fa) %.2fx of (ea), (fb) %.2fx of (eb) (wall; CPU %.2fx, %.2fx); against the larger floor: (ea) %.2fx, (eb) %.2fx, (fa) %.2fx, (fb) %.2fx",
		sr.vs(scDataFW, scDataEcho), sr.vs(scResFW, scResEcho), sr.cpuVs(scDataFW, scDataEcho), sr.cpuVs(scResFW, scResEcho),
		sr.ratio(scDataEcho), sr.ratio(scResEcho), sr.ratio(scDataFW), sr.ratio(scResFW))
	return targetLine{target: fmt.Sprintf("the no-work providers at N=%d", sr.n), measured: m, result: "INFO"}, true
}

// has reports whether scenario key was measured.
func (sr *sizeResult) has(key string) bool {
	sc, ok := sr.scen[key]
	return ok && len(sc.samples) > 0
}

// vs is the median wall time of scenario key over that of base.
func (sr *sizeResult) vs(key, base string) float64 {
	return sr.scen[key].medianWall() / sr.scen[base].medianWall()
}

// cpuVs is the median total CPU time of scenario key over that of base.
func (sr *sizeResult) cpuVs(key, base string) float64 {
	return sr.scen[key].cpuTotal() / sr.scen[base].cpuTotal()
}

func isNoWork(key string) bool {
	return key == scDataEcho || key == scResEcho || key == scDataFW || key == scResFW || key == scPayinFW
}

// cpuColumn is the median CPU time of terraform, the reattached provider and the sandbox (this
// process) during the command; "-" where it is not measured.
func cpuColumn(key string, sc *scenario) string {
	med := func(f func(sample) time.Duration) string {
		v := median(sc.field(func(s sample) float64 { return f(s).Seconds() }))
		return fmt.Sprintf("%.2f", v)
	}
	tf := med(func(s sample) time.Duration { return s.cpuTF })
	prov := med(func(s sample) time.Duration { return s.cpuProv })
	self := med(func(s sample) time.Duration { return s.cpuSelf })
	switch key {
	case scNetwork:
		return "-/-/" + self + " (client+sandbox)"
	case scTFData:
		return tf + "/-/" + self
	case scDataDev, scResDev:
		return tf + " (with provider)/-/" + self
	}
	return tf + "/" + prov + "/" + self
}
