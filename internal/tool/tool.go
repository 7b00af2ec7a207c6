// Package tool runs external programs (pdftotext, tesseract, catdoc) as
// child processes with a time limit, a cap on their memory and output and
// a bounded number running at once, so that a hanging, crashing or
// ballooning tool fails one document only, and never outlives leakscope.
//
// # Process group
//
// Each child leads its own process group. On timeout or cancellation the
// whole group is killed, so a tool's own children (a shell's sleep,
// ghostscript under a converter) go with it. Pdeathsig makes the kernel
// kill the child when leakscope dies without the chance to clean up
// (SIGKILL, OOM killer).
//
// # Memory cap
//
// The child's address space is capped (RLIMIT_AS, Cmd.MaxMemory) so that
// a tiny hostile file cannot make a tool allocate gigabytes: a 400-byte
// PDF with a page a few metres wide asks poppler for a multi-gigabyte
// bitmap. The limit is set by starting the tool through
// `sh -c 'ulimit -v N; exec tool ...'`: the limit is in place before the
// tool's first instruction, and exec keeps the pid and process group.
// prlimit(2) on the started pid was the alternative; it races with the
// child, which may allocate before the limit lands, and Go's os/exec has
// no hook between fork and exec. A tool that hits the cap fails with
// ErrMemory.
package tool

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// ErrMissing is returned when the program is not installed.
var ErrMissing = errors.New("tool not installed")

// ErrTimeout is wrapped by the error of a run killed at its Timeout (not
// by the caller's context).
var ErrTimeout = errors.New("tool timed out")

// ErrMemory is wrapped by the error of a run that ran out of its address
// space cap (Cmd.MaxMemory).
var ErrMemory = errors.New("tool exceeded its memory limit")

// DefaultMaxMemory is the address-space cap of a child when Cmd.MaxMemory
// is 0: tesseract on a 40-megapixel page and poppler rendering one stay
// well below it, a decompression bomb does not.
const DefaultMaxMemory = 2 << 30

// Cmd describes one run.
type Cmd struct {
	Name    string   // program name, looked up in PATH
	Args    []string // arguments
	Dir     string   // working directory, "" for the current one
	Env     []string // extra environment, KEY=VALUE
	Stdin   []byte
	Timeout time.Duration // 0: one minute
	MaxOut  int64         // cap on stdout bytes kept, 0: 64 MiB
	// MaxMemory caps the child's address space in bytes (RLIMIT_AS).
	// 0: DefaultMaxMemory; negative: no cap.
	MaxMemory int64
}

// Result is what a run produced.
type Result struct {
	Stdout    []byte
	Stderr    string // last 4 KiB
	Truncated bool   // stdout hit MaxOut
	Elapsed   time.Duration
	// MaxRSS is the child's peak resident set, in bytes, as the kernel
	// reports it for the process that exited (not its own children).
	MaxRSS int64
}

var (
	lookMu sync.Mutex
	looked = map[string]lookup{}
)

type lookup struct {
	path string
	err  error
}

// Available reports whether name is installed, caching the answer.
func Available(name string) error {
	_, err := lookPath(name)
	return err
}

// lookPath is exec.LookPath, cached.
func lookPath(name string) (string, error) {
	lookMu.Lock()
	defer lookMu.Unlock()
	if l, ok := looked[name]; ok {
		return l.path, l.err
	}
	path, err := exec.LookPath(name)
	if err != nil {
		err = fmt.Errorf("%s: %w", name, ErrMissing)
	}
	looked[name] = lookup{path, err}
	return path, err
}

// Run runs c and returns its output. A non-zero exit, a signal, the
// memory cap or the timeout is an error that names the tool and quotes
// the end of stderr. The child gets its own process group, which is
// killed as a whole on timeout and on cancellation of ctx so that
// grandchildren do not linger (see the package doc).
func Run(ctx context.Context, c Cmd) (Result, error) {
	var res Result
	prog, args, err := command(c)
	if err != nil {
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
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, prog, args...)
	cmd.Dir = c.Dir
	cmd.Env = append(os.Environ(), c.Env...)
	// Pdeathsig is delivered when the thread that started the child
	// exits; Go keeps its threads for the life of the process unless a
	// goroutine exits locked to one, which this package never does.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
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
	err = cmd.Run()
	if cmd.Process != nil {
		// The leader has exited; anything it left in its group (a
		// daemonised grandchild) goes now, as on timeout.
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
	res.Elapsed = time.Since(start)
	if cmd.ProcessState != nil {
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			res.MaxRSS = ru.Maxrss << 10
		}
	}
	res.Stdout = out.buf.Bytes()
	res.Truncated = out.over
	se := errb.buf.Bytes()
	if len(se) > 4096 {
		se = se[len(se)-4096:]
	}
	res.Stderr = string(se)
	if ctx.Err() == context.DeadlineExceeded && parent.Err() == nil {
		return res, fmt.Errorf("%s: %w after %s", c.Name, ErrTimeout, timeout)
	}
	if ctx.Err() != nil {
		return res, fmt.Errorf("%s: %w", c.Name, context.Cause(parent))
	}
	if c.MaxMemory >= 0 && outOfMemory(res.Stderr) {
		// poppler prints "Out of memory" and exits 0 when an allocation
		// fails; tesseract aborts on std::bad_alloc.
		return res, fmt.Errorf("%s: %w (%d MiB address space)", c.Name, ErrMemory, maxMemory(c)>>20)
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

// command returns the program and arguments that run c: c itself, or c
// behind a shell that sets the address-space cap and execs it.
func command(c Cmd) (string, []string, error) {
	path, err := lookPath(c.Name)
	if err != nil {
		return "", nil, err
	}
	if c.MaxMemory < 0 {
		return path, c.Args, nil
	}
	// ulimit -v takes KiB. A hard limit already below ours makes ulimit
	// fail; the tool then runs under that lower limit, which is fine.
	kib := strconv.FormatInt(maxMemory(c)>>10, 10)
	args := append([]string{"-c", `ulimit -v "$1" 2>/dev/null; shift; exec "$@"`, "leakscope-tool", kib, path}, c.Args...)
	return "/bin/sh", args, nil
}

func maxMemory(c Cmd) int64 {
	if c.MaxMemory == 0 {
		return DefaultMaxMemory
	}
	return c.MaxMemory
}

// oomMessages are what tools print when an allocation fails under
// RLIMIT_AS: poppler, libstdc++ (std::bad_alloc, tesseract), glibc and
// libpng/leptonica.
var oomMessages = []string{"out of memory", "bad_alloc", "cannot allocate memory", "memory exhausted", "insufficient memory"}

// outOfMemory reports whether stderr says an allocation failed.
func outOfMemory(stderr string) bool {
	s := strings.ToLower(stderr)
	for _, m := range oomMessages {
		if strings.Contains(s, m) {
			return true
		}
	}
	return false
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
