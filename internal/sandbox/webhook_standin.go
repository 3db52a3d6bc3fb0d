package sandbox

// TEMPORARY stand-in for branch s1's webhook endpoint storage (webhook_endpoints.go): the same names,
// deleted when s1 is merged.

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

const webhookEndpointsPath = apiPrefix + "/webhooks/endpoints"

type webhookEndpoint struct {
	cobo.WebhookEndpoint
	org string
	seq int64
}

func (s *Sandbox) subscribedEndpointsLocked(org, eventType string) []*webhookEndpoint {
	var out []*webhookEndpoint
	for _, ep := range s.orgEndpoints[org] {
		if ep.Status == cobo.EndpointStatusActive && slices.Contains(ep.SubscribedEvents, eventType) {
			out = append(out, ep)
		}
	}
	return out
}

func (s *Sandbox) endpointLocked(org, id string) *webhookEndpoint {
	if ep := s.endpoints[id]; ep != nil && ep.org == org {
		return ep
	}
	return nil
}

func unknownEndpoint(id string) *response {
	return decisionError(cobo.UnknownWebhookResource, "webhook endpoint %q not found", truncate(id, 100))
}

func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

func init() {
	apiRoutes = append(apiRoutes, apiRoute{APIRoute{"POST", webhookEndpointsPath, "stand-in"}, (*Sandbox).standinCreateEndpoint})
}

func (s *Sandbox) standinCreateEndpoint(in apiRequest) *response {
	var req cobo.CreateWebhookEndpointRequest
	_ = json.Unmarshal(in.body, &req)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.endpointSeq++
	ep := &webhookEndpoint{WebhookEndpoint: cobo.WebhookEndpoint{EndpointID: newUUID(), URL: req.URL, SubscribedEvents: req.SubscribedEvents, Status: cobo.EndpointStatusActive, CreatedTimestamp: s.Now().UnixMilli()}, org: in.org, seq: s.endpointSeq}
	s.endpoints[ep.EndpointID] = ep
	s.orgEndpoints[ep.org] = append(s.orgEndpoints[ep.org], ep)
	s.ensureDeliveryLocked()
	return jsonResponse(http.StatusCreated, ep.WebhookEndpoint)
}
