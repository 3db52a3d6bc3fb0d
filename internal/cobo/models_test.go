package cobo

import (
	"encoding/json"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

func TestListOrdersParamsQuery(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		p    ListOrdersParams
		want string
	}{
		{"README vector 2", ListOrdersParams{Limit: 10, MerchantID: "M1001", Statuses: []string{"Pending", "Processing"}}, readmeVectors[1].query},
		{"empty", ListOrdersParams{}, ""},
		{"lookup by psp_order_code", ListOrdersParams{PspOrderCode: testPsp, Limit: MaxPageSize}, "limit=50&psp_order_id=P20240201001"},
		{"one status", ListOrdersParams{Statuses: []string{"Expired"}}, "statuses=Expired"},
		{"before cursor", ListOrdersParams{Before: "Y3Vyc29yOjE=", Limit: 1}, "before=Y3Vyc29yOjE%3D&limit=1"},
		{
			"everything, escaped",
			ListOrdersParams{After: "c/ur sor+1", Limit: 5, MerchantID: "M 1&x=y", PspOrderCode: "P#1?", Statuses: []string{"Pending", "Underpaid"}},
			"after=c%2Fur+sor%2B1&limit=5&merchant_id=M+1%26x%3Dy&psp_order_id=P%231%3F&statuses=Pending%2CUnderpaid",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := c.p.Query()
			if got != c.want {
				t.Fatalf("Query() = %q, want %q", got, c.want)
			}
			// Whatever is encoded decodes back to the same values.
			q, err := url.ParseQuery(got)
			if err != nil {
				t.Fatalf("ParseQuery: %v", err)
			}
			if c.p.PspOrderCode != "" && q.Get("psp_order_id") != c.p.PspOrderCode {
				t.Errorf("psp_order_id round trip: %q, want %q", q.Get("psp_order_id"), c.p.PspOrderCode)
			}
			if c.p.MerchantID != "" && q.Get("merchant_id") != c.p.MerchantID {
				t.Errorf("merchant_id round trip: %q, want %q", q.Get("merchant_id"), c.p.MerchantID)
			}
			if c.p.After != "" && q.Get("after") != c.p.After {
				t.Errorf("after round trip: %q, want %q", q.Get("after"), c.p.After)
			}
		})
	}
}

func TestListOrdersParamsValidate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		p    ListOrdersParams
		want string // "" means valid
	}{
		{ListOrdersParams{}, ""},
		{ListOrdersParams{Limit: 1}, ""},
		{ListOrdersParams{Limit: 50}, ""},
		{ListOrdersParams{Before: "b"}, ""},
		{ListOrdersParams{After: "a", Limit: 10, MerchantID: "M"}, ""},
		{ListOrdersParams{Limit: -1}, "limit must be between 1 and 50, got -1"},
		{ListOrdersParams{Limit: 51}, "limit must be between 1 and 50, got 51"},
		{ListOrdersParams{Before: "b", After: "a"}, "before and after cannot be used together"},
	}
	for _, c := range cases {
		err := c.p.Validate()
		switch {
		case c.want == "" && err != nil:
			t.Errorf("Validate(%+v) = %v, want nil", c.p, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("Validate(%+v) = %v, want an error containing %q", c.p, err, c.want)
		}
	}
}

func TestCreateOrderRequestWireEncoding(t *testing.T) {
	t.Parallel()
	req := CreateOrderRequest{
		MerchantID: "M1001", PspOrderCode: testPsp, FeeAmount: "0.00", PayableCurrency: "ETH_USDT",
		PricingAmount: "100.00", PricingCurrency: "USD", ExpiredIn: ptr(int64(1800)),
	}
	got, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != readmeVectors[4].body {
		t.Fatalf("json.Marshal = %s\nwant          %s", got, readmeVectors[4].body)
	}

	minimal, _ := json.Marshal(CreateOrderRequest{MerchantID: "M", PspOrderCode: "P", FeeAmount: "0", PayableCurrency: "TRON_USDT"})
	if want := `{"merchant_id":"M","psp_order_code":"P","fee_amount":"0","payable_currency":"TRON_USDT"}`; string(minimal) != want {
		t.Errorf("optional fields are not omitted: %s, want %s", minimal, want)
	}
	zero, _ := json.Marshal(CreateOrderRequest{ExpiredIn: ptr(int64(0))})
	if !strings.Contains(string(zero), `"expired_in":0`) {
		t.Errorf("an explicit expired_in of 0 must be sent: %s", zero)
	}
}

