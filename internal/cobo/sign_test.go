package cobo

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestSignReproducesReadmeVectors(t *testing.T) {
	t.Parallel()
	s, err := NewSigner(testSecret)
	if err != nil {
		t.Fatalf("NewSigner: %v", err)
	}
	for _, v := range readmeVectors {
		t.Run(v.name, func(t *testing.T) {
			got := s.Sign(v.method, v.path, testNonce, v.query, []byte(v.body))
			if got != v.sig {
				t.Errorf("Sign = %s\nwant   %s", got, v.sig)
			}
		})
	}
}

// The three expire bodies differ only in a trailing newline or a space; each must give its own signature.
// SetHeaders sets the three headers a Cobo server verifies, the signature over exactly what it was given.
func TestSetHeadersSignsTheRequest(t *testing.T) {
	t.Parallel()
	s, err := NewSigner(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{}
	s.SetHeaders(h, "POST", "/v2/payments/orders", testNonce, "a=1", []byte(`{"x":1}`))
	if h.Get(HeaderAPIKey) != s.APIKey() || h.Get(HeaderNonce) != testNonce {
		t.Fatalf("headers %v, want the API key and the nonce %s", h, testNonce)
	}
	if err := Verify(h.Get(HeaderAPIKey), h.Get(HeaderSignature), "POST", "/v2/payments/orders", testNonce, "a=1", []byte(`{"x":1}`)); err != nil {
		t.Fatalf("the signature of SetHeaders does not verify: %v", err)
	}
}

func TestSignBodyBytesMatter(t *testing.T) {
	t.Parallel()
	if readmeVectors[0].sig == readmeVectors[2].sig || readmeVectors[0].sig == readmeVectors[3].sig {
		t.Fatal("the README vectors for the three expire bodies must differ")
	}
	if !strings.HasSuffix(readmeVectors[2].body, "}\n") || !strings.Contains(readmeVectors[3].body, ": true") {
		t.Fatal("vector 3 must end in a newline and vector 4 must contain a space")
	}
}

func TestStringToSignAndDigest(t *testing.T) {
	t.Parallel()
	got := string(StringToSign("put", "/v2/payments/orders/O1", testNonce, "", []byte("{\"expired\":true}\n")))
	want := "PUT|/v2/payments/orders/O1|1700000000000||{\"expired\":true}\n"
	if got != want {
		t.Errorf("StringToSign = %q, want %q", got, want)
	}
	got = string(StringToSign("GET", "/v2/payments/orders", "1", "a=1&b=2", nil))
	if want = "GET|/v2/payments/orders|1|a=1&b=2|"; got != want {
		t.Errorf("StringToSign = %q, want %q", got, want)
	}

	first := sha256.Sum256([]byte(want))
	second := sha256.Sum256(first[:])
	if d := Digest("GET", "/v2/payments/orders", "1", "a=1&b=2", nil); hex.EncodeToString(d) != hex.EncodeToString(second[:]) {
		t.Errorf("Digest = %x, want SHA256(SHA256(s)) = %x", d, second)
	}
}

func TestNewSignerDerivesReadmeAPIKey(t *testing.T) {
	t.Parallel()
	for _, secret := range []string{testSecret, strings.ToUpper(testSecret)} {
		s, err := NewSigner(secret)
		if err != nil {
			t.Fatalf("NewSigner(%s...): %v", secret[:8], err)
		}
		if got := s.APIKey(); got != testAPIKey {
			t.Errorf("APIKey = %s, want %s", got, testAPIKey)
		}
	}
}

func TestVerifyAcceptsReadmeVectors(t *testing.T) {
	t.Parallel()
	for _, v := range readmeVectors {
		if err := Verify(testAPIKey, v.sig, v.method, v.path, testNonce, v.query, []byte(v.body)); err != nil {
			t.Errorf("%s: Verify: %v", v.name, err)
		}
	}
}

// flip changes one byte of s (appending one when s is empty), keeping it printable.
func flip(s string, i int) string {
	if s == "" {
		return "x"
	}
	b := []byte(s)
	i %= len(b)
	if b[i] == 'x' {
		b[i] = 'y'
	} else {
		b[i] = 'x'
	}
	return string(b)
}

// flipSig changes one bit of the signature while keeping it valid hex of the right length.
func flipSig(sig string, i int) string {
	raw, _ := hex.DecodeString(sig)
	raw[i%len(raw)] ^= 0x01
	return hex.EncodeToString(raw)
}

func TestVerifyRejectsTamperedRequests(t *testing.T) {
	t.Parallel()
	other, err := NewSigner(strings.Repeat("ab", 32))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range readmeVectors {
		for _, pos := range []int{0, 7, 1 << 20} {
			mutations := map[string]func() error{
				"body": func() error {
					return Verify(testAPIKey, v.sig, v.method, v.path, testNonce, v.query, []byte(flip(v.body, pos)))
				},
				"path": func() error {
					return Verify(testAPIKey, v.sig, v.method, flip(v.path, pos), testNonce, v.query, []byte(v.body))
				},
				"query": func() error {
					return Verify(testAPIKey, v.sig, v.method, v.path, testNonce, flip(v.query, pos), []byte(v.body))
				},
				"nonce": func() error {
					return Verify(testAPIKey, v.sig, v.method, v.path, flip(testNonce, pos), v.query, []byte(v.body))
				},
				"signature": func() error {
					return Verify(testAPIKey, flipSig(v.sig, pos), v.method, v.path, testNonce, v.query, []byte(v.body))
				},
				"method": func() error {
					return Verify(testAPIKey, v.sig, "DELETE", v.path, testNonce, v.query, []byte(v.body))
				},
				"api key": func() error {
					return Verify(other.APIKey(), v.sig, v.method, v.path, testNonce, v.query, []byte(v.body))
				},
			}
			for what, verify := range mutations {
				err := verify()
				if err == nil {
					t.Errorf("%s: Verify accepted a request with a changed %s (position %d)", v.name, what, pos)
				} else if !strings.Contains(err.Error(), "does not match") {
					t.Errorf("%s: changed %s: error %q, want a signature mismatch", v.name, what, err)
				}
			}
		}
	}
}

func TestVerifyRejectsMalformedInputs(t *testing.T) {
	t.Parallel()
	v := readmeVectors[0]
	cases := []struct {
		name, key, sig, want string
	}{
		{"empty signature", testAPIKey, "", "128 hexadecimal"},
		{"short signature", testAPIKey, v.sig[:126], "128 hexadecimal"},
		{"non-hex signature", testAPIKey, "zz" + v.sig[2:], "128 hexadecimal"},
		{"long signature", testAPIKey, v.sig + "00", "128 hexadecimal"},
		{"empty key", "", v.sig, "API key"},
		{"short key", testAPIKey[:62], v.sig, "API key"},
		{"non-hex key", "g" + testAPIKey[1:], v.sig, "API key"},
	}
	for _, c := range cases {
		err := Verify(c.key, c.sig, v.method, v.path, testNonce, v.query, []byte(v.body))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Verify error = %v, want one containing %q", c.name, err, c.want)
		}
	}
}

