package cobo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

// neverTwice describes a create that must not make a second object when an answer is lost: webhook
// endpoints and merchants, which Cobo gives no idempotency key, and refunds, whose request_id Cobo
// refuses to reuse. (Orders have their own loop in client.go: they also compare inputs and adopt.)
type neverTwice[T any] struct {
	path string // the collection POSTed to
	what string // the object, for decoding errors: "webhook endpoint"
	// find returns the object a lost answer may have created, or nil; it draws on the create's budget.
	find func(ctx context.Context, b *retryBudget) (*T, error)
	// unknown is the error when the create failed ambiguously and find failed too.
	unknown func(createErr, lookupErr error) error
	// findOnDuplicate: a duplicate-key refusal is looked up too, and is final when nothing is found.
	findOnDuplicate bool
}

// createNeverTwice sends the create, and after an ambiguous failure (no answer, 429 or 5xx) asks find
// before anything else: an object found is returned, with found set, instead of a second POST. A POST
// that could not connect at all (NeverSent) reached nothing and is sent again without a lookup. Only
// when nothing is found is the POST sent again, within Config.MaxRetries.
func createNeverTwice[T any](ctx context.Context, c *Client, req any, o neverTwice[T]) (created *T, found bool, err error) {
	payload, err := json.Marshal(req)
	if err != nil {
		return nil, false, err
	}
	b := &retryBudget{left: c.cfg.MaxRetries}
	for attempt := 1; ; attempt++ {
		b.sent++
		body, err := c.attempt(ctx, http.MethodPost, o.path, "", payload, attempt)
		if err == nil {
			created, err := decodeJSON[T](body, o.what)
			return created, false, err
		}
		duplicate := o.findOnDuplicate && IsDuplicateKey(err)
		var apiErr *APIError
		if errors.As(err, &apiErr) && !apiErr.Retryable() && !duplicate {
			return nil, false, b.final(err)
		}
		if !NeverSent(err) {
			existing, lookupErr := o.find(ctx, b)
			switch {
			case lookupErr != nil:
				return nil, false, b.final(o.unknown(err, lookupErr))
			case existing != nil:
				return existing, true, nil
			}
		}
		if duplicate {
			return nil, false, b.final(err)
		}
		if err := c.beforeRetry(ctx, b, http.MethodPost, o.path, attempt, err); err != nil {
			return nil, false, b.final(err)
		}
	}
}

// OutcomeUnknownError means a create failed ambiguously and the lookup that should have told whether
// Cobo made the object failed too: Cobo may hold it. Orders have CreateOutcomeUnknownError.
type OutcomeUnknownError struct {
	What      string // "webhook endpoint", "merchant", "refund"
	Key       string // what the lookup searched by: `url "https://..."`, `name "Shop"`, `request_id "r-1"`
	ListHint  string // how to find it by hand: "list refunds with request_id \"r-1\""
	CreateErr error
	LookupErr error
}

func (e *OutcomeUnknownError) Error() string {
	return fmt.Sprintf("creating the %s with %s failed (%v), and looking it up to see whether Cobo created it failed too (%v); "+
		"Cobo may hold this %s: %s and import it if it exists", e.What, e.Key, e.CreateErr, e.LookupErr, e.What, e.ListHint)
}

func (e *OutcomeUnknownError) Unwrap() error { return e.CreateErr }

// outcomeUnknown is a neverTwice.unknown that makes an OutcomeUnknownError.
func outcomeUnknown(what, key, listHint string) func(createErr, lookupErr error) error {
	return func(createErr, lookupErr error) error {
		return &OutcomeUnknownError{What: what, Key: key, ListHint: listHint, CreateErr: createErr, LookupErr: lookupErr}
	}
}

// newest is the last of the objects a lookup found (lists come oldest first), or nil.
func newest[T any](found []T, err error) (*T, error) {
	if err != nil || len(found) == 0 {
		return nil, err
	}
	return &found[len(found)-1], nil
}
