package sandbox_test

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

// The webhook figures of issue 18 (report lines, never timed tests). make bench (internal/bench)
// runs them with -cpu 1, the latency once more with the default GOMAXPROCS, and prints their metrics
// against the targets:
//
//	BenchmarkWebhookDeliveries              deliveries/s to a fast local receiver (target: 2,000 on one core)
//	BenchmarkWebhookLatency                 status change to the receiver's handler over 1,000 orders paid in a burst (target: p99 <= 50 ms)
//	BenchmarkWebhookAPIWithHangingEndpoint  API answer p99 with one endpoint that hangs and with none, in the same run (target: within 1.2x)

// burstOrders is how many orders one burst pays (issue 18: "1,000 orders paid in a burst").
const burstOrders = 1000

// benchSandbox drives a Sandbox's handler directly with signed requests (the setup of the delivery
// benchmarks: no API server needed).
type benchSandbox struct {
	sb     *sandbox.Sandbox
	signer *cobo.Signer
}

func newBenchSandbox(b *testing.B, opts sandbox.Options) *benchSandbox {
	b.Helper()
	signer, err := cobo.NewSigner(secretFor("webhook-bench"))
	if err != nil {
		b.Fatal(err)
	}
	sb := sandbox.New(opts)
	b.Cleanup(sb.Close)
	return &benchSandbox{sb: sb, signer: signer}
}

func (bs *benchSandbox) do(b *testing.B, method, path, body string, want int) []byte {
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	bs.signer.SetHeaders(r.Header, method, path, strconv.FormatInt(time.Now().UnixMilli(), 10), "", []byte(body))
	w := httptest.NewRecorder()
	bs.sb.ServeHTTP(w, r)
	if w.Code != want {
		b.Fatalf("%s %s: %d %s", method, path, w.Code, w.Body)
	}
	return w.Body.Bytes()
}

func (bs *benchSandbox) register(b *testing.B, url string, events ...string) {
	body, _ := json.Marshal(cobo.CreateWebhookEndpointRequest{URL: url, SubscribedEvents: events})
	bs.do(b, "POST", "/v2/webhooks/endpoints", string(body), http.StatusCreated)
}

// payable is an order and the amount that completes it.
type payable struct{ id, amount string }

func (bs *benchSandbox) createOrders(b *testing.B, n int) []payable {
	out := make([]payable, n)
	for i := range out {
		body := createBody(map[string]any{"psp_order_code": uniquePsp("bench")})
		o, err := cobo.DecodeOrder(bs.do(b, "POST", "/v2/payments/orders", body, http.StatusCreated))
		if err != nil {
			b.Fatal(err)
		}
		out[i] = payable{o.OrderID, o.PayableAmount}
	}
	return out
}

// payAll pays each order in full, one after another, and returns when each status change was made
// (the time just before its Pay).
func (bs *benchSandbox) payAll(b *testing.B, orders []payable) map[string]time.Time {
	changed := make(map[string]time.Time, len(orders))
	for _, o := range orders {
		changed[o.id] = time.Now()
		if _, err := bs.sb.Pay(o.id, sandbox.Payment{Amount: o.amount}); err != nil {
			b.Fatal(err)
		}
	}
	return changed
}

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

