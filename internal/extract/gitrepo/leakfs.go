package gitrepo

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/go-billy/v5"
	"github.com/go-git/go-billy/v5/osfs"

	"github.com/leakscope/leakscope/internal/source"
)

// errReadOnly is returned for any write to a leaked repository: reading
// history never needs one, and a leak is evidence.
var errReadOnly = errors.New("leaked repository is read-only")

// leakFS is the filesystem go-git reads a leaked .git directory through.
// Every file is opened with source.Open, as every other file of an
// ingested tree is, so a ref, pack or alternates file that is a symbolic
// link (to /etc/passwd, or to another repository of the machine) or a
// named pipe is refused instead of read or waited on. Directory listing
// and Stat come from a bound osfs, which keeps paths inside the base.
type leakFS struct {
	billy.Filesystem // osfs bound to base; used for Stat, ReadDir, Join
	base             string
}

func newLeakFS(base string) leakFS {
	return leakFS{Filesystem: osfs.New(base, osfs.WithBoundOS()), base: base}
}

// rel turns a go-git file name into a path beneath base. go-git names
// files relative to the root, or absolute within it (an alternates path
// "/objects" means the root's objects), as the bound osfs does.
func (l leakFS) rel(name string) (string, error) {
	name = filepath.Clean(name)
	if filepath.IsAbs(name) {
		if r, err := filepath.Rel(l.base, name); err == nil && filepath.IsLocal(r) {
			name = r
		} else {
			name = strings.TrimLeft(name, string(filepath.Separator))
		}
	}
	if name == "" || name == "." || !filepath.IsLocal(name) {
		return "", fmt.Errorf("%s: path outside the repository", name)
	}
	return name, nil
}

func (l leakFS) Open(name string) (billy.File, error) { return l.OpenFile(name, os.O_RDONLY, 0) }

func (l leakFS) OpenFile(name string, flag int, _ os.FileMode) (billy.File, error) {
	if flag&(os.O_WRONLY|os.O_RDWR|os.O_CREATE|os.O_APPEND|os.O_TRUNC) != 0 {
		return nil, fmt.Errorf("%s: %w", name, errReadOnly)
	}
	rel, err := l.rel(name)
	if err != nil {
		return nil, err
	}
	f, err := source.Open(l.base, rel)
	if err != nil {
		var nr *source.NotRegularError
		if errors.As(err, &nr) {
			// go-git treats a missing file as "no such ref"; a refused
			// one must read the same way, not as a broken repository.
			return nil, &os.PathError{Op: "open", Path: name, Err: os.ErrNotExist}
		}
		return nil, err
	}
	return &leakFile{File: f, name: name}, nil
}

func (l leakFS) Create(name string) (billy.File, error) {
	return nil, fmt.Errorf("%s: %w", name, errReadOnly)
}

func (l leakFS) TempFile(dir, prefix string) (billy.File, error) {
	return nil, fmt.Errorf("%s: %w", dir, errReadOnly)
}

func (l leakFS) Rename(from, _ string) error { return fmt.Errorf("%s: %w", from, errReadOnly) }

func (l leakFS) Remove(name string) error { return fmt.Errorf("%s: %w", name, errReadOnly) }

func (l leakFS) MkdirAll(name string, _ os.FileMode) error {
	return fmt.Errorf("%s: %w", name, errReadOnly)
}

func (l leakFS) Symlink(_, link string) error { return fmt.Errorf("%s: %w", link, errReadOnly) }

func (l leakFS) Chroot(path string) (billy.Filesystem, error) {
	rel, err := l.rel(path)
	if err != nil {
		return nil, err
	}
	return newLeakFS(filepath.Join(l.base, rel)), nil
}

func (l leakFS) Root() string { return l.base }

// leakFile is an *os.File opened by source.Open, with the name go-git
// asked for and no locking (nothing else writes the leaked copy).
type leakFile struct {
	*os.File
	name string
}

func (f *leakFile) Name() string  { return f.name }
func (f *leakFile) Lock() error   { return nil }
func (f *leakFile) Unlock() error { return nil }
