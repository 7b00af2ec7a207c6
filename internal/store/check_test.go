package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/leak"
)

// fill stores n extracted documents, each found at one path, as an ingest
// would, and returns their IDs. Texts are long enough that the tables span
// many pages, so that damaging one page hits data, not free space.
func fill(t *testing.T, s *Store, n int) []leak.ID {
	t.Helper()
	ctx := t.Context()
	var ids []leak.ID
	for i := range n {
		body := fmt.Sprintf("Nordhavn Shipping manifest %d ", i)
		id := leak.Hash([]byte(body))
		occ := Occurrence{Root: "dump", Path: fmt.Sprintf("manifests/%04d.txt", i), Doc: id, Size: int64(len(body))}
		if _, _, err := s.Found(ctx, int64(len(body)), occ, StageExtract, 1); err != nil {
			t.Fatal(err)
		}
		if _, err := s.FinishExtract(ctx, id, Extracted{Status: leak.StatusOK, Version: 1, Text: strings.Repeat(body, 40)}); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

// codes is the set of codes in fs, sorted by first appearance.
func codes(fs []Finding) []FindingCode {
	var out []FindingCode
	seen := map[FindingCode]bool{}
	for _, f := range fs {
		if !seen[f.Code] {
			seen[f.Code] = true
			out = append(out, f.Code)
		}
	}
	return out
}

func TestCheckClean(t *testing.T) {
	s := open(t)
	fill(t, s, 20)
	for _, full := range []bool{false, true} {
		fs, err := s.Check(t.Context(), full)
		if err != nil || len(fs) != 0 {
			t.Errorf("Check(full=%v) = %+v, %v; want no findings", full, fs, err)
		}
	}
}

// TestCheckTables breaks one cross-table rule at a time, with foreign keys
// off as an old version or a hand edit would, and checks Check names it.
func TestCheckTables(t *testing.T) {
	tests := []struct {
		name   string
		break_ string
		want   []FindingCode
		obj    string
	}{
		{"text without document", `INSERT INTO texts(doc, text) VALUES('feedface', 'Acme Telecom')`, []FindingCode{FindOrphanText, FindStageMissing}, "feedface"},
		{"stage without document", `INSERT INTO stages(doc, stage, version, status, finished_at) VALUES('feedface', 'lang', 1, 'ok', 0)`, []FindingCode{FindOrphanStage}, "feedface"},
		{"occurrence of missing document", `UPDATE occurrences SET doc = 'feedface' WHERE path = 'manifests/0003.txt'`, []FindingCode{FindOrphanOccurence}, "dump/manifests/0003.txt"},
		{"text lost", `DELETE FROM texts WHERE doc = (SELECT MIN(id) FROM documents)`, []FindingCode{FindTextMissing}, ""},
		{"old schema", `PRAGMA user_version = 1`, []FindingCode{FindSchemaVersion}, "case.db"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			fill(t, s, 10)
			ctx := t.Context()
			conn, err := s.db.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
				t.Fatal(err)
			}
			if _, err := conn.ExecContext(ctx, tt.break_); err != nil {
				t.Fatal(err)
			}
			conn.Close()
			fs, err := s.Check(ctx, false)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, codes(fs)); diff != "" {
				t.Errorf("codes (-want +got):\n%s\n%+v", diff, fs)
			}
			if tt.obj != "" && (len(fs) == 0 || fs[0].Object != tt.obj) {
				t.Errorf("object = %+v, want %s", fs, tt.obj)
			}
		})
	}
}

// TestCheckTruncates lists at most maxPerCheck objects per rule.
func TestCheckTruncates(t *testing.T) {
	s := open(t)
	fill(t, s, maxPerCheck+5)
	if _, err := s.db.ExecContext(t.Context(), `DELETE FROM texts`); err != nil {
		t.Fatal(err)
	}
	fs, err := s.Check(t.Context(), false)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != maxPerCheck+1 || fs[maxPerCheck].Code != FindTruncated {
		t.Fatalf("%d findings, last %+v; want %d and a truncated note", len(fs), fs[len(fs)-1], maxPerCheck+1)
	}
}

// damage overwrites the bytes at off in the closed database file at path.
func damage(t *testing.T, path string, off int64, b []byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(b, off); err != nil {
		t.Fatal(err)
	}
}

