package provider

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

const webhookAddr = "cobo_webhook_endpoint.test"

const webhookEndpointsPath = "/v2/webhooks/endpoints"

// endpointsWithURL returns this env's endpoints with that url, in registration order.
func (e *testEnv) endpointsWithURL(url string) []cobo.WebhookEndpoint {
	var out []cobo.WebhookEndpoint
	for _, ep := range e.sandbox.WebhookEndpoints(e.apiKey) {
		if ep.URL == url {
			out = append(out, ep)
		}
	}
	return out
}

// endpointWithURL is the latest endpoint with that url.
func (e *testEnv) endpointWithURL(url string) cobo.WebhookEndpoint {
	e.t.Helper()
	found := e.endpointsWithURL(url)
	if len(found) == 0 {
		e.t.Fatalf("the sandbox has no webhook endpoint for %s", url)
	}
	return found[len(found)-1]
}

// checkEndpointStatuses checks the statuses of the endpoints with url, in registration order.
func (e *testEnv) checkEndpointStatuses(url string, want ...string) func(*terraform.State) error {
	return func(*terraform.State) error {
		var got []string
		for _, ep := range e.endpointsWithURL(url) {
			got = append(got, ep.Status)
		}
		if !slices.Equal(got, want) {
			return fmt.Errorf("the endpoints for %s are %v in Cobo, want %v", url, got, want)
		}
		return nil
	}
}

// seedEndpoint registers an endpoint directly through the client, as Cobo Portal or another system would.
func (e *testEnv) seedEndpoint(req cobo.CreateWebhookEndpointRequest) *cobo.WebhookEndpoint {
	e.t.Helper()
	ep, err := e.client.CreateWebhookEndpointOnce(e.t.Context(), req)
	if err != nil {
		e.t.Fatalf("seeding webhook endpoint %s: %v", req.URL, err)
	}
	return ep
}

// revokeEndpoint revokes an endpoint outside Terraform.
func (e *testEnv) revokeEndpoint(id string) {
	e.t.Helper()
	if _, err := e.client.UpdateWebhookEndpoint(e.t.Context(), id, cobo.UpdateWebhookEndpointRequest{Status: cobo.EndpointStatusInactive}); err != nil {
		e.t.Fatalf("revoking webhook endpoint %s: %v", id, err)
	}
}

// expectEndpointAt checks every attribute of a webhook endpoint resource or data source against the
// endpoint Cobo (the sandbox) has. An endpoint without a description shows null.
func expectEndpointAt(addr string, ep cobo.WebhookEndpoint) []statecheck.StateCheck {
	events := make([]knownvalue.Check, 0, len(ep.SubscribedEvents))
	for _, ev := range ep.SubscribedEvents {
		events = append(events, knownvalue.StringExact(ev))
	}
	var description knownvalue.Check = knownvalue.Null()
	if ep.Description != nil && *ep.Description != "" {
		description = knownvalue.StringExact(*ep.Description)
	}
	want := map[string]knownvalue.Check{
		"id":                knownvalue.StringExact(ep.EndpointID),
		"endpoint_id":       knownvalue.StringExact(ep.EndpointID),
		"url":               knownvalue.StringExact(ep.URL),
		"subscribed_events": knownvalue.SetExact(events),
		"description":       description,
		"status":            knownvalue.StringExact(ep.Status),
		"created_timestamp": knownvalue.Int64Exact(ep.CreatedTimestamp),
	}
	return expectEveryAttribute(addr, tfjsonpath.New, slices.Collect(maps.Keys(webhookEndpointDescriptions)), want)
}

// expectSandboxEndpoint checks addr against the sandbox's latest endpoint for url, when the state is
// checked.
func (e *testEnv) expectSandboxEndpoint(addr, url string) statecheck.StateCheck {
	return lazyChecks(func() []statecheck.StateCheck { return expectEndpointAt(addr, e.endpointWithURL(url)) })
}

// checkBodies checks the bodies of the requests with that method and path prefix, as JSON.
func (e *testEnv) checkBodies(method, pathPrefix string, want ...string) func(*terraform.State) error {
	return func(*terraform.State) error {
		got := e.requests(method, pathPrefix)
		if len(got) != len(want) {
			return fmt.Errorf("want %d %s %s requests, got %d: %+v", len(want), method, pathPrefix, len(got), got)
		}
		for i, r := range got {
			if !sameJSON(r.Body, want[i]) {
				return fmt.Errorf("%s %s body on the wire:\n got %s\nwant %s", method, r.Path, r.Body, want[i])
			}
		}
		return nil
	}
}

