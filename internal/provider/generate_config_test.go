package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-exec/tfexec"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// terraform-plugin-testing runs `terraform query` but not with -generate-config-out, and not
// `apply -invoke`: these tests drive the CLI themselves, in a temporary directory, against the
// provider served from this test process (TF_REATTACH_PROVIDERS, as plugin-testing does).

// cliWorkspace is a Terraform working directory driven through the CLI of the acceptance tests.
type cliWorkspace struct {
	t        *testing.T
	cli, dir string
	env      []string
}

// newCLIWorkspace skips unless the acceptance tests' CLI is Terraform >= 1.14 (terraform query,
// actions), and serves the provider to it.
func newCLIWorkspace(t *testing.T) *cliWorkspace {
	t.Helper()
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		cli, _ = exec.LookPath("terraform")
	}
	if cli == "" {
		t.Skip("no Terraform CLI: set TF_ACC_TERRAFORM_PATH or put terraform on PATH")
	}
	if isOpenTofu() {
		t.Skip("OpenTofu has no terraform query and no actions")
	}
	out, err := exec.Command(cli, "version", "-json").Output()
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err != nil || json.Unmarshal(out, &v) != nil {
		t.Fatalf("%s version -json: %v (%s)", cli, err, out)
	}
	if version.Must(version.NewVersion(v.Version)).LessThan(version.Must(version.NewVersion("1.14.0"))) {
		t.Skipf("Terraform %s has no terraform query and no actions (1.14 and later)", v.Version)
	}
	return &cliWorkspace{t: t, cli: cli, dir: t.TempDir(), env: append(os.Environ(), "TF_IN_AUTOMATION=1", "TF_REATTACH_PROVIDERS="+serveProvider(t))}
}