// TestCorruption damages a closed database and checks that both the
// quick check a writer runs on open and Check report it as ErrCorrupt or
// a db_corrupt finding, never as a healthy case.
func TestCorruption(t *testing.T) {
	const page = 4096
	garbage := func(n int) []byte { return []byte(strings.Repeat("\xa5", n)) }
	tests := []struct {
		name string
		off  int64
		b    []byte
	}{
		// Page 2 onward hold table b-trees; a page of 0xa5 is no valid page type.
		{"table page overwritten", 3 * page, garbage(page)},
		{"many pages overwritten", 2 * page, garbage(8 * page)},
		{"header overwritten", 0, garbage(100)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "case.db")
			s, err := Open(t.Context(), path)
			if err != nil {
				t.Fatal(err)
			}
			fill(t, s, 200)
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			damage(t, path, tt.off, tt.b)

			_, err = OpenWith(t.Context(), path, Options{QuickCheck: true})
			if !errors.Is(err, ErrCorrupt) {
				t.Errorf("OpenWith(QuickCheck) = %v, want ErrCorrupt", err)
			}
			s, err = Open(t.Context(), path)
			if err != nil {
				if !errors.Is(err, ErrCorrupt) {
					t.Fatalf("Open = %v, want nil or ErrCorrupt", err)
				}
				return
			}
			defer s.Close()
			for _, full := range []bool{false, true} {
				fs, err := s.Check(t.Context(), full)
				if err != nil {
					t.Fatal(err)
				}
				if len(fs) == 0 || fs[0].Code != FindDBCorrupt || fs[0].Severity != SeverityError {
					t.Errorf("Check(full=%v) = %+v, want db_corrupt", full, fs)
				}
			}
		})
	}
}

// sqliteTempFiles lists the files this process holds open that SQLite
// created as temporary files: unlinked at once, so they show in /proc only.
func sqliteTempFiles(t *testing.T) []string {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		l, err := os.Readlink(filepath.Join("/proc/self/fd", e.Name()))
		if err == nil && strings.HasSuffix(l, " (deleted)") {
			out = append(out, l)
		}
	}
	return out
}

// TestTempFilesStayInCase runs a sort too large for SQLite's cache and,
// while its result is open (the spilled runs still on disk), checks that
// every temporary file is in the directory given as Options.TempDir.
func TestTempFilesStayInCase(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc/self/fd")
	}
	dir := t.TempDir()
	tmp := filepath.Join(dir, "tmp")
	if err := os.Mkdir(tmp, 0o700); err != nil {
		t.Fatal(err)
	}
	s, err := OpenWith(t.Context(), filepath.Join(dir, "case.db"), Options{TempDir: tmp})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := t.Context()
	before := map[string]bool{}
	for _, f := range sqliteTempFiles(t) {
		before[f] = true
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// A 64 KiB cache makes a sort of some 60 MB spill to disk.
	if _, err := conn.ExecContext(ctx, "PRAGMA cache_size = -64"); err != nil {
		t.Fatal(err)
	}
	rows, err := conn.QueryContext(ctx, `WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM n WHERE x < 500000)
SELECT x, randomblob(100) FROM n ORDER BY random()`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if !rows.Next() {
		t.Fatal(rows.Err())
	}
	var spilled []string
	for _, f := range sqliteTempFiles(t) {
		if !before[f] {
			spilled = append(spilled, f)
		}
	}
	if len(spilled) == 0 {
		t.Fatal("the sort spilled no temporary file; the test checks nothing")
	}
	for _, f := range spilled {
		if !strings.HasPrefix(f, tmp+string(filepath.Separator)) {
			t.Errorf("temporary file %s outside the case's %s", f, tmp)
		}
	}
}

// TestForEachDocument visits every document once, in ID order.
func TestForEachDocument(t *testing.T) {
	s := open(t)
	ids := fill(t, s, 5)
	got := map[leak.ID]bool{}
	err := s.ForEachDocument(t.Context(), func(id leak.ID, size int64) error {
		if size <= 0 {
			t.Errorf("%s: size %d", id.Short(), size)
		}
		got[id] = true
		return nil
	})
	if err != nil || len(got) != len(ids) {
		t.Fatalf("visited %d of %d, %v", len(got), len(ids), err)
	}
	stop := errors.New("stop")
	if err := s.ForEachDocument(t.Context(), func(leak.ID, int64) error { return stop }); !errors.Is(err, stop) {
		t.Fatalf("error from fn: %v", err)
	}
}
