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
	DefaultMaxRetries       = 4
	DefaultTimeout          = 30 * time.Second
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
	ReadAhead         bool // let RefreshPaymentOrder answer from list pages (see readAhead)
}

// Client is a Cobo Payment API client: one per provider instance, safe for concurrent use, reusing
// connections across all requests.
type Client struct {
	http      *resty.Client
	signer    *Signer
	baseURL   string
	cfg       Config
	limiter   *rate.Limiter
	nonceMu   sync.Mutex
	lastNonce int64
	readAhead *readAhead // nil unless Config.ReadAhead
}

type bodyKey struct{}

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
		c.readAhead = newReadAhead(c)
	}
	if cfg.RequestsPerSecond > 0 {
		c.limiter = rate.NewLimiter(rate.Limit(cfg.RequestsPerSecond), 1)
	}
	c.http = resty.New().
		SetTransport(cfg.Transport).
		SetTimeout(cfg.Timeout).
		SetRetryCount(0). // retries are ours: they must re-sign and must never repeat a create blindly
		SetLogger(discardLogger{}).
		SetDoNotParseResponse(true).
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
	body, _ := r.Context().Value(bodyKey{}).([]byte)
	nonce := strconv.FormatInt(c.nextNonce(), 10)
	r.Header.Set(HeaderAPIKey, c.signer.APIKey())
	r.Header.Set(HeaderNonce, nonce)
	r.Header.Set(HeaderSignature, c.signer.Sign(r.Method, r.URL.EscapedPath(), nonce, r.URL.RawQuery, body))
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

// ValidateBaseURL checks that s can be a base URL: absolute http(s), no query or fragment. The error
// reads after the name of the setting ("host must be ...").
func ValidateBaseURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("must be an absolute http or https URL including the /v2 path, such as %s or http://127.0.0.1:18080/v2; got %q", DevBaseURL, s)
	}
	return nil
}

