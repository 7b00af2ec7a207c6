package gitrepo

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/extract/extracttest"
	"github.com/leakscope/leakscope/internal/sniff"
	"github.com/leakscope/leakscope/internal/testenv"
)

// makeRepo builds a repository with go-git: README added, a secret added,
// README changed, the secret deleted. It returns the directory and the
// commit hashes in order.
func makeRepo(t *testing.T) (string, []string) {
	t.Helper()
	dir := t.TempDir()
	repo, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	wt, err := repo.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	when := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	var hashes []string
	step := func(msg string, write map[string]string, remove ...string) {
		for p, body := range write {
			full := filepath.Join(dir, filepath.FromSlash(p))
			os.MkdirAll(filepath.Dir(full), 0o755)
			if err := os.WriteFile(full, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := wt.Add(p); err != nil {
				t.Fatal(err)
			}
		}
		for _, p := range remove {
			if _, err := wt.Remove(p); err != nil {
				t.Fatal(err)
			}
		}
		when = when.Add(time.Hour)
		sig := &object.Signature{Name: "t", Email: "t@example.com", When: when}
		h, err := wt.Commit(msg, &git.CommitOptions{Author: sig, Committer: sig})
		if err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, h.String())
	}
	step("init", map[string]string{"README.md": "v1\n", "src/a.sh": "echo a\n"})
	step("secret", map[string]string{"notes/targets.md": "secret targets\n"})
	step("readme", map[string]string{"README.md": "v2\n"})
	step("remove secret", nil, "notes/targets.md")
	return dir, hashes
}

func TestWalkHistory(t *testing.T) {
	dir, h := makeRepo(t)
	var got []extracttest.Child
	err := WalkHistory(t.Context(), dir, func(c extract.Child) error {
		r := &extracttest.Recorder{}
		if err := r.Child(t.Context(), c); err != nil {
			return err
		}
		got = append(got, r.Children[0])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	type v struct {
		Name, Commit, Body string
		Flags              []string
	}
	var gv []v
	for _, c := range got {
		gv = append(gv, v{c.Name, c.Commit, string(c.Data), c.Flags})
	}
	want := []v{
		{h[0] + "/README.md", h[0], "v1\n", nil},
		{h[1] + "/notes/targets.md", h[1], "secret targets\n", []string{FlagDeleted}},
	}
	if diff := cmp.Diff(want, gv); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if !IsRepo(dir) {
		t.Error("IsRepo = false for a repository")
	}
}

func bundleOf(t *testing.T, dir string) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		testenv.Missing(t, "git not installed: cannot make a bundle fixture")
	}
	out := filepath.Join(t.TempDir(), "repo.bundle")
	cmd := exec.CommandContext(t.Context(), "git", "bundle", "create", out, "--all")
	cmd.Dir = dir
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git bundle: %v\n%s", err, b)
	}
	return out
}

func TestBundle(t *testing.T) {
	dir, h := makeRepo(t)
	p := bundleOf(t, dir)
	in := extracttest.NewInput(t, p)
	if in.MIME != sniff.Bundle {
		t.Fatalf("sniffed %s", in.MIME)
	}
	r, err := extracttest.Run(t.Context(), Bundle{}, in)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"HEAD/README.md", "HEAD/src/a.sh", h[0] + "/README.md", h[1] + "/notes/targets.md"}
	if diff := cmp.Diff(want, r.Names()); diff != "" {
		t.Errorf("names (-want +got):\n%s", diff)
	}
	c, _ := r.ChildNamed(h[1] + "/notes/targets.md")
	if string(c.Data) != "secret targets\n" || c.Commit != h[1] || !slices.Contains(c.Flags, FlagDeleted) {
		t.Errorf("deleted version = %+v", c)
	}
	extracttest.Check(t, Bundle{}, p)
}

