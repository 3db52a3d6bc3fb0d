// Command pprofprovider is the provider as main.go serves it (the same framework server, in debug
// mode; -debug is implied), instrumented for `make bench BENCH_FLAGS=-profile=DIR`: a CPU profile of
// the whole process life, a heap profile taken as the live heap grew, the runtime's memory statistics,
// and a count of the RPCs Terraform made and how many ran at once. It is a diagnostic build for
// internal/bench only; the provider itself is not changed for it.
//
// Environment: COBO_BENCH_PROFILE_PREFIX is the path prefix of the files written
// (PREFIX.cpu.pprof, PREFIX.heap.pprof, PREFIX.heap-exit.pprof, PREFIX.goroutines-exit.txt,
// PREFIX.memstats.txt). With COBO_BENCH_PROFILE_NO_WORK=1 it serves internal/bench/fwnoop instead of
// the provider, so the framework's own cost can be profiled the same way.
package main

import (
	"fmt"
	"log"
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/bench/fwnoop"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/provider"
)

func main() {
	prefix := os.Getenv("COBO_BENCH_PROFILE_PREFIX")
	if prefix == "" {
		log.Fatal("COBO_BENCH_PROFILE_PREFIX is not set")
	}
	provider.QuietSDKLogsUnlessAsked() // as main.go does, so the profile is of the provider users run
	provider.TuneGCUnlessSet()
	cpu, err := os.Create(prefix + ".cpu.pprof")
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.StartCPUProfile(cpu); err != nil {
		log.Fatal(err)
	}
	w := newWatcher(prefix)
	go w.run()

	// The provider's server, exactly as main.go serves it, behind a counter of RPCs.
	counter := &rpcCounter{}
	server := provider.NewServer("bench-pprof")
	if os.Getenv("COBO_BENCH_PROFILE_NO_WORK") == "1" {
		server = fwnoop.NewServer
	}
	err = tf6server.Serve(provider.Address,
		func() tfprotov6.ProviderServer { return countingServer{ProviderServer: server(), c: counter} },
		tf6server.WithManagedDebug())
	pprof.StopCPUProfile()
	_ = cpu.Close()
	w.stop(counter.String())
	if err != nil {
		log.Fatal(err)
	}
}

// watcher samples the runtime's memory statistics and keeps a heap profile of the moment the live
// heap was largest.
type watcher struct {
	prefix        string
	done          chan struct{}
	finished      chan struct{}
	mu            sync.Mutex
	peak          runtime.MemStats
	peakAt        time.Duration
	maxGoroutines int
	started       time.Time
}

func newWatcher(prefix string) *watcher {
	return &watcher{prefix: prefix, done: make(chan struct{}), finished: make(chan struct{}), started: time.Now()}
}

func (w *watcher) run() {
	defer close(w.finished)
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	var lastProfiled uint64
	for {
		select {
		case <-w.done:
			return
		case <-t.C:
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		w.mu.Lock()
		w.maxGoroutines = max(w.maxGoroutines, runtime.NumGoroutine())
		if ms.HeapAlloc > w.peak.HeapAlloc {
			w.peak, w.peakAt = ms, time.Since(w.started)
		}
		w.mu.Unlock()
		// A new heap profile when the live heap has grown by 10% over the last one profiled.
		if ms.HeapAlloc > lastProfiled+lastProfiled/10 {
			lastProfiled = ms.HeapAlloc
			if f, err := os.Create(w.prefix + ".heap.pprof"); err == nil {
				_ = pprof.Lookup("heap").WriteTo(f, 0)
				_ = f.Close()
			}
		}
	}
}

func (w *watcher) stop(extra string) {
	close(w.done)
	<-w.finished
	var end, afterGC1, afterGC2 runtime.MemStats
	runtime.ReadMemStats(&end)
	goroutines := runtime.NumGoroutine()
	if f, err := os.Create(w.prefix + ".goroutines-exit.txt"); err == nil {
		_ = pprof.Lookup("goroutine").WriteTo(f, 1)
		_ = f.Close()
	}
	// What is still reachable once Terraform is done with the provider: the heap after one GC (with a
	// heap profile of it), and after a second one a moment later.
	runtime.GC()
	runtime.ReadMemStats(&afterGC1)
	if f, err := os.Create(w.prefix + ".heap-exit.pprof"); err == nil {
		_ = pprof.Lookup("heap").WriteTo(f, 0)
		_ = f.Close()
	}
	time.Sleep(50 * time.Millisecond)
	runtime.GC()
	runtime.ReadMemStats(&afterGC2)
	w.mu.Lock()
	defer w.mu.Unlock()
	p := w.peak
	text := fmt.Sprintf("peak heap (HeapAlloc: live + not yet collected) %.1f MiB at %s: HeapInuse %.1f MiB, HeapSys %.1f MiB, StackInuse %.1f MiB, Sys %.1f MiB, NumGC %d\n"+
		"at exit: TotalAlloc %.1f MiB, Mallocs %d, NumGC %d, GCCPUFraction %.3f; heap after a GC %.1f MiB, after a second GC %.1f MiB\n"+
		"goroutines: at most %d, %d at exit\n",
		mb(p.HeapAlloc), w.peakAt.Round(time.Millisecond), mb(p.HeapInuse), mb(p.HeapSys), mb(p.StackInuse), mb(p.Sys), p.NumGC,
		mb(end.TotalAlloc), end.Mallocs, end.NumGC, end.GCCPUFraction, mb(afterGC1.HeapAlloc), mb(afterGC2.HeapAlloc),
		w.maxGoroutines, goroutines)
	_ = os.WriteFile(w.prefix+".memstats.txt", []byte(text+extra+"\n"), 0o644)
}

func mb(b uint64) float64 { return float64(b) / (1 << 20) }
