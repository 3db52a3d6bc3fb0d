package cobo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/go-resty/resty/v2"
	"golang.org/x/time/rate"
)

// Base URLs of Cobo's environments.
const (
	DevBaseURL  = "https://api.dev.cobo.com/v2"
	ProdBaseURL = "https://api.cobo.com/v2"
)

// Defaults of Config.
const (
	DefaultMaxRetries = 4
	// DefaultTimeout bounds one attempt. The operation as a whole is bounded by its context (the
	// provider's timeouts), which also cuts an attempt short; 20 s lets a 45 s read make two attempts.
	DefaultTimeout          = 20 * time.Second
	DefaultRetryWaitMin     = 500 * time.Millisecond
	DefaultRetryWaitMax     = 20 * time.Second
	DefaultMaxResponseBytes = 8 << 20
	// maxRetryAfter bounds how long a Retry-After header can make one wait.
	maxRetryAfter = 2 * time.Minute
)

// Logger receives the client's operational messages (requests, retries). Messages never carry the
// secret, signatures or bodies. The provider adapts it to tflog.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
}

// Config configures a Client.
type Config struct {
	BaseURL           string // e.g. https://api.dev.cobo.com/v2; its path is part of every signed path
	APISecret         string // hex Ed25519 seed
	UserAgent         string
	MaxRetries        int           // retries after the first attempt of an idempotent request; <0 means 0
	RequestsPerSecond float64       // client-side rate limit; 0 means none
	Timeout           time.Duration // per attempt; 0 means DefaultTimeout
	RetryWaitMin      time.Duration // first backoff; 0 means DefaultRetryWaitMin
	RetryWaitMax      time.Duration // backoff cap; 0 means DefaultRetryWaitMax
	MaxResponseBytes  int64         // larger answers are an error; 0 means DefaultMaxResponseBytes
	Transport         http.RoundTripper
	Logger            Logger
	ReadAhead         bool // let RefreshPaymentOrder and RefreshRefund answer from list pages (see readAhead)
}

// Client is a Cobo Payment API client: one per provider instance, safe for concurrent use, reusing
// connections across all requests.
type Client struct {
	http        *resty.Client
	signer      *Signer
	baseURL     string
	cfg         Config
	limiter     *rate.Limiter
	nonceMu     sync.Mutex
	lastNonce   int64
	orderReads  *readAhead[Order]  // nil unless Config.ReadAhead
	refundReads *readAhead[Refund] // likewise
}

// New validates cfg and builds a Client.
func New(cfg Config) (*Client, error) {
	signer, err := NewSigner(cfg.APISecret)
	if err != nil {
		return nil, err
	}
	if err := ValidateBaseURL(cfg.BaseURL); err != nil {
		return nil, fmt.Errorf("the base URL %w", err)
	}
	if cfg.MaxRetries < 0 {
		cfg.MaxRetries = 0
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.RetryWaitMin <= 0 {
		cfg.RetryWaitMin = DefaultRetryWaitMin
	}
	if cfg.RetryWaitMax <= 0 {
		cfg.RetryWaitMax = DefaultRetryWaitMax
	}
	if cfg.MaxResponseBytes <= 0 {
		cfg.MaxResponseBytes = DefaultMaxResponseBytes
	}
	if cfg.Transport == nil {
		cfg.Transport = NewTransport()
	}
	cfg.APISecret = "" // the signer holds the key; keep the hex out of the Client (and out of fmt output)
	c := &Client{signer: signer, baseURL: strings.TrimRight(cfg.BaseURL, "/"), cfg: cfg}
	if cfg.ReadAhead {
		c.orderReads, c.refundReads = newOrderReadAhead(c), newRefundReadAhead(c)
	}
	if cfg.RequestsPerSecond > 0 {
		c.limiter = rate.NewLimiter(rate.Limit(cfg.RequestsPerSecond), 1)
	}
	c.http = resty.New().
		SetTransport(cfg.Transport).
		SetTimeout(cfg.Timeout).
		SetLogger(discardLogger{}).
		SetResponseBodyLimit(int(cfg.MaxResponseBytes)).
		SetHeader("Accept", "application/json").
		SetHeader("User-Agent", cfg.UserAgent).
		SetPreRequestHook(c.sign)
	return c, nil
}

// NewTransport is an HTTP transport that keeps enough idle connections for Terraform's default
// parallelism (10), so concurrent refreshes reuse connections instead of opening new ones.
func NewTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone() //nolint:forcetypeassert // the standard library's own type
	t.MaxIdleConns = 64
	t.MaxIdleConnsPerHost = 32
	t.IdleConnTimeout = 90 * time.Second
	return t
}

