package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

// readAheadCount is more orders than read-ahead waits for (10) and fewer than one list page (50).
const readAheadCount = 30

// seedVaried creates n orders outside Terraform and pays into every third one, so the orders differ in
// status, amounts and transactions.
func (e *testEnv) seedVaried(prefix string, n int) []*cobo.Order {
	e.t.Helper()
	orders := e.seedMany("M1001", prefix, n)
	for i := 0; i < n; i += 3 {
		e.pay(orders[i].OrderID, "5.00", true)
	}
	return orders
}

// seedForDataSources seeds readAheadCount varied orders, takes the checks of their data sources
// (expectCurrentOrders) and then forgets the requests, so that a test counts only its reads.
func (e *testEnv) seedForDataSources(prefix string) ([]*cobo.Order, []statecheck.StateCheck) {
	e.t.Helper()
	orders := e.seedVaried(prefix, readAheadCount)
	expected := e.expectCurrentOrders(orders)
	e.sandbox.ResetRequests()
	return orders, expected
}

// dataSourcesConfig declares one cobo_payment_order data source per order.
func dataSourcesConfig(orders []*cobo.Order) string {
	var b strings.Builder
	for i, o := range orders {
		fmt.Fprintf(&b, "data \"cobo_payment_order\" \"o%d\" { order_id = %q }\n", i, o.OrderID)
	}
	return b.String()
}

// expectCurrentOrders checks every attribute of every data source against the sandbox's order now.
func (e *testEnv) expectCurrentOrders(orders []*cobo.Order) []statecheck.StateCheck {
	var checks []statecheck.StateCheck
	for i, o := range orders {
		current, err := e.client.GetPaymentOrder(e.t.Context(), o.OrderID)
		if err != nil {
			e.t.Fatal(err)
		}
		checks = append(checks, expectOrderAt(fmt.Sprintf("data.cobo_payment_order.o%d", i), current)...)
	}
	return checks
}

func TestAccReadAhead_dataSourcesReadFromListPages(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	orders, expected := env.seedForDataSources("ra-ds")
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:            env.config(dataSourcesConfig(orders)),
			ConfigStateChecks: expected,
			ConfigPlanChecks:  resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			Check: func(*terraform.State) error {
				// Every Terraform command is a new provider with its own read-ahead; 30 orders fit one
				// page, so each command that reads them lists exactly one page.
				reads := sandbox.ClassifyReads(env.sandbox.Requests())
				total, pages := reads.GetCount(), len(reads.Pages)
				switch {
				case len(reads.Other) != 0:
					return fmt.Errorf("requests other than reads: %+v", reads.Other)
				case pages == 0:
					return fmt.Errorf("no list page: read-ahead did not start (GETs: %d)", total)
				case total > pages*readAheadCount*2/3:
					return fmt.Errorf("%d commands read %d orders each with %d GETs: read-ahead answered too few of them", pages, readAheadCount, total)
				}
				return nil
			},
		}},
	})
}

func TestAccReadAhead_offReadsEachOrderWithOneGET(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	orders, expected := env.seedForDataSources("ra-off")
	config := strings.Replace(env.providerBlock(), "max_retries = 2", "max_retries = 2\n  read_ahead  = false", 1) + dataSourcesConfig(orders)
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:            config,
			ConfigStateChecks: expected,
			Check: func(*terraform.State) error {
				reads := sandbox.ClassifyReads(env.sandbox.Requests())
				gets := reads.Gets
				if len(reads.Pages) != 0 || len(reads.Other) != 0 || len(gets) != readAheadCount {
					return fmt.Errorf("with read_ahead = false: %d list pages, %d other requests, %d of %d orders read", len(reads.Pages), len(reads.Other), len(gets), readAheadCount)
				}
				first := gets[orders[0].OrderID]
				for id, n := range gets {
					if n != first {
						return fmt.Errorf("order %s was read %d times and order %s %d times: every command reads each order once", id, n, orders[0].OrderID, first)
					}
				}
				return nil
			},
		}},
	})
}

// Resources refreshed through read-ahead see payments made outside Terraform, plan no changes, and
// an expiry through Terraform is never undone by a page listed before it.
func TestAccReadAhead_resourcesRefreshAndExpire(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	var b strings.Builder
	for i := range readAheadCount {
		fmt.Fprintf(&b, `resource "cobo_payment_order" "o%d" {
  merchant_id      = "M1001"
  psp_order_code   = "ra-res-%02d"
  payable_currency = "ETH_USDT"
  fee_amount       = "0"
  payable_amount   = "10.00"
  expired          = %t
}
`, i, i, i == 7)
	}
	created := env.config(strings.ReplaceAll(b.String(), "expired          = true", "expired          = false"))
	expireOne := env.config(b.String())
	status := func(i int, s string) statecheck.StateCheck {
		return statecheck.ExpectKnownValue(fmt.Sprintf("cobo_payment_order.o%d", i), tfjsonpath.New("status"), knownvalue.StringExact(s))
	}
	var checks []statecheck.StateCheck
	for i := range readAheadCount {
		switch {
		case i == 7:
			checks = append(checks, status(i, cobo.StatusExpired))
		case i%5 == 0:
			checks = append(checks, status(i, cobo.StatusCompleted))
		default:
			checks = append(checks, status(i, cobo.StatusPending))
		}
	}
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: created, ConfigPlanChecks: emptyPlanAfterApply},
			{
				PreConfig: func() {
					for i := 0; i < readAheadCount; i += 5 {
						env.pay(env.orderByPsp(fmt.Sprintf("ra-res-%02d", i)).OrderID, "10.00", true)
					}
					env.sandbox.ResetRequests()
				},
				Config: expireOne,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction("cobo_payment_order.o7", plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: checks,
				Check: func(*terraform.State) error {
					if len(sandbox.ClassifyReads(env.sandbox.Requests()).Pages) == 0 {
						return fmt.Errorf("the refreshes of %d resources listed no page", readAheadCount)
					}
					return nil
				},
			},
		},
	})
}
