package sandbox_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"testing"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

func (c *apiClient) list(t testing.TB, query string) *cobo.OrderPage {
	t.Helper()
	target := "/v2/payments/orders"
	if query != "" {
		target += "?" + query
	}
	r := c.do("GET", target, "")
	if r.status != 200 {
		t.Fatalf("list %q: %d %s", query, r.status, r.body)
	}
	p, err := cobo.DecodeOrderPage(r.body)
	if err != nil {
		t.Fatalf("list %q: %v", query, err)
	}
	return p
}

func ids(p *cobo.OrderPage) []string {
	out := make([]string, len(p.Data))
	for i, o := range p.Data {
		out[i] = o.OrderID
	}
	return out
}

func wantIDs(t *testing.T, what string, got, want []string) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("%s: got %d ids %v, want %d ids %v", what, len(got), got, len(want), want)
	}
}

func TestListPaginationAndFilters(t *testing.T) {
	t.Parallel()
	srv, c := startSandbox(t, sandbox.Options{})
	sb := srv.Sandbox
	other := newAPIClient(t, srv.URL, secretFor("list other org"))
	other.create(t, nil) // must never show up

	var all []string
	for i := 0; i < 120; i++ {
		merchant := "M1"
		if i%2 == 1 {
			merchant = "M2"
		}
		o := c.create(t, map[string]any{"merchant_id": merchant, "psp_order_code": fmt.Sprintf("list-%03d", i)})
		all = append(all, o.OrderID)
		switch i % 10 {
		case 3:
			if _, err := sb.Pay(o.OrderID, sandbox.Payment{Amount: o.PayableAmount}); err != nil { // Completed
				t.Fatal(err)
			}
		case 7:
			if _, err := sb.Pay(o.OrderID, sandbox.Payment{Amount: "1"}); err != nil { // Processing
				t.Fatal(err)
			}
		}
	}

	t.Run("default limit", func(t *testing.T) {
		p := c.list(t, "")
		wantIDs(t, "first page", ids(p), all[:10])
		if p.Pagination != (cobo.Pagination{Before: "", After: all[9], TotalCount: 120}) {
			t.Fatalf("pagination = %+v", p.Pagination)
		}
	})

	t.Run("forwards with after", func(t *testing.T) {
		var seen []string
		cursor := ""
		pages := 0
		for {
			q := "limit=50"
			if cursor != "" {
				q += "&after=" + url.QueryEscape(cursor)
			}
			p := c.list(t, q)
			pages++
			if p.Pagination.TotalCount != 120 {
				t.Fatalf("total_count = %d", p.Pagination.TotalCount)
			}
			wantBefore := ""
			if len(seen) > 0 {
				wantBefore = p.Data[0].OrderID
			}
			if p.Pagination.Before != wantBefore {
				t.Fatalf("page %d before = %q, want %q", pages, p.Pagination.Before, wantBefore)
			}
			seen = append(seen, ids(p)...)
			if p.Pagination.After == "" {
				break
			}
			if p.Pagination.After != p.Data[len(p.Data)-1].OrderID {
				t.Fatalf("after = %q, want the page's last id", p.Pagination.After)
			}
			cursor = p.Pagination.After
		}
		if pages != 3 {
			t.Fatalf("%d pages, want 3 (50, 50, 20)", pages)
		}
		wantIDs(t, "all pages", seen, all)
	})

	t.Run("backwards with before", func(t *testing.T) {
		// start from the last page: after the 100th order
		last := c.list(t, "limit=50&after="+all[99])
		wantIDs(t, "last page", ids(last), all[100:])
		if last.Pagination.Before != all[100] || last.Pagination.After != "" {
			t.Fatalf("last page pagination = %+v", last.Pagination)
		}
		p := c.list(t, "limit=50&before="+last.Pagination.Before)
		wantIDs(t, "page before the last", ids(p), all[50:100])
		if p.Pagination != (cobo.Pagination{Before: all[50], After: all[99], TotalCount: 120}) {
			t.Fatalf("pagination = %+v", p.Pagination)
		}
		p = c.list(t, "limit=50&before="+p.Pagination.Before)
		wantIDs(t, "first page", ids(p), all[:50])
		if p.Pagination != (cobo.Pagination{Before: "", After: all[49], TotalCount: 120}) {
			t.Fatalf("pagination = %+v", p.Pagination)
		}
		p = c.list(t, "limit=7&before="+all[3])
		wantIDs(t, "short page at the start", ids(p), all[:3])
		p = c.list(t, "limit=1&before="+all[0])
		if len(p.Data) != 0 || p.Pagination.TotalCount != 120 {
			t.Fatalf("before the first order: %+v", p)
		}
	})

	t.Run("filters", func(t *testing.T) {
		p := c.list(t, "merchant_id=M1&limit=50")
		if p.Pagination.TotalCount != 60 || len(p.Data) != 50 || p.Pagination.After != p.Data[49].OrderID {
			t.Fatalf("merchant M1: total %d, %d on page, after %q", p.Pagination.TotalCount, len(p.Data), p.Pagination.After)
		}
		for _, o := range p.Data {
			if deref(o.MerchantID) != "M1" {
				t.Fatalf("merchant filter returned %q", deref(o.MerchantID))
			}
		}
		p2 := c.list(t, "merchant_id=M1&limit=50&after="+p.Pagination.After)
		if len(p2.Data) != 10 || p2.Pagination.After != "" || p2.Pagination.Before != p2.Data[0].OrderID {
			t.Fatalf("merchant M1 page 2: %d orders, pagination %+v", len(p2.Data), p2.Pagination)
		}

		p = c.list(t, "psp_order_id=list-042")
		if len(p.Data) != 1 || p.Data[0].OrderID != all[42] || p.Pagination.TotalCount != 1 {
			t.Fatalf("psp_order_id: %v total %d", ids(p), p.Pagination.TotalCount)
		}
		if p := c.list(t, "psp_order_id=list-04"); p.Pagination.TotalCount != 0 || len(p.Data) != 0 {
			t.Fatalf("psp_order_id is not an exact match: %v", ids(p))
		}
		raw := c.do("GET", "/v2/payments/orders?psp_order_id=nothing", "")
		var m map[string]json.RawMessage
		if err := json.Unmarshal(raw.body, &m); err != nil || string(m["data"]) != "[]" {
			t.Fatalf("empty list must have data []: %s", raw.body)
		}

		p = c.list(t, "statuses=Completed&limit=50")
		if p.Pagination.TotalCount != 12 {
			t.Fatalf("Completed: total %d, want 12", p.Pagination.TotalCount)
		}
		p = c.list(t, "statuses=Processing%2CCompleted&limit=50")
		if p.Pagination.TotalCount != 24 {
			t.Fatalf("Processing,Completed: total %d, want 24", p.Pagination.TotalCount)
		}
		p = c.list(t, "statuses=Pending,Processing&merchant_id=M2&limit=50")
		// M2 holds the odd i: all 12 Completed (i%10 == 3) and all 12 Processing (i%10 == 7) orders, and 36 Pending
		if p.Pagination.TotalCount != 48 {
			t.Fatalf("Pending,Processing for M2: total %d, want 48", p.Pagination.TotalCount)
		}
		if p := c.list(t, "statuses=Pending&merchant_id=M1"); p.Pagination.TotalCount != 60 {
			t.Fatalf("Pending for M1: total %d, want 60", p.Pagination.TotalCount)
		}
		if p := c.list(t, "statuses=Expired"); p.Pagination.TotalCount != 0 {
			t.Fatalf("Expired: %d", p.Pagination.TotalCount)
		}
	})

	t.Run("invalid parameters", func(t *testing.T) {
		for _, q := range []struct{ query, part string }{
			{"limit=0", "limit"},
			{"limit=51", "limit"},
			{"limit=ten", "limit"},
			{"limit=-1", "limit"},
			{"before=" + all[5] + "&after=" + all[1], "before and after"},
			{"after=O20990101-000001", "after"},
			{"before=nope", "before"},
			{"statuses=Pending,Refunded", "Refunded"},
			{"statuses=Pending,", "statuses"},
			{"statuses=pending", "pending"},
			{"limit=%zz", "query"},
		} {
			c.do("GET", "/v2/payments/orders?"+q.query, "").wantCoboError(t, 400, cobo.CodeInvalidParameter, q.part)
		}
		// a cursor from another organization is unknown here
		theirs := other.list(t, "").Data[0].OrderID
		c.do("GET", "/v2/payments/orders?after="+theirs, "").wantCoboError(t, 400, cobo.CodeInvalidParameter, theirs)
	})

	if p := other.list(t, "limit=50"); p.Pagination.TotalCount != 1 {
		t.Fatalf("the other organization sees %d orders, want 1", p.Pagination.TotalCount)
	}
}