func TestLeakSampleBundle(t *testing.T) {
	corpus := extracttest.SharedCorpus(t)
	raw, err := os.ReadFile(filepath.Join(corpus, "leak-sample.truth.json"))
	if err != nil {
		testenv.MissingCorpus(t, "%v", err)
	}
	var truth struct {
		Files []struct {
			Path    string   `json:"path"`
			MIME    string   `json:"mime"`
			Members []string `json:"members"`
		}
	}
	if err := json.Unmarshal(raw, &truth); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range truth.Files {
		if f.MIME != sniff.Bundle || strings.Contains(f.Path, "!/") {
			continue
		}
		n++
		t.Run(f.Path, func(t *testing.T) {
			r, err := extracttest.Run(t.Context(), Bundle{}, extracttest.NewInput(t, filepath.Join(corpus, "leak-sample", f.Path)))
			if err != nil {
				t.Fatal(err)
			}
			want, got := slices.Sorted(slices.Values(f.Members)), slices.Sorted(slices.Values(r.Names()))
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("members (-want +got):\n%s", diff)
			}
		})
	}
	if n == 0 {
		t.Fatal("no bundle in the truth file")
	}
}

func FuzzBundle(f *testing.F) {
	f.Add([]byte("# v2 git bundle\n0123456789012345678901234567890123456789 refs/heads/main\n\nPACK\x00\x00\x00\x02\x00\x00\x00\x00"))
	f.Add([]byte("# v3 git bundle\n@object-format=sha1\n-0123456789012345678901234567890123456789\n\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "b.bundle")
		os.WriteFile(p, data, 0o600)
		in := extracttest.NewInputMIME(t, p, sniff.Bundle)
		in.TempDir = t.TempDir()
		r := &extracttest.Recorder{MaxChildBytes: 1 << 20, MaxChildren: 1000}
		err := extracttest.RunWith(t.Context(), Bundle{}, in, r)
		var pe *extracttest.PanicError
		if errorsAs(err, &pe) {
			t.Fatal(err)
		}
	})
}

// TestWalkHistoryHostileGitDir checks that a leaked .git is read through
// source.Open: a ref and an object directory that are symbolic links to
// another repository of the machine are not followed (its history is not
// read into the case), and a named pipe where packed-refs belongs does not
// hang the walk.
func TestWalkHistoryHostileGitDir(t *testing.T) {
	other, _ := makeRepo(t) // stands for a repository outside the leak
	tests := []struct {
		name string
		make func(t *testing.T, gitDir string)
	}{
		{name: "ref and objects symlinked out", make: func(t *testing.T, gitDir string) {
			must(t, os.RemoveAll(filepath.Join(gitDir, "objects")))
			must(t, os.Symlink(filepath.Join(other, ".git", "objects"), filepath.Join(gitDir, "objects")))
			must(t, os.Symlink(filepath.Join(other, ".git", "refs", "heads", "master"), filepath.Join(gitDir, "refs", "heads", "stolen")))
		}},
		{name: "packed-refs is a named pipe", make: func(t *testing.T, gitDir string) {
			must(t, syscall.Mkfifo(filepath.Join(gitDir, "packed-refs"), 0o644))
		}},
		{name: "HEAD is a symlink", make: func(t *testing.T, gitDir string) {
			must(t, os.Remove(filepath.Join(gitDir, "HEAD")))
			must(t, os.Symlink(filepath.Join(other, ".git", "HEAD"), filepath.Join(gitDir, "HEAD")))
			must(t, os.RemoveAll(filepath.Join(gitDir, "objects")))
			must(t, os.Symlink(filepath.Join(other, ".git", "objects"), filepath.Join(gitDir, "objects")))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if _, err := git.PlainInit(dir, false); err != nil {
				t.Fatal(err)
			}
			tt.make(t, filepath.Join(dir, ".git"))
			var names []string
			err := WalkHistory(t.Context(), dir, func(c extract.Child) error {
				names = append(names, c.Name)
				return nil
			})
			if len(names) > 0 {
				t.Errorf("read %d versions from outside the leak (%v), want none", len(names), names)
			}
			t.Logf("err = %v", err)
		})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
