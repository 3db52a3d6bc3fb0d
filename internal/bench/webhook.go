package main

import (
	"fmt"
	"strings"
)

// The webhook delivery targets of issue 18, from the Go benchmarks of internal/sandbox
// (webhook_bench_test.go), which compute their percentiles and rates themselves (b.ReportMetric).

const (
	webhookLatencyBench    = "BenchmarkWebhookLatency"
	webhookDeliveriesBench = "BenchmarkWebhookDeliveries"
	webhookHangingBench    = "BenchmarkWebhookAPIWithHangingEndpoint"
)

// sandboxBench finds a benchmark of internal/sandbox in the run made with the -cpu flag cpu ("" for
// the default GOMAXPROCS).
func (r *report) sandboxBench(cpu, name string) (goBench, bool) {
	for _, run := range r.goRuns {
		if run.Pkg != "internal/sandbox" || run.CPU != cpu {
			continue
		}
		for _, b := range run.Results {
			if b.Name == name {
				return b, true
			}
		}
	}
	return goBench{}, false
}

func (r *report) webhookTargets() []targetLine {
	return []targetLine{r.webhookLatencyTarget(), r.webhookDeliveriesTarget(), r.webhookHangingTarget()}
}

// webhookLatencyTarget is judged on the run with the default GOMAXPROCS (the target names no core
// count), or the one-core run when that is all there is; both are shown, with the CPU time a burst
// took, below which the p99 cannot go on one core.
func (r *report) webhookLatencyTarget() targetLine {
	target := fmt.Sprintf("status change -> receiver's handler: p99 <= %d ms over 1,000 orders paid in a burst", targetWebhookP99Ms)
	all, okAll := r.sandboxBench("", webhookLatencyBench)
	one, okOne := r.sandboxBench("1", webhookLatencyBench)
	if !okAll && !okOne {
		return notMeasured(target)
	}
	describe := func(b goBench) string {
		return fmt.Sprintf("GOMAXPROCS %d: p99 %.0f ms, p50 %.0f ms, %.0f ms CPU per burst", b.Procs, b.Metrics["p99_ms"], b.Metrics["p50_ms"], b.Metrics["burst_cpu_ms"])
	}
	judged := all
	if !okAll {
		judged = one
	}
	parts := []string{describe(judged)}
	if okAll && okOne {
		parts = append(parts, describe(one))
	}
	return targetLine{target, strings.Join(parts, "; "), verdict(judged.Metrics["p99_ms"] <= targetWebhookP99Ms)}
}

// webhookDeliveriesTarget is judged on the wall-clock rate; the rate per CPU second is what one core
// gives when the benchmark has it to itself.
func (r *report) webhookDeliveriesTarget() targetLine {
	target := fmt.Sprintf("webhook deliveries >= %s/s to a fast local receiver on one core", commas(targetDeliveriesPerS))
	b, ok := r.sandboxBench("1", webhookDeliveriesBench)
	if !ok {
		return notMeasured(target)
	}
	wall, cpu := b.Metrics["deliveries/s"], b.Metrics["deliveries/cpu_s"]
	m := fmt.Sprintf("%s/s on the wall clock, %s per CPU second (%s, -cpu 1)", commas(int64(wall+0.5)), commas(int64(cpu+0.5)), webhookDeliveriesBench)
	return targetLine{target, m, verdict(wall >= targetDeliveriesPerS)}
}

// webhookHangingTarget compares the API's p99 with and without a hanging endpoint. It is judged on the
// median of each run's own ratio (both taken in the same run, under the same load), which is not the
// ratio of the median p99s shown beside it.
func (r *report) webhookHangingTarget() targetLine {
	target := fmt.Sprintf("API p99 with one hanging endpoint within %.1fx of none", targetHangingAPIRatio)
	b, ok := r.sandboxBench("1", webhookHangingBench)
	if !ok {
		return notMeasured(target)
	}
	ratio := b.Metrics["p99_ratio"]
	m := fmt.Sprintf("%.2fx (median of the runs' ratios); medians p99 %.2f ms hanging vs %.2f ms none, p50 %.2f vs %.2f ms (%s, -cpu 1)", ratio,
		b.Metrics["p99_hanging_ms"], b.Metrics["p99_none_ms"], b.Metrics["p50_hanging_ms"], b.Metrics["p50_none_ms"], webhookHangingBench)
	return targetLine{target, m, verdict(ratio <= targetHangingAPIRatio)}
}
