package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// The bases every type embeds: each gives its type its name (Metadata) and the provider data
// (Configure), so that a type's file holds only its own schema and logic. A type is declared as
//
//	type paymentOrderResource struct{ resourceBase }
//	func newPaymentOrderResource() resource.Resource {
//		return &paymentOrderResource{resourceBase{typeName: "payment_order"}}
//	}
//
// and reaches the shared client through its data field (nil until Configure, and while the provider
// configuration is not known yet: see providerData.clientFor). TestEveryTypeIsConfigured checks
// that every registered type gets its provider data.

// resourceBase serves resources and list resources, whose Metadata and Configure take the same
// requests; a list resource has the type name of the resource it finds.
type resourceBase struct {
	typeName string // the name after the provider's: "payment_order" for cobo_payment_order
	data     *providerData
}

func (b *resourceBase) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + b.typeName
}

// resourceType is the full type name, as in an address: cobo_payment_order.
func (b *resourceBase) resourceType() string { return providerTypeName + "_" + b.typeName }

func (b *resourceBase) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	b.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

type dataSourceBase struct {
	typeName string
	data     *providerData
}

func (b *dataSourceBase) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + b.typeName
}

func (b *dataSourceBase) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	b.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

type actionBase struct {
	typeName string
	data     *providerData
}

func (b *actionBase) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_" + b.typeName
}

func (b *actionBase) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	b.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// base returns the embedded base itself: for tests, which cannot reach an embedded field through an
// interface.
func (b *resourceBase) base() *resourceBase     { return b }
func (b *dataSourceBase) base() *dataSourceBase { return b }
func (b *actionBase) base() *actionBase         { return b }
