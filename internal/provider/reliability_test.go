package provider

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

const proxyHTML = "<html><head><title>429 Too Many Requests</title></head><body><h1>Too Many Requests</h1></body></html>"

// statuses returns the HTTP statuses the sandbox answered for requests of that method and path prefix.
func (e *testEnv) statuses(method, pathPrefix string) []int {
	var out []int
	for _, r := range e.requests(method, pathPrefix) {
		out = append(out, r.Status)
	}
	return out
}

func TestAccReliability_refreshSurvives429And503(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	cfg := env.config(orderConfig(`merchant_id = "M1"`, `psp_order_code = "psp-429"`, `payable_currency = "ETH_USDT"`, `fee_amount = "0"`, `payable_amount = "3.00"`))
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: func() {
					env.sandbox.ResetRequests()
					orderPath := "/v2/payments/orders/" + env.orderByPsp("psp-429").OrderID
					env.sandbox.AddFault(sandbox.Fault{Method: http.MethodGet, Path: orderPath, Status: http.StatusTooManyRequests, Body: proxyHTML, ContentType: "text/html", RetryAfter: "1", Times: 1})
					env.sandbox.AddFault(sandbox.Fault{Method: http.MethodGet, Path: orderPath, Status: http.StatusServiceUnavailable, Times: 1})
				},
				Config:           cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: func(*terraform.State) error {
					got := env.statuses(http.MethodGet, "/v2/payments/orders/")
					if len(got) < 3 || got[0] != 429 || got[1] != 503 || got[2] != 200 {
						return fmt.Errorf("want the refresh to see 429, then 503, then succeed; statuses: %v", got)
					}
					return nil
				},
			},
		},
	})
}

func TestAccReliability_droppedConnectionAfterCommittedCreateMakesOneOrder(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	env.sandbox.AddFault(sandbox.Fault{Method: http.MethodPost, Path: "/v2/payments/orders", DropConnection: true, AfterCommit: true, Times: 1})
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:           env.config(orderConfig(`merchant_id = "M1"`, `psp_order_code = "psp-drop"`, `payable_currency = "ETH_USDT"`, `fee_amount = "0"`, `payable_amount = "3.00"`)),
			ConfigPlanChecks: emptyPlanAfterApply,
			Check: func(s *terraform.State) error {
				if n := env.sandbox.OrderCountByPspOrderCode(env.apiKey, "psp-drop"); n != 1 {
					return fmt.Errorf("want exactly one order for psp-drop, the sandbox has %d", n)
				}
				if posts := env.requests(http.MethodPost, "/v2/payments/orders"); len(posts) != 1 {
					return fmt.Errorf("the create must not be repeated once the order is found; %d POSTs", len(posts))
				}
				if got, want := s.RootModule().Resources[orderAddr].Primary.ID, env.orderByPsp("psp-drop").OrderID; got != want {
					return fmt.Errorf("state has order %s, the sandbox has %s", got, want)
				}
				return nil
			},
		}},
	})
}

func TestAccReliability_droppedConnectionBeforeCommitCreatesOnRetry(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	env.sandbox.AddFault(sandbox.Fault{Method: http.MethodPost, Path: "/v2/payments/orders", DropConnection: true, Times: 1})
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: env.config(orderConfig(`merchant_id = "M1"`, `psp_order_code = "psp-lost"`, `payable_currency = "ETH_USDT"`, `fee_amount = "0"`, `payable_amount = "3.00"`)),
			Check: func(*terraform.State) error {
				if n := env.sandbox.OrderCountByPspOrderCode(env.apiKey, "psp-lost"); n != 1 {
					return fmt.Errorf("want exactly one order for psp-lost, the sandbox has %d", n)
				}
				if posts := env.requests(http.MethodPost, "/v2/payments/orders"); len(posts) != 2 {
					return fmt.Errorf("want the lost create sent again once (2 POSTs), got %d", len(posts))
				}
				return nil
			},
		}},
	})
}

