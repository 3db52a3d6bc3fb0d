package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// cobo_payment_merchant (data source): one merchant, by merchant_id or by exact name, found in this
// command's walk of the merchant list (merchantDirectory), which the resources share.

func newPaymentMerchantDataSource() datasource.DataSource {
	ds := &readDataSource[merchantDataSourceModel]{
		dataSourceBase: dataSourceBase{typeName: "payment_merchant"},
		schema:         merchantDataSourceSchema,
		validators: []datasource.ConfigValidator{
			datasourcevalidator.ExactlyOneOf(path.MatchRoot("merchant_id"), path.MatchRoot("name")),
		},
		failure: func(*merchantDataSourceModel) string { return "Unable to read the merchant list" },
	}
	ds.read = func(ctx context.Context, client *cobo.Client, cfg *merchantDataSourceModel, diags *diag.Diagnostics) error {
		return readMerchantDataSource(ctx, ds.data.merchants, client, cfg, diags)
	}
	return ds
}

type merchantDataSourceModel struct {
	merchantModel
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

func merchantDataSourceSchema(context.Context) schema.Schema {
	attrs := dataSourceMerchantAttributes()
	attrs["merchant_id"] = schema.StringAttribute{
		Optional: true, Computed: true,
		MarkdownDescription: merchantDescription("merchant_id") + " Set exactly one of `merchant_id` and `name`.",
		Validators:          []validator.String{stringCheck{description: "must be a Cobo merchant id", summary: "Invalid merchant_id", check: cobo.ValidateMerchantID}},
	}
	attrs["name"] = schema.StringAttribute{
		Optional: true, Computed: true,
		MarkdownDescription: merchantDescription("name") + " Set exactly one of `merchant_id` and `name`: the name must match exactly one merchant's, case and spaces included.",
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
	}
	return schema.Schema{
		MarkdownDescription: "Reads one merchant of the organization, by `merchant_id` or by its exact `name`. Cobo has no way to read one merchant, so this reads Cobo's merchant list, once per Terraform command for every merchant read in it.",
		Attributes:          attrs,
	}
}

func readMerchantDataSource(ctx context.Context, dir *merchantDirectory, client *cobo.Client, cfg *merchantDataSourceModel, diags *diag.Diagnostics) error {
	all, err := dir.merchants(ctx, client)
	if err != nil {
		return err
	}
	var found []cobo.Merchant
	for _, m := range all {
		if (!cfg.MerchantID.IsNull() && m.MerchantID == cfg.MerchantID.ValueString()) || (!cfg.Name.IsNull() && m.Name == cfg.Name.ValueString()) {
			found = append(found, m)
		}
	}
	if len(found) != 1 {
		diags.Append(merchantMatchError(cfg, found, all))
		return nil
	}
	cfg.merchantModel = flattenMerchant(&found[0])
	return nil
}

// merchantMatchError says that no merchant, or more than one, matched, listing them; for a name
// that matched none, it lists the merchants of all whose name differs only in case or spaces.
func merchantMatchError(cfg *merchantDataSourceModel, found, all []cobo.Merchant) diag.Diagnostic {
	attr, value := "merchant_id", cfg.MerchantID.ValueString()
	if !cfg.Name.IsNull() {
		attr, value = "name", cfg.Name.ValueString()
	}
	if len(found) == 0 {
		return diag.NewAttributeErrorDiagnostic(path.Root(attr), "No merchant found",
			fmt.Sprintf("The organization of this API key has no merchant with %s %q (names match exactly, case and spaces included). "+
				"Check the value, and that api_secret and env (or host) are those of the organization that has the merchant.%s", attr, value, namedAlike(cfg, all)))
	}
	var b strings.Builder
	for _, m := range found {
		fmt.Fprintf(&b, "\n  - merchant_id %s, wallet_setup %s", m.MerchantID, m.WalletSetup)
	}
	return diag.NewAttributeErrorDiagnostic(path.Root(attr), "More than one merchant found",
		fmt.Sprintf("%d merchants are named %q:%s\n\nSet merchant_id instead of name to choose one.", len(found), value, b.String()))
}

// namedAlike lists, for a name lookup, the merchants whose name equals it but for case and
// surrounding spaces: the likely intended ones, which the exact match left out.
func namedAlike(cfg *merchantDataSourceModel, all []cobo.Merchant) string {
	if cfg.Name.IsNull() {
		return ""
	}
	want := strings.TrimSpace(cfg.Name.ValueString())
	var b strings.Builder
	for _, m := range all {
		if strings.EqualFold(strings.TrimSpace(m.Name), want) {
			fmt.Fprintf(&b, "\n  - merchant_id %s, name %q", m.MerchantID, m.Name)
		}
	}
	if b.Len() == 0 {
		return ""
	}
	return "\n\nMerchants whose name differs only in case or spaces:" + b.String()
}
