package cobo

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Header names of Cobo's API-key authentication.
const (
	HeaderAPIKey    = "Biz-Api-Key"
	HeaderNonce     = "Biz-Api-Nonce"
	HeaderSignature = "Biz-Api-Signature"
)

// SecretFormat says in words what an API secret is, for errors and docs.
const SecretFormat = "64 hexadecimal characters (the hex of a 32-byte Ed25519 seed)"

// ErrMalformedSecret is returned for an API secret that is not the hex of a 32-byte Ed25519 seed.
// It never contains the secret itself.
var ErrMalformedSecret = errors.New("the API secret must be " + SecretFormat)

// StringToSign is METHOD|PATH|NONCE|QUERY|BODY as Cobo defines it: the upper-case method, the URL path
// as sent (including /v2), the nonce, the raw query string without '?', and the body bytes as sent.
func StringToSign(method, path, nonce, query string, body []byte) []byte {
	var b strings.Builder
	b.Grow(len(method) + len(path) + len(nonce) + len(query) + len(body) + 4)
	b.WriteString(strings.ToUpper(method))
	b.WriteByte('|')
	b.WriteString(path)
	b.WriteByte('|')
	b.WriteString(nonce)
	b.WriteByte('|')
	b.WriteString(query)
	b.WriteByte('|')
	b.Write(body)
	return []byte(b.String())
}

// Digest is SHA256(SHA256(string to sign)): the message Cobo's Ed25519 signature covers.
func Digest(method, path, nonce, query string, body []byte) []byte {
	first := sha256.Sum256(StringToSign(method, path, nonce, query, body))
	second := sha256.Sum256(first[:])
	return second[:]
}

// Signer signs requests with an API secret. It never exposes the secret.
type Signer struct {
	key    ed25519.PrivateKey
	apiKey string
}

// NewSigner builds a Signer from the hex API secret (a 32-byte Ed25519 seed).
func NewSigner(secretHex string) (*Signer, error) {
	if len(secretHex) != 2*ed25519.SeedSize {
		return nil, ErrMalformedSecret
	}
	seed, err := hex.DecodeString(secretHex)
	if err != nil {
		return nil, ErrMalformedSecret
	}
	key := ed25519.NewKeyFromSeed(seed)
	pub, ok := key.Public().(ed25519.PublicKey)
	if !ok {
		return nil, ErrMalformedSecret
	}
	return &Signer{key: key, apiKey: hex.EncodeToString(pub)}, nil
}

// APIKey is the hex public key sent as Biz-Api-Key.
func (s *Signer) APIKey() string { return s.apiKey }

// Sign returns the lowercase hex signature of one request.
func (s *Signer) Sign(method, path, nonce, query string, body []byte) string {
	return hex.EncodeToString(ed25519.Sign(s.key, Digest(method, path, nonce, query, body)))
}

// SetHeaders signs one request: it sets Biz-Api-Key, Biz-Api-Nonce and Biz-Api-Signature on h, the
// signature covering the method, the raw path, nonce, query and body that go on the wire.
func (s *Signer) SetHeaders(h http.Header, method, path, nonce, query string, body []byte) {
	h.Set(HeaderAPIKey, s.apiKey)
	h.Set(HeaderNonce, nonce)
	h.Set(HeaderSignature, s.Sign(method, path, nonce, query, body))
}

// String keeps the secret out of any accidental formatting of a Signer. Value receivers, so that a
// Signer value (not only a *Signer) is covered too.
func (s Signer) String() string { return fmt.Sprintf("cobo.Signer{api_key: %s}", s.apiKey) }

// GoString keeps the secret out of %#v as well.
func (s Signer) GoString() string { return s.String() }

// Verify checks a request signature as a Cobo server does: over the raw path, query and body received.
func Verify(apiKeyHex, signatureHex, method, path, nonce, query string, body []byte) error {
	pub, err := hex.DecodeString(apiKeyHex)
	if err != nil || len(pub) != ed25519.PublicKeySize {
		return errors.New("the API key must be 64 hexadecimal characters")
	}
	sig, err := hex.DecodeString(signatureHex)
	if err != nil || len(sig) != ed25519.SignatureSize {
		return errors.New("the signature must be 128 hexadecimal characters")
	}
	if !ed25519.Verify(ed25519.PublicKey(pub), Digest(method, path, nonce, query, body), sig) {
		return errors.New("the signature does not match the request")
	}
	return nil
}
