package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// Terraform never registers two endpoints for one url (cobo.WebhookDuplicateURL): Cobo would deliver
// every event to it twice. The plan claims each url for one resource (webhookURLClaim); a create
// looks for an endpoint of the organization that already has its url, and only then sends the POST, which the client never
// repeats blindly (cobo.Client.CreateWebhookEndpoint).

// registerWebhookEndpoint registers the endpoint, or reports in diags why it did not. It returns nil
// when there is no endpoint for this resource to hold.
func (d *providerData) registerWebhookEndpoint(ctx context.Context, timeout operationTimeout, req cobo.CreateWebhookEndpointRequest, diags *diag.Diagnostics) *cobo.WebhookEndpoint {
	existing, err := d.client.FindLiveWebhookEndpoints(ctx, req.URL)
	if err != nil {
		diags.Append(timeout.diagnostic(ctx, "Unable to look up the webhook endpoints for "+quote(req.URL)+" before registering one", err))
		return nil
	}
	if len(existing) > 0 {
		diags.AddAttributeError(path.Root("url"), "A webhook endpoint already exists for this url", existingEndpointDetail(req.URL, existing))
		return nil
	}
	endpoint, err := d.client.CreateWebhookEndpoint(ctx, req)
	if err != nil {
		diags.Append(timeout.diagnostic(ctx, "Unable to register a webhook endpoint for "+quote(req.URL), err))
		return nil
	}
	return endpoint
}

// existingEndpointDetail names the endpoints a url already has and shows how to adopt the oldest.
func existingEndpointDetail(url string, existing []cobo.WebhookEndpoint) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Cobo already has a webhook endpoint for %s that is active or awaiting approval:\n", url)
	for _, e := range existing {
		fmt.Fprintf(&b, "  - endpoint_id %s, status %s\n", e.EndpointID, e.Status)
	}
	id := existing[0].EndpointID
	fmt.Fprintf(&b, "\nTerraform does not register a second endpoint for one url (Cobo would deliver every event to it twice), so nothing was registered. "+
		"Take the existing endpoint over with an import block (Terraform 1.5 or later)\n\n"+
		"import {\n  to = cobo_webhook_endpoint.NAME\n  id = %q\n}\n\n"+
		"or, in Terraform 1.12 or later, by its identity\n\n"+
		"import {\n  to       = cobo_webhook_endpoint.NAME\n  identity = { endpoint_id = %q }\n}\n\n"+
		"where cobo_webhook_endpoint.NAME is this resource's address, as shown after \"with\" above. "+
		"Or revoke that endpoint in Cobo Portal first, if nothing uses it.", id, id)
	return b.String()
}

// webhookURLClaim: one resource per endpoint url (claims.go). A replacement keeps its url: the old
// endpoint is revoked before the new one is registered.
var webhookURLClaim = claimedKey{
	attr: "url", idAttr: "endpoint_id",
	claimsOf: func(d *providerData) *claims { return d.webhookURLs },
	twoHolders: func(pc planClaim) (string, string) {
		return "url used by two resources",
			fmt.Sprintf("url %q is claimed by two cobo_webhook_endpoint resources of this configuration: %s. "+
				"Cobo would deliver every event twice to a url with two endpoints, and destroying either resource would revoke the other's endpoint. "+
				"Give each resource its own url. To move an endpoint to another resource address, use a moved block or terraform state mv; "+
				"to give a url to another endpoint, revoke the old one in one apply and register the new one in the next.",
				pc.key, pc.rivals("endpoint"))
	},
}
