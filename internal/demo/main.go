// Command demo is `make demo`: the provider's main job, end to end, on the sandbox. It builds the
// provider, starts the sandbox on a free loopback port, points Terraform at the fresh build through a
// temporary CLI configuration (dev_overrides; the user's ~/.terraformrc is never touched), applies
// examples/demo (a merchant and two orders, one for it), pays that order through the sandbox helper,
// expires the other by flipping `expired`, prints both orders, refunds part of the paid one and moves
// the sandbox clock until the refund is Completed, prints the balances before and after, destroys,
// and removes everything it made, also on failure or Ctrl-C.
//
// The other half of an order is the merchant's app hearing of it: the demo serves a webhook receiver
// on a free loopback port (receiver.go), passes its URL to examples/demo as TF_VAR_webhook_url, where
// a cobo_webhook_endpoint registers it, and at the end prints the events the receiver verified with
// the sandbox's webhook key: the payment, the expiry, the refund's statuses and the balance changes.
// Destroy revokes the endpoint. With Terraform 1.14 and later (actions) the demo adds
// examples/demo/actions*.tf: the endpoint's action_trigger sends a test event
// (cobo_webhook_test_event) as soon as it is created.
package main

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/devtf"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

type orderOutput struct {
	OrderID             string `json:"order_id"`
	PspOrderCode        string `json:"psp_order_code"`
	Status              string `json:"status"`
	PayableAmount       string `json:"payable_amount"`
	PayableCurrency     string `json:"payable_currency"`
	ReceivedTokenAmount string `json:"received_token_amount"`
	ReceiveAddress      string `json:"receive_address"`
}

// refundOutput is examples/demo's output "refund".
type refundOutput struct {
	RefundID          string `json:"refund_id"`
	Status            string `json:"status"`
	PayableAmount     string `json:"payable_amount"`
	Amount            string `json:"amount"`
	MerchantFeeAmount string `json:"merchant_fee_amount"`
	TokenID           string `json:"token_id"`
}

// balancesOutput is examples/demo's output "balances": the shop's and the developer's total_balance
// in invoice A's token.
type balancesOutput struct {
	MerchantID string `json:"merchant_id"`
	TokenID    string `json:"token_id"`
	Shop       string `json:"shop"`
	Developer  string `json:"developer"`
}

func main() {
	start := time.Now()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx)
	stop()
	// Wall time from here includes the build, the sandbox and the cleanup; go run compiled this
	// program before it started, which only the shell's clock sees.
	fmt.Printf("\n    The demo took %s, building the provider and cleaning up included (not the compilation by go run before it started).\n", time.Since(start).Round(time.Second))
	if err != nil {
		fmt.Fprintf(os.Stderr, "\ndemo failed: %v\n", err)
		os.Exit(1)
	}
}

// demo is one run of the demo: the CLI it drives, its temporary directory and the sandbox.
type demo struct {
	ctx       context.Context
	terraform string
	name      string // what the headings call the CLI: terraform or tofu
	actions   bool   // the CLI runs actions (Terraform >= 1.14): examples/demo's actions files are added
	tmp       string // removed at the end
	work      string // the Terraform working directory, inside tmp
	env       []string
	srv       *sandbox.Server
	receiver  *receiver // the app's webhook receiver
	vars      []string  // the -var flags of the steps so far: each apply keeps the earlier ones
}

