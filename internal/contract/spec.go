package contract

import (
	"context"
	"embed"
	"fmt"
	"net/url"
	"slices"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// The two documents are copies of ../shared/cobo-api (see spec/README.md); TestSpecCopiesMatchShared keeps
// them byte-identical to it.
const (
	OrdersSpecFile   = "payment-orders.openapi.yaml"
	WebhooksSpecFile = "webhooks.openapi.yaml"
	PaymentsSpecFile = "payments-merchants-refunds.openapi.yaml"
)

// SpecFiles are the three documents, in the order their routers are tried.
var SpecFiles = []string{OrdersSpecFile, WebhooksSpecFile, PaymentsSpecFile}

//go:embed spec/payment-orders.openapi.yaml spec/webhooks.openapi.yaml spec/payments-merchants-refunds.openapi.yaml
var specFiles embed.FS

// apiBase is the path every Cobo operation is served under (the spec's servers end in /v2). The routers
// match it on any host, so one Spec serves every sandbox port.
const apiBase = "/v2"

// Spec is Cobo's two OpenAPI documents, loaded, checked and patched (see patchKnownContradictions),
// with a router for each. It is read-only once loaded and safe for concurrent use.
type Spec struct {
	Orders   *openapi3.T
	Webhooks *openapi3.T
	Payments *openapi3.T // merchants, refunds, balances, supported tokens and exchange rates

	routers []routers.Router // in the order they are tried: orders, webhooks, payments
	event   *openapi3.Schema // components.schemas.WebhookEvent of the webhooks document
	// undocumented are the responses allowed to a /v2 request no operation documents: the 4XX
	// ErrorResponse (components.responses.badRequestError) every operation of both documents uses.
	undocumented *openapi3.Responses
}

// LoadSpec loads the embedded documents once; every Validator shares the result.
var LoadSpec = sync.OnceValues(loadSpec)

func loadSpec() (*Spec, error) {
	orders, err := loadDocument(OrdersSpecFile)
	if err != nil {
		return nil, err
	}
	webhooks, err := loadDocument(WebhooksSpecFile)
	if err != nil {
		return nil, err
	}
	payments, err := loadDocument(PaymentsSpecFile)
	if err != nil {
		return nil, err
	}
	if err := patchKnownContradictions(webhooks); err != nil {
		return nil, err
	}
	if err := addPaymentsEventData(webhooks, payments); err != nil {
		return nil, err
	}
	s := &Spec{Orders: orders, Webhooks: webhooks, Payments: payments}
	for _, doc := range []*openapi3.T{orders, webhooks, payments} {
		r, err := gorillamux.NewRouter(doc)
		if err != nil {
			return nil, fmt.Errorf("routing %s: %w", doc.Info.Title, err)
		}
		s.routers = append(s.routers, r)
	}
	s.event = webhooks.Components.Schemas["WebhookEvent"].Value
	errBody := orders.Components.Responses["badRequestError"]
	if errBody == nil || errBody.Value == nil {
		return nil, fmt.Errorf("%s: components.responses.badRequestError is missing", OrdersSpecFile)
	}
	s.undocumented = openapi3.NewResponses()
	s.undocumented.Set("4XX", errBody)
	return s, nil
}

// loadDocument parses one embedded document as Cobo published it (no patch), validates it as OpenAPI
// 3.0 and serves its operations under /v2 on any host (the published servers are Cobo's hosts).
func loadDocument(name string) (*openapi3.T, error) {
	raw, err := specFiles.ReadFile("spec/" + name)
	if err != nil {
		return nil, err
	}
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	if err != nil {
		return nil, fmt.Errorf("loading %s: %w", name, err)
	}
	// Examples are left out: they document, they do not constrain answers, and Cobo's webhooks document
	// gives one object schema (the EIP-712 typed data of a transaction) a JSON string as its example.
	if err := doc.Validate(context.Background(), openapi3.DisableExamplesValidation()); err != nil {
		return nil, fmt.Errorf("%s is not a valid OpenAPI document: %w", name, err)
	}
	if err := checkServers(name, doc); err != nil {
		return nil, err
	}
	doc.Servers = openapi3.Servers{{URL: apiBase}}
	return doc, nil
}

// checkServers makes sure the /v2 routing stays right: every published server must end in /v2.
func checkServers(name string, doc *openapi3.T) error {
	for _, s := range doc.Servers {
		u, err := url.Parse(s.URL)
		if err != nil || u.Path != apiBase {
			return fmt.Errorf("%s: server %q does not end in %s; the contract routes operations under %s", name, s.URL, apiBase, apiBase)
		}
	}
	return nil
}

// knownContradictions are `required` entries of the spec that name a property the schema does not
// declare, where the project sends the declared property instead (cobo-api README: "the required lists
// of WebhookEndpoint and WebhookEvent name `id`, while their properties are endpoint_id and event_id
// ... Send the property names"). Validated as published, every answer the project means to give would
// fail. The contract requires the value under the declared name instead, so an answer without its id
// still fails: the patch renames, it never drops a check. TestEveryRequiredNameIsDeclared lists every
// undeclared required name of both documents (the others are kept as published), and
// TestKnownContradictionsStillPublished fails once Cobo fixes one, so its patch is removed then.
var knownContradictions = []struct{ schema, published, property string }{
	{"WebhookEndpoint", "id", "endpoint_id"},
	{"WebhookEvent", "id", "event_id"},
}

func patchKnownContradictions(doc *openapi3.T) error {
	for _, c := range knownContradictions {
		ref := doc.Components.Schemas[c.schema]
		if ref == nil || ref.Value == nil {
			return fmt.Errorf("%s: components.schemas.%s is missing", WebhooksSpecFile, c.schema)
		}
		s := ref.Value
		i := slices.Index(s.Required, c.published)
		if i < 0 || s.Properties[c.published] != nil || s.Properties[c.property] == nil {
			return fmt.Errorf("%s: %s no longer requires the undeclared %q beside the property %q; remove its patch from knownContradictions",
				WebhooksSpecFile, c.schema, c.published, c.property)
		}
		s.Required[i] = c.property
	}
	return nil
}

// schemaOptions check the two string formats the documents use besides int32/int64 (uuid, url), which
// kin-openapi leaves unchecked unless told how, and keep its messages to the point and the reason
// (without a dump of the schema, which can be pages long).
var schemaOptions = []openapi3.SchemaValidationOption{
	openapi3.DisableSchemaErrorDetails(),
	openapi3.WithStringFormatValidator("uuid", openapi3.NewRegexpFormatValidator(uuidForm)),
	openapi3.WithStringFormatValidator("url", openapi3.NewCallbackValidator(checkAbsoluteURL)),
}

// uuidForm is the string form of RFC 9562 (RFC 4122) as JSON Schema validators check format "uuid":
// 8-4-4-4-12 hexadecimal digits. Version and variant bits are not checked: the grammar does not fix
// them, and the spec says nothing of which UUIDs Cobo makes.
const uuidForm = `^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`

// checkAbsoluteURL is format "url": an absolute URL with a host.
func checkAbsoluteURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return err
	}
	if !u.IsAbs() || u.Host == "" {
		return fmt.Errorf("not an absolute URL with a host")
	}
	return nil
}

