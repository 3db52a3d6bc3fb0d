package cobo_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"testing"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// fakeList serves the numbers 0..n-1 in pages, recording the limit of every request.
type fakeList struct {
	n      int
	limits []int
	loopAt string // when set, this cursor is answered with itself as the next cursor
}

func (f *fakeList) page(_ context.Context, after string, limit int) (*cobo.Page[int], error) {
	f.limits = append(f.limits, limit)
	start := 0
	if after != "" {
		start, _ = strconv.Atoi(after)
	}
	page := &cobo.Page[int]{Pagination: cobo.Pagination{TotalCount: f.n}}
	for i := start; i < min(f.n, start+limit); i++ {
		page.Data = append(page.Data, i)
	}
	if end := start + limit; end < f.n {
		page.Pagination.After = strconv.Itoa(end)
	}
	if f.loopAt != "" && after == f.loopAt {
		page.Pagination.After = f.loopAt
	}
	return page, nil
}

func TestCollectPages(t *testing.T) {
	even := func(i *int) bool { return *i%2 == 0 }
	const page = cobo.MaxPageSize
	cases := []struct {
		name       string
		n, want    int
		keep       func(*int) bool
		wantItems  int
		wantLimits []int
	}{
		{"asks only what it still wants", 3 * page, page + 20, nil, page + 20, []int{page, 20}},
		{"stops at the last page", 30, 40, nil, 30, []int{40}},
		{"a filtered walk asks full pages", 5 * page, page + 5, even, page + 5, []int{page, page, page}},
		{"a filtered walk reads to the end", page, 1000, even, page / 2, []int{page}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := &fakeList{n: c.n}
			items, total, err := cobo.CollectPages(t.Context(), c.want, "number", f.page, c.keep)
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != c.wantItems || total != c.n {
				t.Errorf("got %d items (total %d), want %d (total %d)", len(items), total, c.wantItems, c.n)
			}
			if !slices.Equal(f.limits, c.wantLimits) {
				t.Errorf("asked limits %v, want %v", f.limits, c.wantLimits)
			}
			if c.keep != nil && slices.ContainsFunc(items, func(i int) bool { return !c.keep(&i) }) {
				t.Errorf("kept an item the filter refused: %v", items)
			}
			if !slices.IsSorted(items) || len(slices.Compact(slices.Clone(items))) != len(items) {
				t.Errorf("items out of order or repeated: %v", items)
			}
		})
	}
}

func TestCollectPagesStops(t *testing.T) {
	t.Run("a cursor returned twice", func(t *testing.T) {
		f := &fakeList{n: 1000, loopAt: strconv.Itoa(cobo.MaxPageSize)}
		_, _, err := cobo.CollectPages(t.Context(), 1000, "number", f.page, nil)
		if err == nil || err.Error() != fmt.Sprintf("the number list returned the pagination cursor %q twice; stopping instead of looping", f.loopAt) {
			t.Fatalf("err = %v, want the cursor loop named", err)
		}
	})
	t.Run("an error of a page", func(t *testing.T) {
		boom := errors.New("boom")
		calls := 0
		failing := func(context.Context, string, int) (*cobo.Page[int], error) { calls++; return nil, boom }
		if _, _, err := cobo.CollectPages(t.Context(), 10, "number", failing, nil); !errors.Is(err, boom) || calls != 1 {
			t.Fatalf("err = %v after %d calls, want boom after 1", err, calls)
		}
	})
	t.Run("want zero reads nothing", func(t *testing.T) {
		f := &fakeList{n: 10}
		items, _, err := cobo.CollectPages(t.Context(), 0, "number", f.page, nil)
		if err != nil || len(items) != 0 || len(f.limits) != 0 {
			t.Fatalf("items %v, %d requests, err %v; want none", items, len(f.limits), err)
		}
	})
}
