package gitrepo

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/go-git/go-billy/v5/osfs"
	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/cache"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/format/packfile"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
	"github.com/go-git/go-git/v5/storage/filesystem"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/sniff"
)

// Flags recorded by this package. They are stored, so they never change.
const (
	FlagDeleted    = "deleted-in-history"
	FlagIncomplete = "incomplete-history" // a thin bundle or a shallow repository
	FlagSymlink    = "symlink"
	FlagSubmodule  = "submodule"
)

// TipName is the name prefix of versions in the tip's tree.
const TipName = "HEAD"

// Bundle reads a git bundle (v2 or v3): every version of every file.
type Bundle struct{}

var _ extract.Extractor = Bundle{}

// Name implements extract.Extractor.
func (Bundle) Name() string { return "git-bundle" }

// Accepts implements extract.Extractor.
func (Bundle) Accepts() []string { return []string{sniff.Bundle} }

// Extract implements extract.Extractor.
func (Bundle) Extract(ctx context.Context, in *extract.Input, out extract.Sink) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f, err := in.Open()
	if err != nil {
		return fmt.Errorf("git bundle: %w", err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	refs, prereq, err := readBundleHeader(br)
	if err != nil {
		out.Flag("corrupt")
		return fmt.Errorf("git bundle: header: %w", err)
	}
	dir := in.TempDir
	if dir == "" {
		if dir, err = os.MkdirTemp("", "leakscope-bundle-"); err != nil {
			return fmt.Errorf("git bundle: %w", err)
		}
		defer os.RemoveAll(dir)
	}
	dir, err = os.MkdirTemp(dir, "bundle-")
	if err != nil {
		return fmt.Errorf("git bundle: %w", err)
	}
	defer os.RemoveAll(dir)
	st := filesystem.NewStorage(osfs.New(dir), cache.NewObjectLRUDefault())
	if err := packfile.UpdateObjectStorage(st, &ctxReader{ctx: ctx, r: br}); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		out.Flag("corrupt")
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			out.Flag("truncated")
		}
		return fmt.Errorf("git bundle: pack: %w", err)
	}
	if prereq {
		out.Flag(FlagIncomplete)
	}
	for name, h := range refs {
		if err := st.SetReference(plumbing.NewHashReference(plumbing.ReferenceName(name), h)); err != nil {
			return fmt.Errorf("git bundle: ref %s: %w", name, err)
		}
	}
	tip := pickTip(refs)
	meta := newFlagOnce(out)
	err = walk(ctx, st, refs, tip, true, meta, func(c extract.Child) error { return out.Child(ctx, c) })
	if err != nil {
		return fmt.Errorf("git bundle: %w", err)
	}
	return nil
}

// WalkHistory emits the history-only versions of the repository at dir (a
// working tree containing .git, a .git directory, or a bare repository),
// named "<commit>/<path>" as in a bundle. The tip's files are not emitted:
// the caller walks the working tree as ordinary files. The caller prefixes
// the names with the repository's location, e.g. "<repo>/.git!/".
//
// The repository is read through leakFS, never git.PlainOpen: a leaked
// .git may hold symbolic links, named pipes, or a "commondir" or
// "alternates" file pointing at another repository of the machine, and
// none of them is followed out of dir.
func WalkHistory(ctx context.Context, dir string, emit func(extract.Child) error) error {
	gitDir := dir
	if st, err := os.Lstat(filepath.Join(dir, ".git")); err == nil && st.IsDir() {
		gitDir = filepath.Join(dir, ".git")
	}
	st := filesystem.NewStorage(newLeakFS(gitDir), cache.NewObjectLRUDefault())
	repo, err := git.Open(st, nil)
	if err != nil {
		return fmt.Errorf("git history %s: %w", dir, err)
	}
	refs := map[string]plumbing.Hash{}
	iter, err := repo.References()
	if err != nil {
		return fmt.Errorf("git history %s: refs: %w", dir, err)
	}
	_ = iter.ForEach(func(r *plumbing.Reference) error {
		if r.Type() == plumbing.HashReference {
			refs[r.Name().String()] = r.Hash()
		}
		return nil
	})
	if h, err := repo.Head(); err == nil {
		refs["HEAD"] = h.Hash()
	}
	return walk(ctx, repo.Storer, refs, pickTip(refs), false, nil, emit)
}

