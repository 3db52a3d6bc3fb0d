package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

func TestAccPaymentOrderDataSource_allAttributesWithTransactions(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	seeded := env.seedOrder(cobo.CreateOrderRequest{
		MerchantID: "M1001", PspOrderCode: "psp-ds-full", FeeAmount: "2", PayableCurrency: "ETH_USDT",
		PricingCurrency: "USD", PricingAmount: "100.00", AmountTolerance: "0.5", MerchantOrderCode: "inv-55231",
		ExpiredIn: ptr(int64(3600)),
	})
	env.pay(seeded.OrderID, "50.0105", true)
	env.pay(seeded.OrderID, "1.5", false)
	env.pay(seeded.OrderID, "53.02", true)
	order, err := env.client.GetPaymentOrder(t.Context(), seeded.OrderID)
	if err != nil {
		t.Fatal(err)
	}
	if len(order.Transactions) != 3 || order.Status != cobo.StatusCompleted {
		t.Fatalf("seeding: want a Completed order with 3 transactions, got %s with %d", order.Status, len(order.Transactions))
	}

	addr := "data.cobo_payment_order.test"
	checks := expectOrderAt(addr, order)
	// Anchors that do not depend on reading the sandbox back: derived and echoed values.
	checks = append(checks,
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("payable_amount"), knownvalue.StringExact("103.03")),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("exchange_rate"), knownvalue.StringExact("0.99")),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("chain_id"), knownvalue.StringExact("ETH")),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("received_token_amount"), knownvalue.StringExact("103.0305")),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("transactions").AtSliceIndex(0).AtMapKey("amount"), knownvalue.StringExact("50.0105")),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact("Completed")),
	)
	env.readOrderDataSource(t, order.OrderID, checks)
}

func TestAccPaymentOrderDataSource_optionalFieldsAbsentAreNull(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	order := env.seedOrder(cobo.CreateOrderRequest{MerchantID: "M1001", PspOrderCode: "psp-ds-min", FeeAmount: "0", PayableCurrency: "TRON_USDT", PayableAmount: "25.00"})
	addr := "data.cobo_payment_order.test"
	checks := append(expectOrderAt(addr, order),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("merchant_order_code"), knownvalue.Null()),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("pricing_currency"), knownvalue.Null()),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("pricing_amount"), knownvalue.Null()),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("amount_tolerance"), knownvalue.Null()),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("settlement_status"), knownvalue.Null()),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("currency"), knownvalue.Null()),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("order_amount"), knownvalue.Null()),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("exchange_rate"), knownvalue.StringExact("")),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("transactions"), knownvalue.ListSizeExact(0)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("chain_id"), knownvalue.StringExact("TRON")),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("token_id"), knownvalue.StringExact("TRON_USDT")),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact("Pending")),
	)
	env.readOrderDataSource(t, order.OrderID, checks)
}

func TestAccPaymentOrderDataSource_ignoresFieldsCoboAddsLater(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	order := env.seedOrder(cobo.CreateOrderRequest{MerchantID: "M1001", PspOrderCode: "psp-ds-extra", FeeAmount: "1", PayableCurrency: "SOL_USDC", PricingAmount: "10"})
	env.sandbox.SetExtraOrderFields(map[string]any{
		"payment_link_id": "pl_123", "risk": map[string]any{"score": 3, "flags": []string{"a"}}, "fee_breakdown": []any{1.5, "x"},
	})
	addr := "data.cobo_payment_order.test"
	env.readOrderDataSource(t, order.OrderID, expectOrderAt(addr, order))
}

func TestAccPaymentOrderDataSource_unknownOrderIsAnErrorNamingIt(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: env.config(`data "cobo_payment_order" "test" { order_id = "O20990101-424242" }`),
			// The id, Cobo's code, message and error_id all reach the user.
			ExpectError: expectWords(`O20990101-424242.*HTTP 404,\s+error_code\s+2028.*error_message.*error_id\s+"[0-9a-f]+"`),
		}},
	})
}

func TestAccPaymentOrderDataSource_invalidOrderIDNeverReachesTheAPI(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	for _, id := range []string{"../orders", "a/b", "x?limit=1", ""} {
		unitTest(t, resource.TestCase{
			Steps: []resource.TestStep{{
				Config:      env.config(fmt.Sprintf(`data "cobo_payment_order" "test" { order_id = %q }`, id)),
				ExpectError: expectWords(`Invalid order_id.*order_id`),
			}},
		})
	}
	for _, r := range env.sandbox.Requests() {
		t.Errorf("no request should have reached Cobo, got %s %s", r.Method, r.Path)
	}
}

// readOrderDataSource reads orderID with the cobo_payment_order data source (data.cobo_payment_order.test)
// and runs checks on it.
func (e *testEnv) readOrderDataSource(t *testing.T, orderID string, checks []statecheck.StateCheck) {
	t.Helper()
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:            e.config(fmt.Sprintf(`data "cobo_payment_order" "test" { order_id = %q }`, orderID)),
			ConfigStateChecks: checks,
		}},
	})
}
