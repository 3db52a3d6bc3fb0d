package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// The state file (Options.StateFile) keeps what a restarted sandbox needs to continue: the orders of
// every organization, the order sequence and the id prefix (so ids never repeat), the business clock,
// the webhook signing key, the webhook events with their logs and due retries (webhook_events_state.go),
// and the generic tables (store.go: merchants, refunds, balances, rates, webhook endpoints). Faults,
// recorded requests and extra order fields are test scaffolding and are not kept.
//
// Every change is written before its answer is sent, atomically (a temporary file in the same
// directory, fsync, rename, fsync of the directory), so a kill at any moment leaves either the old or
// the new file, never a torn one. A file that cannot be read is refused at start and never written.

const (
	stateFormat  = "cobo-sandbox-state"
	stateVersion = 1
)

type stateFile struct {
	Format   string `json:"format"`
	Version  int    `json:"version"`
	IDPrefix string `json:"id_prefix"`
	// SuggestedSecret is the API secret cobo-sandbox prints; kept so that a restart prints the same one,
	// whose organization owns the orders. A random sandbox-only secret, never one a user passed in.
	SuggestedSecret string        `json:"suggested_secret"`
	Seq             int64         `json:"seq"`
	ClockOffsetNS   int64         `json:"clock_offset_ns"`
	BusinessNowMS   int64         `json:"business_now_ms"` // the clock when saved; a restart never goes back before it
	Orders          []storedOrder `json:"orders"`
	// The webhook endpoints and their sequence as sandboxes wrote them before the endpoints joined the
	// generic tables: read (moved into Tables by upgradeLegacyEndpoints), never written.
	EndpointSeq      int64                  `json:"endpoint_seq,omitempty"`
	WebhookEndpoints []legacyStoredEndpoint `json:"webhook_endpoints,omitempty"`
	// The webhook signing key's seed (webhook_key.go) and the webhook events with their logs (each
	// event's status, retries_left and next_retry_timestamp say which retries are due); absent from the
	// files of sandboxes before webhooks.
	WebhookSecret string        `json:"webhook_secret,omitempty"`
	EventSeq      int64         `json:"event_seq,omitempty"`
	WebhookEvents []storedEvent `json:"webhook_events,omitempty"`
	// The generic tables (store.go: merchants, refunds, balances, rates, webhook endpoints), by name;
	// absent from the files of sandboxes before them, which load with none.
	Tables map[string]json.RawMessage `json:"tables,omitempty"`
}

type storedOrder struct {
	Organization string     `json:"organization"` // the lower-case hex API key
	Seq          int64      `json:"seq"`
	Order        cobo.Order `json:"order"`
}

// legacyStoredEndpoint is an endpoint in the files of sandboxes before the generic tables.
type legacyStoredEndpoint struct {
	Organization string               `json:"organization"` // the lower-case hex API key
	Seq          int64                `json:"seq"`
	Endpoint     cobo.WebhookEndpoint `json:"endpoint"`
	Pending      *endpointChange      `json:"pending,omitempty"` // the update or revoke awaiting approval
}

// upgradeLegacyEndpoints moves the endpoints of a file of an older sandbox into Tables, where they are
// checked and loaded like every table.
func (st *stateFile) upgradeLegacyEndpoints() error {
	if st.WebhookEndpoints == nil && st.EndpointSeq == 0 {
		return nil
	}
	if _, ok := st.Tables[webhookEndpointsTable]; ok {
		return errors.New("webhook_endpoints is both a table and a top-level field")
	}
	legacy := storedTable[webhookEndpoint]{Seq: st.EndpointSeq, Rows: make([]tableRow[webhookEndpoint], len(st.WebhookEndpoints))}
	for i, se := range st.WebhookEndpoints {
		legacy.Rows[i] = tableRow[webhookEndpoint]{Org: se.Organization, Seq: se.Seq, Value: webhookEndpoint{WebhookEndpoint: se.Endpoint, Pending: se.Pending}}
	}
	raw, err := json.Marshal(legacy)
	if err != nil {
		return err
	}
	if st.Tables == nil {
		st.Tables = map[string]json.RawMessage{}
	}
	st.Tables[webhookEndpointsTable] = raw
	st.EndpointSeq, st.WebhookEndpoints = 0, nil
	return nil
}

type storedEvent struct {
	Organization string                 `json:"organization"` // the lower-case hex API key
	EndpointID   string                 `json:"endpoint_id"`
	Seq          int64                  `json:"seq"`
	Attempts     int                    `json:"attempts"` // scheduled attempts made
	Event        cobo.WebhookEvent      `json:"event"`
	Logs         []cobo.WebhookEventLog `json:"logs,omitempty"`
}

