package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// namedOrder declares cobo_payment_order.NAME with psp_order_code code.
func namedOrder(name, code string) string {
	return strings.Replace(orderConfig(`merchant_id = "M1001"`, fmt.Sprintf("psp_order_code = %q", code), `payable_currency = "ETH_USDT"`,
		`fee_amount = "0"`, `payable_amount = "5.00"`), `"test"`, fmt.Sprintf("%q", name), 1)
}

// namedEndpoint declares cobo_webhook_endpoint.NAME for url.
func namedEndpoint(name, url string) string {
	return strings.Replace(webhookEndpointConfig(fmt.Sprintf("url = %q", url), `subscribed_events = ["payment.order.status.updated"]`), `"test"`, fmt.Sprintf("%q", name), 1)
}

// A resource in the state and unchanged holds its psp_order_code: a second resource declaring it is a
// plan-time error naming the code and the order, and nothing is created. (It used to adopt the first
// resource's order, and then both held it.)
func TestAccPaymentOrder_pspOrderCodeOfAnOrderInTheStateIsClaimedAtPlanTime(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	tf := newCLIWorkspace(t)
	tf.write("main.tf", requiredProviders+env.config(namedOrder("a", "psp-held")))
	tf.mustRun("init", "-input=false")
	tf.mustRun("apply", "-input=false", "-auto-approve")
	tf.mustRun("plan", "-input=false", "-detailed-exitcode") // 0: no changes
	held := env.orderByPsp("psp-held").OrderID

	tf.write("main.tf", requiredProviders+env.config(namedOrder("a", "psp-held")+namedOrder("b", "psp-held")))
	rivals := `psp_order_code used by two resources.*"psp-held".*(another one holds order ` + held + `, and this one plans a new order|another one plans a new order, and this one holds order ` + held + `)`
	for _, args := range [][]string{{"plan", "-input=false"}, {"apply", "-input=false", "-auto-approve"}} {
		if out, code := tf.run(args...); code == 0 || !expectWords(rivals).MatchString(out) {
			t.Errorf("terraform %s: exit %d, want an error matching %q:\n%s", args[0], code, rivals, out)
		}
	}

	// A moved block is the way to give the order another address: no rival, and then no change.
	tf.write("main.tf", requiredProviders+env.config(namedOrder("b", "psp-held")+"moved {\n  from = cobo_payment_order.a\n  to   = cobo_payment_order.b\n}\n"))
	tf.mustRun("apply", "-input=false", "-auto-approve")
	tf.mustRun("plan", "-input=false", "-detailed-exitcode")
	if n := env.sandbox.OrderCountByPspOrderCode(env.apiKey, "psp-held"); n != 1 {
		t.Errorf("the sandbox has %d orders for psp-held, want 1", n)
	}
	tf.mustRun("destroy", "-input=false", "-auto-approve")
}

// Moving a psp_order_code from one resource to another in one apply: the first resource's order keeps
// it (Cobo never reuses one), so the second would only adopt that order, which the first one's
// replacement expires. A plan-time error; nothing changes.
func TestAccPaymentOrder_movingAPspOrderCodeToAnotherResourceIsAPlanTimeError(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: env.config(namedOrder("a", "psp-move-x") + namedOrder("b", "psp-move-y")), ConfigPlanChecks: emptyPlanAfterApply},
			{
				Config:      env.config(namedOrder("a", "psp-move-z") + namedOrder("b", "psp-move-x")),
				ExpectError: expectWords(`psp_order_code used by two resources.*"psp-move-x".*holds order O\S+`),
			},
		},
	})
	for code, want := range map[string]int{"psp-move-x": 1, "psp-move-y": 1, "psp-move-z": 0} {
		if n := env.sandbox.OrderCountByPspOrderCode(env.apiKey, code); n != want {
			t.Errorf("the sandbox has %d orders for %s, want %d", n, code, want)
		}
	}
}

