package main

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/bench/fill"
)

// echoServer answers Terraform with the real provider's schema and does the least work the protocol
// allows (see the package comment for each RPC).
type echoServer struct {
	schema        *tfprotov6.GetProviderSchemaResponse
	metadata      *tfprotov6.GetMetadataResponse
	resourceTypes map[string]tftypes.Type
	dataTypes     map[string]tftypes.Type
}

var _ tfprotov6.ProviderServer = (*echoServer)(nil)

// newEchoServer takes the schema and metadata from real once. The real server is not used after
// that, so none of its per-RPC work is part of the measurements.
func newEchoServer(ctx context.Context, real tfprotov6.ProviderServer) (*echoServer, error) {
	schema, err := real.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		return nil, fmt.Errorf("GetProviderSchema of the real provider: %w", err)
	}
	if err := diagsError("GetProviderSchema", schema.Diagnostics); err != nil {
		return nil, err
	}
	metadata, err := real.GetMetadata(ctx, &tfprotov6.GetMetadataRequest{})
	if err != nil {
		return nil, fmt.Errorf("GetMetadata of the real provider: %w", err)
	}
	if err := diagsError("GetMetadata", metadata.Diagnostics); err != nil {
		return nil, err
	}
	s := &echoServer{
		schema:        schema,
		metadata:      metadata,
		resourceTypes: map[string]tftypes.Type{},
		dataTypes:     map[string]tftypes.Type{},
	}
	// The types are computed once here rather than on every RPC.
	for name, sch := range schema.ResourceSchemas {
		s.resourceTypes[name] = sch.ValueType()
	}
	for name, sch := range schema.DataSourceSchemas {
		s.dataTypes[name] = sch.ValueType()
	}
	return s, nil
}

func diagsError(rpc string, diags []*tfprotov6.Diagnostic) error {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return fmt.Errorf("%s of the real provider: %s: %s", rpc, d.Summary, d.Detail)
		}
	}
	return nil
}

func errorDiag(summary, detail string) []*tfprotov6.Diagnostic {
	return []*tfprotov6.Diagnostic{{Severity: tfprotov6.DiagnosticSeverityError, Summary: summary, Detail: detail}}
}

// unsupported is the answer to every RPC a plan does not need.
func unsupported(rpc string) []*tfprotov6.Diagnostic {
	return errorDiag("echo provider: not supported", rpc+" is not implemented: the benchmark's echo provider only serves plans.")
}

func unknownType(kind, name string) []*tfprotov6.Diagnostic {
	return errorDiag("echo provider: unknown "+kind, fmt.Sprintf("%q is not in the provider's schema.", name))
}

func (s *echoServer) GetMetadata(context.Context, *tfprotov6.GetMetadataRequest) (*tfprotov6.GetMetadataResponse, error) {
	return s.metadata, nil
}

func (s *echoServer) GetProviderSchema(context.Context, *tfprotov6.GetProviderSchemaRequest) (*tfprotov6.GetProviderSchemaResponse, error) {
	return s.schema, nil
}

func (s *echoServer) GetResourceIdentitySchemas(context.Context, *tfprotov6.GetResourceIdentitySchemasRequest) (*tfprotov6.GetResourceIdentitySchemasResponse, error) {
	return &tfprotov6.GetResourceIdentitySchemasResponse{}, nil
}

// ValidateProviderConfig: protocol 6 has no prepared config on the wire (tfplugin6's
// ValidateProviderConfig.Response carries only diagnostics), so an empty response is complete.
func (s *echoServer) ValidateProviderConfig(context.Context, *tfprotov6.ValidateProviderConfigRequest) (*tfprotov6.ValidateProviderConfigResponse, error) {
	return &tfprotov6.ValidateProviderConfigResponse{}, nil
}

func (s *echoServer) ConfigureProvider(context.Context, *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	return &tfprotov6.ConfigureProviderResponse{}, nil
}

func (s *echoServer) StopProvider(context.Context, *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	return &tfprotov6.StopProviderResponse{}, nil
}

func (s *echoServer) ValidateResourceConfig(context.Context, *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return &tfprotov6.ValidateResourceConfigResponse{}, nil
}

// UpgradeResourceState decodes the stored JSON state and re-encodes it as msgpack: the only way to
// hand Terraform the state in the wire format it expects. Attributes the schema does not have are
// skipped, as the framework does.
func (s *echoServer) UpgradeResourceState(_ context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	typ, ok := s.resourceTypes[req.TypeName]
	if !ok {
		return &tfprotov6.UpgradeResourceStateResponse{Diagnostics: unknownType("resource type", req.TypeName)}, nil
	}
	if req.RawState == nil {
		return &tfprotov6.UpgradeResourceStateResponse{Diagnostics: errorDiag("echo provider: no state", "UpgradeResourceState got no raw state.")}, nil
	}
	v, err := req.RawState.UnmarshalWithOpts(typ, tfprotov6.UnmarshalOpts{ValueFromJSONOpts: tftypes.ValueFromJSONOpts{IgnoreUndefinedAttributes: true}})
	if err != nil {
		return &tfprotov6.UpgradeResourceStateResponse{Diagnostics: errorDiag("echo provider: reading the stored state", err.Error())}, nil
	}
	dv, err := tfprotov6.NewDynamicValue(typ, v)
	if err != nil {
		return &tfprotov6.UpgradeResourceStateResponse{Diagnostics: errorDiag("echo provider: encoding the state", err.Error())}, nil
	}
	return &tfprotov6.UpgradeResourceStateResponse{UpgradedState: &dv}, nil
}

