package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// Every resource imports through importByID: a malformed import ID or identity is refused at plan
// time, naming the kind, what was wrong and an id of the right shape, and never reaches Cobo.
func TestAccImport_malformedIDOrIdentityIsRefusedAtPlan(t *testing.T) {
	t.Parallel()
	resources := []struct {
		resourceType string
		kind         objectKind
		config       string // a valid resource block named test
		bad          string // an id that could change the request path
	}{
		{"cobo_payment_order", orderKind, orderConfig(`merchant_id = "M7"`, `psp_order_code = "psp-imp"`, `payable_currency = "SOL_USDT"`, `fee_amount = "1"`, `pricing_amount = "5"`), "../payments/orders"},
		{"cobo_webhook_endpoint", webhookEndpointKind, webhookEndpointConfig(`url = "https://example.com/hook"`, `subscribed_events = ["payment.order.status.updated"]`), "a/b"},
		{"cobo_payment_merchant", merchantKind, merchantConfig(`name = "x"`), "../payments/merchants"},
		{"cobo_payment_refund", refundKind, refundConfig(`request_id = "rq-imp"`, `token_id = "ETH_USDT"`, `payable_amount = "2"`, `refund_type = "Psp"`), "../payments/refunds"},
	}
	for _, r := range resources {
		for _, by := range []struct {
			name, line, what string
			checks           []tfversion.TerraformVersionCheck
		}{
			{"import ID", fmt.Sprintf("id = %q", r.bad), "The import ID", nil},
			{"identity", fmt.Sprintf("identity = { %s = %q }", r.kind.idAttribute, r.bad), "The identity's " + r.kind.idAttribute, skipBelowIdentity},
		} {
			t.Run(r.resourceType+" by "+by.name, func(t *testing.T) {
				t.Parallel()
				env := newTestEnv(t)
				cfg := fmt.Sprintf("import {\n  to = %s.test\n  %s\n}\n", r.resourceType, by.line) + r.config
				wantErr := expectWords(`Invalid import ID.*` + by.what + ` must be a Cobo ` + r.kind.noun + ` id, such as ` + r.kind.exampleID)
				env.expectRefusedAtPlan(t, by.checks, cfg, wantErr, "a malformed "+by.name)
			})
		}
	}
}
