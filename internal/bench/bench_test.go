package main

import (
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

func TestParseGoBench(t *testing.T) {
	t.Parallel()
	out := `goos: linux
goarch: amd64
pkg: github.com/cobo-terraform/terraform-provider-cobo/internal/cobo
BenchmarkSign-2                    	   19924	     30861 ns/op	     448 B/op	       5 allocs/op
BenchmarkSign-2                    	   20000	     28000 ns/op	     448 B/op	       5 allocs/op
BenchmarkSign-2                    	   20100	     29000 ns/op	     448 B/op	       5 allocs/op
BenchmarkDecodeOrder-2             	   15835	     37940 ns/op	  41.57 MB/s	    6976 B/op	     143 allocs/op
BenchmarkSignedGet                 	   18000	     66940 ns/op	     14938 req/s	    7067 B/op	      25 allocs/op
BenchmarkSub/case_1-2              	     100	      1000 ns/op
PASS
ok  	github.com/cobo-terraform/terraform-provider-cobo/internal/cobo	7.1s
`
	got := parseGoBench("internal/cobo", out)
	if len(got) != 4 {
		t.Fatalf("got %d benchmarks, want 4: %+v", len(got), got)
	}
	sign := got[0]
	if sign.Name != "BenchmarkSign" || sign.Procs != 2 || sign.Runs != 3 || sign.Metrics["ns/op"] != 29000 || sign.Metrics["allocs/op"] != 5 || sign.NsMin != 28000 || sign.NsMax != 30861 {
		t.Errorf("BenchmarkSign: %+v", sign)
	}
	if d := got[1]; d.Metrics["MB/s"] != 41.57 || d.Metrics["B/op"] != 6976 {
		t.Errorf("BenchmarkDecodeOrder: %+v", d)
	}
	if g := got[2]; g.Name != "BenchmarkSignedGet" || g.Procs != 1 || g.Metrics["req/s"] != 14938 {
		t.Errorf("BenchmarkSignedGet: %+v", g)
	}
	if s := got[3]; s.Name != "BenchmarkSub/case_1" || s.Procs != 2 {
		t.Errorf("sub-benchmark: %+v", s)
	}
	runs := []goBenchRun{{Pkg: "internal/cobo", Results: got}}
	if _, ok := findBench(runs, "internal/cobo", 1, "BenchmarkSignedGet"); !ok {
		t.Error("findBench did not find BenchmarkSignedGet at GOMAXPROCS 1")
	}
	if _, ok := findBench(runs, "internal/cobo", 1, "BenchmarkSign"); ok {
		t.Error("findBench found BenchmarkSign at GOMAXPROCS 1; it ran with 2")
	}
}

func TestParseReattachLine(t *testing.T) {
	t.Parallel()
	line := `	TF_REATTACH_PROVIDERS='{"registry.terraform.io/cobo-terraform/cobo":{"Protocol":"grpc","ProtocolVersion":6,"Pid":4242,"Test":true,"Addr":{"Network":"unix","String":"/tmp/plugin1"}}}'`
	v, err := parseReattachLine(line, 4242)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(v, `{"registry.terraform.io/cobo-terraform/cobo":`) || strings.Contains(v, "'") {
		t.Errorf("value %q", v)
	}
	if _, err := parseReattachLine(line, 1); err == nil {
		t.Error("a reattach line for another process was accepted")
	}
	if _, err := parseReattachLine(`TF_REATTACH_PROVIDERS='{"registry.terraform.io/other/x":{"ProtocolVersion":6,"Pid":1}}'`, 1); err == nil {
		t.Error("a reattach line for another provider was accepted")
	}
}

func TestParseNs(t *testing.T) {
	t.Parallel()
	ns, err := parseNs(" 50 200,1000 ")
	if err != nil || len(ns) != 3 || ns[0] != 50 || ns[1] != 200 || ns[2] != 1000 {
		t.Errorf("parseNs: %v %v", ns, err)
	}
	for _, bad := range []string{"", "0", "abc", "10 x", "100000"} {
		if _, err := parseNs(bad); err == nil {
			t.Errorf("parseNs(%q) accepted", bad)
		}
	}
}

func TestMedian(t *testing.T) {
	t.Parallel()
	if m := median([]float64{3, 1, 2}); m != 2 {
		t.Errorf("median = %v", m)
	}
	if m := median([]float64{4, 1, 2, 3}); m != 2.5 {
		t.Errorf("median = %v", m)
	}
	if !math.IsNaN(median(nil)) {
		t.Error("median of nothing is not NaN")
	}
}

func TestProcSelf(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("no /proc")
	}
	if kib, err := peakRSSKiB(os.Getpid()); err != nil || kib <= 0 {
		t.Errorf("peakRSSKiB: %d %v", kib, err)
	}
	if _, err := processCPU(os.Getpid()); err != nil {
		t.Errorf("processCPU: %v", err)
	}
}

