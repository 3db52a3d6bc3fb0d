package provider

import (
	"context"
	"fmt"
	"iter"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// What every list resource shares: queryList, the list resource made of its parts, how many results
// a list block asks for, and streaming them.

// queryList is a list resource (terraform query, Terraform >= 1.14) over Cobo objects T of one kind,
// filtered by its list block's configuration C. It reads the configuration, asks find for up to the
// block's limit, and streams one result per object: its identity (the kind's id attribute), a display
// name and, with include_resource, the resource as the import of that identity would read it. A list
// resource's file then holds only its schema and how it asks Cobo.
type queryList[C, T any] struct {
	resourceBase
	kind    objectKind
	schema  func() schema.Schema
	failure string // the summary of find's error: "Unable to list refunds"
	find    func(ctx context.Context, client *cobo.Client, cfg C, limit int) ([]T, error)
	// describe gives an object's id and display name.
	describe func(*T) (id, displayName string)
	// resource is the resource model as an import reads the object; noTimeouts is the timeouts
	// block an import knows, a null one.
	resource func(item *T, noTimeouts timeouts.Value) (any, diag.Diagnostics)
}

var _ list.ListResource = &queryList[struct{}, struct{}]{}

func (l *queryList[C, T]) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = l.schema()
}

func (l *queryList[C, T]) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg C
	diags := getModel(ctx, req.Config, &cfg)
	ctx, client := l.data.clientFor(ctx, &diags)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	noTimeouts, diags := nullTimeouts(ctx, req)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	items, err := l.find(ctx, client, cfg, queryLimit(req))
	if err != nil {
		stream.Results = list.ListResultsStreamDiagnostics(diag.Diagnostics{apiErrorDiagnostic(l.failure, err)})
		return
	}
	stream.Results = streamEach(items, func(item *T) list.ListResult { return l.result(ctx, req, noTimeouts, item) })
}

// result is one object as a query result.
func (l *queryList[C, T]) result(ctx context.Context, req list.ListRequest, noTimeouts timeouts.Value, item *T) list.ListResult {
	result := req.NewListResult(ctx)
	id, displayName := l.describe(item)
	result.DisplayName = displayName
	result.Diagnostics.Append(result.Identity.SetAttribute(ctx, path.Root(l.kind.idAttribute), id)...)
	if !req.IncludeResource {
		return result
	}
	model, diags := l.resource(item, noTimeouts)
	result.Diagnostics.Append(diags...)
	result.Diagnostics.Append(result.Resource.Set(ctx, model)...)
	return result
}

// defaultQueryLimit is what Terraform asks for when a list block sets no limit.
const defaultQueryLimit = 100

// queryLimit is how many results a list block asks for: its limit, or Terraform's default.
func queryLimit(req list.ListRequest) int {
	if req.Limit <= 0 {
		return defaultQueryLimit
	}
	return int(req.Limit)
}

// streamEach streams one query result per item, until Terraform wants no more.
func streamEach[T any](items []T, result func(*T) list.ListResult) iter.Seq[list.ListResult] {
	return func(push func(list.ListResult) bool) {
		for i := range items {
			if !push(result(&items[i])) {
				return
			}
		}
	}
}

// nullTimeouts is a null timeouts block, typed as the listed resource's schema types it: what an
// import knows before its first read.
func nullTimeouts(ctx context.Context, req list.ListRequest) (timeouts.Value, diag.Diagnostics) {
	typ := req.ResourceSchema.GetBlocks()["timeouts"].Type()
	v, err := typ.ValueFromTerraform(ctx, tftypes.NewValue(typ.TerraformType(ctx), nil))
	if err != nil {
		return timeouts.Value{}, modelError(err)
	}
	t, ok := v.(timeouts.Value)
	if !ok {
		return timeouts.Value{}, modelError(fmt.Errorf("the timeouts block is a %T, not a timeouts.Value", v))
	}
	return t, nil
}

// statusFilter is a list block's statuses, each once, in their first order (none when not set).
func statusFilter(statuses types.List) []string {
	return uniqueStrings(stringElements(statuses.Elements()))
}

// stringElements lists the strings of a known set or list (a set's in its element order, which Cobo
// ignores).
func stringElements(elements []attr.Value) []string {
	out := make([]string, 0, len(elements))
	for _, e := range elements {
		if v, ok := e.(types.String); ok {
			out = append(out, v.ValueString())
		}
	}
	return out
}

// uniqueStrings drops repeated values, keeping the first of each.
func uniqueStrings(values []string) []string {
	out := make([]string, 0, len(values))
	for _, v := range values {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}
