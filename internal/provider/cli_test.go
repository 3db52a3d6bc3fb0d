package provider

import (
	"context"
	"os"
	"os/exec"
	"regexp"
	"sync"

	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// skipOpenTofu skips a test on OpenTofu, for features it lacks (list and action blocks): its version
// numbers say nothing about those, so the CLI is asked who it is.
type skipOpenTofu struct{}

func (skipOpenTofu) CheckTerraformVersion(_ context.Context, _ tfversion.CheckTerraformVersionRequest, resp *tfversion.CheckTerraformVersionResponse) {
	if isOpenTofu() {
		resp.Skip = "OpenTofu has no list resources (terraform query) and no actions"
	}
}

var isOpenTofu = sync.OnceValue(func() bool {
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		cli, _ = exec.LookPath("terraform")
	}
	if cli == "" {
		return false
	}
	out, err := exec.Command(cli, "version").Output()
	// OpenTofu may print warnings about its CLI configuration first, on stdout.
	return err == nil && regexp.MustCompile(`(?m)^OpenTofu v`).Match(out)
})
