// Package workflows checks the GitHub workflows in .github/workflows against the files they drive
// (actionlint, run by make lint, checks their syntax and the actions' inputs).
package workflows

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"testing"

	"gopkg.in/yaml.v3"
)

const root = "../.."

type workflow struct {
	On   map[string]any `yaml:"on"`
	Jobs map[string]struct {
		Steps []step `yaml:"steps"`
	} `yaml:"jobs"`
}

type step struct {
	ID   string            `yaml:"id"`
	Uses string            `yaml:"uses"`
	With map[string]string `yaml:"with"`
	Env  map[string]string `yaml:"env"`
}

func readWorkflow(t *testing.T, name string) workflow {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, ".github", "workflows", name))
	if err != nil {
		t.Fatal(err)
	}
	var w workflow
	if err := yaml.Unmarshal(data, &w); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return w
}

// goreleaserStep is the release workflow's one step that runs GoReleaser.
func goreleaserStep(t *testing.T, w workflow) step {
	t.Helper()
	var found []step
	for _, job := range w.Jobs {
		for _, s := range job.Steps {
			if regexp.MustCompile(`^goreleaser/goreleaser-action@`).MatchString(s.Uses) {
				found = append(found, s)
			}
		}
	}
	if len(found) != 1 {
		t.Fatalf("release.yml: want one goreleaser/goreleaser-action step, found %d", len(found))
	}
	return found[0]
}

// Every environment variable .goreleaser.yml reads ({{ .Env.NAME }}) is set on the GoReleaser step,
// the GPG fingerprint by the key-import step, and GoReleaser runs with a version 2 binary.
func TestReleaseWorkflowMatchesGoReleaserConfig(t *testing.T) {
	config, err := os.ReadFile(filepath.Join(root, ".goreleaser.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^version: 2$`).Match(config) {
		t.Fatal(".goreleaser.yml is no longer of configuration version 2: update release.yml's goreleaser version")
	}
	w := readWorkflow(t, "release.yml")
	gr := goreleaserStep(t, w)
	if gr.With["version"] != "~> v2" || gr.With["args"] != "release --clean" {
		t.Errorf("GoReleaser step: version %q args %q, want \"~> v2\" and \"release --clean\"", gr.With["version"], gr.With["args"])
	}
	want := map[string]bool{"GITHUB_TOKEN": true} // GoReleaser publishes the GitHub release with it
	for _, m := range regexp.MustCompile(`\{\{\s*\.Env\.(\w+)\s*\}\}`).FindAllSubmatch(config, -1) {
		want[string(m[1])] = true
	}
	var names []string
	for name := range want {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if gr.Env[name] == "" {
			t.Errorf("release.yml: the GoReleaser step does not set %s, which .goreleaser.yml needs", name)
		}
	}
	var gpg *step
	for _, job := range w.Jobs {
		for i, s := range job.Steps {
			if regexp.MustCompile(`^crazy-max/ghaction-import-gpg@`).MatchString(s.Uses) {
				gpg = &job.Steps[i]
			}
		}
	}
	if gpg == nil {
		t.Fatal("release.yml: no crazy-max/ghaction-import-gpg step: the Registry needs the SHA256SUMS signed")
	}
	if wantFP := "${{ steps." + gpg.ID + ".outputs.fingerprint }}"; gr.Env["GPG_FINGERPRINT"] != wantFP {
		t.Errorf("GPG_FINGERPRINT is %q, want %q (the imported key)", gr.Env["GPG_FINGERPRINT"], wantFP)
	}
	if gpg.With["gpg_private_key"] != "${{ secrets.GPG_PRIVATE_KEY }}" || gpg.With["passphrase"] != "${{ secrets.PASSPHRASE }}" {
		t.Errorf("the GPG key and passphrase must come from the secrets GPG_PRIVATE_KEY and PASSPHRASE (the README names them), got %v", gpg.With)
	}
}

// Every action is pinned to a full version (vX.Y.Z), never a branch or a moving major tag.
func TestWorkflowActionsArePinnedByVersion(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(root, ".github", "workflows", "*.yml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no workflows found: %v", err)
	}
	pinned := regexp.MustCompile(`^[\w.-]+/[\w./-]+@v\d+\.\d+\.\d+$`)
	for _, f := range files {
		w := readWorkflow(t, filepath.Base(f))
		for jobName, job := range w.Jobs {
			for _, s := range job.Steps {
				if s.Uses != "" && !pinned.MatchString(s.Uses) {
					t.Errorf("%s, job %s: %q is not pinned to a version vX.Y.Z", filepath.Base(f), jobName, s.Uses)
				}
			}
		}
	}
}
