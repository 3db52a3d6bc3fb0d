package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// byIDDataSource is a data source that reads one object of a kind by the id its configuration gives:
// the kind supplies the id attribute, its check and the noun of messages; a type supplies only its
// attributes, how to fetch one object and how to flatten it into its model M.
type byIDDataSource[M, T any] struct {
	kind        objectKind
	typeName    string
	description string
	attributes  func() map[string]schema.Attribute                                   // every attribute but the id
	id          func(cfg *M) types.String                                            // the configured id
	fetch       func(client *cobo.Client, ctx context.Context, id string) (T, error) // a method expression of the client
	// fill sets cfg from what Cobo returned, keeping id as configured: Cobo answers for exactly it.
	fill func(cfg *M, obj T, id string) diag.Diagnostics
}

func (s byIDDataSource[M, T]) dataSource() datasource.DataSource {
	return &readDataSource[M]{
		dataSourceBase: dataSourceBase{typeName: s.typeName},
		schema:         s.schema,
		read:           s.read,
		failure: func(cfg *M) string {
			return "Unable to read " + s.kind.noun + " " + quote(s.id(cfg).ValueString())
		},
	}
}

func (s byIDDataSource[M, T]) schema(context.Context) schema.Schema {
	attrs := s.attributes()
	attrs[s.kind.idAttribute] = schema.StringAttribute{
		Required:            true,
		MarkdownDescription: fmt.Sprintf("The ID of the %s to read, as Cobo assigned it.", s.kind.noun),
		Validators:          []validator.String{s.kind.idValidator()},
	}
	return schema.Schema{MarkdownDescription: s.description, Attributes: attrs}
}

func (s byIDDataSource[M, T]) read(ctx context.Context, client *cobo.Client, cfg *M, diags *diag.Diagnostics) error {
	id := s.id(cfg).ValueString()
	obj, err := s.fetch(client, ctx, id)
	if err != nil {
		return err
	}
	diags.Append(s.fill(cfg, obj, id)...)
	return nil
}
