package cobo

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

func BenchmarkSign(b *testing.B) {
	s, err := NewSigner(testSecret)
	if err != nil {
		b.Fatal(err)
	}
	body := []byte(readmeVectors[0].body)
	b.ReportAllocs()
	for b.Loop() {
		if sig := s.Sign("PUT", "/v2/payments/orders/O20250304-M1001-1001", testNonce, "", body); len(sig) != 128 {
			b.Fatal(sig)
		}
	}
}

// BenchmarkSignAndBuildRequest is the client's per-attempt work before the network: build the request
// and run the signing hook (nonce, three headers, signature).
func BenchmarkSignAndBuildRequest(b *testing.B) {
	c := newTestClient(b, "https://api.dev.cobo.com/v2")
	body := []byte(readmeVectors[4].body)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.baseURL+"/payments/orders", bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		if err := c.sign(nil, req); err != nil {
			b.Fatal(err)
		}
		if req.Header.Get(HeaderSignature) == "" {
			b.Fatal("unsigned")
		}
	}
}

func BenchmarkDecodeOrder(b *testing.B) {
	data := []byte(fullOrderJSON)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		o, err := DecodeOrder(data)
		if err != nil || len(o.Transactions) != 3 {
			b.Fatal(o, err)
		}
	}
}

// BenchmarkGetRoundTrip is one signed GET through the Client to a local server over a kept-alive connection.
func BenchmarkGetRoundTrip(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, fullOrderJSON)
	}))
	b.Cleanup(srv.Close)
	c := newTestClient(b, srv.URL+"/v2")
	ctx := context.Background()
	if _, err := c.GetPaymentOrder(ctx, "O20250304-M1001-1001"); err != nil { // warm the connection
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.GetPaymentOrder(ctx, "O20250304-M1001-1001"); err != nil {
			b.Fatal(err)
		}
	}
}
