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

// README.md's API table lists exactly the routes of the table that serves them.
func TestReadmeListsEveryAPIRoute(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for _, m := range regexp.MustCompile("(?m)^\\| `([A-Z]+ /v2/[^`]*)`").FindAllStringSubmatch(string(readme), -1) {
		documented[m[1]] = true
	}
	served := map[string]bool{}
	for _, r := range sandbox.APIRoutes {
		served[r.Method+" "+r.Path] = true
		if !documented[r.Method+" "+r.Path] {
			t.Errorf("README.md's API table does not list %s %s", r.Method, r.Path)
		}
	}
	for route := range documented {
		if !served[route] {
			t.Errorf("README.md lists %s, which the sandbox does not serve", route)
		}
	}
	if len(served) < 4 {
		t.Fatalf("only %d API routes: the table is not read", len(served))
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
