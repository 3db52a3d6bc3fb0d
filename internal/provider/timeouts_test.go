package provider

import (
	"net/http"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

// hang makes every GET of the path prefix hang far longer than any timeout of these tests.
func (e *testEnv) hang(pathPrefix string) {
	e.sandbox.AddFault(sandbox.Fault{Method: http.MethodGet, Path: pathPrefix, Delay: 10 * time.Minute, Times: -1})
}

// A plan over an order whose read hangs fails within the configured read timeout, naming it and how
// to raise it.
func TestAccPaymentOrder_hungReadFailsWithinTheReadTimeout(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	cfg := env.config(orderConfig(`merchant_id = "M1"`, `psp_order_code = "psp-hang"`, `payable_currency = "ETH_USDT"`, `fee_amount = "0"`, `payable_amount = "3.00"`,
		"timeouts {\n    read = \"3s\"\n  }"))
	const timeout = 3 * time.Second
	var start time.Time
	var elapsed time.Duration
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: cfg, ConfigPlanChecks: emptyPlanAfterApply},
			{
				PreConfig: func() {
					env.hang("/v2/payments/orders/" + env.orderByPsp("psp-hang").OrderID)
					start = time.Now()
				},
				Config:      cfg,
				ExpectError: expectWords(`Unable to read pay-in order.*The read timeout of 3s ran out before Cobo answered.*GET\s+http://127\.0\.0\.1:\d+/v2/payments/orders/O\S+: no answer.*timeouts \{\s+read = "6s"\s+\}`),
			},
			{
				PreConfig: func() {
					elapsed = time.Since(start)
					env.sandbox.ClearFaults() // so that the final destroy can read the order
				},
				Config: cfg,
			},
		},
	})
	if elapsed > 5*timeout {
		t.Errorf("the plan over a hung read took %v with a read timeout of %v", elapsed, timeout)
	}
}

// The data sources' read timeout works the same way.
func TestAccDataSources_hungReadFailsWithinTheReadTimeout(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	env.hang("/v2/payments/orders")
	const timeout = 2 * time.Second
	start := time.Now()
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: env.config(`
data "cobo_payment_order" "one" {
  order_id = "O-hang"
  timeouts {
    read = "2s"
  }
}
data "cobo_payment_orders" "all" {
  timeouts {
    read = "2s"
  }
}
`),
			ExpectError: expectWords(`The read timeout of 2s ran out before Cobo answered.*timeouts \{\s+read = "4s"\s+\}`),
		}},
	})
	if elapsed := time.Since(start); elapsed > 5*timeout {
		t.Errorf("the plan over hung reads took %v with a read timeout of %v", elapsed, timeout)
	}
}
