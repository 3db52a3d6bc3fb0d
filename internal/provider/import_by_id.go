package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// importByID imports an object of kind k by its id: the import ID or, in an import block with
// identity, the identity's id attribute. It sets only the ids and the identity; the Read that follows
// fills in the rest.
func importByID(ctx context.Context, k objectKind, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, what := req.ID, "The import ID"
	if req.ID == "" && req.Identity != nil {
		var v types.String
		resp.Diagnostics.Append(req.Identity.GetAttribute(ctx, path.Root(k.idAttribute), &v)...)
		if !v.IsNull() { // Terraform >= 1.12 sends an empty identity with an empty import ID
			id, what = v.ValueString(), "The identity's "+k.idAttribute
		}
	}
	if id == "" {
		resp.Diagnostics.AddError("Invalid import ID", fmt.Sprintf("%[1]s is empty. Give the Cobo %[2]s id, such as %[3]s: terraform import ADDRESS %[4]s, or in an import block id = \"%[4]s\" or identity = { %[5]s = \"%[4]s\" }.",
			what, k.noun, k.exampleID, strings.ToUpper(k.idAttribute), k.idAttribute))
		return
	}
	if err := k.validateID(id); err != nil {
		resp.Diagnostics.AddError("Invalid import ID", fmt.Sprintf("%s must be a Cobo %s id, such as %s: %v.", what, k.noun, k.exampleID, err))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(k.idAttribute), id)...)
	setKindIdentity(ctx, k, resp.Identity, id, &resp.Diagnostics)
}

// setKindIdentity records an object's id as its resource's identity. identity is nil when the
// framework has none to fill (Terraform < 1.12 just does not store it).
func setKindIdentity(ctx context.Context, k objectKind, identity *tfsdk.ResourceIdentity, id string, diags *diag.Diagnostics) {
	if identity == nil || id == "" {
		return
	}
	diags.Append(identity.SetAttribute(ctx, path.Root(k.idAttribute), id)...)
}