func newBenchReceiver(b *testing.B, byOrder bool) *benchReceiver {
	r := &benchReceiver{byOrder: byOrder, ran: map[string]time.Time{}, done: make(chan struct{})}
	r.srv = httptest.NewServer(http.HandlerFunc(r.serve))
	b.Cleanup(r.srv.Close)
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

// wait waits for the deliveries expected (a channel, not polling, which would take CPU from the
// sandbox on one core; at most 5 minutes: a guard against a hung run, not a target).
func (r *benchReceiver) wait(b *testing.B) {
	select {
	case <-r.done:
	case <-time.After(5 * time.Minute):
		b.Fatalf("%d of %d deliveries after 5 minutes", r.count.Load(), r.want.Load())
	}
}

// processCPU is the CPU time this process has used (user + system).
func processCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// percentile is the p-th percentile (nearest rank) of sorted xs.
func percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p/100*float64(len(sorted))+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// BenchmarkWebhookDeliveries: each op is one delivery of payment.order.status.updated to a fast
// receiver on 127.0.0.1. The b.N orders are created before the clock starts; the timed part pays
// them back to back and waits for the last delivery, so the rate includes making the events.
// deliveries/s is on the wall clock; deliveries/cpu_s divides by the CPU time this process used
// meanwhile (payments, signing, sending and the receiver), the rate one core gives when the
// benchmark has it to itself: on a machine busy with other work the two differ.
func BenchmarkWebhookDeliveries(b *testing.B) {
	bs := newBenchSandbox(b, sandbox.Options{})
	rcv := newBenchReceiver(b, false)
	bs.register(b, rcv.url(), cobo.EventPaymentOrderStatusUpdated)
	orders := bs.createOrders(b, b.N)
	rcv.expect(b.N)
	runtime.GC() // the setup's garbage is not the deliveries'
	b.ResetTimer()
	start, cpuStart := time.Now(), processCPU()
	bs.payAll(b, orders)
	rcv.wait(b)
	wall, cpu := time.Since(start), processCPU()-cpuStart
	b.ReportMetric(float64(b.N)/wall.Seconds(), "deliveries/s")
	b.ReportMetric(float64(b.N)/cpu.Seconds(), "deliveries/cpu_s")
}

// BenchmarkWebhookLatency: each op is a burst of 1,000 orders paid back to back (s.Pay, each making
// the order Completed) on a fresh sandbox whose one endpoint, subscribed to
// payment.order.status.updated, is a fast receiver; the latency of an order is from just before its
// Pay to its event's arrival in the receiver's handler. p50, p99 and max are over every order of
// every op; ns/op is the burst from the first Pay to the last delivery. burst_cpu_ms is the CPU time
// the process used for a burst (sandbox and receiver): the p99 cannot be lower than about that on
// one core, whatever else runs on the machine.
func BenchmarkWebhookLatency(b *testing.B) {
	var latencies []float64
	var cpu time.Duration
	for range b.N {
		b.StopTimer()
		bs := newBenchSandbox(b, sandbox.Options{})
		rcv := newBenchReceiver(b, true)
		bs.register(b, rcv.url(), cobo.EventPaymentOrderStatusUpdated)
		orders := bs.createOrders(b, burstOrders)
		rcv.expect(burstOrders)
		runtime.GC() // the setup's garbage is not the burst's
		b.StartTimer()
		cpuStart := processCPU()
		changed := bs.payAll(b, orders)
		rcv.wait(b)
		cpu += processCPU() - cpuStart
		b.StopTimer()
		for id, at := range changed {
			latencies = append(latencies, float64(rcv.ran[id].Sub(at))/1e6)
		}
		bs.sb.Close()
		rcv.srv.Close()
		b.StartTimer()
	}
	slices.Sort(latencies)
	b.ReportMetric(percentile(latencies, 50), "p50_ms")
	b.ReportMetric(percentile(latencies, 99), "p99_ms")
	b.ReportMetric(latencies[len(latencies)-1], "max_ms")
	b.ReportMetric(float64(cpu)/1e6/float64(b.N), "burst_cpu_ms")
}

// hangingEndpoint accepts connections on 127.0.0.1 and never answers: every delivery to it waits for
// the sandbox's timeout.
func hangingEndpoint(b *testing.B) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
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
	b.Cleanup(func() {
		_ = ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range held {
			_ = c.Close()
		}
	})
	return "http://" + ln.Addr().String() + "/hook"
}

// BenchmarkWebhookAPIWithHangingEndpoint: two sandboxes served on 127.0.0.1 in one run, one with an
// endpoint that accepts connections and never answers (subscribed to every pay-in event) and one with
// no endpoint; each op does the same round of API requests over HTTP on both, in alternating order,
// and every answer's latency is kept. A round creates an order, pays it (s.Pay, not timed: four
// events for the hanging endpoint), reads it and lists a page. Reported: p50 and p99 of each and the
// ratio of the p99s (hanging / none).
func BenchmarkWebhookAPIWithHangingEndpoint(b *testing.B) {
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

// apiRound makes one round of API requests (see BenchmarkWebhookAPIWithHangingEndpoint) and appends
// the latency of each answer, in milliseconds, to ms.
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
