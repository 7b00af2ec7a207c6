package tool

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/leakscope/leakscope/internal/testenv"
)

// liveInGroup lists the pids of processes in process group pgid that are
// not zombies, read from /proc.
func liveInGroup(t *testing.T, pgid int) []int {
	t.Helper()
	ents, err := os.ReadDir("/proc")
	if err != nil {
		t.Skipf("no /proc: %v", err)
	}
	var live []int
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if st, ok := procStat(pid); ok && st.pgrp == pgid && st.state != "Z" && st.state != "X" {
			live = append(live, pid)
		}
	}
	return live
}

type stat struct {
	state string
	pgrp  int
}

// procStat reads the state and process group of pid.
func procStat(pid int) (stat, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return stat{}, false
	}
	// "pid (comm) state ppid pgrp ..."; comm may hold spaces.
	i := bytes.LastIndexByte(b, ')')
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 3 {
		return stat{}, false
	}
	pgrp, _ := strconv.Atoi(f[2])
	return stat{state: f[0], pgrp: pgrp}, true
}

// waitGone polls until check reports nothing left: SIGKILL is delivered
// asynchronously, so a killed process may run for a moment.
func waitGone(check func() []int) []int {
	var left []int
	for range 200 {
		if left = check(); len(left) == 0 {
			return nil
		}
		time.Sleep(25 * time.Millisecond)
	}
	return left
}

// TestRunKillsGroup runs a shell that leaves a background child and waits
// on another, then ends the run by its timeout and by cancelling the
// context: no process of the child's group may survive either.
func TestRunKillsGroup(t *testing.T) {
	tests := []struct {
		name    string
		timeout time.Duration
		cancel  bool
		wantErr error
	}{
		{name: "timeout", timeout: 300 * time.Millisecond, wantErr: ErrTimeout},
		{name: "context cancel", timeout: time.Minute, cancel: true, wantErr: context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pidFile := filepath.Join(t.TempDir(), "pid")
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			if tt.cancel {
				// Cancel once the shell has started its children.
				go func() {
					for range 400 {
						if b, err := os.ReadFile(pidFile); err == nil && len(b) > 0 {
							break
						}
						time.Sleep(10 * time.Millisecond)
					}
					cancel()
				}()
			}
			script := fmt.Sprintf(`sleep 100 & echo $$ > %s; sleep 100`, pidFile)
			_, err := Run(ctx, Cmd{Name: "sh", Args: []string{"-c", script}, Timeout: tt.timeout})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			b, rerr := os.ReadFile(pidFile)
			if rerr != nil {
				t.Fatalf("the shell did not start: %v", rerr)
			}
			pgid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
			if left := waitGone(func() []int { return liveInGroup(t, pgid) }); len(left) > 0 {
				for _, p := range left {
					syscall.Kill(p, syscall.SIGKILL)
				}
				t.Fatalf("processes %v of group %d outlived the run", left, pgid)
			}
		})
	}
}