func run(ctx context.Context) (err error) {
	// TERRAFORM (make demo passes it) picks the CLI: any Terraform >= 1.5, or OpenTofu.
	terraform, err := exec.LookPath(cmp.Or(os.Getenv("TERRAFORM"), "terraform"))
	if err != nil {
		return errors.New("terraform is not on PATH: install Terraform >= 1.5 (or set TERRAFORM to a Terraform or OpenTofu binary)")
	}
	tmp, err := os.MkdirTemp("", "cobo-demo-")
	if err != nil {
		return err
	}
	defer func() {
		_ = os.RemoveAll(tmp)
		say("Removed the demo's temporary directory %s.", tmp)
	}()
	d := &demo{ctx: ctx, terraform: terraform, tmp: tmp, work: filepath.Join(tmp, "work")}
	d.name, d.actions = cliVersion(ctx, terraform)
	if err := d.buildProvider(); err != nil {
		return err
	}
	if err := d.startSandbox(); err != nil {
		return err
	}
	defer d.stopSandbox()
	if d.receiver, err = startReceiver(d.srv.Sandbox.WebhookPublicKey()); err != nil {
		return err
	}
	defer d.receiver.close()
	say("The app's webhook receiver is listening at %s (it verifies events with the sandbox's webhook key).", d.receiver.url)
	if err := d.writeConfiguration(); err != nil {
		return err
	}
	defer func() {
		step("Cleaning up: %s destroy", d.name)
		say("Cobo has no delete: destroying expires orders that are still Pending and leaves the others in Cobo, leaves the Completed refund (its money has moved) and the merchant in Cobo, and revokes the webhook endpoint.")
		derr := destroy(terraform, d.work, d.env)
		if derr == nil {
			d.sayEndpoints("is now")
		} else if err == nil {
			err = derr
		}
	}()
	if err := d.scenario(); err != nil {
		return err
	}
	say("Invoice A is paid and partly refunded, invoice B is expired, as declared, and the app heard of all of it.")
	return nil
}

// versionLine is the first line of `terraform version` or `tofu version`: "Terraform v1.11.4".
var versionLine = regexp.MustCompile(`(?m)^(Terraform|OpenTofu) v(\d+)\.(\d+)\.`)

// cliVersion reads the CLI's version output: name is "tofu" for OpenTofu and "terraform" otherwise;
// actions is whether it runs actions, which only Terraform >= 1.14 does.
func cliVersion(ctx context.Context, cli string) (name string, actions bool) {
	out, _ := exec.CommandContext(ctx, cli, "version").Output()
	m := versionLine.FindSubmatch(out)
	switch {
	case m == nil:
		return "terraform", false
	case string(m[1]) == "OpenTofu":
		return "tofu", false
	}
	major, _ := strconv.Atoi(string(m[2]))
	minor, _ := strconv.Atoi(string(m[3]))
	return "terraform", major > 1 || major == 1 && minor >= 14
}

func (d *demo) buildProvider() error {
	step("Building the provider")
	build := exec.CommandContext(d.ctx, "go", "build", "-o", filepath.Join(d.tmp, "bin", "terraform-provider-cobo"), ".")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("building the provider: %w", err)
	}
	return nil
}

func (d *demo) startSandbox() error {
	step("Starting the Cobo sandbox")
	srv, err := sandbox.Start("127.0.0.1:0", sandbox.Options{})
	if err != nil {
		return fmt.Errorf("starting the sandbox: %w", err)
	}
	d.srv = srv
	say("Sandbox listening at %s (a new, empty organization for a random API secret).", srv.BaseURL())
	return nil
}

func (d *demo) stopSandbox() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = d.srv.Shutdown(ctx)
	say("Stopped the sandbox.")
}

// writeConfiguration copies examples/demo into the working directory (its actions files only for a
// CLI that runs actions) and writes the CLI configuration whose dev_overrides point Terraform at the
// fresh build; env carries both to Terraform.
func (d *demo) writeConfiguration() error {
	if err := os.MkdirAll(d.work, 0o755); err != nil {
		return err
	}
	files := []string{"main.tf"}
	if d.actions {
		files = append(files, "actions.tf", "actions_override.tf")
	}
	for _, name := range files {
		config, err := os.ReadFile(filepath.Join("examples", "demo", name))
		if err != nil {
			return fmt.Errorf("reading the demo configuration (run make demo from the repository root): %w", err)
		}
		if err := os.WriteFile(filepath.Join(d.work, name), config, 0o644); err != nil {
			return err
		}
	}
	cliConfig := filepath.Join(d.tmp, "terraformrc")
	if err := os.WriteFile(cliConfig, []byte(devtf.CLIConfig(filepath.Join(d.tmp, "bin"))), 0o644); err != nil {
		return err
	}
	seed := make([]byte, 32)
	_, _ = rand.Read(seed)
	d.env = append(os.Environ(),
		"TF_CLI_CONFIG_FILE="+cliConfig,
		"COBO_HOST="+d.srv.BaseURL(),
		"COBO_API_SECRET="+hex.EncodeToString(seed),
		"TF_VAR_webhook_url="+d.receiver.url,
		"CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1",
	)
	return nil
}

