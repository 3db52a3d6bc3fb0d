package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// client reaches a running sandbox: its signed /v2 API through package cobo, its helpers directly.
type client struct {
	ctx     context.Context
	api     *cobo.Client // nil for commands that do not sign
	capture *captureTransport
	root    string // the sandbox root URL, COBO_HOST without /v2
	http    *http.Client
	out     io.Writer
	notes   io.Writer // stderr: what the user should know besides the answer
}

func runClient(noun string, args []string, stdout, stderr io.Writer) error {
	cmd, rest, ok := lookupCommand(noun, args)
	if !ok {
		return usageErrorf("%s needs one of: %s", noun, strings.Join(verbsOf(noun), ", "))
	}
	fs := flag.NewFlagSet("cobo-sandbox "+noun+" "+cmd.verb, flag.ContinueOnError)
	fs.SetOutput(stderr)
	host := fs.String("host", "", "the sandbox's API base URL, ending in /v2 (default $COBO_HOST)")
	secret := fs.String("api-secret", "", "the API secret, 64 hex characters (default $COBO_API_SECRET, which keeps it out of the process list)")
	action := cmd.flags(fs)
	positional, err := parseInterspersed(fs, rest)
	if err != nil {
		return err
	}
	if *host == "" {
		*host = os.Getenv("COBO_HOST")
	}
	if *secret == "" {
		*secret = os.Getenv("COBO_API_SECRET")
	}
	c, err := newClient(*host, *secret, cmd.needsSecret, stdout)
	if err != nil {
		return err
	}
	c.notes = stderr
	if err := wantArgs(positional, cmd.args...); err != nil {
		return err
	}
	return withHint(action(c, positional), *host)
}

// withHint adds what to check to the two errors a newcomer meets most: no sandbox at COBO_HOST, and
// an order this sandbox and secret do not know.
func withHint(err error, host string) error {
	var noAnswer *cobo.TransportError
	switch {
	case errors.As(err, &noAnswer):
		return fmt.Errorf("%w\n%s", err, noSandboxHint(host))
	case cobo.IsNotFound(err):
		return fmt.Errorf("%w\nThe sandbox at %s knows no such order for this API secret. Each API secret is its own organization: use the COBO_API_SECRET "+
			"the order was created with. A sandbox started without -state forgets its orders when it stops; -state FILE keeps them across restarts", err, host)
	}
	return err
}

func noSandboxHint(host string) string {
	return "Is the sandbox running? Start it with cobo-sandbox -addr 127.0.0.1:18080 (-addr 127.0.0.1:0 picks a free port) " +
		"and set COBO_HOST to the API base URL it prints; COBO_HOST is " + strconv.Quote(host)
}

func newClient(host, secret string, needsSecret bool, out io.Writer) (*client, error) {
	if host == "" {
		return nil, usageErrorf("no sandbox to talk to: set COBO_HOST (or -host) to the API base URL the sandbox printed, such as http://127.0.0.1:18080/v2")
	}
	if err := cobo.ValidateBaseURL(host); err != nil || !strings.HasSuffix(strings.TrimRight(host, "/"), "/v2") {
		return nil, usageErrorf("COBO_HOST (or -host) must be the sandbox's API base URL ending in /v2, such as http://127.0.0.1:18080/v2; got %q", host)
	}
	c := &client{
		ctx:     context.Background(),
		capture: &captureTransport{base: cobo.NewTransport()},
		root:    strings.TrimSuffix(strings.TrimRight(host, "/"), "/v2"),
		http:    &http.Client{Timeout: 30 * time.Second},
		out:     out,
		notes:   io.Discard,
	}
	if !needsSecret {
		return c, nil
	}
	if secret == "" {
		return nil, usageErrorf("no API secret: set COBO_API_SECRET (or -api-secret) to the secret the sandbox printed, or any 64 hex characters")
	}
	api, err := cobo.New(cobo.Config{BaseURL: host, APISecret: secret, UserAgent: "cobo-sandbox-cli", Transport: c.capture})
	if err != nil {
		return nil, fmt.Errorf("COBO_API_SECRET (or -api-secret): %w", err)
	}
	c.api = api
	return c, nil
}

// captureTransport keeps the body of the last answer, so that an Order is printed exactly as the API
// returned it (package cobo decodes it into a struct, which would drop keys it does not know).
type captureTransport struct {
	base       http.RoundTripper
	lastMethod string
	lastBody   []byte
}

func (t *captureTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, cobo.DefaultMaxResponseBytes))
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	t.lastMethod, t.lastBody = r.Method, body
	return resp, nil
}

// last is the body of the last answer when it came from a request with that method.
func (t *captureTransport) last(method string) []byte {
	if t.lastMethod != method {
		return nil
	}
	return t.lastBody
}

// printJSON writes a JSON document as it is, on one line.
func (c *client) printJSON(raw []byte) error {
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return fmt.Errorf("the sandbox answered something that is not JSON: %w", err)
	}
	buf.WriteByte('\n')
	_, err := c.out.Write(buf.Bytes())
	return err
}

// helper calls a /_sandbox route; a non-2xx answer is an error with the helper's message.
func (c *client) helper(method, path string, in any) ([]byte, error) {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return nil, err
		}
		body = bytes.NewReader(b)
	}
	url := c.root + "/_sandbox" + path
	req, err := http.NewRequestWithContext(c.ctx, method, url, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w\n%s", method, url, err, noSandboxHint(c.root+"/v2"))
	}
	defer func() { _ = resp.Body.Close() }()
	out, err := io.ReadAll(io.LimitReader(resp.Body, cobo.DefaultMaxResponseBytes))
	if err != nil {
		return nil, fmt.Errorf("%s %s: reading the answer: %w", method, url, err)
	}
	if resp.StatusCode/100 != 2 {
		var e struct {
			Error string `json:"error"`
		}
		if json.Unmarshal(out, &e) != nil || e.Error == "" {
			e.Error = strings.TrimSpace(string(out))
		}
		return nil, fmt.Errorf("%s %s answered HTTP %d: %s", method, url, resp.StatusCode, e.Error)
	}
	return out, nil
}

// printAnswer prints the answer to the last request, made with method, exactly as the API sent it; err
// is that request's error, returned instead.
func (c *client) printAnswer(method string, err error) error {
	if err != nil {
		return err
	}
	return c.printJSON(c.capture.last(method))
}

// printHelper calls a /_sandbox route and prints its answer.
func (c *client) printHelper(method, path string, in any) error {
	out, err := c.helper(method, path, in)
	if err != nil {
		return err
	}
	return c.printJSON(out)
}

// printHelperField calls a /_sandbox route and prints the value of key in its answer.
func (c *client) printHelperField(method, path string, in any, key string) error {
	out, err := c.helper(method, path, in)
	if err == nil {
		out, err = field(out, key)
	}
	if err != nil {
		return err
	}
	return c.printJSON(out)
}

// field extracts one key of a JSON object answer.
func field(raw []byte, key string) ([]byte, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("the sandbox answered something that is not a JSON object: %w", err)
	}
	v, ok := m[key]
	if !ok {
		return nil, errors.New("the sandbox's answer has no " + key)
	}
	return v, nil
}

// wantArgs checks the number of positional arguments.
func wantArgs(args []string, names ...string) error {
	if len(args) != len(names) {
		if len(names) == 0 {
			return usageErrorf("unexpected arguments: %s", strings.Join(args, " "))
		}
		return usageErrorf("want %s, got %d arguments", strings.Join(names, " "), len(args))
	}
	return nil
}
