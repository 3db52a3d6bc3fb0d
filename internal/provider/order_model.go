package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// orderModel holds the Order attributes listed in orderAttributes.
type orderModel struct {
	ID                  types.String  `tfsdk:"id"`
	OrderID             types.String  `tfsdk:"order_id"`
	MerchantID          types.String  `tfsdk:"merchant_id"`
	MerchantOrderCode   types.String  `tfsdk:"merchant_order_code"`
	PspOrderCode        types.String  `tfsdk:"psp_order_code"`
	PricingCurrency     types.String  `tfsdk:"pricing_currency"`
	PricingAmount       decimalString `tfsdk:"pricing_amount"`
	FeeAmount           decimalString `tfsdk:"fee_amount"`
	PayableCurrency     types.String  `tfsdk:"payable_currency"`
	PayableAmount       decimalString `tfsdk:"payable_amount"`
	ChainID             types.String  `tfsdk:"chain_id"`
	ExchangeRate        types.String  `tfsdk:"exchange_rate"`
	AmountTolerance     decimalString `tfsdk:"amount_tolerance"`
	ReceiveAddress      types.String  `tfsdk:"receive_address"`
	Status              types.String  `tfsdk:"status"`
	ReceivedTokenAmount types.String  `tfsdk:"received_token_amount"`
	ExpiredAt           types.Int64   `tfsdk:"expired_at"`
	CreatedTimestamp    types.Int64   `tfsdk:"created_timestamp"`
	UpdatedTimestamp    types.Int64   `tfsdk:"updated_timestamp"`
	SettlementStatus    types.String  `tfsdk:"settlement_status"`
	Transactions        types.List    `tfsdk:"transactions"`
	TokenID             types.String  `tfsdk:"token_id"`
	Currency            types.String  `tfsdk:"currency"`
	OrderAmount         types.String  `tfsdk:"order_amount"`
}

type transactionModel struct {
	TxID             types.String `tfsdk:"tx_id"`
	TxHash           types.String `tfsdk:"tx_hash"`
	TokenID          types.String `tfsdk:"token_id"`
	FromAddress      types.String `tfsdk:"from_address"`
	ToAddress        types.String `tfsdk:"to_address"`
	Amount           types.String `tfsdk:"amount"`
	Status           types.String `tfsdk:"status"`
	SubStatus        types.String `tfsdk:"sub_status"`
	FailedReason     types.String `tfsdk:"failed_reason"`
	CreatedTimestamp types.Int64  `tfsdk:"created_timestamp"`
	UpdatedTimestamp types.Int64  `tfsdk:"updated_timestamp"`
}

// flattenOrder maps a Cobo Order to the Terraform model: strings exactly as Cobo sent them, keys Cobo
// omitted as null, transactions as a (possibly empty) list.
func flattenOrder(o *cobo.Order) (orderModel, diag.Diagnostics) {
	list, diags := flattenTransactions(o.Transactions)
	return orderModel{
		ID:                  types.StringValue(o.OrderID),
		OrderID:             types.StringValue(o.OrderID),
		MerchantID:          types.StringPointerValue(o.MerchantID),
		MerchantOrderCode:   types.StringPointerValue(o.MerchantOrderCode),
		PspOrderCode:        types.StringValue(o.PspOrderCode),
		PricingCurrency:     types.StringPointerValue(o.PricingCurrency),
		PricingAmount:       decimalPointerValue(o.PricingAmount),
		FeeAmount:           decimalValue(o.FeeAmount),
		PayableCurrency:     types.StringPointerValue(o.PayableCurrency),
		PayableAmount:       decimalValue(o.PayableAmount),
		ChainID:             types.StringValue(o.ChainID),
		ExchangeRate:        types.StringValue(o.ExchangeRate),
		AmountTolerance:     decimalPointerValue(o.AmountTolerance),
		ReceiveAddress:      types.StringValue(o.ReceiveAddress),
		Status:              types.StringValue(o.Status),
		ReceivedTokenAmount: types.StringValue(o.ReceivedTokenAmount),
		ExpiredAt:           types.Int64PointerValue(o.ExpiredAt),
		CreatedTimestamp:    types.Int64PointerValue(o.CreatedTimestamp),
		UpdatedTimestamp:    types.Int64PointerValue(o.UpdatedTimestamp),
		SettlementStatus:    types.StringPointerValue(o.SettlementStatus),
		Transactions:        list,
		TokenID:             types.StringPointerValue(o.TokenID),
		Currency:            types.StringPointerValue(o.Currency),
		OrderAmount:         types.StringPointerValue(o.OrderAmount),
	}, diags
}

// dataSourceOrderAttributes are the Order attributes as computed data source attributes.
func dataSourceOrderAttributes() map[string]dsschema.Attribute {
	attrs := make(map[string]dsschema.Attribute, len(orderAttributes))
	for _, a := range orderAttributes {
		switch a.kind {
		case kindInt64:
			attrs[a.name] = dsschema.Int64Attribute{Computed: true, Description: a.description, MarkdownDescription: a.description, DeprecationMessage: a.deprecation}
		case kindDecimal:
			attrs[a.name] = dsschema.StringAttribute{Computed: true, CustomType: decimalStringType{}, Description: a.description, MarkdownDescription: a.description, DeprecationMessage: a.deprecation}
		case kindTransactions:
			attrs[a.name] = dsschema.ListNestedAttribute{Computed: true, Description: a.description, MarkdownDescription: a.description, NestedObject: dsschema.NestedAttributeObject{Attributes: dataSourceTransactionAttributes()}}
		default:
			attrs[a.name] = dsschema.StringAttribute{Computed: true, Description: a.description, MarkdownDescription: a.description, DeprecationMessage: a.deprecation}
		}
	}
	return attrs
}

func dataSourceTransactionAttributes() map[string]dsschema.Attribute {
	attrs := make(map[string]dsschema.Attribute, len(transactionAttributes))
	for _, a := range transactionAttributes {
		if a.kind == kindInt64 {
			attrs[a.name] = dsschema.Int64Attribute{Computed: true, Description: a.description, MarkdownDescription: a.description}
		} else {
			attrs[a.name] = dsschema.StringAttribute{Computed: true, Description: a.description, MarkdownDescription: a.description}
		}
	}
	return attrs
}

// flattenTransactions maps Cobo transactions to a (possibly empty) list of transaction objects.
func flattenTransactions(in []cobo.Transaction) (types.List, diag.Diagnostics) {
	txType := types.ObjectType{AttrTypes: transactionAttrTypes}
	txs := make([]attr.Value, 0, len(in))
	var diags diag.Diagnostics
	for _, t := range in {
		tx, d := objectFromModel(transactionModel{
			TxID:             types.StringValue(t.TxID),
			TxHash:           types.StringPointerValue(t.TxHash),
			TokenID:          types.StringPointerValue(t.TokenID),
			FromAddress:      types.StringValue(t.FromAddress),
			ToAddress:        types.StringValue(t.ToAddress),
			Amount:           types.StringValue(t.Amount),
			Status:           types.StringValue(t.Status),
			SubStatus:        types.StringPointerValue(t.SubStatus),
			FailedReason:     types.StringPointerValue(t.FailedReason),
			CreatedTimestamp: types.Int64Value(t.CreatedTimestamp),
			UpdatedTimestamp: types.Int64Value(t.UpdatedTimestamp),
		}, transactionAttrTypes)
		diags.Append(d...)
		txs = append(txs, tx)
	}
	list, d := types.ListValue(txType, txs)
	diags.Append(d...)
	return list, diags
}
