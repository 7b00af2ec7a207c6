package ocreval

import (
	"log/slog"
	"os/exec"
)

func ocrTool(name string) error { _, err := exec.LookPath(name); return err }

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }
