package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"net/http"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// listOutput is what the flags of a list command ask for: at most limit items (0: all) and, for a
// list that has a table, -json for the items exactly as the API returned them.
type listOutput struct {
	limit   *int
	asJSON  *bool
	columns []column // nil: the list prints JSON only
}

// listFlags registers the flags every list command shares: -limit when limited, and -json when the
// list prints a table of columns (plural names the items in their help).
func listFlags(fs *flag.FlagSet, plural string, limited bool, columns []column) *listOutput {
	o := &listOutput{limit: new(int), asJSON: new(bool), columns: columns}
	if limited {
		o.limit = fs.Int("limit", 0, "at most this many "+plural+" (0: all)")
	}
	if columns == nil {
		*o.asJSON = true
	} else {
		o.asJSON = fs.Bool("json", false, "print the "+plural+" as one JSON array, exactly as the API returns them, instead of a table")
	}
	return o
}

// printList reads every page of a list (fetch reads the page after the cursor after, "" for the
// first) and prints its items: a table, or one JSON array.
func printList[T any](c *client, o *listOutput, fetch func(after string) (*cobo.Page[T], error)) error {
	items, err := allPages(c, *o.limit, fetch)
	if err != nil || *o.asJSON {
		return c.printItems(items, err)
	}
	return printTable(c.out, items, o.columns)
}

// allPages follows the after cursor through fetch and collects the "data" items of each answer
// exactly as the API sent them, cut to limit items when limit > 0.
func allPages[T any](c *client, limit int, fetch func(after string) (*cobo.Page[T], error)) ([]json.RawMessage, error) {
	if limit < 0 {
		return nil, usageErrorf("-limit must be 0 (all) or more, got %d", limit)
	}
	items := []json.RawMessage{}
	for after := ""; ; {
		page, err := fetch(after)
		if err != nil {
			return nil, err
		}
		var raw struct {
			Data []json.RawMessage `json:"data"`
		}
		if err := json.Unmarshal(c.capture.last(http.MethodGet), &raw); err != nil {
			return nil, fmt.Errorf("reading the list page: %w", err)
		}
		items = append(items, raw.Data...)
		if limit > 0 && len(items) >= limit {
			return items[:limit], nil
		}
		if after = page.Pagination.After; after == "" || len(page.Data) == 0 {
			return items, nil
		}
	}
}

// printItems prints items as one JSON array, or returns err.
func (c *client) printItems(items []json.RawMessage, err error) error {
	if err != nil {
		return err
	}
	out, err := json.Marshal(items)
	if err != nil {
		return err
	}
	return c.printJSON(out)
}
