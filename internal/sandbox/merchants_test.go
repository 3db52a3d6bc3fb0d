package sandbox_test

import (
	"encoding/json"
	"testing"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

type merchantJSON struct {
	MerchantID       string  `json:"merchant_id"`
	Name             string  `json:"name"`
	WalletID         string  `json:"wallet_id"`
	DeveloperFeeRate *string `json:"developer_fee_rate"`
	WalletSetup      string  `json:"wallet_setup"`
}

type merchantPage struct {
	Data       []merchantJSON  `json:"data"`
	Pagination cobo.Pagination `json:"pagination"`
}

func decodeInto[T any](t testing.TB, r result, status int) T {
	t.Helper()
	var v T
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("%v: %s", err, r.body)
	}
	return v
}

func (c *apiClient) createMerchant(t testing.TB, body string) merchantJSON {
	t.Helper()
	return decodeInto[merchantJSON](t, c.do("POST", "/v2/payments/merchants", body), 201)
}

func TestMerchantsDefaultCreateListUpdate(t *testing.T) {
	t.Parallel()
	srv, c := startSandbox(t, sandbox.Options{Merchants: sandbox.MerchantsAsCobo})
	page := decodeInto[merchantPage](t, c.do("GET", "/v2/payments/merchants", ""), 200)
	if len(page.Data) != 1 || page.Data[0].MerchantID != sandbox.DefaultMerchantID || page.Data[0].WalletSetup != "Default" {
		t.Fatalf("a new organization's merchants: %+v, want only the default merchant", page.Data)
	}
	shared := c.createMerchant(t, `{"name": "Coffee Shop", "developer_fee_rate": "0.0150"}`)
	separate := c.createMerchant(t, `{"name": "Book Shop", "wallet_setup": "Separate"}`)
	if shared.WalletSetup != "Shared" || deref(shared.DeveloperFeeRate) != "0.0150" || separate.WalletSetup != "Separate" || separate.WalletID == shared.WalletID {
		t.Fatalf("created: %+v %+v", shared, separate)
	}
	dup := c.createMerchant(t, `{"name": "Coffee Shop"}`) // no rule on duplicate names
	if dup.MerchantID == shared.MerchantID {
		t.Fatal("a second merchant got the same id")
	}
	byKeyword := decodeInto[merchantPage](t, c.do("GET", "/v2/payments/merchants?keyword=COFFEE", ""), 200)
	if len(byKeyword.Data) != 2 || byKeyword.Data[0].MerchantID != shared.MerchantID {
		t.Fatalf("keyword=COFFEE: %+v", byKeyword.Data)
	}
	bySetup := decodeInto[merchantPage](t, c.do("GET", "/v2/payments/merchants?wallet_setup=Separate", ""), 200)
	if len(bySetup.Data) != 1 || bySetup.Data[0].MerchantID != separate.MerchantID {
		t.Fatalf("wallet_setup=Separate: %+v", bySetup.Data)
	}
	first := decodeInto[merchantPage](t, c.do("GET", "/v2/payments/merchants?limit=2", ""), 200)
	next := decodeInto[merchantPage](t, c.do("GET", "/v2/payments/merchants?limit=2&after="+first.Pagination.After, ""), 200)
	if first.Pagination.TotalCount != 4 || len(first.Data) != 2 || len(next.Data) != 2 || next.Data[1].MerchantID != dup.MerchantID || next.Pagination.After != "" {
		t.Fatalf("pages: %+v then %+v", first, next)
	}
	updated := decodeInto[merchantJSON](t, c.do("PUT", "/v2/payments/merchants/"+shared.MerchantID, `{"name": "Coffee Bar", "developer_fee_rate": "0.02"}`), 200)
	if updated.Name != "Coffee Bar" || deref(updated.DeveloperFeeRate) != "0.02" || updated.WalletSetup != "Shared" {
		t.Fatalf("updated: %+v", updated)
	}
	srv.Sandbox.Reset()
	if page := decodeInto[merchantPage](t, c.do("GET", "/v2/payments/merchants", ""), 200); len(page.Data) != 1 || page.Data[0].MerchantID != sandbox.DefaultMerchantID {
		t.Fatalf("after a reset: %+v, want only the default merchant", page.Data)
	}
}

