package provider

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// objectKind describes one kind of Cobo object the provider asks for by id, so that what is said
// about it (a not-found advice, an id check, import and identity) names that kind and no other.
type objectKind struct {
	noun        string             // "pay-in order": what the user calls one
	plural      string             // "orders": what an organization has
	idAttribute string             // the attribute that holds the id: "order_id"
	validateID  func(string) error // the client's check of an id before it goes into a path
	exampleID   string             // an id of the right shape, for messages
	check       string             // what to check when Cobo knows no such object
	madeWith    string             // "the order was created with": whose credentials to compare
	destroyed   string             // what destroying one does in Cobo: "expired"
	// route is the object's request path below the base URL, "*" standing for one id; a longer path
	// (an action such as /retry) still concerns the object.
	route []string
}

var (
	orderKind = objectKind{
		noun: "pay-in order", plural: "orders", idAttribute: "order_id",
		validateID: cobo.ValidateOrderID, exampleID: "O20250304-M1001-1001",
		check: "order_id", madeWith: "the order was created with", destroyed: "expired",
		route: []string{"payments", "orders", "*"},
	}
	webhookEndpointKind = objectKind{
		noun: "webhook endpoint", plural: "webhook endpoints", idAttribute: "endpoint_id",
		validateID: cobo.ValidateWebhookEndpointID, exampleID: "8f2e919a-6a7b-4a9b-8c1a-4c0b3f5b8b1f",
		check: "endpoint_id", madeWith: "the endpoint was registered with", destroyed: "revoked",
		route: []string{"webhooks", "endpoints", "*"},
	}
	refundKind = objectKind{
		noun: "refund", plural: "refunds", idAttribute: "refund_id",
		validateID: cobo.ValidateRefundID, exampleID: "R20250304-M1001-000001",
		check: "refund_id", madeWith: "the refund was created with", destroyed: "cancelled",
		route: []string{"payments", "refunds", "*"},
	}
	// merchantKind has no route: Cobo has no get-by-id for merchants, and the provider reads them from
	// the merchant list (merchantMissing says what a missing one means).
	merchantKind = objectKind{
		noun: "merchant", plural: "merchants", idAttribute: "merchant_id",
		validateID: cobo.ValidateMerchantID, exampleID: "M1001",
	}
	webhookEventKind = objectKind{
		noun: "webhook event", plural: "webhook events", idAttribute: "event_id",
		validateID: cobo.ValidateWebhookEventID, exampleID: "0d9c7b52-3f7e-4a8e-9b1c-2e5f6a7b8c9d",
		check: "event_id, and that the event was sent to endpoint_id (an event belongs to one endpoint)", madeWith: "its endpoint was registered with",
		route: []string{"webhooks", "endpoints", "*", "events", "*"},
	}
	// objectKinds lists every kind with a route, the longest first, so kindOfPath finds the most specific.
	objectKinds = []objectKind{webhookEventKind, webhookEndpointKind, orderKind, refundKind}
)

// kindOfPath names the kind of object a request path (below the base URL, as cobo.APIError.Path) asks
// for; ok is false for a path of no single object, such as a list.
func kindOfPath(requestPath string) (k objectKind, ok bool) {
	segments := strings.Split(strings.Trim(requestPath, "/"), "/")
	for _, k := range objectKinds {
		if routeMatches(k.route, segments) {
			return k, true
		}
	}
	return objectKind{}, false
}

func routeMatches(route, segments []string) bool {
	if len(segments) < len(route) {
		return false
	}
	for i, want := range route {
		if want != "*" && segments[i] != want {
			return false
		}
	}
	return true
}

// notFoundAdvice says why Cobo may know no such object: with no delete in Cobo for any of these
// kinds, almost always another organization (api_secret), environment or sandbox.
func (k objectKind) notFoundAdvice() string {
	return fmt.Sprintf("Cobo knows no such %s in the organization of this API key. Check the %s, and that api_secret and env (or host) are the ones %s: "+
		"every API key, and dev and prod, is an organization of its own, with %s of its own. With cobo-sandbox, each secret is its own organization, "+
		"and a sandbox started without -state forgets its %s when it stops.", k.noun, k.check, k.madeWith, k.plural, k.plural)
}

// idValidator rejects, at plan time, ids that could never be of this kind or could change the
// request path.
func (k objectKind) idValidator() validator.String {
	return stringCheck{
		description: fmt.Sprintf("must be a Cobo %s id: printable ASCII without spaces or / ? # %% \\", k.noun),
		summary:     "Invalid " + k.idAttribute,
		check:       k.validateID,
	}
}

// identitySchema is the identity of a resource of this kind: its id alone (Terraform >= 1.12 keeps it
// in the state and accepts it in import blocks: identity = { order_id = "..." }).
func (k objectKind) identitySchema() identityschema.Schema {
	return identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			k.idAttribute: identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "The Cobo " + k.noun + " id, such as " + k.exampleID + ".",
			},
		},
	}
}
