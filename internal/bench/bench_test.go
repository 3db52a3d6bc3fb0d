package main

import (
	"math"
	"os"
	"strings"
	"testing"
)

func TestParseGoBench(t *testing.T) {
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
	if strings.Count(terraformDataConfig(ids), `resource "terraform_data"`) != 2 {
		t.Error("terraform_data config")
	}
}
