package sandbox

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
)

// The sandbox signs the events it delivers with its own Ed25519 key, never with Cobo's (whose private
// keys nobody outside Cobo has): receivers under test verify with WebhookPublicKey instead of
// cobo.WebhookPublicKeyDev or cobo.WebhookPublicKeyProd. The key is made at first start and kept in
// the state file, so a restarted sandbox signs with the same key; Options.WebhookSecret fixes it.

// webhookKey is the signing key and its hex public key.
type webhookKey struct {
	seed      string // 64 hex characters (the Ed25519 seed), what the state file keeps
	private   ed25519.PrivateKey
	publicHex string
}

// newWebhookKey derives the key from a hex seed; an empty seed makes a random one.
func newWebhookKey(seedHex string) (*webhookKey, error) {
	if seedHex == "" {
		seed := make([]byte, ed25519.SeedSize)
		_, _ = rand.Read(seed)
		seedHex = hex.EncodeToString(seed)
	}
	seedHex = strings.ToLower(strings.TrimSpace(seedHex))
	seed, err := hex.DecodeString(seedHex)
	if err != nil || len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("the webhook secret must be %d hexadecimal characters (an Ed25519 seed), got %d characters", 2*ed25519.SeedSize, len(seedHex))
	}
	priv := ed25519.NewKeyFromSeed(seed) // the seed, then the public key
	return &webhookKey{seed: seedHex, private: priv, publicHex: hex.EncodeToString(priv[ed25519.SeedSize:])}, nil
}

// ValidateWebhookSecret checks an Options.WebhookSecret (the -webhook-secret flag) before a start.
func ValidateWebhookSecret(seedHex string) error {
	if seedHex == "" {
		return nil
	}
	_, err := newWebhookKey(seedHex)
	return err
}

// WebhookPublicKey is the hex Ed25519 public key that verifies the events this sandbox delivers (what
// cobo.VerifyWebhook takes), also printed by cobo-sandbox at start and served by GET /_sandbox and
// GET /_sandbox/webhooks/key.
func (s *Sandbox) WebhookPublicKey() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.webhookKey.publicHex
}
