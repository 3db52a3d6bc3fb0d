package main

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// maxEventBytes bounds the body read; Cobo's events are a few kilobytes.
const maxEventBytes = 1 << 20

// receiver is the endpoint's handler.
type receiver struct {
	publicKey ed25519.PublicKey
	maxAge    time.Duration    // 0: timestamps are not checked
	now       func() time.Time // the clock -max-age compares with
	out, log  io.Writer

	mu   sync.Mutex // guards seen and the writers
	seen map[string]bool
}

func newReceiver(key ed25519.PublicKey, maxAge time.Duration, out, log io.Writer) *receiver {
	return &receiver{publicKey: key, maxAge: maxAge, now: time.Now, out: out, log: log, seen: map[string]bool{}}
}

// event is the part of Cobo's WebhookEvent this receiver reads. data holds a PaymentOrder (the whole
// Order: order_id, status, ...) or a PaymentTransaction (a wallet Transaction with the pay-in fields:
// transaction_id, order_id, status, and the amount under destination).
type event struct {
	EventID string `json:"event_id"`
	Type    string `json:"type"`
	Data    struct {
		DataType      string `json:"data_type"`
		OrderID       string `json:"order_id"`
		TransactionID string `json:"transaction_id"`
		Status        string `json:"status"`
		Destination   struct {
			Amount string `json:"amount"`
		} `json:"destination"`
	} `json:"data"`
}

// ServeHTTP answers 400 to a delivery that does not verify (it did not come from the key's owner, or
// was changed) or is not an event, and 200 to every verified event, a repeated one included: Cobo sends
// an event again until it gets a 200 or 201, so a repeat must be acknowledged, just not handled twice.
// Any other answer is retried alike, so 400 is a choice, not a signal Cobo reads.
func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxEventBytes))
	if err != nil {
		rc.reject(w, http.StatusBadRequest, "reading the body: %v", err)
		return
	}
	// Verify the raw bytes as received, before decoding: re-encoded JSON would not match the signature.
	timestamp, signature := signatureHeaders(r.Header)
	if err := verify(rc.publicKey, body, timestamp, signature); err != nil {
		rc.reject(w, http.StatusBadRequest, "%v", err)
		return
	}
	if err := rc.checkAge(timestamp); err != nil {
		rc.reject(w, http.StatusBadRequest, "%v", err)
		return
	}
	var ev event
	if err := json.Unmarshal(body, &ev); err != nil || ev.EventID == "" {
		rc.reject(w, http.StatusBadRequest, "the body is not a webhook event with an event_id")
		return
	}
	rc.handle(ev)
	w.WriteHeader(http.StatusOK)
}

// handle prints a "verified" line with the event the first time its event_id arrives, and a shorter
// one for a repeat. An app would do
// its work here, recording event_id in the same database transaction (a unique key) instead of this
// in-memory set, which forgets everything on restart.
func (rc *receiver) handle(ev event) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.seen[ev.EventID] {
		fmt.Fprintf(rc.out, "verified event_id=%s type=%s duplicate, already handled\n", ev.EventID, ev.Type)
		return
	}
	rc.seen[ev.EventID] = true
	line := fmt.Sprintf("verified event_id=%s type=%s order_id=%s", ev.EventID, ev.Type, ev.Data.OrderID)
	if ev.Data.TransactionID != "" {
		line += fmt.Sprintf(" transaction_id=%s amount=%s", ev.Data.TransactionID, ev.Data.Destination.Amount)
	}
	fmt.Fprintf(rc.out, "%s status=%s\n", line, ev.Data.Status)
}

func (rc *receiver) reject(w http.ResponseWriter, status int, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	rc.mu.Lock()
	fmt.Fprintf(rc.log, "rejected (%d): %s\n", status, msg)
	rc.mu.Unlock()
	http.Error(w, msg, status)
}

// checkAge refuses a timestamp further than maxAge from now, which stops a recorded delivery from
// being replayed later. Cobo documents no window; the check is off unless -max-age is set.
func (rc *receiver) checkAge(timestamp string) error {
	if rc.maxAge <= 0 {
		return nil
	}
	ms, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return fmt.Errorf("the timestamp %q is not Unix milliseconds", timestamp)
	}
	if d := rc.now().Sub(time.UnixMilli(ms)); d > rc.maxAge || d < -rc.maxAge {
		return fmt.Errorf("the timestamp %s is %s from this machine's clock, more than -max-age %s", timestamp, d.Round(time.Second), rc.maxAge)
	}
	return nil
}

// signatureHeaders reads the timestamp and signature in either spelling: Cobo's guide writes
// BIZ_TIMESTAMP and BIZ_RESP_SIGNATURE, its samples read Biz-Timestamp and Biz-Resp-Signature, and
// proxies such as nginx drop names with underscores by default. Header.Get matches both cases.
func signatureHeaders(h http.Header) (timestamp, signature string) {
	first := func(names ...string) string {
		for _, n := range names {
			if v := h.Get(n); v != "" {
				return v
			}
		}
		return ""
	}
	return first("Biz-Timestamp", "BIZ_TIMESTAMP"), first("Biz-Resp-Signature", "BIZ_RESP_SIGNATURE")
}

// verify checks a delivery as Cobo signs it: an Ed25519 signature, hex encoded, of
// SHA256(SHA256(body + "|" + timestamp)), over the raw body and the timestamp header's value.
func verify(key ed25519.PublicKey, body []byte, timestamp, signatureHex string) error {
	if timestamp == "" || signatureHex == "" {
		return errors.New("no signature: the BIZ_TIMESTAMP and BIZ_RESP_SIGNATURE (or Biz-Timestamp and Biz-Resp-Signature) headers are missing")
	}
	sig, err := hex.DecodeString(signatureHex)
	if err != nil || len(sig) != ed25519.SignatureSize {
		return errors.New("the signature is not 128 hexadecimal characters")
	}
	msg := append(append(append([]byte{}, body...), '|'), timestamp...)
	first := sha256.Sum256(msg)
	digest := sha256.Sum256(first[:])
	if !ed25519.Verify(key, digest[:], sig) {
		return errors.New("the signature does not match: the body or timestamp was changed, or it was signed with another key")
	}
	return nil
}

// parsePublicKey reads a hex Ed25519 public key.
func parsePublicKey(s string) (ed25519.PublicKey, error) {
	if s == "" {
		return nil, errors.New("required: the sender's Ed25519 public key, hex of its raw 32 bytes, from -public-key or COBO_WEBHOOK_PUBLIC_KEY (cobo-sandbox webhooks key prints the sandbox's)")
	}
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("%q is not an Ed25519 public key of 64 hexadecimal characters", s)
	}
	return ed25519.PublicKey(b), nil
}
