package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"
)

type counts struct{ passed, failed, skipped int }

func (c counts) String() string {
	return fmt.Sprintf("%d passed, %d failed, %d skipped", c.passed, c.failed, c.skipped)
}

// result is what one suite (a go test run with one CLI, or a -before/-after command) came to.
type result struct {
	name string
	counts
	note   string // why it skipped or failed, when its counts do not say
	broken bool   // failed as a whole: it did not run, or exited non-zero with no failed test
}

func (r result) ok() bool { return r.failed == 0 && !r.broken }

func (r result) line() string {
	if r.broken && r.counts == (counts{}) {
		return r.name + ": failed (" + r.note + ")"
	}
	line := r.name + ": " + r.String()
	if r.note != "" {
		line += " (" + r.note + ")"
	}
	return line
}

// summary is the last thing a run prints: one line with the totals of every suite, then one line per
// suite, so that it ends with the whole answer however long the output above it.
func summary(name string, results []result) string {
	var total counts
	for _, r := range results {
		total.passed += r.passed
		total.failed += r.failed
		total.skipped += r.skipped
		if r.broken && r.failed == 0 {
			total.failed++
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n%s: %s\n", name, total)
	for _, r := range results {
		fmt.Fprintf(&b, "  %s\n", r.line())
	}
	return b.String()
}

// suite is one -before or -after suite: a name and a bash command.
type suite struct{ name, command string }

// suiteFlags collects repeated NAME=COMMAND flags.
type suiteFlags []suite

func (f *suiteFlags) String() string { return fmt.Sprint(*f) }

func (f *suiteFlags) Set(v string) error {
	name, command, ok := strings.Cut(v, "=")
	if !ok || strings.TrimSpace(name) == "" || strings.TrimSpace(command) == "" {
		return fmt.Errorf("want NAME=COMMAND, such as validate-examples='make validate-examples'; got %q", v)
	}
	*f = append(*f, suite{strings.TrimSpace(name), command})
	return nil
}

// runSuite runs s with bash, its output shown as it comes, and reads its result from that output.
func runSuite(s suite) result {
	fmt.Printf("\n==> %s\n", s.name)
	var out bytes.Buffer
	cmd := exec.Command("bash", "-c", s.command)
	cmd.Stdout = io.MultiWriter(os.Stdout, &out)
	cmd.Stderr = io.MultiWriter(os.Stderr, &out)
	start := time.Now()
	err := cmd.Run()
	r := suiteResult(s.name, out.String(), err)
	fmt.Printf("%s (%s)\n", r.line(), time.Since(start).Round(time.Second))
	return r
}

var (
	// Our scripts' own count line, such as "validate-examples: 12 passed, 0 failed, 2 skipped".
	scriptCounts = regexp.MustCompile(`(?m)^\S+: (\d+) passed, (\d+) failed, (\d+) skipped$`)
	// terraform test's last line, such as "Success! 3 passed, 0 failed." (OpenTofu's too), also
	// indented as test-ci-example shows a step's output.
	terraformTestCounts = regexp.MustCompile(`(?m)^\s*(?:Success|Failure)! (\d+) passed, (\d+) failed(?:, (\d+) skipped)?\.`)
	// A suite that did not run on this machine, such as "test-ci-example: SKIPPED: terraform is 1.5.7".
	suiteSkipped = regexp.MustCompile(`(?m)SKIPPED:? *(.*)$`)
	ansiEscape   = regexp.MustCompile(`\x1b\[[0-9;]*m`)
)

// suiteResult reads a suite's counts from its output: its own count line, or terraform test's, or a
// SKIPPED line; a suite that prints none of them counts as one test, passed when it exited 0.
func suiteResult(name, output string, runErr error) result {
	output = ansiEscape.ReplaceAllString(output, "")
	r := result{name: name}
	if m := lastMatch(scriptCounts, output); m != nil {
		r.counts = counts{atoi(m[1]), atoi(m[2]), atoi(m[3])}
	} else if ms := terraformTestCounts.FindAllStringSubmatch(output, -1); ms != nil {
		for _, m := range ms { // one line per terraform test run in the suite
			r.passed += atoi(m[1])
			r.failed += atoi(m[2])
			r.skipped += atoi(m[3])
		}
	} else if m := lastMatch(suiteSkipped, output); m != nil && runErr == nil {
		r.skipped, r.note = 1, strings.TrimSpace(m[1])
	} else if runErr == nil {
		r.passed = 1
	}
	if runErr != nil && r.failed == 0 {
		r.note, r.broken = runErr.Error(), true
	}
	return r
}

func lastMatch(re *regexp.Regexp, s string) []string {
	all := re.FindAllStringSubmatch(s, -1)
	if len(all) == 0 {
		return nil
	}
	return all[len(all)-1]
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
