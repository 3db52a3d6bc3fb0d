package sandbox

import (
	"cmp"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// Every list of the API pages the same way: limit 1..cobo.MaxPageSize (default 10), and before or
// after (not both), a cursor that is the id of an item of the list; items are oldest first, and the
// pagination holds the ids at the edges of the page ("" at the start and at the end of the list).

// pageQuery is the paging part of a list query.
type pageQuery struct {
	limit         int
	before, after string
}

// parsePagedQuery splits a list route's raw query and reads its page parameters; the filters are left
// in the values for the route to read.
func parsePagedQuery(query string) (url.Values, pageQuery, *response) {
	q, err := url.ParseQuery(query)
	if err != nil {
		return nil, pageQuery{}, invalidParam("the query string is not valid: %v", err)
	}
	page, errResp := parsePageQuery(q)
	return q, page, errResp
}

// webhookFilter checks one filter of a webhook list: empty (any), or one of allowed (nil: any known
// event type), else InvalidWebhookRequest naming the parameter and what is accepted.
func webhookFilter(name, value string, allowed []string) *response {
	switch {
	case value == "":
		return nil
	case allowed == nil && !cobo.IsKnownWebhookEventType(value):
		return decisionError(cobo.InvalidWebhookRequest, "%s: %q is not a webhook event type (GET %s lists them)", name, truncate(value, 80), eventDefinitionsPath)
	case allowed != nil && !slices.Contains(allowed, value):
		return decisionError(cobo.InvalidWebhookRequest, "%s: %q is not one of %s", name, truncate(value, 40), strings.Join(allowed, ", "))
	}
	return nil
}

// webhookListQuery is the query of a webhook list (endpoints, events): a page, a status filter and an
// event type filter ("": any).
type webhookListQuery struct {
	page              pageQuery
	status, eventType string
}

// parseWebhookListQuery reads a webhook list query whose status filter takes statuses and whose event
// type filter is named typeParam.
func parseWebhookListQuery(query string, statuses []string, typeParam string) (*webhookListQuery, *response) {
	q, page, errResp := parsePagedQuery(query)
	if errResp != nil {
		return nil, errResp
	}
	wq := &webhookListQuery{page: page, status: q.Get("status"), eventType: q.Get(typeParam)}
	if errResp := cmp.Or(webhookFilter("status", wq.status, statuses), webhookFilter(typeParam, wq.eventType, nil)); errResp != nil {
		return nil, errResp
	}
	return wq, nil
}

// statusQuery is a list query with a page, exact-match filters and a statuses filter.
type statusQuery struct {
	page     pageQuery
	values   url.Values
	statuses map[string]bool // nil: any
}

// parseStatusQuery reads a list query whose statuses filter takes the allowed statuses (what names
// one, such as "an order status").
func parseStatusQuery(query, what string, allowed []string) (*statusQuery, *response) {
	q, page, errResp := parsePagedQuery(query)
	if errResp != nil {
		return nil, errResp
	}
	sq := &statusQuery{page: page, values: q}
	sq.statuses, errResp = parseStatuses(q.Get("statuses"), what, allowed)
	return sq, errResp
}

// is reports whether the filter name is unset or equal to v.
func (q *statusQuery) is(name, v string) bool {
	want := q.values.Get(name)
	return want == "" || want == v
}

func (q *statusQuery) hasStatus(st string) bool { return q.statuses == nil || q.statuses[st] }

// parseStatuses reads a statuses filter, one comma-separated string: "" is any status (nil); every
// item must be one of allowed, else an error naming it (what: "an order status") and what is accepted.
func parseStatuses(v, what string, allowed []string) (map[string]bool, *response) {
	if v == "" {
		return nil, nil
	}
	statuses := map[string]bool{}
	for _, st := range strings.Split(v, ",") {
		st = strings.TrimSpace(st)
		if !slices.Contains(allowed, st) {
			return nil, invalidParam("statuses: %q is not %s; use a comma-separated list of %s", truncate(st, 30), what, strings.Join(allowed, ", "))
		}
		statuses[st] = true
	}
	return statuses, nil
}

// parsePageQuery reads limit, before and after.
func parsePageQuery(q url.Values) (pageQuery, *response) {
	pq := pageQuery{limit: 10, before: q.Get("before"), after: q.Get("after")}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > cobo.MaxPageSize {
			return pq, invalidParam("limit must be an integer between 1 and %d, got %q", cobo.MaxPageSize, truncate(v, 20))
		}
		pq.limit = n
	}
	if pq.before != "" && pq.after != "" {
		return pq, invalidParam("before and after cannot be used together")
	}
	return pq, nil
}

// cursor is the id given as before or after ("" for the first page).
func (q pageQuery) cursor() string { return q.before + q.after }

// badCursor answers a cursor that is not an item of the list; what names the ids to use.
func (q pageQuery) badCursor(what string) *response {
	name := "after"
	if q.before != "" {
		name = "before"
	}
	return invalidParam("%s: %q is not a cursor of this list (use %s from a previous page's pagination)", name, truncate(q.cursor(), 100), what)
}

// pageOf is the page of matching (sorted by seq, ascending) that q asks for, and its pagination;
// cursorSeq is the sequence of the cursor item (ignored without a cursor). The cursor need not match
// the list's filters: the page starts after (or ends before) its place in the sequence.
func pageOf[T any](matching []T, q pageQuery, cursorSeq int64, seqOf func(T) int64, idOf func(T) string) ([]T, cobo.Pagination) {
	firstAfter := func(seq int64) int { // the index of the first item whose sequence is greater than seq
		lo, hi := 0, len(matching)
		for lo < hi {
			mid := (lo + hi) / 2
			if seqOf(matching[mid]) > seq {
				hi = mid
			} else {
				lo = mid + 1
			}
		}
		return lo
	}
	var lo, hi int
	switch {
	case q.after != "":
		lo = firstAfter(cursorSeq)
		hi = min(lo+q.limit, len(matching))
	case q.before != "":
		hi = firstAfter(cursorSeq - 1) // the first item at or after the cursor
		lo = max(hi-q.limit, 0)
	default:
		hi = min(q.limit, len(matching))
	}
	p := cobo.Pagination{TotalCount: len(matching)}
	if hi > lo {
		if lo > 0 {
			p.Before = idOf(matching[lo])
		}
		if hi < len(matching) {
			p.After = idOf(matching[hi-1])
		}
	}
	return matching[lo:hi], p
}