func TestMerchantRefusals(t *testing.T) {
	t.Parallel()
	_, c := startSandbox(t, sandbox.Options{Merchants: sandbox.MerchantsAsCobo})
	other := newAPIClient(t, c.root, secretFor(t.Name()+"/other"))
	m := c.createMerchant(t, `{"name": "Shop"}`)
	for _, tc := range []struct {
		method, path, body string
		status, code       int
		parts              []string
	}{
		{"POST", "/v2/payments/merchants", `{"name": "X", "wallet_setup": "Default"}`, 400, cobo.CodeInvalidParameter, []string{"wallet_setup", "Shared", "Separate"}},
		{"POST", "/v2/payments/merchants", `{"name": ""}`, 400, cobo.CodeInvalidParameter, []string{"name"}},
		{"POST", "/v2/payments/merchants", `{}`, 400, cobo.CodeMissingParameter, []string{"name"}},
		{"POST", "/v2/payments/merchants", `{"name": "X", "developer_fee_rate": "1.01"}`, 400, cobo.CodeInvalidParameter, []string{"developer_fee_rate", "above 1"}},
		{"POST", "/v2/payments/merchants", `{"name": "X", "developer_fee_rate": "0.12345"}`, 400, cobo.CodeInvalidParameter, []string{"developer_fee_rate", "5 decimal places"}},
		{"PUT", "/v2/payments/merchants/" + m.MerchantID, `{"wallet_setup": "Separate"}`, 400, cobo.CodeInvalidParameter, []string{"wallet_setup cannot be changed"}},
		{"PUT", "/v2/payments/merchants/M-none", `{"name": "X"}`, 404, cobo.CodeNotFound, []string{"M-none"}},
		{"GET", "/v2/payments/merchants?wallet_setup=Mine", "", 400, cobo.CodeInvalidParameter, []string{"wallet_setup", "Default, Shared, Separate"}},
		{"DELETE", "/v2/payments/merchants/" + m.MerchantID, "", 405, cobo.CodeInvalidParameter, []string{"PUT"}},
		{"GET", "/v2/payments/merchants/" + m.MerchantID, "", 405, cobo.CodeInvalidParameter, []string{"PUT"}},
	} {
		c.do(tc.method, tc.path, tc.body).wantCoboError(t, tc.status, tc.code, tc.parts...)
	}
	// another organization sees only its own default merchant, and cannot update this one
	other.do("PUT", "/v2/payments/merchants/"+m.MerchantID, `{"name": "X"}`).wantCoboError(t, 404, cobo.CodeNotFound)
	if page := decodeInto[merchantPage](t, other.do("GET", "/v2/payments/merchants", ""), 200); len(page.Data) != 1 {
		t.Fatalf("another organization lists %+v", page.Data)
	}
}

// An order for a merchant the organization lacks is refused as Cobo refuses it; the default merchant
// (M1001 or -default-merchant) and created merchants take orders; sandboxtest's default makes them.
func TestOrderMerchantMustExist(t *testing.T) {
	t.Parallel()
	_, strict := startSandbox(t, sandbox.Options{Merchants: sandbox.MerchantsAsCobo, DefaultMerchantID: "M-home"})
	strict.do("POST", "/v2/payments/orders", createBody(map[string]any{"merchant_id": "M1001"})).wantCoboError(t, 400, cobo.CodeInvalidParameter, `"M1001"`, "not a merchant of this organization", "M-home")
	strict.create(t, map[string]any{"merchant_id": "M-home"})
	m := strict.createMerchant(t, `{"name": "Shop"}`)
	strict.create(t, map[string]any{"merchant_id": m.MerchantID})

	_, auto := startSandbox(t, sandbox.Options{})
	auto.create(t, map[string]any{"merchant_id": "M-anything"})
	page := decodeInto[merchantPage](t, auto.do("GET", "/v2/payments/merchants?keyword=M-anything", ""), 200)
	if len(page.Data) != 1 || page.Data[0].WalletSetup != "Shared" {
		t.Fatalf("the auto-created merchant: %+v", page.Data)
	}
}