// scenario is the main job: create a merchant and two orders, pay one, expire the other, refund part
// of the paid one and follow the refund to Completed on the sandbox clock, and show it all.
func (d *demo) scenario() error {
	step("1/5 %s apply: create a merchant and two pay-in orders (invoice A for that merchant), read invoice A through the data source, register the app's webhook endpoint", d.name)
	if err := d.apply(); err != nil {
		return err
	}
	d.sayEndpoints("is")
	d.sayTestEvent()
	var orders map[string]orderOutput
	if err := d.output("orders", &orders); err != nil {
		return err
	}
	a := orders["invoice_a"]
	say("Invoice A %s: pay %s %s to %s.", a.OrderID, a.PayableAmount, a.PayableCurrency, a.ReceiveAddress)

	step("2/5 The payer pays invoice A in full (simulated through the sandbox's payment helper)")
	paid, err := d.srv.Sandbox.Pay(a.OrderID, sandbox.Payment{Amount: a.PayableAmount})
	if err != nil {
		return fmt.Errorf("simulating the payment: %w", err)
	}
	say("Cobo now reports invoice A as %s, %s received.", paid.Status, paid.ReceivedTokenAmount)

	step("3/5 %s apply -var expire_invoice_b=true: expire invoice B (PUT /payments/orders/{order_id}); the refresh shows invoice A paid and the balances it filled", d.name)
	d.vars = append(d.vars, "-var", "expire_invoice_b=true")
	if err := d.apply(); err != nil {
		return err
	}
	if err := d.output("orders", &orders); err != nil {
		return err
	}
	if err := printResult(orders); err != nil {
		return err
	}
	var before balancesOutput
	if err := d.output("balances", &before); err != nil {
		return err
	}
	say("Invoice A's payment was split between the shop %s (%s %s) and the developer balance (%s %s), as the order's pricing_amount : fee_amount.", before.MerchantID, before.Shop, before.TokenID, before.Developer, before.TokenID)

	refund, err := d.refund()
	if err != nil {
		return err
	}
	var after balancesOutput
	if err := d.output("balances", &after); err != nil {
		return err
	}
	if err := printBalances(before, after, refund); err != nil {
		return err
	}
	return d.printEvents(orders, refund, before.MerchantID)
}

// refund is steps 4 and 5: the refund is created Pending, and completes when the sandbox clock passes
// cobo.RefundCompletionDelay (the demo moves the clock rather than wait); the refresh reads it Completed.
func (d *demo) refund() (refundOutput, error) {
	var r refundOutput
	step("4/5 %s apply -var refund_invoice_a=true: refund part of invoice A from the shop's balance (cobo_payment_refund, with to_address)", d.name)
	d.vars = append(d.vars, "-var", "refund_invoice_a=true")
	if err := d.apply(); err != nil {
		return r, err
	}
	if err := d.output("refund", &r); err != nil {
		return r, err
	}
	say("Refund %s is %s: %s %s from the shop, of which the payer receives %s (the %s merchant fee goes to the developer balance).", r.RefundID, r.Status, r.PayableAmount, r.TokenID, r.Amount, r.MerchantFeeAmount)

	step("5/5 The sandbox clock moves %s on (Pending -> Processing -> Completed); %s apply refreshes the refund: its status moves without a diff", cobo.RefundCompletionDelay, d.name)
	d.srv.Sandbox.Advance(cobo.RefundCompletionDelay)
	if err := d.apply(); err != nil {
		return r, err
	}
	if err := d.output("refund", &r); err != nil {
		return r, err
	}
	say("Refund %s is %s.", r.RefundID, r.Status)
	if r.Status != sandbox.RefundCompleted {
		return r, fmt.Errorf("want refund %s Completed after the sandbox clock moved %s, got %s", r.RefundID, cobo.RefundCompletionDelay, r.Status)
	}
	return r, nil
}