// String keeps the key out of any formatting of a Client (fmt would otherwise print its signer's key bytes).
func (c *Client) String() string {
	return fmt.Sprintf("cobo.Client{base_url: %s, api_key: %s}", c.baseURL, c.signer.APIKey())
}

// GoString keeps the key out of %#v as well.
func (c *Client) GoString() string { return c.String() }

// APIKey is the public key derived from the configured secret.
func (c *Client) APIKey() string { return c.signer.APIKey() }

// BaseURL is the configured base URL.
func (c *Client) BaseURL() string { return c.baseURL }

// sign runs on the final *http.Request, so the signature covers exactly the path, query and body that
// go on the wire, with a fresh nonce on every attempt.
func (c *Client) sign(_ *resty.Client, r *http.Request) error {
	var body []byte
	if r.GetBody != nil && r.ContentLength > 0 { // net/http sets both for the byte bodies resty sends
		rc, err := r.GetBody()
		if err != nil {
			return err
		}
		body = make([]byte, r.ContentLength)
		if _, err := io.ReadFull(rc, body); err != nil {
			return err
		}
	}
	c.signer.SetHeaders(r.Header, r.Method, r.URL.EscapedPath(), strconv.FormatInt(c.nextNonce(), 10), r.URL.RawQuery, body)
	return nil
}

// nextNonce is the Unix time in milliseconds, strictly increasing within this client.
func (c *Client) nextNonce() int64 {
	c.nonceMu.Lock()
	defer c.nonceMu.Unlock()
	n := time.Now().UnixMilli()
	if n <= c.lastNonce {
		n = c.lastNonce + 1
	}
	c.lastNonce = n
	return n
}

// ValidateBaseURL checks that s can be a base URL: absolute http(s), no query or fragment, and a path
// that is the API base, ending in /v2 (see APIBasePathSuffix in decisions.go). The error reads after
// the name of the setting ("host must be ...").
func ValidateBaseURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("must be an absolute http or https URL including the %s path, such as %s or http://127.0.0.1:18080%s; got %q", APIBasePathSuffix, DevBaseURL, APIBasePathSuffix, s)
	}
	if !IsAPIBasePath(u.Path) {
		return fmt.Errorf("must be the API's base URL, whose path ends in %s, such as %s or http://127.0.0.1:18080%s; got %q, whose path is %q. Did you mean %q?",
			APIBasePathSuffix, DevBaseURL, APIBasePathSuffix, s, u.EscapedPath(), suggestBaseURL(u))
	}
	return nil
}

// suggestBaseURL is u with its path completed to end in the API base path.
func suggestBaseURL(u *url.URL) string {
	v := *u
	v.Path = strings.TrimRight(u.Path, "/") + APIBasePathSuffix
	v.RawPath = ""
	return v.String()
}

// ValidateOrderID rejects ids that could not be a Cobo order id and could change the request path.
// Ids are still path-escaped when sent.
func ValidateOrderID(id string) error { return validatePathID("order_id", "order", id) }

