package sandbox

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// Delivery: every saved event is POSTed to its endpoint's url, signed with the sandbox's webhook key
// (both header spellings, cobo.SetWebhookSignatureHeaders). A 200 or 201 within
// cobo.WebhookDeliveryTimeout is Success; anything else (a redirect, another status, a timeout, a
// refused connection) is Retrying with next_retry_timestamp after cobo.WebhookRetrySchedule on the
// sandbox clock, and Failed after cobo.WebhookMaxRetries retries. One log per attempt.
//
// Nothing is sent while Sandbox.mu is held, and each endpoint has its own queue served by at most
// deliveryWorkersPerEndpoint goroutines, so an endpoint that hangs delays neither an API answer nor
// another endpoint. A scheduler goroutine queues the retries that fall due (at once after Advance),
// expires orders whose time passed (so their events go out without a read) and saves events that a
// read created. Close stops all of them; an attempt cut by Close is not logged and is sent again by a
// restarted sandbox.

// deliveryWorkersPerEndpoint bounds the goroutines (and connections) one endpoint can hold.
const deliveryWorkersPerEndpoint = 8

// schedulerTick is how often the scheduler looks for due retries and expired orders by itself.
const schedulerTick = time.Second

// deliverer is the delivery machinery of one Sandbox; its maps are guarded by Sandbox.mu.
type deliverer struct {
	ctx     context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	wakeCh  chan struct{}
	queues  map[string]*endpointQueue // by endpoint id
	clients deliveryClients
	sweptAt int64 // the sandbox clock's second of the last expiry sweep (expireDueLocked)
}

// endpointQueue is the events waiting for one endpoint, in the order they fell due.
type endpointQueue struct {
	events  []*webhookEvent
	workers int
}

// deliveryJob is one attempt, prepared under the lock and sent without it.
type deliveryJob struct {
	ev        *webhookEvent
	snapshot  cobo.WebhookEvent // the event when the attempt was taken: what is sent
	scheduled bool              // a scheduled attempt (counts toward the retries), not a manual retry
	body      []byte
	header    http.Header
	fault     *Fault // a delivery fault (duplicate, delay) taken for this attempt
}

