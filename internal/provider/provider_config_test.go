package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// Every provider argument's invalid values: each diagnostic names the argument, says what is
// accepted, never repeats a secret, and nothing reaches Cobo.
func TestAccProviderConfig_invalidArguments(t *testing.T) {
	env := newTestEnv(t)
	const badSecret = "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1fzz"
	cases := []struct {
		name, block string
		env         map[string]string
		want        string
	}{
		{"secret too short", `api_secret = "abcd"`, nil, `api_secret must be 64 hexadecimal characters.*has 4 characters`},
		{"secret not hex", `api_secret = "` + badSecret + `"`, nil, `api_secret must be 64 hexadecimal characters.*not hexadecimal`},
		{"secret from env not hex", ``, map[string]string{EnvAPISecret: badSecret}, `api_secret must be.*COBO_API_SECRET environment variable`},
		{"no secret at all", ``, map[string]string{EnvAPISecret: ""}, `Missing Cobo API secret.*COBO_API_SECRET`},
		{"unknown env", `env = "staging"`, nil, `env.*value must be one of.*"dev".*"prod"`},
		{"unknown env from env", ``, map[string]string{EnvEnv: "staging"}, `env must be "dev" or "prod", got "staging".*COBO_ENV`},
		{"host not a URL", `host = "api.cobo.com"`, nil, `host must be an absolute http or https URL`},
		{"host with another scheme", `host = "ftp://127.0.0.1/v2"`, nil, `host must be an absolute http or https URL`},
		{"host from env", ``, map[string]string{EnvHost: "127.0.0.1:1/v2"}, `host must be an absolute.*COBO_HOST`},
		{"host without /v2", `host = "` + env.server.URL + `"`, nil, `Invalid Cobo host.*host must be the API's base URL, whose path ends in /v2.*got "` + env.server.URL + `".*Did you mean "` + env.server.URL + `/v2"`},
		{"host from env without /v2", ``, map[string]string{EnvHost: env.server.URL + "/"}, `host must be the API's base URL, whose path ends in /v2.*COBO_HOST`},
		{"max_retries too high", `max_retries = 11`, nil, `max_retries.*between 0 and 10`},
		{"max_retries negative", `max_retries = -1`, nil, `max_retries.*between 0 and 10`},
		{"negative rate", `requests_per_second = -1`, nil, `requests_per_second.*at least 0`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv(EnvAPISecret, env.secret)
			t.Setenv(EnvHost, env.server.BaseURL)
			t.Setenv(EnvEnv, "")
			for k, v := range c.env {
				t.Setenv(k, v)
			}
			cfg := fmt.Sprintf("provider \"cobo\" {\n  %s\n}\n", c.block) + `data "cobo_payment_order" "x" { order_id = "O1" }`
			unitTest(t, resource.TestCase{
				Steps: []resource.TestStep{{
					Config:      cfg,
					ExpectError: expectWords(c.want),
				}},
			})
		})
	}
	if n := len(env.sandbox.Requests()); n != 0 {
		t.Errorf("a misconfigured provider must not call Cobo; %d requests did", n)
	}
}

// The secret must not appear in any diagnostic, including Terraform's own rendering of it.
func TestAccProviderConfig_secretNeverInDiagnostics(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	secretish := strings.Repeat("ab", 31) + "z!" // 64 characters, not hex
	var rendered string
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf("provider \"cobo\" {\n  host = %q\n  api_secret = %q\n}\n", env.server.BaseURL, secretish) + `data "cobo_payment_order" "x" { order_id = "O1" }`,
		}},
		// Capture the error Terraform rendered instead of matching it, to search it afterwards.
		ErrorCheck: func(err error) error {
			rendered = err.Error()
			return nil
		},
	})
	if !regexp.MustCompile(`(?s)api_secret\s+must\s+be\s+64\s+hexadecimal`).MatchString(rendered) {
		t.Fatalf("want the invalid-secret diagnostic, got %q", rendered)
	}
	if strings.Contains(rendered, secretish) || strings.Contains(rendered, "ababababab") {
		t.Errorf("the secret appears in what Terraform printed:\n%s", rendered)
	}
}

// Provider arguments that come from another resource are unknown during the first plan: the plan
// must still work and the apply must use the real values.
func TestAccProviderConfig_unknownValuesFromAnotherResource(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	cfg := fmt.Sprintf(`
resource "terraform_data" "endpoint" {
  input = %q
}
provider "cobo" {
  host       = terraform_data.endpoint.output
  api_secret = %q
}
`, env.server.BaseURL, env.secret) + orderConfig(`merchant_id = "M1"`, `psp_order_code = "psp-unknown-cfg"`, `payable_currency = "ETH_USDT"`, `fee_amount = "0"`, `payable_amount = "1.00"`)
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:            cfg,
			ConfigPlanChecks:  emptyPlanAfterApply,
			ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("status"), knownvalue.StringExact("Pending"))},
		}},
	})
	if n := env.sandbox.OrderCountByPspOrderCode(env.apiKey, "psp-unknown-cfg"); n != 1 {
		t.Errorf("want one order, got %d", n)
	}
}

// The client never logs the secret; masking is the second line of defence, checked here directly.
func TestMaskSecretMasksMessagesAndFields(t *testing.T) {
	t.Parallel()
	secret := strings.Repeat("0f", 32)
	var out bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &out)
	ctx = maskSecret(ctx, secret)
	tflog.Trace(ctx, "message with "+secret, map[string]any{"field": "x" + secret + "y"})
	tflogLogger{secret: secret}.Debug(tflogtest.RootLogger(context.Background(), &out), "adapter "+secret, map[string]any{"f": secret})
	if strings.Contains(out.String(), secret) {
		t.Fatalf("secret not masked: %s", out.String())
	}
	var lines int
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var entry map[string]any
		if err := json.Unmarshal([]byte(l), &entry); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(fmt.Sprint(entry), "***") {
			t.Errorf("want the secret replaced by ***, got %v", entry)
		}
		lines++
	}
	if lines != 2 {
		t.Fatalf("want 2 log entries, got %d", lines)
	}
}

// The provider block beats the environment; within each, host beats env.
func TestResolveBaseURLPrecedence(t *testing.T) {
	str := func(v string) types.String {
		if v == "" {
			return types.StringNull()
		}
		return types.StringValue(v)
	}
	for _, c := range []struct{ host, env, envHost, envEnv, want string }{
		{want: cobo.DevBaseURL},
		{envEnv: "prod", want: cobo.ProdBaseURL},
		{envHost: "http://h:1/v2", envEnv: "prod", want: "http://h:1/v2"},
		{env: "prod", envHost: "http://h:1/v2", want: cobo.ProdBaseURL},
		{env: "dev", envEnv: "prod", want: cobo.DevBaseURL},
		{host: "http://x:2/v2", env: "prod", envHost: "http://h:1/v2", want: "http://x:2/v2"},
	} {
		t.Setenv(EnvHost, c.envHost)
		t.Setenv(EnvEnv, c.envEnv)
		var inBlock, outside diag.Diagnostics
		got := resolveBaseURL(coboProviderModel{Host: str(c.host), Env: str(c.env)}, &inBlock, &outside)
		if got != c.want || inBlock.HasError() || outside.HasError() {
			t.Errorf("%+v: got %q (%v %v), want %q", c, got, inBlock, outside, c.want)
		}
	}
}
