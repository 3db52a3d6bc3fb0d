package provider

import (
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// apiErrorDiagnostic turns a client error into a diagnostic whose summary says what failed and whose
// detail carries Cobo's error_code, error_message and error_id, plus what to do about it.
func apiErrorDiagnostic(summary string, err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic(summary, err.Error()+advice(err))
}

func advice(err error) string {
	var apiErr *cobo.APIError
	var unknown *cobo.CreateOutcomeUnknownError
	var unknownEndpoint *cobo.EndpointOutcomeUnknownError
	switch {
	case errors.As(err, &unknown), errors.As(err, &unknownEndpoint):
		return ""
	case cobo.IsAuthFailed(err):
		return "\n\nCheck that api_secret belongs to an API key registered with Cobo for this environment: dev and prod keys differ (provider argument env or host)."
	case cobo.IsDuplicateKey(err):
		return "\n\nCobo rejects a psp_order_code that an order of your organization already uses. Use a new psp_order_code, or import the existing order."
	case errors.As(err, &apiErr) && (apiErr.StatusCode == 429 || apiErr.Code == cobo.CodeTooManyRequests):
		return "\n\nCobo is rate limiting these requests. Raise max_retries, set requests_per_second, or lower Terraform's -parallelism."
	case errors.As(err, &apiErr) && apiErr.StatusCode >= 500:
		return "\n\nCobo or a gateway in front of it failed. Try again later; if it persists, give Cobo support the error_id above."
	}
	return ""
}
