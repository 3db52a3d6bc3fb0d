package contract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/getkin/kin-openapi/openapi3"
)

// ValidateWebhookEvent checks one delivered webhook body against components.schemas.WebhookEvent of
// webhooks.openapi.yaml (with its documented patch, see knownContradictions). Its data is a oneOf with a
// discriminator (data_type): kin-openapi validates it against the schema data_type names, so an order
// event must be a whole Order and a transaction event a whole PaymentTransactionEventData.
func ValidateWebhookEvent(body []byte) error {
	spec, err := LoadSpec()
	if err != nil {
		return err
	}
	return spec.validateEvent(body)
}

func (s *Spec) validateEvent(body []byte) error {
	var value any
	if err := json.Unmarshal(body, &value); err != nil {
		return fmt.Errorf("the event body is not JSON: %w", err)
	}
	opts := append([]openapi3.SchemaValidationOption{openapi3.MultiErrors(), openapi3.VisitAsResponse()}, schemaOptions...)
	if err := s.event.VisitJSON(value, opts...); err != nil {
		return fmt.Errorf("the event body doesn't match schema WebhookEvent: %w", err)
	}
	return nil
}

// ValidateEvent checks one delivered webhook body like ValidateWebhookEvent, and records the result: a
// violation (Method "EVENT", Path the endpoint URL it was delivered to) or, keyed "WebhookEvent <type>",
// in Exercised.
func (v *Validator) ValidateEvent(deliveredTo string, body []byte) error {
	err := v.spec.validateEvent(body)
	var head struct {
		Type string `json:"type"`
	}
	_ = json.Unmarshal(body, &head)
	v.record(Violation{Method: "EVENT", Path: deliveredTo, Operation: "WebhookEvent"}, "WebhookEvent "+head.Type, err)
	return err
}

// Receiver is a webhook receiver for tests: it validates every body POSTed to it as a delivered event
// (ValidateEvent, with the URL it was delivered to), then hands the request, body intact, to next, or
// answers 200 when next is nil. Serve it on 127.0.0.1:0 and register its URL as an endpoint.
func (v *Validator) Receiver(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		_ = v.ValidateEvent("http://"+r.Host+r.URL.RequestURI(), body)
		if next == nil {
			w.WriteHeader(http.StatusOK)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
	})
}
