package main

import (
	"bufio"
	"context"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"time"
)

// runner is one job's run on this machine: its temporary directories, what GITHUB_ENV and
// GITHUB_PATH carried so far, the values to mask and the process groups of the steps.
type runner struct {
	tmp       string
	workspace string
	base      map[string]string // the machine's part of every step's environment
	carried   map[string]string // from GITHUB_ENV
	paths     []string          // from GITHUB_PATH, newest first
	masks     []string
	groups    []int
}

func newRunner(terraform string) (*runner, error) {
	root, err := absRoot()
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "cobo-ci-example-")
	if err != nil {
		return nil, err
	}
	r := &runner{tmp: tmp, workspace: filepath.Join(tmp, "workspace"), carried: map[string]string{}}
	if err := r.prepare(root, terraform); err != nil {
		r.close()
		return nil, err
	}
	return r, nil
}

// prepare provides what GitHub and the uses: steps would: the checkout, Go, Terraform, the runner's
// files, and the module proxy that serves this checkout.
func (r *runner) prepare(root, terraform string) error {
	files, err := checkoutFiles(root)
	if err != nil {
		return err
	}
	if err := copyFiles(root, r.workspace, files); err != nil {
		return err
	}
	if err := writeModuleProxy(filepath.Join(r.tmp, "proxy"), root, modulePath, checkoutVersion, files); err != nil {
		return err
	}
	for _, d := range []string{"runner-temp", "home", "gopath", "tools"} {
		if err := os.MkdirAll(filepath.Join(r.tmp, d), 0o755); err != nil {
			return err
		}
	}
	if err := os.Symlink(terraform, filepath.Join(r.tmp, "tools", "terraform")); err != nil {
		return err
	}
	return r.baseEnvironment()
}

// baseEnvironment is a clean machine's: nothing of the caller's COBO_*, TF_* or Go settings leaks in.
func (r *runner) baseEnvironment() error {
	goCache, err := exec.Command("go", "env", "GOCACHE").Output()
	if err != nil {
		return fmt.Errorf("go env GOCACHE: %w", err)
	}
	modCache, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		return fmt.Errorf("go env GOMODCACHE: %w", err)
	}
	r.base = map[string]string{
		"PATH":               filepath.Join(r.tmp, "tools") + string(os.PathListSeparator) + os.Getenv("PATH"),
		"HOME":               filepath.Join(r.tmp, "home"),
		"LANG":               "C.UTF-8",
		"CI":                 "true",
		"GITHUB_ACTIONS":     "true",
		"GITHUB_WORKSPACE":   r.workspace,
		"RUNNER_TEMP":        filepath.Join(r.tmp, "runner-temp"),
		"CHECKPOINT_DISABLE": "1", // Terraform's version check would be the only network call
		"GOCACHE":            strings.TrimSpace(string(goCache)),
		"GOPATH":             filepath.Join(r.tmp, "gopath"),
		"GOPROXY":            "file://" + filepath.Join(r.tmp, "proxy") + ",file://" + filepath.Join(strings.TrimSpace(string(modCache)), "cache", "download"),
		"GOSUMDB":            "off",       // see main.go
		"GOFLAGS":            "-trimpath", // builds from this temporary module cache then reuse GOCACHE
		"GOTOOLCHAIN":        "local",
	}
	return nil
}

// runSteps runs the job's steps in order; after a failure only if: always() steps run.
func (r *runner) runSteps(w *workflow, j *job, overrides map[string]string) error {
	var failed error
	for i, s := range j.Steps {
		label := fmt.Sprintf("step %d/%d: %s", i+1, len(j.Steps), s.label())
		switch {
		case s.Uses != "":
			fmt.Printf("test-ci-example: %s (provided by this machine)\n", label)
			continue
		case failed != nil && s.If != "always()":
			fmt.Printf("test-ci-example: %s: skipped after the failure\n", label)
			continue
		}
		fmt.Printf("test-ci-example: %s\n", label)
		if err := r.runStep(i, s, r.stepEnv(w, j, s, overrides)); err != nil && failed == nil {
			failed = fmt.Errorf("%s: %w", label, err)
		}
	}
	if failed == nil {
		fmt.Printf("test-ci-example: all %d steps of the workflow passed\n", len(j.Steps))
	}
	return failed
}

