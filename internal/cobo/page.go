package cobo

import (
	"context"
	"fmt"
	"math"
	"net/http"
)

// Page is one page of any of Cobo's lists: its items and the cursors around it. Every list of the
// Payment and Webhook APIs answers in this shape.
type Page[T any] struct {
	Data       []T        `json:"data"`
	Pagination Pagination `json:"pagination"`
}

// PageLister reads the page that starts after the cursor after (empty: the first page), asking for
// limit items (1..MaxPageSize).
type PageLister[T any] func(ctx context.Context, after string, limit int) (*Page[T], error)

// CollectPages follows the after cursor through list until it holds want items that keep accepts
// (keep nil: every item), or the last page is read. It returns them with the last page's total_count.
// A walk that skips items asks for full pages, since a skipped item does not count towards want; an
// unfiltered walk asks for no more than it still wants. A cursor returned twice is an error, not a loop.
func CollectPages[T any](ctx context.Context, want int, what string, list PageLister[T], keep func(*T) bool) ([]T, int, error) {
	var (
		items []T
		total int
		after string
		seen  = map[string]bool{}
	)
	for len(items) < want {
		limit := MaxPageSize
		if keep == nil {
			limit = min(MaxPageSize, want-len(items))
		}
		page, err := list(ctx, after, limit)
		if err != nil {
			return nil, 0, err
		}
		total = page.Pagination.TotalCount
		for i := range page.Data {
			if len(items) < want && (keep == nil || keep(&page.Data[i])) {
				items = append(items, page.Data[i])
			}
		}
		next := page.Pagination.After
		if next == "" || len(page.Data) == 0 {
			break
		}
		if seen[next] {
			return nil, 0, fmt.Errorf("the %s list returned the pagination cursor %q twice; stopping instead of looping", what, next)
		}
		seen[next] = true
		after = next
	}
	return items, total, nil
}

// listAllWithin reads every page of the list at path within the retry budget b (that of the create it
// serves, if any) and returns the items keep accepts; query is a page's query string (the filters with
// that paging); what names the items in errors.
func listAllWithin[T any](ctx context.Context, c *Client, b *retryBudget, path, what string, query func(PageParams) string, keep func(*T) bool) ([]T, error) {
	list := func(ctx context.Context, after string, limit int) (*Page[T], error) {
		body, err := c.send(ctx, b, http.MethodGet, path, query(PageParams{Limit: limit, After: after}), nil)
		if err != nil {
			return nil, err
		}
		return decodeJSON[Page[T]](body, what+" list")
	}
	found, _, err := CollectPages(ctx, math.MaxInt, what, list, keep)
	return found, err
}
