package provider

import (
	"errors"
	"fmt"
	"strings"

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
	var unknownOther *cobo.OutcomeUnknownError
	switch {
	case errors.As(err, &unknown), errors.As(err, &unknownOther):
		return ""
	case cobo.IsAuthFailed(err):
		return "\n\nCheck that api_secret belongs to an API key registered with Cobo for this environment: dev and prod keys differ (provider argument env or host)."
	case cobo.IsNotFound(err):
		return "\n\n" + notFoundAdvice(err)
	case cobo.IsDuplicateKey(err):
		return "\n\nCobo rejects a psp_order_code that an order of your organization already uses. Use a new psp_order_code, or import the existing order."
	case errors.As(err, &apiErr) && (apiErr.StatusCode == 429 || apiErr.Code == cobo.CodeTooManyRequests):
		return "\n\nCobo is rate limiting these requests. Raise max_retries, set requests_per_second, or lower Terraform's -parallelism."
	case errors.As(err, &apiErr) && apiErr.StatusCode >= 500 && apiErr.ErrorID != "":
		return "\n\nCobo failed. Try again later; if it persists, give Cobo support the error_id above."
	case errors.As(err, &apiErr) && apiErr.StatusCode >= 500:
		// No error_id: the answer is not Cobo's error object, so it may not come from Cobo at all.
		return "\n\nCobo or a gateway in front of it failed, and the answer carries no error_id. Try again later; if it persists, check host and any proxy or gateway between you and Cobo."
	}
	return ""
}

// notFoundAdvice is the advice on a not-found error, naming the kind of object its request asked for.
func notFoundAdvice(err error) string {
	var apiErr *cobo.APIError
	if errors.As(err, &apiErr) {
		if k, ok := kindOfPath(apiErr.Path); ok {
			return k.notFoundAdvice()
		}
	}
	return "Cobo, or whatever answers at host, knows nothing at this URL for the organization of this API key. Check host (the API's base URL, ending in /v2), and that api_secret and env are the ones you meant: " +
		"every API key, and dev and prod, is an organization of its own."
}

// notFoundOnReadDiagnostic is the error of a Read that finds no object: an import's first Read
// (the state holds only the id, none of the required inputs) cannot import it, and any other is a
// refresh (notFoundInStateDiagnostic).
func notFoundOnReadDiagnostic(k objectKind, typeName, id string, importing bool, err error) diag.Diagnostic {
	if importing {
		return diag.NewErrorDiagnostic(fmt.Sprintf("Cannot import %s %s: not found", k.noun, quote(id)),
			fmt.Sprintf("%v\n\n%s", err, k.notFoundAdvice()))
	}
	return notFoundInStateDiagnostic(k, typeName, id, err)
}

// notFoundInStateDiagnostic is the error of a refresh that finds no object for the one in the state.
// Cobo deletes none of these kinds, so the object was almost surely looked up in the wrong
// organization, environment or sandbox: forgetting it would plan a duplicate (issue 22), so the state
// keeps it, and the user forgets it only on purpose.
func notFoundInStateDiagnostic(k objectKind, typeName, id string, err error) diag.Diagnostic {
	return diag.NewErrorDiagnostic(
		fmt.Sprintf("%s %s not found; kept in the state", upperFirst(k.noun), quote(id)),
		fmt.Sprintf("%v\n\n%s\n\n", err, k.notFoundAdvice())+
			fmt.Sprintf("Cobo deletes no %s, so a %s in the Terraform state that Cobo does not know was almost always asked for with the wrong api_secret, env or host, not deleted. "+
				"The state keeps it unchanged, and nothing is planned, so that no apply creates a second %s in its place.\n\n", k.plural, k.noun, k.noun)+
			forgetAdvice(typeName))
}

// notFoundOnDestroyDiagnostic is the warning of a destroy that finds no object: the object is
// forgotten. A destroy meets this only without a refresh (-refresh=false: the refresh would have
// failed with notFoundInStateDiagnostic) or when the object vanished after the plan, and the user asked
// for the object to go; failing would leave only terraform state rm, which does the same. The warning
// still says that an object in another organization was left as it is.
func notFoundOnDestroyDiagnostic(k objectKind, id string, err error) diag.Diagnostic {
	return diag.NewWarningDiagnostic(
		fmt.Sprintf("%s %s not found on destroy; removed from the state", upperFirst(k.noun), quote(id)),
		fmt.Sprintf("%v\n\n%s\n\nThe %s was removed from the Terraform state, and nothing was %s: if it exists in another organization or environment, it remains there as it was.",
			err, k.notFoundAdvice(), k.noun, k.destroyed))
}

// forgetAdvice says how to forget an object on purpose, leaving it in Cobo as it is.
func forgetAdvice(typeName string) string {
	return fmt.Sprintf("To forget it on purpose, leaving it in Cobo as it is, replace its resource block (the address Terraform names with this error) with a removed block "+
		"(Terraform >= 1.7):\n\n  removed {\n    from = %[1]s.NAME\n    lifecycle {\n      destroy = false\n    }\n  }\n\n"+
		"OpenTofu refreshes the object of a removed block first: apply it there with -refresh=false. Or run: terraform state rm %[1]s.NAME", typeName)
}

// upperFirst capitalizes a message's first letter.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
