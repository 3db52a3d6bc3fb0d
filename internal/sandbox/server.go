package sandbox

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"
)

// Server is a Sandbox served by a real http.Server (for the cobo-sandbox command, demos and
// benchmarks). Tests usually prefer sandboxtest.New.
type Server struct {
	Sandbox *Sandbox

	srv  *http.Server
	ln   net.Listener
	done chan struct{}
	err  error
}

// Start listens on addr (such as "127.0.0.1:18080"; port 0 picks a free port) and serves a new Sandbox
// configured by opts until Shutdown. It binds only addr.
func Start(addr string, opts Options) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	sb := New(opts)
	s := &Server{
		Sandbox: sb,
		ln:      ln,
		done:    make(chan struct{}),
		srv: &http.Server{
			Handler:           sb,
			ConnState:         sb.ConnState,
			ReadHeaderTimeout: 10 * time.Second,
			IdleTimeout:       2 * time.Minute,
			MaxHeaderBytes:    64 << 10,
		},
	}
	go func() {
		defer close(s.done)
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.err = err
		}
	}()
	return s, nil
}

// Addr is the address the server listens on (with the real port when port 0 was asked for).
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// URL is the root URL, such as http://127.0.0.1:18080.
func (s *Server) URL() string { return "http://" + s.ln.Addr().String() }

// BaseURL is the API base URL, URL() + "/v2": what a client (or COBO_HOST) needs.
func (s *Server) BaseURL() string { return s.URL() + apiPrefix }

// Shutdown stops accepting connections and waits for active requests (http.Server.Shutdown), then
// reports any error the server stopped with.
func (s *Server) Shutdown(ctx context.Context) error {
	if err := s.srv.Shutdown(ctx); err != nil {
		return err
	}
	select {
	case <-s.done:
		return s.err
	case <-ctx.Done():
		return ctx.Err()
	}
}
