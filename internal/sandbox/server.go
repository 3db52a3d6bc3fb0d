package sandbox

import (
	"context"
	"errors"
	"fmt"
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
// configured by opts (see Open) until Close or Shutdown. It binds only addr.
func Start(addr string, opts Options) (*Server, error) {
	sb, err := Open(opts)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		sb.Close()
		return nil, fmt.Errorf("listening on %s: %w", addr, err)
	}
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

// URL is the root URL, such as http://127.0.0.1:18080.
func (s *Server) URL() string { return "http://" + s.ln.Addr().String() }

// BaseURL is the API base URL, URL() + "/v2": what a client (or COBO_HOST) needs.
func (s *Server) BaseURL() string { return s.URL() + apiPrefix }

// Shutdown stops accepting connections and waits for active requests (http.Server.Shutdown), then
// closes the Sandbox and reports any error the server stopped with.
func (s *Server) Shutdown(ctx context.Context) error {
	defer s.Sandbox.Close()
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

// Close stops at once: the listener and every connection, idle or not, are closed without waiting
// (an idle keep-alive connection, or a request held by a delay fault, never delays it). A change being
// saved to the state file is finished first (Sandbox.Close); changes after that are refused.
func (s *Server) Close() error {
	err := s.srv.Close()
	<-s.done
	s.Sandbox.Close()
	if err != nil {
		return err
	}
	return s.err
}
