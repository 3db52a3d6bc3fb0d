package devtf

import (
	"strings"
	"testing"
)

func TestCLIConfigOverridesTheTerraformAndOpenTofuAddresses(t *testing.T) {
	got := CLIConfig("/tmp/x y/bin")
	want := "provider_installation {\n  dev_overrides {\n" +
		"    \"registry.terraform.io/cobo-terraform/cobo\" = \"/tmp/x y/bin\"\n" +
		"    \"registry.opentofu.org/cobo-terraform/cobo\" = \"/tmp/x y/bin\"\n" +
		"  }\n  direct {}\n}\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if strings.Count(got, "{") != strings.Count(got, "}") {
		t.Error("unbalanced braces")
	}
}
