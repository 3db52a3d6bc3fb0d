package provider

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// expireActionConfig declares one cobo_payment_order_expire action per order id and a terraform_data
// whose creation triggers them all.
func expireActionConfig(orderIDs ...string) string {
	cfg, refs := "", ""
	for i, id := range orderIDs {
		cfg += fmt.Sprintf("action \"cobo_payment_order_expire\" \"a%d\" {\n  config {\n    order_id = %q\n  }\n}\n", i, id)
		refs += fmt.Sprintf("action.cobo_payment_order_expire.a%d, ", i)
	}
	return cfg + `
resource "terraform_data" "trigger" {
  input = "expire"
  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [` + refs + `]
    }
  }
}
`
}

func TestAccPaymentOrderExpireAction_expiresAPendingOrderAndAcceptsAnExpiredOne(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	pending := env.seedOrder(cobo.CreateOrderRequest{MerchantID: "M1", PspOrderCode: "act-pending", FeeAmount: "0", PayableCurrency: "ETH_USDT", PayableAmount: "3.00"})
	expired := env.seedOrder(cobo.CreateOrderRequest{MerchantID: "M1", PspOrderCode: "act-expired", FeeAmount: "0", PayableCurrency: "ETH_USDT", PayableAmount: "3.00"})
	env.expire(expired.OrderID)
	env.sandbox.ResetRequests()
	unitTestOn(t, skipBelowQuery, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: env.config(expireActionConfig(pending.OrderID, expired.OrderID)),
			Check: func(s *terraform.State) error {
				if err := env.checkOrderStatus("act-pending", cobo.StatusExpired)(s); err != nil {
					return err
				}
				puts := env.requests(http.MethodPut, "/v2/payments/orders/")
				if len(puts) != 1 || puts[0].Path != "/v2/payments/orders/"+pending.OrderID || puts[0].Body != `{"expired":true}` {
					return fmt.Errorf("want exactly one PUT {\"expired\":true} to %s (none to the expired order), got %+v", pending.OrderID, puts)
				}
				return nil
			},
		}},
	})
}

func TestAccPaymentOrderExpireAction_refusals(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name         string
		orderID      func(env *testEnv) string
		want         *regexp.Regexp
		wantRequests bool // whether the order was read
	}{
		{"completed", func(env *testEnv) string {
			o := env.seedOrder(cobo.CreateOrderRequest{MerchantID: "M1", PspOrderCode: "act-done", FeeAmount: "0", PayableCurrency: "ETH_USDT", PayableAmount: "3.00"})
			env.pay(o.OrderID, "3.00", true)
			return o.OrderID
		}, expectDiagnostic(`Order cannot be expired in its current status`, `is Completed.*Cobo only expires Pending orders, so nothing was sent`), true},
		{"unknown", func(*testEnv) string { return "O20990101-NOPE-1" },
			expectDiagnostic(`Unable to read pay-in order "O20990101-NOPE-1"`, `Cobo API GET http://127\.0\.0\.1:\d+/v2/payments/orders/O20990101-NOPE-1 answered HTTP 404, error_code 2028 .*error_message ".*not found", error_id "[0-9a-f]+".*Cobo knows no such pay-in order in the organization of this API key\. Check the order_id`), true},
		{"malformed", func(*testEnv) string { return "../payments/orders" }, expectWords(`Invalid order_id`), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t)
			orderID := c.orderID(env)
			env.sandbox.ResetRequests()
			unitTest(t, resource.TestCase{
				TerraformVersionChecks: skipBelowQuery,
				Steps:                  []resource.TestStep{{Config: env.config(expireActionConfig(orderID)), ExpectError: c.want}},
			})
			if puts := env.requests(http.MethodPut, "/v2/payments/orders/"); len(puts) != 0 {
				t.Errorf("the action sent %d PUTs; want none", len(puts))
			}
			if got := len(env.sandbox.Requests()) > 0; got != c.wantRequests {
				t.Errorf("requests to Cobo: %v, want %v", got, c.wantRequests)
			}
		})
	}
}

func TestAccPaymentOrderExpireAction_invokedFromTheCLIReportsProgress(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	w := newQueryWorkspace(t)
	id := env.seedOrder(cobo.CreateOrderRequest{MerchantID: "M5", PspOrderCode: "inv-cli", FeeAmount: "0", PayableCurrency: "ETH_USDT", PayableAmount: "4.00"}).OrderID
	w.write("main.tf", requiredProviders+env.providerBlock()+fmt.Sprintf("action \"cobo_payment_order_expire\" \"this\" {\n  config {\n    order_id = %q\n  }\n}\n", id))
	w.mustRun("init", "-input=false")

	out := w.mustRun("apply", "-invoke=action.cobo_payment_order_expire.this", "-auto-approve", "-input=false")
	for _, want := range []string{"Order " + id + " (inv-cli) is Pending: expiring it.", "Order " + id + " (inv-cli) is now Expired."} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks the progress message %q:\n%s", want, out)
		}
	}
	if o := env.orderByPsp("inv-cli"); o.Status != cobo.StatusExpired {
		t.Errorf("order is %s in Cobo after the action, want Expired", o.Status)
	}
	out = w.mustRun("apply", "-invoke=action.cobo_payment_order_expire.this", "-auto-approve", "-input=false")
	if want := "Order " + id + " (inv-cli) is already Expired: nothing to do."; !strings.Contains(out, want) {
		t.Errorf("the second invocation lacks %q:\n%s", want, out)
	}
	if puts := env.requests(http.MethodPut, "/v2/payments/orders/"); len(puts) != 1 {
		t.Errorf("want exactly one PUT over both invocations, got %d", len(puts))
	}
}
