package provider

import (
	"context"

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
