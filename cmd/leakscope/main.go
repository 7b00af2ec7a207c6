// Command leakscope is an offline leak investigation workbench: it ingests
// a dump, extracts and translates its text, finds entities, targets and
// chats, and serves a search UI.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cmd := newRootCmd(os.Stdout, os.Stderr)
	err := cmd.ExecuteContext(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "leakscope:", err)
	}
	os.Exit(exitCode(err))
}
