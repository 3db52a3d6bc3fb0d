package sandbox

import "testing"

func TestClassifyReads(t *testing.T) {
	t.Parallel()
	reqs := []RecordedRequest{
		{Method: "GET", Path: "/v2/payments/orders/O1"},
		{Method: "GET", Path: "/v2/payments/orders/O1"},
		{Method: "GET", Path: "/v2/payments/orders/O%2D2"},
		{Method: "GET", Path: "/v2/payments/orders", Query: "limit=50"},
		{Method: "POST", Path: "/v2/payments/orders"},
		{Method: "PUT", Path: "/v2/payments/orders/O1"},
		{Method: "GET", Path: "/v2/payments/orders/O1/extra"},
	}
	r := ClassifyReads(reqs)
	if r.Gets["O1"] != 2 || r.Gets["O-2"] != 1 || len(r.Gets) != 2 || r.GetCount() != 3 {
		t.Errorf("GETs: %v", r.Gets)
	}
	if len(r.Pages) != 1 || r.Pages[0].Query != "limit=50" {
		t.Errorf("pages: %+v", r.Pages)
	}
	if len(r.Other) != 3 {
		t.Errorf("other: %+v", r.Other)
	}
}