// stateStore is the file behind a Sandbox opened with Options.StateFile.
type stateStore struct {
	path string
	last []byte // the content of the file as last written or read: what a failed write rolls back to
}

// loadState reads the state file at path into s; a missing file starts an empty state and writes it.
func (s *Sandbox) loadState(path string) error {
	s.store = &stateStore{path: path}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if err := s.commitLocked(); err != nil {
			return fmt.Errorf("state file %s: cannot be created: %w", path, err)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("state file %s: cannot be read: %w", path, err)
	}
	st, err := decodeState(data)
	if err == nil {
		err = s.tables.verifyAll(st.Tables)
	}
	if err != nil {
		return fmt.Errorf("state file %s is not a cobo-sandbox state (%w); it was left untouched: move it away or pass another -state file", path, err)
	}
	s.applyStateLocked(st)
	s.store.last = data
	return s.loadWebhookKeyLocked(st.WebhookSecret)
}

// loadWebhookKeyLocked signs with the state's webhook key unless Options.WebhookSecret fixes another,
// saving the key in use when the file does not hold it yet; the events the file holds are then sent.
func (s *Sandbox) loadWebhookKeyLocked(saved string) error {
	if s.opts.WebhookSecret == "" && saved != "" {
		key, err := newWebhookKey(saved)
		if err != nil {
			return fmt.Errorf("state file %s: webhook_secret: %w", s.store.path, err)
		}
		s.webhookKey = key
	}
	if s.webhookKey.seed != saved {
		if err := s.commitLocked(); err != nil {
			return err
		}
	}
	s.queuePendingLocked()
	return nil
}

// decodeState parses and checks a state file, so that a truncated or foreign file is refused rather
// than served as a half-empty sandbox.
func decodeState(data []byte) (*stateFile, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var st stateFile
	if err := dec.Decode(&st); err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	if dec.More() {
		return nil, errors.New("invalid JSON: more than one value")
	}
	if st.Format != stateFormat || st.Version != stateVersion {
		return nil, fmt.Errorf("format %q version %d, want %q version %d", st.Format, st.Version, stateFormat, stateVersion)
	}
	if st.IDPrefix == "" || st.Seq < 0 || !isHex(st.SuggestedSecret, 64) {
		return nil, errors.New("id_prefix is empty, seq is negative or suggested_secret is not 64 hex characters")
	}
	if err := checkStoredEvents(st.WebhookEvents, st.EventSeq); err != nil {
		return nil, err
	}
	ids := make(map[string]bool, len(st.Orders))
	seqs := make(map[int64]bool, len(st.Orders))
	for i, so := range st.Orders {
		if err := checkStoredOrder(so, st.Seq); err != nil {
			return nil, fmt.Errorf("orders[%d]: %w", i, err)
		}
		if ids[so.Order.OrderID] || seqs[so.Seq] {
			return nil, fmt.Errorf("orders[%d]: order_id %q or seq %d appears twice", i, so.Order.OrderID, so.Seq)
		}
		ids[so.Order.OrderID], seqs[so.Seq] = true, true
	}
	if err := st.upgradeLegacyEndpoints(); err != nil {
		return nil, err
	}
	return &st, nil
}

func checkStoredOrder(so storedOrder, maxSeq int64) error {
	o := so.Order
	switch {
	case o.OrderID == "" || o.PspOrderCode == "":
		return errors.New("order_id or psp_order_code is empty")
	case !isHex(so.Organization, 64):
		return errors.New("organization is not a 64-character hex API key")
	case so.Seq < 1 || so.Seq > maxSeq:
		return fmt.Errorf("seq %d is not between 1 and %d", so.Seq, maxSeq)
	case o.ExpiredAt == nil || o.PayableCurrency == nil:
		return errors.New("expired_at or payable_currency is missing")
	case !isOrderStatus(o.Status):
		return fmt.Errorf("status %q is not an order status", o.Status)
	}
	for _, v := range []string{o.PayableAmount, o.ReceivedTokenAmount} {
		if _, _, ok := parseDecimal(v); !ok {
			return fmt.Errorf("amount %q is not a decimal", v)
		}
	}
	if o.AmountTolerance != nil {
		if _, _, ok := parseDecimal(*o.AmountTolerance); !ok {
			return fmt.Errorf("amount_tolerance %q is not a decimal", *o.AmountTolerance)
		}
	}
	return nil
}

