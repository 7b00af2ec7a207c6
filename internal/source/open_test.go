package source

import (
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestOpen checks that Open reads regular files only: a symbolic link
// (last component or a directory above), a named pipe, a socket or a
// directory is refused with its kind, and a pipe never blocks.
func TestOpen(t *testing.T) {
	root := t.TempDir()
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret.txt")
	must(t, os.WriteFile(secret, []byte("outside"), 0o600))
	must(t, os.MkdirAll(filepath.Join(root, "a"), 0o755))
	must(t, os.WriteFile(filepath.Join(root, "a/plain.txt"), []byte("plain"), 0o644))
	must(t, os.Symlink(secret, filepath.Join(root, "link.txt")))
	must(t, os.Symlink(outside, filepath.Join(root, "linkdir")))
	must(t, syscall.Mkfifo(filepath.Join(root, "pipe"), 0o644))
	l, err := net.Listen("unix", filepath.Join(root, "sock"))
	must(t, err)
	defer l.Close()

	tests := []struct {
		name, rel string
		want      string // content, or "" when refused
		kind      string
	}{
		{name: "regular", rel: "a/plain.txt", want: "plain"},
		{name: "symlink to a file", rel: "link.txt", kind: KindSymlink},
		{name: "symlinked directory above", rel: "linkdir/secret.txt", kind: KindSymlink},
		{name: "dot-dot escape", rel: "a/../../" + filepath.Base(outside) + "/secret.txt", kind: KindEscape},
		{name: "named pipe", rel: "pipe", kind: KindFIFO},
		{name: "socket", rel: "sock", kind: KindSocket},
		{name: "directory", rel: "a", kind: KindDirectory},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Open(root, tt.rel)
			if tt.kind == "" {
				must(t, err)
				defer f.Close()
				b, err := io.ReadAll(f)
				must(t, err)
				if string(b) != tt.want {
					t.Errorf("read %q, want %q", b, tt.want)
				}
				return
			}
			if err == nil {
				f.Close()
				t.Fatalf("Open(%q) succeeded, want a refusal", tt.rel)
			}
			var nr *NotRegularError
			if !errors.As(err, &nr) || !errors.Is(err, ErrNotRegular) {
				t.Fatalf("Open(%q) = %v, want a *NotRegularError", tt.rel, err)
			}
			if nr.Kind != tt.kind {
				t.Errorf("kind = %q, want %q", nr.Kind, tt.kind)
			}
		})
	}
}

// TestItemOpenSwapped swaps each walked file between the walk and the
// open, as a hostile tree being written during an ingest can: the file
// replaced by a symbolic link to a file outside the tree is not read, and
// the one replaced by a named pipe is refused instead of hanging.
func TestItemOpenSwapped(t *testing.T) {
	root := t.TempDir()
	secret := filepath.Join(t.TempDir(), "secret.txt")
	must(t, os.WriteFile(secret, []byte("outside"), 0o600))
	must(t, os.MkdirAll(filepath.Join(root, "d"), 0o755))
	must(t, os.WriteFile(filepath.Join(root, "d/link.txt"), []byte("1"), 0o644))
	must(t, os.WriteFile(filepath.Join(root, "d/pipe.txt"), []byte("2"), 0o644))
	must(t, os.WriteFile(filepath.Join(root, "keep.txt"), []byte("3"), 0o644))

	swap := map[string]func(p string) error{
		"d/link.txt": func(p string) error { return os.Symlink(secret, p) },
		"d/pipe.txt": func(p string) error { return syscall.Mkfifo(p, 0o644) },
	}
	got := map[string]string{}
	err := Walk(t.Context(), root, func(it Item) error {
		if s, ok := swap[it.Rel]; ok {
			must(t, os.Remove(it.Abs))
			must(t, s(it.Abs))
		}
		f, err := it.Open()
		if err != nil {
			var nr *NotRegularError
			if !errors.As(err, &nr) {
				t.Errorf("%s: %v, want a *NotRegularError", it.Rel, err)
			}
			got[it.Rel] = "refused " + nr.Kind
			return nil
		}
		defer f.Close()
		b, err := io.ReadAll(f)
		must(t, err)
		got[it.Rel] = string(b)
		return nil
	}, func(rel string, err error) { t.Errorf("walk %s: %v", rel, err) })
	must(t, err)
	want := map[string]string{"d/link.txt": "refused symlink", "d/pipe.txt": "refused fifo", "keep.txt": "3"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: got %q, want %q", k, got[k], v)
		}
	}
}

// TestItemOpenRootFile checks that a root given as a file is opened
// beneath its directory, and refused when it has become a link.
func TestItemOpenRootFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "one.txt")
	must(t, os.WriteFile(p, []byte("1"), 0o644))
	var it Item
	must(t, Walk(t.Context(), p, func(i Item) error { it = i; return nil }, nil))
	must(t, os.Remove(p))
	must(t, os.Symlink("/etc/passwd", p))
	if f, err := it.Open(); !errors.Is(err, ErrNotRegular) {
		if f != nil {
			f.Close()
		}
		t.Fatalf("Open = %v, want ErrNotRegular", err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
