package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// goBench is one Go benchmark, with the median of each metric over -count runs.
type goBench struct {
	Pkg     string             // short package path, such as internal/cobo
	Name    string             // without the -GOMAXPROCS suffix, such as BenchmarkSign
	Procs   int                // GOMAXPROCS it ran with
	Runs    int                // how many result lines were seen (-count)
	Metrics map[string]float64 // unit -> median value: ns/op, B/op, allocs/op, MB/s, req/s, ...
	NsMin   float64            // fastest and slowest ns/op of the -count runs
	NsMax   float64
}

// goBenchRun is one `go test -bench` invocation.
type goBenchRun struct {
	Pkg     string
	CPU     string // the -cpu flag, "" for the default GOMAXPROCS
	Pattern string // the -bench pattern
	Command string
	Results []goBench
	Err     error
	Output  string
}

func goBenchCommand(pkg, cpu, pattern, benchtime string, count int) []string {
	args := []string{"go", "test", "-run", "^$", "-bench", pattern, "-benchmem", "-benchtime", benchtime, "-count", strconv.Itoa(count), "-timeout", "5m"}
	if cpu != "" {
		args = append(args, "-cpu", cpu)
	}
	return append(args, "./"+pkg)
}

func shellQuote(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		if a == "" || strings.ContainsAny(a, " $^'\"*?\\") {
			a = "'" + strings.ReplaceAll(a, "'", `'"'"'`) + "'"
		}
		out[i] = a
	}
	return strings.Join(out, " ")
}

// runGoBench runs the benchmarks of one package that match pattern and parses them. A package whose
// benchmarks do not build or fail is reported, not fatal: the rest of the report still runs. No result
// is a failure only for the pattern ".", which matches every benchmark.
func runGoBench(ctx context.Context, env []string, pkg, cpu, pattern, benchtime string, count int) goBenchRun {
	argv := goBenchCommand(pkg, cpu, pattern, benchtime, count)
	run := goBenchRun{Pkg: pkg, CPU: cpu, Pattern: pattern, Command: shellQuote(argv)}
	ctx, cancel := context.WithTimeout(ctx, 6*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = env
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 10 * time.Second
	out, err := cmd.CombinedOutput()
	run.Output = string(out)
	run.Results = parseGoBench(pkg, run.Output)
	switch {
	case err != nil:
		run.Err = fmt.Errorf("%s: %v\n%s", run.Command, err, lastLines(run.Output, 15))
	case len(run.Results) == 0 && pattern == ".":
		run.Err = fmt.Errorf("%s: no benchmark results", run.Command)
	}
	return run
}

var benchLine = regexp.MustCompile(`^(Benchmark\S+?)(?:-(\d+))?\s+(\d+)\s+(.*)$`)

// parseGoBench reads `go test -bench` output: lines such as
// "BenchmarkSign-2   26354   45123 ns/op   912 B/op   9 allocs/op", repeated -count times.
func parseGoBench(pkg, output string) []goBench {
	type key struct {
		name  string
		procs int
	}
	samples := map[key]map[string][]float64{}
	runs := map[key]int{}
	var order []key
	sc := bufio.NewScanner(strings.NewReader(output))
	for sc.Scan() {
		m := benchLine.FindStringSubmatch(strings.TrimSpace(sc.Text()))
		if m == nil {
			continue
		}
		k := key{name: m[1], procs: 1}
		if m[2] != "" {
			k.procs, _ = strconv.Atoi(m[2])
		}
		fields := strings.Fields(m[4])
		if len(fields) < 2 || len(fields)%2 != 0 {
			continue
		}
		if samples[k] == nil {
			samples[k] = map[string][]float64{}
			order = append(order, k)
		}
		runs[k]++
		for i := 0; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				continue
			}
			samples[k][fields[i+1]] = append(samples[k][fields[i+1]], v)
		}
	}
	out := make([]goBench, 0, len(order))
	for _, k := range order {
		b := goBench{Pkg: pkg, Name: k.name, Procs: k.procs, Runs: runs[k], Metrics: map[string]float64{}}
		for unit, vs := range samples[k] {
			b.Metrics[unit] = median(vs)
		}
		b.NsMin, b.NsMax = minMax(samples[k]["ns/op"])
		out = append(out, b)
	}
	return out
}

// findBench returns the first benchmark of pkg named one of names (in the order of names).
func findBench(runs []goBenchRun, pkg string, procs int, names ...string) (goBench, bool) {
	for _, name := range names {
		for _, r := range runs {
			for _, b := range r.Results {
				if b.Pkg == pkg && b.Name == name && (procs == 0 || b.Procs == procs) {
					return b, true
				}
			}
		}
	}
	return goBench{}, false
}

// extraMetrics lists the metrics other than the standard three, such as "85.2 MB/s" or "12000 req/s".
func extraMetrics(b goBench) string {
	var units []string
	for u := range b.Metrics {
		if u != "ns/op" && u != "B/op" && u != "allocs/op" {
			units = append(units, u)
		}
	}
	sort.Strings(units)
	parts := make([]string, 0, len(units))
	for _, u := range units {
		parts = append(parts, fmt.Sprintf("%s %s", humanNumber(b.Metrics[u]), u))
	}
	return strings.Join(parts, ", ")
}

func humanNumber(v float64) string {
	switch {
	case v >= 1e4:
		return commas(int64(v + 0.5))
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	default:
		return fmt.Sprintf("%.2f", v)
	}
}

func commas(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
