package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// This file is the one list of Cobo's Order attributes the provider exposes, with the meaning the spec
// gives each. The data sources and the resource build their schemas from it, so a field added here
// appears everywhere with the same name and description.

type attrKind int

const (
	kindString  attrKind = iota
	kindDecimal          // a decimal string: "2" and "2.00" are equal (decimalStringType)
	kindInt64
	kindTransactions
)

type orderAttribute struct {
	name        string
	kind        attrKind
	description string
	deprecation string
	// stable attributes never change after the order is created (an expiry does not touch them).
	stable bool
}

var orderAttributes = []orderAttribute{
	{name: "id", stable: true, description: "The order ID assigned by Cobo (the same as `order_id`)."},
	{name: "order_id", stable: true, description: "The unique identifier of the pay-in order, assigned by Cobo when the order is created."},
	{name: "merchant_id", stable: true, description: "The merchant ID."},
	{name: "merchant_order_code", stable: true, description: "The downstream merchant's order reference, exactly as supplied in `merchant_order_code` when the order was created. Null when none was supplied."},
	{name: "psp_order_code", stable: true, description: "The order identifier for your own internal business order, exactly as supplied when the order was created. Unique within your Cobo organization."},
	{name: "pricing_currency", stable: true, description: "The pricing currency that denominates `pricing_amount` and `fee_amount`. Null when none was supplied, in which case both are denominated in `payable_currency`."},
	{name: "pricing_amount", kind: kindDecimal, stable: true, description: "The base amount of the order, excluding the developer fee (`fee_amount`), as a decimal string."},
	{name: "fee_amount", kind: kindDecimal, stable: true, description: "The order-level developer fee credited to your developer balance when the order settles, as a decimal string. `0` means no developer fee."},
	{name: "payable_currency", stable: true, description: "The ID of the cryptocurrency used for payment, such as `ETH_USDT` or `TRON_USDT`."},
	{name: "payable_amount", kind: kindDecimal, stable: true, description: "The cryptocurrency amount to be paid for this order, as a decimal string."},
	{name: "chain_id", stable: true, description: "The ID of the blockchain network where the payment transaction should be made, such as `ETH`."},
	{name: "exchange_rate", stable: true, description: "The exchange rate between `payable_currency` and `pricing_currency`, calculated as (`pricing_amount` + `fee_amount`) / `payable_amount`. Only set by Cobo when `payable_amount` was not provided at creation; an empty string otherwise."},
	{name: "amount_tolerance", kind: kindDecimal, stable: true, description: "The allowed amount deviation, with precision up to 1 decimal place. For example, with `payable_amount` `100.00` and `amount_tolerance` `0.5`, a payment of 99.55 succeeds and 99.40 is Underpaid."},
	{name: "receive_address", stable: true, description: "The recipient wallet address the payer should send the payment to."},
	{name: "status", description: "The current status of the pay-in order: " + orderStatusList() + "."},
	{name: "received_token_amount", description: "The total cryptocurrency amount received for this order, as a decimal string. Updates until the expiration time."},
	{name: "expired_at", kind: kindInt64, description: "The expiration time of the pay-in order, as a UNIX timestamp in seconds."},
	{name: "created_timestamp", kind: kindInt64, stable: true, description: "The creation time of the order, as a UNIX timestamp in seconds."},
	{name: "updated_timestamp", kind: kindInt64, description: "The last update time of the order, as a UNIX timestamp in seconds."},
	{name: "settlement_status", description: "The settlement status of the order: " + orList(codeSpans(cobo.SettlementStatuses)) + ". Null until Cobo reports one."},
	{name: "transactions", kind: kindTransactions, description: "The blockchain transactions associated with this pay-in order, in the order Cobo lists them. Empty while none has been detected."},
	{name: "token_id", stable: true, deprecation: "Use payable_currency instead.", description: "Deprecated by Cobo: the same as `payable_currency`."},
	{name: "currency", stable: true, deprecation: "Use pricing_currency instead.", description: "Deprecated by Cobo: the same as `pricing_currency`."},
	{name: "order_amount", stable: true, deprecation: "Use pricing_amount instead.", description: "Deprecated by Cobo: the same as `pricing_amount`."},
}

type transactionAttribute struct {
	name        string
	kind        attrKind
	description string
}

var transactionAttributes = []transactionAttribute{
	{name: "tx_id", description: "The transaction ID."},
	{name: "tx_hash", description: "The transaction hash. Null when Cobo has not reported one."},
	{name: "token_id", description: "The ID of the cryptocurrency transferred."},
	{name: "from_address", description: "The source address of the transaction."},
	{name: "to_address", description: "The destination address of the transaction."},
	{name: "amount", description: "The amount of cryptocurrency transferred, as a decimal string."},
	{name: "status", description: "The transaction status, such as `Confirming`, `Completed` or `Failed`."},
	{name: "sub_status", description: "The transaction sub-status, such as `PendingBlockConfirmations`. Null when Cobo reports none."},
	{name: "failed_reason", description: "Why the transaction failed (approval and signature failures only). Null otherwise."},
	{name: "created_timestamp", kind: kindInt64, description: "The time the transaction was created, as a UNIX timestamp in **milliseconds** (unlike the order's timestamps, which are seconds)."},
	{name: "updated_timestamp", kind: kindInt64, description: "The time the transaction was last updated, as a UNIX timestamp in **milliseconds**."},
}

// transactionAttrTypes is the object type of one element of `transactions`.
var transactionAttrTypes = func() map[string]attr.Type {
	m := make(map[string]attr.Type, len(transactionAttributes))
	for _, a := range transactionAttributes {
		m[a.name] = types.StringType
		if a.kind == kindInt64 {
			m[a.name] = types.Int64Type
		}
	}
	return m
}()

// orderAttrTypes is the object type of one element of the list data source's `orders`.
var orderAttrTypes = func() map[string]attr.Type {
	m := make(map[string]attr.Type, len(orderAttributes))
	for _, a := range orderAttributes {
		m[a.name] = attrTypeOf(a.kind)
	}
	return m
}()

func attrTypeOf(k attrKind) attr.Type {
	switch k {
	case kindInt64:
		return types.Int64Type
	case kindTransactions:
		return types.ListType{ElemType: types.ObjectType{AttrTypes: transactionAttrTypes}}
	case kindDecimal:
		return decimalStringType{}
	default:
		return types.StringType
	}
}

// orderStatusMeanings says what each of cobo.OrderStatuses means; TestOrderStatusMeanings checks that
// every status has one.
var orderStatusMeanings = map[string]string{
	cobo.StatusPending:    "awaiting payment",
	cobo.StatusProcessing: "an incoming transaction was detected",
	cobo.StatusCompleted:  "fully paid",
	cobo.StatusExpired:    "expired without payment, or expired through the API",
	cobo.StatusUnderpaid:  "expired after receiving less than the required amount",
}

// orderStatusList renders every order status with its meaning, in lifecycle order.
func orderStatusList() string {
	items := make([]string, len(cobo.OrderStatuses))
	for i, s := range cobo.OrderStatuses {
		items[i] = "`" + s + "` (" + orderStatusMeanings[s] + ")"
	}
	return orList(items)
}

// codeSpans wraps each value in Markdown code quotes.
func codeSpans(values []string) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = "`" + v + "`"
	}
	return out
}
