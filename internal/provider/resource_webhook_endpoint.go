package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// cobo_webhook_endpoint is one webhook endpoint of the organization. Create registers it (POST
// /webhooks/endpoints, after making sure no endpoint has its url: resource_webhook_endpoint_create.go);
// Read refreshes it and forgets one that can never receive events again; Update changes its events and
// description (PUT); Delete revokes it (PUT status STATUS_INACTIVE), as Cobo has no delete. Changing
// the url replaces it, since Cobo cannot update a url. The schema is in
// resource_webhook_endpoint_schema.go.

var (
	_ resource.Resource                = &webhookEndpointResource{}
	_ resource.ResourceWithImportState = &webhookEndpointResource{}
	_ resource.ResourceWithIdentity    = &webhookEndpointResource{}
	_ resource.ResourceWithModifyPlan  = &webhookEndpointResource{}
)

func newWebhookEndpointResource() resource.Resource {
	return &webhookEndpointResource{resourceBase{typeName: "webhook_endpoint"}}
}

type webhookEndpointResource struct{ resourceBase }

// webhookEndpointResourceModel is the endpoint's attributes plus the timeouts block.
type webhookEndpointResourceModel struct {
	webhookEndpointModel
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

func (r *webhookEndpointResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = webhookEndpointSchema(ctx)
}

// IdentitySchema: an endpoint is identified by its endpoint id alone (Terraform >= 1.12 keeps it in
// the state and accepts it in import blocks: identity = { endpoint_id = "..." }).
func (r *webhookEndpointResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = webhookEndpointKind.identitySchema()
}

func (r *webhookEndpointResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan webhookEndpointResourceModel
	resp.Diagnostics.Append(getModel(ctx, req.Plan, &plan)...)
	ctx, client, timeout, cancel := r.begin(ctx, createOperation, plan.Timeouts, &resp.Diagnostics)
	defer cancel()
	if client == nil {
		return
	}

	endpoint := r.data.registerWebhookEndpoint(ctx, timeout, createWebhookEndpointRequest(plan), &resp.Diagnostics)
	if endpoint == nil {
		return
	}
	saveWebhookEndpoint(ctx, &resp.State, endpoint, plan, &resp.Diagnostics)
	setWebhookEndpointIdentity(ctx, resp.Identity, endpoint.EndpointID, &resp.Diagnostics)
	warnIfAwaitingApproval(endpoint, keptWhileAwaiting, &resp.Diagnostics)
	tflog.Info(ctx, "registered webhook endpoint", map[string]any{"endpoint_id": endpoint.EndpointID, "status": endpoint.Status})
}

func (r *webhookEndpointResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var prior webhookEndpointResourceModel
	resp.Diagnostics.Append(getModel(ctx, req.State, &prior)...)
	endpointID := prior.ID.ValueString()
	ctx, client, timeout, cancel := r.beginRefresh(ctx, webhookEndpointKind, endpointID, prior.Timeouts, resp.Identity, &resp.Diagnostics)
	defer cancel()
	if client == nil {
		return
	}

	endpoint, err := client.GetWebhookEndpoint(ctx, endpointID)
	switch {
	case cobo.IsNotFound(err):
		// The state is kept; ImportState sets only the id, so no url means an import.
		resp.Diagnostics.Append(notFoundOnReadDiagnostic(webhookEndpointKind, r.resourceType(), endpointID, prior.URL.IsNull(), err))
	case err != nil:
		resp.Diagnostics.Append(timeout.diagnostic(ctx, "Unable to read webhook endpoint "+quote(endpointID), err))
	case cobo.IsFinalEndpointStatus(endpoint.Status):
		resp.Diagnostics.AddWarning("Webhook endpoint revoked or rejected outside Terraform; removed from state",
			fmt.Sprintf("Webhook endpoint %s for %s is %s in Cobo: it was %s outside Terraform, and Cobo can never reactivate it, so it receives no events. "+
				"It was removed from the Terraform state; the next apply registers a new endpoint for this url if the configuration still declares it.",
				endpointID, endpoint.URL, endpoint.Status, finalStatusMeaning(endpoint.Status)))
		resp.State.RemoveResource(ctx)
	default:
		saveWebhookEndpoint(ctx, &resp.State, endpoint, prior, &resp.Diagnostics)
		warnIfAwaitingApproval(endpoint, keptWhileAwaiting, &resp.Diagnostics)
	}
}

func (r *webhookEndpointResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state webhookEndpointResourceModel
	resp.Diagnostics.Append(getModel(ctx, req.Plan, &plan)...)
	resp.Diagnostics.Append(getModel(ctx, req.State, &state)...)
	ctx, client, timeout, cancel := r.begin(ctx, updateOperation, plan.Timeouts, &resp.Diagnostics)
	defer cancel()
	if client == nil {
		return
	}

	endpointID := state.ID.ValueString()
	setWebhookEndpointIdentity(ctx, resp.Identity, endpointID, &resp.Diagnostics)
	var (
		endpoint *cobo.WebhookEndpoint
		err      error
	)
	if update, changed := updateWebhookEndpointRequest(plan, state); changed {
		endpoint, err = client.UpdateWebhookEndpoint(ctx, endpointID, update)
		if err != nil {
			resp.Diagnostics.Append(timeout.diagnostic(ctx, "Unable to update webhook endpoint "+quote(endpointID), err))
			return
		}
		tflog.Info(ctx, "updated webhook endpoint", map[string]any{"endpoint_id": endpointID, "status": endpoint.Status})
	} else {
		// Only the timeouts changed: refresh the live attributes.
		endpoint, err = client.GetWebhookEndpoint(ctx, endpointID)
		if err != nil {
			resp.Diagnostics.Append(timeout.diagnostic(ctx, "Unable to read webhook endpoint "+quote(endpointID), err))
			return
		}
	}
	saveWebhookEndpoint(ctx, &resp.State, endpoint, plan, &resp.Diagnostics)
	warnIfAwaitingApproval(endpoint, keptWhileAwaiting, &resp.Diagnostics)
}

// Delete revokes the endpoint. One revoked or rejected already is only removed from the state; one
// Cobo does not know too, with a warning (notFoundOnDestroyDiagnostic).
func (r *webhookEndpointResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state webhookEndpointResourceModel
	resp.Diagnostics.Append(getModel(ctx, req.State, &state)...)
	ctx, client, timeout, cancel := r.begin(ctx, deleteOperation, state.Timeouts, &resp.Diagnostics)
	defer cancel()
	if client == nil {
		return
	}

	endpointID := state.ID.ValueString()
	endpoint, err := client.GetWebhookEndpoint(ctx, endpointID)
	if cobo.IsNotFound(err) {
		resp.Diagnostics.Append(notFoundOnDestroyDiagnostic(webhookEndpointKind, endpointID, err))
		return
	}
	if err != nil {
		resp.Diagnostics.Append(timeout.diagnostic(ctx, fmt.Sprintf("Unable to read webhook endpoint %s before revoking it", endpointID), err))
		return
	}
	if cobo.IsFinalEndpointStatus(endpoint.Status) {
		return
	}
	if endpoint.Status == cobo.EndpointStatusPendingInact {
		warnIfAwaitingApproval(endpoint, revokedWhileAwaiting, &resp.Diagnostics) // revoked already, not yet approved
		return
	}
	revoked, err := client.UpdateWebhookEndpoint(ctx, endpointID, cobo.UpdateWebhookEndpointRequest{Status: cobo.EndpointStatusInactive})
	if err != nil {
		// A revoke that failed ambiguously may have been applied; Cobo refuses to revoke twice.
		latest, getErr := client.GetWebhookEndpoint(ctx, endpointID)
		if getErr == nil && cobo.IsFinalEndpointStatus(latest.Status) {
			return
		}
		resp.Diagnostics.Append(timeout.diagnostic(ctx, fmt.Sprintf("Unable to revoke webhook endpoint %s", endpointID), err))
		return
	}
	tflog.Info(ctx, "revoked webhook endpoint", map[string]any{"endpoint_id": endpointID, "status": revoked.Status})
	if revoked.Status == cobo.EndpointStatusPendingInact {
		warnIfAwaitingApproval(revoked, revokedWhileAwaiting, &resp.Diagnostics)
	}
}

// ImportState takes the endpoint id from the import ID or, in an import block with identity, from the
// identity's endpoint_id; the Read that follows fills in the rest.
func (r *webhookEndpointResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importByID(ctx, webhookEndpointKind, req, resp)
}

// ModifyPlan claims the url for one resource (webhookURLClaim), and warns about event types Cobo does
// not document, once per plan that subscribes to them.
func (r *webhookEndpointResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if !webhookURLClaim.claim(ctx, r.data, req, resp) || req.Plan.Raw.IsNull() {
		return // a second holder, or destroy
	}
	var planned, prior types.Set
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("subscribed_events"), &planned)...)
	if !req.State.Raw.IsNull() {
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("subscribed_events"), &prior)...)
	}
	warnUndocumentedEventTypes(planned, prior, &resp.Diagnostics)
}

