package sandbox

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// Options configures a Sandbox.
type Options struct {
	// AllowedAPIKeys are the hex API keys (Ed25519 public keys) accepted. Empty: any well-formed key is
	// accepted, and each key is its own organization.
	AllowedAPIKeys []string
	// ExtraTokens are payable_currency values accepted besides cobo.PayinTokenIDs and their aliases.
	ExtraTokens []string
	// Now is the base clock; the business clock is Now() plus everything Advance added. Default time.Now.
	// Nonces are always checked against the real wall clock (time.Now), never against this clock.
	Now func() time.Time
	// StateFile, when set, keeps the orders, the webhook endpoints, key and events, the sequences and
	// the clock in this file, so that a restarted sandbox continues where it stopped (see state.go); every change is
	// written before it is answered. Use Open: New panics when the file cannot be loaded. Empty:
	// everything is in memory.
	StateFile string
	// WebhookApproval makes every webhook endpoint registration, update and revoke wait for approval
	// (STATUS_PENDING_*), as in an organization that requires approval in Cobo Portal; see
	// ApproveWebhookEndpoint and RejectWebhookEndpoint. Default: changes apply at once.
	WebhookApproval bool
	// Log, when set, receives one line per request: time, method, path, status, duration and at most the
	// first 8 characters of the API key. Never a secret, a signature or a body.
	Log io.Writer
	// WebhookSecret, when set, is the sandbox's webhook signing key: 64 hex characters, an Ed25519
	// seed (the -webhook-secret flag). Empty: a key made at first start, kept in the state file.
	WebhookSecret string
	// DeliverRemote lets webhook deliveries leave the machine (the -deliver-remote flag). Default: only
	// loopback addresses are delivered to; any other endpoint's deliveries are logged as failed.
	DeliverRemote bool
	// DefaultMerchantID is the id of each organization's default merchant (wallet_setup Default);
	// empty: DefaultMerchantID (M1001).
	DefaultMerchantID string
	// Merchants says what an order for a merchant the organization lacks gets: refused (the zero
	// value and MerchantsAsCobo) or the merchant made with it (MerchantsAutoCreate, what sandboxtest
	// uses unless told otherwise).
	Merchants MerchantMode
	// Rates are USD exchange rates by token id (units of USD per token), the -rate flag; a token
	// without one has PricingRates["USD"]. They win over rates kept in the state file.
	Rates map[string]string
}

// MaxBodyBytes is the largest request body the sandbox reads (1 MiB).
const MaxBodyBytes = 1 << 20

// maxRecorded is how many requests Requests keeps (the most recent ones).
const maxRecorded = 10000

// Stats are the sandbox's transport counters. They are cumulative: Reset does not clear them.
type Stats struct {
	ConnectionsOpened int64 `json:"connections_opened"` // new TCP connections seen by ConnState
	Requests          int64 `json:"requests"`           // requests to API (non-/_sandbox) paths
}

// RecordedRequest is one API request as the sandbox received it. It never holds the signature.
type RecordedRequest struct {
	Method    string    `json:"method"`
	Path      string    `json:"path"`  // raw path, as received
	Query     string    `json:"query"` // raw query, without '?'
	Body      string    `json:"body"`
	Status    int       `json:"status"`     // 0 when no answer was written (dropped connection, cancelled delay)
	APIKey    string    `json:"api_key"`    // the Biz-Api-Key header as sent (a public key)
	UserAgent string    `json:"user_agent"` // the User-Agent header as sent
	Time      time.Time `json:"time"`       // the sandbox business clock when the request arrived
}

// Sandbox is an in-process emulator of Cobo's pay-in order API. It is an http.Handler; see the package
// documentation for the routes.
type Sandbox struct {
	opts        Options
	allowedKeys map[string]bool // lower-case hex; nil means any well-formed key
	extraTokens map[string]bool
	baseNow     func() time.Time
	offset      atomic.Int64 // nanoseconds added by Advance

	connections atomic.Int64
	apiRequests atomic.Int64

	api apiStep // the API chain after recording: faults -> signature -> route

	logMu sync.Mutex

	mu              sync.Mutex
	idPrefix        string      // unique per sandbox (kept in the state file): ids never repeat across restarts
	suggestedSecret string      // see SuggestedSecret
	store           *stateStore // nil without Options.StateFile
	closed          bool        // Close was called: changes are refused
	webhookKey      *webhookKey // signs delivered events (webhook_key.go)
	events          *eventStore // webhook events and their delivery logs (webhook_events.go), a table kept by -state
	delivery        *deliverer  // sends events; nil until there is an endpoint or event (webhook_delivery.go)
	faults          []*faultState
	requests        []RecordedRequest // ring buffer of at most maxRecorded
	reqStart        int               // index of the oldest entry once the ring is full
	extras          []extraField      // sorted by key

	// The entities in generic tables (store.go), all kept by -state through tables.
	orders           *table[order] // its sequence is the global order sequence: never reset, so ids stay unique
	merchants        *table[merchant]
	webhookEndpoints *table[webhookEndpoint]
	refunds          *table[refund]
	balances         *table[balance]
	rates            rateTable
	tables           tableRegistry
}

