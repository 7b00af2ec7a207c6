// Package source walks the places a leak comes from and yields the files
// to ingest, with their paths relative to the ingested root.
//
// The directory walker never follows symbolic links: a link is reported as
// an item with Link set and is never read, so a link in a leak cannot make
// leakscope read /etc/passwd. The tree may change after the walk, so files
// are opened only through Open (or Item.Open), which refuses a link or a
// named pipe swapped in since. A ".git" directory is not walked file by
// file; it is reported once as a repository so that its history can be
// read as versions attributed to commits.
package source

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Item is a file found in a root.
type Item struct {
	Rel     string // path relative to the root, "/"-separated, byte-exact
	Abs     string // path on disk
	Size    int64
	ModTime time.Time
	Link    string // target of a symbolic link (not followed); "" otherwise
	GitDir  bool   // Abs is a .git directory (or a bare repository)
	Special bool   // a device, socket or pipe: never opened

	// dir is the directory Rel is relative to, for Open.
	dir string
}

// Walk calls fn for every item under root in lexical order. A root that is
// a file yields that file with its base name as Rel. Errors reading a
// directory are passed to walkErr; walking goes on. Directories in exclude
// (absolute, cleaned paths: the case directory when it sits inside the
// dump) are not entered, so an ingest never reads its own output.
func Walk(ctx context.Context, root string, fn func(Item) error, walkErr func(rel string, err error), exclude ...string) error {
	st, err := os.Lstat(root)
	if err != nil {
		return err
	}
	if !st.IsDir() {
		it := itemOf(root, filepath.Base(root), st)
		it.dir = filepath.Dir(root)
		return fn(it)
	}
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if err != nil {
			if p == root {
				return err
			}
			walkErr(rel, err)
			if d != nil && d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if p == root {
			return nil
		}
		if d.IsDir() {
			for _, x := range exclude {
				if p == x {
					return filepath.SkipDir
				}
			}
			if d.Name() == ".git" {
				if err := fn(Item{Rel: rel, Abs: p, GitDir: true}); err != nil {
					return err
				}
				return filepath.SkipDir
			}
			return nil
		}
		info, err := d.Info()
		if err != nil {
			walkErr(rel, err)
			return nil
		}
		it := itemOf(p, rel, info)
		it.dir = root
		return fn(it)
	})
}

func itemOf(abs, rel string, info fs.FileInfo) Item {
	it := Item{Rel: rel, Abs: abs, Size: info.Size(), ModTime: info.ModTime()}
	switch {
	case info.Mode()&fs.ModeSymlink != 0:
		it.Link, _ = os.Readlink(abs)
		it.Size = 0
	case !info.Mode().IsRegular():
		it.Special = true
		it.Size = 0
	}
	return it
}

// Count walks root without reading files and returns how many regular
// files and bytes it holds, for progress estimates.
func Count(ctx context.Context, root string) (files, bytes int64) {
	Walk(ctx, root, func(it Item) error {
		if it.Link == "" && !it.GitDir && !it.Special {
			files++
			bytes += it.Size
		}
		return nil
	}, func(string, error) {})
	return files, bytes
}
