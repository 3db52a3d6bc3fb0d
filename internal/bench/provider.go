package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"github.com/cobo-terraform/terraform-provider-cobo/internal/provider"
)

const providerAddress = provider.Address

// providerProc is the provider binary running in debug mode (`terraform-provider-cobo -debug`):
// Terraform reattaches to this one process through TF_REATTACH_PROVIDERS instead of launching its own,
// so the process whose memory is read is the one that served the whole command.
type providerProc struct {
	cmd      *exec.Cmd
	pid      int
	reattach string // the TF_REATTACH_PROVIDERS value
	out      *tailBuffer
	logPath  string // the provider's stderr: its log stream (JSON, TRACE level by default)
	done     chan struct{}
}

// startProvider starts the provider in debug mode and waits for its reattach line. Its stderr (the
// framework logs at TRACE level unless told otherwise, megabytes per plan) goes straight to a file in
// logDir, so that this process spends nothing on it and is not counted in the measurements.
func startProvider(ctx context.Context, bin string, env []string, logDir string) (*providerProc, error) {
	cmd := exec.Command(bin, "-debug")
	cmd.Env = env
	// If the benchmark dies without cleaning up, the kernel stops the provider too.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	p := &providerProc{cmd: cmd, out: newTail(16 << 10), done: make(chan struct{})}
	logFile, err := os.CreateTemp(logDir, "provider-*.log")
	if err != nil {
		return nil, err
	}
	p.logPath = logFile.Name()
	cmd.Stderr = logFile
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		_ = logFile.Close()
		return nil, err
	}
	err = cmd.Start()
	_ = logFile.Close() // the provider has its own descriptor
	if err != nil {
		_ = os.Remove(p.logPath)
		return nil, fmt.Errorf("starting %s -debug: %w", bin, err)
	}
	p.pid = cmd.Process.Pid
	found := make(chan string, 1)
	go func() {
		// Read stdout to the end (the provider must never block on a full pipe), then reap it.
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		sent := false
		for sc.Scan() {
			line := sc.Text()
			_, _ = p.out.Write([]byte(line + "\n"))
			if !sent && strings.Contains(line, "TF_REATTACH_PROVIDERS=") {
				found <- line
				sent = true
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
		_ = cmd.Wait()
		close(p.done)
	}()

	if err := p.waitForReattach(ctx, found); err != nil {
		return nil, err
	}
	return p, nil
}

// waitForReattach waits up to 30s for the reattach line; on any failure the provider is stopped.
func (p *providerProc) waitForReattach(ctx context.Context, found <-chan string) error {
	timer := time.NewTimer(30 * time.Second)
	defer timer.Stop()
	var err error
	select {
	case line := <-found:
		if p.reattach, err = parseReattachLine(line, p.pid); err != nil {
			err = fmt.Errorf("%w\n%s", err, lastLines(p.output(), 10))
		}
	case <-p.done:
		err = fmt.Errorf("the provider exited before printing TF_REATTACH_PROVIDERS:\n%s", lastLines(p.output(), 10))
	case <-timer.C:
		err = fmt.Errorf("the provider printed no TF_REATTACH_PROVIDERS line within 30s:\n%s", lastLines(p.output(), 10))
	case <-ctx.Done():
		err = ctx.Err()
	}
	if err != nil {
		p.stop()
	}
	return err
}

// parseReattachLine extracts the value from a line such as
//
//	TF_REATTACH_PROVIDERS='{"registry.terraform.io/cobo-terraform/cobo":{"Protocol":"grpc",...,"Pid":123,...}}'
//
// and checks that it names this provider and this process.
func parseReattachLine(line string, pid int) (string, error) {
	_, value, ok := strings.Cut(line, "TF_REATTACH_PROVIDERS=")
	if !ok {
		return "", errors.New("no TF_REATTACH_PROVIDERS in the provider's output")
	}
	value = strings.TrimSpace(value)
	if len(value) >= 2 && value[0] == '\'' && value[len(value)-1] == '\'' {
		value = strings.ReplaceAll(value[1:len(value)-1], `'"'"'`, `'`)
	}
	var cfg map[string]struct {
		Protocol        string
		ProtocolVersion int
		Pid             int
		Addr            struct{ Network, String string }
	}
	if err := json.Unmarshal([]byte(value), &cfg); err != nil {
		return "", fmt.Errorf("reading TF_REATTACH_PROVIDERS: %w", err)
	}
	c, ok := cfg[providerAddress]
	if !ok {
		return "", fmt.Errorf("TF_REATTACH_PROVIDERS does not name %s: %s", providerAddress, value)
	}
	if pid != 0 && c.Pid != pid {
		return "", fmt.Errorf("TF_REATTACH_PROVIDERS names process %d, not the provider started (%d)", c.Pid, pid)
	}
	if c.ProtocolVersion != 6 {
		return "", fmt.Errorf("TF_REATTACH_PROVIDERS has protocol version %d, want 6", c.ProtocolVersion)
	}
	return value, nil
}

// output is the provider's stdout and the end of its log, for error messages.
func (p *providerProc) output() string {
	out := p.out.String()
	if f, err := os.Open(p.logPath); err == nil {
		defer func() { _ = f.Close() }()
		if st, err := f.Stat(); err == nil {
			buf := make([]byte, min(st.Size(), 8<<10))
			if _, err := f.ReadAt(buf, st.Size()-int64(len(buf))); err == nil || errors.Is(err, io.EOF) {
				out += "\n" + string(buf)
			}
		}
	}
	return out
}

// peakRSS is the provider's peak resident set size so far, in KiB.
func (p *providerProc) peakRSS() (int64, error) { return peakRSSKiB(p.pid) }

// stop ends the provider, SIGINT (what the debug server listens for) then SIGKILL after 5s, and
// removes its log. Safe to call more than once.
func (p *providerProc) stop() {
	select {
	case <-p.done:
	default:
		_ = p.cmd.Process.Signal(os.Interrupt)
		select {
		case <-p.done:
		case <-time.After(5 * time.Second):
			_ = p.cmd.Process.Kill()
			<-p.done
		}
	}
	_ = os.Remove(p.logPath)
}
