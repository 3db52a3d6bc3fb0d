package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// Every registered type embeds a base and so gets its name and the provider data: a type that lost its
// Configure would run with no client.
func TestEveryTypeIsConfigured(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := New("test")().(interface {
		provider.ProviderWithListResources
		provider.ProviderWithActions
	})
	data := &providerData{}
	names := map[string]bool{}
	for _, f := range p.Resources(ctx) {
		r, ok := f().(resource.ResourceWithConfigure)
		if !ok {
			t.Fatalf("%T does not implement Configure", f())
		}
		var meta resource.MetadataResponse
		r.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "cobo"}, &meta)
		r.Configure(ctx, resource.ConfigureRequest{ProviderData: data}, &resource.ConfigureResponse{})
		names["resource "+meta.TypeName] = configuredWith(r) == data
	}
	for _, f := range p.ListResources(ctx) {
		l, ok := f().(list.ListResourceWithConfigure)
		if !ok {
			t.Fatalf("%T does not implement Configure", f())
		}
		var meta resource.MetadataResponse
		l.Metadata(ctx, resource.MetadataRequest{ProviderTypeName: "cobo"}, &meta)
		l.Configure(ctx, resource.ConfigureRequest{ProviderData: data}, &resource.ConfigureResponse{})
		names["list "+meta.TypeName] = configuredWith(l) == data
	}
	for _, f := range p.DataSources(ctx) {
		d, ok := f().(datasource.DataSourceWithConfigure)
		if !ok {
			t.Fatalf("%T does not implement Configure", f())
		}
		var meta datasource.MetadataResponse
		d.Metadata(ctx, datasource.MetadataRequest{ProviderTypeName: "cobo"}, &meta)
		d.Configure(ctx, datasource.ConfigureRequest{ProviderData: data}, &datasource.ConfigureResponse{})
		names["data "+meta.TypeName] = configuredWith(d) == data
	}
	for _, f := range p.Actions(ctx) {
		a, ok := f().(action.ActionWithConfigure)
		if !ok {
			t.Fatalf("%T does not implement Configure", f())
		}
		var meta action.MetadataResponse
		a.Metadata(ctx, action.MetadataRequest{ProviderTypeName: "cobo"}, &meta)
		a.Configure(ctx, action.ConfigureRequest{ProviderData: data}, &action.ConfigureResponse{})
		names["action "+meta.TypeName] = configuredWith(a) == data
	}
	for _, want := range []string{
		"resource cobo_payment_order", "resource cobo_webhook_endpoint", "list cobo_payment_order", "list cobo_webhook_endpoint",
		"data cobo_payment_order", "data cobo_payment_orders", "data cobo_webhook_endpoint",
		"action cobo_payment_order_expire", "action cobo_webhook_test_event", "action cobo_webhook_event_retry",
	} {
		configured, ok := names[want]
		switch {
		case !ok:
			t.Errorf("%s is not registered (registered: %v)", want, names)
		case !configured:
			t.Errorf("%s did not keep the provider data Configure gave it", want)
		}
	}
}

// configuredWith is the provider data a type's base holds.
func configuredWith(v any) *providerData {
	switch b := v.(type) {
	case interface{ base() *resourceBase }:
		return b.base().data
	case interface{ base() *dataSourceBase }:
		return b.base().data
	case interface{ base() *actionBase }:
		return b.base().data
	}
	return nil
}
