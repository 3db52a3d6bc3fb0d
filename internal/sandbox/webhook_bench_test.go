package sandbox_test

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

// Benchmarks of webhook delivery, the performance targets of issue 18. make bench (internal/bench)
// runs them with -cpu 1 and prints their metrics against the targets; they assert nothing about speed.
//
//	BenchmarkWebhookStatusLatency   status change (s.Pay) -> the receiver's handler, 1,000 orders paid in a burst
//	BenchmarkWebhookDeliveries      deliveries per second to a fast local receiver
//	BenchmarkWebhookAPIHangingEndpoint  API answer p99 with an endpoint that never answers vs none

// burstOrders is how many orders one burst pays (issue 18: "1,000 orders paid in a burst").
const burstOrders = 1000

// benchReceiver is a fast webhook endpoint on 127.0.0.1: it reads the body, answers 200, counts the
// delivery and, when byOrder is set, notes when its handler ran for the event's order.
type benchReceiver struct {
	srv     *httptest.Server
	byOrder bool
	count   atomic.Int64
	want    atomic.Int64
	done    chan struct{} // closed when count reaches want

	mu  sync.Mutex
	ran map[string]time.Time // order id -> when the handler got its event
}

func newBenchReceiver(tb testing.TB, byOrder bool) *benchReceiver {
	r := &benchReceiver{byOrder: byOrder, ran: map[string]time.Time{}, done: make(chan struct{})}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	tb.Cleanup(r.srv.Close)
	return r
}

func (r *benchReceiver) serve(w http.ResponseWriter, req *http.Request) {
	now := time.Now()
	body, _ := io.ReadAll(req.Body)
	if r.byOrder {
		var ev struct {
			Data struct {
				OrderID string `json:"order_id"`
			} `json:"data"`
		}
		_ = json.Unmarshal(body, &ev)
		r.mu.Lock()
		r.ran[ev.Data.OrderID] = now
		r.mu.Unlock()
	}
	w.WriteHeader(http.StatusOK)
	if r.count.Add(1) == r.want.Load() {
		close(r.done)
	}
}

func (r *benchReceiver) url() string { return r.srv.URL + "/hook" }

// expect makes wait return once n more deliveries arrived.
func (r *benchReceiver) expect(n int) {
	r.done = make(chan struct{})
	r.want.Store(r.count.Load() + int64(n))
}

// wait waits for the deliveries expected (at most a minute: a guard against a hung run, not a target).
func (r *benchReceiver) wait(tb testing.TB) {
	select {
	case <-r.done:
	case <-time.After(time.Minute):
		tb.Fatalf("only %d of %d deliveries arrived within a minute", r.count.Load(), r.want.Load())
	}
}

// hangingEndpoint accepts connections on 127.0.0.1 and never answers: every delivery to it waits for
// the sandbox's timeout.
func hangingEndpoint(tb testing.TB) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	var mu sync.Mutex
	var held []net.Conn
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, conn)
			mu.Unlock()
		}
	}()
	tb.Cleanup(func() {
		_ = ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range held {
			_ = c.Close()
		}
	})
	return "http://" + ln.Addr().String() + "/hook"
}

// payable is an order and the amount that completes it.
type payable struct{ id, amount string }

func createPayable(tb testing.TB, c *apiClient, n int) []payable {
	out := make([]payable, n)
	for i := range out {
		o := c.create(tb, nil)
		out[i] = payable{o.OrderID, o.PayableAmount}
	}
	return out
}

// payAll pays each order in full, one after another, and returns when each status change was made
// (the time just before its Pay).
func payAll(tb testing.TB, sb *sandbox.Sandbox, orders []payable) map[string]time.Time {
	changed := make(map[string]time.Time, len(orders))
	for _, o := range orders {
		changed[o.id] = time.Now()
		if _, err := sb.Pay(o.id, sandbox.Payment{Amount: o.amount}); err != nil {
			tb.Fatal(err)
		}
	}
	return changed
}

// percentile is the p-th percentile (nearest rank) of sorted xs.
func percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p/100*float64(len(sorted))+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// BenchmarkWebhookStatusLatency: each op is a burst of 1,000 orders paid back to back (s.Pay, each
// making the order Completed) on a fresh sandbox whose one endpoint, subscribed to
// payment.order.status.updated, is a fast receiver; the latency of an order is from just before its
// Pay to its event's arrival in the receiver's handler. p50, p99 and max are over every order of
// every op; ns/op is the burst from the first Pay to the last delivery. burst_cpu_ms is the CPU time
// the process used for a burst (sandbox and receiver): the p99 cannot be lower than about that on
// one core, whatever else runs on the machine.
func BenchmarkWebhookStatusLatency(b *testing.B) {
	var latencies []float64
	var cpu time.Duration
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		srv, c := startSandbox(b, sandbox.Options{})
		rcv := newBenchReceiver(b, true)
		c.registerEndpoint(b, rcv.url(), cobo.EventPaymentOrderStatusUpdated)
		orders := createPayable(b, c, burstOrders)
		rcv.expect(burstOrders)
		runtime.GC() // the setup's garbage is not the burst's
		b.StartTimer()
		cpuStart := processCPU(b)
		changed := payAll(b, srv.Sandbox, orders)
		rcv.wait(b)
		cpu += processCPU(b) - cpuStart
		b.StopTimer()
		for id, at := range changed {
			latencies = append(latencies, float64(rcv.ran[id].Sub(at))/1e6)
		}
		srv.Close()
		rcv.srv.Close()
		b.StartTimer()
	}
	slices.Sort(latencies)
	b.ReportMetric(percentile(latencies, 50), "p50_ms")
	b.ReportMetric(percentile(latencies, 99), "p99_ms")
	b.ReportMetric(latencies[len(latencies)-1], "max_ms")
	b.ReportMetric(float64(cpu)/1e6/float64(b.N), "burst_cpu_ms")
}