// ValidateOrderID rejects ids that could not be a Cobo order id and could change the request path.
// Ids are still path-escaped when sent.
func ValidateOrderID(id string) error {
	switch {
	case id == "":
		return errors.New("order_id must not be empty")
	case id == "." || id == "..":
		return fmt.Errorf("order_id %q is not a valid order id", id)
	case len(id) > 128:
		return fmt.Errorf("order_id is %d characters long; Cobo order ids are at most 128", len(id))
	}
	for _, r := range id {
		if r > unicode.MaxASCII || !unicode.IsPrint(r) || r == ' ' || strings.ContainsRune(`/?#%\`, r) {
			return fmt.Errorf("order_id %q contains %q; Cobo order ids are printable ASCII without spaces or any of / ? # %% \\", id, r)
		}
	}
	return nil
}

func orderPath(id string) (string, error) {
	if err := ValidateOrderID(id); err != nil {
		return "", err
	}
	return "/payments/orders/" + url.PathEscape(id), nil
}

// GetPaymentOrder reads one order (GET /payments/orders/{order_id}).
func (c *Client) GetPaymentOrder(ctx context.Context, orderID string) (*Order, error) {
	path, err := orderPath(orderID)
	if err != nil {
		return nil, err
	}
	body, err := c.doIdempotent(ctx, http.MethodGet, path, "", nil)
	if err != nil {
		return nil, err
	}
	return DecodeOrder(body)
}

// UpdatePaymentOrder updates one order (PUT /payments/orders/{order_id}); Cobo accepts expired=true.
// The request is idempotent, so it is retried like a read.
func (c *Client) UpdatePaymentOrder(ctx context.Context, orderID string, req UpdateOrderRequest) (*Order, error) {
	path, err := orderPath(orderID)
	if err != nil {
		return nil, err
	}
	payload, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	c.readAhead.forget(orderID)
	defer c.readAhead.forget(orderID)
	body, err := c.doIdempotent(ctx, http.MethodPut, path, "", payload)
	if err != nil {
		return nil, err
	}
	return DecodeOrder(body)
}

// ListPaymentOrders reads one page of orders (GET /payments/orders).
func (c *Client) ListPaymentOrders(ctx context.Context, p ListOrdersParams) (*OrderPage, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	body, err := c.doIdempotent(ctx, http.MethodGet, "/payments/orders", p.Query(), nil)
	if err != nil {
		return nil, err
	}
	return DecodeOrderPage(body)
}

// CreatePaymentOrder creates an order (POST /payments/orders). A create is never repeated blindly:
// after an ambiguous failure (no answer, 429 or 5xx) the order is looked up by psp_order_code, and
// adopted if Cobo has it; only if it does not exist is the create sent again.
func (c *Client) CreatePaymentOrder(ctx context.Context, req CreateOrderRequest) (*Order, error) {
	payload, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	const path = "/payments/orders"
	for attempt := 1; ; attempt++ {
		status, body, hdr, err := c.attempt(ctx, http.MethodPost, path, "", payload)
		if err == nil && status < 300 {
			return DecodeOrder(body)
		}
		if err == nil {
			err = c.apiError(http.MethodPost, path, status, body, hdr)
		}
		var apiErr *APIError
		ambiguous := !errors.As(err, &apiErr) || apiErr.Retryable()
		duplicateOnRetry := attempt > 1 && IsDuplicateKey(err)
		if !ambiguous && !duplicateOnRetry {
			return nil, err
		}
		// The create may have been committed: find out before doing anything else.
		lookupCtx := ctx
		if ctx.Err() != nil {
			var cancel context.CancelFunc
			lookupCtx, cancel = context.WithTimeout(context.WithoutCancel(ctx), c.cfg.Timeout)
			defer cancel()
		}
		found, lookupErr := c.FindOrderByPspOrderCode(lookupCtx, req.PspOrderCode)
		if lookupErr != nil {
			return nil, &CreateOutcomeUnknownError{PspOrderCode: req.PspOrderCode, CreateErr: withAttempts(err, attempt), LookupErr: lookupErr}
		}
		if found != nil {
			if mismatch := createMismatch(req, found); mismatch != "" {
				return nil, fmt.Errorf("psp_order_code %q already belongs to order %s, which differs from this request (%s); a new order needs a new psp_order_code", req.PspOrderCode, found.OrderID, mismatch)
			}
			c.debug(ctx, "adopted the order an earlier create attempt committed", map[string]any{
				"psp_order_code": req.PspOrderCode, "order_id": found.OrderID, "attempt": attempt,
			})
			return found, nil
		}
		if duplicateOnRetry || attempt > c.cfg.MaxRetries || ctx.Err() != nil {
			return nil, withAttempts(err, attempt)
		}
		if werr := c.wait(ctx, http.MethodPost, path, attempt, err); werr != nil {
			return nil, withAttempts(err, attempt)
		}
	}
}

// CreateOutcomeUnknownError means a create failed ambiguously and the lookup that should have told
// whether it was committed failed too.
type CreateOutcomeUnknownError struct {
	PspOrderCode string
	CreateErr    error
	LookupErr    error
}

func (e *CreateOutcomeUnknownError) Error() string {
	return fmt.Sprintf("creating the order with psp_order_code %q failed (%v), and looking it up to see whether Cobo committed it failed too (%v); "+
		"Cobo may hold this order: list orders with psp_order_code %q and import it if it exists", e.PspOrderCode, e.CreateErr, e.LookupErr, e.PspOrderCode)
}

func (e *CreateOutcomeUnknownError) Unwrap() error { return e.CreateErr }

// createMismatch names the first input of req that disagrees with an existing order ("" when none).
func createMismatch(req CreateOrderRequest, o *Order) string {
	if o.MerchantID != nil && *o.MerchantID != req.MerchantID {
		return fmt.Sprintf("merchant_id %q, not %q", *o.MerchantID, req.MerchantID)
	}
	if o.PayableCurrency != nil && req.PayableCurrency != "" && *o.PayableCurrency != req.PayableCurrency {
		return fmt.Sprintf("payable_currency %q, not %q", *o.PayableCurrency, req.PayableCurrency)
	}
	if req.PayableAmount != "" && !SameDecimal(o.PayableAmount, req.PayableAmount) {
		return fmt.Sprintf("payable_amount %q, not %q", o.PayableAmount, req.PayableAmount)
	}
	if req.PricingAmount != "" && o.PricingAmount != nil && !SameDecimal(*o.PricingAmount, req.PricingAmount) {
		return fmt.Sprintf("pricing_amount %q, not %q", *o.PricingAmount, req.PricingAmount)
	}
	return ""
}

// FindOrderByPspOrderCode returns the order with that psp_order_code, or nil when Cobo has none.
func (c *Client) FindOrderByPspOrderCode(ctx context.Context, pspOrderCode string) (*Order, error) {
	page, err := c.ListPaymentOrders(ctx, ListOrdersParams{PspOrderCode: pspOrderCode, Limit: MaxPageSize})
	if err != nil {
		return nil, err
	}
	for i := range page.Data {
		if page.Data[i].PspOrderCode == pspOrderCode {
			return &page.Data[i], nil
		}
	}
	return nil, nil
}

// doIdempotent sends a request that is safe to repeat, retrying transient failures.
func (c *Client) doIdempotent(ctx context.Context, method, path, query string, payload []byte) ([]byte, error) {
	for attempt := 1; ; attempt++ {
		status, body, hdr, err := c.attempt(ctx, method, path, query, payload)
		if err == nil && status < 300 {
			return body, nil
		}
		// Only a missing answer is worth another try; an answer too large to read would be again.
		var tErr *TransportError
		retryable := errors.As(err, &tErr)
		if err == nil {
			apiErr := c.apiError(method, path, status, body, hdr)
			err, retryable = apiErr, apiErr.Retryable()
		}
		if !retryable || attempt > c.cfg.MaxRetries || ctx.Err() != nil {
			return nil, withAttempts(err, attempt)
		}
		if werr := c.wait(ctx, method, path, attempt, err); werr != nil {
			return nil, withAttempts(err, attempt)
		}
	}
}

// attempt sends one signed request and reads its answer. A nil error means an HTTP answer arrived.
func (c *Client) attempt(ctx context.Context, method, path, query string, payload []byte) (int, []byte, http.Header, error) {
	if c.limiter != nil {
		if err := c.limiter.Wait(ctx); err != nil {
			return 0, nil, nil, &TransportError{Method: method, Path: path, Err: err}
		}
	}
	u := c.baseURL + path
	if query != "" {
		u += "?" + query
	}
	req := c.http.R().SetContext(context.WithValue(ctx, bodyKey{}, payload))
	if payload != nil {
		req.SetHeader("Content-Type", "application/json").SetBody(payload)
	}
	start := time.Now()
	resp, err := req.Execute(method, u)
	if err != nil {
		c.debug(ctx, "Cobo API request failed without an answer", map[string]any{"method": method, "path": path, "error": err.Error()})
		return 0, nil, nil, &TransportError{Method: method, Path: path, Err: err}
	}
	raw := resp.RawBody()
	defer func() { _ = raw.Close() }() // the body was read to the end: closing keeps the connection
	body, err := io.ReadAll(io.LimitReader(raw, c.cfg.MaxResponseBytes+1))
	if err != nil {
		return 0, nil, nil, &TransportError{Method: method, Path: path, Err: fmt.Errorf("reading the answer: %w", err)}
	}
	if int64(len(body)) > c.cfg.MaxResponseBytes {
		return 0, nil, nil, fmt.Errorf("the answer to %s %s is larger than %d bytes; refusing to read it", method, path, c.cfg.MaxResponseBytes)
	}
	c.debug(ctx, "Cobo API request", map[string]any{
		"method": method, "path": path, "status": resp.StatusCode(), "duration_ms": time.Since(start).Milliseconds(),
	})
	return resp.StatusCode(), body, resp.Header(), nil
}

func (c *Client) apiError(method, path string, status int, body []byte, hdr http.Header) *APIError {
	e := &APIError{Method: method, Path: path, StatusCode: status, ContentType: hdr.Get("Content-Type"), RetryAfter: parseRetryAfter(hdr.Get("Retry-After"), time.Now())}
	var eb ErrorBody
	if json.Unmarshal(body, &eb) == nil && eb.ErrorCode != 0 {
		e.Code, e.Message, e.ErrorID = eb.ErrorCode, eb.ErrorMessage, eb.ErrorID
	} else {
		e.BodyExcerpt = excerpt(body, 200)
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

func withAttempts(err error, attempts int) error {
	var apiErr *APIError
	var tErr *TransportError
	switch {
	case errors.As(err, &apiErr):
		apiErr.Attempts = attempts
	case errors.As(err, &tErr):
		tErr.Attempts = attempts
	}
	return err
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
