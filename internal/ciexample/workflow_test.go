package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The recipe parses, and its run: steps are the ones make test-ci-example runs.
func TestRecipeParses(t *testing.T) {
	t.Parallel()
	w, j, err := readWorkflow("../../examples/ci/github-actions.yml")
	if err != nil {
		t.Fatal(err)
	}
	var runs []string
	for _, s := range j.Steps {
		if s.Run != "" {
			runs = append(runs, s.label())
		}
	}
	if got := strings.Join(runs, ", "); got != "Install the provider and cobo-sandbox, Point Terraform at that provider, Start cobo-sandbox, terraform test, Stop cobo-sandbox" {
		t.Errorf("run steps: %s", got)
	}
	if j.Env["COBO_VERSION"] == "" || w.Defaults.Run.Shell != "bash" {
		t.Errorf("the recipe must declare COBO_VERSION and run its steps with bash")
	}
}

// What the runner does not emulate is refused, not silently skipped or half done.
func TestWorkflowsTheRunnerRefuses(t *testing.T) {
	t.Parallel()
	base := "defaults:\n  run:\n    shell: bash\njobs:\n  j:\n    env:\n      COBO_VERSION: v1\n    steps:\n"
	for name, c := range map[string]struct{ yaml, want string }{
		"unknown action": {base + "      - uses: actions/cache@v4\n", "does not emulate"},
		"expression":     {base + "      - run: echo ${{ github.sha }}\n", "expressions are not supported"},
		"condition":      {base + "      - run: echo\n        if: failure()\n", "only always()"},
		"unknown key":    {base + "      - run: echo\n        timeout-minutes: 5\n", "timeout-minutes"},
		"other shell":    {"jobs:\n  j:\n    steps:\n      - run: echo\n", "must be bash"},
		"two jobs":       {"jobs:\n  a:\n    steps: []\n  b:\n    steps: []\n", "want one job"},
		"uses and run":   {base + "      - uses: actions/checkout@v4\n        run: echo\n", "both uses and run"},
	} {
		path := filepath.Join(t.TempDir(), "w.yml")
		if err := os.WriteFile(path, []byte(c.yaml), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, _, err := readWorkflow(path); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error containing %q", name, err, c.want)
		}
	}
}
