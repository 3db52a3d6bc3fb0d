package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// Default timeouts of the resource's operations and the data sources' reads (the `timeouts` block).
// Every attempt, retry and backoff of an operation happens within its timeout; an attempt alone is
// bounded by cobo.DefaultTimeout (20 s). A read gets 45 s: two attempts and the backoff between
// them, so a plan over a Cobo that never answers fails in under a minute (Terraform reads up to 10
// orders at once). A create gets longer: it may also have to look its order up by psp_order_code.
const (
	defaultCreateTimeout = 2 * time.Minute
	defaultReadTimeout   = 45 * time.Second
	defaultUpdateTimeout = time.Minute
	defaultDeleteTimeout = time.Minute
)

// operationTimeout is one operation's time limit: its attribute in the timeouts block and its value.
type operationTimeout struct {
	name     string // create, read, update or delete
	duration time.Duration
	of       string // "resource" or "data source"
}

// start returns ctx bounded by the timeout.
func (t operationTimeout) start(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, t.duration)
}

// diagnostic is apiErrorDiagnostic, unless the operation ran out of time: then it says which timeout
// ran out and how to raise it.
func (t operationTimeout) diagnostic(ctx context.Context, summary string, err error) diag.Diagnostic {
	if !errors.Is(ctx.Err(), context.DeadlineExceeded) && !errors.Is(err, cobo.ErrOutOfTime) {
		return apiErrorDiagnostic(summary, err)
	}
	return diag.NewErrorDiagnostic(summary, fmt.Sprintf(
		"The %s timeout of %s ran out before Cobo answered: %v.\n\n"+
			"If Cobo is only slow, raise the timeout with a timeouts block in this %s, for example:\n\n"+
			"  timeouts {\n    %s = %q\n  }",
		t.name, formatDuration(t.duration), err, t.of, t.name, formatDuration(2*t.duration)))
}

// timeoutFrom reads a configured timeout, or the default: get is one of timeouts.Value's methods.
func timeoutFrom(ctx context.Context, of, name string, def time.Duration, get func(context.Context, time.Duration) (time.Duration, diag.Diagnostics), diags *diag.Diagnostics) operationTimeout {
	d, ds := get(ctx, def)
	diags.Append(ds...)
	return operationTimeout{name: name, duration: d, of: of}
}

// formatDuration writes a duration as Terraform users write timeouts: "45s", "2m", "1m30s".
func formatDuration(d time.Duration) string {
	switch {
	case d >= time.Minute && d%time.Minute == 0:
		return fmt.Sprintf("%dm", d/time.Minute)
	case d >= time.Second && d%time.Second == 0 && d < time.Minute:
		return fmt.Sprintf("%ds", d/time.Second)
	}
	s := d.String()
	if len(s) > 4 && s[len(s)-4:] == "m0s" {
		s = s[:len(s)-2]
	}
	return s
}
