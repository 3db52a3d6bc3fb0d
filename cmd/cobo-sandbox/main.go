// Command cobo-sandbox serves an emulation of Cobo's pay-in order API on a local address, so that the
// Terraform provider (or any Cobo client) can be tried without a Cobo account, and drives a running
// sandbox from the command line (orders, clock, faults) so that nobody signs requests by hand. See
// internal/sandbox/README.md.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

func main() {
	err := run(os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case err == nil || errors.Is(err, flag.ErrHelp):
		return
	case errors.As(err, new(usageError)):
		fmt.Fprintln(os.Stderr, "cobo-sandbox:", err)
		fmt.Fprint(os.Stderr, "Run cobo-sandbox help for the commands.\n")
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "cobo-sandbox:", err)
		os.Exit(1)
	}
}

// run dispatches to the server (no command, or "serve") or to a client command.
func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		if i := commandAfterFlags(args); i > 0 {
			moved := slices.Concat(args[i:], args[:i])
			return usageErrorf("the flags of a command go after it: cobo-sandbox %s", strings.Join(moved, " "))
		}
		return serve(args, stdout, stderr)
	}
	command, rest := args[0], args[1:]
	switch command {
	case "serve":
		return serve(rest, stdout, stderr)
	case "help":
		fmt.Fprint(stdout, usage())
		return nil
	}
	if isNoun(command) {
		return runClient(command, rest, stdout, stderr)
	}
	return usageError{fmt.Sprintf("unknown command %q", command)}
}

// commandAfterFlags finds a client command written after flags ("-host URL orders list"), which would
// otherwise start the server with flags it does not take; 0 when there is none. A word that is the value
// of a serve flag ("-state orders") is not a command.
func commandAfterFlags(args []string) int {
	fs, _ := newServeFlags(io.Discard)
	for i := 1; i < len(args); i++ {
		name := strings.TrimLeft(args[i-1], "-")
		f := fs.Lookup(name)
		isValue := strings.HasPrefix(args[i-1], "-") && !strings.Contains(name, "=") && f != nil && !isBoolFlag(f)
		if isNoun(args[i]) && !isValue {
			return i
		}
	}
	return 0
}

func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// usageError is a command line that cannot be run as written (exit status 2).
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// parseInterspersed parses flags that may come before or after the positional arguments
// ("orders pay ID -amount 5" as well as "orders pay -amount 5 ID").
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{err.Error()}
		}
		if fs.NArg() == 0 {
			return positional, nil
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

func splitList(v string) []string {
	var out []string
	for _, item := range strings.Split(v, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}
