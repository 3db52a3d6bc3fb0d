// Command testmatrix runs the acceptance tests once per Terraform or OpenTofu CLI given to it and
// prints, for each, a line "CLI <version>: N passed, N failed, N skipped" (tests and subtests that
// have no subtests of their own, from `go test -json`). It is `make testacc-matrix` and `make test`,
// which also gives it the other suites to run before and after the tests (-before, -after).
//
// Every CLI and every suite runs even when an earlier one fails; at the end it prints one summary of
// all of them (see summary.go) and fails if any failed. OpenTofu is recognised by its `version` output
// and gets TF_ACC_PROVIDER_HOST=registry.opentofu.org, which terraform-plugin-testing needs to
// address the provider there.
//
//	go run ./internal/testmatrix [-name "make test"] [-pkgs ./internal/provider] [-race] [-run REGEXP]
//	    [-before NAME=COMMAND]... [-after NAME=COMMAND]... CLI...
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

func main() {
	name := flag.String("name", "testmatrix", "what the summary line calls this run, such as make test")
	pkgs := flag.String("pkgs", "./internal/provider", "space-separated packages to test")
	race := flag.Bool("race", false, "run the tests with the race detector")
	run := flag.String("run", "", "only tests matching this regular expression (go test -run)")
	timeout := flag.String("timeout", "30m", "go test -timeout for each CLI")
	var before, after suiteFlags
	flag.Var(&before, "before", "NAME=COMMAND: a suite (a bash command) to run before the tests; repeatable")
	flag.Var(&after, "after", "NAME=COMMAND: a suite (a bash command) to run after the tests; repeatable")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "testmatrix: give one or more Terraform or OpenTofu CLIs (paths or names on PATH)")
		os.Exit(2)
	}

	args := []string{"test", "-json", "-count=1", "-timeout", *timeout}
	if *race {
		args = append(args, "-race")
	}
	if *run != "" {
		args = append(args, "-run", *run)
	}
	args = append(args, strings.Fields(*pkgs)...)

	var results []result
	for _, s := range before {
		results = append(results, runSuite(s))
	}
	for _, cli := range flag.Args() {
		r := runWith(cli, args)
		fmt.Println(r.line())
		results = append(results, r)
	}
	for _, s := range after {
		results = append(results, runSuite(s))
	}
	fmt.Print(summary(*name, results))
	for _, r := range results {
		if !r.ok() {
			os.Exit(1)
		}
	}
}

// runWith runs go test against one CLI and returns its result, named "CLI <product> <version>".
func runWith(cli string, goTestArgs []string) result {
	path, err := exec.LookPath(cli)
	if err == nil {
		path, err = filepath.Abs(path)
	}
	if err != nil {
		return result{name: "CLI " + cli, note: fmt.Sprintf("not found (%v)", err), broken: true}
	}
	name, err := cliName(path)
	if err != nil {
		return result{name: "CLI " + path, note: err.Error(), broken: true}
	}
	fmt.Printf("\n==> Acceptance tests with %s (%s)\n", name, path)

	cmd := exec.Command("go", goTestArgs...)
	cmd.Env = testEnv(path, strings.HasPrefix(name, "OpenTofu"))
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err == nil {
		err = cmd.Start()
	}
	if err != nil {
		return result{name: "CLI " + name, note: fmt.Sprintf("go test did not start: %v", err), broken: true}
	}
	r := result{name: "CLI " + name, counts: count(stdout, os.Stdout)}
	if waitErr := cmd.Wait(); waitErr != nil && r.failed == 0 {
		r.note, r.broken = fmt.Sprintf("go test failed: %v", waitErr), true
	}
	return r
}

// versionLine finds "Terraform v1.5.7" or "OpenTofu v1.12.6" in `CLI version`; OpenTofu may print
// warnings about the CLI configuration before it, on stdout.
var versionLine = regexp.MustCompile(`(?m)^(Terraform|OpenTofu) v\S+`)

// cliName is the CLI's product and version, such as "Terraform v1.5.7" or "OpenTofu v1.12.6".
func cliName(path string) (string, error) {
	out, err := exec.Command(path, "version").Output()
	if err != nil {
		return "", fmt.Errorf("%s version: %w", path, err)
	}
	name := versionLine.FindString(string(out))
	if name == "" {
		return "", fmt.Errorf("%s version printed no Terraform or OpenTofu version: %q", path, out)
	}
	return name, nil
}

// testEnv is this process's environment for the acceptance tests against cli (run from the
// repository root): the settings of the GNUmakefile's ACC_ENV, and OpenTofu's registry host only for
// OpenTofu.
func testEnv(cli string, openTofu bool) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case "TF_ACC_PROVIDER_HOST", "TF_ACC_TERRAFORM_PATH", "TF_CLI_CONFIG_FILE":
		default:
			env = append(env, kv)
		}
	}
	// An empty CLI configuration: a developer's own (dev_overrides, mirrors) must not change the tests.
	rc, _ := filepath.Abs(filepath.Join("internal", "provider", "testdata", "terraformrc"))
	env = append(env, "TF_ACC=1", "TF_ACC_TERRAFORM_PATH="+cli, "CHECKPOINT_DISABLE=1", "TF_CLI_CONFIG_FILE="+rc)
	if openTofu {
		env = append(env, "TF_ACC_PROVIDER_HOST=registry.opentofu.org")
	}
	return env
}

// event is one line of `go test -json` (test2json).
type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

// count reads go test -json and counts the results of the tests that have no subtests (a test whose
// subtests all skip is skipped, not passed). It writes what plain go test would show: the package
// lines, and the whole output of each failed top-level test.
func count(r io.Reader, w io.Writer) counts {
	results := map[string]string{} // "package test" -> pass, fail or skip
	parents := map[string]bool{}   // tests that have subtests
	outputs := map[string][]string{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1024*1024), 16*1024*1024)
	for sc.Scan() {
		var e event
		if json.Unmarshal(sc.Bytes(), &e) != nil {
			_, _ = fmt.Fprintln(w, sc.Text()) // not an event: a build error, say
			continue
		}
		if e.Test == "" {
			if e.Action == "output" {
				_, _ = io.WriteString(w, e.Output)
			}
			continue
		}
		if i := strings.LastIndex(e.Test, "/"); i >= 0 {
			parents[e.Package+" "+e.Test[:i]] = true
		}
		top, _, _ := strings.Cut(e.Test, "/")
		topKey := e.Package + " " + top
		switch e.Action {
		case "output":
			outputs[topKey] = append(outputs[topKey], e.Output)
		case "pass", "skip", "fail":
			results[e.Package+" "+e.Test] = e.Action
			if e.Test == top {
				if e.Action == "fail" {
					_, _ = io.WriteString(w, strings.Join(outputs[topKey], ""))
				}
				delete(outputs, topKey)
			}
		}
	}
	var c counts
	for test, result := range results {
		if parents[test] {
			continue
		}
		switch result {
		case "pass":
			c.passed++
		case "fail":
			c.failed++
		case "skip":
			c.skipped++
		}
	}
	return c
}
