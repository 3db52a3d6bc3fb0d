package main

import (
	"bytes"
	"cmp"
	"fmt"
	"os"
	"strings"

	"gopkg.in/yaml.v3"
)

// workflow is the part of a GitHub Actions workflow this runner understands. Decoding rejects any
// other key, so a workflow that relies on something the runner does not emulate fails here.
type workflow struct {
	Name     string            `yaml:"name"`
	On       yaml.Node         `yaml:"on"`
	Env      map[string]string `yaml:"env"`
	Defaults struct {
		Run struct {
			Shell string `yaml:"shell"`
		} `yaml:"run"`
	} `yaml:"defaults"`
	Jobs map[string]job `yaml:"jobs"`
}

type job struct {
	RunsOn string            `yaml:"runs-on"`
	Env    map[string]string `yaml:"env"`
	Steps  []step            `yaml:"steps"`
}

type step struct {
	Name             string            `yaml:"name"`
	Uses             string            `yaml:"uses"`
	With             map[string]any    `yaml:"with"`
	Run              string            `yaml:"run"`
	If               string            `yaml:"if"`
	Env              map[string]string `yaml:"env"`
	WorkingDirectory string            `yaml:"working-directory"`
	Shell            string            `yaml:"shell"`
}

// emulatedActions are the `uses:` steps whose effect the runner provides itself (see main.go).
var emulatedActions = []string{"actions/checkout@", "actions/setup-go@", "hashicorp/setup-terraform@"}

// readWorkflow parses the workflow file and returns its only job, checked.
func readWorkflow(path string) (*workflow, *job, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	var w workflow
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(&w); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(w.Jobs) != 1 {
		return nil, nil, fmt.Errorf("%s: want one job, got %d", path, len(w.Jobs))
	}
	var j job
	for _, only := range w.Jobs {
		j = only
	}
	if err := checkSteps(&w, &j); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return &w, &j, nil
}

// checkSteps refuses what the runner would not run as GitHub does: actions it does not emulate,
// expressions, conditions other than always(), shells other than bash.
func checkSteps(w *workflow, j *job) error {
	for i, s := range j.Steps {
		where := fmt.Sprintf("step %d (%s)", i+1, s.label())
		switch {
		case s.Uses != "" && s.Run != "":
			return fmt.Errorf("%s has both uses and run", where)
		case s.Uses != "" && !emulated(s.Uses):
			return fmt.Errorf("%s uses %s, which this runner does not emulate (only %s)", where, s.Uses, strings.Join(emulatedActions, ", "))
		case s.If != "" && s.If != "always()":
			return fmt.Errorf("%s: if: %q is not supported (only always())", where, s.If)
		case s.Run != "" && cmp.Or(s.Shell, w.Defaults.Run.Shell) != "bash":
			return fmt.Errorf("%s: the shell must be bash, as GitHub's ubuntu runners have it", where)
		case strings.Contains(s.Run+s.WorkingDirectory+fmt.Sprint(s.Env, j.Env, w.Env), "${{"):
			return fmt.Errorf("%s: ${{ }} expressions are not supported; use environment variables", where)
		}
	}
	return nil
}

func emulated(uses string) bool {
	for _, prefix := range emulatedActions {
		if strings.HasPrefix(uses, prefix) {
			return true
		}
	}
	return false
}

func (s step) label() string {
	return cmp.Or(s.Name, s.Uses, strings.SplitN(strings.TrimSpace(s.Run), "\n", 2)[0])
}
