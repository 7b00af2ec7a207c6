package store

import (
	"errors"
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