// BenchmarkWebhookDeliveries: each op is one delivery of payment.order.status.updated to a fast
// receiver on 127.0.0.1. The b.N orders are created before the clock starts; the timed part pays
// them back to back and waits for the last delivery, so the rate includes making the events.
// deliveries/s is on the wall clock; deliveries/cpu_s divides by the CPU time this process used
// meanwhile (sandbox, receiver and payments together), the rate one core would give if the
// benchmark had it to itself: on a machine busy with other work the two differ.
func BenchmarkWebhookDeliveries(b *testing.B) {
	srv, c := startSandbox(b, sandbox.Options{})
	rcv := newBenchReceiver(b, false)
	c.registerEndpoint(b, rcv.url(), cobo.EventPaymentOrderStatusUpdated)
	orders := createPayable(b, c, b.N)
	rcv.expect(b.N)
	b.ResetTimer()
	start, cpuStart := time.Now(), processCPU(b)
	payAll(b, srv.Sandbox, orders)
	rcv.wait(b)
	wall, cpu := time.Since(start), processCPU(b)-cpuStart
	b.ReportMetric(float64(b.N)/wall.Seconds(), "deliveries/s")
	b.ReportMetric(float64(b.N)/cpu.Seconds(), "deliveries/cpu_s")
}

// processCPU is the user and system CPU time this process used so far.
func processCPU(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkWebhookAPIHangingEndpoint: two sandboxes in one run, one with an endpoint that accepts
// connections and never answers (subscribed to every pay-in event) and one with no endpoint; each op
// does the same round of API requests on both, in alternating order, and every answer's latency is
// kept. A round creates an order, pays it (s.Pay, not timed: four events for the hanging endpoint),
// reads it and lists a page. Reported: p50 and p99 of each and the ratio of the p99s (hanging / none).
func BenchmarkWebhookAPIHangingEndpoint(b *testing.B) {
	quietSrv, quiet := startSandbox(b, sandbox.Options{})
	hungSrv, hung := startSandbox(b, sandbox.Options{})
	hung.registerEndpoint(b, hangingEndpoint(b), allPayInTypes...)
	var none, hanging []float64
	b.ResetTimer()
	for i := range b.N {
		if i%2 == 0 {
			none = apiRound(b, quietSrv.Sandbox, quiet, none)
			hanging = apiRound(b, hungSrv.Sandbox, hung, hanging)
		} else {
			hanging = apiRound(b, hungSrv.Sandbox, hung, hanging)
			none = apiRound(b, quietSrv.Sandbox, quiet, none)
		}
	}
	b.StopTimer()
	slices.Sort(none)
	slices.Sort(hanging)
	b.ReportMetric(percentile(none, 50), "p50_none_ms")
	b.ReportMetric(percentile(none, 99), "p99_none_ms")
	b.ReportMetric(percentile(hanging, 50), "p50_hanging_ms")
	b.ReportMetric(percentile(hanging, 99), "p99_hanging_ms")
	b.ReportMetric(percentile(hanging, 99)/percentile(none, 99), "p99_ratio")
}

// apiRound makes one round of API requests (see BenchmarkWebhookAPIHangingEndpoint) and appends the
// latency of each answer, in milliseconds, to ms.
func apiRound(b *testing.B, sb *sandbox.Sandbox, c *apiClient, ms []float64) []float64 {
	timed := func(method, target, body string, want int) result {
		start := time.Now()
		r := c.do(method, target, body)
		ms = append(ms, float64(time.Since(start))/1e6)
		if r.status != want {
			b.Fatalf("%s %s: status %d, want %d: %s", method, target, r.status, want, r.body)
		}
		return r
	}
	o := timed("POST", "/v2/payments/orders", createBody(nil), http.StatusCreated).order(b)
	if _, err := sb.Pay(o.OrderID, sandbox.Payment{Amount: o.PayableAmount}); err != nil {
		b.Fatal(err)
	}
	timed("GET", "/v2/payments/orders/"+o.OrderID, "", http.StatusOK)
	timed("GET", "/v2/payments/orders?limit=10", "", http.StatusOK)
	return ms
}