// ReadResource reports that nothing changed remotely: the state comes back as it was sent.
func (s *echoServer) ReadResource(_ context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return &tfprotov6.ReadResourceResponse{NewState: req.CurrentState, Private: req.Private}, nil
}

// PlanResourceChange plans exactly what Terraform proposes (prior state merged with the config).
func (s *echoServer) PlanResourceChange(_ context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return &tfprotov6.PlanResourceChangeResponse{PlannedState: req.ProposedNewState, PlannedPrivate: req.PriorPrivate}, nil
}

func (s *echoServer) ApplyResourceChange(context.Context, *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return &tfprotov6.ApplyResourceChangeResponse{Diagnostics: unsupported("ApplyResourceChange")}, nil
}

func (s *echoServer) ImportResourceState(context.Context, *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return &tfprotov6.ImportResourceStateResponse{Diagnostics: unsupported("ImportResourceState")}, nil
}

func (s *echoServer) MoveResourceState(context.Context, *tfprotov6.MoveResourceStateRequest) (*tfprotov6.MoveResourceStateResponse, error) {
	return &tfprotov6.MoveResourceStateResponse{Diagnostics: unsupported("MoveResourceState")}, nil
}

func (s *echoServer) UpgradeResourceIdentity(context.Context, *tfprotov6.UpgradeResourceIdentityRequest) (*tfprotov6.UpgradeResourceIdentityResponse, error) {
	return &tfprotov6.UpgradeResourceIdentityResponse{Diagnostics: unsupported("UpgradeResourceIdentity")}, nil
}

func (s *echoServer) GenerateResourceConfig(context.Context, *tfprotov6.GenerateResourceConfigRequest) (*tfprotov6.GenerateResourceConfigResponse, error) {
	return &tfprotov6.GenerateResourceConfigResponse{Diagnostics: unsupported("GenerateResourceConfig")}, nil
}

func (s *echoServer) ValidateDataResourceConfig(context.Context, *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return &tfprotov6.ValidateDataResourceConfigResponse{}, nil
}

// ReadDataSource answers with a wholly known object of the data source's type (see fill.Value).
func (s *echoServer) ReadDataSource(_ context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	typ, ok := s.dataTypes[req.TypeName]
	if !ok {
		return &tfprotov6.ReadDataSourceResponse{Diagnostics: unknownType("data source", req.TypeName)}, nil
	}
	var config tftypes.Value
	if req.Config != nil {
		var err error
		if config, err = req.Config.Unmarshal(typ); err != nil {
			return &tfprotov6.ReadDataSourceResponse{Diagnostics: errorDiag("echo provider: reading the config", err.Error())}, nil
		}
	}
	v, err := fill.Value(typ, config)
	if err != nil {
		return &tfprotov6.ReadDataSourceResponse{Diagnostics: errorDiag("echo provider: building the result", err.Error())}, nil
	}
	dv, err := tfprotov6.NewDynamicValue(typ, v)
	if err != nil {
		return &tfprotov6.ReadDataSourceResponse{Diagnostics: errorDiag("echo provider: encoding the result", err.Error())}, nil
	}
	return &tfprotov6.ReadDataSourceResponse{State: &dv}, nil
}

func (s *echoServer) CallFunction(context.Context, *tfprotov6.CallFunctionRequest) (*tfprotov6.CallFunctionResponse, error) {
	return &tfprotov6.CallFunctionResponse{Error: &tfprotov6.FunctionError{Text: "echo provider: not supported"}}, nil
}

func (s *echoServer) GetFunctions(context.Context, *tfprotov6.GetFunctionsRequest) (*tfprotov6.GetFunctionsResponse, error) {
	return &tfprotov6.GetFunctionsResponse{}, nil
}

func (s *echoServer) ValidateEphemeralResourceConfig(context.Context, *tfprotov6.ValidateEphemeralResourceConfigRequest) (*tfprotov6.ValidateEphemeralResourceConfigResponse, error) {
	return &tfprotov6.ValidateEphemeralResourceConfigResponse{Diagnostics: unsupported("ValidateEphemeralResourceConfig")}, nil
}

func (s *echoServer) OpenEphemeralResource(context.Context, *tfprotov6.OpenEphemeralResourceRequest) (*tfprotov6.OpenEphemeralResourceResponse, error) {
	return &tfprotov6.OpenEphemeralResourceResponse{Diagnostics: unsupported("OpenEphemeralResource")}, nil
}

func (s *echoServer) RenewEphemeralResource(context.Context, *tfprotov6.RenewEphemeralResourceRequest) (*tfprotov6.RenewEphemeralResourceResponse, error) {
	return &tfprotov6.RenewEphemeralResourceResponse{Diagnostics: unsupported("RenewEphemeralResource")}, nil
}

func (s *echoServer) CloseEphemeralResource(context.Context, *tfprotov6.CloseEphemeralResourceRequest) (*tfprotov6.CloseEphemeralResourceResponse, error) {
	return &tfprotov6.CloseEphemeralResourceResponse{Diagnostics: unsupported("CloseEphemeralResource")}, nil
}
