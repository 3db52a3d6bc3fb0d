package main

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

// The pay-in scenario (issue 23): a plan refreshing many merchants and refunds. Cobo has no
// get-by-id for merchants, so the provider walks the merchant list once per command; refunds are
// served by read-ahead from the refund list's pages.
const (
	scPayin   = "p"  // plan (refresh) over M cobo_payment_merchant and R cobo_payment_refund in state
	scPayinFW = "fp" // (p) against internal/bench/fwnoop, over the same state

	targetObjectsPerRequest = 10 // issue 23: at most one request per 10 objects refreshed
)

// Names of the end-to-end scenario groups (-e2e-scenarios).
const (
	groupOrders = "orders" // (c), (d), (a), (b) and their comparisons, for each N
	groupPayin  = "payin"  // (p), (fp)
)

var e2eGroups = []string{groupOrders, groupPayin}

// payinSeed is what seedPayin created: merchants, and refunds of one paid order of the default
// merchant.
type payinSeed struct {
	run       string
	merchants []cobo.Merchant
	refunds   []string // refund ids, by seeding index
}

const (
	payinMerchantFeeRate = "0.01"
	payinRefundAmount    = "1.00"
	payinToken           = "ETH_USDT"
	payinRefundMerchant  = "M1001" // the sandbox's default merchant
)

func payinMerchantName(run string, i int) string { return fmt.Sprintf("bench-%s-m%03d", run, i) }
func payinRequestID(run string, i int) string    { return fmt.Sprintf("bench-%s-r%04d", run, i) }

