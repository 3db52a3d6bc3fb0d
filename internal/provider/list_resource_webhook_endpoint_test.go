package provider

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// seedQueryEndpoints registers 55 endpoints, more than one page: 52 for order status events (q-00
// with a description), 3 for transaction events; q-51 is then revoked.
func (e *testEnv) seedQueryEndpoints() map[string]*cobo.WebhookEndpoint {
	e.t.Helper()
	endpoints := map[string]*cobo.WebhookEndpoint{}
	for i := range 55 {
		name := fmt.Sprintf("q-%02d", i)
		events, description := []string{cobo.EventPaymentOrderStatusUpdated}, ""
		if i == 0 {
			description = "orders of the shop"
		}
		if i >= 52 {
			events = []string{cobo.EventPaymentTransactionCreated, cobo.EventPaymentTransactionCompleted}
		}
		endpoints[name] = e.seedEndpoint(cobo.CreateWebhookEndpointRequest{URL: "https://hooks.example.com/" + name, SubscribedEvents: events, Description: description})
	}
	e.revokeEndpoint(endpoints["q-51"].EndpointID)
	return endpoints
}

func endpointIdentity(ep *cobo.WebhookEndpoint) map[string]knownvalue.Check {
	return map[string]knownvalue.Check{"endpoint_id": knownvalue.StringExact(ep.EndpointID)}
}

func TestAccWebhookList_filtersPagesAndResults(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	skipWithoutQuery(t) // before registering 55 endpoints
	eps := env.seedQueryEndpoints()
	listBlock := func(name, config string, extra ...string) string {
		return fmt.Sprintf("list \"cobo_webhook_endpoint\" %q {\n  provider = cobo\n  %s\n  config {\n    %s\n  }\n}\n", name, joinLines(extra), config)
	}
	query := "" +
		listBlock("live", "") +
		listBlock("active", `status = "STATUS_ACTIVE"`) +
		listBlock("revoked", `status = "STATUS_INACTIVE"`) +
		listBlock("transactions", `event_type = "payment.transaction.completed"`, "include_resource = true") +
		listBlock("orders", `event_type = "payment.order.status.updated"`, "include_resource = true") +
		listBlock("capped", `status = "STATUS_ACTIVE"`, "limit = 7") // with a status filter nothing is skipped: the walk asks only 7
	first, txn := eps["q-00"], eps["q-53"]

	queryTest(t, env, resource.TestStep{
		Config: query,
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength("cobo_webhook_endpoint.live", 54),
			querycheck.ExpectLength("cobo_webhook_endpoint.active", 54),
			querycheck.ExpectLength("cobo_webhook_endpoint.revoked", 1),
			querycheck.ExpectLength("cobo_webhook_endpoint.transactions", 3),
			querycheck.ExpectLength("cobo_webhook_endpoint.orders", 51),
			querycheck.ExpectLength("cobo_webhook_endpoint.capped", 7),
			querycheck.ExpectIdentity("cobo_webhook_endpoint.live", endpointIdentity(eps["q-54"])),
			querycheck.ExpectNoIdentity("cobo_webhook_endpoint.live", endpointIdentity(eps["q-51"])),
			querycheck.ExpectIdentity("cobo_webhook_endpoint.revoked", endpointIdentity(eps["q-51"])),
			querycheck.ExpectNoIdentity("cobo_webhook_endpoint.transactions", endpointIdentity(first)),
			querycheck.ExpectResourceDisplayName("cobo_webhook_endpoint.transactions", queryfilter.ByResourceIdentity(endpointIdentity(txn)),
				knownvalue.StringExact(fmt.Sprintf("https://hooks.example.com/q-53 (%s, STATUS_ACTIVE)", txn.EndpointID))),
			querycheck.ExpectResourceKnownValues("cobo_webhook_endpoint.transactions", queryfilter.ByResourceIdentity(endpointIdentity(txn)),
				endpointResourceValues(txn, knownvalue.Null(), cobo.EventPaymentTransactionCreated, cobo.EventPaymentTransactionCompleted)),
			querycheck.ExpectResourceKnownValues("cobo_webhook_endpoint.orders", queryfilter.ByResourceIdentity(endpointIdentity(first)),
				endpointResourceValues(first, knownvalue.StringExact("orders of the shop"), cobo.EventPaymentOrderStatusUpdated)),
		},
	})
	env.expectEndpointListQueries(t)
}

// expectEndpointListQueries checks that the filters went to Cobo and the pages were followed by cursor.
func (e *testEnv) expectEndpointListQueries(t *testing.T) {
	t.Helper()
	queries := e.listQueries("/v2/webhooks/endpoints")
	sent := func(key, value string) bool { return sentQuery(queries, key, value) }
	for _, want := range [][2]string{{"status", "STATUS_INACTIVE"}, {"event_type", "payment.transaction.completed"}, {"limit", "50"}, {"limit", "7"}} {
		if !sent(want[0], want[1]) {
			t.Errorf("no endpoint list request with %s=%s among %v", want[0], want[1], queries)
		}
	}
	if !slices.ContainsFunc(queries, func(q url.Values) bool { return q.Get("after") != "" }) {
		t.Error("no endpoint list request followed a cursor (after)")
	}
}

