// Command leakscope is an offline leak investigation workbench: it ingests
// a dump, extracts and translates its text, finds entities, targets and
// chats, and serves a search UI.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cmd := newRootCmd(os.Stdout, os.Stderr)
	// LEAKSCOPE_CPUPROFILE=FILE writes a CPU profile of the command, for
	// finding where a slow run spends its time (go tool pprof FILE).
	if p := os.Getenv("LEAKSCOPE_CPUPROFILE"); p != "" {
		if f, err := os.Create(p); err == nil {
			if pprof.StartCPUProfile(f) == nil {
				defer func() { pprof.StopCPUProfile(); f.Close() }()
			}
		}
	}
	err := cmd.ExecuteContext(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "leakscope:", err)
	}
	code := exitCode(err)
	pprof.StopCPUProfile()
	os.Exit(code)
}
