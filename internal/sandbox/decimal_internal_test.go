package sandbox

import (
	"math/big"
	"net/http"
	"net/url"
	"testing"
)

func rawTargetOf(uri string) (string, string) {
	return rawTarget(&http.Request{RequestURI: uri, URL: &url.URL{Path: "/ignored"}})
}

func TestRoundHalfUp2(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"103.030303", "103.03"},
		{"0.005", "0.01"},
		{"0.004999", "0.00"},
		{"2.675", "2.68"}, // a float64 would give 2.67
		{"1.115", "1.12"},
		{"1.125", "1.13"}, // half up, not half even
		{"100", "100.00"},
		{"0", "0.00"},
		{"123456789012345678.995", "123456789012345679.00"},
	} {
		r, ok := new(big.Rat).SetString(tc.in)
		if !ok {
			t.Fatalf("bad input %q", tc.in)
		}
		if got := roundHalfUp2(r); got != tc.want {
			t.Errorf("roundHalfUp2(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestAddressFor(t *testing.T) {
	t.Parallel()
	for chain, n := range map[string]int{"ETH": 42, "TRON": 34, "SOL": 44, "BSC": 42} {
		a := addressFor(chain, "seed")
		if len(a) != n || a != addressFor(chain, "seed") || a == addressFor(chain, "other") {
			t.Errorf("%s: %q (len %d, want %d, deterministic and seed-dependent)", chain, a, len(a), n)
		}
	}
	if a := addressFor("TRON", "x"); a[0] != 'T' {
		t.Errorf("TRON address %q does not start with T", a)
	}
}

func TestRawTarget(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ uri, path, query string }{
		{"/v2/payments/orders?limit=10&statuses=Pending%2CProcessing", "/v2/payments/orders", "limit=10&statuses=Pending%2CProcessing"},
		{"/v2/payments/orders/O%2D1", "/v2/payments/orders/O%2D1", ""},
		{"/v2/x?a=1?b=2", "/v2/x", "a=1?b=2"},
		{"http://example.com/v2/y?q=1", "/v2/y", "q=1"},
		{"/v2/z?", "/v2/z", ""},
	} {
		p, q := rawTargetOf(tc.uri)
		if p != tc.path || q != tc.query {
			t.Errorf("%q: path %q query %q, want %q %q", tc.uri, p, q, tc.path, tc.query)
		}
	}
}