type extraField struct {
	key   string
	value json.RawMessage
}

// New returns a Sandbox configured by opts. It panics when opts.StateFile is set and cannot be loaded;
// Open returns that error instead.
func New(opts Options) *Sandbox {
	s, err := Open(opts)
	if err != nil {
		panic(err)
	}
	return s
}

// Open returns a Sandbox configured by opts, with the state of opts.StateFile when it is set (a missing
// file is created; a file that cannot be read as a state is an error naming it, and is left untouched).
func Open(opts Options) (*Sandbox, error) {
	s := &Sandbox{opts: opts, baseNow: opts.Now, idPrefix: newIDPrefix(), suggestedSecret: randomHex(32)}
	if s.baseNow == nil {
		s.baseNow = time.Now
	}
	if len(opts.AllowedAPIKeys) > 0 {
		s.allowedKeys = make(map[string]bool, len(opts.AllowedAPIKeys))
		for _, k := range opts.AllowedAPIKeys {
			s.allowedKeys[strings.ToLower(strings.TrimSpace(k))] = true
		}
	}
	s.extraTokens = make(map[string]bool, len(opts.ExtraTokens))
	for _, t := range opts.ExtraTokens {
		if t = strings.TrimSpace(t); t != "" {
			s.extraTokens[t] = true
		}
	}
	if err := s.initTables(); err != nil {
		return nil, err
	}
	s.api = s.withFaults(s.withSignature(s.route))
	key, err := newWebhookKey(opts.WebhookSecret)
	if err != nil {
		return nil, fmt.Errorf("Options.WebhookSecret: %w", err)
	}
	s.webhookKey = key
	s.resetStateLocked()
	if opts.StateFile != "" {
		s.mu.Lock()
		defer s.mu.Unlock()
		if err := s.loadState(opts.StateFile); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// SuggestedSecret is a random API secret for this sandbox (any well-formed secret works unless
// AllowedAPIKeys is set), the one cobo-sandbox prints. With a state file it is kept there, so that a
// restarted sandbox suggests the same secret, whose organization owns the orders created with it.
func (s *Sandbox) SuggestedSecret() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.suggestedSecret
}

// newIDPrefix is the middle part of this sandbox's order ids: the start time in milliseconds and two
// random characters, base 36. Two runs started in different milliseconds never share it, so a
// restarted sandbox never hands out an id it (or an earlier run) already gave to someone else.
func newIDPrefix() string {
	const digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	b := make([]byte, 2)
	_, _ = rand.Read(b)
	ms := time.Now().UnixMilli()
	for { // sandboxes opened in one process within the same millisecond still get distinct prefixes
		last := lastPrefixMS.Load()
		ms = max(ms, last+1)
		if lastPrefixMS.CompareAndSwap(last, ms) {
			break
		}
	}
	return strings.ToUpper(strconv.FormatInt(ms, 36)) + string([]byte{digits[b[0]%36], digits[b[1]%36]})
}

// lastPrefixMS is the millisecond of the last id prefix this process made.
var lastPrefixMS atomic.Int64

func (s *Sandbox) resetStateLocked() {
	s.faults = nil
	s.requests = nil
	s.reqStart = 0
	s.extras = nil
	s.tables.resetAll()
	s.applyRateOptionsLocked()
}

// Reset clears orders, merchants, balances, refunds, rates set by SetRate, webhook endpoints and events, faults, recorded requests, extra order fields and the clock offset. The order
// sequence keeps counting, so order ids stay unique; Stats are kept. With a state file the reset is
// saved too; when that fails nothing is reset (POST /_sandbox/reset reports the error).
func (s *Sandbox) Reset() { _ = s.reset() }

func (s *Sandbox) reset() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.resetStateLocked()
	s.offset.Store(0)
	return s.commitLocked()
}