func TestAccReliability_putFailingOnceIsRetried(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	base := []string{`merchant_id = "M1"`, `psp_order_code = "psp-put"`, `payable_currency = "ETH_USDT"`, `fee_amount = "0"`, `payable_amount = "3.00"`}
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: env.config(orderConfig(base...))},
			{
				PreConfig: func() {
					env.sandbox.AddFault(sandbox.Fault{Method: http.MethodPut, Path: "/v2/payments/orders/", Status: http.StatusBadGateway, Body: "<html>502 Bad Gateway</html>", ContentType: "text/html", Times: 1})
				},
				Config:            env.config(orderConfig(append(base, `expired = true`)...)),
				ConfigPlanChecks:  emptyPlanAfterApply,
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("status"), knownvalue.StringExact("Expired"))},
				Check: func(*terraform.State) error {
					if got := env.statuses(http.MethodPut, "/v2/payments/orders/"); fmt.Sprint(got) != "[502 200]" {
						return fmt.Errorf("want a 502 then a successful retry, got %v", got)
					}
					return nil
				},
			},
		},
	})
}

func TestAccReliability_retriesGiveUpSayingHowManyAttemptsAndWhatCoboAnswered(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	env.sandbox.AddFault(sandbox.Fault{Method: http.MethodGet, Path: "/v2/payments/orders/O-flaky", Status: http.StatusServiceUnavailable,
		Body: `{"error_code":2000,"error_message":"internal error","error_id":"err-503"}`, ContentType: "application/json", Times: 100})
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:      env.config(`data "cobo_payment_order" "x" { order_id = "O-flaky" }`), // max_retries = 2
			ExpectError: expectWords(`HTTP\s+503,\s+error_code\s+2000.*internal error.*err-503.*gave\s+up\s+after\s+3\s+attempts`),
		}},
	})
	if got := len(env.requests(http.MethodGet, "/v2/payments/orders/O-flaky")); got < 3 || got%3 != 0 {
		t.Errorf("want each read to make exactly max_retries+1 = 3 attempts; saw %d requests", got)
	}
}

// TestAccSecrets_neverInTraceLogsStateOrPlans runs a create, an expiry and a destroy with TF_LOG=TRACE
// and searches everything Terraform and the provider wrote for the secret and for any signature.
func TestAccSecrets_neverInTraceLogsStateOrPlans(t *testing.T) {
	env := newTestEnv(t)
	// The secret comes from the environment, as it should in real use: the testing framework logs the
	// test configuration itself, which is not the provider's output.
	t.Setenv(EnvAPISecret, env.secret)
	providerBlock := fmt.Sprintf("provider \"cobo\" {\n  host = %q\n}\n", env.server.BaseURL)
	logPath := filepath.Join(t.TempDir(), "trace.log")
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_LOG_SDK", "TRACE")
	t.Setenv("TF_LOG_PROVIDER", "TRACE")
	t.Setenv("TF_ACC_LOG_PATH", logPath)
	base := []string{`merchant_id = "M1"`, `psp_order_code = "psp-trace"`, `payable_currency = "ETH_USDT"`, `fee_amount = "0"`, `payable_amount = "3.00"`}
	var stateDump string
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: providerBlock + orderConfig(base...)},
			{
				Config:            providerBlock + orderConfig(append(base, `expired = true`)...),
				ConfigStateChecks: []statecheck.StateCheck{statecheck.ExpectKnownValue(orderAddr, tfjsonpath.New("status"), knownvalue.StringExact("Expired"))},
				Check: func(s *terraform.State) error {
					stateDump = s.String()
					return nil
				},
			},
		},
	})
	raw, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	logs := string(raw)
	// The log must be a real TRACE log that includes the provider's own requests.
	for _, want := range []string{"[TRACE]", "Cobo API request", "/payments/orders"} {
		if !strings.Contains(logs, want) {
			t.Fatalf("the TRACE log lacks %q; the test would prove nothing", want)
		}
	}
	if strings.Contains(logs, env.secret) {
		i := strings.Index(logs, env.secret)
		t.Errorf("the API secret appears in the TRACE log: …%s…", logs[max(0, i-300):i])
	}
	if strings.Contains(stateDump, env.secret) {
		t.Error("the API secret appears in the state")
	}
	if sig := regexp.MustCompile(`[0-9a-fA-F]{128}`).FindString(logs); sig != "" {
		t.Errorf("a signature-like 128-hex string appears in the TRACE log: %s…", sig[:16])
	}
}
