package provider

import (
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// Plan-time checks of webhook inputs (see validators.go): they judge values known at plan time and
// send nothing to Cobo.

// webhookURLValidator applies the url rule Cobo delivers by (cobo.ValidateWebhookURL).
func webhookURLValidator() validator.String {
	return stringCheck{
		description: "must be an absolute https URL (http only for a loopback host)",
		summary:     "Invalid webhook endpoint url",
		check:       cobo.ValidateWebhookURL,
	}
}

// webhookEndpointIDValidator rejects ids that could never be an endpoint id or could change the
// request path.
func webhookEndpointIDValidator() validator.String {
	return webhookEndpointKind.idValidator()
}

// warnUndocumentedEventTypes warns about each event type the plan subscribes to that Cobo does not
// document, naming the nearest one it does. It is called from ModifyPlan, for types the state does not
// have yet, so an existing endpoint is not warned about on every plan (a validator's warning would
// also be shown twice per plan: Terraform validates in both of its walks). It never rejects: Cobo adds
// event types, and its API decides.
func warnUndocumentedEventTypes(planned, prior types.Set, diags *diag.Diagnostics) {
	if planned.IsUnknown() || planned.IsNull() {
		return
	}
	had := map[string]bool{}
	for _, v := range stringElements(prior.Elements()) {
		had[v] = true
	}
	for _, e := range planned.Elements() {
		v, ok := e.(types.String)
		if !ok || v.IsUnknown() || v.IsNull() || had[v.ValueString()] {
			continue
		}
		if err := checkWebhookEventType(v.ValueString()); err != nil {
			diags.AddAttributeWarning(path.Root("subscribed_events").AtSetValue(v), "Unknown webhook event type", err.Error()+".")
		}
	}
}

func checkWebhookEventType(t string) error {
	if cobo.IsKnownWebhookEventType(t) {
		return nil
	}
	return fmt.Errorf("%q is not one of the webhook event types Cobo documents; did you mean %q? "+
		"It is still sent: Cobo adds event types over time, and its API decides whether it accepts this one",
		t, nearestWebhookEventType(t))
}

// nearestWebhookEventType is the documented event type with the smallest edit distance to t, compared
// in lower case (as every documented type is); of equally near ones, the first in Cobo's list.
func nearestWebhookEventType(t string) string {
	t = strings.ToLower(t)
	best, bestDist := "", -1
	for _, known := range cobo.WebhookEventTypes {
		if d := editDistance(t, known); bestDist < 0 || d < bestDist {
			best, bestDist = known, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in bytes (event types are ASCII): the
// fewest insertions, deletions and substitutions that turn a into b. One row of the table is kept.
func editDistance(a, b string) int {
	row := make([]int, len(b)+1)
	for j := range row {
		row[j] = j
	}
	for i := 1; i <= len(a); i++ {
		diag := row[0] // the value of row[j-1] before this pass overwrote it
		row[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			next := min(row[j]+1, row[j-1]+1, diag+cost)
			diag, row[j] = row[j], next
		}
	}
	return row[len(b)]
}
