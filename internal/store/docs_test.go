package store

import (
	"errors"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"unicode/utf8"

	"github.com/leakscope/leakscope/internal/leak"
)

// gbk is "中文" ("Chinese") in GBK: four bytes that are not UTF-8.
const gbk = "\xd6\xd0\xce\xc4"

func TestEscapePath(t *testing.T) {
	tests := []struct {
		name, path, want string
	}{
		{name: "ascii unchanged", path: `dir\a.txt`, want: `dir\a.txt`},
		{name: "utf-8 unchanged", path: "报告/中文.txt", want: "报告/中文.txt"},
		{name: "gbk bytes", path: "docs/" + gbk + ".txt", want: `docs/\xd6\xd0\xce\xc4.txt`},
		{name: "backslash in an invalid path", path: "a\\b" + gbk, want: `a\\b\xd6\xd0\xce\xc4`},
		{name: "valid rune after a bad byte", path: "\xff中", want: `\xff中`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := EscapePath(tt.path)
			if got != tt.want {
				t.Errorf("EscapePath(%q) = %q, want %q", tt.path, got, tt.want)
			}
			back, ok := UnescapePath(got)
			if utf8.ValidString(tt.path) {
				if ok {
					t.Errorf("UnescapePath(%q) = %q: a valid path is never escaped", got, back)
				}
				return
			}
			if !ok || back != tt.path {
				t.Errorf("UnescapePath(%q) = %q, %v, want %q", got, back, ok, tt.path)
			}
		})
	}
}

func TestUnescapePathRefuses(t *testing.T) {
	tests := []struct{ name, ref string }{
		{name: "no escape", ref: "plain.txt"},
		{name: "decodes to valid utf-8", ref: `\x41.txt`},
		{name: "unknown escape", ref: `\n\xff`},
		{name: "short hex", ref: `\xf`},
		{name: "bad hex", ref: `\xzz\xff`},
		{name: "not canonical", ref: `\x41\xff`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, ok := UnescapePath(tt.ref); ok {
				t.Errorf("UnescapePath(%q) = %q, want refused", tt.ref, got)
			}
		})
	}
}

// FuzzEscapePath checks the round trip: every path's escaped form is
// valid UTF-8 and names exactly that path.
func FuzzEscapePath(f *testing.F) {
	for _, s := range []string{"a.txt", gbk, `a\` + gbk, "\xff\\\\x41", "中文\x80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, path string) {
		e := EscapePath(path)
		if !utf8.ValidString(e) {
			t.Fatalf("EscapePath(%q) = %q: not UTF-8", path, e)
		}
		back, ok := UnescapePath(e)
		switch {
		case utf8.ValidString(path) && e != path:
			t.Fatalf("valid %q escaped to %q", path, e)
		case !utf8.ValidString(path) && (!ok || back != path):
			t.Fatalf("UnescapePath(EscapePath(%q)) = %q, %v", path, back, ok)
		}
		if p, ok := UnescapePath(path); ok && EscapePath(p) != path {
			t.Fatalf("UnescapePath(%q) = %q, which escapes to %q", path, p, EscapePath(p))
		}
	})
}

// TestResolveEscapedPath resolves a GBK-named occurrence by the escaped
// form that `docs --format json` prints.
func TestResolveEscapedPath(t *testing.T) {
	s := open(t)
	ctx := t.Context()
	a := leak.Hash([]byte("a"))
	if _, _, err := s.Found(ctx, 1, Occurrence{Root: "/r", Path: "leak/" + gbk + ".txt", Doc: a}, StageExtract, 1); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		ref     string
		wantErr error
	}{
		{name: "raw bytes", ref: "leak/" + gbk + ".txt"},
		{name: "escaped", ref: EscapePath("leak/" + gbk + ".txt")},
		{name: "replacement characters", ref: "leak/\uFFFD\uFFFD\uFFFD\uFFFD.txt", wantErr: ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Resolve(ctx, tt.ref)
			if !errors.Is(err, tt.wantErr) || tt.wantErr == nil && got != a {
				t.Fatalf("Resolve(%q) = %s, %v", tt.ref, got, err)
			}
		})
	}
}

// TestDatabaseFull fills the database (max_page_count stands in for a
// full disk): the failure is a *StoreError that matches ENOSPC, so that
// the ingest stops with the full-disk message instead of recording it on
// a document.
func TestDatabaseFull(t *testing.T) {
	s := open(t)
	ctx := t.Context()
	s.db.SetMaxOpenConns(1) // the pragma holds for one connection
	var pages int64
	if err := s.db.QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, fmt.Sprintf("PRAGMA max_page_count = %d", pages)); err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("Acme Telecom ", 100_000)
	tests := []struct {
		name string
		do   func() error
	}{
		{name: "finish extract", do: func() error {
			_, err := s.FinishExtract(ctx, leak.Hash([]byte("a")), Extracted{Version: 1, Status: "ok", Text: big, Size: 1})
			return err
		}},
		{name: "put occurrence", do: func() error {
			return s.PutOccurrence(ctx, Occurrence{Root: "/r", Path: big, Error: "unreadable"})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.do()
			if !IsStoreError(err) || !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("err = %v, want a *StoreError matching ENOSPC", err)
			}
		})
	}
	if err := (&StoreError{errors.New("no such table")}); errors.Is(err, syscall.ENOSPC) {
		t.Error("another store error matches ENOSPC")
	}
}
