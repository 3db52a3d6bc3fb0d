package sandbox

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// A table holds one kind of entity of every organization: by id, by organization in creation order,
// and a sequence that is never reset (so ids made from it never repeat). The tables registered in
// initTables are what -state persists beside the id prefix, clock and webhook key (state.go keeps
// the file format): a new entity adds a table and a registration, not a change to state.go. Every
// table is guarded by Sandbox.mu.

// tableRow is one stored entity with the organization (the lower-case hex API key) that owns it and
// its place in the sequence. It is also the row's form in the state file.
type tableRow[T any] struct {
	Org   string `json:"organization"`
	Seq   int64  `json:"seq"`
	Value T      `json:"value"`
}

// table is the rows of one entity. id names a row within every organization; check refuses a row a
// sandbox could not have saved (it is run on load).
type table[T any] struct {
	name  string
	id    func(*T) string
	check func(*T) error
	// unique, when set, is a second key that no two rows of an organization share (orders:
	// psp_order_code), found with getUnique.
	unique func(*T) string
	// loaded, when set, rebuilds what a row keeps beside its saved fields, after a load.
	loaded   func(*tableRow[T])
	seq      int64
	byID     map[string]*tableRow[T]
	byOrg    map[string][]*tableRow[T]
	byUnique map[string]*tableRow[T]
}

func newTable[T any](name string, id func(*T) string, check func(*T) error) *table[T] {
	t := &table[T]{name: name, id: id, check: check}
	t.reset()
	return t
}

// reset forgets every row; the sequence goes on.
func (t *table[T]) reset() {
	t.byID = map[string]*tableRow[T]{}
	t.byOrg = map[string][]*tableRow[T]{}
	t.byUnique = map[string]*tableRow[T]{}
}

// nextSeq hands out the next sequence number (never given back, even when the change is undone).
func (t *table[T]) nextSeq() int64 {
	t.seq++
	return t.seq
}

// insert adds a row made with nextSeq; rows must be inserted in sequence order.
func (t *table[T]) insert(org string, seq int64, v T) *tableRow[T] {
	r := &tableRow[T]{Org: org, Seq: seq, Value: v}
	t.byID[rowKey(org, t.id(&r.Value))] = r
	t.byOrg[org] = append(t.byOrg[org], r)
	if t.unique != nil {
		t.byUnique[rowKey(org, t.unique(&r.Value))] = r
	}
	return r
}

// get is the row of org with that id, or nil (a row of another organization is not found).
func (t *table[T]) get(org, id string) *tableRow[T] { return t.byID[rowKey(org, id)] }

// getUnique is the row of org whose unique key is key, or nil.
func (t *table[T]) getUnique(org, key string) *tableRow[T] { return t.byUnique[rowKey(org, key)] }

// rowKey is a row's key in byID: ids are unique per organization (every organization has a default
// merchant M1001).
func rowKey(org, id string) string { return org + "/" + id }

// find is the row with that id in any organization (for the helpers, which have no organization); the
// first made wins when two organizations share it.
func (t *table[T]) find(id string) *tableRow[T] {
	var found *tableRow[T]
	for _, r := range t.byID {
		if t.id(&r.Value) == id && (found == nil || r.Seq < found.Seq) {
			found = r
		}
	}
	return found
}

// page is the page q asks for of org's rows that match, oldest first, and its pagination; a cursor
// that is not a row of org is an error naming what the cursor must be (idName).
func (t *table[T]) page(org string, q pageQuery, idName string, match func(*T) bool) ([]*tableRow[T], cobo.Pagination, *response) {
	var cursorSeq int64
	if c := q.cursor(); c != "" {
		r := t.get(org, c)
		if r == nil {
			return nil, cobo.Pagination{}, q.badCursor(idName)
		}
		cursorSeq = r.Seq
	}
	var matching []*tableRow[T]
	for _, r := range t.byOrg[org] {
		if match(&r.Value) {
			matching = append(matching, r)
		}
	}
	rows, p := pageOf(matching, q, cursorSeq, func(r *tableRow[T]) int64 { return r.Seq }, func(r *tableRow[T]) string { return t.id(&r.Value) })
	return rows, p, nil
}

// dropOldest removes the rows that drop selects among each organization's oldest rows, those before
// the first for which old does not hold (the webhook events' retention); their sequence numbers are
// not reused.
func (t *table[T]) dropOldest(old, drop func(*T) bool) {
	for org, rows := range t.byOrg {
		kept := rows[:0:0]
		n := 0
		for ; n < len(rows) && old(&rows[n].Value); n++ {
			if r := rows[n]; drop(&r.Value) {
				delete(t.byID, rowKey(org, t.id(&r.Value)))
				if t.unique != nil {
					delete(t.byUnique, rowKey(org, t.unique(&r.Value)))
				}
			} else {
				kept = append(kept, r)
			}
		}
		if len(kept) < n {
			t.byOrg[org] = append(kept, rows[n:]...)
		}
	}
}

// list is org's rows in creation order (the caller must not modify the slice).
func (t *table[T]) list(org string) []*tableRow[T] { return t.byOrg[org] }

// orgOrAll is the rows of the organization of apiKey (any case), or with an empty apiKey every row,
// in creation order (for the exported accessors).
func (t *table[T]) orgOrAll(apiKey string) []*tableRow[T] {
	return orgOrAll(t.byID, t.byOrg, apiKey, func(r *tableRow[T]) int64 { return r.Seq })
}

// len is the number of rows of every organization.
func (t *table[T]) len() int { return len(t.byID) }

// storedTable is a table's form in the state file.
type storedTable[T any] struct {
	Seq  int64         `json:"seq"`
	Rows []tableRow[T] `json:"rows"`
}

