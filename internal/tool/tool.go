// Package tool runs external programs (pdftotext, tesseract, catdoc) as
// child processes with a time limit, a cap on their output and a bounded
// number running at once, so that a hanging or crashing tool fails one
// document only.
package tool

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// ErrMissing is returned when the program is not installed.
var ErrMissing = errors.New("tool not installed")

// Cmd describes one run.
type Cmd struct {
	Name    string   // program name, looked up in PATH
	Args    []string // arguments
	Dir     string   // working directory, "" for the current one
	Env     []string // extra environment, KEY=VALUE
	Stdin   []byte
	Timeout time.Duration // 0: one minute
	MaxOut  int64         // cap on stdout bytes kept, 0: 64 MiB
}

// Result is what a run produced.
type Result struct {
	Stdout    []byte
	Stderr    string // last 4 KiB
	Truncated bool   // stdout hit MaxOut
	Elapsed   time.Duration
}

var (
	lookMu sync.Mutex
	looked = map[string]error{}
)

// Available reports whether name is installed, caching the answer.
func Available(name string) error {
	lookMu.Lock()
	defer lookMu.Unlock()
	if err, ok := looked[name]; ok {
		return err
	}
	_, err := exec.LookPath(name)
	if err != nil {
		err = fmt.Errorf("%s: %w", name, ErrMissing)
	}
	looked[name] = err
	return err
}

// Run runs c and returns its output. A non-zero exit, a signal or the
// timeout is an error that names the tool and quotes the end of stderr.
// The child gets its own process group, which is killed as a whole on
// timeout so that grandchildren do not linger.
func Run(ctx context.Context, c Cmd) (Result, error) {
	var res Result
	if err := Available(c.Name); err != nil {
		return res, err
	}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = time.Minute
	}
	maxOut := c.MaxOut
	if maxOut <= 0 {
		maxOut = 64 << 20
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.Name, c.Args...)
	cmd.Dir = c.Dir
	cmd.Env = append(os.Environ(), c.Env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	if c.Stdin != nil {
		cmd.Stdin = bytes.NewReader(c.Stdin)
	}
	out := &capped{max: maxOut}
	errb := &capped{max: 1 << 20}
	cmd.Stdout = out
	cmd.Stderr = errb
	start := time.Now()
	err := cmd.Run()
	res.Elapsed = time.Since(start)
	res.Stdout = out.buf.Bytes()
	res.Truncated = out.over
	se := errb.buf.Bytes()
	if len(se) > 4096 {
		se = se[len(se)-4096:]
	}
	res.Stderr = string(se)
	if ctx.Err() == context.DeadlineExceeded {
		return res, fmt.Errorf("%s: timed out after %s", c.Name, timeout)
	}
	if err != nil {
		msg := strings.TrimSpace(res.Stderr)
		if i := strings.LastIndexByte(msg, '\n'); i >= 0 {
			msg = strings.TrimSpace(msg[i+1:])
		}
		if msg != "" {
			return res, fmt.Errorf("%s: %w: %s", c.Name, err, msg)
		}
		return res, fmt.Errorf("%s: %w", c.Name, err)
	}
	return res, nil
}

// capped keeps at most max bytes and silently drops the rest, so that a
// tool that floods stdout cannot exhaust memory.
type capped struct {
	buf  bytes.Buffer
	max  int64
	over bool
}

func (c *capped) Write(p []byte) (int, error) {
	room := c.max - int64(c.buf.Len())
	if room <= 0 {
		c.over = true
		return len(p), nil
	}
	if int64(len(p)) > room {
		c.over = true
		c.buf.Write(p[:room])
		return len(p), nil
	}
	c.buf.Write(p)
	return len(p), nil
}

// Limiter caps how many runs of a kind of tool are in flight, so that
// tesseract does not start one process per worker and per page.
type Limiter chan struct{}

// NewLimiter returns a limiter admitting n at once (at least 1).
func NewLimiter(n int) Limiter {
	if n < 1 {
		n = 1
	}
	return make(Limiter, n)
}

// Acquire waits for a slot or for ctx to end.
func (l Limiter) Acquire(ctx context.Context) error {
	select {
	case l <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Release frees a slot taken by Acquire.
func (l Limiter) Release() { <-l }
