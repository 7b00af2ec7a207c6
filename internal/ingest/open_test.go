package ingest

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/source"
	"github.com/leakscope/leakscope/internal/store"
)

// swapCase is a file of TestTopRefusesSwappedFile replaced between the
// walk and the open.
type swapCase struct {
	name   string
	swap   func(p string) error
	reason string
	flag   string
}

// TestTopRefusesSwappedFile walks a tree, then swaps files for a symbolic
// link to a file outside it and for a named pipe before the pipeline
// opens them, as a tree being written during the ingest can: the link is
// not followed (the outside content never reaches the case) and the pipe
// does not hang the worker; each is recorded with its reason.
func TestTopRefusesSwappedFile(t *testing.T) {
	ctx := t.Context()
	base := t.TempDir()
	root := filepath.Join(base, "dump")
	secret := filepath.Join(base, "secret.txt")
	if err := os.WriteFile(secret, []byte("Nordhavn Shipping payroll"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []swapCase{
		{name: "link.txt", swap: func(p string) error { return os.Symlink(secret, p) }, reason: "symbolic link not followed", flag: "symlink"},
		{name: "pipe.txt", swap: func(p string) error { return syscall.Mkfifo(p, 0o644) }, reason: "named pipe"},
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		if err := os.WriteFile(filepath.Join(root, tt.name), []byte("ordinary"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c, err := casedir.Open(ctx, filepath.Join(base, "case"), casedir.Write)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	p := New(c, Options{Workers: 1})
	var items []source.Item
	if err := source.Walk(ctx, root, func(it source.Item) error { items = append(items, it); return nil }, func(string, error) {}); err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		i := slices.IndexFunc(tests, func(tt swapCase) bool { return tt.name == it.Rel })
		if err := os.Remove(it.Abs); err != nil {
			t.Fatal(err)
		}
		if err := tests[i].swap(it.Abs); err != nil {
			t.Fatal(err)
		}
		if err := p.top(ctx, root, it); err != nil {
			t.Fatal(err)
		}
	}
	probs, err := c.Store.Problems(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i := slices.IndexFunc(probs, func(o store.Occurrence) bool { return o.Path == tt.name })
			if i < 0 {
				t.Fatalf("not recorded as a problem: %+v", probs)
			}
			o := probs[i]
			if !strings.Contains(o.Error, tt.reason) || (tt.flag != "" && !slices.Contains(o.Flags, tt.flag)) {
				t.Errorf("reason %q flags %v, want %q and %q", o.Error, o.Flags, tt.reason, tt.flag)
			}
			if !o.Doc.IsZero() {
				t.Errorf("stored a document %s for a refused file", o.Doc.Short())
			}
		})
	}
}
