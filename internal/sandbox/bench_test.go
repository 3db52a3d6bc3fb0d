package sandbox_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

// discardWriter is a minimal http.ResponseWriter for driving the handler without a network.
type discardWriter struct {
	h      http.Header
	status int
}

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (d *discardWriter) WriteHeader(s int)           { d.status = s }

// BenchmarkSignedGet drives the handler directly with a pre-signed GET of one order: signature
// verification, lookup, lifecycle and encoding. Run with -cpu 1 to see the single-core rate.
func BenchmarkSignedGet(b *testing.B) {
	sb := sandbox.New(sandbox.Options{})
	signer, err := cobo.NewSigner(secretFor("bench"))
	if err != nil {
		b.Fatal(err)
	}
	sign := func(method, path, body string) http.Header {
		nonce := strconv.FormatInt(time.Now().UnixMilli(), 10)
		h := http.Header{}
		h.Set(cobo.HeaderAPIKey, signer.APIKey())
		h.Set(cobo.HeaderNonce, nonce)
		h.Set(cobo.HeaderSignature, signer.Sign(method, path, nonce, "", []byte(body)))
		return h
	}
	body := createBody(nil)
	rec := httptest.NewRecorder()
	create := httptest.NewRequest("POST", "/v2/payments/orders", strings.NewReader(body))
	create.Header = sign("POST", "/v2/payments/orders", body)
	sb.ServeHTTP(rec, create)
	if rec.Code != 201 {
		b.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	o, err := cobo.DecodeOrder(rec.Body.Bytes())
	if err != nil {
		b.Fatal(err)
	}
	path := "/v2/payments/orders/" + o.OrderID
	headers := sign("GET", path, "")

	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		r := httptest.NewRequest("GET", path, nil)
		r.Header = headers
		w := &discardWriter{h: http.Header{}}
		sb.ServeHTTP(w, r)
		if w.status != 200 {
			b.Fatalf("GET: %d", w.status)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
}
