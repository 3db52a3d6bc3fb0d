package provider

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// A check whose error ends in a question ("Did you mean ...?") gets no full stop after it.
func TestHostValidatorEndsItsQuestionWithoutAStop(t *testing.T) {
	t.Parallel()
	var resp validator.StringResponse
	baseURLValidator().ValidateString(context.Background(), validator.StringRequest{
		Path: path.Root("host"), ConfigValue: types.StringValue("http://127.0.0.1:18080/api"),
	}, &resp)
	if len(resp.Diagnostics) != 1 {
		t.Fatalf("diagnostics %v, want one", resp.Diagnostics)
	}
	detail := resp.Diagnostics[0].Detail()
	if !strings.HasSuffix(detail, `Did you mean "http://127.0.0.1:18080/api/v2"?`) {
		t.Errorf("detail %q, want it to end in the question", detail)
	}
}