func TestUpdateOrderRequestWireEncoding(t *testing.T) {
	t.Parallel()
	got, _ := json.Marshal(UpdateOrderRequest{Expired: true})
	if string(got) != readmeVectors[0].body {
		t.Fatalf("json.Marshal = %s, want %s", got, readmeVectors[0].body)
	}
	got, _ = json.Marshal(UpdateOrderRequest{})
	if string(got) != `{"expired":false}` {
		t.Errorf("expired=false must be sent explicitly, got %s", got)
	}
}

func TestDecodeOrderFull(t *testing.T) {
	t.Parallel()
	o, err := DecodeOrder([]byte(fullOrderJSON))
	if err != nil {
		t.Fatalf("DecodeOrder: %v", err)
	}
	want := Order{
		OrderID: "O20250304-M1001-1001", MerchantID: ptr("M1001"), MerchantOrderCode: ptr("MOC-2025-0001"),
		PspOrderCode: testPsp, PricingCurrency: ptr("USD"), PricingAmount: ptr("100.00"), FeeAmount: "3.03",
		PayableCurrency: ptr("ETH_USDT"), ChainID: "ETH", PayableAmount: "103.0305", ExchangeRate: "0.99993",
		AmountTolerance: ptr("0.5"), ReceiveAddress: "0x9bC4a5c2f4bD5b6e2B8E0cAe3a0F9B2f6dB1a0c3",
		Status: StatusCompleted, ReceivedTokenAmount: "103.0305",
		ExpiredAt: ptr(int64(1741064400)), CreatedTimestamp: ptr(int64(1741062600)), UpdatedTimestamp: ptr(int64(1741063000)),
		SettlementStatus: ptr("Pending"),
		Transactions: []Transaction{
			{TxID: "T1", TxHash: ptr("0xaaa1"), TokenID: ptr("ETH_USDT"), FromAddress: "0xfrom1", ToAddress: "0x9bC4a5c2f4bD5b6e2B8E0cAe3a0F9B2f6dB1a0c3", Amount: "50.0000", Status: "Completed", SubStatus: ptr("Confirmed"), CreatedTimestamp: 1741062700123, UpdatedTimestamp: 1741062760456},
			{TxID: "T2", TxHash: ptr("0xaaa2"), TokenID: ptr("ETH_USDT"), FromAddress: "0xfrom2", ToAddress: "0x9bC4a5c2f4bD5b6e2B8E0cAe3a0F9B2f6dB1a0c3", Amount: "53.0305", Status: "Completed", CreatedTimestamp: 1741062800000, UpdatedTimestamp: 1741062860000},
			{TxID: "T3", FromAddress: "0xfrom3", ToAddress: "0x9bC4a5c2f4bD5b6e2B8E0cAe3a0F9B2f6dB1a0c3", Amount: "0.0001", Status: "Failed", FailedReason: ptr("dust"), CreatedTimestamp: 1741062900000, UpdatedTimestamp: 1741062900001},
		},
	}
	if !reflect.DeepEqual(*o, want) {
		t.Errorf("DecodeOrder =\n%+v\nwant\n%+v", *o, want)
	}
	if o.PayableAmount != "103.0305" || o.ReceivedTokenAmount != "103.0305" {
		t.Errorf("amounts must be kept exactly as sent, got %q / %q", o.PayableAmount, o.ReceivedTokenAmount)
	}
}

