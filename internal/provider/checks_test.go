package provider

import (
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// expectOrderAt checks every attribute of a single-order data source or resource.
func expectOrderAt(addr string, o *cobo.Order) []statecheck.StateCheck {
	return expectOrder(addr, tfjsonpath.New, o)
}

// expectOrderInList checks every attribute of element i of the list data source's orders.
func expectOrderInList(addr string, i int, o *cobo.Order) []statecheck.StateCheck {
	return expectOrder(addr, func(name string) tfjsonpath.Path {
		return tfjsonpath.New("orders").AtSliceIndex(i).AtMapKey(name)
	}, o)
}

// expectOrder checks every Order attribute in addr against the order Cobo (the sandbox) returned:
// strings exactly as sent, absent keys as null.
func expectOrder(addr string, at func(string) tfjsonpath.Path, o *cobo.Order) []statecheck.StateCheck {
	str := func(v string) knownvalue.Check { return knownvalue.StringExact(v) }
	optStr := func(v *string) knownvalue.Check {
		if v == nil {
			return knownvalue.Null()
		}
		return knownvalue.StringExact(*v)
	}
	optInt := func(v *int64) knownvalue.Check {
		if v == nil {
			return knownvalue.Null()
		}
		return knownvalue.Int64Exact(*v)
	}
	txs := make([]knownvalue.Check, 0, len(o.Transactions))
	for _, t := range o.Transactions {
		txs = append(txs, knownvalue.ObjectExact(map[string]knownvalue.Check{
			"tx_id":             str(t.TxID),
			"tx_hash":           optStr(t.TxHash),
			"token_id":          optStr(t.TokenID),
			"from_address":      str(t.FromAddress),
			"to_address":        str(t.ToAddress),
			"amount":            str(t.Amount),
			"status":            str(t.Status),
			"sub_status":        optStr(t.SubStatus),
			"failed_reason":     optStr(t.FailedReason),
			"created_timestamp": knownvalue.Int64Exact(t.CreatedTimestamp),
			"updated_timestamp": knownvalue.Int64Exact(t.UpdatedTimestamp),
		}))
	}
	want := map[string]knownvalue.Check{
		"id":                    str(o.OrderID),
		"order_id":              str(o.OrderID),
		"merchant_id":           optStr(o.MerchantID),
		"merchant_order_code":   optStr(o.MerchantOrderCode),
		"psp_order_code":        str(o.PspOrderCode),
		"pricing_currency":      optStr(o.PricingCurrency),
		"pricing_amount":        optStr(o.PricingAmount),
		"fee_amount":            str(o.FeeAmount),
		"payable_currency":      optStr(o.PayableCurrency),
		"payable_amount":        str(o.PayableAmount),
		"chain_id":              str(o.ChainID),
		"exchange_rate":         str(o.ExchangeRate),
		"amount_tolerance":      optStr(o.AmountTolerance),
		"receive_address":       str(o.ReceiveAddress),
		"status":                str(o.Status),
		"received_token_amount": str(o.ReceivedTokenAmount),
		"expired_at":            optInt(o.ExpiredAt),
		"created_timestamp":     optInt(o.CreatedTimestamp),
		"updated_timestamp":     optInt(o.UpdatedTimestamp),
		"settlement_status":     optStr(o.SettlementStatus),
		"transactions":          knownvalue.ListExact(txs),
		"token_id":              optStr(o.TokenID),
		"currency":              optStr(o.Currency),
		"order_amount":          optStr(o.OrderAmount),
	}
	names := make([]string, 0, len(orderAttributes))
	for _, a := range orderAttributes {
		names = append(names, a.name)
	}
	return expectEveryAttribute(addr, at, names, want)
}

// expectEveryAttribute checks each of attributes (every attribute the schemas have) at addr against
// want; at locates an attribute. An attribute want does not check panics: a new attribute must be
// checked too.
func expectEveryAttribute(addr string, at func(string) tfjsonpath.Path, attributes []string, want map[string]knownvalue.Check) []statecheck.StateCheck {
	checks := make([]statecheck.StateCheck, 0, len(want))
	for _, name := range attributes {
		c, ok := want[name]
		if !ok {
			panic("the checks of " + addr + " do not check attribute " + name)
		}
		checks = append(checks, statecheck.ExpectKnownValue(addr, at(name), c))
	}
	return checks
}
