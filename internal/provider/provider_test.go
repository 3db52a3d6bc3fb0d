package provider

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox/sandboxtest"
)

// protoV6ProviderFactories serves the provider in-process to the Terraform CLI the tests drive.
var protoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"cobo": func() (tfprotov6.ProviderServer, error) { return NewServer("test")(), nil },
}

// testEnv is one in-process sandbox and one organization (API key) in it.
type testEnv struct {
	t       *testing.T
	server  *sandboxtest.Server
	sandbox *sandbox.Sandbox
	secret  string
	apiKey  string
	client  *cobo.Client
}

// newTestEnv is newSandboxEnv for acceptance tests, which drive the Terraform CLI: they run only with
// TF_ACC set, as terraform-plugin-testing expects.
func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	return newTestEnvWith(t, sandbox.Options{})
}

// newTestEnvWith is newTestEnv with a sandbox configured by opts.
func newTestEnvWith(t *testing.T, opts sandbox.Options) *testEnv {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (make test does)")
	}
	return newSandboxEnvWith(t, opts)
}

// newSandboxEnv starts a sandbox on 127.0.0.1 with a random port and a fresh random API secret, so
// every test has its own organization and its own orders.
func newSandboxEnv(t *testing.T) *testEnv {
	t.Helper()
	return newSandboxEnvWith(t, sandbox.Options{})
}

func newSandboxEnvWith(t *testing.T, opts sandbox.Options) *testEnv {
	t.Helper()
	seed := make([]byte, 32)
	if _, err := rand.Read(seed); err != nil {
		t.Fatal(err)
	}
	secret := hex.EncodeToString(seed)
	srv := sandboxtest.New(t, opts)
	client, err := cobo.New(cobo.Config{BaseURL: srv.BaseURL, APISecret: secret, UserAgent: "provider-tests"})
	if err != nil {
		t.Fatal(err)
	}
	return &testEnv{t: t, server: srv, sandbox: srv.Sandbox, secret: secret, apiKey: client.APIKey(), client: client}
}

// providerBlock configures the provider against this env's sandbox.
func (e *testEnv) providerBlock() string {
	return fmt.Sprintf(`
provider "cobo" {
  host        = %q
  api_secret  = %q
  max_retries = 2
}
`, e.server.BaseURL, e.secret)
}

// config prepends the provider block to a test configuration.
func (e *testEnv) config(body string) string { return e.providerBlock() + body }

// seedOrder creates an order directly through the client, as another system would.
func (e *testEnv) seedOrder(req cobo.CreateOrderRequest) *cobo.Order {
	e.t.Helper()
	o, err := e.client.CreatePaymentOrder(e.t.Context(), req)
	if err != nil {
		e.t.Fatalf("seeding order %q: %v", req.PspOrderCode, err)
	}
	return o
}

// pay simulates a payment through the sandbox helper.
func (e *testEnv) pay(orderID, amount string, confirmed bool) {
	e.t.Helper()
	if _, err := e.sandbox.Pay(orderID, sandbox.Payment{Amount: amount, Confirmed: &confirmed}); err != nil {
		e.t.Fatalf("paying %s into %s: %v", amount, orderID, err)
	}
}

func ptr[T any](v T) *T { return &v }

// expectWords matches an error message by its words, wherever Terraform wraps its lines: each space in
// pattern matches any run of white space, and . matches newlines.
func expectWords(pattern string) *regexp.Regexp {
	return regexp.MustCompile(`(?s)` + strings.ReplaceAll(pattern, " ", `\s+`))
}

// expectDiagnostic matches a diagnostic's summary and its detail each on its own, as expectWords does,
// with anything between them: Terraform 1.15 prints an action's error as "summary: detail" on one line,
// 1.16 puts a "with action..., called from ..." block between them, and resources differ again.
func expectDiagnostic(summary, detail string) *regexp.Regexp {
	return expectWords(summary + `.*` + detail)
}