func printResult(orders map[string]orderOutput) error {
	step("Orders")
	fmt.Printf("%-10s %-28s %-16s %-10s %-18s %s\n", "order", "order_id", "psp_order_code", "status", "payable", "received")
	for _, name := range []string{"invoice_a", "invoice_b"} {
		o := orders[name]
		fmt.Printf("%-10s %-28s %-16s %-10s %-18s %s\n", name, o.OrderID, o.PspOrderCode, o.Status, o.PayableAmount+" "+o.PayableCurrency, o.ReceivedTokenAmount)
	}
	if orders["invoice_a"].Status != cobo.StatusCompleted || orders["invoice_b"].Status != cobo.StatusExpired {
		return fmt.Errorf("want invoice A Completed and invoice B Expired, got %s and %s", orders["invoice_a"].Status, orders["invoice_b"].Status)
	}
	return nil
}

// printBalances shows the balances before and after the refund, and checks that they moved by the
// refund: its payable_amount out of the shop's balance, its merchant fee into the developer's.
func printBalances(before, after balancesOutput, r refundOutput) error {
	step("Balances in %s (cobo_payment_balances), before and after the refund", before.TokenID)
	fmt.Printf("%-28s %-14s %-14s %s\n", "balance", "before", "after", "change")
	shop, err := balanceRow("shop "+before.MerchantID, before.Shop, after.Shop)
	if err != nil {
		return err
	}
	developer, err := balanceRow("developer", before.Developer, after.Developer)
	if err != nil {
		return err
	}
	if err := refundMoved(r, shop, developer); err != nil {
		return err
	}
	say("The refund took %s from the shop: %s to the payer and the %s merchant fee to the developer balance.", r.PayableAmount, r.Amount, r.MerchantFeeAmount)
	return nil
}

// balanceRow prints one balance's row and returns its change (after - before).
func balanceRow(name, before, after string) (*big.Rat, error) {
	b, okB := new(big.Rat).SetString(before)
	a, okA := new(big.Rat).SetString(after)
	if !okB || !okA {
		return nil, fmt.Errorf("the %s balance is not a decimal: before %q, after %q", name, before, after)
	}
	change := new(big.Rat).Sub(a, b)
	sign := ""
	if change.Sign() > 0 {
		sign = "+"
	}
	fmt.Printf("%-28s %-14s %-14s %s%s\n", name, before, after, sign, change.FloatString(2))
	return change, nil
}

// refundMoved checks the changes of the shop's and the developer's balance against the refund: a
// Merchant refund takes payable_amount from the merchant, and its fee goes to the developer.
func refundMoved(r refundOutput, shop, developer *big.Rat) error {
	amount, okA := new(big.Rat).SetString(r.PayableAmount)
	fee, okF := new(big.Rat).SetString(r.MerchantFeeAmount)
	if !okA || !okF {
		return fmt.Errorf("refund %s: payable_amount %q or merchant_fee_amount %q is not a decimal", r.RefundID, r.PayableAmount, r.MerchantFeeAmount)
	}
	if new(big.Rat).Neg(shop).Cmp(amount) != 0 || developer.Cmp(fee) != 0 {
		return fmt.Errorf("refund %s of %s (fee %s): want the shop's balance %s lower and the developer's %s higher, got changes of %s and %s",
			r.RefundID, r.PayableAmount, r.MerchantFeeAmount, r.PayableAmount, r.MerchantFeeAmount, shop.FloatString(2), developer.FloatString(2))
	}
	return nil
}

