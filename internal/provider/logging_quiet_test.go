package provider

import (
	"os"
	"strings"
	"testing"
)

func TestQuietSDKLogsUnlessAsked(t *testing.T) {
	// TF_LOG_PROVIDER_COBO: tf6server reads the provider logger's level from TF_LOG_PROVIDER_ and the
	// provider's type, cobo.
	quieted := []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER_COBO"}
	// t.Setenv restores every variable when the test ends, also those QuietSDKLogsUnlessAsked sets
	// with os.Setenv: listed here first, so that no later test in this process runs with logs OFF.
	clear := func() {
		for _, name := range quieted {
			t.Setenv(name, "")
		}
		for _, kv := range os.Environ() {
			if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "TF_LOG") {
				t.Setenv(name, "")
			}
		}
	}

	clear()
	QuietSDKLogsUnlessAsked()
	for _, name := range quieted {
		if got := os.Getenv(name); got != "OFF" {
			t.Errorf("without any TF_LOG variable, %s = %q, want OFF", name, got)
		}
	}

	clear()
	t.Setenv("TF_LOG", "DEBUG")
	QuietSDKLogsUnlessAsked()
	for _, name := range quieted {
		if got := os.Getenv(name); got != "" {
			t.Errorf("with TF_LOG set, %s = %q, want it left alone", name, got)
		}
	}
}