// Now is the sandbox business clock: Options.Now plus everything Advance added.
func (s *Sandbox) Now() time.Time {
	return s.baseNow().Add(time.Duration(s.offset.Load()))
}

// Advance moves the business clock forward by d; d <= 0 is ignored (the clock never goes back).
// Orders reach their expiry lazily, on the next request or helper call that touches them. With a
// state file the new clock is saved; when that fails the clock is unchanged (POST
// /_sandbox/clock/advance reports the error).
func (s *Sandbox) Advance(d time.Duration) { _ = s.advance(d) }

func (s *Sandbox) advance(d time.Duration) error {
	if d <= 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.offset.Add(int64(d))
	s.delivery.wake() // retries that fell due go out at once
	return s.commitLocked()
}

// ConnState counts new connections; wire it to http.Server.ConnState.
func (s *Sandbox) ConnState(_ net.Conn, st http.ConnState) {
	if st == http.StateNew {
		s.connections.Add(1)
	}
}

// Stats returns the connection and request counters.
func (s *Sandbox) Stats() Stats {
	return Stats{ConnectionsOpened: s.connections.Load(), Requests: s.apiRequests.Load()}
}

// Requests returns the most recent API requests (at most 10000), oldest first.
func (s *Sandbox) Requests() []RecordedRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]RecordedRequest, 0, len(s.requests))
	out = append(out, s.requests[s.reqStart:]...)
	out = append(out, s.requests[:s.reqStart]...)
	return out
}

// ResetRequests forgets the recorded requests.
func (s *Sandbox) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
	s.reqStart = 0
}

func (s *Sandbox) record(rr RecordedRequest) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.requests) < maxRecorded {
		s.requests = append(s.requests, rr)
		return
	}
	s.requests[s.reqStart] = rr
	s.reqStart = (s.reqStart + 1) % maxRecorded
}

// SetExtraOrderFields sets keys that are added to every Order object the API returns (GET, PUT, POST
// and each order of a list), to check that clients ignore fields Cobo may add later. Keys the Order
// already has are never overridden. nil or an empty map removes them. It panics on a value
// encoding/json cannot encode.
func (s *Sandbox) SetExtraOrderFields(fields map[string]any) {
	extras := make([]extraField, 0, len(fields))
	for k, v := range fields {
		raw, err := json.Marshal(v)
		if err != nil {
			panic(fmt.Sprintf("sandbox: extra order field %q cannot be encoded as JSON: %v", k, err))
		}
		extras = append(extras, extraField{key: k, value: raw})
	}
	sort.Slice(extras, func(i, j int) bool { return extras[i].key < extras[j].key })
	s.mu.Lock()
	defer s.mu.Unlock()
	s.extras = extras
}

func (s *Sandbox) extraOrderFields() map[string]json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]json.RawMessage, len(s.extras))
	for _, e := range s.extras {
		out[e.key] = e.value
	}
	return out
}

// response is an answer computed before it is written, so that a fault can drop it after commit.
type response struct {
	status      int
	contentType string
	header      map[string]string
	body        []byte
}

func (s *Sandbox) writeResponse(w http.ResponseWriter, resp *response) {
	h := w.Header()
	if resp.contentType != "" {
		h.Set("Content-Type", resp.contentType)
	}
	for k, v := range resp.header {
		h.Set(k, v)
	}
	h.Set("Content-Length", strconv.Itoa(len(resp.body)))
	w.WriteHeader(resp.status)
	_, _ = w.Write(resp.body)
}

func jsonResponse(status int, v any) *response {
	body, err := json.Marshal(v)
	if err != nil {
		body = []byte(`{"error":"encoding the answer failed"}`)
		status = http.StatusInternalServerError
	}
	return &response{status: status, contentType: "application/json", body: body}
}

// coboError is a Cobo error body: {"error_code", "error_message", "error_id"}.
func coboError(status, code int, format string, args ...any) *response {
	return jsonResponse(status, cobo.ErrorBody{ErrorCode: code, ErrorMessage: fmt.Sprintf(format, args...), ErrorID: randomHex(16)})
}