// TestRunDiesWithParent starts a stand-in for leakscope (this test binary
// in helper mode) that runs a long child through Run, kills the stand-in
// with SIGKILL, as the OOM killer would, and checks that the child dies
// too (Pdeathsig).
func TestRunDiesWithParent(t *testing.T) {
	if os.Getenv("LEAKSCOPE_TOOL_HELPER") != "" {
		t.Skip("helper mode")
	}
	pidFile := filepath.Join(t.TempDir(), "pid")
	helper := exec.Command(os.Args[0], "-test.run=^TestHelperRun$")
	helper.Env = append(os.Environ(), "LEAKSCOPE_TOOL_HELPER="+pidFile)
	if err := helper.Start(); err != nil {
		t.Fatal(err)
	}
	var pid int
	for range 400 {
		if b, err := os.ReadFile(pidFile); err == nil && strings.HasSuffix(string(b), "\n") {
			pid, _ = strconv.Atoi(strings.TrimSpace(string(b)))
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if pid == 0 {
		helper.Process.Kill()
		helper.Wait()
		t.Fatal("the helper's child did not start")
	}
	helper.Process.Signal(syscall.SIGKILL)
	helper.Wait()
	alive := func() []int {
		if st, ok := procStat(pid); ok && st.state != "Z" && st.state != "X" {
			return []int{pid}
		}
		return nil
	}
	if left := waitGone(alive); len(left) > 0 {
		syscall.Kill(pid, syscall.SIGKILL)
		t.Fatalf("child %d outlived its killed parent", pid)
	}
}

// TestHelperRun is the stand-in leakscope of TestRunDiesWithParent; it
// does nothing in a normal test run.
func TestHelperRun(t *testing.T) {
	pidFile := os.Getenv("LEAKSCOPE_TOOL_HELPER")
	if pidFile == "" {
		t.Skip("only run by TestRunDiesWithParent")
	}
	script := fmt.Sprintf(`echo $$ > %s.tmp && mv %s.tmp %s && exec sleep 100`, pidFile, pidFile, pidFile)
	Run(context.Background(), Cmd{Name: "sh", Args: []string{"-c", script}, Timeout: 5 * time.Minute})
}

// TestRunMemoryCap checks that the address-space cap is set in the child
// before the tool runs, and can be turned off.
func TestRunMemoryCap(t *testing.T) {
	tests := []struct {
		name string
		max  int64
		want string // ulimit -v as the child sees it
	}{
		{name: "default", max: 0, want: strconv.Itoa(DefaultMaxMemory >> 10)},
		{name: "set", max: 300 << 20, want: strconv.Itoa(300 << 10)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Run(t.Context(), Cmd{Name: "sh", Args: []string{"-c", "ulimit -v"}, MaxMemory: tt.max})
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.TrimSpace(string(res.Stdout)); got != tt.want {
				t.Errorf("ulimit -v = %q, want %q", got, tt.want)
			}
		})
	}
	res, err := Run(t.Context(), Cmd{Name: "sh", Args: []string{"-c", "ulimit -v"}, MaxMemory: -1})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(string(res.Stdout)); got == strconv.Itoa(DefaultMaxMemory>>10) {
		t.Errorf("MaxMemory -1 still capped the child at %s KiB", got)
	}
}

// TestRunMemoryExceeded renders a page of 200 x 200 inches, the shape of
// a tiny hostile PDF, with poppler under a 256 MiB cap: the run fails with
// ErrMemory instead of allocating gigabytes (poppler exits 0 after
// printing "Out of memory", which must not pass for success).
func TestRunMemoryExceeded(t *testing.T) {
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		testenv.Missing(t, "pdftoppm not installed")
	}
	dir := t.TempDir()
	pdf := filepath.Join(dir, "huge.pdf")
	if err := os.WriteFile(pdf, onePagePDF(14400, 14400), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Run(t.Context(), Cmd{Name: "pdftoppm", Args: []string{"-r", "150", "-gray", "-png", "-singlefile", pdf, filepath.Join(dir, "p")},
		MaxMemory: 256 << 20})
	if !errors.Is(err, ErrMemory) {
		t.Fatalf("err = %v (stderr %q), want ErrMemory", err, res.Stderr)
	}
}

// TestOutOfMemory is the table of the stderr rule that recognises a
// failed allocation.
func TestOutOfMemory(t *testing.T) {
	tests := []struct {
		name, stderr string
		want         bool
	}{
		{name: "poppler", stderr: "Out of memory\n", want: true},
		{name: "libstdc++", stderr: "terminate called after throwing an instance of 'std::bad_alloc'", want: true},
		{name: "glibc", stderr: "sh: 1: Cannot allocate memory", want: true},
		{name: "ordinary error", stderr: "Syntax Error: Couldn't find trailer dictionary", want: false},
		{name: "empty", stderr: "", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := outOfMemory(tt.stderr); got != tt.want {
				t.Errorf("outOfMemory(%q) = %v, want %v", tt.stderr, got, tt.want)
			}
		})
	}
}

// onePagePDF writes a minimal PDF of one empty page of w x h points.
func onePagePDF(w, h int) []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] >>", w, h),
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	var offs []int
	for i, o := range objs {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, x)
	return b.Bytes()
}
