// Package provider implements the cobo Terraform provider: its schema, configuration, resources and
// data sources. It stays thin: every Cobo request goes through internal/cobo.
package provider

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/cobo"
)

// providerTypeName prefixes every type name: cobo_payment_order.
const providerTypeName = "cobo"

// Address is the provider's registry address, served by main.go.
const Address = "registry.terraform.io/cobo-terraform/cobo"

// Environment variables the provider reads when an argument is not set.
const (
	EnvAPISecret = "COBO_API_SECRET"
	EnvEnv       = "COBO_ENV"
	EnvHost      = "COBO_HOST"
)

// environments maps the env argument to Cobo's base URLs.
var environments = map[string]string{"dev": cobo.DevBaseURL, "prod": cobo.ProdBaseURL}

var (
	_ provider.Provider                  = &coboProvider{}
	_ provider.ProviderWithListResources = &coboProvider{}
	_ provider.ProviderWithActions       = &coboProvider{}
)

type coboProvider struct {
	version string
}

type coboProviderModel struct {
	APISecret         types.String  `tfsdk:"api_secret"`
	Env               types.String  `tfsdk:"env"`
	Host              types.String  `tfsdk:"host"`
	MaxRetries        types.Int64   `tfsdk:"max_retries"`
	RequestsPerSecond types.Float64 `tfsdk:"requests_per_second"`
	ReadAhead         types.Bool    `tfsdk:"read_ahead"`
}

// providerData is what Configure hands to resources and data sources: one shared client.
type providerData struct {
	client      *cobo.Client
	secret      string  // kept only to mask it in log output
	pspCodes    *claims // the psp_order_codes the resources of this walk hold (claims.go)
	webhookURLs *claims // the webhook endpoint urls they hold
	refunds     *claims // the refund request_ids they hold
	// advisedUnknownOutcome: a create error of this walk already said how to find an order that Cobo
	// may hold (create_or_adopt.go).
	advisedUnknownOutcome atomic.Bool
	merchantNames         *claims            // the merchant names they hold
	merchants             *merchantDirectory // this command's walk of the merchant list (merchant_model.go)
	// notConfigured holds the errors of a configuration whose cause is outside the provider block
	// (the environment, or nothing set at all); client is nil then. See Configure.
	notConfigured diag.Diagnostics
}

// New returns the provider factory for the given version.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return &coboProvider{version: version} }
}

func (p *coboProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = providerTypeName
	resp.Version = p.version
}

func (p *coboProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manage Cobo WaaS 2.0 pay-in orders: create them, read their live state, expire them and import existing ones.",
		Attributes: map[string]schema.Attribute{
			"api_secret": schema.StringAttribute{
				MarkdownDescription: "The Cobo API secret: " + cobo.SecretFormat + ". Requests are signed with it; it is never sent. Defaults to the `" + EnvAPISecret + "` environment variable.",
				Optional:            true,
				Sensitive:           true,
				Validators:          []validator.String{apiSecretValidator()},
			},
			"env": schema.StringAttribute{
				MarkdownDescription: "The Cobo environment: `dev` (" + cobo.DevBaseURL + ", the default) or `prod` (" + cobo.ProdBaseURL + "). Dev and prod use different API keys. Defaults to the `" + EnvEnv + "` environment variable, then `dev`. Arguments set in the provider block take precedence over environment variables: `host`, then `env`, then `" + EnvHost + "`, then `" + EnvEnv + "`.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.OneOf("dev", "prod")},
			},
			"host": schema.StringAttribute{
				MarkdownDescription: "The full base URL of the API including `/v2`, such as a sandbox at `http://127.0.0.1:18080/v2`. Overrides `env`. Defaults to the `" + EnvHost + "` environment variable when neither `host` nor `env` is set in the provider block.",
				Optional:            true,
				Validators:          []validator.String{baseURLValidator()},
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many times a read or an expiry is retried after a connection error or an HTTP %s, with exponential backoff that honours `Retry-After`. A create is never repeated blindly: the order is looked up by `psp_order_code` first. Between 0 and 10; default %d.", orList(cobo.RetryableStatuses), cobo.DefaultMaxRetries),
				Optional:            true,
				Validators:          []validator.Int64{int64validator.Between(0, 10)},
			},
			"requests_per_second": schema.Float64Attribute{
				MarkdownDescription: "A client-side limit on requests per second to Cobo, shared by all resources and data sources. Unset or 0: no limit.",
				Optional:            true,
				Validators:          []validator.Float64{float64validator.AtLeast(0)},
			},
			"read_ahead": schema.BoolAttribute{
				MarkdownDescription: readAheadDescription,
				Optional:            true,
			},
		},
	}
}

