package contract_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/contract"
)

const validOrder = `{"order_id":"O1","chain_id":"ETH","payable_amount":"10.00","receive_address":"0xabc",
"fee_amount":"0.10","exchange_rate":"","psp_order_code":"P1","status":"Pending","received_token_amount":"0",
"created_timestamp":1741082400,"transactions":[],"unknown_new_field":{"cobo":"adds fields"}}`

const validError = `{"error_code":2028,"error_message":"not found","error_id":"0b6ddf19083c4bd1a9ca01bec44b24dd"}`

// TestValidatorFindsViolations feeds hand-built answers: the valid ones pass, and each wrong one is
// reported with its method, path, status and kin-openapi's reason.
func TestValidatorFindsViolations(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, method, path string
		status             int
		contentType, body  string
		wantViolation      string // "" means valid
	}{
		{"valid order", "POST", "/v2/payments/orders", 201, "application/json", validOrder, ""},
		{"amount as a number", "POST", "/v2/payments/orders", 201, "application/json", strings.Replace(validOrder, `"fee_amount":"0.10"`, `"fee_amount":0.1`, 1), "fee_amount"},
		{"missing required key", "GET", "/v2/payments/orders/O1", 200, "application/json", strings.Replace(validOrder, `"order_id":"O1",`, "", 1), "order_id"},
		{"status not in the enum", "GET", "/v2/payments/orders/O1", 200, "application/json", strings.Replace(validOrder, `"Pending"`, `"Paid"`, 1), "status"},
		{"undocumented success status", "POST", "/v2/payments/orders", 200, "application/json", validOrder, "status is not supported"},
		{"order timestamp as a string", "GET", "/v2/payments/orders/O1", 200, "application/json", strings.Replace(validOrder, `1741082400`, `"1741082400"`, 1), "created_timestamp"},
		{"valid error", "GET", "/v2/payments/orders/nope", 404, "application/json", validError, ""},
		{"error without error_id", "GET", "/v2/payments/orders/nope", 404, "application/json", `{"error_code":2028,"error_message":"not found"}`, "error_id"},
		{"error code as a string", "PUT", "/v2/payments/orders/O1", 400, "application/json", strings.Replace(validError, "2028", `"2028"`, 1), "error_code"},
		{"HTML from a proxy", "GET", "/v2/payments/orders", 502, "text/html", "<html>Bad gateway</html>", "Content-Type"},
		{"no Content-Type", "GET", "/v2/payments/orders", 200, "", `{"data":[],"pagination":{"before":"","after":"","total_count":0}}`, "Content-Type"},
		{"list page", "GET", "/v2/payments/orders?limit=2", 200, "application/json", `{"data":[` + validOrder + `],"pagination":{"before":"","after":"","total_count":1}}`, ""},
		{"list pagination without total_count", "GET", "/v2/payments/orders", 200, "application/json", `{"data":[],"pagination":{"before":"","after":""}}`, "total_count"},
		{"undocumented method, error body", "DELETE", "/v2/payments/orders/O1", 405, "application/json", validError, ""},
		{"undocumented method answered 200", "DELETE", "/v2/payments/orders/O1", 200, "application/json", validOrder, "status is not supported"},
		{"undocumented path, error body not JSON", "GET", "/v2/nothing/here", 404, "text/plain", "404 page not found", "Content-Type"},
		{"sandbox helper route is not Cobo's API", "GET", "/_sandbox/clock", 200, "text/plain", "anything", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			v, err := contract.New()
			if err != nil {
				t.Fatal(err)
			}
			req := httptest.NewRequest(tc.method, "http://127.0.0.1:1"+tc.path, nil)
			header := http.Header{}
			if tc.contentType != "" {
				header.Set("Content-Type", tc.contentType)
			}
			err = v.ValidateResponse(req, tc.status, header, []byte(tc.body))
			got := v.Violations()
			if tc.wantViolation == "" {
				if err != nil || len(got) != 0 {
					t.Fatalf("valid answer reported: %v %v", err, got)
				}
				return
			}
			if err == nil || len(got) != 1 {
				t.Fatalf("want one violation mentioning %q, got error %v, violations %v", tc.wantViolation, err, got)
			}
			want := tc.method + " " + strings.SplitN(tc.path, "?", 2)[0] + " -> "
			if s := got[0].String(); !strings.HasPrefix(s, want) || !strings.Contains(s, tc.wantViolation) {
				t.Fatalf("violation %q: want prefix %q and a mention of %q", s, want, tc.wantViolation)
			}
		})
	}
}

func TestExercisedKeysNameOperationAndStatus(t *testing.T) {
	t.Parallel()
	v, err := contract.New()
	if err != nil {
		t.Fatal(err)
	}
	answer := func(method, path string, status int, body string) {
		h := http.Header{"Content-Type": {"application/json"}}
		_ = v.ValidateResponse(httptest.NewRequest(method, path, nil), status, h, []byte(body))
	}
	answer("POST", "/v2/payments/orders", 201, validOrder)
	answer("GET", "/v2/payments/orders/O1", 404, validError)
	answer("DELETE", "/v2/payments/orders/O1", 405, validError)
	answer("GET", "/v2/nothing", 404, validError)
	answer("GET", "/v2/webhooks/endpoints/8f2e919a-6a7b-4a9b-8c1a-4c0b3f5b8b1f", 404, validError)
	answer("GET", "/_sandbox/clock", 200, "{}")
	want := []string{"create_payment_order 201", "get_payment_order_detail_by_id 404", "undocumented method 405",
		"undocumented path 404", "get_webhook_endpoint_by_id 404"}
	if missing := v.MissingExercise(want...); len(missing) != 0 {
		t.Fatalf("not exercised: %v; exercised: %v", missing, v.Exercised())
	}
	if n := len(v.Exercised()); n != len(want) {
		t.Fatalf("exercised %v, want exactly %v (the helper route is not Cobo's API)", v.Exercised(), want)
	}
	if missing := v.MissingExercise("update_payment_order 200"); len(missing) != 1 {
		t.Fatalf("MissingExercise = %v", missing)
	}
}
