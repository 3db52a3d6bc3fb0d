package contract

import (
	"bytes"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// sharedSpecDir finds the cobo-api folder the documents were copied from: $COBO_API_SPEC_DIR, or the
// nearest shared/cobo-api beside the module root or one of its parents (CI and the project's own
// checkouts have it; a user's clone does not).
func sharedSpecDir(t *testing.T) string {
	t.Helper()
	if dir := os.Getenv("COBO_API_SPEC_DIR"); dir != "" {
		return dir
	}
	dir, err := filepath.Abs("../..") // the module root, from internal/contract
	if err != nil {
		t.Fatal(err)
	}
	for {
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
		candidate := filepath.Join(dir, "shared", "cobo-api")
		if _, err := os.Stat(filepath.Join(candidate, OrdersSpecFile)); err == nil {
			return candidate
		}
	}
}

func TestSpecCopiesMatchShared(t *testing.T) {
	t.Parallel()
	dir := sharedSpecDir(t)
	if dir == "" {
		t.Skip("no shared/cobo-api beside the checkout or a parent, and COBO_API_SPEC_DIR is unset: nothing to compare the copies in internal/contract/spec with")
	}
	for _, name := range SpecFiles {
		shared, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		copied, err := specFiles.ReadFile("spec/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(shared, copied) {
			t.Errorf("internal/contract/spec/%s differs from %s: copy the shared file again (cp %s internal/contract/spec/)", name, filepath.Join(dir, name), filepath.Join(dir, name))
		}
	}
}

func TestSpecLoadsAndRoutesBothDocuments(t *testing.T) {
	t.Parallel()
	spec, err := LoadSpec()
	if err != nil {
		t.Fatal(err)
	}
	for doc, ops := range map[string]int{OrdersSpecFile: len(spec.Orders.Paths.Map()), WebhooksSpecFile: len(spec.Webhooks.Paths.Map()), PaymentsSpecFile: len(spec.Payments.Paths.Map())} {
		if ops == 0 {
			t.Errorf("%s: no paths loaded", doc)
		}
	}
	if len(spec.routers) != 3 || spec.event == nil || spec.undocumented.Len() != 1 {
		t.Fatalf("spec not fully built: %d routers, event schema %v, undocumented responses %d", len(spec.routers), spec.event != nil, spec.undocumented.Len())
	}
}

// TestKnownContradictionsStillPublished proves the patch is still needed: the documents as published
// still require `id`, which no property of the schema declares. When Cobo fixes one, remove its entry
// from knownContradictions (loadSpec also fails then, with that advice).
func TestKnownContradictionsStillPublished(t *testing.T) {
	t.Parallel()
	raw, err := loadDocument(WebhooksSpecFile)
	if err != nil {
		t.Fatal(err)
	}
	patched, err := LoadSpec()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range knownContradictions {
		published := raw.Components.Schemas[c.schema].Value
		if !slices.Contains(published.Required, c.published) || published.Properties[c.published] != nil {
			t.Errorf("%s as published no longer requires the undeclared %q: drop its patch", c.schema, c.published)
		}
		contract := patched.Webhooks.Components.Schemas[c.schema].Value
		if slices.Contains(contract.Required, c.published) || !slices.Contains(contract.Required, c.property) {
			t.Errorf("%s in the contract requires %v, want %q instead of %q", c.schema, contract.Required, c.property, c.published)
		}
	}
}

// leftAsPublished are required names without a property that the contract keeps as Cobo published
// them: any value under that key satisfies them, and the sandbox sends one.
var leftAsPublished = []string{
	// Transaction declares the property `type` (which Cobo's Go SDK reads) and requires `transaction_type`:
	// a transaction event's data carries both.
	"Transaction.transaction_type",
	"TransactionRawMessageSignDestination.message", // a raw-message-signing destination: never in pay-in data
	"WebhookEventLog.status",                       // so a delivery log carries a "status" key (the spec gives it no type)
}

// TestEveryRequiredNameIsDeclared walks every schema of both documents for `required` names that the
// same schema's properties do not declare: as published, exactly knownContradictions and
// leftAsPublished; as the contract loads them, only leftAsPublished. A new Cobo release with another
// such entry fails here, by name, so someone decides about it.
func TestEveryRequiredNameIsDeclared(t *testing.T) {
	t.Parallel()
	var published []string
	for _, name := range SpecFiles {
		doc, err := loadDocument(name)
		if err != nil {
			t.Fatal(err)
		}
		published = append(published, undeclaredRequired(doc)...)
	}
	want := slices.Clone(leftAsPublished)
	for _, c := range knownContradictions {
		want = append(want, c.schema+"."+c.published)
	}
	slices.Sort(published)
	slices.Sort(want)
	if !slices.Equal(published, want) {
		t.Errorf("required names without a property, as published: %v; want the patched %v and the kept %v", published, knownContradictions, leftAsPublished)
	}
	spec, err := LoadSpec()
	if err != nil {
		t.Fatal(err)
	}
	left := append(append(undeclaredRequired(spec.Orders), undeclaredRequired(spec.Webhooks)...), undeclaredRequired(spec.Payments)...)
	slices.Sort(left)
	if !slices.Equal(left, leftAsPublished) {
		t.Errorf("the contract requires undeclared names %v, want only %v", left, leftAsPublished)
	}
}

// undeclaredRequired lists "Schema.name" for each required name of a component schema (or a schema
// nested in it, named after the component) that declares properties but not that one.
func undeclaredRequired(doc *openapi3.T) []string {
	var found []string
	components := map[*openapi3.Schema]string{}
	for name, ref := range doc.Components.Schemas {
		components[ref.Value] = name
	}
	seen := map[*openapi3.Schema]bool{}
	var walk func(owner string, s *openapi3.Schema)
	walk = func(owner string, s *openapi3.Schema) {
		if s == nil || seen[s] {
			return
		}
		seen[s] = true
		if name, ok := components[s]; ok {
			owner = name
		}
		for _, r := range s.Required {
			if len(s.Properties) > 0 && s.Properties[r] == nil {
				found = append(found, owner+"."+r)
			}
		}
		for _, p := range s.Properties {
			walk(owner, p.Value)
		}
		for _, group := range []openapi3.SchemaRefs{s.AllOf, s.OneOf, s.AnyOf} {
			for _, ref := range group {
				walk(owner, ref.Value)
			}
		}
		if s.Items != nil {
			walk(owner, s.Items.Value)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(doc.Components.Schemas)) {
		walk(name, doc.Components.Schemas[name].Value)
	}
	return found
}