// validatePathID checks one id that goes into a request path as a segment (an order, endpoint or
// event id): not empty, at most 128 printable ASCII characters, nothing that could change the path.
func validatePathID(field, what, id string) error {
	switch {
	case id == "":
		return fmt.Errorf("%s must not be empty", field)
	case id == "." || id == "..":
		return fmt.Errorf("%s %q is not a valid %s id", field, id, what)
	case len(id) > 128:
		return fmt.Errorf("%s is %d characters long; Cobo %s ids are at most 128", field, len(id), what)
	}
	for _, r := range id {
		if r > unicode.MaxASCII || !unicode.IsPrint(r) || r == ' ' || strings.ContainsRune(`/?#%\`, r) {
			return fmt.Errorf("%s %q contains %q; Cobo %s ids are printable ASCII without spaces or any of / ? # %% \\", field, id, r, what)
		}
	}
	return nil
}

// ordersPath is the collection of orders: POST creates, GET lists.
const ordersPath = "/payments/orders"

func orderPath(id string) (string, error) { return itemPath(ordersPath, ValidateOrderID, id) }

// itemPath is the path of one object of a collection: its id, checked by validate, then escaped.
func itemPath(collection string, validate func(string) error, id string) (string, error) {
	if err := validate(id); err != nil {
		return "", err
	}
	return collection + "/" + url.PathEscape(id), nil
}

// GetPaymentOrder reads one order (GET /payments/orders/{order_id}).
func (c *Client) GetPaymentOrder(ctx context.Context, orderID string) (*Order, error) {
	path, err := orderPath(orderID)
	if err != nil {
		return nil, err
	}
	return call(ctx, c, http.MethodGet, path, "", nil, DecodeOrder)
}

// UpdatePaymentOrder updates one order (PUT /payments/orders/{order_id}); Cobo accepts expired=true.
// The request is idempotent, so it is retried like a read.
func (c *Client) UpdatePaymentOrder(ctx context.Context, orderID string, req UpdateOrderRequest) (*Order, error) {
	path, err := orderPath(orderID)
	if err != nil {
		return nil, err
	}
	c.orderReads.forget(orderID)
	defer c.orderReads.forget(orderID)
	return put(ctx, c, path, req, DecodeOrder)
}

// ListPaymentOrders reads one page of orders (GET /payments/orders).
func (c *Client) ListPaymentOrders(ctx context.Context, p ListOrdersParams) (*OrderPage, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return call(ctx, c, http.MethodGet, ordersPath, p.Query(), nil, DecodeOrderPage)
}

// CreatePaymentOrder creates an order (POST /payments/orders), or adopts the one Cobo already has for
// its psp_order_code (see CreateOrAdoptPaymentOrder).
func (c *Client) CreatePaymentOrder(ctx context.Context, req CreateOrderRequest) (*Order, error) {
	res, err := c.CreateOrAdoptPaymentOrder(ctx, req)
	if err != nil {
		return nil, err
	}
	return res.Order, nil
}

// CreateResult is the order a create ended with, and how.
type CreateResult struct {
	Order *Order
	// Adopted: Cobo answered 2040 (the psp_order_code is taken) and the order holding it matches every
	// input of the request, so it is returned instead of a new one. An earlier run that died before
	// saving it, or an earlier attempt of this call whose answer was lost, created it.
	Adopted bool
}

// CreateOrAdoptPaymentOrder creates an order (POST /payments/orders). A create is never repeated
// blindly: after an ambiguous failure (no answer, 429 or 5xx), or Cobo's 2040 for a psp_order_code
// already taken, the order is looked up by psp_order_code. An order found whose inputs all match the
// request is returned (Adopted after a 2040); one that differs is an *ExistingOrderError; only when
// none exists after an ambiguous failure is the create sent again. Lookups and POSTs share one retry
// budget (Config.MaxRetries retries in all), and the error at the end counts every request sent.
func (c *Client) CreateOrAdoptPaymentOrder(ctx context.Context, req CreateOrderRequest) (*CreateResult, error) {
	payload, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	b := &retryBudget{left: c.cfg.MaxRetries}
	reached := false // whether any POST may have reached Cobo
	for attempt := 1; ; attempt++ {
		b.sent++
		body, err := c.attempt(ctx, http.MethodPost, ordersPath, "", payload, attempt)
		if err == nil {
			o, err := DecodeOrder(body)
			return &CreateResult{Order: o}, err
		}
		var apiErr *APIError
		ambiguous := !errors.As(err, &apiErr) || apiErr.Retryable()
		duplicate := IsDuplicateKey(err)
		if !ambiguous && !duplicate {
			return nil, b.final(err)
		}
		reached = reached || !NeverSent(err)
		// The order may exist (committed by this call or an earlier run): find out before anything
		// else. A POST that could not connect committed nothing: it is just sent again.
		if reached {
			if res, err := c.adoptExisting(ctx, b, req, err, duplicate, attempt); res != nil || err != nil {
				return res, err
			}
		}
		if duplicate {
			return nil, b.final(err)
		}
		if err := c.beforeRetry(ctx, b, http.MethodPost, ordersPath, attempt, err); err != nil {
			return nil, b.final(err)
		}
	}
}

// adoptExisting looks up the order that a create failing with createErr (on its attempt-th POST) may
// have left: it returns the order when its inputs match req, an error when they differ or the lookup
// fails, and nil, nil when Cobo has no such order.
func (c *Client) adoptExisting(ctx context.Context, b *retryBudget, req CreateOrderRequest, createErr error, duplicate bool, attempt int) (*CreateResult, error) {
	found, err := c.lookupForCreate(ctx, b, req.PspOrderCode)
	switch {
	case err != nil:
		return nil, &CreateOutcomeUnknownError{PspOrderCode: req.PspOrderCode, CreateErr: b.final(createErr), LookupErr: err}
	case found == nil:
		return nil, nil
	}
	diffs := CreateInputDifferences(req, found)
	notAdoptable := NotAdoptable(found, time.Now())
	if len(diffs) > 0 || notAdoptable != "" {
		return nil, &ExistingOrderError{PspOrderCode: req.PspOrderCode, Order: found, Differences: diffs, NotAdoptable: notAdoptable, Requests: b.sent}
	}
	c.debug(ctx, "adopted the order Cobo already has for this psp_order_code", map[string]any{
		"psp_order_code": req.PspOrderCode, "order_id": found.OrderID, "attempt": attempt, "after_duplicate_key": duplicate,
	})
	return &CreateResult{Order: found, Adopted: duplicate}, nil
}

// lookupForCreate finds the order with the create's psp_order_code, retrying within the create's
// budget. When the create's context has run out, the lookup still gets one attempt's time of its
// own: an order Cobo committed must not be left behind unknown to Terraform.
func (c *Client) lookupForCreate(ctx context.Context, b *retryBudget, pspOrderCode string) (*Order, error) {
	if ctx.Err() != nil {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), c.cfg.Timeout)
		defer cancel()
	}
	p := ListOrdersParams{PspOrderCode: pspOrderCode, Limit: MaxPageSize}
	body, err := c.send(ctx, b, http.MethodGet, ordersPath, p.Query(), nil)
	if err != nil {
		return nil, err
	}
	page, err := DecodeOrderPage(body)
	if err != nil {
		return nil, err
	}
	return orderWithPspOrderCode(page, pspOrderCode), nil
}

// CreateOutcomeUnknownError means a create failed ambiguously and the lookup that should have told
// whether it was committed failed too.
type CreateOutcomeUnknownError struct {
	PspOrderCode string
	CreateErr    error
	LookupErr    error
}

func (e *CreateOutcomeUnknownError) Error() string {
	return fmt.Sprintf("creating the order with psp_order_code %q failed (%v), and looking it up to see whether Cobo committed it failed too (%v): "+
		"Cobo may hold this order", e.PspOrderCode, e.CreateErr, e.LookupErr)
}

func (e *CreateOutcomeUnknownError) Unwrap() error { return e.CreateErr }

// ExistingOrderError means Cobo already has an order with the create's psp_order_code, and some input
// of it differs from the request, or it is not what an interrupted create leaves (NotAdoptable): it
// is not adopted.
type ExistingOrderError struct {
	PspOrderCode string
	Order        *Order
	Differences  []InputDifference
	NotAdoptable string // why an order whose inputs may match is not adopted; "" when it could be
	Requests     int    // every request the create sent
}

func (e *ExistingOrderError) Error() string {
	var why []string
	for _, d := range e.Differences {
		why = append(why, fmt.Sprintf("%s %q, not %q", d.Field, d.Existing, d.Requested))
	}
	if e.NotAdoptable != "" {
		why = append(why, e.NotAdoptable)
	}
	return fmt.Sprintf("psp_order_code %q already belongs to order %s, which is not this request's (%s); a new order needs a new psp_order_code",
		e.PspOrderCode, e.Order.OrderID, strings.Join(why, "; "))
}

// NotAdoptable says why a create must not adopt order o at time now (see AdoptWindow), or "" when it
// may.
func NotAdoptable(o *Order, now time.Time) string {
	switch {
	case o.Status != AdoptableStatus:
		return fmt.Sprintf("it is %s, and only a %s order is adopted", o.Status, AdoptableStatus)
	case o.CreatedTimestamp == nil:
		return "Cobo did not report when it was created, and only an order created in the last " + windowWords(AdoptWindow) + " is adopted"
	}
	age := now.Sub(time.Unix(*o.CreatedTimestamp, 0))
	if age > AdoptWindow {
		return fmt.Sprintf("it was created %s ago, and only an order created in the last %s is adopted", windowWords(age.Truncate(time.Minute)), windowWords(AdoptWindow))
	}
	return ""
}

// windowWords writes a duration for a person: "15 minutes", "2h5m0s" for longer ones.
func windowWords(d time.Duration) string {
	if d < time.Hour {
		return fmt.Sprintf("%d minutes", int(d.Minutes()))
	}
	return d.String()
}

// InputDifference is one create input whose value in an existing order differs from the request's.
type InputDifference struct {
	Field     string // the create request's JSON name, such as "merchant_id"
	Requested string
	Existing  string
}

// CreateInputDifferences lists the inputs of req that an existing order o disagrees with, in the
// request's field order. Amounts compare as numbers ("2" and "2.00" agree). An input the request did
// not set, or that Cobo's answer leaves out, is not compared.
func CreateInputDifferences(req CreateOrderRequest, o *Order) []InputDifference {
	deref := func(p *string) (string, bool) {
		if p == nil {
			return "", false
		}
		return *p, true
	}
	inputs := []struct {
		field, requested string
		existing         *string
		amount           bool
	}{
		{"merchant_id", req.MerchantID, o.MerchantID, false},
		{"fee_amount", req.FeeAmount, &o.FeeAmount, true},
		{"payable_currency", req.PayableCurrency, o.PayableCurrency, false},
		{"pricing_amount", req.PricingAmount, o.PricingAmount, true},
		{"pricing_currency", req.PricingCurrency, o.PricingCurrency, false},
		{"payable_amount", req.PayableAmount, &o.PayableAmount, true},
		{"amount_tolerance", req.AmountTolerance, o.AmountTolerance, true},
		{"merchant_order_code", req.MerchantOrderCode, o.MerchantOrderCode, false},
	}
	var diffs []InputDifference
	for _, in := range inputs {
		existing, ok := deref(in.existing)
		if in.requested == "" || !ok || existing == in.requested || (in.amount && SameDecimal(existing, in.requested)) {
			continue
		}
		diffs = append(diffs, InputDifference{Field: in.field, Requested: in.requested, Existing: existing})
	}
	return diffs
}

// FindOrderByPspOrderCode returns the order with that psp_order_code, or nil when Cobo has none.
func (c *Client) FindOrderByPspOrderCode(ctx context.Context, pspOrderCode string) (*Order, error) {
	page, err := c.ListPaymentOrders(ctx, ListOrdersParams{PspOrderCode: pspOrderCode, Limit: MaxPageSize})
	if err != nil {
		return nil, err
	}
	return orderWithPspOrderCode(page, pspOrderCode), nil
}

// orderWithPspOrderCode returns the order of the page with exactly that psp_order_code (a server that
// ignored the filter must not make the client take another order), or nil.
func orderWithPspOrderCode(page *OrderPage, pspOrderCode string) *Order {
	for i := range page.Data {
		if page.Data[i].PspOrderCode == pspOrderCode {
			return &page.Data[i]
		}
	}
	return nil
}

// retryBudget is one operation's allowance of retries, shared by all its requests: a create's POSTs
// and its lookups draw from the same Config.MaxRetries.
type retryBudget struct {
	left int // retries still allowed
	sent int // requests sent so far
}

// final records on a create's last error how many requests it sent: its lookups come after the
// error was made, so only now is the count known.
func (b *retryBudget) final(err error) error {
	var apiErr *APIError
	var tErr *TransportError
	switch {
	case errors.As(err, &apiErr):
		apiErr.Requests = b.sent
	case errors.As(err, &tErr):
		tErr.Requests = b.sent
	}
	return err
}

// ErrOutOfTime is wrapped by the error of an operation that stopped retrying because its context's
// deadline had passed or was too near for another wait.
var ErrOutOfTime = errors.New("no time was left for another attempt")

// outOfTime marks err with ErrOutOfTime when waitErr says the deadline stopped the retries.
func outOfTime(err, waitErr error) error {
	if errors.Is(waitErr, context.DeadlineExceeded) {
		return fmt.Errorf("%w; %w", err, ErrOutOfTime)
	}
	return err
}

// call is how every request that is safe to repeat is made: sent with retries of transient failures
// (doIdempotent), then decoded by decode, which for orders also checks that every required key came.
func call[T any](ctx context.Context, c *Client, method, path, query string, payload []byte, decode func([]byte) (*T, error)) (*T, error) {
	body, err := c.doIdempotent(ctx, method, path, query, payload)
	if err != nil {
		return nil, err
	}
	return decode(body)
}

// put sends a PUT with req as its JSON body; a PUT sets values, so it is retried like a read.
func put[T any](ctx context.Context, c *Client, path string, req any, decode func([]byte) (*T, error)) (*T, error) {
	payload, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	return call(ctx, c, http.MethodPut, path, "", payload, decode)
}

// jsonAs decodes an answer as plain JSON into a T; what names it in errors.
func jsonAs[T any](what string) func([]byte) (*T, error) {
	return func(body []byte) (*T, error) { return decodeJSON[T](body, what) }
}

// doIdempotent sends a request that is safe to repeat, retrying transient failures.
func (c *Client) doIdempotent(ctx context.Context, method, path, query string, payload []byte) ([]byte, error) {
	return c.send(ctx, &retryBudget{left: c.cfg.MaxRetries}, method, path, query, payload)
}

// send sends a request that is safe to repeat, retrying transient failures within budget b.
//
// The retries are ours, not resty's: a create's lookups share its budget, and resty's Backoff (v2)
// neither stops before a wait that would outlast the deadline nor keeps the last answer when the
// context ends during one.
func (c *Client) send(ctx context.Context, b *retryBudget, method, path, query string, payload []byte) ([]byte, error) {
	for attempt := 1; ; attempt++ {
		b.sent++
		body, err := c.attempt(ctx, method, path, query, payload, attempt)
		if err == nil {
			return body, nil
		}
		if !transient(err) {
			return nil, err
		}
		if err := c.beforeRetry(ctx, b, method, path, attempt, err); err != nil {
			return nil, err
		}
	}
}

// transient reports whether err is worth another attempt of an idempotent request: no answer, or a
// retryable status. An answer too large to read would be too large again.
func transient(err error) bool {
	var apiErr *APIError
	var tErr *TransportError
	return errors.As(err, &tErr) || (errors.As(err, &apiErr) && apiErr.Retryable())
}

// beforeRetry spends one retry of b and waits for it. It returns nil to go on, or the error to end
// with (lastErr, marked with ErrOutOfTime when the deadline stopped it) when no retry or time is left.
func (c *Client) beforeRetry(ctx context.Context, b *retryBudget, method, path string, attempt int, lastErr error) error {
	if b.left <= 0 || ctx.Err() != nil {
		return outOfTime(lastErr, ctx.Err())
	}
	b.left--
	if err := c.wait(ctx, method, path, attempt, lastErr); err != nil {
		return outOfTime(lastErr, err)
	}
	return nil
}

// attempt sends one signed request, the attempt-th of its operation, and returns the body of a 2xx
// answer, else the error it makes: *APIError for another answer, *TransportError when none came.
func (c *Client) attempt(ctx context.Context, method, path, query string, payload []byte, attempt int) ([]byte, error) {
	noAnswer := func(err error) error {
		return &TransportError{Method: method, Path: path, URL: c.baseURL + path, Err: err, Attempts: attempt}
	}
	if c.limiter != nil {
		if err := c.limiter.Wait(ctx); err != nil {
			return nil, noAnswer(err)
		}
	}
	req := c.http.R().SetContext(ctx)
	if payload != nil {
		req.SetHeader("Content-Type", "application/json").SetBody(payload)
	}
	u := c.baseURL + path
	if query != "" {
		u += "?" + query
	}
	start := time.Now()
	resp, err := req.Execute(method, u)
	var urlErr *url.Error
	switch {
	case errors.Is(err, resty.ErrResponseBodyTooLarge):
		return nil, fmt.Errorf("the answer to %s %s is larger than %d bytes; refusing to read it", method, c.baseURL+path, c.cfg.MaxResponseBytes)
	case errors.As(err, &urlErr): // the error names the URL itself, once
		c.debug(ctx, "Cobo API request failed without an answer", map[string]any{"method": method, "path": path, "error": err.Error()})
		return nil, noAnswer(urlErr.Err)
	case err != nil:
		return nil, noAnswer(fmt.Errorf("reading the answer: %w", err))
	}
	c.debug(ctx, "Cobo API request", map[string]any{
		"method": method, "path": path, "status": resp.StatusCode(), "duration_ms": time.Since(start).Milliseconds(),
	})
	if resp.StatusCode() < 300 {
		return resp.Body(), nil
	}
	return nil, newAPIError(method, path, c.baseURL+path, attempt, resp)
}

// newAPIError is the error of a non-2xx answer to the attempt-th attempt.
func newAPIError(method, path, url string, attempt int, resp *resty.Response) *APIError {
	e := &APIError{
		Method: method, Path: path, URL: url, StatusCode: resp.StatusCode(), Attempts: attempt,
		ContentType: resp.Header().Get("Content-Type"), RetryAfter: parseRetryAfter(resp.Header().Get("Retry-After"), time.Now()),
	}
	// Parsed whatever the Content-Type says (resty's SetError would need a JSON one): proxies mislabel.
	var eb ErrorBody
	if json.Unmarshal(resp.Body(), &eb) == nil && eb.ErrorCode != 0 {
		e.Code, e.Message, e.ErrorID = eb.ErrorCode, eb.ErrorMessage, eb.ErrorID
	} else {
		e.BodyExcerpt = excerpt(resp.Body(), 200)
	}
	return e
}

// wait sleeps before the next attempt: Retry-After when the server gave one, else exponential
// backoff with jitter. It gives up early when the wait would outlast the context's deadline.
func (c *Client) wait(ctx context.Context, method, path string, attempt int, lastErr error) error {
	d := c.cfg.RetryWaitMin << (attempt - 1)
	if d > c.cfg.RetryWaitMax || d <= 0 {
		d = c.cfg.RetryWaitMax
	}
	d = d/2 + rand.N(d/2+1) //nolint:gosec // jitter, not security
	fields := map[string]any{"method": method, "path": path, "attempt": attempt, "max_retries": c.cfg.MaxRetries}
	var apiErr *APIError
	if errors.As(lastErr, &apiErr) {
		fields["status"] = apiErr.StatusCode
		if apiErr.Code != 0 {
			fields["error_code"] = apiErr.Code
		}
		if apiErr.RetryAfter > 0 {
			d = min(apiErr.RetryAfter, maxRetryAfter)
		}
	} else {
		fields["error"] = lastErr.Error()
	}
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < d {
		return context.DeadlineExceeded
	}
	fields["wait_ms"] = d.Milliseconds()
	c.debug(ctx, "retrying Cobo API request", fields)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (c *Client) debug(ctx context.Context, msg string, fields map[string]any) {
	if c.cfg.Logger != nil {
		c.cfg.Logger.Debug(ctx, msg, fields)
	}
}

// parseRetryAfter reads a Retry-After header: delay-seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil || errors.Is(err, strconv.ErrRange) {
		switch {
		case s < 0:
			return 0
		case int64(s) > int64(math.MaxInt64/time.Second):
			return math.MaxInt64 // longer than a Duration holds: as long as possible, never wrapped negative
		}
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

type discardLogger struct{}

func (discardLogger) Errorf(string, ...interface{}) {}
func (discardLogger) Warnf(string, ...interface{})  {}
func (discardLogger) Debugf(string, ...interface{}) {}
