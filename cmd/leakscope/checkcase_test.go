package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/enrich"
	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/store"
)

func testGlobals(caseDir string, stdout io.Writer) *globalOptions {
	return &globalOptions{caseDir: caseDir, format: "json", quiet: true, stdout: stdout, stderr: io.Discard,
		log: slog.New(slog.DiscardHandler)}
}

// ingestSmallCase ingests a few generated text files (store and extract
// only) and returns the case directory and the IDs of the documents.
func ingestSmallCase(t *testing.T) (string, []leak.ID) {
	t.Helper()
	src := filepath.Join(t.TempDir(), "dump")
	if err := os.Mkdir(src, 0o700); err != nil {
		t.Fatal(err)
	}
	var ids []leak.ID
	for i := range 30 {
		body := []byte(strings.Repeat(fmt.Sprintf("Acme Telecom invoice %d for Nordhavn Shipping.\n", i), 50))
		if err := os.WriteFile(filepath.Join(src, fmt.Sprintf("inv%02d.txt", i)), body, 0o600); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, leak.Hash(body))
	}
	dir := filepath.Join(t.TempDir(), "case")
	o := &ingestOptions{limits: leak.DefaultLimits(), workers: 2, noEnrich: true}
	if err := runIngest(t.Context(), o, testGlobals(dir, io.Discard), []string{src}); err != nil {
		t.Fatal(err)
	}
	return dir, ids
}

// TestCheckCase damages a fresh case in one way at a time and checks that
// check-case reports it with the right code and exit status, and that a
// writer refuses a damaged database.
func TestCheckCase(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests a small case")
	}
	blob := func(dir string, id leak.ID) string {
		h := id.String()
		return filepath.Join(dir, "blobs", h[:2], h)
	}
	tests := []struct {
		name    string
		damage  func(t *testing.T, dir string, ids []leak.ID)
		full    bool
		want    store.FindingCode // "" for a clean case
		writeOK bool              // whether a writer may still open the case
	}{
		{name: "clean", damage: func(*testing.T, string, []leak.ID) {}, writeOK: true},
		{name: "clean full", damage: func(*testing.T, string, []leak.ID) {}, full: true, writeOK: true},
		{name: "db page corrupted", damage: func(t *testing.T, dir string, _ []leak.ID) {
			db := casedir.DBPath(dir)
			fi, err := os.Stat(db)
			if err != nil {
				t.Fatal(err)
			}
			// Every page after the first (which holds the header and schema).
			overwrite(t, db, 4096, int(fi.Size()-4096))
		}, want: store.FindDBCorrupt},
		{name: "db truncated to zero", damage: func(t *testing.T, dir string, _ []leak.ID) {
			if err := os.Truncate(casedir.DBPath(dir), 0); err != nil {
				t.Fatal(err)
			}
		}, want: store.FindDBEmpty},
		{name: "db deleted", damage: func(t *testing.T, dir string, _ []leak.ID) {
			if err := os.Remove(casedir.DBPath(dir)); err != nil {
				t.Fatal(err)
			}
		}, want: store.FindDBMissing},
		{name: "blob deleted", damage: func(t *testing.T, dir string, ids []leak.ID) {
			if err := os.Remove(blob(dir, ids[3])); err != nil {
				t.Fatal(err)
			}
		}, want: findBlobMissing, writeOK: true},
		{name: "blob byte flipped", damage: func(t *testing.T, dir string, ids []leak.ID) {
			overwrite(t, blob(dir, ids[5]), 10, 1)
		}, full: true, want: findBlobHash, writeOK: true},
		{name: "index lost", damage: func(t *testing.T, dir string, ids []leak.ID) {
			// The stage state says a document is indexed; there is no index.
			c, err := casedir.Open(t.Context(), dir, casedir.Write)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if err := c.Store.SetStage(t.Context(), ids[0], enrich.StageIndex, 1, leak.StatusOK, "", 0); err != nil {
				t.Fatal(err)
			}
			if err := os.RemoveAll(c.IndexDir()); err != nil {
				t.Fatal(err)
			}
		}, full: true, want: findIndexMissing, writeOK: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, ids := ingestSmallCase(t)
			tt.damage(t, dir, ids)
			var out bytes.Buffer
			err := runCheckCase(t.Context(), &checkCaseOptions{full: tt.full}, testGlobals(dir, &out))
			var fs []store.Finding
			if jerr := json.Unmarshal(out.Bytes(), &fs); jerr != nil {
				t.Fatalf("output %q: %v (err %v)", out.String(), jerr, err)
			}
			var got []store.FindingCode
			for _, f := range fs {
				got = append(got, f.Code)
			}
			var want []store.FindingCode
			wantExit := exitOK
			if tt.want != "" {
				want = []store.FindingCode{tt.want}
				wantExit = exitError
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("codes (-want +got):\n%s\n%+v", diff, fs)
			}
			if exitCode(err) != wantExit {
				t.Errorf("exit %d (%v), want %d", exitCode(err), err, wantExit)
			}
			c, err := casedir.Open(t.Context(), dir, casedir.Write)
			if err == nil {
				c.Close()
			}
			if tt.writeOK != (err == nil) {
				t.Errorf("writer open: %v, want ok=%v", err, tt.writeOK)
			}
			if !tt.writeOK && exitCode(err) != exitDamaged {
				t.Errorf("writer open: exit %d (%v), want %d", exitCode(err), err, exitDamaged)
			}
		})
	}
}

// overwrite replaces n bytes at off in path with their complement, so the
// content surely changes.
func overwrite(t *testing.T, path string, off int64, n int) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b := make([]byte, n)
	if _, err := f.ReadAt(b, off); err != nil {
		t.Fatal(err)
	}
	for i := range b {
		b[i] = ^b[i]
	}
	if _, err := f.WriteAt(b, off); err != nil {
		t.Fatal(err)
	}
}

func TestPrintFindings(t *testing.T) {
	tests := []struct {
		name string
		f    store.Finding
		want string
	}{
		{name: "plain", f: store.Finding{Code: findBlobMissing, Severity: store.SeverityError, Object: "blobs/ab/abc", Detail: "gone"},
			want: "error  blob_missing  blobs/ab/abc  gone\n"},
		{name: "hostile path", f: store.Finding{Code: store.FindOrphanOccurence, Severity: store.SeverityError, Object: "dump/\x1b[2Jinvoice\u202etxt.exe"},
			want: `error  orphan_occurrence  "dump/\x1b[2Jinvoice\u202etxt.exe"` + "  \n"},
		{name: "multi-line detail", f: store.Finding{Code: store.FindDBCorrupt, Severity: store.SeverityError, Object: "case.db", Detail: "page 3\npage 4"},
			want: `error  db_corrupt  case.db  "page 3\npage 4"` + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			printFindings(&b, []store.Finding{tt.f})
			if diff := cmp.Diff(tt.want, b.String()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
