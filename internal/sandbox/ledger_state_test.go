package sandbox_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

// A refund whose save fails is an error answer that leaves nothing behind: no refund, and the
// balance it would have taken from unchanged (money and state never disagree).
func TestRefundWhoseSaveFailsMovesNoMoney(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "sub")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "state.json")
	_, c := funded(t, sandbox.Options{StateFile: path})
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	c.do("POST", "/v2/payments/refunds", refundBody("r-lost", "10.00", "")).wantCoboError(t, 500, cobo.CodeInternal, "not created", path)
	wantBalances(t, c, "M1001", "99", "1")
	if page := decodeInto[refundPage](t, c.do("GET", "/v2/payments/refunds", ""), 200); len(page.Data) != 0 {
		t.Fatalf("a refund whose save failed is listed: %+v", page.Data)
	}
	c.do("POST", "/v2/payments/merchants", `{"name": "lost"}`).wantCoboError(t, 500, cobo.CodeInternal, "not created")
	if page := decodeInto[merchantPage](t, c.do("GET", "/v2/payments/merchants?keyword=lost", ""), 200); len(page.Data) != 0 {
		t.Fatalf("a merchant whose save failed is listed: %+v", page.Data)
	}
}

// A state file whose tables a sandbox could not have written is refused and left untouched.
func TestDamagedTablesRefused(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "state.json")
	srv, c := funded(t, sandbox.Options{StateFile: path})
	c.refund(t, refundBody("r-1", "1.00", ""))
	srv.Close()
	valid, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for name, content := range map[string][]byte{
		"unknown table":    bytes.Replace(valid, []byte(`"tables": {`), []byte(`"tables": {"payouts": {"seq": 0, "rows": []}, `), 1),
		"negative balance": bytes.Replace(valid, []byte(`"total_balance": "98"`), []byte(`"total_balance": "-98"`), 1),
		"refund status":    bytes.Replace(valid, []byte(`"status": "PendingConfirmation"`), []byte(`"status": "Canceled"`), 1),
		"unknown field":    bytes.Replace(valid, []byte(`"wallet_setup": "Default"`), []byte(`"wallet_setup": "Default", "colour": "red"`), 1),
	} {
		t.Run(name, func(t *testing.T) {
			if bytes.Equal(content, valid) {
				t.Fatalf("the case does not damage the file: %s", valid)
			}
			bad := filepath.Join(t.TempDir(), "state.json")
			if err := os.WriteFile(bad, content, 0o600); err != nil {
				t.Fatal(err)
			}
			sb, err := sandbox.Open(sandbox.Options{StateFile: bad})
			if err == nil {
				sb.Close()
				t.Fatalf("Open accepted a state file with a %s", name)
			}
			if !strings.Contains(err.Error(), "left untouched") {
				t.Errorf("error %q", err)
			}
			if got, _ := os.ReadFile(bad); !bytes.Equal(got, content) {
				t.Error("the refused file changed")
			}
		})
	}
}