// testEventOrderID is the order_id of the test event examples/demo/actions.tf sends.
const testEventOrderID = "test-event"

func (d *demo) sayTestEvent() {
	if d.actions {
		say("The endpoint's action_trigger ran cobo_webhook_test_event: Cobo sent the app a test event (order_id %s).", testEventOrderID)
		return
	}
	say("This CLI has no actions (Terraform 1.14 and later has them): the test event of examples/demo/actions.tf is left out.")
}

// eventWait bounds the wait for the webhook events: the sandbox delivers them in the background,
// within milliseconds on a loopback address.
const eventWait = 10 * time.Second

// printEvents shows what the app heard of the orders, the refund and the balances: the events its
// receiver verified and kept.
func (d *demo) printEvents(orders map[string]orderOutput, r refundOutput, merchantID string) error {
	step("Events the app's webhook receiver got")
	a, b := orders["invoice_a"].OrderID, orders["invoice_b"].OrderID
	want := d.expectedEvents(a, b, r.RefundID, merchantID)
	got, err := d.receiver.waitFor(d.ctx, want, eventWait)
	names := map[string]string{a: "invoice_a", b: "invoice_b", r.RefundID: "refund", testEventOrderID: "(test)"}
	accounts := map[string]string{merchantID: "shop balance", sandbox.DeveloperAccount: "developer balance"}
	fmt.Printf("%-32s %-18s %-28s %s\n", "event", "about", "id", "status or change")
	for _, ev := range inStoryOrder(got, want) {
		about, detail := cmp.Or(names[ev.ID], "-"), ev.Status
		if ev.Account != "" {
			about, detail = cmp.Or(accounts[ev.Account], ev.Account), fmt.Sprintf("%s %s, now %s", ev.Direction, ev.Amount, ev.After)
		}
		fmt.Printf("%-32s %-18s %-28s %-24s %s\n", ev.Type, about, ev.ID, detail, "signature verified")
	}
	say("Listed in the order things happened: deliveries run concurrently and arrive in any order, as Cobo's do.")
	if _, repeats, _ := d.receiver.snapshot(); repeats > 0 {
		say("%d repeated deliveries of an event_id were acknowledged and not handled again.", repeats)
	}
	return err
}

// Event types of refunds and balances (examples/demo's endpoint subscribes to them).
const (
	eventRefundStatusUpdated  = "payment.refund.status.updated"
	eventAccountBalanceUpdate = "payment.account.balance.updated"
)

// expectedEvents are the events of the scenario, in the order they happen: the test event (with
// actions); the payment of invoice a, its split between the shop's balance and the developer's, and its
// completion; the expiry of invoice b; the refund taking its money from the shop, Pending, Processing,
// the merchant fee reaching the developer balance, and Completed.
func (d *demo) expectedEvents(a, b, refundID, merchantID string) []expectedEvent {
	var want []expectedEvent
	if d.actions {
		want = append(want, expectedEvent{Type: cobo.EventPaymentOrderStatusUpdated, ID: testEventOrderID})
	}
	return append(want, []expectedEvent{
		{Type: cobo.EventPaymentTransactionCreated, ID: a},
		{Type: cobo.EventPaymentTransactionCompleted, ID: a},
		{Type: eventAccountBalanceUpdate, ID: a, Account: merchantID},
		{Type: eventAccountBalanceUpdate, ID: a, Account: sandbox.DeveloperAccount},
		{Type: cobo.EventPaymentOrderStatusUpdated, ID: a, Status: cobo.StatusCompleted},
		{Type: cobo.EventPaymentOrderStatusUpdated, ID: b, Status: cobo.StatusExpired},
		{Type: eventAccountBalanceUpdate, ID: refundID, Account: merchantID},
		{Type: eventRefundStatusUpdated, ID: refundID, Status: sandbox.RefundPending},
		{Type: eventRefundStatusUpdated, ID: refundID, Status: sandbox.RefundProcessing},
		{Type: eventAccountBalanceUpdate, ID: refundID, Account: sandbox.DeveloperAccount},
		{Type: eventRefundStatusUpdated, ID: refundID, Status: sandbox.RefundCompleted},
	}...)
}