// A replacement is planned twice (with the order, then without): the second plan is not a rival of
// the first. A new psp_order_code replaces the order; -replace keeping it is a plan-time error that
// names the order, since Cobo never gives a used psp_order_code to a new order.
func TestAccPaymentOrder_replacementClaims(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	tf := newCLIWorkspace(t)
	tf.write("main.tf", requiredProviders+env.config(namedOrder("test", "psp-replace-1")))
	tf.mustRun("init", "-input=false")
	tf.mustRun("apply", "-input=false", "-auto-approve")
	first := env.orderByPsp("psp-replace-1").OrderID

	keeps := `A new order needs a new psp_order_code.*replace order ` + first + `.*keeps its psp_order_code "psp-replace-1"`
	if out, code := tf.run("plan", "-input=false", "-replace="+orderAddr); code == 0 || !expectWords(keeps).MatchString(out) {
		t.Errorf("plan -replace: exit %d, want an error matching %q:\n%s", code, keeps, out)
	}
	// Terraform plans a tainted object as a new one, with neither the order nor its private data: its
	// one plan has no rival. (Its create then meets the order's psp_order_code: see adoption_test.go.)
	tf.mustRun("taint", orderAddr)
	if out := tf.mustRun("plan", "-input=false"); !regexp.MustCompile(`is tainted, so (it )?must be replaced`).MatchString(out) { // OpenTofu says "so it must"
		t.Errorf("plan of a tainted order does not replace it:\n%s", out)
	}
	tf.mustRun("untaint", orderAddr)

	tf.write("main.tf", requiredProviders+env.config(namedOrder("test", "psp-replace-2")))
	tf.mustRun("apply", "-input=false", "-auto-approve")
	tf.mustRun("plan", "-input=false", "-detailed-exitcode") // 0: no changes
	if env.orderByPsp("psp-replace-2") == nil {
		t.Errorf("no order for psp-replace-2 after the replacement")
	}
	tf.mustRun("destroy", "-input=false", "-auto-approve")
}

// Two webhook endpoint resources with one url: a plan-time error, whether the first is new or
// already in the state, and no second endpoint. -replace keeps its url: its two plans are one claim.
func TestAccWebhookEndpoint_urlClaims(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	url := "https://example.com/claimed"
	rivals := `url used by two resources.*"` + url + `"`
	tf := newCLIWorkspace(t)
	tf.write("main.tf", requiredProviders+env.config(namedEndpoint("a", url)+namedEndpoint("b", url)))
	tf.mustRun("init", "-input=false")
	if out, code := tf.run("plan", "-input=false"); code == 0 || !expectWords(rivals+`.*another one plans a new endpoint, and this one plans a new endpoint`).MatchString(out) {
		t.Errorf("two new endpoints for one url: exit %d, want a plan-time error:\n%s", code, out)
	}

	tf.write("main.tf", requiredProviders+env.config(namedEndpoint("a", url)))
	tf.mustRun("apply", "-input=false", "-auto-approve")
	held := env.endpointWithURL(url).EndpointID
	tf.write("main.tf", requiredProviders+env.config(namedEndpoint("a", url)+namedEndpoint("b", url)))
	if out, code := tf.run("plan", "-input=false"); code == 0 || !expectWords(rivals+`.*endpoint `+held).MatchString(out) {
		t.Errorf("a url held by an endpoint in the state: exit %d, want a plan-time error naming %s:\n%s", code, held, out)
	}

	tf.write("main.tf", requiredProviders+env.config(namedEndpoint("a", url)))
	tf.mustRun("apply", "-input=false", "-auto-approve", "-replace=cobo_webhook_endpoint.a")
	tf.mustRun("plan", "-input=false", "-detailed-exitcode") // 0: no changes
	if got := env.checkEndpointStatuses(url, "STATUS_INACTIVE", "STATUS_ACTIVE")(nil); got != nil {
		t.Error(got)
	}
	tf.mustRun("destroy", "-input=false", "-auto-approve")
}

// The claim rules: an existing object claiming its key again is no rival (a replacement's second
// plan); any other second claim is, two new objects included.
func TestClaimRivals(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name          string
		first, second string
		rivals        bool
	}{
		{"one order, planned twice", "O1", "O1", false},
		{"two orders", "O1", "O2", true},
		{"an order, then a new order", "O1", newObject, true},
		{"a new order, then an order", newObject, "O1", true},
		{"two new orders", newObject, newObject, true},
	}
	for _, c := range cases {
		cl := newClaims()
		if _, taken := cl.claim("psp-1", c.first); taken {
			t.Fatalf("%s: the first claim found the key taken", c.name)
		}
		holder, taken := cl.claim("psp-1", c.second)
		if rivals := taken && rival(holder, c.second); rivals != c.rivals || holder != c.first {
			t.Errorf("%s: holder %q, rivals %v; want holder %q, rivals %v", c.name, holder, rivals, c.first, c.rivals)
		}
	}
}
