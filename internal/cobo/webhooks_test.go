package cobo

import (
	"crypto/ed25519"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWebhookSignatureRoundTrip(t *testing.T) {
	t.Parallel()
	seed, _ := hex.DecodeString("0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20")
	key := ed25519.NewKeyFromSeed(seed)
	pub := hex.EncodeToString(key.Public().(ed25519.PublicKey))
	body := []byte(`{"event_id":"e1","type":"payment.order.status.updated"}`)
	sig := SignWebhook(key, body, "1700000000000")
	if err := VerifyWebhook(pub, sig, body, "1700000000000"); err != nil {
		t.Fatalf("a fresh signature does not verify: %v", err)
	}
	changed := append([]byte{}, body...)
	changed[3] ^= 1
	for name, check := range map[string]error{
		"changed byte":      VerifyWebhook(pub, sig, changed, "1700000000000"),
		"other timestamp":   VerifyWebhook(pub, sig, body, "1700000000001"),
		"Cobo's dev key":    VerifyWebhook(WebhookPublicKeyDev, sig, body, "1700000000000"),
		"malformed sig":     VerifyWebhook(pub, "zz", body, "1700000000000"),
		"malformed pub key": VerifyWebhook("abc", sig, body, "1700000000000"),
	} {
		if check == nil {
			t.Errorf("%s: verified, want an error", name)
		}
	}
}

// The digest is SHA256(SHA256(body|timestamp)) as Cobo's guide says; the expected value was computed
// outside Go: printf 'abc|123' | sha256sum | cut -d' ' -f1 | xxd -r -p | sha256sum.
func TestWebhookDigestDefinition(t *testing.T) {
	t.Parallel()
	const want = "729aed4f01d9effc3e28980c78d29aef2fca66213b7f8d7375c2c8011437b50f"
	if got := hex.EncodeToString(WebhookDigest([]byte("abc"), "123")); got != want {
		t.Fatalf("digest %s, want %s", got, want)
	}
}

// The sandbox sends both spellings; a Go server reads either, whatever the wire case.
func TestWebhookSignatureHeadersBothSpellings(t *testing.T) {
	t.Parallel()
	var got [2]string
	srv := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		got[0], got[1] = WebhookSignatureHeaders(r.Header)
	}))
	defer srv.Close()
	for _, spelling := range WebhookHeaderSpellings {
		req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader("{}"))
		req.Header[spelling[0]] = []string{"17"}
		req.Header[spelling[1]] = []string{"ab"}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if got != [2]string{"17", "ab"} {
			t.Errorf("with %v the server read %q", spelling, got)
		}
	}
	h := http.Header{}
	SetWebhookSignatureHeaders(h, "1", "s")
	// The underscore spelling is set in the map as is, not canonicalized: read it the same way.
	underscore := [2]string{h[HeaderWebhookTimestamp][0], h[HeaderWebhookSignature][0]} //nolint:staticcheck // deliberately not canonical
	if underscore != [2]string{"1", "s"} || h.Get("Biz-Timestamp") != "1" || h.Get("Biz-Resp-Signature") != "s" {
		t.Errorf("SetWebhookSignatureHeaders set %v", h)
	}
}

func TestValidateWebhookURL(t *testing.T) {
	t.Parallel()
	ok := []string{
		"https://example.com/hook", "https://example.com:8443/a?b=c", "http://127.0.0.1:8080/hook",
		"http://localhost/hook", "http://[::1]:9/x", "http://127.1.2.3/", "http://app.localhost/x",
		"https://" + strings.Repeat("a", WebhookURLMaxLength-len("https://")),
	}
	bad := map[string]string{
		"example.com/hook":        "not an absolute URL",
		"/hook":                   "not an absolute URL",
		"":                        "not an absolute URL",
		"http://example.com/hook": "not loopback",
		"http://10.0.0.1/hook":    "not loopback",
		"ftp://example.com/hook":  `the scheme "ftp"`,
		"https://":                "not an absolute URL",
		"https://" + strings.Repeat("a", WebhookURLMaxLength): "at most 500 characters",
	}
	for _, u := range ok {
		if err := ValidateWebhookURL(u); err != nil {
			t.Errorf("%q: %v", u, err)
		}
	}
	for u, want := range bad {
		err := ValidateWebhookURL(u)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "url must be") {
			t.Errorf("%q: got %v, want an error saying %q", u, err, want)
		}
	}
}

func TestWebhookPathsAreCheckedAndEscaped(t *testing.T) {
	t.Parallel()
	p, err := webhookPath("a*b", "e:1")
	if err != nil || p != "/webhooks/endpoints/a%2Ab/events/e:1" {
		t.Errorf("got %q, %v", p, err)
	}
	for _, ids := range [][]string{{""}, {".."}, {"a/b"}, {"ok", "x?y"}} {
		if _, err := webhookPath(ids...); err == nil {
			t.Errorf("%q accepted", ids)
		}
	}
	if _, err := webhookPath("ok", ""); err == nil || !strings.Contains(err.Error(), "event_id") {
		t.Errorf("an empty event id: %v", err)
	}
}

func TestValidateWebhookEndpointIDNamesTheField(t *testing.T) {
	t.Parallel()
	if err := ValidateWebhookEndpointID("8f2e919a-6a7b-4a9b-8c1a-4c0b3f5b8b1f"); err != nil {
		t.Errorf("a uuid: %v", err)
	}
	for _, id := range []string{"", "..", "a/b", "x?limit=1"} {
		if err := ValidateWebhookEndpointID(id); err == nil || !strings.Contains(err.Error(), "endpoint_id") {
			t.Errorf("%q: got %v, want an error naming endpoint_id", id, err)
		}
	}
}

// WebhookEventTypes and WebhookEndpointStatuses are the spec's enums; when the spec is at hand (CI has
// ../shared) they are compared with it.
func TestWebhookEnumsMatchTheSpec(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "cobo-api", "webhooks.openapi.yaml"))
	if err != nil {
		t.Skip("../shared/cobo-api is not here (only CI and the project's machines have it)")
	}
	spec := string(raw)
	for name, want := range map[string][]string{"WebhookEventType": WebhookEventTypes, "WebhookEndpointStatus": WebhookEndpointStatuses, "WebhookEventStatus": WebhookEventStatuses} {
		if got := specEnum(t, spec, name); strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s: the spec has %v, the code %v", name, got, want)
		}
	}
}

// specEnum reads the enum list of a top-level schema from the YAML text (these enums are flat lists).
func specEnum(t *testing.T, spec, schema string) []string {
	t.Helper()
	i := strings.Index(spec, "\n    "+schema+":\n")
	if i < 0 {
		t.Fatalf("no schema %s in the spec", schema)
	}
	block := spec[i:]
	block = block[strings.Index(block, "      enum:\n")+len("      enum:\n"):]
	var out []string
	for _, line := range strings.Split(block, "\n") {
		v, ok := strings.CutPrefix(line, "      - ")
		if !ok {
			break
		}
		out = append(out, v)
	}
	return out
}