// seedPayin creates the merchants, one order of the default merchant paid in full (its balance pays
// for the refunds), and the refunds, through the cobo client, 10 requests at a time. The refunds get
// no to_address, so they wait in PendingConfirmation and do not move during the run.
func (e *e2e) seedPayin(ctx context.Context, merchants, refunds int) (*payinSeed, error) {
	c, t, err := e.newClient()
	if err != nil {
		return nil, err
	}
	defer t.CloseIdleConnections()
	s := &payinSeed{run: newRunID(), merchants: make([]cobo.Merchant, merchants), refunds: make([]string, refunds)}
	err = forEach(ctx, merchants, 10, func(ctx context.Context, i int) error {
		m, err := c.CreateMerchant(ctx, cobo.CreateMerchantRequest{Name: payinMerchantName(s.run, i), DeveloperFeeRate: payinMerchantFeeRate, WalletSetup: cobo.WalletSetupShared})
		if err != nil {
			return fmt.Errorf("seeding merchant %d: %w", i, err)
		}
		s.merchants[i] = *m
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := e.payDefaultMerchant(ctx, c, s.run, refunds); err != nil {
		return nil, err
	}
	err = forEach(ctx, refunds, 10, func(ctx context.Context, i int) error {
		res, err := c.CreateRefund(ctx, cobo.CreateRefundRequest{RequestID: payinRequestID(s.run, i), MerchantID: payinRefundMerchant,
			TokenID: payinToken, PayableAmount: payinRefundAmount, RefundType: cobo.RefundTypeMerchant})
		if err != nil {
			return fmt.Errorf("seeding refund %d: %w", i, err)
		}
		s.refunds[i] = res.Refund.RefundID
		return nil
	})
	return s, err
}

// payDefaultMerchant creates and pays one order large enough for the refunds of payinRefundAmount
// each (the merchant's share is pricing_amount / (pricing_amount + fee_amount) of what it received).
func (e *e2e) payDefaultMerchant(ctx context.Context, c *cobo.Client, run string, refunds int) error {
	o, err := c.CreatePaymentOrder(ctx, cobo.CreateOrderRequest{
		MerchantID: payinRefundMerchant, PspOrderCode: "bench-" + run + "-refunds", PayableCurrency: payinToken,
		PricingCurrency: "USD", PricingAmount: fmt.Sprintf("%d.00", 2*refunds+10), FeeAmount: "1.00",
	})
	if err != nil {
		return fmt.Errorf("seeding the order the refunds take from: %w", err)
	}
	if _, err := e.srv.Sandbox.Pay(o.OrderID, sandbox.Payment{Amount: o.PayableAmount}); err != nil {
		return fmt.Errorf("paying the order the refunds take from: %w", err)
	}
	return nil
}

// payinConfig declares every seeded merchant and refund with the inputs it was created with, and, for
// the first apply only, an import block for each.
func payinConfig(s *payinSeed, withImports bool) string {
	var b strings.Builder
	b.WriteString(providerHeader)
	for i, m := range s.merchants {
		if withImports {
			fmt.Fprintf(&b, "\nimport {\n  to = cobo_payment_merchant.m%03d\n  id = %q\n}\n", i, m.MerchantID)
		}
		fmt.Fprintf(&b, "\nresource \"cobo_payment_merchant\" \"m%03d\" {\n  name               = %q\n  developer_fee_rate = %q\n}\n", i, m.Name, payinMerchantFeeRate)
	}
	for i, id := range s.refunds {
		if withImports {
			fmt.Fprintf(&b, "\nimport {\n  to = cobo_payment_refund.r%04d\n  id = %q\n}\n", i, id)
		}
		fmt.Fprintf(&b, `
resource "cobo_payment_refund" "r%04d" {
  request_id     = %q
  refund_type    = %q
  merchant_id    = %q
  token_id       = %q
  payable_amount = %q
}
`, i, payinRequestID(s.run, i), cobo.RefundTypeMerchant, payinRefundMerchant, payinToken, payinRefundAmount)
	}
	return b.String()
}

// runPayin measures the pay-in scenario: import the seeded merchants and refunds, then time (p) and
// (fp), interleaved.
func (e *e2e) runPayin(ctx context.Context, sr *sizeResult, s *payinSeed) error {
	dir := filepath.Join(e.tmp, "payin")
	sr.setup = map[string]time.Duration{}
	err := e.applyImports(ctx, sr, dir, "cobo_payment_merchant and cobo_payment_refund", payinConfig(s, true), withReadAhead(payinConfig(s, false), e.opts.readAhead))
	if err != nil {
		return err
	}
	steps := []step{{scPayin, fmt.Sprintf("plan (refresh), %d cobo_payment_merchant + %d cobo_payment_refund in state", len(s.merchants), len(s.refunds)), func() (sample, error) {
		smp, _, err := e.terraformCmd(ctx, dir, reattached, 0, []int{2}, planArgs...)
		smp.gets, smp.pages, smp.detail = classifyPayinReads(e.srv.Sandbox.Requests())
		return smp, err
	}}}
	if e.opts.noWork {
		steps = append(steps, step{scPayinFW, "(p) against fwnoop (terraform-plugin-framework, no work)", e.planFunc(ctx, dir, fwNoWork, 0)})
	}
	return e.measure(ctx, sr, steps)
}

// classifyPayinReads sorts a pay-in plan's requests: GETs of single refunds, list pages (merchants and
// refunds), and a breakdown for the report.
func classifyPayinReads(reqs []sandbox.RecordedRequest) (gets, pages int64, detail string) {
	const merchants, refunds = "/v2/payments/merchants", "/v2/payments/refunds"
	var merchantPages, refundPages, dupGets int64
	perRefund := map[string]int{}
	other := map[string]int{}
	for _, r := range reqs {
		id, one := strings.CutPrefix(r.Path, refunds+"/")
		switch {
		case r.Method == "GET" && r.Path == merchants:
			merchantPages++
		case r.Method == "GET" && r.Path == refunds:
			refundPages++
		case r.Method == "GET" && one && !strings.Contains(id, "/"):
			gets++
			if perRefund[id]++; perRefund[id] == 2 {
				dupGets++
			}
		default:
			other[fmt.Sprintf("%s %s (status %d)", r.Method, r.Path, r.Status)]++
		}
	}
	parts := []string{fmt.Sprintf("%d merchant list pages, %d refund list pages, %d refund GETs", merchantPages, refundPages, gets)}
	if dupGets > 0 {
		parts = append(parts, fmt.Sprintf("%d refunds read with more than one GET", dupGets))
	}
	var others []string
	for k, v := range other {
		others = append(others, fmt.Sprintf("%d x %s", v, k))
	}
	sort.Strings(others)
	return gets, merchantPages + refundPages, strings.Join(append(parts, others...), "; ")
}