// sayEndpoints prints the sandbox's webhook endpoints (the demo's organization has only its own).
func (d *demo) sayEndpoints(verb string) {
	for _, ep := range d.srv.Sandbox.WebhookEndpoints("") {
		say("Webhook endpoint %s for %s %s %s.", ep.EndpointID, ep.URL, verb, ep.Status)
	}
}

// command is a Terraform command in the working directory; Ctrl-C reaches Terraform as an interrupt
// so that it can stop cleanly.
func (d *demo) command(args ...string) *exec.Cmd {
	cmd := exec.CommandContext(d.ctx, d.terraform, append(args, "-no-color")...)
	cmd.Dir, cmd.Env = d.work, d.env
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 20 * time.Second
	return cmd
}

// apply runs terraform apply with the variables the scenario has set so far.
func (d *demo) apply() error {
	if err := runSummarized(d.command(append([]string{"apply", "-auto-approve", "-input=false"}, d.vars...)...)); err != nil {
		return fmt.Errorf("terraform apply: %w", err)
	}
	return nil
}

// output reads one of the configuration's outputs into v.
func (d *demo) output(name string, v any) error {
	cmd := d.command("output", "-json", name)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("terraform output %s: %w", name, err)
	}
	if err := json.Unmarshal(out, v); err != nil {
		return fmt.Errorf("reading terraform output %s: %w", name, err)
	}
	return nil
}

// destroy runs even after Ctrl-C, with a context of its own.
func destroy(terraform, work string, env []string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, terraform, "destroy", "-auto-approve", "-input=false", "-no-color", "-var", "expire_invoice_b=true")
	cmd.Dir, cmd.Env = work, env
	if err := runSummarized(cmd); err != nil {
		return fmt.Errorf("terraform destroy: %w", err)
	}
	return nil
}

// summaryLine matches the lines of Terraform's output worth showing in a demo: progress, totals,
// warnings and errors. The full output is shown when the command fails.
var summaryLine = regexp.MustCompile(`(Creating|Creation complete|Modifying|Modifications complete|Reading|Read complete|Destroying|Destruction complete|Refreshing state)|^(Plan|Apply complete|Destroy complete|No changes)|Warning:|Error:`)

func runSummarized(cmd *exec.Cmd) error {
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if err != nil {
		_, _ = os.Stdout.Write(out.Bytes())
		return err
	}
	for _, line := range summarize(out.String()) {
		fmt.Println("    " + line)
	}
	return nil
}

// summarize picks the summary lines of Terraform's output, with the text of each warning: its title
// alone does not say what happened (which order was left in Cobo, and why). The warning's source
// lines ("with ...", "on ...", indented) are left out.
func summarize(output string) []string {
	var lines []string
	inWarning := false
	for _, line := range strings.Split(output, "\n") {
		t := strings.TrimLeft(line, "│╷╵ ")
		switch {
		case strings.Contains(t, "development overrides"):
			inWarning = false
		case summaryLine.MatchString(t):
			lines = append(lines, t)
			inWarning = strings.HasPrefix(t, "Warning:")
		case inWarning && t != "" && !strings.HasPrefix(strings.TrimLeft(line, "│"), "  "):
			lines = append(lines, "  "+t)
		}
	}
	return lines
}

func step(format string, args ...any) { fmt.Printf("\n==> %s\n", fmt.Sprintf(format, args...)) }

func say(format string, args ...any) { fmt.Printf("    "+format+"\n", args...) }
