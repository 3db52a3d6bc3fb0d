package sandbox_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

// The webhook events are a table of the state file. A file written before (top-level webhook_events
// and event_seq) loads its events with their logs: the event cut by Close is sent again at once, the
// Retrying one when its retry falls due, the list keeps its order, the event sequence goes on, and the
// next save writes the table; a damaged one is refused.
func TestStateFileLegacyEvents(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "state.json")
	opts := sandbox.Options{StateFile: path, Now: fixedClock()}
	srv, c, rcv, ep, retrying := eventsToResume(t, opts)
	before := eventIDs(c.events(t, ep, ""))
	srv.Close()

	st, tables := readStateJSON(t, path)
	if st["webhook_events"] != nil || st["event_seq"] != nil {
		t.Fatalf("the state file still writes the events outside the tables (event_seq %v)", st["event_seq"])
	}
	table, _ := tables["webhook_events"].(map[string]any)
	if table == nil {
		t.Fatalf("the state file has no webhook_events table: %v", tables)
	}
	var legacy []any
	for _, row := range table["rows"].([]any) {
		r, v := row.(map[string]any), row.(map[string]any)["value"].(map[string]any)
		legacy = append(legacy, map[string]any{"organization": r["organization"], "seq": r["seq"], "endpoint_id": v["endpoint_id"],
			"attempts": v["attempts"], "event": v["event"], "logs": v["logs"]})
	}
	delete(tables, "webhook_events")
	st["webhook_events"], st["event_seq"] = legacy, table["seq"]
	writeStateJSON(t, path, st)

	rcv.hang.Store(false)
	rcv.status.Store(http.StatusOK)
	srv2, c2 := startSandbox(t, opts)
	wantDeliveryResumed(t, srv2, c2, rcv, ep, retrying, before[1])
	c2.trigger(cobo.EventPaymentOrderStatusUpdated, "")
	newest := rcv.next(t).event.EventID
	if got := eventIDs(c2.events(t, ep, "")); !reflect.DeepEqual(got, append(before, newest)) {
		t.Fatalf("the events of an older file list as %v, want %v and then the new %s", got, before, newest)
	}
	if got := eventIDs(c2.events(t, ep, "?status=Retrying")); len(got) != 0 {
		t.Errorf("status=Retrying lists %v once every event was delivered", got)
	}
	saved, err := os.ReadFile(path)
	wantSeq := fmt.Sprintf("\"webhook_events\": {\n      \"seq\": %d,", len(before)+1)
	if err != nil || !bytes.Contains(saved, []byte(wantSeq)) || bytes.Contains(saved, []byte(`"event_seq"`)) {
		t.Fatalf("an older file is saved with the events table, its sequence going on (%v):\n%s", err, saved)
	}
	srv2.Close()

	event := legacy[0].(map[string]any)["event"].(map[string]any)
	for name, tc := range map[string]struct {
		change func(st, tables map[string]any)
		part   string // what the error names
	}{
		"event twice": {func(st, _ map[string]any) { st["webhook_events"] = []any{legacy[0], legacy[0]} }, "appears twice"},
		"seq":         {func(st, _ map[string]any) { st["event_seq"] = 1 }, "is not between 1 and 1"},
		"both":        {func(_, tables map[string]any) { tables["webhook_events"] = table }, "both a table and a top-level field"},
		"retrying": {func(st, _ map[string]any) {
			row := withField(legacy[0], "event", withField(event, "next_retry_timestamp", nil))
			st["webhook_events"] = []any{row, legacy[1]}
		}, "a Retrying event without next_retry_timestamp"},
	} {
		damaged, damagedTables := copyState(st)
		tc.change(damaged, damagedTables)
		wantLegacyStateRefused(t, name, damaged, tc.part)
	}
}

// wantLegacyStateRefused checks that Open refuses the damaged state file st with an error naming part.
func wantLegacyStateRefused(t *testing.T, name string, st map[string]any, part string) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "state.json")
	writeStateJSON(t, p, st)
	if sb, err := sandbox.Open(sandbox.Options{StateFile: p}); err == nil {
		sb.Close()
		t.Errorf("%s: a damaged older file was loaded", name)
	} else if !strings.Contains(err.Error(), part) || !strings.Contains(err.Error(), "left untouched") {
		t.Errorf("%s: %v, want it to name %q", name, err, part)
	}
}

func eventIDs(p cobo.WebhookEventPage) []string {
	ids := []string{}
	for _, ev := range p.Data {
		ids = append(ids, ev.EventID)
	}
	return ids
}

// readStateJSON reads the state file at path, and its tables.
func readStateJSON(t *testing.T, path string) (st, tables map[string]any) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err == nil {
		err = json.Unmarshal(data, &st)
	}
	if err != nil {
		t.Fatal(err)
	}
	tables, _ = st["tables"].(map[string]any)
	return st, tables
}

// copyState copies a state file's top level and tables, to damage the copy.
func copyState(st map[string]any) (out, tables map[string]any) {
	out, tables = map[string]any{}, map[string]any{}
	for k, v := range st {
		out[k] = v
	}
	for k, v := range st["tables"].(map[string]any) {
		tables[k] = v
	}
	out["tables"] = tables
	return out, tables
}

// withField is a copy of the JSON object m with key set to v (removed when v is nil).
func withField(m any, key string, v any) map[string]any {
	out := map[string]any{}
	for k, val := range m.(map[string]any) {
		out[k] = val
	}
	if v == nil {
		delete(out, key)
	} else {
		out[key] = v
	}
	return out
}
