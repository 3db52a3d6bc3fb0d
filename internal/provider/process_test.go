package provider

import (
	"os"
	"runtime/debug"
	"testing"
)

func TestTuneGCUnlessSet(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100)) // the test binary's own setting, restored

	t.Setenv("GOGC", "") // restores the variable when the test ends
	if err := os.Unsetenv("GOGC"); err != nil {
		t.Fatal(err)
	}
	debug.SetGCPercent(100)
	TuneGCUnlessSet()
	if got := debug.SetGCPercent(100); got != ProviderGCPercent {
		t.Errorf("without GOGC the GC percent is %d, want %d", got, ProviderGCPercent)
	}

	t.Setenv("GOGC", "50")
	debug.SetGCPercent(50)
	TuneGCUnlessSet()
	if got := debug.SetGCPercent(100); got != 50 {
		t.Errorf("with GOGC=50 the GC percent became %d: the user's setting must win", got)
	}
}
