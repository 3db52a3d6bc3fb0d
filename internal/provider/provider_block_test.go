package provider

import (
	"strings"
	"testing"
)

// The README's configurations have no provider block and take the settings from the environment.
// A wrong setting then gets the provider's own error, from the resource that needs Cobo, and not
// Terraform's "Invalid provider configuration ... Add a provider block" with "on <empty> line 0",
// which Terraform adds to every error Configure returns when there is no provider block. Not
// parallel: the provider runs in this process and reads these variables with os.Getenv.
func TestAccProviderConfig_noProviderBlockGetsOnlyTheProvidersError(t *testing.T) {
	env := newTestEnv(t)
	cfg := requiredProviders + orderConfig(`merchant_id = "M1001"`, `psp_order_code = "no-block-1"`, `payable_currency = "ETH_USDT"`,
		`fee_amount = "1.00"`, `pricing_currency = "USD"`, `pricing_amount = "10.00"`) +
		`data "cobo_payment_orders" "all" {}` + "\n"
	for _, c := range []struct {
		name, host, secret string
		want               []string
	}{
		{"host without /v2", env.server.URL, env.secret, []string{"Error: Invalid Cobo host",
			`Did you mean "` + env.server.URL + `/v2"? (the value came from the COBO_HOST environment variable)`}},
		{"no secret", env.server.BaseURL, "", []string{"Error: Missing Cobo API secret", "COBO_API_SECRET environment variable"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv(EnvHost, c.host)
			t.Setenv(EnvAPISecret, c.secret)
			t.Setenv(EnvEnv, "")
			tf := newCLIWorkspace(t)
			tf.write("main.tf", cfg)
			tf.mustRun("init", "-input=false")
			out, code := tf.run("plan", "-input=false")
			flat := strings.Join(strings.Fields(out), " ")
			if code == 0 {
				t.Fatalf("terraform plan succeeded:\n%s", out)
			}
			for _, want := range c.want {
				if !strings.Contains(flat, want) {
					t.Errorf("terraform plan output lacks %q:\n%s", want, out)
				}
			}
			// One error from each block that uses the provider, and nothing else.
			if n := strings.Count(out, "Error: "); n != 2 || strings.Count(out, c.want[0]) != 2 {
				t.Errorf("want %q twice (the resource and the data source) and no other error, got %d errors:\n%s", c.want[0], n, out)
			}
			for _, unwanted := range []string{"Invalid provider configuration", "<empty>", "Add a provider block"} {
				if strings.Contains(out, unwanted) {
					t.Errorf("terraform plan output has %q:\n%s", unwanted, out)
				}
			}
		})
	}
	if n := len(env.sandbox.Requests()); n != 0 {
		t.Errorf("a misconfigured provider must not call Cobo; %d requests did", n)
	}
}