// applyStateLocked replaces the orders, sequence and clock with st (already checked by decodeState).
func (s *Sandbox) applyStateLocked(st *stateFile) {
	s.orders = make(map[string]*order, len(st.Orders))
	s.orgs = make(map[string][]*order)
	s.pspCodes = make(map[string]map[string]*order)
	s.idPrefix, s.seq, s.suggestedSecret = st.IDPrefix, st.Seq, st.SuggestedSecret
	offset := st.ClockOffsetNS
	if behind := st.BusinessNowMS - s.baseNow().Add(time.Duration(offset)).UnixMilli(); behind > 0 {
		offset += int64(time.Duration(behind) * time.Millisecond) // the wall clock went back: the business clock does not
	}
	s.offset.Store(offset)
	stored := slices.Clone(st.Orders)
	slices.SortFunc(stored, func(a, b storedOrder) int { return int(a.Seq - b.Seq) })
	for _, so := range stored {
		o := &order{Order: cloneOrder(&so.Order), org: so.Organization, seq: so.Seq, expiredAt: *so.Order.ExpiredAt}
		o.payable, _, _ = parseDecimal(o.PayableAmount)
		o.received, o.receivedDecimals, _ = parseDecimal(o.ReceivedTokenAmount)
		o.tolerance = new(big.Rat)
		if o.AmountTolerance != nil {
			o.tolerance, _, _ = parseDecimal(*o.AmountTolerance)
		}
		s.insertLocked(o)
	}
	s.applyEventsLocked(st)
	_ = s.tables.loadAll(st.Tables) // verified when the file was read or written
	s.applyRateOptionsLocked()
}

// snapshotLocked is the state to save.
func (s *Sandbox) snapshotLocked() (st *stateFile, err error) {
	st = &stateFile{
		Format: stateFormat, Version: stateVersion, IDPrefix: s.idPrefix, Seq: s.seq, SuggestedSecret: s.suggestedSecret,
		ClockOffsetNS: s.offset.Load(), BusinessNowMS: s.Now().UnixMilli(),
		Orders: make([]storedOrder, 0, len(s.orders)),
	}
	for _, o := range s.orders {
		st.Orders = append(st.Orders, storedOrder{Organization: o.org, Seq: o.seq, Order: cloneOrder(&o.Order)})
	}
	slices.SortFunc(st.Orders, func(a, b storedOrder) int { return int(a.Seq - b.Seq) })
	st.WebhookSecret, st.EventSeq, st.WebhookEvents = s.webhookKey.seed, s.events.seq, s.storedEventsLocked()
	st.Tables, err = s.tables.saveAll()
	return st, err
}

// commitLocked writes the state file (when there is one) before a change is answered. When the write
// fails, the in-memory state goes back to the last written state, so memory and file never disagree
// and the caller answers an error.
func (s *Sandbox) commitLocked() error {
	if s.store == nil {
		s.queueSavedLocked()
		return nil
	}
	if s.closed {
		s.events.unsaved = nil
		return errors.New("the sandbox is shutting down")
	}
	st, err := s.snapshotLocked()
	var data []byte
	if err == nil {
		data, err = json.MarshalIndent(st, "", "  ")
	}
	if err == nil {
		err = writeFileAtomic(s.store.path, append(data, '\n'))
	}
	if err != nil {
		if s.store.last != nil {
			if st, derr := decodeState(s.store.last); derr == nil {
				seq := s.seq
				s.applyStateLocked(st) // tables keep their sequences (table.load)
				s.seq = seq            // a number handed out is never handed out again
				s.queuePendingLocked() // the saved events not yet delivered, again
			}
		}
		s.events.unsaved = nil // gone with the change that made them
		return fmt.Errorf("saving the state file %s: %w", s.store.path, err)
	}
	s.store.last = append(data, '\n')
	s.queueSavedLocked()
	return nil
}

// writeFileAtomic replaces path with data so that a crash leaves either the old or the new content.
func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() { _ = os.Remove(tmp.Name()) }() // a no-op after the rename
	if _, err := tmp.Write(data); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer func() { _ = d.Close() }()
	return d.Sync() // the rename itself survives a power loss
}

// Close makes the sandbox refuse further changes (each answers an error) once the change in progress,
// if any, is written, and stops webhook delivery (an attempt in flight is cut, not logged, and sent
// again by a restarted sandbox). Call it after the HTTP server stopped, before the process exits.
func (s *Sandbox) Close() {
	s.mu.Lock()
	s.closed = true
	d := s.delivery
	s.mu.Unlock()
	s.stopDelivery(d)
}