// sameJSON compares two JSON documents, arrays of strings as sets (a set's order is Terraform's).
func sameJSON(a, b string) bool {
	var x, y map[string]any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	norm := func(m map[string]any) string {
		for k, v := range m {
			if list, ok := v.([]any); ok {
				slices.SortFunc(list, func(p, q any) int { return strings.Compare(fmt.Sprint(p), fmt.Sprint(q)) })
				m[k] = list
			}
		}
		out, _ := json.Marshal(m)
		return string(out)
	}
	return norm(x) == norm(y)
}

func TestAccWebhookEndpoint_createUpdateClearImportAndRevokeOnDestroy(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	url := "https://example.com/cobo/orders"
	cfg := func(lines ...string) string {
		return env.config(webhookEndpointConfig(append([]string{fmt.Sprintf("url = %q", url)}, lines...)...))
	}
	unitTest(t, resource.TestCase{
		CheckDestroy: resource.ComposeTestCheckFunc(
			env.checkEndpointStatuses(url, cobo.EndpointStatusInactive),
			func(s *terraform.State) error {
				puts := env.requests(http.MethodPut, webhookEndpointsPath+"/")
				if last := puts[len(puts)-1]; last.Body != `{"status":"STATUS_INACTIVE"}` {
					return fmt.Errorf("destroy sent %s, want the revoke", last.Body)
				}
				return nil
			}),
		Steps: []resource.TestStep{
			{
				Config:            cfg(`subscribed_events = ["payment.order.status.updated", "payment.transaction.completed"]`, `description = "orders"`),
				ConfigPlanChecks:  emptyPlanAfterApply,
				ConfigStateChecks: []statecheck.StateCheck{env.expectSandboxEndpoint(webhookAddr, url), statecheck.ExpectKnownValue(webhookAddr, tfjsonpath.New("status"), knownvalue.StringExact(cobo.EndpointStatusActive))},
				Check: resource.ComposeTestCheckFunc(
					env.checkBodies(http.MethodPost, webhookEndpointsPath, `{"url":"`+url+`","subscribed_events":["payment.order.status.updated","payment.transaction.completed"],"description":"orders"}`),
					func(*terraform.State) error { // the url is looked up before the POST
						if rs := env.sandbox.Requests(); rs[0].Method != http.MethodGet || rs[0].Path != webhookEndpointsPath || rs[1].Method != http.MethodPost {
							return fmt.Errorf("want GET %s, then the POST; got %s %s, %s %s", webhookEndpointsPath, rs[0].Method, rs[0].Path, rs[1].Method, rs[1].Path)
						}
						return nil
					}),
			},
			{
				Config: cfg(`subscribed_events = ["payment.order.status.updated", "payment.transaction.late"]`, `description = "orders and late payments"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(webhookAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{env.expectSandboxEndpoint(webhookAddr, url)},
				Check: resource.ComposeTestCheckFunc(
					env.checkBodies(http.MethodPut, webhookEndpointsPath+"/", `{"subscribed_events":["payment.order.status.updated","payment.transaction.late"],"description":"orders and late payments"}`),
					env.checkEndpointStatuses(url, cobo.EndpointStatusActive)),
			},
			{
				// Removing the description clears it in Cobo.
				Config: cfg(`subscribed_events = ["payment.order.status.updated", "payment.transaction.late"]`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(webhookAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{env.expectSandboxEndpoint(webhookAddr, url), statecheck.ExpectKnownValue(webhookAddr, tfjsonpath.New("description"), knownvalue.Null())},
				Check:             env.checkBodies(http.MethodPut, webhookEndpointsPath+"/", `{"subscribed_events":["payment.order.status.updated","payment.transaction.late"],"description":"orders and late payments"}`, `{"description":""}`),
			},
			{ResourceName: webhookAddr, ImportState: true, ImportStateVerify: true},
		},
	})
}

func TestAccWebhookEndpoint_urlChangeRegistersANewEndpointAndRevokesTheOld(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	first, second := "https://example.com/hooks/v1", "https://example.com/hooks/v2"
	cfg := func(url string) string {
		return env.config(webhookEndpointConfig(fmt.Sprintf("url = %q", url), `subscribed_events = ["payment.order.status.updated"]`))
	}
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: cfg(first), ConfigPlanChecks: emptyPlanAfterApply},
			{
				Config: cfg(second),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(webhookAddr, plancheck.ResourceActionDestroyBeforeCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{env.expectSandboxEndpoint(webhookAddr, second)},
				Check: resource.ComposeTestCheckFunc(
					env.checkEndpointStatuses(first, cobo.EndpointStatusInactive),
					env.checkEndpointStatuses(second, cobo.EndpointStatusActive)),
			},
		},
	})
}

// A url that already has an endpoint is refused before any POST, naming the endpoint, with the import
// block that adopts it; that block then works, and plans no change.
func TestAccWebhookEndpoint_duplicateURLIsRefusedWithTheImportBlock(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	url := "https://example.com/existing"
	existing := env.seedEndpoint(cobo.CreateWebhookEndpointRequest{URL: url, SubscribedEvents: []string{cobo.EventPaymentOrderStatusUpdated}})
	resourceBlock := webhookEndpointConfig(fmt.Sprintf("url = %q", url), `subscribed_events = ["payment.order.status.updated"]`)
	id := existing.EndpointID
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				Config: env.config(resourceBlock),
				ExpectError: expectWords(fmt.Sprintf(`A webhook endpoint already exists for this url.*%s.*endpoint_id %s, status STATUS_ACTIVE.*`+
					`import { to = cobo_webhook_endpoint.NAME id = "%s" }.*identity = { endpoint_id = "%s" }`, url, id, id, id)),
			},
			{
				Config: env.config(fmt.Sprintf("import {\n  to = %s\n  id = %q\n}\n", webhookAddr, id) + resourceBlock),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(webhookAddr, plancheck.ResourceActionNoop)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: expectEndpointAt(webhookAddr, *existing),
			},
		},
	})
	if posts := env.requests(http.MethodPost, webhookEndpointsPath); len(posts) != 1 { // the seed's
		t.Errorf("the provider registered an endpoint for a url that had one: %d POSTs", len(posts))
	}
}

// Two resources with one url in one configuration: a plan-time error, and no endpoint.
func TestAccWebhookEndpoint_twoResourcesWithOneURLMakeOneEndpoint(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	url := "https://example.com/shared"
	block := func(name string) string {
		return strings.Replace(webhookEndpointConfig(fmt.Sprintf("url = %q", url), `subscribed_events = ["payment.order.status.updated"]`), `"test"`, fmt.Sprintf("%q", name), 1)
	}
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:      env.config(block("one") + block("two")),
			PlanOnly:    true,
			ExpectError: expectWords(`url used by two resources`),
		}},
	})
	if got := env.endpointsWithURL(url); len(got) != 0 {
		t.Errorf("want no endpoint for %s, the sandbox has %d", url, len(got))
	}
}

// The POST's answer is lost after Cobo registered the endpoint: the client finds it instead of
// registering a second one.
func TestAccWebhookEndpoint_droppedConnectionAfterCommittedCreateMakesOneEndpoint(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	url := "https://example.com/dropped"
	env.sandbox.AddFault(sandbox.Fault{Method: http.MethodPost, Path: webhookEndpointsPath, DropConnection: true, AfterCommit: true, Times: 1})
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config:            env.config(webhookEndpointConfig(fmt.Sprintf("url = %q", url), `subscribed_events = ["payment.order.status.updated"]`)),
			ConfigPlanChecks:  emptyPlanAfterApply,
			ConfigStateChecks: []statecheck.StateCheck{env.expectSandboxEndpoint(webhookAddr, url)},
			Check: resource.ComposeTestCheckFunc(
				env.checkEndpointStatuses(url, cobo.EndpointStatusActive),
				func(*terraform.State) error {
					if posts := env.requests(http.MethodPost, webhookEndpointsPath); len(posts) != 1 {
						return fmt.Errorf("the create must not be repeated once the endpoint is found; %d POSTs", len(posts))
					}
					return nil
				}),
		}},
	})
}

func TestAccWebhookEndpointIdentity_keptThroughCreateUpdateAndImportBlocks(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	url := "https://example.com/identity"
	byID := env.seedEndpoint(cobo.CreateWebhookEndpointRequest{URL: "https://example.com/by-id", SubscribedEvents: []string{cobo.EventPaymentTransactionCreated}, Description: "by id"})
	byIdentity := env.seedEndpoint(cobo.CreateWebhookEndpointRequest{URL: "https://example.com/by-identity", SubscribedEvents: []string{cobo.EventPaymentTransactionLate, cobo.EventPaymentOrderStatusUpdated}})
	identity := func() []statecheck.StateCheck {
		return []statecheck.StateCheck{
			statecheck.ExpectIdentity(webhookAddr, map[string]knownvalue.Check{"endpoint_id": knownvalue.StringExact(env.endpointWithURL(url).EndpointID)}),
			statecheck.ExpectIdentityValueMatchesState(webhookAddr, tfjsonpath.New("endpoint_id")),
		}
	}
	cfg := func(events string) string {
		return env.config(webhookEndpointConfig(fmt.Sprintf("url = %q", url), "subscribed_events = "+events))
	}
	imports := fmt.Sprintf(`
import {
  to = cobo_webhook_endpoint.by_id
  id = %q
}
resource "cobo_webhook_endpoint" "by_id" {
  url               = "https://example.com/by-id"
  subscribed_events = ["payment.transaction.created"]
  description       = "by id"
}

import {
  to       = cobo_webhook_endpoint.by_identity
  identity = { endpoint_id = %q }
}
resource "cobo_webhook_endpoint" "by_identity" {
  url               = "https://example.com/by-identity"
  subscribed_events = ["payment.order.status.updated", "payment.transaction.late"]
}
`, byID.EndpointID, byIdentity.EndpointID)
	unitTestOn(t, skipBelowIdentity, resource.TestCase{
		Steps: []resource.TestStep{
			{Config: cfg(`["payment.order.status.updated"]`), ConfigPlanChecks: emptyPlanAfterApply, ConfigStateChecks: []statecheck.StateCheck{lazyChecks(identity)}},
			{Config: cfg(`["payment.transaction.completed"]`), ConfigPlanChecks: emptyPlanAfterApply, ConfigStateChecks: []statecheck.StateCheck{lazyChecks(identity)}},
			importBlockChangingNothing(webhookAddr, resource.ImportBlockWithResourceIdentity, cfg(`["payment.transaction.completed"]`)),
			{
				Config: cfg(`["payment.transaction.completed"]`) + imports,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("cobo_webhook_endpoint.by_id", plancheck.ResourceActionNoop),
						plancheck.ExpectResourceAction("cobo_webhook_endpoint.by_identity", plancheck.ResourceActionNoop),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: append(append(
					expectEndpointAt("cobo_webhook_endpoint.by_id", *byID),
					expectEndpointAt("cobo_webhook_endpoint.by_identity", *byIdentity)...),
					statecheck.ExpectIdentity("cobo_webhook_endpoint.by_identity", map[string]knownvalue.Check{"endpoint_id": knownvalue.StringExact(byIdentity.EndpointID)}),
					statecheck.CompareValuePairs("cobo_webhook_endpoint.by_id", tfjsonpath.New("id"), "cobo_webhook_endpoint.by_id", tfjsonpath.New("endpoint_id"), compare.ValuesSame())),
			},
		},
	})
}

func TestAccWebhookEndpointDataSource_readsEveryAttributeAnyStatus(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	live := env.seedEndpoint(cobo.CreateWebhookEndpointRequest{URL: "https://example.com/live", SubscribedEvents: []string{cobo.EventPaymentOrderStatusUpdated, cobo.EventPaymentTransactionCompleted}, Description: "shop"})
	revoked := env.seedEndpoint(cobo.CreateWebhookEndpointRequest{URL: "http://127.0.0.1:9/gone", SubscribedEvents: []string{cobo.EventPaymentTransactionLate}})
	env.revokeEndpoint(revoked.EndpointID)
	revoked.Status = cobo.EndpointStatusInactive
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: env.config(fmt.Sprintf(`
data "cobo_webhook_endpoint" "live" { endpoint_id = %q }
data "cobo_webhook_endpoint" "revoked" { endpoint_id = %q }
`, live.EndpointID, revoked.EndpointID)),
			ConfigStateChecks: append(expectEndpointAt("data.cobo_webhook_endpoint.live", *live), expectEndpointAt("data.cobo_webhook_endpoint.revoked", *revoked)...),
		}},
	})
}

func TestAccWebhookEndpointDataSource_unknownEndpointIsAnErrorNamingIt(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t)
	id := "8f2e919a-6a7b-4a9b-8c1a-4c0b3f5b8b1f"
	unitTest(t, resource.TestCase{
		Steps: []resource.TestStep{{
			Config: env.config(fmt.Sprintf(`data "cobo_webhook_endpoint" "test" { endpoint_id = %q }`, id)),
			// The id, the URL called, Cobo's code, message and error_id all reach the user.
			ExpectError: expectWords(fmt.Sprintf(`Unable to read webhook endpoint "%s".*GET \S*/v2/webhooks/endpoints/%s answered HTTP 404,\s+error_code\s+2028.*error_message.*error_id\s+"[0-9a-f]+"`, id, id)),
		}},
	})
}
