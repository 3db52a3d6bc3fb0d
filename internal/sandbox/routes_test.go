package sandbox_test

import (
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
	"github.com/cobo-terraform/terraform-provider-cobo/internal/sandbox"
)

// README.md's API and helper tables list exactly the routes of the tables that serve them.
func TestReadmeListsEveryRoute(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	var api, helpers []string
	for _, r := range sandbox.APIRoutes {
		api = append(api, r.Method+" "+r.Path)
	}
	for _, r := range sandbox.HelperRoutes {
		helpers = append(helpers, r.Method+" "+r.Path)
	}
	checkReadmeTable(t, string(readme), "API", "/v2/", api, 4)
	checkReadmeTable(t, string(readme), "helper", "/_sandbox", helpers, 10)
}

// checkReadmeTable compares the README rows whose route starts with prefix ("| `METHOD /v2/...`")
// with the served routes; fewer than least served means the table was not read.
func checkReadmeTable(t *testing.T, readme, table, prefix string, served []string, least int) {
	t.Helper()
	documented := map[string]bool{}
	for _, m := range regexp.MustCompile("(?m)^\\| `([A-Z]+ "+regexp.QuoteMeta(prefix)+"[^`]*)`").FindAllStringSubmatch(readme, -1) {
		documented[m[1]] = true
	}
	for _, route := range served {
		if !documented[route] {
			t.Errorf("README.md's %s table does not list %s", table, route)
		}
	}
	for route := range documented {
		if !slices.Contains(served, route) {
			t.Errorf("README.md lists %s, which the sandbox does not serve", route)
		}
	}
	if len(served) < least {
		t.Fatalf("only %d %s routes: the table is not read", len(served), table)
	}
}

// Every row of the API table is dispatched: its method reaches a handler (never "no such API path"),
// another method on its path is 405 with an Allow header naming it, and GET /_sandbox lists it.
func TestEveryAPIRouteIsServed(t *testing.T) {
	t.Parallel()
	srv, c := startSandbox(t, sandbox.Options{})
	st, index := helper(t, srv.URL, "GET", "/_sandbox", "")
	listed := map[string]bool{}
	for _, r := range index["api"].([]any) {
		rm := r.(map[string]any)
		listed[rm["method"].(string)+" "+rm["path"].(string)] = true
	}
	if st != 200 || len(listed) != len(sandbox.APIRoutes) {
		t.Fatalf("index: %d, %d API routes listed, want %d", st, len(listed), len(sandbox.APIRoutes))
	}
	params := regexp.MustCompile(`\{[a-z_]+\}`)
	for _, route := range sandbox.APIRoutes {
		if !listed[route.Method+" "+route.Path] {
			t.Errorf("GET /_sandbox does not list %s %s", route.Method, route.Path)
		}
		path := params.ReplaceAllString(route.Path, "no-such-id")
		r := c.do(route.Method, path, "{}")
		if r.status == http.StatusNotFound && strings.Contains(string(r.body), "no such API path") {
			t.Errorf("%s %s is not routed: %s", route.Method, path, r.body)
		}
		r = c.do("PATCH", path, "")
		r.wantCoboError(t, http.StatusMethodNotAllowed, cobo.CodeInvalidParameter, "PATCH", route.Path)
		if allow := strings.Split(r.header.Get("Allow"), ", "); !slices.Contains(allow, route.Method) || !slices.IsSorted(allow) {
			t.Errorf("PATCH %s: Allow = %q, want a sorted list with %s", path, r.header.Get("Allow"), route.Method)
		}
	}
}

// An unknown API path names the path and the patterns served; an empty id segment is no route.
func TestUnknownAPIPathListsTheRoutes(t *testing.T) {
	t.Parallel()
	_, c := startSandbox(t, sandbox.Options{})
	c.do("GET", "/v2/payments/nothing", "").wantCoboError(t, 404, cobo.CodeNotFound, "/v2/payments/nothing", "/v2/payments/orders/{order_id}")
	c.do("PUT", "/v2/payments/orders/", `{"expired":true}`).wantCoboError(t, 404, cobo.CodeNotFound, "no such API path")
}
