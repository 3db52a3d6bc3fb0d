package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// webhookEndpointSchema is the resource's schema: url, subscribed_events and description as inputs,
// the rest computed, and the timeouts block.
func webhookEndpointSchema(ctx context.Context) schema.Schema {
	desc := webhookEndpointDescription
	stable := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	return schema.Schema{
		MarkdownDescription: "A webhook endpoint of your Cobo organization: Cobo delivers the events it subscribes to, signed with Cobo's key, to its `url`. " +
			"Creating the resource registers the endpoint; changing `subscribed_events` or `description` updates it in place; changing `url` registers a new endpoint and revokes the old one; destroying it revokes it (Cobo has no delete, and a revoked endpoint can never be reactivated). " +
			"Terraform never registers a second endpoint for a url that already has one.",
		Attributes: map[string]schema.Attribute{
			"id":          schema.StringAttribute{Computed: true, MarkdownDescription: desc("id"), PlanModifiers: stable},
			"endpoint_id": schema.StringAttribute{Computed: true, MarkdownDescription: desc("endpoint_id"), PlanModifiers: stable},
			"url": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: desc("url") + " Cobo cannot change an endpoint's url: changing it registers a new endpoint and revokes this one.",
				Validators:          []validator.String{webhookURLValidator()},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"subscribed_events": schema.SetAttribute{
				Required:    true,
				ElementType: types.StringType,
				MarkdownDescription: desc("subscribed_events") + " At least one. A type that is not in Cobo's `WebhookEventType` list (its API reference) gets a warning naming the nearest listed one, " +
					"and is still sent: Cobo adds types, and its API decides.",
				Validators: []validator.Set{
					setvalidator.SizeAtLeast(1),
					setvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1)), // and ModifyPlan warns about an undocumented type
				},
			},
			"description": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: desc("description") + " Removing it clears the description in Cobo.",
			},
			"status": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: desc("status") + " An endpoint revoked or rejected outside Terraform is removed from the state on refresh, with a warning, so the next apply registers a new one.",
			},
			"created_timestamp": schema.Int64Attribute{
				Computed:            true,
				MarkdownDescription: desc("created_timestamp"),
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}),
		},
	}
}
