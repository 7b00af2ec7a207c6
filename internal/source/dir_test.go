package source

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestWalk checks that links are reported and never followed, .git
// directories are reported once, and paths are relative and byte-exact.
func TestWalk(t *testing.T) {
	root := t.TempDir()
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "secret.txt"), []byte("outside"), 0o644)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(root, "a/b"), 0o755))
	must(os.WriteFile(filepath.Join(root, "a/b/c.txt"), []byte("c"), 0o644))
	must(os.WriteFile(filepath.Join(root, "报告\u202efdp.exe"), []byte("x"), 0o644))
	must(os.Symlink(outside, filepath.Join(root, "a/out")))
	must(os.Symlink("/etc/passwd", filepath.Join(root, "passwd")))
	must(os.MkdirAll(filepath.Join(root, "repo/.git/objects"), 0o755))
	must(os.WriteFile(filepath.Join(root, "repo/.git/HEAD"), []byte("ref"), 0o644))
	must(os.WriteFile(filepath.Join(root, "repo/f.txt"), []byte("f"), 0o644))

	type row struct {
		Rel    string
		Link   string
		GitDir bool
	}
	var got []row
	err := Walk(t.Context(), root, func(it Item) error {
		got = append(got, row{it.Rel, it.Link, it.GitDir})
		return nil
	}, func(rel string, err error) { t.Errorf("walk error %s: %v", rel, err) })
	must(err)
	want := []row{
		{Rel: "a/b/c.txt"},
		{Rel: "a/out", Link: outside},
		{Rel: "passwd", Link: "/etc/passwd"},
		{Rel: "repo/.git", GitDir: true},
		{Rel: "repo/f.txt"},
		{Rel: "报告\u202efdp.exe"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("items (-want +got):\n%s", diff)
	}
	files, bytes := Count(t.Context(), root)
	if files != 3 || bytes != 3 {
		t.Errorf("Count = %d files %d bytes, want 3, 3", files, bytes)
	}
}

func TestWalkFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "one.txt")
	os.WriteFile(p, []byte("1"), 0o644)
	var got []string
	Walk(t.Context(), p, func(it Item) error { got = append(got, it.Rel); return nil }, nil)
	if diff := cmp.Diff([]string{"one.txt"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestWalkExclude(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "case/blobs"), 0o755)
	os.WriteFile(filepath.Join(root, "case/blobs/x"), []byte("x"), 0o644)
	os.WriteFile(filepath.Join(root, "a.txt"), []byte("a"), 0o644)
	var got []string
	Walk(t.Context(), root, func(it Item) error { got = append(got, it.Rel); return nil }, nil, filepath.Join(root, "case"))
	if diff := cmp.Diff([]string{"a.txt"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
