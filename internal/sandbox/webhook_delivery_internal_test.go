package sandbox

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// The dialer refuses every resolved address that is not loopback, before connecting (Control runs
// between socket and connect), unless remote delivery is allowed.
func TestDeliveryDialerRefusesNonLoopback(t *testing.T) {
	t.Parallel()
	for _, addr := range []string{"192.0.2.1:80", "[2001:db8::1]:443", "10.0.0.1:8080", "0.0.0.0:80"} {
		if err := refuseNonLoopback("tcp", addr, nil); err == nil || !strings.Contains(err.Error(), "-deliver-remote") {
			t.Errorf("%s: %v, want a refusal naming -deliver-remote", addr, err)
		}
	}
	for _, addr := range []string{"127.0.0.1:80", "127.8.9.10:1", "[::1]:443"} {
		if err := refuseNonLoopback("tcp", addr, nil); err != nil {
			t.Errorf("%s: %v", addr, err)
		}
	}
	local := newDeliveryClients(false).loopback
	if _, err := local.Get("http://192.0.2.1/hook"); err == nil || !strings.Contains(err.Error(), "-deliver-remote") {
		t.Errorf("a non-loopback address through the delivery client: %v, want the dialer's refusal", err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) }))
	defer srv.Close()
	u := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	resp, err := local.Get(u)
	if err != nil {
		t.Fatalf("localhost through the delivery client: %v", err)
	}
	_ = resp.Body.Close()
}

// https to a loopback host is delivered although its certificate is not signed by a CA.
func TestDeliveryToLoopbackHTTPS(t *testing.T) {
	t.Parallel()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusCreated) }))
	defer srv.Close()
	resp, err := newDeliveryClients(false).loopback.Post(srv.URL, "application/json", strings.NewReader("{}"))
	if err != nil || resp.StatusCode != http.StatusCreated {
		t.Fatalf("https to 127.0.0.1: %v %v", err, resp)
	}
	_ = resp.Body.Close()
}

// encodeEvent is exactly json.Marshal of the event (whose data the sandbox encoded compactly), a url
// that spells "data":null included.
func TestEncodeEventIsJSONMarshal(t *testing.T) {
	t.Parallel()
	next, left := int64(1741082460000), 3
	for _, ev := range []cobo.WebhookEvent{
		{EventID: newUUID(), URL: "http://127.0.0.1:9/hook", CreatedTimestamp: 1, Type: cobo.EventPaymentOrderStatusUpdated, Data: json.RawMessage(`{"data_type":"PaymentOrder","status":"Completed","data":null}`)},
		{EventID: newUUID(), URL: `http://127.0.0.1:9/"data":null`, CreatedTimestamp: 2, Type: cobo.EventPaymentTransactionLate, Data: json.RawMessage(`{"data_type":"PaymentTransaction"}`),
			Status: cobo.EventStatusRetrying, NextRetryTimestamp: &next, RetriesLeft: &left},
	} {
		want, err := json.Marshal(&ev)
		if err != nil {
			t.Fatal(err)
		}
		if got := encodeEvent(ev); string(got) != string(want) {
			t.Errorf("encodeEvent:\n%s\nwant\n%s", got, want)
		}
	}
}