func TestConfigs(t *testing.T) {
	t.Parallel()
	ids := []string{"O1", "O2"}
	res := resourceConfig(ids, "run", true)
	if strings.Count(res, "import {") != 2 || strings.Count(res, `resource "cobo_payment_order"`) != 2 || strings.Contains(res, "expired_in") {
		t.Errorf("resource config:\n%s", res)
	}
	if strings.Contains(resourceConfig(ids, "run", false), "import {") {
		t.Error("import blocks left in the plan configuration")
	}
	if strings.Count(dataConfig(ids), `data "cobo_payment_order"`) != 2 {
		t.Error("data config")
	}
	if !strings.Contains(withReadAhead(dataConfig(ids), false), "read_ahead = false") || withReadAhead(dataConfig(ids), true) != dataConfig(ids) {
		t.Error("read_ahead setting")
	}
	if strings.Count(terraformDataConfig(ids), `resource "terraform_data"`) != 2 {
		t.Error("terraform_data config")
	}
}

// TestReportNoWorkRows checks the no-work providers' rows, the issue 15 targets and the INFO line on
// made-up samples: ratio columns are against max(c, d); the targets relate (a), (b) to (ea), (eb) and
// to (fa), (fb), at N=500 with the other N alongside.
func TestReportNoWorkRows(t *testing.T) {
	t.Parallel()
	sec := func(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
	one := func(wall, cpuTF, cpuProv float64, requests int64) []sample {
		return []sample{{wall: sec(wall), cpuTF: sec(cpuTF), cpuProv: sec(cpuProv), requests: requests, conns: 10, rssKiB: 30 << 10, onceEach: requests > 0}}
	}
	size := func(n int, scale float64) *sizeResult {
		return &sizeResult{n: n, scen: map[string]*scenario{
			scTFData:   {key: scTFData, label: "c", samples: one(1*scale, 1, 0, 0)},
			scNetwork:  {key: scNetwork, label: "d", samples: one(0.5*scale, 0, 0, int64(n))},
			scData:     {key: scData, label: "a", samples: one(3*scale, 1, 2, int64(n))},
			scResource: {key: scResource, label: "b", samples: one(8*scale, 3, 5, int64(n))},
			scDataEcho: {key: scDataEcho, label: "ea", samples: one(1.5*scale, 1, 0.5, 0)},
			scResEcho:  {key: scResEcho, label: "eb", samples: one(4*scale, 3, 1, 0)},
			scDataFW:   {key: scDataFW, label: "fa", samples: one(2.5*scale, 1, 1.5, 0)},
			scResFW:    {key: scResFW, label: "fb", samples: one(7.5*scale, 3, 4.5, 0)},
		}}
	}
	sr := size(500, 1)
	r := &report{opts: options{runs: 1, e2e: true, noWork: true, concurrency: 10}, sizes: []*sizeResult{size(100, 0.5), sr}}
	var b strings.Builder
	r.printE2E(&b)
	r.printTargets(&b)
	out := b.String()

	var eaRow, fbRow string // of N=500, printed last
	for _, l := range strings.Split(out, "\n") {
		switch {
		case strings.Contains(l, "(ea) ea"):
			eaRow = l
		case strings.Contains(l, "(fb) fb"):
			fbRow = l
		}
	}
	// Ratios are against max(c, d) = 1 s (wall) and 1 CPU-s; no requests or connections to show.
	if !strings.Contains(eaRow, "1.50s") || !strings.Contains(eaRow, "1.00/0.50/0.00") || strings.Count(eaRow, "1.50x") != 2 {
		t.Errorf("(ea) row: %q", eaRow)
	}
	if !strings.Contains(fbRow, "7.50s") || !strings.Contains(fbRow, "3.00/4.50/0.00") || strings.Count(fbRow, "7.50x") != 2 {
		t.Errorf("(fb) row: %q", fbRow)
	}
	// Column widths depend on the longest target name: compare with white space folded.
	fold := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	for _, want := range []string{
		"MISS (a), (b) at N=500 within 1.25x of the terraform-plugin-go no-work provider (ea), (eb) (a) 2.00x of (ea), (b) 2.00x of (eb) (wall; CPU 2.00x, 2.00x); N=100: 2.00x, 2.00x (CPU 2.00x, 2.00x)",
		"MISS (a), (b) at N=500 within 1.10x of the framework no-work provider (fa), (fb) (a) 1.20x of (fa), (b) 1.07x of (fb) (wall; CPU 1.20x, 1.07x)",
		"INFO the no-work providers at N=500 the framework over terraform-plugin-go: (fa) 1.67x of (ea), (fb) 1.88x of (eb) (wall; CPU 1.67x, 1.88x); against the larger floor: (ea) 1.50x, (eb) 4.00x, (fa) 2.50x, (fb) 7.50x",
	} {
		if !strings.Contains(fold(out), want) {
			t.Errorf("no line %q in:\n%s", want, out)
		}
	}
	if strings.Contains(out, "1.5x of the larger floor") {
		t.Error("the terraform_data target of issue 7 is still reported as a target")
	}
	if targets := r.targets(); len(targets) != 12 {
		t.Errorf("%d targets, want 12", len(targets))
	}

	// (a) within 1.1x of (fa) and (b) too: PASS.
	sr.scen[scData].samples = one(2.7, 1, 1.7, 500)
	if l := r.noWorkTarget("x", scDataFW, scResFW, targetVsFramework); l.result != "PASS" {
		t.Errorf("(a) 1.08x, (b) 1.07x of fwnoop: %+v", l)
	}
	// Without the no-work scenarios, those targets are not measured and there is no INFO line.
	for _, sz := range r.sizes {
		delete(sz.scen, scDataFW)
		delete(sz.scen, scResFW)
	}
	if l := r.noWorkTarget("x", scDataFW, scResFW, targetVsFramework); l.result != "N/A" {
		t.Errorf("without (fa), (fb): %+v", l)
	}
	if _, ok := r.floors(); ok {
		t.Error("an INFO line without the no-work measurements")
	}
}

// The webhook targets of issue 18 read the sandbox benchmarks' own metrics: the latency judged on the
// default-GOMAXPROCS run with the one-core run alongside, the rest on the one-core run.
func TestReportWebhookTargets(t *testing.T) {
	t.Parallel()
	oneCore := `BenchmarkWebhookLatency   	 3	 120000000 ns/op	 90.0 burst_cpu_ms	 110.0 max_ms	 60.00 p50_ms	 104.0 p99_ms
BenchmarkWebhookDeliveries      	 5000	 400000 ns/op	 6500 deliveries/cpu_s	 2500 deliveries/s
BenchmarkWebhookAPIWithHangingEndpoint	 200	 3000000 ns/op	 0.17 p50_hanging_ms	 0.18 p50_none_ms	 6.50 p99_hanging_ms	 5.00 p99_none_ms	 1.30 p99_ratio
`
	allCores := "BenchmarkWebhookLatency-2 	 3	 80000000 ns/op	 95.0 burst_cpu_ms	 70.0 max_ms	 30.00 p50_ms	 45.0 p99_ms\n"
	r := &report{goRuns: []goBenchRun{
		{Pkg: "internal/sandbox", CPU: "1", Results: parseGoBench("internal/sandbox", oneCore)},
		{Pkg: "internal/sandbox", CPU: "", Results: parseGoBench("internal/sandbox", allCores)},
	}}
	var b strings.Builder
	r.printTargets(&b)
	fold := strings.Join(strings.Fields(b.String()), " ")
	for _, want := range []string{
		"PASS status change -> receiver's handler: p99 <= 50 ms over 1,000 orders paid in a burst GOMAXPROCS 2: p99 45 ms, p50 30 ms, 95 ms CPU per burst; GOMAXPROCS 1: p99 104 ms, p50 60 ms, 90 ms CPU per burst",
		"PASS webhook deliveries >= 2,000/s to a fast local receiver on one core 2,500/s on the wall clock, 6,500 per CPU second",
		"MISS API p99 with one hanging endpoint within 1.2x of none 1.30x (median of the runs' ratios); medians p99 6.50 ms hanging vs 5.00 ms none, p50 0.17 vs 0.18 ms",
	} {
		if !strings.Contains(fold, want) {
			t.Errorf("no line %q in:\n%s", want, b.String())
		}
	}
	// Only the one-core run: the latency is judged on it.
	r.goRuns = r.goRuns[:1]
	if l := r.webhookLatencyTarget(); l.result != "MISS" || !strings.HasPrefix(l.measured, "GOMAXPROCS 1: p99 104 ms") {
		t.Errorf("one-core latency: %+v", l)
	}
	r.goRuns = nil
	for _, l := range r.webhookTargets() {
		if l.result != "N/A" || l.measured != "not measured" {
			t.Errorf("without benchmarks: %+v", l)
		}
	}
}

// -go-bench narrows the Go benchmarks; the default-GOMAXPROCS latency run stays only if it matches.
func TestGoBenchSpecs(t *testing.T) {
	t.Parallel()
	for pattern, want := range map[string]int{".": 3, "Webhook": 3, "WebhookDeliveries": 2, "SignedGet": 2} {
		specs := goBenchSpecs(pattern)
		if len(specs) != want {
			t.Errorf("-go-bench %q: %d runs, want %d: %+v", pattern, len(specs), want, specs)
		}
		if specs[0].pattern != pattern || specs[1].pattern != pattern || specs[1].cpu != "1" {
			t.Errorf("-go-bench %q: %+v", pattern, specs)
		}
	}
	if s := goBenchSpecs("."); s[2] != (goBenchSpec{"internal/sandbox", "", "^BenchmarkWebhookLatency$"}) {
		t.Errorf("latency run: %+v", s[2])
	}
}

func TestPayinConfig(t *testing.T) {
	t.Parallel()
	s := &payinSeed{run: "run", merchants: []cobo.Merchant{{MerchantID: "M1", Name: "one"}, {MerchantID: "M2", Name: "two"}}, refunds: []string{"R1", "R2", "R3"}}
	with := payinConfig(s, true)
	if strings.Count(with, "import {") != 5 || strings.Count(with, `resource "cobo_payment_merchant"`) != 2 || strings.Count(with, `resource "cobo_payment_refund"`) != 3 ||
		!strings.Contains(with, `id = "R3"`) || !strings.Contains(with, `request_id     = "bench-run-r0002"`) || !strings.Contains(with, `name               = "two"`) {
		t.Errorf("pay-in config with imports:\n%s", with)
	}
	if plain := payinConfig(s, false); strings.Contains(plain, "import {") || strings.Count(plain, "resource ") != 5 {
		t.Errorf("pay-in plan config:\n%s", plain)
	}
}

// A pay-in plan's requests are counted by kind: list pages, refund GETs (a second GET of one refund
// called out), anything else by method and path.
func TestClassifyPayinReads(t *testing.T) {
	t.Parallel()
	req := func(method, path string) sandbox.RecordedRequest {
		return sandbox.RecordedRequest{Method: method, Path: path, Status: 200}
	}
	gets, pages, detail := classifyPayinReads([]sandbox.RecordedRequest{
		req("GET", "/v2/payments/merchants"), req("GET", "/v2/payments/merchants"), req("GET", "/v2/payments/refunds"),
		req("GET", "/v2/payments/refunds/R1"), req("GET", "/v2/payments/refunds/R1"), req("GET", "/v2/payments/refunds/R2"),
		req("PUT", "/v2/payments/refunds/R2/cancel"),
	})
	want := "2 merchant list pages, 1 refund list pages, 3 refund GETs; 1 refunds read with more than one GET; 1 x PUT /v2/payments/refunds/R2/cancel (status 200)"
	if gets != 3 || pages != 3 || detail != want {
		t.Errorf("got %d GETs, %d pages, %q; want 3, 3, %q", gets, pages, detail, want)
	}
}

func TestParseGroups(t *testing.T) {
	t.Parallel()
	if g, err := parseGroups("payin"); err != nil || !g[groupPayin] || g[groupOrders] {
		t.Errorf("payin: %v, %v", g, err)
	}
	if g, err := parseGroups("orders, payin"); err != nil || len(g) != 2 {
		t.Errorf("both: %v, %v", g, err)
	}
	for _, bad := range []string{"", "refunds", "orders,x"} {
		if _, err := parseGroups(bad); err == nil || !strings.Contains(err.Error(), "orders, payin") {
			t.Errorf("%q: %v; want an error naming the groups", bad, err)
		}
	}
}

// The issue 23 targets: requests judged on the worst timed run against objects/10, time on the median
// against (fp); not measured without the scenario.
func TestReportPayinTargets(t *testing.T) {
	t.Parallel()
	r := &report{opts: options{merchants: 200, refunds: 500}}
	if l := r.payinTargets(); l[0].result != "N/A" || l[1].result != "N/A" {
		t.Errorf("without the scenario: %+v", l)
	}
	runs := func(wall float64, requests ...int64) []sample {
		var out []sample
		for _, n := range requests {
			out = append(out, sample{wall: time.Duration(wall * float64(time.Second)), requests: n})
		}
		return out
	}
	r.payin = &sizeResult{n: 700, title: "pay-in", scen: map[string]*scenario{
		scPayin:   {key: scPayin, samples: runs(10.5, 52, 70, 55)},
		scPayinFW: {key: scPayinFW, samples: runs(10, 0, 0, 0)},
	}}
	l := r.payinTargets()
	if l[0].result != "PASS" || !strings.Contains(l[0].measured, "55 (52..70) requests for 700 objects (limit 70)") {
		t.Errorf("requests: %+v", l[0])
	}
	if l[1].result != "PASS" || !strings.HasPrefix(l[1].measured, "1.05x") {
		t.Errorf("time: %+v", l[1])
	}
	r.payin.scen[scPayin].samples = runs(11.5, 52, 71, 55)
	if l := r.payinTargets(); l[0].result != "MISS" || l[1].result != "MISS" {
		t.Errorf("71 requests and 1.15x: %+v", l)
	}
}
