package provider

import (
	"context"
	"slices"
	"sync"
	"time"

	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// A Cobo Merchant as Terraform shows it, shared by the cobo_payment_merchant resource, data source and
// list resource: the model, how a merchant maps to it, each attribute's description, and the one walk
// of the merchant list that serves every merchant read in a Terraform command.

// merchantModel holds a Merchant's attributes.
type merchantModel struct {
	ID               types.String  `tfsdk:"id"`
	MerchantID       types.String  `tfsdk:"merchant_id"`
	Name             types.String  `tfsdk:"name"`
	DeveloperFeeRate decimalString `tfsdk:"developer_fee_rate"`
	WalletSetup      types.String  `tfsdk:"wallet_setup"`
	WalletID         types.String  `tfsdk:"wallet_id"`
	CreatedTimestamp types.Int64   `tfsdk:"created_timestamp"`
	UpdatedTimestamp types.Int64   `tfsdk:"updated_timestamp"`
}

// flattenMerchant maps a Cobo Merchant to the model: an absent rate or timestamp as null.
func flattenMerchant(m *cobo.Merchant) merchantModel {
	return merchantModel{
		ID:               types.StringValue(m.MerchantID),
		MerchantID:       types.StringValue(m.MerchantID),
		Name:             types.StringValue(m.Name),
		DeveloperFeeRate: decimalPointerValue(m.DeveloperFeeRate),
		WalletSetup:      types.StringValue(m.WalletSetup),
		WalletID:         types.StringValue(m.WalletID),
		CreatedTimestamp: types.Int64PointerValue(m.CreatedTimestamp),
		UpdatedTimestamp: types.Int64PointerValue(m.UpdatedTimestamp),
	}
}

// merchantDescriptions describes each attribute, once for every schema that has it.
var merchantDescriptions = map[string]string{
	"id":          "The merchant's ID, the same as `merchant_id`.",
	"merchant_id": "The merchant ID Cobo assigned, such as `M1001`.",
	"name":        "The merchant's name.",
	"developer_fee_rate": "The developer fee rate of the merchant's top-up deposits: " + cobo.DeveloperFeeRateRule.Doc +
		". Cobo reads an absent rate as zero; it applies to new deposits only.",
	"wallet_setup": "How the merchant's funds are held: `" + cobo.WalletSetupShared + "` (in the organization's shared wallet) or `" + cobo.WalletSetupSeparate +
		"` (in a wallet of its own). `" + cobo.WalletSetupDefault + "` belongs to the default merchant Cobo's onboarding creates.",
	"wallet_id":         "The merchant's wallet ID (deprecated by Cobo, still sent).",
	"created_timestamp": "When the merchant was created, in seconds since the Unix epoch.",
	"updated_timestamp": "When the merchant was last updated, in seconds since the Unix epoch.",
}

// merchantDescription is one attribute's description; a name without one is a bug.
func merchantDescription(name string) string {
	d, ok := merchantDescriptions[name]
	if !ok {
		panic("no merchant attribute " + name)
	}
	return d
}

// dataSourceMerchantAttributes are every merchant attribute as a computed data source attribute.
func dataSourceMerchantAttributes() map[string]dsschema.Attribute {
	attrs := make(map[string]dsschema.Attribute, len(merchantDescriptions))
	for name, d := range merchantDescriptions {
		switch name {
		case "developer_fee_rate":
			attrs[name] = dsschema.StringAttribute{Computed: true, CustomType: decimalStringType{}, MarkdownDescription: d}
		case "created_timestamp", "updated_timestamp":
			attrs[name] = dsschema.Int64Attribute{Computed: true, MarkdownDescription: d}
		default:
			attrs[name] = dsschema.StringAttribute{Computed: true, MarkdownDescription: d}
		}
	}
	return attrs
}

// merchantDirectory is one walk of the organization's merchant list, shared by every merchant read of
// a Terraform command (the provider is configured anew for each): Cobo has no get-by-id, so reading
// N merchants one walk each would cost N walks. The walk is redone after a create or an update of
// this provider instance (forget), and after cobo.MerchantWalkMaxAge.
type merchantDirectory struct {
	mu     sync.Mutex // held during a walk, so that concurrent reads wait for it rather than walk too
	walked time.Time
	all    []cobo.Merchant // nil until walked
}

// merchants returns every merchant of the organization, from this command's walk.
func (d *merchantDirectory) merchants(ctx context.Context, client *cobo.Client) ([]cobo.Merchant, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.all != nil && time.Since(d.walked) < cobo.MerchantWalkMaxAge {
		return d.all, nil
	}
	all, err := client.AllMerchants(ctx)
	if err != nil {
		return nil, err
	}
	d.all, d.walked = append(make([]cobo.Merchant, 0, len(all)), all...), time.Now()
	return d.all, nil
}

// merchant returns the merchant with that id, or nil when the organization has none.
func (d *merchantDirectory) merchant(ctx context.Context, client *cobo.Client, id string) (*cobo.Merchant, error) {
	all, err := d.merchants(ctx, client)
	if err != nil {
		return nil, err
	}
	if i := slices.IndexFunc(all, func(m cobo.Merchant) bool { return m.MerchantID == id }); i >= 0 {
		m := all[i]
		return &m, nil
	}
	return nil, nil //nolint:nilnil // nil, nil: no such merchant, which callers report in their own words
}

// forget drops the walk: a merchant was created or changed.
func (d *merchantDirectory) forget() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.all = nil
}