func TestDecodeOrderMinimalLeavesOptionalFieldsNil(t *testing.T) {
	t.Parallel()
	o, err := DecodeOrder([]byte(minimalOrderJSON))
	if err != nil {
		t.Fatalf("DecodeOrder: %v", err)
	}
	if o.OrderID != "O1" || o.ChainID != "TRON" || o.PayableAmount != "10.00" || o.ExchangeRate != "" || o.Status != StatusPending {
		t.Errorf("required fields wrong: %+v", o)
	}
	optional := map[string]any{
		"merchant_id": o.MerchantID, "merchant_order_code": o.MerchantOrderCode, "pricing_currency": o.PricingCurrency,
		"pricing_amount": o.PricingAmount, "payable_currency": o.PayableCurrency, "amount_tolerance": o.AmountTolerance,
		"expired_at": o.ExpiredAt, "created_timestamp": o.CreatedTimestamp, "updated_timestamp": o.UpdatedTimestamp,
		"currency": o.Currency, "order_amount": o.OrderAmount, "token_id": o.TokenID, "settlement_status": o.SettlementStatus,
	}
	for k, v := range optional {
		if !reflect.ValueOf(v).IsNil() {
			t.Errorf("%s is absent from the response but decoded as non-nil", k)
		}
	}
	if o.Transactions != nil {
		t.Errorf("transactions absent but decoded as %v", o.Transactions)
	}
	// An optional key present as null or as an empty string stays distinguishable.
	o, err = DecodeOrder([]byte(strings.Replace(minimalOrderJSON, `{`, `{"merchant_id":"","pricing_amount":null,`, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if o.MerchantID == nil || *o.MerchantID != "" || o.PricingAmount != nil {
		t.Errorf("merchant_id \"\" and pricing_amount null decoded as %v and %v", o.MerchantID, o.PricingAmount)
	}
}

// withKey returns minimalOrderJSON with one key replaced (or removed when raw is "").
func withKey(t testing.TB, key, raw string) string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(minimalOrderJSON), &m); err != nil {
		t.Fatal(err)
	}
	if raw == "" {
		delete(m, key)
	} else {
		m[key] = json.RawMessage(raw)
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestDecodeOrderRejects(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, in string
		want     []string
		notWant  []string
	}{
		{name: "empty", in: "", want: []string{"not a JSON object"}},
		{name: "HTML", in: "<html><body>502 Bad Gateway</body></html>", want: []string{"not a JSON object"}},
		{name: "truncated", in: fullOrderJSON[:len(fullOrderJSON)/2], want: []string{"not a JSON object"}},
		{name: "array", in: "[" + minimalOrderJSON + "]", want: []string{"not a JSON object"}},
		{name: "string", in: `"O1"`, want: []string{"not a JSON object"}},
		{name: "number", in: `42`, want: []string{"not a JSON object"}},
		{name: "null", in: `null`, want: []string{"lacks required keys", "order_id", "received_token_amount"}},
		{name: "empty object", in: `{}`, want: []string{"lacks required keys: order_id, chain_id, payable_amount, receive_address, fee_amount, exchange_rate, psp_order_code, status, received_token_amount"}},
		{name: "Cobo error object", in: `{"error_code":2028,"error_message":"not found","error_id":"x"}`, want: []string{"lacks required keys", "order_id"}},
		{
			name: "missing status", in: withKey(t, "status", ""),
			want: []string{"lacks required keys: status"}, notWant: []string{"order_id", "chain_id"},
		},
		{name: "missing order_id", in: withKey(t, "order_id", ""), want: []string{"lacks required keys: order_id"}},
		{name: "null required key", in: withKey(t, "exchange_rate", "null"), want: []string{"lacks required keys: exchange_rate"}},
		{name: "empty order_id", in: withKey(t, "order_id", `""`), want: []string{"order_id"}},
		{name: "order_id number", in: withKey(t, "order_id", "123"), want: []string{"not a valid Order"}},
		{name: "amount as a JSON number", in: withKey(t, "payable_amount", "103.0305"), want: []string{"not a valid Order", "payable_amount"}},
		{name: "status object", in: withKey(t, "status", `{"v":"Pending"}`), want: []string{"not a valid Order"}},
		{name: "expired_at string", in: withKey(t, "expired_at", `"soon"`), want: []string{"not a valid Order", "expired_at"}},
		{name: "expired_at float", in: withKey(t, "expired_at", `1.5`), want: []string{"not a valid Order"}},
		{name: "transactions not a list", in: withKey(t, "transactions", `"none"`), want: []string{"not a valid Order"}},
		{name: "transaction timestamp string", in: withKey(t, "transactions", `[{"tx_id":"T","created_timestamp":"1"}]`), want: []string{"not a valid Order"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			msg := wantDecodeRefused(t, "DecodeOrder", DecodeOrder, c.in, c.want...)
			for _, nw := range c.notWant {
				if strings.Contains(msg, nw) {
					t.Errorf("%q names %q, which is present", msg, nw)
				}
			}
		})
	}
}

func TestDecodeOrderIgnoresUnknownKeys(t *testing.T) {
	t.Parallel()
	in := withKey(t, "brand_new_field", `{"a":[1,2,{"b":null}],"c":"d"}`)
	in = strings.Replace(in, "{", `{"another":12345678901234567890,"flag":true,`, 1)
	o, err := DecodeOrder([]byte(in))
	if err != nil {
		t.Fatalf("unknown keys must be ignored: %v", err)
	}
	if o.OrderID != "O1" || o.PspOrderCode != "P1" {
		t.Errorf("decoded %+v", o)
	}
}

func pageJSON(t testing.TB, orders []string, pagination string) string {
	t.Helper()
	s := `{"data":[` + strings.Join(orders, ",") + `]`
	if pagination != "" {
		s += `,"pagination":` + pagination
	}
	return s + `,"extra":{"x":1}}`
}

func TestDecodeOrderPage(t *testing.T) {
	t.Parallel()
	in := pageJSON(t, []string{fullOrderJSON, minimalOrderJSON}, `{"before":"b1","after":"a1","total_count":42}`)
	page, err := DecodeOrderPage([]byte(in))
	if err != nil {
		t.Fatalf("DecodeOrderPage: %v", err)
	}
	if len(page.Data) != 2 || page.Data[0].OrderID != "O20250304-M1001-1001" || page.Data[1].OrderID != "O1" {
		t.Fatalf("decoded %+v", page.Data)
	}
	if page.Data[0].PayableAmount != "103.0305" || len(page.Data[0].Transactions) != 3 {
		t.Errorf("order 0 decoded as %+v", page.Data[0])
	}
	if page.Pagination != (Pagination{Before: "b1", After: "a1", TotalCount: 42}) {
		t.Errorf("pagination %+v", page.Pagination)
	}

	empty, err := DecodeOrderPage([]byte(`{"data":[],"pagination":{"before":"","after":"","total_count":0}}`))
	if err != nil || len(empty.Data) != 0 || empty.Pagination.After != "" {
		t.Errorf("empty page: %+v, %v", empty, err)
	}
}

func TestDecodeOrderPageRejects(t *testing.T) {
	t.Parallel()
	goodPagination := `{"before":"","after":"","total_count":1}`
	cases := []struct {
		name, in string
		want     []string
	}{
		{"empty", "", []string{"not a valid order list"}},
		{"HTML", "<html>oops</html>", []string{"not a valid order list"}},
		{"truncated", pageJSON(t, []string{fullOrderJSON}, goodPagination)[:300], []string{"not a valid order list"}},
		{"array", "[" + minimalOrderJSON + "]", []string{"not a valid order list"}},
		{"missing data", `{"pagination":` + goodPagination + `}`, []string{"no data array"}},
		{"null data", `{"data":null,"pagination":` + goodPagination + `}`, []string{"no data array"}},
		{"missing pagination", pageJSON(t, []string{minimalOrderJSON}, ""), []string{"no pagination block"}},
		{"null pagination", pageJSON(t, []string{minimalOrderJSON}, "null"), []string{"no pagination block"}},
		{"pagination wrong type", pageJSON(t, []string{minimalOrderJSON}, `"p"`), []string{"not a valid order list"}},
		{"total_count wrong type", pageJSON(t, []string{minimalOrderJSON}, `{"total_count":"1"}`), []string{"not a valid order list"}},
		{"data not a list", `{"data":{"order_id":"O1"},"pagination":` + goodPagination + `}`, []string{"not a valid order list"}},
		{"order not an object", pageJSON(t, []string{"7"}, goodPagination), []string{"not a valid order list"}},
		{"null order", pageJSON(t, []string{minimalOrderJSON, "null"}, goodPagination), []string{"order 1 of the page", "lacks required keys"}},
		{"bad order", pageJSON(t, []string{minimalOrderJSON, withKey(t, "psp_order_code", "")}, goodPagination), []string{"order 1 of the page", "psp_order_code"}},
		{"wrong-typed order", pageJSON(t, []string{withKey(t, "fee_amount", "0")}, goodPagination), []string{"not a valid order list"}},
		{"empty order_id", pageJSON(t, []string{withKey(t, "order_id", `""`)}, goodPagination), []string{"order 0 of the page", "order_id"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantDecodeRefused(t, "DecodeOrderPage", DecodeOrderPage, c.in, c.want...)
		})
	}
}

// wantDecodeRefused checks that decode (named name) refuses in: an error naming each of want, and no
// value with it. It returns the error's message for further checks.
func wantDecodeRefused[T any](t *testing.T, name string, decode func([]byte) (*T, error), in string, want ...string) string {
	t.Helper()
	v, err := decode([]byte(in))
	if err == nil {
		t.Fatalf("%s accepted %s as %+v", name, in, v)
	}
	if v != nil {
		t.Errorf("%s returned a value with its error", name)
	}
	mustContain(t, err.Error(), want...)
	return err.Error()
}
