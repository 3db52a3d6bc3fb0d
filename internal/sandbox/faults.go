package sandbox

import (
	"context"
	"strings"
	"time"
)

// Fault is a failure injected into API (/v2) requests, or, with Delivery, into webhook deliveries;
// helper routes under /_sandbox are never affected. Faults are matched in the order they were added: a
// request (or an event's delivery attempt) takes the first fault that matches it and still has uses
// left, and consumes one use of it. One Fault can combine a Delay with a Status or a DropConnection,
// or, for deliveries, a Delay with Duplicate.
type Fault struct {
	// Delivery makes the fault apply to webhook delivery attempts instead of API requests: EventType
	// selects them, Delay holds the attempt (signed before the wait, so its BIZ_TIMESTAMP is as old as
	// the delay) and Duplicate sends it twice. Method, Path, Status, DropConnection and the answer fields
	// do not apply.
	Delivery bool
	// EventType is a prefix of the event types a delivery fault applies to, such as
	// "payment.transaction." ("" matches any).
	EventType string
	// Duplicate sends each matching delivery attempt twice, the same body with the same event_id, as
	// Cobo may (receivers deduplicate by event_id); both sends are logged, the first decides the status.
	Duplicate bool

	// Method restricts the fault to one HTTP method ("" matches any).
	Method string
	// Path is a prefix of the raw URL path, such as "/v2/payments/orders" ("" matches any /v2 path).
	Path string
	// Status, when not 0, is answered instead of handling the request (nothing is committed), with Body,
	// ContentType (none when empty) and a Retry-After header when RetryAfter is set.
	Status      int
	Body        string
	ContentType string
	RetryAfter  string
	// Delay is slept before anything else; if the client gives up meanwhile the request is not handled.
	Delay time.Duration
	// DropConnection closes the TCP connection without any answer. Without AfterCommit nothing is
	// handled; with AfterCommit the request is handled fully (an order is created and stored) first.
	DropConnection bool
	AfterCommit    bool
	// Times is how many requests (or delivery attempts) the fault applies to: 0 means 1, a negative value means every request
	// until ClearFaults or Reset.
	Times int
}

type faultState struct {
	Fault
	left int // < 0: unlimited
}

// AddFault appends a fault (see Fault).
func (s *Sandbox) AddFault(f Fault) {
	left := f.Times
	if left == 0 {
		left = 1
	}
	if left < 0 {
		left = -1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &faultState{Fault: f, left: left})
}

// ClearFaults removes every fault.
func (s *Sandbox) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// Faults returns the faults that still have uses left, with Times set to the uses left (-1: unlimited).
func (s *Sandbox) Faults() []Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Fault, 0, len(s.faults))
	for _, f := range s.faults {
		c := f.Fault
		c.Times = f.left
		out = append(out, c)
	}
	return out
}

// takeFault finds the first fault matching the request, consumes one use and returns a copy of it.
func (s *Sandbox) takeFault(method, path string) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.faults) == 0 || (path != apiPrefix && !strings.HasPrefix(path, apiPrefix+"/")) {
		return nil // faults apply to /v2 routes only
	}
	return s.takeFirstFaultLocked(func(f *Fault) bool {
		return !f.Delivery && (f.Method == "" || strings.EqualFold(f.Method, method)) && strings.HasPrefix(path, f.Path)
	})
}

// takeDeliveryFault is takeFault for a delivery attempt of an event of eventType (the lock is held).
func (s *Sandbox) takeDeliveryFault(eventType string) *Fault {
	return s.takeFirstFaultLocked(func(f *Fault) bool {
		return f.Delivery && strings.HasPrefix(eventType, f.EventType)
	})
}

// takeFirstFaultLocked consumes one use of the first fault that matches and returns a copy of it.
func (s *Sandbox) takeFirstFaultLocked(matches func(*Fault) bool) *Fault {
	for i, f := range s.faults {
		if !matches(&f.Fault) {
			continue
		}
		c := f.Fault
		if f.left > 0 {
			f.left--
			if f.left == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return &c
	}
	return nil
}

// withFaults is the chain's fault step: the first matching fault delays the call, answers for it, or
// drops the connection before or after the rest of the chain handled it.
func (s *Sandbox) withFaults(next apiStep) apiStep {
	return func(c *apiCall) *response {
		f := s.takeFault(c.method, c.path)
		switch {
		case f == nil:
			return next(c)
		case f.Delay > 0 && !waitCtx(c.ctx, f.Delay):
			return nil // the client gave up during the delay: nothing is handled
		case f.Status != 0:
			return faultAnswer(f)
		case f.DropConnection && !f.AfterCommit:
			return dropAnswer
		}
		resp := next(c)
		if f.DropConnection {
			return dropAnswer // handled and committed, never answered
		}
		return resp
	}
}

// faultAnswer is what a fault with a Status answers instead of the sandbox, like a proxy in front of Cobo.
func faultAnswer(f *Fault) *response {
	resp := &response{status: f.Status, contentType: f.ContentType, body: []byte(f.Body)}
	if f.RetryAfter != "" {
		resp.header = map[string]string{"Retry-After": f.RetryAfter}
	}
	return resp
}

// waitCtx sleeps for d or until ctx ends; it reports whether the full delay elapsed.
func waitCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