// endpointResourceValues is what the query shows for a seeded endpoint: the resource as an import
// reads it.
func endpointResourceValues(ep *cobo.WebhookEndpoint, description knownvalue.Check, events ...string) []querycheck.KnownValueCheck {
	eventChecks := make([]knownvalue.Check, len(events))
	for i, ev := range events {
		eventChecks[i] = knownvalue.StringExact(ev)
	}
	values := map[string]knownvalue.Check{
		"id": knownvalue.StringExact(ep.EndpointID), "endpoint_id": knownvalue.StringExact(ep.EndpointID),
		"url": knownvalue.StringExact(ep.URL), "subscribed_events": knownvalue.SetExact(eventChecks),
		"description": description, "status": knownvalue.StringExact(cobo.EndpointStatusActive),
		"created_timestamp": knownvalue.Int64Exact(ep.CreatedTimestamp),
	}
	checks := make([]querycheck.KnownValueCheck, 0, len(values))
	for name, c := range values {
		checks = append(checks, querycheck.KnownValueCheck{Path: tfjsonpath.New(name), KnownValue: c})
	}
	return checks
}

// terraform query -generate-config-out writes a resource and an import block per live endpoint, and
// applying them imports every endpoint unchanged: the next plan is empty, and nothing but reads is sent.
func TestAccWebhookList_generatedConfigImportsEveryEndpointUnchanged(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	w := newQueryWorkspace(t)
	described := env.seedEndpoint(cobo.CreateWebhookEndpointRequest{URL: "https://hooks.example.com/gen-described",
		SubscribedEvents: []string{cobo.EventPaymentOrderStatusUpdated, cobo.EventPaymentTransactionLate}, Description: "the shop's order handler"})
	plain := env.seedEndpoint(cobo.CreateWebhookEndpointRequest{URL: "http://127.0.0.1:9/gen-plain", SubscribedEvents: []string{cobo.EventPaymentTransactionCompleted}})
	env.revokeEndpoint(env.seedEndpoint(cobo.CreateWebhookEndpointRequest{URL: "https://hooks.example.com/gen-revoked", SubscribedEvents: []string{cobo.EventPaymentOrderStatusUpdated}}).EndpointID)

	generated := w.generateConfig(t, env, "list \"cobo_webhook_endpoint\" \"all\" {\n  provider         = cobo\n  include_resource = true\n}\n", "endpoints.tf")
	if n := strings.Count(string(generated), "import {"); n != 2 {
		t.Fatalf("want 2 import blocks (the live endpoints, not the revoked one), got %d", n)
	}
	for _, ep := range []*cobo.WebhookEndpoint{described, plain} {
		if !regexp.MustCompile(`identity = \{\s+endpoint_id = "` + ep.EndpointID + `"`).Match(generated) {
			t.Errorf("no import block by identity for %s", ep.EndpointID)
		}
	}
	// Terraform writes an optional attribute that is null as `= null`.
	if !regexp.MustCompile(`description\s+= "the shop's order handler"`).Match(generated) || len(regexp.MustCompile(`description\s+= null`).FindAll(generated, -1)) != 1 {
		t.Error("gen-described should be written with its description, gen-plain with description = null")
	}

	w.applyImportsChangingNothing(t, env, 2, "endpoints")
}

// A status Cobo does not have fails the query before any request; an undocumented event type warns
// and is sent (Cobo adds types).
func TestAccWebhookList_badStatusIsAnErrorBeforeAnyRequest(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	queryTest(t, env, resource.TestStep{
		Config:      "list \"cobo_webhook_endpoint\" \"bad\" {\n  provider = cobo\n  config {\n    status = \"ACTIVE\"\n  }\n}\n",
		ExpectError: expectWords(`Invalid Attribute Value Match.*status value must be one of:.*"STATUS_ACTIVE"`),
	})
	if n := len(env.sandbox.Requests()); n != 0 {
		t.Errorf("an invalid query reached Cobo: %d requests", n)
	}
}

// An event_type filter Cobo does not document warns, naming the nearest type, and is still sent:
// Cobo, here the sandbox, judges it.
func TestAccWebhookList_undocumentedEventTypeWarnsAndIsSent(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	w := newQueryWorkspace(t)
	w.write("main.tf", requiredProviders+env.providerBlock())
	w.write("endpoints.tfquery.hcl", "list \"cobo_webhook_endpoint\" \"typo\" {\n  provider = cobo\n  config {\n    event_type = \"payment.order.status.update\"\n  }\n}\n")
	w.mustRun("init", "-input=false")
	out, code := w.run("query")
	if !strings.Contains(out, "Unknown webhook event type") || !strings.Contains(out, `did you mean "payment.order.status.updated"?`) {
		t.Errorf("no warning naming the nearest type:\n%s", out)
	}
	if lists := env.requests(http.MethodGet, "/v2/webhooks/endpoints"); len(lists) == 0 || !strings.Contains(lists[0].Query, "event_type=payment.order.status.update") {
		t.Errorf("the filter was not sent to Cobo: %+v", lists)
	}
	// The sandbox, like Cobo, refuses a type it does not know.
	if code == 0 || !expectWords(`Unable to list webhook endpoints.*HTTP 400, error_code 2006`).MatchString(out) {
		t.Errorf("want the sandbox's 400 / 2006 for the unknown type (exit code %d):\n%s", code, out)
	}
}
