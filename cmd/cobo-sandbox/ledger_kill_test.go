package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox/sandboxtest"
)

// signedCall sends one signed API request to root (the sandbox's URL without /v2).
func signedCall(signer *cobo.Signer, root, method, path, query, body string) (int, []byte, error) {
	nonce := strconv.FormatInt(time.Now().UnixMilli(), 10)
	target := root + path
	if query != "" {
		target += "?" + query
	}
	req, err := http.NewRequest(method, target, strings.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set(cobo.HeaderAPIKey, signer.APIKey())
	req.Header.Set(cobo.HeaderNonce, nonce)
	req.Header.Set(cobo.HeaderSignature, signer.Sign(method, path, nonce, query, []byte(body)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	data, err := io.ReadAll(resp.Body)
	return resp.StatusCode, data, err
}

// kill -9 while clients create refunds: every refund answered as created is in the state file, and
// the merchant balance there is what the payment brought less exactly the refunds the file holds.
func TestLedgerSurvivesKill(t *testing.T) {
	t.Parallel()
	path := t.TempDir() + "/state.json"
	cmd, exports := startServer(t, "-state", path)
	root := strings.TrimSuffix(exports["COBO_HOST"], "/v2")
	signer, err := cobo.NewSigner(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	st, body, err := signedCall(signer, root, "POST", "/v2/payments/orders", "", `{"merchant_id": "M1001", "psp_order_code": "kill-ledger", "fee_amount": "0", "payable_currency": "ETH_USDT", "payable_amount": "1000.00"}`)
	if err != nil || st != 201 {
		t.Fatalf("create: %d %s %v", st, body, err)
	}
	var o cobo.Order
	_ = json.Unmarshal(body, &o)
	resp, err := http.Post(root+"/_sandbox/orders/"+o.OrderID+"/payments", "application/json", strings.NewReader(`{"amount": "1000.00"}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("pay: %v %v", resp, err)
	}
	_ = resp.Body.Close()

	var mu sync.Mutex
	var created []string
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				refund := fmt.Sprintf(`{"request_id": "kill-%d-%d", "merchant_id": "M1001", "payable_amount": "0.01", "token_id": "ETH_USDT", "refund_type": "Merchant"}`, w, i)
				st, body, err := signedCall(signer, root, "POST", "/v2/payments/refunds", "", refund)
				if err != nil || st != 201 {
					continue // the server is gone
				}
				var r struct {
					RefundID string `json:"refund_id"`
				}
				if json.Unmarshal(body, &r) == nil {
					mu.Lock()
					created = append(created, r.RefundID)
					mu.Unlock()
				}
			}
		}()
	}
	time.Sleep(400 * time.Millisecond)
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
	close(stop)
	wg.Wait()
	if len(created) == 0 {
		t.Fatal("no refund was created before the kill")
	}

	srv := sandboxtest.New(t, sandbox.Options{StateFile: path})
	have := map[string]bool{}
	for after := ""; ; {
		st, body, err := signedCall(signer, srv.URL, "GET", "/v2/payments/refunds", "limit=50&after="+after, "")
		if err != nil || st != 200 {
			t.Fatalf("list refunds after the kill: %d %s %v", st, body, err)
		}
		var page struct {
			Data []struct {
				RefundID string `json:"refund_id"`
			} `json:"data"`
			Pagination cobo.Pagination `json:"pagination"`
		}
		_ = json.Unmarshal(body, &page)
		for _, r := range page.Data {
			have[r.RefundID] = true
		}
		if after = page.Pagination.After; after == "" {
			break
		}
	}
	for _, id := range created {
		if !have[id] {
			t.Errorf("refund %s was answered as created but is not in the state file", id)
		}
	}
	want := new(big.Rat).Sub(big.NewRat(1000, 1), new(big.Rat).Mul(big.NewRat(1, 100), big.NewRat(int64(len(have)), 1)))
	if b := srv.Sandbox.BalanceOf(signer.APIKey(), "M1001", "ETH_USDT"); !cobo.SameDecimal(b.Total, want.FloatString(2)) {
		t.Errorf("merchant balance after the kill %s, want 1000 less %d refunds of 0.01 = %s", b.Total, len(have), want.FloatString(2))
	}
	t.Logf("%d refunds created before kill -9, %d in the state file", len(created), len(have))
}