// ctxReader stops a long pack indexing when the context ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// readBundleHeader reads the signature, prerequisites and references of a
// bundle, leaving br at the pack.
func readBundleHeader(br *bufio.Reader) (map[string]plumbing.Hash, bool, error) {
	sig, err := br.ReadString('\n')
	if err != nil {
		return nil, false, err
	}
	if sig != "# v2 git bundle\n" && sig != "# v3 git bundle\n" {
		return nil, false, fmt.Errorf("signature %q: %w", strings.TrimSpace(sig), extract.ErrUnsupported)
	}
	v3 := sig == "# v3 git bundle\n"
	refs := map[string]plumbing.Hash{}
	prereq := false
	for range 1 << 20 {
		line, err := br.ReadString('\n')
		if err != nil {
			return nil, false, err
		}
		line = strings.TrimSuffix(line, "\n")
		if line == "" {
			return refs, prereq, nil
		}
		switch {
		case v3 && strings.HasPrefix(line, "@"):
			if strings.HasPrefix(line, "@object-format=") && line != "@object-format=sha1" {
				return nil, false, fmt.Errorf("%s: %w", line, extract.ErrUnsupported)
			}
		case strings.HasPrefix(line, "-"):
			prereq = true
		default:
			sha, name, ok := strings.Cut(line, " ")
			if !ok || len(sha) != 40 {
				return nil, false, fmt.Errorf("bad reference line %q", line)
			}
			refs[name] = plumbing.NewHash(sha)
		}
	}
	return nil, false, errors.New("too many header lines")
}

// pickTip chooses the commit of the default branch.
func pickTip(refs map[string]plumbing.Hash) plumbing.Hash {
	for _, n := range []string{"HEAD", "refs/heads/main", "refs/heads/master"} {
		if h, ok := refs[n]; ok {
			return h
		}
	}
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range refs {
			if !yield(n) {
				return
			}
		}
	})
	for _, n := range names {
		if strings.HasPrefix(n, "refs/heads/") {
			return refs[n]
		}
	}
	if len(names) > 0 {
		return refs[names[0]]
	}
	return plumbing.ZeroHash
}

// flagOnce records each flag on the sink once; nil records nothing.
type flagOnce struct {
	out  extract.Sink
	seen map[string]bool
}

func newFlagOnce(out extract.Sink) *flagOnce { return &flagOnce{out: out, seen: map[string]bool{}} }

func (f *flagOnce) flag(s string) {
	if f == nil || f.seen[s] {
		return
	}
	f.seen[s] = true
	f.out.Flag(s)
}

type version struct {
	path string
	blob plumbing.Hash
}

// walk emits the tip's files (when withTip) and then every history-only
// version, commits oldest first, paths sorted within a commit.
func walk(ctx context.Context, s storer.EncodedObjectStorer, refs map[string]plumbing.Hash, tip plumbing.Hash,
	withTip bool, flags *flagOnce, emit func(extract.Child) error) error {
	tipFiles := map[string]plumbing.Hash{}
	if !tip.IsZero() {
		c, err := object.GetCommit(s, tip)
		if err != nil {
			flags.flag(FlagIncomplete)
		} else {
			files, err := treeFiles(ctx, s, c, flags)
			if err != nil {
				return err
			}
			tipFiles = files
			if withTip {
				for _, p := range slices.Sorted(mapKeys(files)) {
					if err := emitBlob(ctx, s, TipName+"/"+p, files[p], c, c.Hash.String(), nil, emit, flags); err != nil {
						return err
					}
				}
			}
		}
	}
	commits, err := allCommits(ctx, s, refs, flags)
	if err != nil {
		return err
	}
	done := map[version]bool{}
	for _, c := range commits {
		files, err := treeFiles(ctx, s, c, flags)
		if err != nil {
			return err
		}
		var parents []map[string]plumbing.Hash
		for _, ph := range c.ParentHashes {
			pc, err := object.GetCommit(s, ph)
			if err != nil {
				flags.flag(FlagIncomplete)
				continue
			}
			pf, err := treeFiles(ctx, s, pc, flags)
			if err != nil {
				return err
			}
			parents = append(parents, pf)
		}
		for _, p := range slices.Sorted(mapKeys(files)) {
			v := version{p, files[p]}
			if done[v] || tipFiles[p] == v.blob {
				continue
			}
			inherited := false
			for _, pf := range parents {
				if pf[p] == v.blob {
					inherited = true
				}
			}
			if inherited {
				continue
			}
			done[v] = true
			var cflags []string
			if _, ok := tipFiles[p]; !ok {
				cflags = []string{FlagDeleted}
			}
			if err := emitBlob(ctx, s, c.Hash.String()+"/"+p, v.blob, c, c.Hash.String(), cflags, emit, flags); err != nil {
				return err
			}
		}
	}
	return nil
}