func TestNewSignerRejectsMalformedSecrets(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"empty":             "",
		"short":             "0102",
		"63 chars":          testSecret[:63],
		"65 chars":          testSecret + "0",
		"non-hex 64":        "g" + testSecret[1:],
		"0x prefix":         "0x" + testSecret[:62],
		"leading space":     " " + testSecret[:63],
		"trailing newline":  testSecret + "\n",
		"full private key":  testSecret + testAPIKey,
		"non-ASCII":         "é" + testSecret[2:],
		"spaces in between": strings.Replace(testSecret, "0e0f", "0e f", 1),
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			s, err := NewSigner(in)
			if err == nil || s != nil {
				t.Fatalf("NewSigner(%q) = %v, %v; want an error", in, s, err)
			}
			if !errors.Is(err, ErrMalformedSecret) {
				t.Errorf("error %v is not ErrMalformedSecret", err)
			}
			msg := err.Error()
			mustContain(t, msg, "64 hexadecimal characters")
			if in != "" && strings.Contains(msg, in) {
				t.Errorf("the error %q contains the input", msg)
			}
			for i := 0; i+12 <= len(in); i++ {
				if strings.Contains(msg, in[i:i+12]) {
					t.Fatalf("the error %q contains part of the input (%q)", msg, in[i:i+12])
				}
			}
		})
	}
}

// secretLeaks lists the forms in which the test secret could show up in formatted output.
func secretLeaks(s string) []string {
	var leaks []string
	seed, _ := hex.DecodeString(testSecret)
	forms := []string{
		testSecret, strings.ToUpper(testSecret),
		fmt.Sprintf("%v", seed[:8]),  // "[1 2 3 4 5 6 7 8" as %v prints a byte slice
		fmt.Sprintf("%#v", seed[:4]), // "[]byte{0x1, 0x2, 0x3, 0x4}"
		"0x1, 0x2, 0x3, 0x4",
		string(seed[:16]), // the raw bytes, as %s would print them
	}
	forms[2] = strings.TrimSuffix(forms[2], "]")
	for _, f := range forms {
		if strings.Contains(s, f) {
			leaks = append(leaks, f)
		}
	}
	return leaks
}

func TestSignerFormattingHidesSecret(t *testing.T) {
	t.Parallel()
	s, err := NewSigner(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	verbs := []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X"}
	values := map[string]any{"*Signer": s, "Signer": *s, "[]*Signer": []*Signer{s}, "struct holding *Signer": struct{ S *Signer }{s}}
	for what, v := range values {
		for _, verb := range verbs {
			out := fmt.Sprintf(verb, v)
			if leaks := secretLeaks(out); len(leaks) > 0 {
				t.Errorf("fmt %s of a %s leaks the secret as %q: %s", verb, what, leaks, out)
			}
		}
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		mustContain(t, fmt.Sprintf(verb, s), testAPIKey)
		mustContain(t, fmt.Sprintf(verb, *s), testAPIKey)
	}
}

func TestClientFormattingHidesSecret(t *testing.T) {
	t.Parallel()
	c := newTestClient(t, "http://127.0.0.1:1/v2")
	// How a provider might hold it: in an unexported field, where fmt does not call String().
	type providerData struct {
		client *Client
		name   string
	}
	values := map[string]any{"*Client": c, "struct holding *Client": providerData{client: c, name: "x"}}
	for what, v := range values {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
			out := fmt.Sprintf(verb, v)
			if leaks := secretLeaks(out); len(leaks) > 0 {
				t.Errorf("fmt %s of a %s leaks the secret as %q: %s", verb, what, leaks, out)
			}
		}
	}
	mustContain(t, fmt.Sprint(c), testAPIKey, "http://127.0.0.1:1/v2")
}