// createWebhookEndpointRequest builds the create body from the plan.
func createWebhookEndpointRequest(plan webhookEndpointResourceModel) cobo.CreateWebhookEndpointRequest {
	return cobo.CreateWebhookEndpointRequest{
		URL:              plan.URL.ValueString(),
		SubscribedEvents: stringElements(plan.SubscribedEvents.Elements()),
		Description:      plan.Description.ValueString(),
	}
}

// updateWebhookEndpointRequest builds the PUT body from what changed; changed is false when nothing
// Cobo stores did. A removed description is sent as "", which clears it.
func updateWebhookEndpointRequest(plan, state webhookEndpointResourceModel) (req cobo.UpdateWebhookEndpointRequest, changed bool) {
	if !plan.SubscribedEvents.Equal(state.SubscribedEvents) {
		req.SubscribedEvents, changed = stringElements(plan.SubscribedEvents.Elements()), true
	}
	if plan.Description.ValueString() != state.Description.ValueString() {
		d := plan.Description.ValueString()
		req.Description, changed = &d, true
	}
	return req, changed
}

// saveWebhookEndpoint writes an endpoint into the resource's state (see webhookEndpointState).
func saveWebhookEndpoint(ctx context.Context, state *tfsdk.State, e *cobo.WebhookEndpoint, prior webhookEndpointResourceModel, diags *diag.Diagnostics) {
	m, d := webhookEndpointState(e, prior)
	diags.Append(d...)
	if !d.HasError() {
		diags.Append(setModel(ctx, state, m)...)
	}
}

