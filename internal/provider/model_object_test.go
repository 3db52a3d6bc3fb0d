package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

func resourceSchemaForTest(t *testing.T) resource.SchemaResponse {
	t.Helper()
	var resp resource.SchemaResponse
	(&paymentOrderResource{}).Schema(context.Background(), resource.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	return resp
}

// setModel and getModel must write and read exactly what the framework's own State.Set and
// State.Get do, embedded struct, nulls, unknowns and the nested transactions included.
func TestModelObjectMatchesTheFramework(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	sch := resourceSchemaForTest(t).Schema
	order := &cobo.Order{
		OrderID: "O1", PspOrderCode: "psp", FeeAmount: "0.10", PayableAmount: "10.00", ChainID: "ETH", ExchangeRate: "",
		ReceiveAddress: "0xabc", Status: cobo.StatusProcessing, ReceivedTokenAmount: "5",
		MerchantID: ptr("M1"), PricingCurrency: ptr("USD"), ExpiredAt: ptr(int64(1700000000)),
		Transactions: []cobo.Transaction{
			{TxID: "t1", TxHash: ptr("0x1"), FromAddress: "a", ToAddress: "b", Amount: "5", Status: "Completed", CreatedTimestamp: 1, UpdatedTimestamp: 2},
			{TxID: "t2", FromAddress: "a", ToAddress: "b", Amount: "1", Status: "Confirming", SubStatus: ptr("PendingBlockConfirmations"), CreatedTimestamp: 3, UpdatedTimestamp: 4},
		},
	}
	m, diags := flattenOrder(order)
	if diags.HasError() {
		t.Fatal(diags)
	}
	timeoutsType, _ := sch.Blocks["timeouts"].Type().(timeouts.Type)
	model := paymentOrderResourceModel{orderModel: m, ExpiredIn: types.Int64Unknown(), Expired: types.BoolValue(true), ExpireOnDestroy: types.BoolNull(),
		Timeouts: timeouts.Value{Object: types.ObjectValueMust(timeoutsType.AttrTypes, map[string]attr.Value{
			"create": types.StringValue("3m"), "read": types.StringNull(), "update": types.StringNull(), "delete": types.StringNull(),
		})}}

	ours := tfsdk.State{Schema: sch, Raw: tftypes.NewValue(sch.Type().TerraformType(ctx), nil)}
	theirs := ours
	if d := setModel(ctx, &ours, model); d.HasError() {
		t.Fatal(d)
	}
	if d := theirs.Set(ctx, &model); d.HasError() {
		t.Fatal(d)
	}
	if !ours.Raw.Equal(theirs.Raw) {
		t.Fatalf("setModel wrote\n%s\nState.Set writes\n%s", ours.Raw, theirs.Raw)
	}

	var back paymentOrderResourceModel
	if d := getModel(ctx, ours, &back); d.HasError() {
		t.Fatal(d)
	}
	var want paymentOrderResourceModel
	if d := theirs.Get(ctx, &want); d.HasError() {
		t.Fatal(d)
	}
	obj1, _ := objectFromModel(back, sch.Type().(attr.TypeWithAttributeTypes).AttributeTypes())
	obj2, _ := objectFromModel(want, sch.Type().(attr.TypeWithAttributeTypes).AttributeTypes())
	if !obj1.Equal(obj2) || !back.Transactions.Equal(model.Transactions) || !back.ExpiredIn.IsUnknown() || !back.ExpireOnDestroy.IsNull() {
		t.Fatalf("getModel read\n%+v\nState.Get reads\n%+v", back, want)
	}
}

func TestModelObjectReportsMismatches(t *testing.T) {
	t.Parallel()
	type missing struct {
		ID types.String `tfsdk:"id"`
	}
	type wrongType struct {
		ID types.Int64 `tfsdk:"id"`
	}
	attrTypes := map[string]attr.Type{"id": types.StringType, "status": types.StringType}
	if _, d := objectFromModel(missing{ID: types.StringValue("x")}, attrTypes); !d.HasError() {
		t.Error("a model without the status attribute was converted")
	}
	obj := types.ObjectValueMust(map[string]attr.Type{"id": types.StringType}, map[string]attr.Value{"id": types.StringValue("x")})
	var w wrongType
	if d := modelFromObject(obj, &w); !d.HasError() || !strings.Contains(d[0].Detail(), "attribute id is a") {
		t.Errorf("a string attribute went into an Int64 field: %v", d)
	}
	var m missing
	if d := modelFromObject(types.ObjectValueMust(attrTypes, map[string]attr.Value{"id": types.StringValue("x"), "status": types.StringNull()}), &m); !d.HasError() {
		t.Error("an object with more attributes than the model has fields was accepted")
	}
}
