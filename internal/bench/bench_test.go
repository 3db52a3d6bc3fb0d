package main

import (
	"math"
	"os"
	"strings"
	"testing"
	"time"
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

// TestReportEchoRows checks the echo provider's rows and the informational line on made-up samples:
// the targets keep their meaning (against max(c, d)), and the INFO line relates (a), (b) to (ea), (eb).
func TestReportEchoRows(t *testing.T) {
	t.Parallel()
	sec := func(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
	one := func(wall, cpuTF, cpuProv float64, requests int64) []sample {
		return []sample{{wall: sec(wall), cpuTF: sec(cpuTF), cpuProv: sec(cpuProv), requests: requests, conns: 10, rssKiB: 30 << 10, onceEach: requests > 0}}
	}
	sr := &sizeResult{n: 500, scen: map[string]*scenario{
		scTFData:   {key: scTFData, label: "c", samples: one(1, 1, 0, 0)},
		scNetwork:  {key: scNetwork, label: "d", samples: one(0.5, 0, 0, 500)},
		scData:     {key: scData, label: "a", samples: one(3, 1, 2, 500)},
		scResource: {key: scResource, label: "b", samples: one(8, 3, 5, 500)},
		scDataEcho: {key: scDataEcho, label: "ea", samples: one(1.5, 1, 0.5, 0)},
		scResEcho:  {key: scResEcho, label: "eb", samples: one(4, 3, 1, 0)},
	}}
	r := &report{opts: options{runs: 1, e2e: true, echo: true, concurrency: 10}, sizes: []*sizeResult{sr}}
	var b strings.Builder
	r.printE2E(&b)
	r.printTargets(&b)
	out := b.String()

	var eaRow, ebRow string
	for _, l := range strings.Split(out, "\n") {
		switch {
		case strings.Contains(l, "(ea) ea"):
			eaRow = l
		case strings.Contains(l, "(eb) eb"):
			ebRow = l
		}
	}
	// Fields: key, label, time, (range), ratio, req/order, conns, RSS (2 fields), CPU, CPU ratio. Ratios
	// are against max(c, d) = 1 s (wall) and 1 CPU-s; no requests or connections to show.
	if f := strings.Fields(eaRow); len(f) != 11 || f[2] != "1.50s" || f[4] != "1.50x" || f[5] != "-" || f[6] != "-" || f[9] != "1.00/0.50/0.00" || f[10] != "1.50x" {
		t.Errorf("(ea) row: %q", eaRow)
	}
	if f := strings.Fields(ebRow); len(f) != 11 || f[4] != "4.00x" || f[5] != "-" || f[10] != "4.00x" {
		t.Errorf("(eb) row: %q", ebRow)
	}
	// Column widths depend on the longest target name: compare with white space folded.
	fold := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	if !strings.Contains(fold(out), "MISS plan over 500 within 1.5x of the larger floor (a) 3.00x, (b) 8.00x of 1.00s (CPU time: (a) 3.00x, (b) 8.00x)") {
		t.Errorf("the ratio target changed:\n%s", out)
	}
	want := "INFO the provider's own cost at N=500 (a) = 2.00x of (ea), (b) = 2.00x of (eb) (wall); CPU: (a) = 2.00x of (ea), (b) = 2.00x of (eb); the echo provider alone: (ea) 1.50x, (eb) 4.00x of the larger floor (CPU 1.50x, 4.00x)"
	if !strings.Contains(fold(out), want) {
		t.Errorf("no INFO line %q in:\n%s", want, out)
	}
	targets := r.targets()
	if len(targets) != 6 {
		t.Errorf("%d targets, want the 6 of the issue", len(targets))
	}

	// Without the echo scenarios there is no INFO line.
	delete(sr.scen, scDataEcho)
	delete(sr.scen, scResEcho)
	if _, ok := r.providerCost(); ok {
		t.Error("an INFO line without echo measurements")
	}
}