func mapKeys(m map[string]plumbing.Hash) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// treeFiles lists the blobs of a commit's tree by path. Symbolic links and
// submodules are not file content and are left out.
func treeFiles(ctx context.Context, s storer.EncodedObjectStorer, c *object.Commit, flags *flagOnce) (map[string]plumbing.Hash, error) {
	tree, err := object.GetTree(s, c.TreeHash)
	if err != nil {
		flags.flag(FlagIncomplete)
		return map[string]plumbing.Hash{}, nil
	}
	files := map[string]plumbing.Hash{}
	w := object.NewTreeWalker(tree, true, nil)
	defer w.Close()
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		name, e, err := w.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			flags.flag(FlagIncomplete)
			break
		}
		switch e.Mode {
		case filemode.Regular, filemode.Executable, filemode.Deprecated:
			files[name] = e.Hash
		case filemode.Symlink:
			flags.flag(FlagSymlink)
		case filemode.Submodule:
			flags.flag(FlagSubmodule)
		}
	}
	return files, nil
}

// allCommits returns every commit reachable from refs, oldest first (by
// committer time, then hash, so that the order is stable).
func allCommits(ctx context.Context, s storer.EncodedObjectStorer, refs map[string]plumbing.Hash, flags *flagOnce) ([]*object.Commit, error) {
	seen := map[plumbing.Hash]bool{}
	var out []*object.Commit
	var stack []plumbing.Hash
	for _, h := range refs {
		stack = append(stack, h)
	}
	for len(stack) > 0 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		h := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[h] {
			continue
		}
		seen[h] = true
		c, err := object.GetCommit(s, h)
		if err != nil {
			if t, err := object.GetTag(s, h); err == nil {
				stack = append(stack, t.Target)
				continue
			}
			flags.flag(FlagIncomplete)
			continue
		}
		out = append(out, c)
		stack = append(stack, c.ParentHashes...)
	}
	slices.SortFunc(out, func(a, b *object.Commit) int {
		if c := a.Committer.When.Compare(b.Committer.When); c != 0 {
			return c
		}
		return bytes.Compare(a.Hash[:], b.Hash[:])
	})
	return out, nil
}

// emitBlob hands one version to emit, streaming its content.
func emitBlob(ctx context.Context, s storer.EncodedObjectStorer, name string, h plumbing.Hash, c *object.Commit,
	commit string, cflags []string, emit func(extract.Child) error, flags *flagOnce) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	blob, err := object.GetBlob(s, h)
	if err != nil {
		flags.flag(FlagIncomplete)
		return nil
	}
	r, err := blob.Reader()
	if err != nil {
		flags.flag(FlagIncomplete)
		return nil
	}
	defer r.Close()
	return emit(extract.Child{Name: name, R: r, Size: blob.Size, ModTime: c.Committer.When, Commit: commit, Flags: cflags})
}

// IsRepo reports whether dir looks like a repository WalkHistory can open.
func IsRepo(dir string) bool {
	for _, p := range []string{filepath.Join(dir, ".git"), filepath.Join(dir, "HEAD")} {
		if _, err := os.Stat(p); err == nil {
			return true
		}
	}
	return false
}
