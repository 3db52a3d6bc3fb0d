package sandbox

import (
	"net/http"
	"net/url"
	"strings"
)

// Reads sorts recorded requests the way a refresh makes them: GETs of single orders, pages of the
// list endpoint (a provider's read-ahead), and anything else. Tests and make bench use it to check how
// orders were read.
type Reads struct {
	Gets  map[string]int    // order id -> GETs of it
	Pages []RecordedRequest // GET /v2/payments/orders, in the order received
	Other []RecordedRequest
}

// ClassifyReads sorts reqs (as Requests returns them) into Reads.
func ClassifyReads(reqs []RecordedRequest) Reads {
	r := Reads{Gets: map[string]int{}}
	for _, req := range reqs {
		if req.Method == http.MethodGet {
			if req.Path == ordersPath {
				r.Pages = append(r.Pages, req)
				continue
			}
			if rest, ok := strings.CutPrefix(req.Path, ordersPath+"/"); ok && !strings.Contains(rest, "/") {
				if id, err := url.PathUnescape(rest); err == nil {
					r.Gets[id]++
					continue
				}
			}
		}
		r.Other = append(r.Other, req)
	}
	return r
}

// GetCount is the number of GETs of single orders.
func (r Reads) GetCount() int {
	n := 0
	for _, c := range r.Gets {
		n += c
	}
	return n
}
