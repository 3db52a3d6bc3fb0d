package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// guidePath is the template of the guide "Receive order events"; docs/ is rendered from it.
var guidePath = filepath.Join("..", "..", "templates", "guides", "receive-order-events.md.tmpl")

func readGuide(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile(guidePath)
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// guideVector is the test vector of the guide's "Test your verifier", as written there.
type guideVector struct {
	publicKey, timestamp, body, inner, outer, signature string
}

// readGuideVector parses the vector out of the guide: each "label: value" line once, the value being
// everything after the label and its spaces (the body's bytes exactly).
func readGuideVector(t *testing.T) guideVector {
	t.Helper()
	guide := readGuide(t)
	field := func(label string) string {
		re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(label) + `: +(\S.*)$`)
		found := re.FindAllStringSubmatch(guide, -1)
		if len(found) != 1 {
			t.Fatalf("%s: %d lines %q, want one", guidePath, len(found), label+":")
		}
		return found[0][1]
	}
	return guideVector{
		publicKey: field("public key"), timestamp: field("timestamp"), body: field("body"),
		inner: field("inner SHA-256"), outer: field("outer SHA-256"), signature: field("signature"),
	}
}

// The guide's test vector verifies with the project's verifier (internal/cobo, which the sandbox signs
// with) and the Go example's; its digests are the raw-byte ones; a changed byte fails.
func TestGuideTestVector(t *testing.T) {
	t.Parallel()
	v := readGuideVector(t)
	if err := cobo.VerifyWebhook(v.publicKey, v.signature, []byte(v.body), v.timestamp); err != nil {
		t.Fatalf("internal/cobo does not verify the guide's vector: %v", err)
	}
	key, err := parsePublicKey(v.publicKey)
	if err != nil {
		t.Fatalf("the guide's public key: %v", err)
	}
	if err := verify(key, []byte(v.body), v.timestamp, v.signature); err != nil {
		t.Fatalf("the Go example does not verify the guide's vector: %v", err)
	}
	inner := sha256.Sum256([]byte(v.body + "|" + v.timestamp))
	outer := sha256.Sum256(inner[:]) // over the 32 raw bytes, not their hex
	if got := hex.EncodeToString(inner[:]); got != v.inner {
		t.Errorf("inner SHA-256 is %s, the guide says %s", got, v.inner)
	}
	if got := hex.EncodeToString(outer[:]); got != v.outer || got != hex.EncodeToString(cobo.WebhookDigest([]byte(v.body), v.timestamp)) {
		t.Errorf("outer SHA-256 is %s, the guide says %s", got, v.outer)
	}
	hexInner := sha256.Sum256([]byte(v.inner)) // the mistake the guide warns about
	if hex.EncodeToString(hexInner[:]) == v.outer {
		t.Error("the outer digest over the inner one's hex equals the raw one: the vector cannot tell them apart")
	}
	changedBody := strings.Replace(v.body, "100.00", "100.01", 1)
	changedTimestamp := v.timestamp[:len(v.timestamp)-1] + "4"
	for name, c := range map[string][2]string{"a changed body": {changedBody, v.timestamp}, "a changed timestamp": {v.body, changedTimestamp}} {
		if cobo.VerifyWebhook(v.publicKey, v.signature, []byte(c[0]), c[1]) == nil {
			t.Errorf("the guide's vector with %s verifies", name)
		}
	}
	var ev struct {
		EventID string `json:"event_id"`
		Data    struct {
			Destination struct {
				Amount string `json:"amount"`
			} `json:"destination"`
		} `json:"data"`
	}
	if err := json.Unmarshal([]byte(v.body), &ev); err != nil || ev.EventID == "" || ev.Data.Destination.Amount == "" {
		t.Errorf("the guide's body is not a transaction event with an event_id and data.destination.amount: %v", err)
	}
}

// The guide states the answer to a bad signature and the retry span as internal/cobo decides them.
func TestGuideRetriesAndRejection(t *testing.T) {
	t.Parallel()
	guide := readGuide(t)
	var span time.Duration
	for _, d := range cobo.WebhookRetrySchedule {
		span += d
	}
	for _, want := range []string{
		fmt.Sprintf("Answer `%d`", cobo.WebhookRejectStatus),
		fmt.Sprintf("up to %d times, over about %d hours", cobo.WebhookMaxRetries, int(span.Hours())),
	} {
		if !strings.Contains(guide, want) {
			t.Errorf("%s does not say %q", guidePath, want)
		}
	}
}

// guideTransactionFields are the fields the guide's table lists for a payment.transaction.created
// event's data (dotted paths, such as destination.amount).
func guideTransactionFields(t *testing.T) []string {
	t.Helper()
	row := regexp.MustCompile("(?m)^\\| `payment\\.transaction\\.created` \\|.*\\| `PaymentTransaction`: (.*) \\|$").FindStringSubmatch(readGuide(t))
	if row == nil {
		t.Fatalf("%s has no table row for payment.transaction.created listing PaymentTransaction fields", guidePath)
	}
	// The fields are the backquoted names before any explanation in parentheses.
	var fields []string
	for _, item := range strings.Split(row[1], ", ") {
		if m := regexp.MustCompile("^`([a-z_.]+)`").FindStringSubmatch(item); m != nil {
			fields = append(fields, m[1])
		}
	}
	if len(fields) < 3 {
		t.Fatalf("%s lists %v for a transaction event, want at least three fields", guidePath, fields)
	}
	return fields
}

// checkHasFields fails unless data (a JSON object) has every dotted path.
func checkHasFields(t *testing.T, data json.RawMessage, paths []string) {
	t.Helper()
	for _, path := range paths {
		var node any
		if err := json.Unmarshal(data, &node); err != nil {
			t.Fatal(err)
		}
		for _, name := range strings.Split(path, ".") {
			obj, _ := node.(map[string]any)
			node = obj[name]
		}
		if node == nil {
			t.Errorf("the guide lists %s for a transaction event, which the sandbox's event lacks: %s", path, data)
		}
	}
}
