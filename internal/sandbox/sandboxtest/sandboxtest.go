// Package sandboxtest starts the Cobo sandbox (package sandbox) on a loopback port for a test.
package sandboxtest

import (
	"bytes"
	"net"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

// Server is a running sandbox.
type Server struct {
	URL     string           // root URL, such as http://127.0.0.1:40123
	BaseURL string           // URL + "/v2": the base URL a Cobo client is configured with
	Sandbox *sandbox.Sandbox // the emulator, to drive the clock, payments, faults and inspect state

	srv *httptest.Server
}

// New starts a sandbox configured by opts on 127.0.0.1:0 and closes it when the test ends. A state
// file that cannot be loaded (opts.StateFile) fails the test. Unless opts.Merchants says otherwise,
// an order for a merchant the organization lacks makes that merchant (sandbox.MerchantsAutoCreate),
// so that tests may name any merchant; pass sandbox.MerchantsAsCobo to have it refused, as Cobo does.
func New(tb testing.TB, opts sandbox.Options) *Server {
	tb.Helper()
	if opts.Merchants == sandbox.MerchantsUnset {
		opts.Merchants = sandbox.MerchantsAutoCreate
	}
	sb, err := sandbox.Open(opts)
	if err != nil {
		tb.Fatalf("sandboxtest: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("sandboxtest: listening on 127.0.0.1:0: %v", err)
	}
	ts := httptest.NewUnstartedServer(sb)
	_ = ts.Listener.Close()
	ts.Listener = ln
	ts.Config.ConnState = sb.ConnState
	ts.Start()
	s := &Server{URL: ts.URL, BaseURL: ts.URL + "/v2", Sandbox: sb, srv: ts}
	tb.Cleanup(s.Close)
	return s
}

// Close shuts the server down, then the sandbox (so that a state file is no longer written and can be
// opened by another sandbox); it is called automatically when the test ends and is safe to repeat.
func (s *Server) Close() {
	s.srv.Close()
	s.Sandbox.Close()
}

// Buffer is a bytes.Buffer that goroutines (a server's handlers, a command) and the test can share:
// a log sink or a command's output read while it runs.
type Buffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
