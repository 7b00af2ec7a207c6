package db

import (
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/leakscope/leakscope/internal/extract/extracttest"
	"github.com/leakscope/leakscope/internal/sniff"
)

// fixture is a database built by statements, written by the same driver
// the extractor reads with, so that nothing is downloaded.
type fixture struct {
	name  string
	stmts []string
}

var fixtures = []fixture{
	{name: "customers", stmts: []string{
		`CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT, email TEXT, note BLOB)`,
		`INSERT INTO customers VALUES (1, 'Acme Telecom', 'ops@acme.example', x'00ff10')`,
		`INSERT INTO customers VALUES (2, 'Nordhavn Shipping', 'desk@nordhavn.example', 'tab	and
newline')`,
		`INSERT INTO customers VALUES (3, NULL, 'nobody@example.org', NULL)`,
		`CREATE TABLE "odd ""name""" (k TEXT, v REAL)`,
		`INSERT INTO "odd ""name""" VALUES ('pi', 3.5)`,
		`CREATE VIEW everyone AS SELECT name FROM customers`,
	}},
	{name: "empty-table", stmts: []string{
		`CREATE TABLE log (at TEXT, line TEXT)`,
	}},
	{name: "without-rowid", stmts: []string{
		`CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID`,
		`INSERT INTO kv VALUES ('vessel', 'Nordhavn Star'), ('port', 'Aarhus')`,
	}},
}

func writeDB(t testing.TB, dir string, fx fixture) string {
	t.Helper()
	p := filepath.Join(dir, fx.name+".sqlite")
	db, err := sql.Open("sqlite", p)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range fx.stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %s: %v", fx.name, s, err)
		}
	}
	return p
}

func TestExtract(t *testing.T) {
	dir := t.TempDir()
	for _, fx := range fixtures {
		t.Run(fx.name, func(t *testing.T) {
			in := extracttest.NewInput(t, writeDB(t, dir, fx))
			if in.MIME != sniff.SQLite {
				t.Fatalf("sniffed %s, want %s", in.MIME, sniff.SQLite)
			}
			r, err := extracttest.Run(t.Context(), SQLite{}, in)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range extracttest.Validate(r) {
				t.Error(v)
			}
			extracttest.Golden(t, filepath.Join("testdata", "golden", "TestExtract", fx.name+".golden"), r.Summary(4096).JSON())
		})
	}
}

// TestLeavesFileAlone checks that the leaked file is read through a copy:
// its bytes and its directory are the same afterwards (no -journal, -wal
// or -shm beside it), even for a database left in WAL mode.
func TestLeavesFileAlone(t *testing.T) {
	dir := t.TempDir()
	p := writeDB(t, dir, fixture{name: "wal", stmts: []string{
		`PRAGMA journal_mode=WAL`,
		`CREATE TABLE t (a TEXT)`,
		`INSERT INTO t VALUES ('Acme Telecom')`,
	}})
	before, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	listing := func() []string {
		es, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		var n []string
		for _, e := range es {
			n = append(n, e.Name())
		}
		return n
	}
	want := strings.Join(listing(), ",")
	in := extracttest.NewInput(t, p)
	if _, err := extracttest.Run(t.Context(), SQLite{}, in); err != nil {
		t.Fatal(err)
	}
	after, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if string(before) != string(after) {
		t.Error("the leaked file changed")
	}
	if got := strings.Join(listing(), ","); got != want {
		t.Errorf("directory %s, want %s", got, want)
	}
}

func TestBounds(t *testing.T) {
	dir := t.TempDir()
	big := fixture{name: "big", stmts: []string{
		`CREATE TABLE a (x TEXT)`,
		`CREATE TABLE b (x TEXT)`,
		`CREATE TABLE c (x TEXT)`,
		`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 2000) INSERT INTO a SELECT 'row ' || i FROM n`,
		`INSERT INTO b VALUES (printf('%.*c', 200000, 'x'))`,
	}}
	p := writeDB(t, dir, big)
	tests := []struct {
		name       string
		maxText    int64
		maxEntries int
		wantErr    bool
		check      func(t *testing.T, r *extracttest.Recorder)
	}{
		{name: "text cap per table", maxText: 1000, maxEntries: 10, check: func(t *testing.T, r *extracttest.Recorder) {
			c, ok := r.ChildNamed("a.tsv")
			if !ok {
				t.Fatal("no child a.tsv")
			}
			if len(c.Data) > 1000 {
				t.Errorf("child of %d bytes over the cap 1000", len(c.Data))
			}
			if !strings.Contains(strings.Join(c.Flags, ","), "truncated") {
				t.Errorf("flags %v, want truncated", c.Flags)
			}
		}},
		{name: "cell cap", maxText: 1 << 20, maxEntries: 10, check: func(t *testing.T, r *extracttest.Recorder) {
			c, ok := r.ChildNamed("b.tsv")
			if !ok {
				t.Fatal("no child b.tsv")
			}
			if len(c.Data) > MaxCell+10 {
				t.Errorf("child of %d bytes, want a cell of at most %d", len(c.Data), MaxCell)
			}
		}},
		{name: "too many tables", maxText: 1 << 20, maxEntries: 2, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := extracttest.NewInput(t, p)
			in.Limits.MaxText = tt.maxText
			in.Limits.MaxEntries = tt.maxEntries
			r, err := extracttest.Run(t.Context(), SQLite{}, in)
			if tt.wantErr {
				if err == nil {
					t.Fatal("no error, want a limit error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, r)
		})
	}
}

func TestConformance(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for _, fx := range fixtures {
		paths = append(paths, writeDB(t, dir, fx))
	}
	extracttest.Check(t, SQLite{}, paths...)
}

func FuzzExtract(f *testing.F) {
	dir := f.TempDir()
	for _, fx := range fixtures {
		b, err := os.ReadFile(writeDB(f, dir, fx))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(t.TempDir(), "f.db")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		in := extracttest.NewInputMIME(t, p, sniff.SQLite)
		in.TempDir = t.TempDir()
		in.Limits.MaxText = 1 << 16
		r := &extracttest.Recorder{MaxChildBytes: 1 << 20}
		err := extracttest.RunWith(t.Context(), SQLite{}, in, r)
		var pe *extracttest.PanicError
		if errors.As(err, &pe) {
			t.Fatal(err)
		}
		if !utf8.ValidString(r.Body()) {
			t.Fatal("invalid UTF-8 text")
		}
		for _, c := range r.Children {
			if int64(len(c.Data)) > in.Limits.MaxText {
				t.Fatalf("child %q of %d bytes over the cap %d", c.Name, len(c.Data), in.Limits.MaxText)
			}
		}
		for _, v := range extracttest.Validate(r) {
			t.Error(v)
		}
	})
}