// webhookEndpointState maps an endpoint to the resource's state. prior is the plan (create, update)
// or the previous state (read, import): an empty description keeps prior's spelling of "none" (null or
// ""), and while an update awaits approval (Cobo shows the endpoint as it was until then) the state
// keeps what Terraform asked for, so the next plan does not send it again.
func webhookEndpointState(e *cobo.WebhookEndpoint, prior webhookEndpointResourceModel) (webhookEndpointResourceModel, diag.Diagnostics) {
	m, diags := flattenWebhookEndpoint(e)
	if m.Description.ValueString() == "" && prior.Description.ValueString() == "" && !prior.Description.IsUnknown() {
		m.Description = prior.Description
	}
	if e.Status == cobo.EndpointStatusPendingUpdate && !prior.SubscribedEvents.IsNull() && !prior.SubscribedEvents.IsUnknown() && !prior.Description.IsUnknown() {
		m.SubscribedEvents, m.Description = prior.SubscribedEvents, prior.Description
	}
	return webhookEndpointResourceModel{webhookEndpointModel: m, Timeouts: prior.Timeouts}, diags
}

// Endings of the approval warning: the endpoint stays in the state, or was destroyed.
const (
	keptWhileAwaiting    = "It is kept in the Terraform state, and a later refresh shows its new status."
	revokedWhileAwaiting = "It was removed from the Terraform state; Cobo delivers events to it until the revocation is approved."
)

// warnIfAwaitingApproval warns about an endpoint whose registration, update or revocation awaits
// approval in Cobo Portal (organizations may require it): nothing failed, and Cobo decides later.
// then says what Terraform did with it.
func warnIfAwaitingApproval(e *cobo.WebhookEndpoint, then string, diags *diag.Diagnostics) {
	var what string
	switch e.Status {
	case cobo.EndpointStatusPendingActive:
		what = "its registration awaits approval in Cobo Portal; it receives no events until it is approved"
	case cobo.EndpointStatusPendingUpdate:
		what = "an update of it awaits approval in Cobo Portal; until then it keeps its previous settings"
	case cobo.EndpointStatusPendingInact:
		what = "its revocation awaits approval in Cobo Portal"
	default:
		return
	}
	diags.AddWarning("Webhook endpoint awaits approval",
		fmt.Sprintf("Webhook endpoint %s for %s is %s: %s. %s", e.EndpointID, e.URL, e.Status, what, then))
}

// finalStatusMeaning says how an endpoint reached a final status.
func finalStatusMeaning(status string) string {
	if status == cobo.EndpointStatusRejectedActive {
		return "rejected in Cobo Portal"
	}
	return "revoked"
}

// setWebhookEndpointIdentity records the endpoint id as the resource's identity (see setOrderIdentity).
func setWebhookEndpointIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, endpointID string, diags *diag.Diagnostics) {
	setKindIdentity(ctx, webhookEndpointKind, identity, endpointID, diags)
}
