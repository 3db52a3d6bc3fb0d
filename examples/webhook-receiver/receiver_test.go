package main

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"go/parser"
	"go/token"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox/sandboxtest"
)

// The receiver is for users to copy: its code (not its tests) imports the standard library only.
func TestStandardLibraryOnly(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		parsed, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range parsed.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			// Standard library paths have no dot in their first element; modules do (github.com/...).
			if first, _, _ := strings.Cut(path, "/"); strings.Contains(first, ".") {
				t.Errorf("%s imports %s, which is not in the standard library", f, path)
			}
		}
		checked++
	}
	if checked < 2 {
		t.Fatalf("checked %d files, want main.go and receiver.go at least", checked)
	}
}

func testKey(seed byte) (ed25519.PrivateKey, ed25519.PublicKey) {
	priv := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
	return priv, priv.Public().(ed25519.PublicKey)
}

// verify agrees with the project's signer (internal/cobo, which the sandbox signs with); a changed
// byte of the body or timestamp, another key, or a malformed signature fails.
func TestVerify(t *testing.T) {
	t.Parallel()
	priv, pub := testKey(7)
	_, otherPub := testKey(8)
	body := []byte(`{"event_id":"e1","type":"payment.order.status.updated","data":{"order_id":"O1","status":"Completed"}}`)
	const ts = "1764670000123"
	sig := cobo.SignWebhook(priv, body, ts)
	if err := verify(pub, body, ts, sig); err != nil {
		t.Fatalf("a signature made by internal/cobo does not verify: %v", err)
	}
	if err := cobo.VerifyWebhook(hex.EncodeToString(pub), sig, body, ts); err != nil {
		t.Fatalf("internal/cobo does not verify its own signature: %v", err)
	}
	for i := range body {
		changed := bytes.Clone(body)
		changed[i] ^= 0x01
		if verify(pub, changed, ts, sig) == nil {
			t.Fatalf("a body with byte %d changed verifies", i)
		}
	}
	for name, tc := range map[string]struct {
		key       ed25519.PublicKey
		ts, sig   string
		wantWords string
	}{
		"another key":        {otherPub, ts, sig, "another key"},
		"another timestamp":  {pub, "1764670000124", sig, "does not match"},
		"no timestamp":       {pub, "", sig, "headers are missing"},
		"no signature":       {pub, ts, "", "headers are missing"},
		"signature not hex":  {pub, ts, strings.Repeat("zz", 64), "128 hexadecimal"},
		"signature cut":      {pub, ts, sig[:126], "128 hexadecimal"},
		"signature upper":    {pub, ts, strings.ToUpper(sig), ""}, // hex is case-insensitive
		"trailing body byte": {pub, ts, cobo.SignWebhook(priv, append(bytes.Clone(body), '\n'), ts), "does not match"},
	} {
		err := verify(tc.key, body, tc.ts, tc.sig)
		if tc.wantWords == "" {
			if err != nil {
				t.Errorf("%s: %v, want it to verify", name, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.wantWords) {
			t.Errorf("%s: %v, want an error containing %q", name, err, tc.wantWords)
		}
	}
}

func TestParsePublicKey(t *testing.T) {
	t.Parallel()
	if k, err := parsePublicKey(cobo.WebhookPublicKeyDev); err != nil || hex.EncodeToString(k) != cobo.WebhookPublicKeyDev {
		t.Errorf("Cobo's development key: %v", err)
	}
	for _, bad := range []string{"", "abc", strings.Repeat("g", 64), cobo.WebhookPublicKeyDev + "00"} {
		if _, err := parsePublicKey(bad); err == nil {
			t.Errorf("parsePublicKey(%q) accepted it", bad)
		}
	}
}

// post sends body signed with priv at ts, with the headers in one spelling, and returns the status.
func post(t *testing.T, url string, priv ed25519.PrivateKey, body, ts string, underscores bool) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	sig := cobo.SignWebhook(priv, []byte(body), ts)
	if underscores {
		req.Header["BIZ_TIMESTAMP"], req.Header["BIZ_RESP_SIGNATURE"] = []string{ts}, []string{sig}
	} else {
		req.Header.Set("Biz-Timestamp", ts)
		req.Header.Set("Biz-Resp-Signature", sig)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}

// The handler: either header spelling, a repeat acknowledged but handled once, 400 for another key,
// a stale timestamp under -max-age or a body that is not an event.
func TestReceiverHandler(t *testing.T) {
	t.Parallel()
	priv, pub := testKey(9)
	other, _ := testKey(10)
	var out, log sandboxtest.Buffer
	now := time.UnixMilli(1764670000000)
	recv := newReceiver(pub, 5*time.Minute, &out, &log)
	recv.now = func() time.Time { return now }
	srv := httptest.NewServer(recv)
	defer srv.Close()

	const ev = `{"event_id":"e1","type":"payment.transaction.created","data":{"data_type":"PaymentTransaction","transaction_id":"tx1","order_id":"O1","status":"Confirming","destination":{"amount":"5.00"}}}`
	fresh, stale := "1764670060000", "1764669000000"
	for _, tc := range []struct {
		name        string
		key         ed25519.PrivateKey
		body, ts    string
		underscores bool
		want        int
	}{
		{"dash spelling", priv, ev, fresh, false, 200},
		{"underscore spelling, same event again", priv, ev, fresh, true, 200},
		{"another key", other, strings.Replace(ev, "e1", "e2", 1), fresh, false, cobo.WebhookRejectStatus},
		{"stale timestamp", priv, strings.Replace(ev, "e1", "e3", 1), stale, false, cobo.WebhookRejectStatus},
		{"not an event", priv, `{"hello":1}`, fresh, false, 400},
	} {
		if got := post(t, srv.URL, tc.key, tc.body, tc.ts, tc.underscores); got != tc.want {
			t.Errorf("%s: answered %d, want %d", tc.name, got, tc.want)
		}
	}
	wantOut := "verified event_id=e1 type=payment.transaction.created order_id=O1 transaction_id=tx1 amount=5.00 status=Confirming\n" +
		"verified event_id=e1 type=payment.transaction.created duplicate, already handled\n"
	if out.String() != wantOut {
		t.Errorf("stdout = %q, want %q", out.String(), wantOut)
	}
	for _, want := range []string{"rejected (400): the signature does not match", "rejected (400): the timestamp 1764669000000 is 16m40s from", "rejected (400): the body is not"} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("stderr = %q, want it to contain %q", log.String(), want)
		}
	}
}

// The program refuses to start without a key, naming the flag.
func TestRunNeedsPublicKey(t *testing.T) {
	t.Setenv("COBO_WEBHOOK_PUBLIC_KEY", "") // the flag's default; Setenv rules out t.Parallel
	var stderr bytes.Buffer
	err := run([]string{"-addr", "127.0.0.1:0"}, os.Stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "-public-key: required") {
		t.Errorf("run without -public-key: %v", err)
	}
}