// serveProvider serves the provider in this process until the test ends and returns the
// TF_REATTACH_PROVIDERS value that points Terraform at it.
func serveProvider(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	configCh, closeCh, served := make(chan *plugin.ReattachConfig, 1), make(chan struct{}), make(chan error, 1)
	go func() {
		served <- tf6server.Serve(Address, NewServer("test"), tf6server.WithDebug(ctx, configCh, closeCh),
			tf6server.WithGoPluginLogger(hclog.NewNullLogger()), tf6server.WithLoggingSink(t), tf6server.WithoutLogStderrOverride())
	}()
	var c *plugin.ReattachConfig
	select {
	case c = <-configCh:
	case err := <-served:
		cancel()
		t.Fatalf("serving the provider: %v", err)
	}
	t.Cleanup(func() { cancel(); <-closeCh })
	info, err := json.Marshal(tfexec.ReattachInfo{Address: {
		Protocol: string(c.Protocol), ProtocolVersion: c.ProtocolVersion, Pid: c.Pid, Test: c.Test,
		Addr: tfexec.ReattachConfigAddr{Network: c.Addr.Network(), String: c.Addr.String()},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return string(info)
}

// requiredProviders names the provider by its registry address, which TF_REATTACH_PROVIDERS serves.
const requiredProviders = "terraform {\n  required_providers {\n    cobo = {\n      source = \"cobo-terraform/cobo\"\n    }\n  }\n}\n"

func (w *cliWorkspace) write(name, content string) {
	w.t.Helper()
	if err := os.WriteFile(filepath.Join(w.dir, name), []byte(content), 0o644); err != nil {
		w.t.Fatal(err)
	}
}

// run runs the CLI with args; it returns the combined output and the exit code, failing the test
// when the command could not run at all.
func (w *cliWorkspace) run(args ...string) (string, int) {
	w.t.Helper()
	cmd := exec.CommandContext(w.t.Context(), w.cli, append(args, "-no-color")...)
	cmd.Dir, cmd.Env = w.dir, w.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		w.t.Fatalf("terraform %s: %v", strings.Join(args, " "), err)
	}
	return out.String(), cmd.ProcessState.ExitCode()
}

// mustRun runs the CLI and fails the test unless it exits 0.
func (w *cliWorkspace) mustRun(args ...string) string {
	w.t.Helper()
	out, code := w.run(args...)
	if code != 0 {
		w.t.Fatalf("terraform %s exited %d:\n%s", strings.Join(args, " "), code, out)
	}
	return out
}

func TestAccPaymentOrderQuery_generatedConfigImportsEveryOrderUnchanged(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	w := newCLIWorkspace(t)
	var m3 []string
	seed := func(code string, req cobo.CreateOrderRequest) string {
		req.MerchantID, req.PspOrderCode = "M3", code
		m3 = append(m3, env.seedOrder(req).OrderID)
		return m3[len(m3)-1]
	}
	seed("gen-payable", cobo.CreateOrderRequest{FeeAmount: "0", PayableCurrency: "ETH_USDT", PayableAmount: "10.00"})
	seed("gen-priced", cobo.CreateOrderRequest{FeeAmount: "1.5", PayableCurrency: "TRON_USDT", PricingCurrency: "USD", PricingAmount: "20.00", AmountTolerance: "0.5", MerchantOrderCode: "inv-9", ExpiredIn: ptr(int64(7200))})
	env.expire(seed("gen-expired", cobo.CreateOrderRequest{FeeAmount: "0", PayableCurrency: "ETH_USDT", PayableAmount: "1.00"}))
	env.pay(seed("gen-paid", cobo.CreateOrderRequest{FeeAmount: "0", PayableCurrency: "ETH_USDT", PayableAmount: "2.00"}), "2.00", true)
	env.seedOrder(cobo.CreateOrderRequest{MerchantID: "M4", PspOrderCode: "gen-other", FeeAmount: "0", PayableCurrency: "ETH_USDT", PayableAmount: "3.00"})

	w.write("main.tf", requiredProviders+env.providerBlock())
	w.write("orders.tfquery.hcl", "list \"cobo_payment_order\" \"m3\" {\n  provider         = cobo\n  include_resource = true\n  config {\n    merchant_id = \"M3\"\n  }\n}\n")
	w.mustRun("init", "-input=false")
	w.mustRun("query", "-generate-config-out=orders.tf")
	generated, err := os.ReadFile(filepath.Join(w.dir, "orders.tf"))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("generated orders.tf:\n%s", generated)
	if n := strings.Count(string(generated), "import {"); n != 4 {
		t.Fatalf("want 4 import blocks (the M3 orders), got %d", n)
	}
	if n := regexp.MustCompile(`(?m)^resource "cobo_payment_order" `).FindAll(generated, -1); len(n) != 4 {
		t.Fatalf("want 4 resource blocks, got %d", len(n))
	}
	for _, id := range m3 {
		if !regexp.MustCompile(`identity = \{\s+order_id = "` + id + `"`).Match(generated) {
			t.Errorf("no import block by identity for %s", id)
		}
	}
	// Cobo derived gen-priced's payable_amount: the configuration keeps to what the order was created with.
	if !regexp.MustCompile(`(?s)pricing_amount\s+= "20.00"`).Match(generated) || strings.Count(string(generated), "payable_amount") != 3 {
		t.Error("gen-priced should be written with pricing_amount and without payable_amount, the others with payable_amount")
	}

	env.sandbox.ResetRequests()
	if out := w.mustRun("apply", "-auto-approve", "-input=false"); !strings.Contains(out, "Apply complete! Resources: 4 imported, 0 added, 0 changed, 0 destroyed.") {
		t.Fatalf("the generated configuration should import the 4 orders and change nothing:\n%s", out)
	}
	if out, code := w.run("plan", "-detailed-exitcode", "-input=false"); code != 0 {
		t.Fatalf("the plan after the import is not empty (exit code %d):\n%s", code, out)
	}
	for _, r := range env.sandbox.Requests() {
		if r.Method != http.MethodGet {
			t.Errorf("importing sent %s %s to Cobo; only reads are expected", r.Method, r.Path)
		}
	}
}

func TestAccPaymentOrderExpireAction_invokedFromTheCLIReportsProgress(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	w := newCLIWorkspace(t)
	id := env.seedOrder(cobo.CreateOrderRequest{MerchantID: "M5", PspOrderCode: "inv-cli", FeeAmount: "0", PayableCurrency: "ETH_USDT", PayableAmount: "4.00"}).OrderID
	w.write("main.tf", requiredProviders+env.providerBlock()+fmt.Sprintf("action \"cobo_payment_order_expire\" \"this\" {\n  config {\n    order_id = %q\n  }\n}\n", id))
	w.mustRun("init", "-input=false")

	out := w.mustRun("apply", "-invoke=action.cobo_payment_order_expire.this", "-auto-approve", "-input=false")
	for _, want := range []string{"Order " + id + " (inv-cli) is Pending: expiring it.", "Order " + id + " (inv-cli) is now Expired."} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks the progress message %q:\n%s", want, out)
		}
	}
	if o := env.orderByPsp("inv-cli"); o.Status != cobo.StatusExpired {
		t.Errorf("order is %s in Cobo after the action, want Expired", o.Status)
	}
	out = w.mustRun("apply", "-invoke=action.cobo_payment_order_expire.this", "-auto-approve", "-input=false")
	if want := "Order " + id + " (inv-cli) is already Expired: nothing to do."; !strings.Contains(out, want) {
		t.Errorf("the second invocation lacks %q:\n%s", want, out)
	}
	if puts := env.requests(http.MethodPut, "/v2/payments/orders/"); len(puts) != 1 {
		t.Errorf("want exactly one PUT over both invocations, got %d", len(puts))
	}
}