// paymentsEventData are the event data types the third document defines (the webhooks document's
// WebhookEventData is trimmed to the pay-in order types): data_type -> schema of PaymentsSpecFile.
var paymentsEventData = map[string]string{
	"PaymentRefund":               "PaymentRefundEventData",
	"PaymentAccountBalanceUpdate": "PaymentAccountBalanceUpdateEventData",
}

// addPaymentsEventData adds the refund and balance data types to WebhookEventData's oneOf and its
// discriminator, with the third document's schemas, so an event of either is validated whole. It adds
// alternatives; it never relaxes one.
func addPaymentsEventData(webhooks, payments *openapi3.T) error {
	data := webhooks.Components.Schemas["WebhookEventData"]
	if data == nil || data.Value == nil || data.Value.Discriminator == nil {
		return fmt.Errorf("%s: components.schemas.WebhookEventData with a discriminator is missing", WebhooksSpecFile)
	}
	for dataType, name := range paymentsEventData {
		schema := payments.Components.Schemas[name]
		if schema == nil || schema.Value == nil {
			return fmt.Errorf("%s: components.schemas.%s is missing", PaymentsSpecFile, name)
		}
		ref := "#/components/schemas/" + name
		data.Value.OneOf = append(data.Value.OneOf, &openapi3.SchemaRef{Ref: ref, Value: schema.Value})
		data.Value.Discriminator.Mapping[dataType] = openapi3.MappingRef{Ref: ref, Value: schema.Value}
	}
	return nil
}
