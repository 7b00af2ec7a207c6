package main

import (
	"context"
	"fmt"

	"github.com/leakscope/leakscope/internal/leak"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/extract"
)

// historyWalker reads git history of repositories found in walked trees.
var historyWalker func(ctx context.Context, gitDir string, emit func(extract.Child) error) error

// enrich runs the stages after extraction.
func enrich(ctx context.Context, g *globalOptions, c *casedir.Case, redo []string) error { return nil }

func printTranslated(ctx context.Context, g *globalOptions, c *casedir.Case, id leak.ID, text string) error {
	return fmt.Errorf("no translation yet")
}
