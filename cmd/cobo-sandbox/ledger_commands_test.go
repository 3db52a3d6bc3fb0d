package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox/sandboxtest"
)

// runAt runs one client command against srv, the -host and -api-secret flags last (so that a
// one-word command such as balances works too); it returns stdout, stderr and the error.
func runAt(srv *sandboxtest.Server, args ...string) (string, string, error) {
	var stdout, stderr bytes.Buffer
	err := run(append(append([]string{}, args...), "-host", srv.BaseURL, "-api-secret", testSecret), &stdout, &stderr)
	return stdout.String(), stderr.String(), err
}

func mustRun(t *testing.T, srv *sandboxtest.Server, args ...string) string {
	t.Helper()
	out, stderr, err := runAt(srv, args...)
	if err != nil {
		t.Fatalf("cobo-sandbox %s: %v\n%s", strings.Join(args, " "), err, stderr)
	}
	return out
}

func wantUsageError(t *testing.T, srv *sandboxtest.Server, want string, args ...string) {
	t.Helper()
	_, _, err := runAt(srv, args...)
	var usage usageError
	if !errors.As(err, &usage) || !strings.Contains(err.Error(), want) {
		t.Errorf("cobo-sandbox %s: want a usage error with %q, got %v", strings.Join(args, " "), want, err)
	}
}

func TestMerchantsCommands(t *testing.T) {
	t.Parallel()
	srv := sandboxtest.New(t, sandbox.Options{})
	var m cobo.Merchant
	if err := json.Unmarshal([]byte(mustRun(t, srv, "merchants", "create", "-name", "Shop A", "-developer-fee-rate", "0.01", "-wallet-setup", "Separate")), &m); err != nil {
		t.Fatal(err)
	}
	if m.MerchantID == "" || m.Name != "Shop A" || m.WalletSetup != "Separate" || m.DeveloperFeeRate == nil || !cobo.SameDecimal(*m.DeveloperFeeRate, "0.01") {
		t.Errorf("created merchant does not carry the flags: %+v", m)
	}
	updated := mustRun(t, srv, "merchants", "update", m.MerchantID, "-name", "Shop B")
	if !strings.Contains(updated, `"name":"Shop B"`) {
		t.Errorf("update did not rename: %s", updated)
	}
	table := mustRun(t, srv, "merchants", "list", "-keyword", "Shop")
	if !strings.HasPrefix(table, "MERCHANT_ID") || !strings.Contains(table, m.MerchantID) || !strings.Contains(table, "Shop B") {
		t.Errorf("merchants list table:\n%s", table)
	}
	var all []cobo.Merchant
	if err := json.Unmarshal([]byte(mustRun(t, srv, "merchants", "list", "-json")), &all); err != nil || len(all) < 2 {
		t.Errorf("merchants list -json: %v %+v", err, all)
	}
	wantUsageError(t, srv, "-name", "merchants", "create")
	wantUsageError(t, srv, "-developer-fee-rate", "merchants", "create", "-name", "X", "-developer-fee-rate", "2")
	wantUsageError(t, srv, "-wallet-setup", "merchants", "create", "-name", "X", "-wallet-setup", "Default")
	wantUsageError(t, srv, "needs -name", "merchants", "update", m.MerchantID)
}