// stepEnv: the machine's, then the workflow's, the job's, GITHUB_ENV's and the step's variables,
// then the overrides; GITHUB_PATH's directories go first on PATH.
func (r *runner) stepEnv(w *workflow, j *job, s step, overrides map[string]string) []string {
	env := maps.Clone(r.base)
	for _, m := range []map[string]string{w.Env, j.Env, r.carried, s.Env, overrides} {
		maps.Copy(env, m)
	}
	env["PATH"] = strings.Join(append(slices.Clone(r.paths), env["PATH"]), string(os.PathListSeparator))
	env["GITHUB_ENV"] = filepath.Join(r.tmp, "runner-temp", "github-env")
	env["GITHUB_PATH"] = filepath.Join(r.tmp, "runner-temp", "github-path")
	out := make([]string, 0, len(env))
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	return out
}

// stepTimeout bounds a step, so that a hung step fails make test instead of blocking it (a cold
// go install of the provider takes a few minutes on a loaded 2-core machine).
const stepTimeout = 20 * time.Minute

// runStep runs one run: script with bash, in its own process group, and reads what it left in
// GITHUB_ENV and GITHUB_PATH.
func (r *runner) runStep(i int, s step, env []string) error {
	script := filepath.Join(r.tmp, fmt.Sprintf("step-%d.sh", i+1))
	output := filepath.Join(r.tmp, fmt.Sprintf("step-%d.out", i+1))
	if err := os.WriteFile(script, []byte(s.Run), 0o644); err != nil {
		return err
	}
	out, err := os.Create(output)
	if err != nil {
		return err
	}
	defer func() { _ = out.Close() }()
	ctx, cancel := context.WithTimeout(context.Background(), stepTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "--noprofile", "--norc", "-eo", "pipefail", script)
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = filepath.Join(r.workspace, s.WorkingDirectory), env, out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	runErr := cmd.Start()
	if runErr == nil {
		r.groups = append(r.groups, cmd.Process.Pid)
		runErr = cmd.Wait()
	}
	if err := r.printMasked(output); err != nil {
		return err
	}
	if err := r.readCarried(env); err != nil {
		return err
	}
	return runErr
}

var colorCode = regexp.MustCompile("\x1b\\[[0-9;]*m")

// printMasked prints a step's output; a "::add-mask::VALUE" line is hidden, and VALUE is replaced by
// *** from then on.
func (r *runner) printMasked(path string) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	for _, line := range strings.SplitAfter(string(raw), "\n") {
		if v, ok := strings.CutPrefix(strings.TrimRight(line, "\n"), "::add-mask::"); ok {
			r.masks = append(r.masks, v)
			continue
		}
		for _, m := range r.masks {
			line = strings.ReplaceAll(line, m, "***")
		}
		line = colorCode.ReplaceAllString(line, "") // terraform colors its output, also without a terminal
		if line != "" {
			fmt.Println("    " + strings.TrimRight(line, "\n"))
		}
	}
	return nil
}

// readCarried takes the NAME=value lines of GITHUB_ENV and the directories of GITHUB_PATH, then
// empties both files, as the runner does between steps.
func (r *runner) readCarried(env []string) error {
	files := map[string]string{}
	for _, kv := range env {
		if k, v, _ := strings.Cut(kv, "="); k == "GITHUB_ENV" || k == "GITHUB_PATH" {
			files[k] = v
		}
	}
	if err := eachLine(files["GITHUB_ENV"], func(line string) error {
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return fmt.Errorf("GITHUB_ENV line %q is not NAME=value (the multi-line form is not supported)", line)
		}
		r.carried[k] = v
		return nil
	}); err != nil {
		return err
	}
	return eachLine(files["GITHUB_PATH"], func(line string) error {
		r.paths = append([]string{line}, r.paths...)
		return nil
	})
}

func eachLine(path string, f func(string) error) error {
	file, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil
	} else if err != nil {
		return err
	}
	defer func() { _ = file.Close(); _ = os.Remove(path) }()
	sc := bufio.NewScanner(file)
	for sc.Scan() {
		if line := sc.Text(); line != "" {
			if err := f(line); err != nil {
				return err
			}
		}
	}
	return sc.Err()
}

// close ends what the steps left running (by their process groups, as GitHub ends a job's
// processes) and removes the temporary directory, module cache included.
func (r *runner) close() {
	for _, pgid := range r.groups {
		_ = syscall.Kill(-pgid, syscall.SIGTERM)
	}
	clean := exec.Command("go", "clean", "-modcache")
	clean.Env = append(os.Environ(), "GOPATH="+filepath.Join(r.tmp, "gopath"), "GOMODCACHE=", "GOFLAGS=")
	_ = clean.Run()
	_ = os.RemoveAll(r.tmp)
}