func decisionError(d cobo.ErrorDecision, format string, args ...any) *response {
	return coboError(d.HTTPStatus, d.Code, format, args...)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// rawTarget splits the request target as received into the raw path and raw query, never re-encoding.
func rawTarget(r *http.Request) (path, query string) {
	uri := r.RequestURI
	if uri == "" || uri == "*" {
		return r.URL.EscapedPath(), r.URL.RawQuery
	}
	if !strings.HasPrefix(uri, "/") {
		// absolute-form (a proxy request): drop scheme://authority
		if i := strings.Index(uri, "://"); i >= 0 {
			rest := uri[i+3:]
			uri = "/"
			if j := strings.IndexAny(rest, "/?"); j >= 0 {
				uri = rest[j:]
				if uri[0] == '?' {
					uri = "/" + uri
				}
			}
		}
	}
	if i := strings.IndexByte(uri, '?'); i >= 0 {
		return uri[:i], uri[i+1:]
	}
	return uri, ""
}

// ServeHTTP serves the helpers under /_sandbox (helpers.go); every other request is an API call, which
// goes through the chain record -> faults -> signature -> route (api.go, where apiRoutes lists every
// operation).
func (s *Sandbox) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path, query := rawTarget(r)
	if path == helperPrefix || strings.HasPrefix(path, helperPrefix+"/") {
		s.serveHelper(w, r, path, query)
		return
	}
	s.recorded(w, r, path, query, s.api)
}

// dropAnswer is the answer of a step that closes the connection without answering; a nil answer means
// the client is gone and nothing is written.
var dropAnswer = &response{}

// recorded is the chain's first step: it reads the body, hands the call to next, and records and logs
// it before writing the answer (so a test that got the answer sees the record).
func (s *Sandbox) recorded(w http.ResponseWriter, r *http.Request, path, query string, next apiStep) {
	start, arrived := time.Now(), s.Now()
	s.apiRequests.Add(1)
	c := &apiCall{ctx: r.Context(), method: r.Method, path: path, query: query, header: r.Header}
	body, tooLarge, readErr := readBody(r)
	c.body, c.tooLarge = body, tooLarge
	var resp *response
	if readErr == nil { // otherwise the client went away while sending its body: nothing is handled
		resp = next(c)
	}
	status := 0 // no answer written: a dropped connection or a client that is gone
	if resp != nil && resp != dropAnswer {
		status = resp.status
	}
	apiKey := r.Header.Get(cobo.HeaderAPIKey)
	s.record(RecordedRequest{Method: r.Method, Path: path, Query: query, Body: string(body), Status: status, APIKey: apiKey, UserAgent: r.UserAgent(), Time: arrived})
	s.logLine(r.Method, path, status, time.Since(start), apiKey)
	switch resp {
	case nil:
	case dropAnswer:
		dropConnection(w)
	default:
		s.writeResponse(w, resp)
	}
}

// readBody reads at most MaxBodyBytes; tooLarge reports a longer body.
func readBody(r *http.Request) (body []byte, tooLarge bool, err error) {
	if r.Body == nil || r.Body == http.NoBody {
		return nil, false, nil
	}
	var buf bytes.Buffer
	if r.ContentLength > 0 && r.ContentLength <= MaxBodyBytes {
		buf.Grow(int(r.ContentLength))
	}
	n, err := io.Copy(&buf, io.LimitReader(r.Body, MaxBodyBytes+1))
	if err != nil {
		return buf.Bytes(), false, err
	}
	if n > MaxBodyBytes {
		return buf.Bytes()[:MaxBodyBytes], true, nil
	}
	return buf.Bytes(), false, nil
}

// dropConnection closes the client's connection without an answer.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	// Not hijackable (HTTP/2, or a ResponseRecorder): abort the response; net/http closes the stream.
	panic(http.ErrAbortHandler)
}

func (s *Sandbox) logLine(method, path string, status int, d time.Duration, apiKey string) {
	if s.opts.Log == nil {
		return
	}
	key := apiKey
	if len(key) > 8 {
		key = key[:8]
	}
	if key == "" {
		key = "-"
	}
	line := fmt.Sprintf("%s %s %s %d %s key=%s\n", time.Now().UTC().Format("2006-01-02T15:04:05.000Z"), method, sanitizeForLog(path), status, d.Round(time.Microsecond), sanitizeForLog(key))
	s.logMu.Lock()
	defer s.logMu.Unlock()
	_, _ = io.WriteString(s.opts.Log, line)
}

// sanitizeForLog keeps a log line on one line whatever the client sent.
func sanitizeForLog(v string) string {
	if len(v) > 200 {
		v = v[:200] + "..."
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '?'
		}
		return r
	}, v)
}
