package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// Validators run at plan time, so bad input never reaches Cobo. Their messages name the attribute,
// say what was wrong and what is accepted.

// apiSecretValidator checks the secret's shape without ever echoing it (the stock regex validator
// would print the value).
type apiSecretValidator struct{}

func (apiSecretValidator) Description(context.Context) string {
	return "must be 64 hexadecimal characters"
}

func (v apiSecretValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (apiSecretValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := checkAPISecret(req.ConfigValue.ValueString()); err != nil {
		// Not an attribute error: Terraform would print the configuration line, secret included.
		resp.Diagnostics.AddError("Invalid Cobo API secret", err.Error())
	}
}

type baseURLValidator struct{}

func (baseURLValidator) Description(context.Context) string {
	return "must be an absolute http(s) URL including /v2"
}

func (v baseURLValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (baseURLValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := checkBaseURL(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid Cobo host", err.Error())
	}
}

// amountValidator applies one of Cobo's documented amount rules (internal/cobo/decisions.go).
type amountValidator struct{ rule cobo.AmountRule }

func (v amountValidator) Description(context.Context) string {
	return v.rule.Field + " must be " + v.rule.Doc
}

func (v amountValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v amountValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := v.rule.Check(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+v.rule.Field, err.Error()+".")
	}
}

// orderIDValidator rejects ids that could never be a Cobo order id or could change the request path.
type orderIDValidator struct{}

func (orderIDValidator) Description(context.Context) string {
	return "must be a Cobo order id: printable ASCII without spaces or / ? # % \\"
}

func (v orderIDValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (orderIDValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := cobo.ValidateOrderID(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid order_id", err.Error()+".")
	}
}

// payinTokenValidator warns about a token Cobo does not document for pay-in orders. It never rejects:
// dev has test tokens, and the API is the judge.
type payinTokenValidator struct{}

func (payinTokenValidator) Description(context.Context) string {
	return "should be one of the pay-in tokens Cobo documents"
}

func (v payinTokenValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (payinTokenValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() || cobo.IsDocumentedPayinToken(req.ConfigValue.ValueString()) {
		return
	}
	resp.Diagnostics.AddAttributeWarning(req.Path, "Undocumented pay-in token",
		fmt.Sprintf("%s %q is not one of the pay-in tokens Cobo documents (%v). The order is still sent; Cobo decides whether it accepts the token (dev environments have test tokens).",
			req.Path, req.ConfigValue.ValueString(), cobo.PayinTokenIDs))
}
