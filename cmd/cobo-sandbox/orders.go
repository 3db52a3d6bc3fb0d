package main

import (
	"errors"
	"flag"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// ordersCreate: POST /v2/payments/orders. The flags are the resource's attributes with dashes.
func ordersCreate(fs *flag.FlagSet) func(*client, []string) error {
	var req cobo.CreateOrderRequest
	fs.StringVar(&req.MerchantID, "merchant-id", "", "merchant_id (required)")
	fs.StringVar(&req.PspOrderCode, "psp-order-code", "", "psp_order_code, unique within the organization (required)")
	fs.StringVar(&req.PayableCurrency, "payable-currency", "", "payable_currency, a pay-in token such as ETH_USDT (required)")
	fs.StringVar(&req.FeeAmount, "fee-amount", "", "fee_amount, such as 2.00 (required)")
	fs.StringVar(&req.PricingCurrency, "pricing-currency", "", "pricing_currency of -pricing-amount and -fee-amount, such as USD (default: they are in the payable token)")
	fs.StringVar(&req.PricingAmount, "pricing-amount", "", "pricing_amount, such as 100.00, in -pricing-currency (this or -payable-amount)")
	fs.StringVar(&req.PayableAmount, "payable-amount", "", "payable_amount in the token (this or -pricing-amount)")
	fs.StringVar(&req.AmountTolerance, "amount-tolerance", "", "amount_tolerance, such as 0.5")
	fs.StringVar(&req.MerchantOrderCode, "merchant-order-code", "", "merchant_order_code")
	expiredIn := fs.Int64("expired-in", 0, fmt.Sprintf("expired_in, seconds until the order expires (%d..%d; default %d)", cobo.ExpiredInMin, cobo.ExpiredInMax, cobo.ExpiredInDefault))
	adopt := fs.Bool("adopt", false, "when the psp_order_code is taken by an order with the same inputs, print that order and exit 0, as the provider adopts it (default: fail with Cobo's 2040)")
	return func(c *client, _ []string) error {
		for _, required := range []struct{ flag, value string }{
			{"-merchant-id", req.MerchantID}, {"-psp-order-code", req.PspOrderCode},
			{"-payable-currency", req.PayableCurrency}, {"-fee-amount", req.FeeAmount},
		} {
			if required.value == "" {
				return usageErrorf("orders create needs %s", required.flag)
			}
		}
		if req.PricingAmount == "" && req.PayableAmount == "" {
			return usageErrorf("orders create needs -pricing-amount (in -pricing-currency, or in the payable token without it) or -payable-amount")
		}
		if *expiredIn != 0 {
			req.ExpiredIn = expiredIn
		}
		res, err := c.api.CreateOrAdoptPaymentOrder(c.ctx, req)
		var existing *cobo.ExistingOrderError
		switch {
		case errors.As(err, &existing):
			return fmt.Errorf("error_code %d (duplicate key): %w", cobo.CodeDuplicateKey, err)
		case err != nil:
			return err
		case res.Adopted && !*adopt:
			o := res.Order
			return fmt.Errorf("error_code %d (duplicate key): psp_order_code %q is already taken by order %s (%s, created %s), whose inputs match this request; "+
				"pass -adopt to print that order instead (what the provider does), or use a new -psp-order-code",
				cobo.CodeDuplicateKey, req.PspOrderCode, o.OrderID, o.Status, createdAt(o))
		}
		return c.printOrder(res.Order.OrderID, http.MethodPost)
	}
}

func createdAt(o *cobo.Order) string {
	if o.CreatedTimestamp == nil {
		return "at an unknown time"
	}
	return time.Unix(*o.CreatedTimestamp, 0).UTC().Format(time.RFC3339)
}

// ordersGet: GET /v2/payments/orders/{id}.
func ordersGet(*flag.FlagSet) func(*client, []string) error {
	return func(c *client, args []string) error {
		_, err := c.api.GetPaymentOrder(c.ctx, args[0])
		return c.printAnswer(http.MethodGet, err)
	}
}

// ordersList: every page of GET /v2/payments/orders, printed as one JSON array.
func ordersList(fs *flag.FlagSet) func(*client, []string) error {
	var p cobo.ListOrdersParams
	fs.StringVar(&p.MerchantID, "merchant-id", "", "only orders of this merchant_id")
	fs.StringVar(&p.PspOrderCode, "psp-order-code", "", "only the order with this psp_order_code")
	statuses := fs.String("statuses", "", "only orders with these statuses, comma-separated: "+strings.Join(cobo.OrderStatuses, ","))
	out := listFlags(fs, "orders", true, nil)
	return func(c *client, _ []string) error {
		p.Statuses = splitList(*statuses)
		return printList(c, out, func(after string) (*cobo.OrderPage, error) {
			p.Limit, p.After = cobo.MaxPageSize, after
			return c.api.ListPaymentOrders(c.ctx, p)
		})
	}
}

// ordersPay simulates a payment through /_sandbox, by default of what is still owed, then prints the
// order as the API returns it.
func ordersPay(fs *flag.FlagSet) func(*client, []string) error {
	amount := fs.String("amount", "", "the amount paid, in the payable token (default: what is still owed)")
	confirmed := fs.Bool("confirmed", true, "false adds a Confirming transaction that counts only once confirmed")
	return func(c *client, args []string) error {
		id := args[0]
		o, err := c.api.GetPaymentOrder(c.ctx, id)
		if err != nil {
			return err
		}
		if *amount == "" {
			if *amount, err = owed(o); err != nil {
				return err
			}
		}
		payment := map[string]any{"amount": *amount, "confirmed": *confirmed}
		paid, err := c.helper(http.MethodPost, "/orders/"+url.PathEscape(id)+"/payments", payment)
		if err != nil {
			return err
		}
		if after, err := cobo.DecodeOrder(paid); err == nil && isLatePayment(o, after) {
			fmt.Fprintf(c.notes, "note: order %s is %s and no longer takes payments: it is unchanged, and the late payment of %s went to the developer balance (event payment.transaction.late)\n",
				id, after.Status, *amount)
		}
		return c.printOrder(id, "")
	}
}

// isLatePayment tells a late payment by its answer: the sandbox answers a payment into an order that
// no longer takes payments with the order unchanged, so it gained no transaction.
func isLatePayment(before, after *cobo.Order) bool {
	return len(after.Transactions) == len(before.Transactions) && after.ReceivedTokenAmount == before.ReceivedTokenAmount
}

// ordersConfirm confirms a Confirming transaction (one of "orders pay -confirmed=false") through
// /_sandbox, then prints the order as the API returns it.
func ordersConfirm(*flag.FlagSet) func(*client, []string) error {
	return func(c *client, args []string) error {
		route := "/orders/" + url.PathEscape(args[0]) + "/transactions/" + url.PathEscape(args[1]) + "/confirm"
		if _, err := c.helper(http.MethodPost, route, nil); err != nil {
			return err
		}
		return c.printOrder(args[0], "")
	}
}

// owed is payable_amount minus what was received and what is still confirming.
func owed(o *cobo.Order) (string, error) {
	left, places, err := decimal(o.PayableAmount, "payable_amount")
	if err != nil {
		return "", err
	}
	subtract := func(v, name string) error {
		r, p, err := decimal(v, name)
		if err == nil {
			left.Sub(left, r)
			places = max(places, p)
		}
		return err
	}
	if err := subtract(o.ReceivedTokenAmount, "received_token_amount"); err != nil {
		return "", err
	}
	for _, tx := range o.Transactions {
		if tx.Status == "Confirming" {
			if err := subtract(tx.Amount, "a Confirming transaction's amount"); err != nil {
				return "", err
			}
		}
	}
	if left.Sign() <= 0 {
		return "", fmt.Errorf("order %s (%s) owes nothing: payable_amount %s, received_token_amount %s; pass -amount to pay anyway", o.OrderID, o.Status, o.PayableAmount, o.ReceivedTokenAmount)
	}
	return left.FloatString(places), nil
}

func decimal(v, name string) (*big.Rat, int, error) {
	r, ok := new(big.Rat).SetString(v)
	if !ok {
		return nil, 0, fmt.Errorf("the order's %s %q is not a decimal", name, v)
	}
	places := 0
	if i := strings.IndexByte(v, '.'); i >= 0 {
		places = len(v) - i - 1
	}
	return r, places, nil
}

// ordersExpire: PUT /v2/payments/orders/{id} with {"expired": true}.
func ordersExpire(*flag.FlagSet) func(*client, []string) error {
	return func(c *client, args []string) error {
		o, err := c.api.UpdatePaymentOrder(c.ctx, args[0], cobo.UpdateOrderRequest{Expired: true})
		if err != nil {
			return err
		}
		return c.printOrder(o.OrderID, http.MethodPut)
	}
}

// printOrder prints the order exactly as the API returned it to the last request when that was made
// with method, and otherwise as a fresh GET returns it.
func (c *client) printOrder(id, method string) error {
	if raw := c.capture.last(method); method != "" && raw != nil {
		if o, err := cobo.DecodeOrder(raw); err == nil && o.OrderID == id {
			return c.printJSON(raw)
		}
	}
	_, err := c.api.GetPaymentOrder(c.ctx, id)
	return c.printAnswer(http.MethodGet, err)
}
