package main

import (
	"flag"
	"net/http"
	"time"
)

// clockGet: GET /_sandbox/clock.
func clockGet(*flag.FlagSet) func(*client, []string) error {
	return func(c *client, _ []string) error {
		return c.printHelper(http.MethodGet, "/clock", nil)
	}
}

// clockAdvance: POST /_sandbox/clock/advance.
func clockAdvance(*flag.FlagSet) func(*client, []string) error {
	return func(c *client, args []string) error {
		d, err := time.ParseDuration(args[0])
		if err != nil || d < 0 {
			return usageErrorf("DURATION must be a duration such as 90s, 30m or 2h, got %q", args[0])
		}
		return c.printHelper(http.MethodPost, "/clock/advance", map[string]any{"seconds": d.Seconds()})
	}
}

// faultsAdd: POST /_sandbox/faults; prints the fault as the sandbox stored it.
func faultsAdd(fs *flag.FlagSet) func(*client, []string) error {
	method := fs.String("method", "", "only requests with this HTTP method (default: any)")
	path := fs.String("path", "", "only requests whose raw path starts with this, such as /v2/payments/orders (default: any /v2 path)")
	status := fs.Int("status", 0, "answer this HTTP status instead of handling the request")
	body := fs.String("body", "", "the body of that answer")
	contentType := fs.String("content-type", "", "the Content-Type of that answer")
	retryAfter := fs.String("retry-after", "", "a Retry-After header for that answer")
	delay := fs.Duration("delay", 0, "wait this long before handling the request, such as 2s")
	drop := fs.Bool("drop-connection", false, "close the connection without an answer")
	afterCommit := fs.Bool("after-commit", false, "with -drop-connection: handle the request fully first (an order is created), then drop")
	delivery := fs.Bool("delivery", false, "apply to webhook deliveries instead of API requests (with -duplicate, -delay, -event-type, -times)")
	eventType := fs.String("event-type", "", "with -delivery: only events whose type starts with this, such as payment.order. (default: any)")
	duplicate := fs.Bool("duplicate", false, "with -delivery: send each matching event twice, with the same event_id")
	times := fs.Int("times", 1, "how many requests (or deliveries) the fault applies to (negative: every one until faults clear)")
	return func(c *client, _ []string) error {
		in := map[string]any{
			"method": *method, "path": *path, "status": *status, "body": *body, "content_type": *contentType,
			"retry_after": *retryAfter, "delay_ms": delay.Milliseconds(), "drop_connection": *drop,
			"after_commit": *afterCommit, "delivery": *delivery, "event_type": *eventType, "duplicate": *duplicate,
			"times": *times,
		}
		return c.printHelperField(http.MethodPost, "/faults", in, "fault")
	}
}

// faultsList: GET /_sandbox/faults, as a JSON array.
func faultsList(*flag.FlagSet) func(*client, []string) error {
	return func(c *client, _ []string) error {
		return c.printHelperField(http.MethodGet, "/faults", nil, "faults")
	}
}

// faultsClear: DELETE /_sandbox/faults.
func faultsClear(*flag.FlagSet) func(*client, []string) error {
	return func(c *client, _ []string) error {
		return c.printHelper(http.MethodDelete, "/faults", nil)
	}
}
