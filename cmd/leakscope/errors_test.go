package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/ingest"
)

// TestErrorsListsUnreadable checks that `errors` lists a file that could
// not be read with the status unreadable, beside a failed document. The
// file vanishes after the walk (root can read any file, whatever its
// permission bits): the history walker of the .git directory, which sorts
// first, deletes it before the one worker reads it.
func TestErrorsListsUnreadable(t *testing.T) {
	ctx := t.Context()
	dump := t.TempDir()
	os.MkdirAll(filepath.Join(dump, "repo", ".git"), 0o755)
	gone := filepath.Join(dump, "repo", "vanishing.txt")
	if err := os.WriteFile(gone, []byte("Acme Telecom\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	caseDir := filepath.Join(t.TempDir(), "case")
	c, err := casedir.Open(ctx, caseDir, casedir.Write)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := ingest.New(c, ingest.Options{Workers: 1, HistoryWalker: func(context.Context, string, func(extract.Child) error) error {
		return os.Remove(gone)
	}}).Run(ctx, []string{dump})
	c.Close()
	if err != nil {
		t.Fatal(err)
	}
	if sum.Errors != 1 {
		t.Errorf("summary errors %d, want 1", sum.Errors)
	}
	var out bytes.Buffer
	if err := runErrors(ctx, cliGlobals(caseDir, "json", &out)); err != nil {
		t.Fatal(err)
	}
	var got []errorJSON
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Path != "repo/vanishing.txt" || got[0].Status != "unreadable" {
		t.Errorf("errors = %+v, want repo/vanishing.txt as unreadable", got)
	}
}