// A paid order funds the merchant; a refund of it is listed, completed with the helper, and the
// balances show it; another is cancelled; a third fails with a reason.
func TestRefundsAndBalancesCommands(t *testing.T) {
	t.Parallel()
	srv := sandboxtest.New(t, sandbox.Options{})
	o := decodeOrder(t, cli(t, srv, "orders", "create", "-merchant-id", "M1001", "-psp-order-code", "r-1", "-payable-currency", "ETH_USDT",
		"-payable-amount", "100", "-fee-amount", "0"))
	cli(t, srv, "orders", "pay", o.OrderID)

	refund := func(requestID string) cobo.Refund {
		t.Helper()
		var r cobo.Refund
		out := mustRun(t, srv, "refunds", "create", "-request-id", requestID, "-refund-type", "Merchant", "-merchant-id", "M1001",
			"-token-id", "ETH_USDT", "-payable-amount", "10", "-order-id", o.OrderID, "-to-address", "0x1111111111111111111111111111111111111111")
		if err := json.Unmarshal([]byte(out), &r); err != nil || r.RefundID == "" || r.RequestID != requestID {
			t.Fatalf("refunds create: %v %s", err, out)
		}
		return r
	}
	first, second, third := refund("req-1"), refund("req-2"), refund("req-3")
	// The same request_id again prints the refund holding it, or names the inputs it disagrees with.
	again, stderr, err := runAt(srv, "refunds", "create", "-request-id", "req-1", "-refund-type", "Merchant", "-merchant-id", "M1001",
		"-token-id", "ETH_USDT", "-payable-amount", "10.00")
	if err != nil || !strings.Contains(again, first.RefundID) || !strings.Contains(stderr, "nothing was created") {
		t.Errorf("refunds create with a used request_id: %v\n%s\n%s", err, again, stderr)
	}
	if _, _, err := runAt(srv, "refunds", "create", "-request-id", "req-1", "-refund-type", "Merchant", "-merchant-id", "M1001",
		"-token-id", "ETH_USDT", "-payable-amount", "11"); err == nil || !strings.Contains(err.Error(), `payable_amount "10`) {
		t.Errorf("refunds create with a used request_id and another amount: want an error naming payable_amount, got %v", err)
	}
	if got := mustRun(t, srv, "refunds", "get", first.RefundID); !strings.Contains(got, first.RefundID) {
		t.Errorf("refunds get: %s", got)
	}
	if got := mustRun(t, srv, "refunds", "complete", first.RefundID); !strings.Contains(got, `"status":"Completed"`) {
		t.Errorf("refunds complete: %s", got)
	}
	if got := mustRun(t, srv, "refunds", "cancel", second.RefundID); !strings.Contains(got, `"status":"Failed"`) {
		t.Errorf("refunds cancel: %s", got)
	}
	if got := mustRun(t, srv, "refunds", "fail", third.RefundID, "-reason", "chain halted"); !strings.Contains(got, "chain halted") {
		t.Errorf("refunds fail: %s", got)
	}
	table := mustRun(t, srv, "refunds", "list", "-merchant-id", "M1001")
	if !strings.HasPrefix(table, "REFUND_ID") || strings.Count(table, "\n") != 4 || !strings.Contains(table, "Completed") {
		t.Errorf("refunds list table:\n%s", table)
	}
	var completed []cobo.Refund
	if err := json.Unmarshal([]byte(mustRun(t, srv, "refunds", "list", "-statuses", "Completed", "-json")), &completed); err != nil ||
		len(completed) != 1 || completed[0].RefundID != first.RefundID {
		t.Errorf("refunds list -statuses Completed -json: %v %+v", err, completed)
	}

	balances := mustRun(t, srv, "balances", "-token-id", "ETH_USDT")
	lines := strings.Split(strings.TrimSpace(balances), "\n")
	if len(lines) != 3 || !strings.Contains(lines[1], "M1001") || !strings.HasPrefix(lines[2], developerRow) {
		t.Errorf("balances table wants a header, M1001 and the developer:\n%s", balances)
	}
	var asJSON struct {
		Merchants []cobo.MerchantBalance `json:"merchants"`
		Developer *cobo.PspBalance       `json:"developer"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, srv, "balances", "-merchant-ids", "M1001", "-json")), &asJSON); err != nil ||
		len(asJSON.Merchants) == 0 || asJSON.Developer != nil || !cobo.SameDecimal(asJSON.Merchants[0].RefundedAmount, "10") {
		t.Errorf("balances -json: %v %+v", err, asJSON)
	}

	wantUsageError(t, srv, "-refund-type", "refunds", "create", "-request-id", "x", "-refund-type", "Other", "-token-id", "ETH_USDT", "-payable-amount", "1")
	wantUsageError(t, srv, "-payable-amount", "refunds", "create", "-request-id", "x", "-refund-type", "Psp", "-token-id", "ETH_USDT")
	wantUsageError(t, srv, "-charge-merchant-fee", "refunds", "create", "-request-id", "x", "-refund-type", "Psp", "-token-id", "ETH_USDT", "-payable-amount", "1", "-merchant-fee-amount", "1")
	wantUsageError(t, srv, "REFUND_ID", "refunds", "fail")
	wantUsageError(t, srv, "unexpected arguments", "balances", "extra")
}

func TestRatesCommands(t *testing.T) {
	t.Parallel()
	srv := sandboxtest.New(t, sandbox.Options{})
	if got := mustRun(t, srv, "rates", "set", "ETH_USDT", "0.9876"); !strings.Contains(got, `"ETH_USDT":"0.9876"`) {
		t.Errorf("rates set: %s", got)
	}
	table := mustRun(t, srv, "rates", "list")
	if !strings.HasPrefix(table, "TOKEN_ID") || !strings.Contains(table, "0.9876") || strings.Count(table, "\n") < 3 {
		t.Errorf("rates list wants every supported token:\n%s", table)
	}
	var rates []cobo.ExchangeRate
	if err := json.Unmarshal([]byte(mustRun(t, srv, "rates", "list", "-token-ids", "ETH_USDT", "-json")), &rates); err != nil ||
		len(rates) != 1 || rates[0].Rate != "0.9876" || rates[0].Currency != "USD" {
		t.Errorf("rates list -json: %v %+v", err, rates)
	}
	wantUsageError(t, srv, "TOKEN_ID RATE", "rates", "set", "ETH_USDT")
	if _, _, err := runAt(srv, "rates", "set", "ETH_USDT", "abc"); err == nil || !strings.Contains(err.Error(), "rate") {
		t.Errorf("rates set abc: want the sandbox's refusal, got %v", err)
	}
}

// A payment into an expired order succeeds, leaves the order unchanged, and says so on stderr.
func TestOrdersPayLateSaysSo(t *testing.T) {
	t.Parallel()
	srv := sandboxtest.New(t, sandbox.Options{})
	o := decodeOrder(t, cli(t, srv, createArgs("late-1")...))
	cli(t, srv, "orders", "expire", o.OrderID)
	out, stderr, err := runAt(srv, "orders", "pay", o.OrderID, "-amount", "5")
	if err != nil {
		t.Fatal(err)
	}
	if after := decodeOrder(t, []byte(out)); after.Status != "Expired" || len(after.Transactions) != 0 {
		t.Errorf("late payment changed the order: %s", out)
	}
	if !strings.Contains(stderr, "unchanged") || !strings.Contains(stderr, "developer balance") {
		t.Errorf("stderr does not note the late payment: %q", stderr)
	}
	_, stderr, _ = runAt(srv, "orders", "pay", decodeOrder(t, cli(t, srv, createArgs("on-time-1")...)).OrderID)
	if stderr != "" {
		t.Errorf("an on-time payment notes %q", stderr)
	}
}
