package contract_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/contract"
)

// orderEvent is a hand-built payment.order.status.updated event: the whole Order as data.
func orderEvent() map[string]any {
	var order map[string]any
	if err := json.Unmarshal([]byte(validOrder), &order); err != nil {
		panic(err)
	}
	order["data_type"] = "PaymentOrder"
	order["status"] = "Completed"
	return map[string]any{
		"event_id": "8f2e919a-6a7b-4a9b-8c1a-4c0b3f5b8b1f", "url": "http://127.0.0.1:8080/hook",
		"created_timestamp": 1741082400123, "type": "payment.order.status.updated", "data": order, "status": "Success",
	}
}

// transactionEvent is a hand-built payment.transaction.created event of a deposit to an order.
func transactionEvent() map[string]any {
	data := map[string]any{
		"data_type": "PaymentTransaction", "transaction_id": "aff0e1cb-15b2-4e1f-9b9d-a9133715986f",
		"wallet_id": "f47ac10b-58cc-4372-a567-0e02b2c3d479", "type": "Deposit", "transaction_type": "Deposit", "status": "Confirming",
		"initiator_type": "External", "chain_id": "ETH", "token_id": "ETH_USDT",
		"source":            map[string]any{"source_type": "DepositFromAddress", "addresses": []any{"0xabc"}},
		"destination":       map[string]any{"destination_type": "DepositToAddress", "wallet_id": "f47ac10b-58cc-4372-a567-0e02b2c3d479", "wallet_type": "Custodial", "address": "0xdef", "amount": "10.00"},
		"created_timestamp": 1741082400123, "updated_timestamp": 1741082400123,
		"acquiring_type": "Order", "order_id": "O1", "psp_order_code": "P1",
	}
	return map[string]any{
		"event_id": "5c8e0d61-3f7a-4b1e-9c2d-7a6b5e4d3c2b", "url": "http://127.0.0.1:8080/hook",
		"created_timestamp": 1741082400123, "type": "payment.transaction.created", "data": data,
		"status": "Retrying", "next_retry_timestamp": 1741082460123, "retries_left": 9,
	}
}

func TestValidateWebhookEventAcceptsBothPayinDataTypes(t *testing.T) {
	t.Parallel()
	for name, event := range map[string]map[string]any{"order": orderEvent(), "transaction": transactionEvent()} {
		body, _ := json.Marshal(event)
		if err := contract.ValidateWebhookEvent(body); err != nil {
			t.Errorf("%s event: %v\n%s", name, err, body)
		}
	}
}

// TestValidateWebhookEventRejects proves the event check can fail, the discriminated data included:
// each wrong body is reported with a message naming what is wrong.
func TestValidateWebhookEventRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		event  func() map[string]any
		change func(e, data map[string]any)
		want   string
	}{
		{"amount as a number", orderEvent, func(_, d map[string]any) { d["payable_amount"] = 10.5 }, "payable_amount"},
		{"order without receive_address", orderEvent, func(_, d map[string]any) { delete(d, "receive_address") }, "receive_address"},
		{"order data tagged as a transaction", orderEvent, func(_, d map[string]any) { d["data_type"] = "PaymentTransaction" }, `"transaction_id" is missing`},
		{"transaction data tagged as an order", transactionEvent, func(_, d map[string]any) { d["data_type"] = "PaymentOrder" }, `"receive_address" is missing`},
		{"data without data_type", orderEvent, func(_, d map[string]any) { delete(d, "data_type") }, "data_type"},
		{"data_type outside the mapping", orderEvent, func(_, d map[string]any) { d["data_type"] = "Transaction" }, "data_type"},
		{"transaction without acquiring_type", transactionEvent, func(_, d map[string]any) { delete(d, "acquiring_type") }, "acquiring_type"},
		{"transaction without transaction_type", transactionEvent, func(_, d map[string]any) { delete(d, "transaction_type") }, "transaction_type"},
		{"transaction type outside the enum", transactionEvent, func(_, d map[string]any) { d["type"] = "Payment" }, `"/type"`},
		{"transaction source of the wrong kind", transactionEvent, func(_, d map[string]any) {
			d["source"] = map[string]any{"source_type": "DepositFromAddress"}
		}, "addresses"},
		{"missing event_id", orderEvent, func(e, _ map[string]any) { delete(e, "event_id") }, "event_id"},
		{"event_id not a uuid", orderEvent, func(e, _ map[string]any) { e["event_id"] = "evt-1" }, "event_id"},
		{"event_id a uuid without dashes", orderEvent, func(e, _ map[string]any) { e["event_id"] = "8f2e919a6a7b4a9b8c1a4c0b3f5b8b1f" }, "event_id"},
		{"url not absolute", orderEvent, func(e, _ map[string]any) { e["url"] = "/hook" }, "url"},
		{"unknown event type", orderEvent, func(e, _ map[string]any) { e["type"] = "payment.order.paid" }, "type"},
		{"created_timestamp as a string", orderEvent, func(e, _ map[string]any) { e["created_timestamp"] = "1741082400123" }, "created_timestamp"},
		{"status outside the enum", orderEvent, func(e, _ map[string]any) { e["status"] = "Delivered" }, "status"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			event := tc.event()
			tc.change(event, event["data"].(map[string]any))
			body, _ := json.Marshal(event)
			err := contract.ValidateWebhookEvent(body)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("want an error mentioning %q, got %v\n%s", tc.want, err, body)
			}
		})
	}
}

func TestValidatorRecordsEvents(t *testing.T) {
	t.Parallel()
	v, err := contract.New()
	if err != nil {
		t.Fatal(err)
	}
	good, _ := json.Marshal(orderEvent())
	bad := []byte(`{"type":"payment.transaction.late"}`)
	if err := v.ValidateEvent("http://127.0.0.1:1/hook", good); err != nil {
		t.Fatal(err)
	}
	if err := v.ValidateEvent("http://127.0.0.1:1/hook", bad); err == nil {
		t.Fatal("an event without data, id, url or timestamp passed")
	}
	got := v.Violations()
	if len(got) != 1 || got[0].Method != "EVENT" || got[0].Path != "http://127.0.0.1:1/hook" || !strings.Contains(got[0].Message, "data") {
		t.Fatalf("violations %v", got)
	}
	if missing := v.MissingExercise("WebhookEvent payment.order.status.updated", "WebhookEvent payment.transaction.late"); len(missing) != 0 {
		t.Fatalf("not recorded: %v", missing)
	}
}

func TestReceiverValidatesEachDeliveredBody(t *testing.T) {
	t.Parallel()
	v, err := contract.New()
	if err != nil {
		t.Fatal(err)
	}
	var forwarded []string
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		forwarded = append(forwarded, string(b))
		w.WriteHeader(http.StatusCreated)
	})
	receiver := httptest.NewServer(v.Receiver(next))
	defer receiver.Close()
	good, _ := json.Marshal(transactionEvent())
	for _, body := range []string{string(good), `{"event_id":"x"}`} {
		resp, err := http.Post(receiver.URL+"/hook", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("the receiver answered %d, not next's 201", resp.StatusCode)
		}
	}
	got := v.Violations()
	if len(forwarded) != 2 || forwarded[0] != string(good) || len(got) != 1 || got[0].Path != receiver.URL+"/hook" {
		t.Fatalf("forwarded %q, violations %v", forwarded, got)
	}
	if missing := v.MissingExercise("WebhookEvent payment.transaction.created"); len(missing) != 0 {
		t.Fatalf("not recorded: %v", missing)
	}
}