// save encodes every row, oldest first.
func (t *table[T]) save() (json.RawMessage, error) {
	st := storedTable[T]{Seq: t.seq, Rows: make([]tableRow[T], 0, len(t.byID))}
	for _, r := range t.byID {
		st.Rows = append(st.Rows, *r)
	}
	slices.SortFunc(st.Rows, func(a, b tableRow[T]) int { return cmp.Compare(a.Seq, b.Seq) })
	return json.Marshal(st)
}

// decode parses and checks a saved table without changing t, so a bad file changes nothing.
func (t *table[T]) decode(raw json.RawMessage) (*storedTable[T], error) {
	var st storedTable[T]
	if err := strictUnmarshal(raw, &st); err != nil {
		return nil, fmt.Errorf("%s: %w", t.name, err)
	}
	ids, seqs, uniques := map[string]bool{}, map[int64]bool{}, map[string]bool{}
	for i := range st.Rows {
		r := &st.Rows[i]
		id := t.id(&r.Value)
		key := rowKey(r.Org, id)
		switch {
		case !isHex(r.Org, 64):
			return nil, fmt.Errorf("%s[%d]: organization is not a 64-character hex API key", t.name, i)
		case r.Seq < 1 || r.Seq > st.Seq:
			return nil, fmt.Errorf("%s[%d]: seq %d is not between 1 and %d", t.name, i, r.Seq, st.Seq)
		case id == "" || ids[key] || seqs[r.Seq]:
			return nil, fmt.Errorf("%s[%d]: id %q is empty or appears twice, or seq %d appears twice", t.name, i, id, r.Seq)
		}
		if err := t.check(&r.Value); err != nil {
			return nil, fmt.Errorf("%s[%d] (%s): %w", t.name, i, id, err)
		}
		if t.unique != nil {
			u := rowKey(r.Org, t.unique(&r.Value))
			if uniques[u] {
				return nil, fmt.Errorf("%s[%d] (%s): %q is another row's too", t.name, i, id, t.unique(&r.Value))
			}
			uniques[u] = true
		}
		ids[key], seqs[r.Seq] = true, true
	}
	slices.SortFunc(st.Rows, func(a, b tableRow[T]) int { return cmp.Compare(a.Seq, b.Seq) })
	return &st, nil
}

// load replaces the rows with a decoded table's; the sequence never goes back.
func (t *table[T]) load(raw json.RawMessage) error {
	st, err := t.decode(raw)
	if err != nil {
		return err
	}
	t.reset()
	t.seq = max(t.seq, st.Seq)
	for _, r := range st.Rows {
		row := t.insert(r.Org, r.Seq, r.Value)
		if t.loaded != nil {
			t.loaded(row)
		}
	}
	return nil
}

func (t *table[T]) verify(raw json.RawMessage) error {
	_, err := t.decode(raw)
	return err
}

func strictUnmarshal(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields() // another format is refused, not half-read
	return dec.Decode(v)
}

// persistedTable is what the state file needs of a table.
type persistedTable interface {
	reset()
	save() (json.RawMessage, error)
	verify(json.RawMessage) error
	load(json.RawMessage) error
}

// tableRegistry is every table -state keeps, by its name in the file.
type tableRegistry map[string]persistedTable

// saveAll encodes every table for the state file.
func (reg tableRegistry) saveAll() (map[string]json.RawMessage, error) {
	out := make(map[string]json.RawMessage, len(reg))
	for name, t := range reg {
		raw, err := t.save()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out[name] = raw
	}
	return out, nil
}

// verifyAll checks the tables of a state file: each must be registered and readable. A table the file
// lacks (a file of an older sandbox) loads empty.
func (reg tableRegistry) verifyAll(saved map[string]json.RawMessage) error {
	names := make([]string, 0, len(saved))
	for name := range saved {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		t := reg[name]
		if t == nil {
			return fmt.Errorf("tables: %q is not a table of this sandbox", name)
		}
		if err := t.verify(saved[name]); err != nil {
			return fmt.Errorf("tables: %w", err)
		}
	}
	return nil
}

// loadAll replaces every table with the file's (already verified).
func (reg tableRegistry) loadAll(saved map[string]json.RawMessage) error {
	var errs []error
	for name, t := range reg {
		if raw, ok := saved[name]; ok {
			errs = append(errs, t.load(raw))
		} else {
			t.reset()
		}
	}
	return errors.Join(errs...)
}

func (reg tableRegistry) resetAll() {
	for _, t := range reg {
		t.reset()
	}
}

// initTables makes the tables and registers them, by their names in the state file.
func (s *Sandbox) initTables() error {
	s.merchants, s.refunds, s.balances, s.rates = newMerchantTable(), newRefundTable(), newBalanceTable(), rateTable{}
	s.webhookEndpoints, s.orders, s.events = newWebhookEndpointTable(), newOrderTable(), newEventStore()
	s.tables = tableRegistry{"merchants": s.merchants, "refunds": s.refunds, "balances": s.balances, "rates": s.rates,
		webhookEndpointsTable: s.webhookEndpoints, ordersTable: s.orders, webhookEventsTable: s.events}
	for token, rate := range s.opts.Rates {
		if !s.isSupportedToken(token) {
			return fmt.Errorf("rate %s=%s: %q is not a supported token", token, rate, token)
		}
		if err := checkRate(rate); err != nil {
			return fmt.Errorf("rate %s=%s: %w", token, rate, err)
		}
	}
	return nil
}

// applyRateOptionsLocked sets the rates of Options.Rates, which win over saved ones.
func (s *Sandbox) applyRateOptionsLocked() {
	for token, rate := range s.opts.Rates {
		s.rates[canonicalToken(token)] = rate
	}
}
