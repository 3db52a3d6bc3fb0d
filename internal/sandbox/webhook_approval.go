package sandbox

import (
	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// Approval of webhook endpoint requests (Options.WebhookApproval), which Cobo Portal does for an
// organization that requires it; here the helpers POST /_sandbox/webhooks/endpoints/{endpoint_id}/approve
// and /reject, or these methods, do it.

// WebhookEndpoints returns copies of an organization's webhook endpoints (apiKey is its hex API key,
// any case), in registration order, as the API shows them. An empty apiKey returns every organization's.
func (s *Sandbox) WebhookEndpoints(apiKey string) []cobo.WebhookEndpoint {
	s.mu.Lock()
	defer s.mu.Unlock()
	rows := s.webhookEndpoints.orgOrAll(apiKey)
	out := make([]cobo.WebhookEndpoint, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.Value.endpointJSON())
	}
	return out
}

// ApproveWebhookEndpoint approves the request an endpoint awaits: a registration becomes
// STATUS_ACTIVE, an update is applied (STATUS_ACTIVE), a revoke makes it STATUS_INACTIVE. An unknown
// id is ErrNotFound; an endpoint awaiting nothing is ErrConflict.
func (s *Sandbox) ApproveWebhookEndpoint(id string) (cobo.WebhookEndpoint, error) {
	return s.decideEndpoint(id, true)
}

// RejectWebhookEndpoint rejects the request an endpoint awaits: a registration becomes
// STATUS_REJECT_ACTIVE (final); an update or revoke is dropped and the endpoint is STATUS_ACTIVE as
// before. Errors as ApproveWebhookEndpoint.
func (s *Sandbox) RejectWebhookEndpoint(id string) (cobo.WebhookEndpoint, error) {
	return s.decideEndpoint(id, false)
}

func (s *Sandbox) decideEndpoint(id string, approve bool) (cobo.WebhookEndpoint, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.webhookEndpoints.find(id)
	if r == nil {
		return cobo.WebhookEndpoint{}, newHelperError(ErrNotFound, "webhook endpoint %q not found", truncate(id, 100))
	}
	ep := &r.Value
	switch ep.Status {
	case cobo.EndpointStatusPendingActive:
		ep.Status = cobo.EndpointStatusRejectedActive
		if approve {
			ep.Status = cobo.EndpointStatusActive
		}
	case cobo.EndpointStatusPendingUpdate, cobo.EndpointStatusPendingInact:
		revoke := ep.Status == cobo.EndpointStatusPendingInact
		if approve && ep.Pending != nil {
			ep.Pending.applyTo(ep)
		}
		ep.Status, ep.Pending = cobo.EndpointStatusActive, nil
		if approve && revoke {
			ep.Status = cobo.EndpointStatusInactive
		}
	default:
		return cobo.WebhookEndpoint{}, newHelperError(ErrConflict, "webhook endpoint %s is %s: it awaits no approval (only %s, %s and %s do)", ep.EndpointID, ep.Status,
			cobo.EndpointStatusPendingActive, cobo.EndpointStatusPendingUpdate, cobo.EndpointStatusPendingInact)
	}
	if err := s.commitLocked(); err != nil {
		return cobo.WebhookEndpoint{}, err
	}
	return ep.endpointJSON(), nil
}
