// Command ciexample runs the `run:` steps of the CI recipe examples/ci/github-actions.yml in order on
// this machine, offline, the way GitHub's runner would (make test-ci-example, part of make test), so
// the recipe users copy cannot rot unnoticed.
//
// The steps run as written, with bash -eo pipefail in GITHUB_WORKSPACE (or their working-directory);
// after a failure only `if: always()` steps run; GITHUB_ENV and GITHUB_PATH carry values to later
// steps; "::add-mask::" hides values in the output; every process a step leaves running is ended at
// the end, as GitHub ends them with the job. The `uses:` steps are provided by this machine:
// actions/checkout by a copy of this checkout's files, actions/setup-go by the go on PATH, and
// hashicorp/setup-terraform by TERRAFORM (or terraform on PATH), first on PATH as terraform.
//
// The only value of the workflow that is overridden is COBO_VERSION, which it declares: the
// workflow's `go install module@$COBO_VERSION` gets this checkout, served as that version from a
// file:// GOPROXY built in a temporary directory (golang.org/x/mod/zip), followed by the local module
// cache's download directory for the dependencies, with GOSUMDB=off: no checksum database knows a
// checkout, and sum.golang.org is off the machine; the dependencies come from the module cache, which
// Go verified when it downloaded them. So the very command users run is tested, with no network and
// no stand-in for it.
package main

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

const (
	modulePath = "github.com/cobo-terraform/terraform-provider-cobo"
	// checkoutVersion is the version under which this checkout is served; no release has it.
	checkoutVersion = "v0.0.0-this-checkout"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run ./internal/ciexample WORKFLOW.yml   (from the repository root)")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "test-ci-example:", err)
		os.Exit(1)
	}
}

func run(workflowPath string) error {
	w, j, err := readWorkflow(workflowPath)
	if err != nil {
		return err
	}
	overrides := map[string]string{"COBO_VERSION": checkoutVersion}
	for name := range overrides {
		if _, inJob := j.Env[name]; !inJob {
			if _, inWorkflow := w.Env[name]; !inWorkflow {
				return fmt.Errorf("the workflow declares no %s, which this runner sets", name)
			}
		}
	}
	terraform, skip, err := findTerraform()
	if err != nil || skip != "" {
		fmt.Println("test-ci-example: SKIPPED:", skip)
		return err
	}
	r, err := newRunner(terraform)
	if err != nil {
		return err
	}
	defer r.close()
	return r.runSteps(w, j, overrides)
}

// findTerraform is TERRAFORM or terraform on PATH; below 1.6 (no terraform test) it says to skip.
func findTerraform() (path, skip string, err error) {
	path, err = exec.LookPath(cmp.Or(os.Getenv("TERRAFORM"), "terraform"))
	if err != nil {
		return "", "", errors.New("terraform not found on PATH (Terraform >= 1.6 is needed for terraform test)")
	}
	cmd := exec.Command(path, "version", "-json")
	cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1", "TF_CLI_CONFIG_FILE=/dev/null")
	out, err := cmd.Output()
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err != nil || json.Unmarshal(out, &v) != nil {
		return "", "", fmt.Errorf("%s version -json: %v", path, err)
	}
	parts := strings.SplitN(v.Version, ".", 3)
	minor, _ := strconv.Atoi(parts[min(1, len(parts)-1)])
	if parts[0] == "1" && minor < 6 {
		return "", fmt.Sprintf("%s is version %s; terraform test needs >= 1.6", path, v.Version), nil
	}
	return path, "", nil
}

// absRoot is the repository root: the current directory, as make runs it.
func absRoot() (string, error) {
	root, err := os.Getwd()
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		return "", errors.New("run it from the repository root")
	}
	return root, nil
}
