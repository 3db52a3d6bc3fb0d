package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// The demo's stand-in for the merchant's app: the webhook receiver that cobo_webhook_endpoint registers.
// It verifies each delivery with the sandbox's webhook public key and keeps the first delivery of each
// event_id, as an app must (Cobo sends an event again until it is acknowledged).

// maxEventBytes bounds the body read; an event is a few kilobytes.
const maxEventBytes = 1 << 20

// receivedEvent is what the demo prints of an event. ID is what the event is about: the order_id of an
// order or payment event, the refund_id of a refund event, and for a balance event the source_id (the
// order or refund that moved the money), with Account the balance it moved (a merchant id or
// "developer"). Status is the order's or refund's; a balance event has Direction, Amount and After.
type receivedEvent struct {
	EventID string
	Type    string
	ID      string
	Status  string
	Account string
	// Balance events only: in or out, how much, and the balance after.
	Direction, Amount, After string
}

type receiver struct {
	publicKey string // hex Ed25519, the sandbox's webhook key
	url       string
	server    *http.Server

	mu       sync.Mutex // guards the fields below
	seen     map[string]bool
	events   []receivedEvent
	repeats  int
	rejected []string
}

// startReceiver serves the receiver on a free loopback port; its URL is what the endpoint registers.
func startReceiver(publicKey string) (*receiver, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("starting the webhook receiver: %w", err)
	}
	rc := newReceiver(publicKey)
	rc.url = "http://" + ln.Addr().String() + "/cobo/events"
	rc.server = &http.Server{Handler: rc, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = rc.server.Serve(ln) }()
	return rc, nil
}

func newReceiver(publicKey string) *receiver {
	return &receiver{publicKey: publicKey, seen: map[string]bool{}}
}

func (rc *receiver) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = rc.server.Shutdown(ctx)
}

// ServeHTTP answers 400 (cobo.WebhookRejectStatus, as the guide advises) to a delivery whose signature
// does not verify and to a body that is not an event, and 200 to every verified event, a repeat included: it is acknowledged, just not kept twice.
func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxEventBytes))
	if err != nil {
		rc.reject(w, http.StatusBadRequest, fmt.Sprintf("reading the body: %v", err))
		return
	}
	// The raw bytes, as received, are what the signature covers.
	timestamp, signature := cobo.WebhookSignatureHeaders(r.Header)
	if err := cobo.VerifyWebhook(rc.publicKey, signature, body, timestamp); err != nil {
		rc.reject(w, cobo.WebhookRejectStatus, err.Error())
		return
	}
	ev, err := decodeEvent(body)
	if err != nil {
		rc.reject(w, http.StatusBadRequest, err.Error())
		return
	}
	rc.keep(ev)
	w.WriteHeader(http.StatusOK)
}

// decodeEvent reads the fields the demo shows: data is a PaymentOrder or a PaymentTransaction (with
// order_id and status), a PaymentRefund (refund_id, its order_id, status) or a
// PaymentAccountBalanceUpdate (source_account, source_id, flow_direction, amount, balance_after).
func decodeEvent(body []byte) (receivedEvent, error) {
	var ev struct {
		EventID string `json:"event_id"`
		Type    string `json:"type"`
		Data    struct {
			OrderID       string `json:"order_id"`
			RefundID      string `json:"refund_id"`
			Status        string `json:"status"`
			SourceAccount string `json:"source_account"`
			SourceID      string `json:"source_id"`
			FlowDirection string `json:"flow_direction"`
			Amount        string `json:"amount"`
			BalanceAfter  string `json:"balance_after"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &ev); err != nil || ev.EventID == "" {
		return receivedEvent{}, errors.New("the body is not a webhook event with an event_id")
	}
	d := ev.Data
	out := receivedEvent{EventID: ev.EventID, Type: ev.Type, ID: cmp.Or(d.RefundID, d.OrderID), Status: d.Status}
	if d.SourceAccount != "" {
		out.ID, out.Account, out.Direction, out.Amount, out.After = d.SourceID, d.SourceAccount, d.FlowDirection, d.Amount, d.BalanceAfter
	}
	return out, nil
}

func (rc *receiver) keep(ev receivedEvent) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.seen[ev.EventID] {
		rc.repeats++
		return
	}
	rc.seen[ev.EventID] = true
	rc.events = append(rc.events, ev)
}

func (rc *receiver) reject(w http.ResponseWriter, status int, reason string) {
	rc.mu.Lock()
	rc.rejected = append(rc.rejected, fmt.Sprintf("%d %s", status, reason))
	rc.mu.Unlock()
	http.Error(w, reason, status)
}

// snapshot returns copies of what the receiver has so far.
func (rc *receiver) snapshot() (events []receivedEvent, repeats int, rejected []string) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]receivedEvent(nil), rc.events...), rc.repeats, append([]string(nil), rc.rejected...)
}

// expectedEvent is an event the demo waits for (ID and Account as in receivedEvent); an empty Status
// or Account matches any.
type expectedEvent struct {
	Type, ID, Status, Account string
}

func (e expectedEvent) String() string {
	s := e.Type + " for " + e.ID
	if e.Account != "" {
		s += " in " + e.Account
	}
	if e.Status != "" {
		s += " (" + e.Status + ")"
	}
	return s
}

func (e expectedEvent) matches(ev receivedEvent) bool {
	return ev.Type == e.Type && ev.ID == e.ID && (e.Status == "" || ev.Status == e.Status) && (e.Account == "" || ev.Account == e.Account)
}

// missing lists the expected events not among got.
func missing(want []expectedEvent, got []receivedEvent) []expectedEvent {
	var out []expectedEvent
	for _, w := range want {
		if !slices.ContainsFunc(got, w.matches) {
			out = append(out, w)
		}
	}
	return out
}

// inStoryOrder sorts events as want lists them (the order things happened), the unexpected ones last:
// deliveries run concurrently, so they arrive in any order, as Cobo's do.
func inStoryOrder(events []receivedEvent, want []expectedEvent) []receivedEvent {
	rank := func(ev receivedEvent) int {
		for i, w := range want {
			if w.matches(ev) {
				return i
			}
		}
		return len(want)
	}
	sorted := slices.Clone(events)
	slices.SortStableFunc(sorted, func(x, y receivedEvent) int { return rank(x) - rank(y) })
	return sorted
}

// waitFor polls until every expected event arrived, or fails after timeout (deliveries are
// asynchronous: the sandbox answers the API first and delivers in the background).
func (rc *receiver) waitFor(ctx context.Context, want []expectedEvent, timeout time.Duration) ([]receivedEvent, error) {
	deadline := time.Now().Add(timeout)
	for {
		got, _, rejected := rc.snapshot()
		left := missing(want, got)
		if len(left) == 0 {
			return got, nil
		}
		if time.Now().After(deadline) {
			return got, waitError(left, len(want), rejected, timeout)
		}
		select {
		case <-ctx.Done():
			return got, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func waitError(left []expectedEvent, total int, rejected []string, timeout time.Duration) error {
	names := make([]string, len(left))
	for i, e := range left {
		names[i] = e.String()
	}
	msg := fmt.Sprintf("the webhook receiver got %d of the %d expected events within %s; missing: %s",
		total-len(left), total, timeout, strings.Join(names, "; "))
	if len(rejected) > 0 {
		msg += "; deliveries it rejected: " + strings.Join(rejected, "; ")
	}
	return errors.New(msg)
}
