package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// Validators run at plan time, so bad input never reaches Cobo. Their messages name the attribute,
// say what was wrong and what is accepted.

// stringCheck is a plan-time validator of a known string value: check says what is wrong with it.
type stringCheck struct {
	description string
	summary     string
	check       func(string) error
	// notBound reports the problem without pointing at the attribute: for a secret, Terraform would
	// otherwise print the configuration line, secret included.
	notBound bool
	// warning reports the problem as a warning: the value is still sent, and Cobo decides.
	warning bool
}

func (v stringCheck) Description(context.Context) string { return v.description }

func (v stringCheck) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v stringCheck) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	err := v.check(req.ConfigValue.ValueString())
	if err == nil {
		return
	}
	detail := err.Error()
	if !strings.HasSuffix(detail, ".") && !strings.HasSuffix(detail, "?") {
		detail += "." // diagnostics are sentences; error strings are not
	}
	switch {
	case v.warning:
		resp.Diagnostics.AddAttributeWarning(req.Path, v.summary, detail)
	case v.notBound:
		resp.Diagnostics.AddError(v.summary, detail)
	default:
		resp.Diagnostics.AddAttributeError(req.Path, v.summary, detail)
	}
}

// apiSecretValidator checks the secret's shape without ever echoing it (the stock regex validator
// would print the value).
func apiSecretValidator() validator.String {
	return stringCheck{description: "must be " + cobo.SecretFormat, summary: "Invalid Cobo API secret", check: checkAPISecret, notBound: true}
}

func baseURLValidator() validator.String {
	return stringCheck{description: "must be an absolute http(s) URL including /v2", summary: "Invalid Cobo host", check: checkBaseURL}
}

// amountValidator applies one of Cobo's documented amount rules (internal/cobo/decisions.go).
func amountValidator(rule cobo.AmountRule) validator.String {
	return stringCheck{description: rule.Field + " must be " + rule.Doc, summary: "Invalid " + rule.Field, check: rule.Check}
}

// orderIDValidator rejects ids that could never be a Cobo order id or could change the request path.
func orderIDValidator() validator.String {
	return orderKind.idValidator()
}

// warnUndocumentedToken warns about a payable_currency Cobo does not document for pay-in orders, once
// per order to be created: ModifyPlan calls it for a create or a replacement, not for every plan of an
// existing order. It never rejects: dev has test tokens, and the API is the judge.
func warnUndocumentedToken(ctx context.Context, plan tfsdk.Plan, diags *diag.Diagnostics) {
	warnUndocumentedTokenIn(ctx, plan, "payable_currency", "order", diags)
}

// warnUndocumentedTokenIn is warnUndocumentedToken for the token attribute attr of an object (an
// order, or a refund, which pays out of a balance of pay-in tokens).
func warnUndocumentedTokenIn(ctx context.Context, plan tfsdk.Plan, attr, object string, diags *diag.Diagnostics) {
	var token types.String
	diags.Append(plan.GetAttribute(ctx, path.Root(attr), &token)...)
	if token.IsNull() || token.IsUnknown() || cobo.IsDocumentedPayinToken(token.ValueString()) {
		return
	}
	diags.AddAttributeWarning(path.Root(attr), "Undocumented pay-in token",
		fmt.Sprintf("%s %q is not one of the pay-in tokens Cobo documents (%v). The %s is still sent; Cobo decides whether it accepts the token (dev environments have test tokens).",
			attr, token.ValueString(), cobo.PayinTokenIDs, object))
}
