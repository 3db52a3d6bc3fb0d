package cobo

import (
	"strings"
	"testing"
	"time"
)

// A refund's payable_amount is its net amount plus the fee it charged (RefundAmountIsNet).
func TestRefundPayableAmount(t *testing.T) {
	for _, c := range []struct {
		r    Refund
		want string
	}{
		{Refund{Amount: "9.00", ChargeMerchantFee: ptr(true), MerchantFeeAmount: "1.00"}, "10.00"},
		{Refund{Amount: "9.5", ChargeMerchantFee: ptr(false), MerchantFeeAmount: "1.00"}, "9.50"},
		{Refund{Amount: "3"}, "3.00"},
		{Refund{Amount: "x"}, ""},
	} {
		if got := RefundPayableAmount(&c.r); got != c.want {
			t.Errorf("RefundPayableAmount(%+v) = %q, want %q", c.r, got, c.want)
		}
	}
}

// Inputs compare as Cobo reports them: amounts as numbers, unset or unreported inputs not at all.
func TestRefundDifferences(t *testing.T) {
	r := &Refund{RefundType: RefundTypeMerchant, MerchantID: "M1", TokenID: "ETH_USDT", Amount: "9.00", ChargeMerchantFee: ptr(true), MerchantFeeAmount: "1.00"}
	same := CreateRefundRequest{RefundType: RefundTypeMerchant, MerchantID: "M1", TokenID: "ETH_USDT", PayableAmount: "10", MerchantFeeAmount: "1", OrderID: "O1"}
	if d := RefundDifferences(same, r); len(d) != 0 {
		t.Errorf("the same inputs differ: %+v", d)
	}
	other := same
	other.PayableAmount, other.MerchantID = "11", "M2"
	d := RefundDifferences(other, r)
	if len(d) != 2 || d[0].Field != "merchant_id" || d[1] != (InputDifference{Field: "payable_amount", Requested: "11", Existing: "10.00"}) {
		t.Errorf("differences: %+v, want merchant_id and payable_amount", d)
	}
}

// Only a recent refund that is not final is adopted.
func TestRefundNotAdoptable(t *testing.T) {
	now := time.Unix(time.Now().Unix(), 0) // Cobo's timestamps are whole seconds
	recent := ptr(now.Add(-time.Minute).Unix())
	for _, c := range []struct {
		r    Refund
		want string
	}{
		{Refund{Status: RefundStatusPending, CreatedTimestamp: recent}, ""},
		{Refund{Status: RefundStatusPendingConfirmation, CreatedTimestamp: ptr(now.Add(-RefundAdoptWindow).Unix())}, ""},
		{Refund{Status: RefundStatusCompleted, CreatedTimestamp: recent}, "it is Completed"},
		{Refund{Status: RefundStatusFailed, CreatedTimestamp: recent}, "it is Failed"},
		{Refund{Status: RefundStatusPending, CreatedTimestamp: ptr(now.Add(-RefundAdoptWindow - 5*time.Minute).Unix())}, "created 20 minutes ago, and only a refund created in the last 15 minutes"},
		{Refund{Status: RefundStatusPending}, "did not report when"},
	} {
		got := RefundNotAdoptable(&c.r, now)
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("RefundNotAdoptable(%s, created %v) = %q, want %q", c.r.Status, c.r.CreatedTimestamp, got, c.want)
		}
	}
}
