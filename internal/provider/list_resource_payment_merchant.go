package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// The list resource cobo_payment_merchant serves `terraform query` (Terraform >= 1.14): it finds the
// organization's merchants, so that `terraform query -generate-config-out=FILE` can write the
// resource and import blocks that bring them under Terraform.

var _ list.ListResource = &paymentMerchantListResource{}

func newPaymentMerchantListResource() list.ListResource {
	return &paymentMerchantListResource{resourceBase{typeName: "payment_merchant"}}
}

type paymentMerchantListResource struct{ resourceBase }

type paymentMerchantListModel struct {
	Keyword     types.String `tfsdk:"keyword"`
	WalletSetup types.String `tfsdk:"wallet_setup"`
}

// walletSetups are every wallet setup a merchant can have.
var walletSetups = append([]string{cobo.WalletSetupDefault}, cobo.WalletSetupsOnCreate...)

func (l *paymentMerchantListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
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

func (l *paymentMerchantListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg paymentMerchantListModel
	diags := getModel(ctx, req.Config, &cfg)
	ctx, client := l.data.clientFor(ctx, &diags)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	noTimeouts, diags := nullTimeouts(ctx, req)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	page := func(ctx context.Context, after string, limit int) (*cobo.MerchantPage, error) {
		return client.ListMerchants(ctx, cobo.ListMerchantsParams{PageParams: cobo.PageParams{Limit: limit, After: after},
			Keyword: cfg.Keyword.ValueString(), WalletSetup: cfg.WalletSetup.ValueString()})
	}
	merchants, _, err := cobo.CollectPages(ctx, queryLimit(req), "merchant", page, nil)
	if err != nil {
		stream.Results = list.ListResultsStreamDiagnostics(diag.Diagnostics{apiErrorDiagnostic("Unable to list merchants", err)})
		return
	}
	stream.Results = streamEach(merchants, func(m *cobo.Merchant) list.ListResult {
		return merchantListResult(ctx, req, noTimeouts, m)
	})
}

// merchantListResult is one merchant as a query result: its identity, a display name and, when asked
// for, the resource as the import of that identity would read it (no timeouts block).
func merchantListResult(ctx context.Context, req list.ListRequest, noTimeouts timeouts.Value, m *cobo.Merchant) list.ListResult {
	result := req.NewListResult(ctx)
	result.DisplayName = fmt.Sprintf("%s (%s, %s)", m.Name, m.MerchantID, m.WalletSetup)
	result.Diagnostics.Append(result.Identity.SetAttribute(ctx, path.Root("merchant_id"), m.MerchantID)...)
	if !req.IncludeResource {
		return result
	}
	model := paymentMerchantResourceModel{merchantModel: flattenMerchant(m), Timeouts: noTimeouts}
	result.Diagnostics.Append(result.Resource.Set(ctx, &model)...)
	return result
}
