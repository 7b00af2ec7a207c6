package tool

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestRun(t *testing.T) {
	tests := []struct {
		name      string
		cmd       Cmd
		wantOut   string
		wantErr   string
		truncated bool
	}{
		{name: "output", cmd: Cmd{Name: "sh", Args: []string{"-c", "printf hello"}}, wantOut: "hello"},
		{name: "stdin", cmd: Cmd{Name: "cat", Stdin: []byte("in")}, wantOut: "in"},
		{name: "env", cmd: Cmd{Name: "sh", Args: []string{"-c", "printf $X"}, Env: []string{"X=y"}}, wantOut: "y"},
		{name: "exit status quotes stderr", cmd: Cmd{Name: "sh", Args: []string{"-c", "echo broken >&2; exit 3"}}, wantErr: "exit status 3: broken"},
		{name: "timeout kills the group", cmd: Cmd{Name: "sh", Args: []string{"-c", "sleep 30 & sleep 30"}, Timeout: 200 * time.Millisecond}, wantErr: "timed out"},
		{name: "output cap", cmd: Cmd{Name: "sh", Args: []string{"-c", "yes | head -c 100000"}, MaxOut: 1000}, truncated: true},
		{name: "missing tool", cmd: Cmd{Name: "leakscope-no-such-tool"}, wantErr: "tool not installed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			res, err := Run(t.Context(), tt.cmd)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if time.Since(start) > 10*time.Second {
					t.Fatalf("took %s: the timeout did not stop the children", time.Since(start))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.truncated {
				if !res.Truncated || len(res.Stdout) != int(tt.cmd.MaxOut) {
					t.Fatalf("truncated=%v len=%d", res.Truncated, len(res.Stdout))
				}
				return
			}
			if string(res.Stdout) != tt.wantOut {
				t.Fatalf("stdout %q, want %q", res.Stdout, tt.wantOut)
			}
		})
	}
	if _, err := Run(t.Context(), Cmd{Name: "leakscope-no-such-tool"}); !errors.Is(err, ErrMissing) {
		t.Fatalf("missing tool error %v does not wrap ErrMissing", err)
	}
}

func TestLimiter(t *testing.T) {
	l := NewLimiter(1)
	if err := l.Acquire(t.Context()); err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	cctx, stop := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer stop()
	go func() { done <- l.Acquire(cctx) }()
	if err := <-done; err == nil {
		t.Fatal("second Acquire succeeded while the slot was held")
	}
	l.Release()
	if err := l.Acquire(t.Context()); err != nil {
		t.Fatal(err)
	}
}
