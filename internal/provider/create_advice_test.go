package provider

import (
	"net"
	"strings"
	"testing"
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

func TestAccPaymentOrder_refusedCreateGivesNoImportAdvice(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	cfg := strings.Replace(env.config(twoOrders("psp-refused")), env.server.BaseURL, closedHost(t), 1)
	tf := newCLIWorkspace(t)
	tf.write("main.tf", requiredProviders+cfg)
	tf.mustRun("init", "-input=false")
	out, code := tf.run("apply", "-input=false", "-auto-approve")
	t.Logf("exit %d\n%s", code, out)
}

// twoOrders declares cobo_payment_order.a and .b with the psp_order_codes prefix-a and prefix-b.
func twoOrders(prefix string) string {
	order := func(name string) string {
		return strings.ReplaceAll(orderConfig(`merchant_id = "M1001"`, `psp_order_code = "`+prefix+`-`+name+`"`, `payable_currency = "ETH_USDT"`, `fee_amount = "0"`, `payable_amount = "5.00"`), `"test"`, `"`+name+`"`)
	}
	return order("a") + order("b")
}
