package contract

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
)

// Transport returns an http.RoundTripper that sends through next (http.DefaultTransport when nil) and
// validates every answer it receives; give it to cobo.Config.Transport or an http.Client. The caller
// still reads the body as usual.
func (v *Validator) Transport(next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return roundTripper{v: v, next: next}
}

type roundTripper struct {
	v    *Validator
	next http.RoundTripper
}

func (rt roundTripper) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := rt.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	_ = rt.v.ValidateResponse(req, resp.StatusCode, resp.Header, body)
	return resp, nil
}

// Handler wraps next (such as a *sandbox.Sandbox) so that every answer it writes is validated before it
// is sent, whichever client sent the request (for example a provider under acceptance test). The answer
// is buffered, so a handler that hijacks the connection (a sandbox drop-connection fault) is not
// supported behind it.
func (v *Validator) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		answer := rec.Result()
		body := rec.Body.Bytes()
		_ = v.ValidateResponse(r, answer.StatusCode, answer.Header, body)
		for k, vals := range answer.Header {
			w.Header()[k] = vals
		}
		w.WriteHeader(answer.StatusCode)
		_, _ = w.Write(body)
	})
}
