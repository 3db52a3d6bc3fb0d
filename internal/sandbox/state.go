package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// The state file (Options.StateFile) keeps what a restarted sandbox needs to continue: the id prefix
// (with the sequences, ids never repeat), the business clock, the webhook signing key, and the generic
// tables (store.go: orders, merchants, refunds, balances, rates, webhook endpoints, and the webhook
// events with their logs and due retries, webhook_events_state.go). Faults,
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
	SuggestedSecret string `json:"suggested_secret"`
	ClockOffsetNS   int64  `json:"clock_offset_ns"`
	BusinessNowMS   int64  `json:"business_now_ms"` // the clock when saved; a restart never goes back before it
	// The orders and the order sequence as sandboxes wrote them before the orders joined the generic
	// tables: read (moved into Tables by upgradeLegacyOrders), never written.
	Seq    int64               `json:"seq,omitempty"`
	Orders []legacyStoredOrder `json:"orders,omitempty"`
	// The webhook endpoints and their sequence as sandboxes wrote them before the endpoints joined the
	// generic tables: read (moved into Tables by upgradeLegacyEndpoints), never written.
	EndpointSeq      int64                  `json:"endpoint_seq,omitempty"`
	WebhookEndpoints []legacyStoredEndpoint `json:"webhook_endpoints,omitempty"`
	// The webhook signing key's seed (webhook_key.go); absent from the files of sandboxes before webhooks.
	WebhookSecret string `json:"webhook_secret,omitempty"`
	// The webhook events and their sequence as sandboxes wrote them before the events joined the generic
	// tables: read (moved into Tables by upgradeLegacyEvents), never written.
	EventSeq      int64               `json:"event_seq,omitempty"`
	WebhookEvents []legacyStoredEvent `json:"webhook_events,omitempty"`
	// The generic tables (store.go: orders, merchants, refunds, balances, rates, webhook endpoints and
	// events, each event with its logs and retry status), by name; absent from the files of sandboxes
	// before them, which load with none.
	Tables map[string]json.RawMessage `json:"tables,omitempty"`
}

// legacyStoredOrder is an order in the files of sandboxes before the orders joined the generic tables.
type legacyStoredOrder struct {
	Organization string     `json:"organization"` // the lower-case hex API key
	Seq          int64      `json:"seq"`
	Order        cobo.Order `json:"order"`
}

// upgradeLegacyOrders moves the orders and order sequence of a file of an older sandbox into Tables,
// where they are checked and loaded like every table.
func (st *stateFile) upgradeLegacyOrders() error {
	if st.Orders == nil && st.Seq == 0 {
		return nil
	}
	legacy := storedTable[order]{Seq: st.Seq, Rows: make([]tableRow[order], len(st.Orders))}
	for i, so := range st.Orders {
		legacy.Rows[i] = tableRow[order]{Org: so.Organization, Seq: so.Seq, Value: order{Order: so.Order}}
	}
	if err := st.moveToTables(ordersTable, legacy); err != nil {
		return err
	}
	st.Seq, st.Orders = 0, nil
	return nil
}

// moveToTables puts a table of a file of an older sandbox, read from top-level fields, into Tables.
func (st *stateFile) moveToTables(name string, legacy any) error {
	if _, ok := st.Tables[name]; ok {
		return fmt.Errorf("%s is both a table and a top-level field", name)
	}
	raw, err := json.Marshal(legacy)
	if err != nil {
		return err
	}
	if st.Tables == nil {
		st.Tables = map[string]json.RawMessage{}
	}
	st.Tables[name] = raw
	return nil
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
	legacy := storedTable[webhookEndpoint]{Seq: st.EndpointSeq, Rows: make([]tableRow[webhookEndpoint], len(st.WebhookEndpoints))}
	for i, se := range st.WebhookEndpoints {
		legacy.Rows[i] = tableRow[webhookEndpoint]{Org: se.Organization, Seq: se.Seq, Value: webhookEndpoint{WebhookEndpoint: se.Endpoint, Pending: se.Pending}}
	}
	if err := st.moveToTables(webhookEndpointsTable, legacy); err != nil {
		return err
	}
	st.EndpointSeq, st.WebhookEndpoints = 0, nil
	return nil
}

// upgradeLegacyEvents moves the webhook events of a file of an older sandbox into Tables, where they
// are checked and loaded like every table.
func (st *stateFile) upgradeLegacyEvents() error {
	if st.WebhookEvents == nil && st.EventSeq == 0 {
		return nil
	}
	legacy := storedTable[webhookEvent]{Seq: st.EventSeq, Rows: make([]tableRow[webhookEvent], len(st.WebhookEvents))}
	for i, se := range st.WebhookEvents {
		legacy.Rows[i] = tableRow[webhookEvent]{Org: se.Organization, Seq: se.Seq,
			Value: webhookEvent{WebhookEvent: se.Event, EndpointID: se.EndpointID, Attempts: se.Attempts, Logs: se.Logs}}
	}
	if err := st.moveToTables(webhookEventsTable, legacy); err != nil {
		return err
	}
	st.EventSeq, st.WebhookEvents = 0, nil
	return nil
}

// legacyStoredEvent is a webhook event in the files of sandboxes before the events joined the generic
// tables.
type legacyStoredEvent struct {
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
	if err := st.upgradeLegacyOrders(); err != nil {
		return nil, err
	}
	if err := st.upgradeLegacyEndpoints(); err != nil {
		return nil, err
	}
	if err := st.upgradeLegacyEvents(); err != nil {
		return nil, err
	}
	return &st, nil
}

// applyStateLocked replaces the tables, events and clock with st (already checked by decodeState).
func (s *Sandbox) applyStateLocked(st *stateFile) {
	s.idPrefix, s.suggestedSecret = st.IDPrefix, st.SuggestedSecret
	offset := st.ClockOffsetNS
	if behind := st.BusinessNowMS - s.baseNow().Add(time.Duration(offset)).UnixMilli(); behind > 0 {
		offset += int64(time.Duration(behind) * time.Millisecond) // the wall clock went back: the business clock does not
	}
	s.offset.Store(offset)
	_ = s.tables.loadAll(st.Tables) // verified when the file was read or written
	s.applyRateOptionsLocked()
}

// snapshotLocked is the state to save.
func (s *Sandbox) snapshotLocked() (st *stateFile, err error) {
	st = &stateFile{
		Format: stateFormat, Version: stateVersion, IDPrefix: s.idPrefix, SuggestedSecret: s.suggestedSecret,
		ClockOffsetNS: s.offset.Load(), BusinessNowMS: s.Now().UnixMilli(),
	}
	st.WebhookSecret = s.webhookKey.seed
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
				s.applyStateLocked(st) // tables keep their sequences (table.load): a number handed out is never handed out again
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
