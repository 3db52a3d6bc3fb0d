package sandbox

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// The HTTP side of delivery. By default nothing leaves the machine: a url whose host is not loopback
// by its spelling (cobo.IsLoopbackHost) is never resolved nor dialed, and the dialer refuses any
// address that is not loopback once resolved (a name such as localhost, which a hosts file could
// point elsewhere). Options.DeliverRemote (-deliver-remote) lifts both. Redirects are never followed
// (a 3xx is a failed attempt), no proxy from the environment is used, and https to a loopback host
// skips certificate verification (a local receiver has no certificate a CA signed); https elsewhere
// is verified.

// maxLoggedResponse is how much of an endpoint's answer a log keeps.
const maxLoggedResponse = 4096

// remoteRefusedReason is the failure reason of a delivery the sandbox refused to send off the machine.
const remoteRefusedReason = "not sent: %s is not a loopback host, and the sandbox delivers only to loopback addresses unless it is started with -deliver-remote (Options.DeliverRemote)"

// deliveryClients are the HTTP clients of delivery, sharing their transports across endpoints.
type deliveryClients struct {
	loopback *http.Client // loopback hosts: certificates not verified
	remote   *http.Client // other hosts (only with DeliverRemote)
}

func newDeliveryClients(deliverRemote bool) deliveryClients {
	noRedirect := func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	dialer := &net.Dialer{Timeout: cobo.WebhookDeliveryTimeout}
	if !deliverRemote {
		dialer.Control = refuseNonLoopback
	}
	transport := func(verify bool) *http.Transport {
		return &http.Transport{
			DialContext: dialer.DialContext, Proxy: nil, MaxIdleConnsPerHost: deliveryWorkersPerEndpoint,
			IdleConnTimeout: 30 * time.Second, TLSHandshakeTimeout: cobo.WebhookDeliveryTimeout,
			TLSClientConfig: &tls.Config{InsecureSkipVerify: !verify, MinVersion: tls.VersionTLS12}, //nolint:gosec // loopback only, see above
		}
	}
	client := func(verify bool) *http.Client {
		return &http.Client{Transport: transport(verify), Timeout: cobo.WebhookDeliveryTimeout, CheckRedirect: noRedirect}
	}
	return deliveryClients{loopback: client(false), remote: client(true)}
}

// refuseNonLoopback is the dialer's check on the resolved address.
func refuseNonLoopback(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		return fmt.Errorf(remoteRefusedReason, address)
	}
	return nil
}

func (c deliveryClients) closeIdle() {
	c.loopback.CloseIdleConnections()
	c.remote.CloseIdleConnections()
}

// attemptResult is what one send of an attempt saw.
type attemptResult struct {
	status  int // 0: no answer
	body    string
	elapsed time.Duration
	failure string // why it is not delivered ("" when delivered)
}

func (r attemptResult) ok() bool { return r.failure == "" }

// log is the WebhookEventLog of one send.
func (r attemptResult) log(job *deliveryJob, now time.Time) cobo.WebhookEventLog {
	headers := make(map[string]string, len(job.header))
	for k, v := range job.header {
		headers[k] = strings.Join(v, ", ")
	}
	l := cobo.WebhookEventLog{ID: newUUID(), CreatedTimestamp: now.UnixMilli(), RequestHeaders: headers, RequestBody: job.body, Success: r.ok()}
	if r.status != 0 {
		status, ms, body := r.status, r.elapsed.Milliseconds(), r.body
		l.ResponseStatusCode, l.ResponseTime, l.ResponseBody = &status, &ms, &body
	}
	if !r.ok() {
		l.FailureReason = strPtr(r.failure)
	}
	return l
}

// send makes the attempt: after a delay fault's wait, one POST, or two with a duplicate fault.
func (c deliveryClients) send(ctx context.Context, job *deliveryJob, deliverRemote bool) []attemptResult {
	u, err := url.Parse(job.ev.URL)
	if err != nil || u.Hostname() == "" {
		return []attemptResult{{failure: fmt.Sprintf("not sent: the endpoint url %q is not an absolute URL", job.ev.URL)}}
	}
	loopback := cobo.IsLoopbackHost(u.Hostname())
	if !loopback && !deliverRemote {
		return []attemptResult{{failure: fmt.Sprintf(remoteRefusedReason, u.Hostname())}}
	}
	client := c.remote
	if loopback {
		client = c.loopback
	}
	if f := job.fault; f != nil && f.Delay > 0 && !waitCtx(ctx, f.Delay) {
		return []attemptResult{{failure: "not sent: the sandbox stopped"}}
	}
	results := []attemptResult{post(ctx, client, job)}
	if f := job.fault; f != nil && f.Duplicate {
		results = append(results, post(ctx, client, job))
	}
	return results
}

// post sends the event once and reads at most maxLoggedResponse bytes of the answer.
func post(ctx context.Context, client *http.Client, job *deliveryJob) attemptResult {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, job.ev.URL, bytes.NewReader(job.body))
	if err != nil {
		return attemptResult{failure: "not sent: " + err.Error()}
	}
	req.Header = job.header // read only: the transport does not change it, and a duplicate sends it again
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return attemptResult{elapsed: time.Since(start), failure: describeSendError(err)}
	}
	defer func() { _ = resp.Body.Close() }()
	var buf bytes.Buffer
	_, readErr := io.Copy(&buf, io.LimitReader(resp.Body, maxLoggedResponse+1))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
	r := attemptResult{status: resp.StatusCode, elapsed: time.Since(start), body: truncateResponse(buf.Bytes())}
	switch {
	case readErr != nil:
		r.failure = "reading the answer failed: " + describeSendError(readErr)
	case !cobo.IsWebhookDelivered(resp.StatusCode):
		r.failure = fmt.Sprintf("the endpoint answered %d; only 200 or 201 counts as delivered (redirects are not followed)", resp.StatusCode)
	}
	return r
}

func truncateResponse(b []byte) string {
	if len(b) > maxLoggedResponse {
		return strings.ToValidUTF8(string(b[:maxLoggedResponse]), "") + "...(truncated)"
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

// describeSendError names a failed send the way an operator reads it.
func describeSendError(err error) string {
	var netErr net.Error
	switch {
	case errors.As(err, &netErr) && netErr.Timeout():
		return fmt.Sprintf("timeout: no answer within %s", cobo.WebhookDeliveryTimeout)
	case strings.Contains(err.Error(), "-deliver-remote"):
		var opErr *net.OpError
		if errors.As(err, &opErr) && opErr.Err != nil {
			return opErr.Err.Error()
		}
	}
	return err.Error()
}
