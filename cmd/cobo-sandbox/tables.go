package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// column is one column of a table the list commands print without -json: its header and how a
// cell is read from one item of the list, as the API returned it.
type column struct {
	header string
	cell   func(item json.RawMessage) string
}

// printTable writes one row per item under a header row, columns aligned; an empty list prints the
// header alone, so that "nothing" still reads as an answer.
func printTable(w io.Writer, items []json.RawMessage, columns []column) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	headers := make([]string, len(columns))
	for i, col := range columns {
		headers[i] = col.header
	}
	fmt.Fprintln(tw, strings.Join(headers, "\t"))
	for _, item := range items {
		cells := make([]string, len(columns))
		for i, col := range columns {
			if cells[i] = col.cell(item); cells[i] == "" {
				cells[i] = "-"
			}
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t"))
	}
	return tw.Flush()
}

// decoded reads item into a T for the cells of one row; an item that does not decode shows as empty
// cells rather than failing the whole table (-json prints it as it is).
func decoded[T any](item json.RawMessage) T {
	var v T
	_ = json.Unmarshal(item, &v)
	return v
}

// orEmpty is *p, or "" for nil: an optional field's cell.
func orEmpty(p *string) string { return formatOrEmpty(p, func(s string) string { return s }) }

// formatOrEmpty is format(*p), or "" for nil.
func formatOrEmpty[T any](p *T, format func(T) string) string {
	if p == nil {
		return ""
	}
	return format(*p)
}

func formatInt(n int64) string { return strconv.FormatInt(n, 10) }

// millis formats a Cobo timestamp in milliseconds as UTC RFC 3339.
func millis(ms int64) string {
	if ms == 0 {
		return ""
	}
	return time.UnixMilli(ms).UTC().Format(time.RFC3339)
}

var endpointColumns = []column{
	{"ENDPOINT_ID", func(i json.RawMessage) string { return decoded[cobo.WebhookEndpoint](i).EndpointID }},
	{"STATUS", func(i json.RawMessage) string { return decoded[cobo.WebhookEndpoint](i).Status }},
	{"CREATED", func(i json.RawMessage) string { return millis(decoded[cobo.WebhookEndpoint](i).CreatedTimestamp) }},
	{"URL", func(i json.RawMessage) string { return decoded[cobo.WebhookEndpoint](i).URL }},
	{"EVENTS", func(i json.RawMessage) string {
		return strings.Join(decoded[cobo.WebhookEndpoint](i).SubscribedEvents, ",")
	}},
	{"DESCRIPTION", func(i json.RawMessage) string { return orEmpty(decoded[cobo.WebhookEndpoint](i).Description) }},
}

var eventColumns = []column{
	{"EVENT_ID", func(i json.RawMessage) string { return decoded[cobo.WebhookEvent](i).EventID }},
	{"TYPE", func(i json.RawMessage) string { return decoded[cobo.WebhookEvent](i).Type }},
	{"STATUS", func(i json.RawMessage) string { return decoded[cobo.WebhookEvent](i).Status }},
	{"CREATED", func(i json.RawMessage) string { return millis(decoded[cobo.WebhookEvent](i).CreatedTimestamp) }},
	{"SUBJECT", eventSubject},
	{"RETRIES_LEFT", func(i json.RawMessage) string {
		return formatOrEmpty(decoded[cobo.WebhookEvent](i).RetriesLeft, strconv.Itoa)
	}},
	{"NEXT_RETRY", func(i json.RawMessage) string {
		return formatOrEmpty(decoded[cobo.WebhookEvent](i).NextRetryTimestamp, millis)
	}},
}

// eventSubject is what the event is about, as listen prints it: "order=… status=…", with
// "transaction=…" for a transaction event.
func eventSubject(item json.RawMessage) string {
	sum := summarize(item)
	var parts []string
	for _, kv := range [][2]string{{"order", sum.orderID}, {"transaction", sum.transactionID}, {"status", sum.status}} {
		if kv[1] != "" {
			parts = append(parts, kv[0]+"="+kv[1])
		}
	}
	return strings.Join(parts, " ")
}

var logColumns = []column{
	{"CREATED", func(i json.RawMessage) string { return millis(decoded[cobo.WebhookEventLog](i).CreatedTimestamp) }},
	{"SUCCESS", func(i json.RawMessage) string { return strconv.FormatBool(decoded[cobo.WebhookEventLog](i).Success) }},
	{"EVENT_STATUS", func(i json.RawMessage) string { return decoded[cobo.WebhookEventLog](i).Status }},
	{"HTTP", func(i json.RawMessage) string {
		return formatOrEmpty(decoded[cobo.WebhookEventLog](i).ResponseStatusCode, strconv.Itoa)
	}},
	{"TIME_MS", func(i json.RawMessage) string {
		return formatOrEmpty(decoded[cobo.WebhookEventLog](i).ResponseTime, formatInt)
	}},
	{"FAILURE_REASON", func(i json.RawMessage) string { return orEmpty(decoded[cobo.WebhookEventLog](i).FailureReason) }},
}
