package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// A 5xx sends the user to Cobo support with the error_id only when the answer has one.
func TestAdviceOnServerErrorsNamesTheErrorIDOnlyWhenThereIsOne(t *testing.T) {
	t.Parallel()
	withID := &cobo.APIError{Method: "GET", URL: "https://api.dev.cobo.com/v2/payments/orders", StatusCode: 500, Code: cobo.CodeInternal, ErrorID: "e-1"}
	if got := advice(withID); !strings.Contains(got, "give Cobo support the error_id above") {
		t.Errorf("advice for a 500 with error_id e-1 = %q, want it to name the error_id", got)
	}
	empty := &cobo.APIError{Method: "GET", URL: "https://api.dev.cobo.com/v2/payments/orders", StatusCode: 503}
	got := advice(empty)
	if strings.Contains(got, "error_id above") || !strings.Contains(got, "carries no error_id") || !strings.Contains(got, "proxy") {
		t.Errorf("advice for a 503 with an empty body = %q, want no reference to an error_id above and a word on proxies", got)
	}
}

// An empty import ID is described as the import ID, also when Terraform (>= 1.12) sends an empty
// identity with it.
func TestImportStateEmptyID(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := &paymentOrderResource{}
	var schemaResp resource.IdentitySchemaResponse
	r.IdentitySchema(ctx, resource.IdentitySchemaRequest{}, &schemaResp)
	identityType := schemaResp.IdentitySchema.Type().TerraformType(ctx)
	for name, identity := range map[string]*tfsdk.ResourceIdentity{
		"no identity":    nil,
		"empty identity": {Schema: schemaResp.IdentitySchema, Raw: tftypes.NewValue(identityType, map[string]tftypes.Value{"order_id": tftypes.NewValue(tftypes.String, nil)})},
	} {
		var resp resource.ImportStateResponse
		r.ImportState(ctx, resource.ImportStateRequest{ID: "", Identity: identity}, &resp)
		if !resp.Diagnostics.HasError() {
			t.Fatalf("%s: an empty import ID was accepted", name)
		}
		if got := resp.Diagnostics[0].Detail(); !strings.HasPrefix(got, "The import ID is empty.") || !strings.Contains(got, "terraform import ADDRESS ORDER_ID") {
			t.Errorf("%s: %q, want it to say the import ID is empty and how to give one", name, got)
		}
	}
}