func (p *coboProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg coboProviderModel
	resp.Diagnostics.Append(getModel(ctx, req.Config, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}

	// A value that depends on another resource is unknown until apply: defer when Terraform allows it,
	// otherwise leave the provider unconfigured; resources then skip remote calls during plan.
	if cfg.APISecret.IsUnknown() || cfg.Env.IsUnknown() || cfg.Host.IsUnknown() || cfg.MaxRetries.IsUnknown() || cfg.RequestsPerSecond.IsUnknown() || cfg.ReadAhead.IsUnknown() {
		if req.ClientCapabilities.DeferralAllowed {
			resp.Deferred = &provider.Deferred{Reason: provider.DeferredReasonProviderConfigUnknown}
		}
		tflog.Debug(ctx, "provider configuration has unknown values; not configuring the Cobo client yet")
		return
	}

	// Terraform adds "Invalid provider configuration ... Add a provider block" (and places attribute
	// errors "on <empty> line 0") to every error Configure returns when the root module has no
	// provider block, ahead of ours. So an error whose cause is not in the provider block (an
	// environment variable, or nothing set) is handed to whatever uses the provider, which reports it
	// as its own error; an error about an argument of the block stays here, on that argument.
	secret, baseURL, outside := resolveSettings(cfg, &resp.Diagnostics)
	ctx = maskSecret(ctx, secret)
	if resp.Diagnostics.HasError() {
		return
	}
	if outside.HasError() {
		tflog.Debug(ctx, "the provider's settings from the environment are invalid; every use of the provider reports why")
		p.handOut(resp, &providerData{notConfigured: outside})
		return
	}

	clientCfg := cobo.Config{
		BaseURL:           baseURL,
		APISecret:         secret,
		UserAgent:         p.userAgent(req.TerraformVersion),
		MaxRetries:        cobo.DefaultMaxRetries,
		RequestsPerSecond: cfg.RequestsPerSecond.ValueFloat64(),
		Logger:            tflogLogger{secret: secret},
		ReadAhead:         cfg.ReadAhead.IsNull() || cfg.ReadAhead.ValueBool(),
	}
	if !cfg.MaxRetries.IsNull() {
		clientCfg.MaxRetries = int(cfg.MaxRetries.ValueInt64())
	}
	client, err := cobo.New(clientCfg)
	if err != nil {
		resp.Diagnostics.AddError("Unable to configure the Cobo client", err.Error())
		return
	}
	tflog.Debug(ctx, "configured the Cobo client", map[string]any{"base_url": baseURL, "api_key": client.APIKey(), "max_retries": clientCfg.MaxRetries})
	p.handOut(resp, &providerData{client: client, secret: secret, pspCodes: newClaims(), webhookURLs: newClaims(),
		merchantNames: newClaims(), merchants: &merchantDirectory{}, refunds: newClaims()})
}

// resolveSettings finds the API secret and the base URL. Errors about arguments of the provider block
// go to inBlock, on the argument; the others (environment variables, or nothing set) are returned.
func resolveSettings(cfg coboProviderModel, inBlock *diag.Diagnostics) (secret, baseURL string, outside diag.Diagnostics) {
	secret = stringOr(cfg.APISecret, os.Getenv(EnvAPISecret))
	if secret == "" {
		outside.AddError("Missing Cobo API secret",
			"Set api_secret in the provider block or the "+EnvAPISecret+" environment variable to your Cobo API secret ("+cobo.SecretFormat+"). To try the provider without a Cobo account, run the sandbox: go run ./cmd/cobo-sandbox.")
	} else if err := checkAPISecret(secret); err != nil {
		// Not an attribute error: Terraform would print the configuration line, secret included.
		inBlockOr(cfg.APISecret, inBlock, &outside).AddError("Invalid Cobo API secret", err.Error()+fromEnvNote(cfg.APISecret, EnvAPISecret))
	}
	return secret, resolveBaseURL(cfg, inBlock, &outside), outside
}

// handOut gives data to every resource, data source, list resource and action.
func (p *coboProvider) handOut(resp *provider.ConfigureResponse, data *providerData) {
	resp.DataSourceData = data
	resp.ResourceData = data
	resp.ListResourceData = data
	resp.ActionData = data
}

// inBlockOr is where an error about v goes: resp's diagnostics when v is set in the provider block,
// else outside (see Configure).
func inBlockOr(v types.String, inBlock, outside *diag.Diagnostics) *diag.Diagnostics {
	if v.IsNull() {
		return outside
	}
	return inBlock
}

// userAgent names the provider's version and, when Terraform says it, Terraform's.
func (p *coboProvider) userAgent(terraformVersion string) string {
	if terraformVersion == "" {
		return "terraform-provider-cobo/" + p.version
	}
	return "terraform-provider-cobo/" + p.version + " Terraform/" + terraformVersion
}

func (p *coboProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{newPaymentOrderResource,
		newWebhookEndpointResource, newPaymentMerchantResource, newPaymentRefundResource}
}

// ListResources serve `terraform query` (Terraform >= 1.14).
func (p *coboProvider) ListResources(_ context.Context) []func() list.ListResource {
	return []func() list.ListResource{newPaymentOrderListResource, newWebhookEndpointListResource, newPaymentMerchantListResource,
		newPaymentRefundListResource}
}

// Actions are invoked with `terraform apply -invoke` or action_trigger (Terraform >= 1.14).
func (p *coboProvider) Actions(_ context.Context) []func() action.Action {
	return []func() action.Action{
		newPaymentOrderExpireAction,
		newWebhookTestEventAction,
		newWebhookEventRetryAction,
	}
}

func (p *coboProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{newPaymentOrderDataSource, newPaymentOrdersDataSource,
		newWebhookEndpointDataSource, newPaymentSupportedTokensDataSource, newPaymentExchangeRatesDataSource,
		newPaymentBalancesDataSource, newPaymentMerchantDataSource, newPaymentRefundDataSource}
}

// resolveBaseURL picks the API base URL. The provider block beats the environment, and within each
// host beats env: host, then env, then COBO_HOST, then COBO_ENV, then dev. Every value given is
// validated, used or not: errors about the block's arguments go to inBlock, on the argument, and
// errors about environment variables to outside, on no argument (see Configure).
func resolveBaseURL(cfg coboProviderModel, inBlock, outside *diag.Diagnostics) string {
	var envHost, envEnv string
	if v := os.Getenv(EnvHost); v != "" {
		envHost = v
		if err := checkBaseURL(v); err != nil {
			outside.AddError("Invalid Cobo host", err.Error()+envNote(EnvHost))
		}
	}
	if v := os.Getenv(EnvEnv); v != "" {
		envEnv = environments[v]
		if envEnv == "" {
			outside.AddError("Invalid Cobo environment", fmt.Sprintf("env must be \"dev\" or \"prod\", got %q%s.", v, envNote(EnvEnv)))
		}
	}
	switch {
	case !cfg.Host.IsNull():
		if err := checkBaseURL(cfg.Host.ValueString()); err != nil {
			inBlock.AddAttributeError(path.Root("host"), "Invalid Cobo host", err.Error())
		}
		return cfg.Host.ValueString()
	case !cfg.Env.IsNull():
		u, ok := environments[cfg.Env.ValueString()]
		if !ok {
			inBlock.AddAttributeError(path.Root("env"), "Invalid Cobo environment", fmt.Sprintf("env must be \"dev\" or \"prod\", got %q.", cfg.Env.ValueString()))
		}
		return u
	case envHost != "":
		return envHost
	case envEnv != "":
		return envEnv
	}
	return environments["dev"]
}

func stringOr(v types.String, fallback string) string {
	if v.IsNull() || v.IsUnknown() {
		return fallback
	}
	return v.ValueString()
}

func fromEnvNote(v types.String, env string) string {
	if v.IsNull() {
		return envNote(env)
	}
	return ""
}

func envNote(env string) string { return " (the value came from the " + env + " environment variable)" }

// checkAPISecret says what is wrong with a secret without ever repeating it.
func checkAPISecret(s string) error {
	if _, err := cobo.NewSigner(s); err != nil {
		return fmt.Errorf("api_secret must be %s; the value given has %d characters%s", cobo.SecretFormat, len(s), nonHexNote(s))
	}
	return nil
}

func nonHexNote(s string) string {
	if strings.Trim(strings.ToLower(s), "0123456789abcdef") != "" {
		return " and contains characters that are not hexadecimal"
	}
	return ""
}

func checkBaseURL(s string) error {
	if err := cobo.ValidateBaseURL(s); err != nil {
		return fmt.Errorf("host %w", err)
	}
	return nil
}

// readAheadDescription documents read_ahead from the client's own limits.
var readAheadDescription = fmt.Sprintf("Whether a plan that reads many %s may read them in pages of Cobo's list endpoints (%d a request) instead of one request each. "+
	"For each kind, it starts after %d reads in one Terraform command and lists at most one page per %d reads so far, plus one per read a page answered, but never more than one page per %d reads, plus %d: "+
	"so when the objects read are not among those listed it costs at most about %d %% more requests, and never more than that over one request per object. "+
	"An object taken from a page was listed less than %d seconds before; creates, order expiries, refund cancels and address updates, and the reads around them always ask Cobo directly. Default `true`.",
	cobo.ReadAheadKinds, cobo.MaxPageSize, cobo.ReadAheadStartAfter, cobo.ReadAheadPerPage, cobo.ReadAheadFastPerPage, cobo.ReadAheadSparePages, 100/cobo.ReadAheadPerPage, int(cobo.ReadAheadMaxAge.Seconds()))

// orList renders values as "a, b or c".
func orList[T any](values []T) string {
	s := make([]string, len(values))
	for i, v := range values {
		s[i] = fmt.Sprint(v)
	}
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}
