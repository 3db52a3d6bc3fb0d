package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// The list resource cobo_payment_merchant serves `terraform query` (Terraform >= 1.14): it finds the
// organization's merchants, so that `terraform query -generate-config-out=FILE` can write the
// resource and import blocks that bring them under Terraform.

func newPaymentMerchantListResource() list.ListResource {
	return &queryList[paymentMerchantListModel, cobo.Merchant]{
		resourceBase: resourceBase{typeName: "payment_merchant"}, kind: merchantKind,
		schema: paymentMerchantListSchema, failure: "Unable to list merchants", find: findMerchants,
		describe: func(m *cobo.Merchant) (string, string) {
			return m.MerchantID, fmt.Sprintf("%s (%s, %s)", m.Name, m.MerchantID, m.WalletSetup)
		},
		resource: func(m *cobo.Merchant, noTimeouts timeouts.Value) (any, diag.Diagnostics) {
			return &paymentMerchantResourceModel{merchantModel: flattenMerchant(m), Timeouts: noTimeouts}, nil
		},
	}
}

type paymentMerchantListModel struct {
	Keyword     types.String `tfsdk:"keyword"`
	WalletSetup types.String `tfsdk:"wallet_setup"`
}

// walletSetups are every wallet setup a merchant can have.
var walletSetups = append([]string{cobo.WalletSetupDefault}, cobo.WalletSetupsOnCreate...)

func paymentMerchantListSchema() schema.Schema {
	return schema.Schema{
		MarkdownDescription: fmt.Sprintf("Finds the organization's Cobo merchants for `terraform query` (Terraform >= 1.14), filtered by Cobo, following Cobo's cursor pages (%d merchants a page) until the `list` block's `limit` (default %d) or the last page. "+
			"Each result is the merchant's identity (`merchant_id`) with a display name of its name, id and wallet setup. With `include_resource = true` it is also the resource as an import would read it, "+
			"so `terraform query -generate-config-out=FILE` writes resource and import blocks that import the merchants unchanged.",
			cobo.MaxPageSize, defaultQueryLimit),
		Attributes: map[string]schema.Attribute{
			"keyword": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only merchants whose name matches this keyword, as Cobo matches it (a fuzzy match, such as a part of the name).",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"wallet_setup": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only merchants with this wallet setup: " + markdownList(walletSetups) + ".",
				Validators:          []validator.String{stringvalidator.OneOf(walletSetups...)},
			},
		},
	}
}

// findMerchants reads the merchants the list block's filters select, up to limit.
func findMerchants(ctx context.Context, client *cobo.Client, cfg paymentMerchantListModel, limit int) ([]cobo.Merchant, error) {
	page := func(ctx context.Context, after string, limit int) (*cobo.MerchantPage, error) {
		return client.ListMerchants(ctx, cobo.ListMerchantsParams{PageParams: cobo.PageParams{Limit: limit, After: after},
			Keyword: cfg.Keyword.ValueString(), WalletSetup: cfg.WalletSetup.ValueString()})
	}
	merchants, _, err := cobo.CollectPages(ctx, limit, "merchant", page, nil)
	return merchants, err
}
