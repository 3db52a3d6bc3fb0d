package provider

import (
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

// closedHost is a base URL on which nothing listens: every request is refused before reaching Cobo.
func closedHost(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return "http://" + addr + "/v2"
}

// A create refused before it reached Cobo cannot have left an order: its error gives no advice to
// look for one.
func TestAccPaymentOrder_refusedCreateGivesNoImportAdvice(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	cfg := strings.Replace(env.config(twoOrders("psp-refused")), env.server.BaseURL, closedHost(t), 1)
	tf := newCLIWorkspace(t)
	tf.write("main.tf", requiredProviders+cfg)
	tf.mustRun("init", "-input=false")
	out, code := tf.run("apply", "-input=false", "-auto-approve")
	words := strings.Join(strings.Fields(out), " ")
	if code == 0 || strings.Count(words, "connection refused") < 2 {
		t.Fatalf("apply: exit %d, want both creates refused:\n%s", code, out)
	}
	for _, never := range []string{"may hold", "import it", "looking it up"} {
		if strings.Contains(words, never) {
			t.Errorf("a refused create says %q:\n%s", never, out)
		}
	}
}

// A create that may have reached Cobo, and whose lookup failed, says so for each order, and how to
// find the orders once per apply.
func TestAccPaymentOrder_unknownOutcomeAdviceOncePerApply(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	env.sandbox.AddFault(sandbox.Fault{Method: http.MethodPost, Path: "/v2/payments/orders", DropConnection: true, AfterCommit: true, Times: 2})
	env.sandbox.AddFault(sandbox.Fault{Method: http.MethodGet, Path: "/v2/payments/orders", Status: http.StatusUnauthorized, Times: -1})
	tf := newCLIWorkspace(t)
	tf.write("main.tf", requiredProviders+env.config(twoOrders("psp-unknown")))
	tf.mustRun("init", "-input=false")
	out, code := tf.run("apply", "-input=false", "-auto-approve")
	words := strings.Join(strings.Fields(out), " ")
	if code == 0 || strings.Count(words, "Cobo may hold this order") != 2 {
		t.Fatalf("apply: exit %d, want two creates of unknown outcome:\n%s", code, out)
	}
	if n := strings.Count(words, "Apply again once Cobo answers"); n != 1 {
		t.Errorf("the advice is given %d times, want once:\n%s", n, out)
	}
	if strings.Contains(words, "?.") {
		t.Errorf("a message ends in \"?.\":\n%s", out)
	}
}

// twoOrders declares cobo_payment_order.a and .b with the psp_order_codes prefix-a and prefix-b.
func twoOrders(prefix string) string {
	order := func(name string) string {
		return strings.ReplaceAll(orderConfig(`merchant_id = "M1001"`, `psp_order_code = "`+prefix+`-`+name+`"`, `payable_currency = "ETH_USDT"`, `fee_amount = "0"`, `payable_amount = "5.00"`), `"test"`, `"`+name+`"`)
	}
	return order("a") + order("b")
}