// ensureDeliveryLocked starts the delivery machinery, once, unless the sandbox is closed.
func (s *Sandbox) ensureDeliveryLocked() {
	if s.delivery != nil || s.closed {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.delivery = &deliverer{ctx: ctx, cancel: cancel, wakeCh: make(chan struct{}, 1),
		queues: map[string]*endpointQueue{}, clients: newDeliveryClients(s.opts.DeliverRemote)}
	s.delivery.wg.Add(1)
	go s.runScheduler()
}

// wake makes the scheduler look at once (after Advance, or for events a read created).
func (d *deliverer) wake() {
	if d == nil {
		return
	}
	select {
	case d.wakeCh <- struct{}{}:
	default:
	}
}

func (d *deliverer) stopped() bool { return d.ctx.Err() != nil }

// stopDelivery stops the scheduler and the workers and waits for them (called by Close, without the lock).
func (s *Sandbox) stopDelivery(d *deliverer) {
	if d == nil {
		return
	}
	d.cancel()
	d.clients.closeIdle()
	d.wg.Wait()
}

// queueLocked puts an event in its endpoint's queue and starts a worker when the queue has room for one.
func (s *Sandbox) queueLocked(ev *webhookEvent) {
	d := s.delivery
	if ev.queued || d == nil || d.stopped() {
		return
	}
	ev.queued = true
	delete(s.events.retrying, ev)
	q := d.queues[ev.EndpointID]
	if q == nil {
		q = &endpointQueue{}
		d.queues[ev.EndpointID] = q
	}
	q.events = append(q.events, ev)
	if q.workers < deliveryWorkersPerEndpoint {
		q.workers++
		d.wg.Add(1)
		go s.deliveryWorker(d, ev.EndpointID, q)
	}
}

// queueSavedLocked hands the events of the change just saved to delivery.
func (s *Sandbox) queueSavedLocked() {
	for _, ev := range s.events.unsaved {
		if s.events.holds(ev) {
			s.queueLocked(ev)
		}
	}
	s.events.unsaved = nil
}

// deliveryWorker sends the endpoint's queued events one after another until the queue is empty.
// Only taking the next event and recording the outcome hold the lock: encoding, signing and sending
// do not, so a burst of deliveries does not slow the API down.
func (s *Sandbox) deliveryWorker(d *deliverer, endpointID string, q *endpointQueue) {
	defer d.wg.Done()
	for {
		job := s.nextJob(d, endpointID, q)
		if job == nil {
			return
		}
		s.signJob(job)
		results := d.clients.send(d.ctx, job, s.opts.DeliverRemote)
		if d.stopped() {
			return // cut by Close: not logged; the event is sent again after a restart
		}
		s.logDelivery(job, results) // before the record, so whoever sees the attempt sees its line
		s.recordAttempt(job, results)
	}
}

// nextJob takes the endpoint's next event and the event as it is now, or ends the worker (nil).
func (s *Sandbox) nextJob(d *deliverer, endpointID string, q *endpointQueue) *deliveryJob {
	s.mu.Lock()
	defer s.mu.Unlock()
	for len(q.events) > 0 && !d.stopped() {
		ev := q.events[0]
		q.events = q.events[1:]
		if !s.events.holds(ev) { // dropped by Reset or a failed save
			continue
		}
		job := &deliveryJob{ev: ev, snapshot: ev.eventJSON(), scheduled: !ev.manual, fault: s.takeDeliveryFault(ev.Type)}
		ev.manual = false
		return job
	}
	q.workers--
	if q.workers == 0 && d.queues[endpointID] == q {
		delete(d.queues, endpointID)
	}
	return nil
}

// signJob encodes the event as it was taken (the delivered body is the WebhookEvent) and signs it with
// the sandbox clock's time (the key never changes after Open).
func (s *Sandbox) signJob(job *deliveryJob) {
	job.body = encodeEvent(job.snapshot)
	ts := strconv.FormatInt(s.Now().UnixMilli(), 10)
	job.header = http.Header{"Content-Type": {"application/json"}, "User-Agent": {"cobo-sandbox-webhooks/1"}}
	cobo.SetWebhookSignatureHeaders(job.header, ts, cobo.SignWebhook(s.webhookKey.private, job.body, ts))
}

// encodeEvent is json.Marshal of the event without re-validating its data, which the sandbox encoded
// itself (encoding/json would scan and compact the whole raw data again for every attempt).
func encodeEvent(ev cobo.WebhookEvent) []byte {
	data := ev.Data
	ev.Data = nil
	b, _ := json.Marshal(&ev)
	// "data":null with its quotes unescaped can only be the key: inside a string they would be \"
	return bytes.Replace(b, []byte(`"data":null`), append([]byte(`"data":`), data...), 1)
}

// recordAttempt logs the attempt's sends and settles the event's status, then saves.
func (s *Sandbox) recordAttempt(job *deliveryJob, results []attemptResult) {
	now := s.Now()
	logs := make([]cobo.WebhookEventLog, len(results))
	for i, r := range results {
		logs[i] = r.log(job, now)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ev := job.ev
	ev.queued = false
	if !s.events.holds(ev) {
		return
	}
	s.settleLocked(ev, results[0].ok(), job.scheduled)
	for i := range logs {
		logs[i].Status = ev.Status // the event's status after this attempt (cobo.WebhookEventLogStatus)
	}
	ev.Logs = append(ev.Logs, logs...)
	_ = s.commitLocked() // a failed save rolls back to the last saved state, where the attempt is still due
}

// settleLocked sets the event's status after an attempt. A failed manual retry changes nothing.
func (s *Sandbox) settleLocked(ev *webhookEvent, delivered, scheduled bool) {
	if delivered {
		ev.Status, ev.NextRetryTimestamp, ev.RetriesLeft = cobo.EventStatusSuccess, nil, nil
		delete(s.events.retrying, ev)
		return
	}
	if !scheduled {
		if ev.Status == cobo.EventStatusRetrying {
			s.events.retrying[ev] = true
		}
		return
	}
	ev.Attempts++
	if ev.Attempts > cobo.WebhookMaxRetries {
		ev.Status, ev.NextRetryTimestamp, ev.RetriesLeft = cobo.EventStatusFailed, nil, nil
		delete(s.events.retrying, ev)
		return
	}
	next := s.Now().Add(cobo.WebhookRetrySchedule[ev.Attempts-1]).UnixMilli()
	left := cobo.WebhookMaxRetries - ev.Attempts + 1
	ev.Status, ev.NextRetryTimestamp, ev.RetriesLeft = cobo.EventStatusRetrying, &next, &left
	s.events.retrying[ev] = true
}

// runScheduler queues due retries, expires orders and saves events a read created, every
// schedulerTick and whenever woken, until Close.
func (s *Sandbox) runScheduler() {
	d := s.delivery
	defer d.wg.Done()
	t := time.NewTicker(schedulerTick)
	defer t.Stop()
	for {
		select {
		case <-d.ctx.Done():
			return
		case <-t.C:
		case <-d.wakeCh:
		}
		s.runDue()
	}
}

// runDue is one scheduler pass.
func (s *Sandbox) runDue() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	s.expireDueLocked()
	s.events.forgetOlderThan(s.Now().Add(-cobo.WebhookEventRetention).UnixMilli())
	if len(s.events.unsaved) > 0 {
		_ = s.commitLocked() // queues them once saved; a failed save drops them with the change
	}
	now := s.Now().UnixMilli()
	for ev := range s.events.retrying {
		if ev.NextRetryTimestamp == nil || *ev.NextRetryTimestamp <= now {
			s.queueLocked(ev)
		}
	}
}

// expireDueLocked applies the expiry of every open order whose time passed, so that its status event
// is sent when the clock passes it, not at the next read. Expiry has a granularity of a second: the
// orders are looked at once per second of the sandbox clock, however often the scheduler wakes.
func (s *Sandbox) expireDueLocked() {
	now := s.Now()
	if s.webhookEndpoints.len() == 0 || now.Unix() == s.delivery.sweptAt {
		return
	}
	s.delivery.sweptAt = now.Unix()
	for _, r := range s.orders.byID {
		if o := &r.Value; o.Status == cobo.StatusPending || o.Status == cobo.StatusProcessing {
			s.advanceLocked(o, now)
		}
	}
}

// queuePendingLocked starts delivery after a load: the events never attempted (those saved before a
// kill, or cut by Close) are queued at once, the Retrying ones fall due on the clock.
func (s *Sandbox) queuePendingLocked() {
	var list []*tableRow[webhookEvent]
	for _, r := range s.events.byID {
		if r.Value.Status == "" {
			list = append(list, r)
		}
	}
	if len(list) == 0 && len(s.events.retrying) == 0 && s.webhookEndpoints.len() == 0 {
		return
	}
	s.ensureDeliveryLocked()
	slices.SortFunc(list, func(a, b *tableRow[webhookEvent]) int { return cmp.Compare(a.Seq, b.Seq) }) // oldest first
	for _, r := range list {
		s.queueLocked(&r.Value)
	}
	s.delivery.wake()
}

// retryEventLocked queues a manual attempt of a Retrying or Failed event (the retry route).
func (s *Sandbox) retryEventLocked(ev *webhookEvent) {
	s.ensureDeliveryLocked()
	if !ev.queued {
		ev.manual = true
		s.queueLocked(ev)
	}
}

// logDelivery writes one line per send to Options.Log: time, the event type and id, the url, the
// answer's status (0: none) and the time it took, or why it failed. Never the body or signature.
func (s *Sandbox) logDelivery(job *deliveryJob, results []attemptResult) {
	if s.opts.Log == nil {
		return
	}
	for _, r := range results {
		outcome := "delivered"
		if !r.ok() {
			outcome = "failed: " + r.failure
		}
		line := fmt.Sprintf("%s WEBHOOK %s %s -> %s %d %s %s\n", time.Now().UTC().Format("2006-01-02T15:04:05.000Z"),
			job.ev.Type, job.ev.EventID, sanitizeForLog(job.ev.URL), r.status, r.elapsed.Round(time.Microsecond), sanitizeForLog(outcome))
		s.logMu.Lock()
		_, _ = io.WriteString(s.opts.Log, line)
		s.logMu.Unlock()
	}
}
