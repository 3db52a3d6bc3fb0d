package provider

import (
	"context"
	"os"
	"path"
	"strings"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// maskSecret makes tflog replace the API secret wherever it would appear, in messages and in field
// values, at every level. The client never logs it; this is the second line of defence.
func maskSecret(ctx context.Context, secret string) context.Context {
	if secret == "" {
		return ctx
	}
	ctx = tflog.MaskMessageStrings(ctx, secret)
	return tflog.MaskAllFieldValuesStrings(ctx, secret)
}

// tflogLogger adapts the client's Logger to tflog.
type tflogLogger struct{ secret string }

func (l tflogLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	tflog.Debug(maskSecret(ctx, l.secret), msg, fields)
}

// QuietSDKLogsUnlessAsked switches off the plugin SDK's and the provider's log output when no TF_LOG*
// variable is set. Terraform passes its environment to the provider and, without TF_LOG, discards
// whatever the provider logs, yet the SDK would still format a TRACE line for every call: make bench
// measured that at a third of the provider's CPU. With any TF_LOG* variable set, nothing changes.
//
// The provider's own logger (tflog) takes its level from TF_LOG_PROVIDER_<NAME> only, NAME being the
// provider's type (terraform-plugin-go's tf6server: tflog.WithLevelFromEnv("TF_LOG_PROVIDER", name));
// unset, it logs at TRACE. TF_LOG_PROVIDER alone is only that variable's prefix.
func QuietSDKLogsUnlessAsked() {
	for _, kv := range os.Environ() {
		if name, value, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "TF_LOG") && value != "" {
			return
		}
	}
	for _, name := range []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", providerLogLevelEnv} {
		_ = os.Setenv(name, "OFF")
	}
}

// providerLogLevelEnv is the variable that sets the level of the provider's own logs (see above).
var providerLogLevelEnv = "TF_LOG_PROVIDER_" + strings.ToUpper(strings.ReplaceAll(path.Base(Address), "-", "_"))
