// Package blob stores file contents by their SHA-256, in 2-hex-digit shards
// (blobs/ab/abcdef...), as restic does. Content is written once: storing the
// same bytes again finds the existing blob. Because files are named by hash,
// never by the name a leak gave them, no member name (../../etc/passwd, an
// absolute path) can make the store write outside its directory.
package blob

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/leakscope/leakscope/internal/leak"
)

// Store is a directory of blobs. It is safe for concurrent use.
type Store struct {
	dir    string
	tmp    string
	shards sync.Map // shard directories known to exist
}

// Open opens or creates the blob store in dir.
func Open(dir string) (*Store, error) {
	tmp := filepath.Join(dir, "tmp")
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		return nil, fmt.Errorf("blob store: %w", err)
	}
	return &Store{dir: dir, tmp: tmp}, nil
}

// Dir is the directory of the store.
func (s *Store) Dir() string { return s.dir }

// TempDir is a scratch directory on the same file system as the blobs.
func (s *Store) TempDir() string { return s.tmp }

// Path returns where the blob id lives (whether or not it exists).
func (s *Store) Path(id leak.ID) string {
	h := id.String()
	return filepath.Join(s.dir, h[:2], h)
}

// Has reports whether the blob exists.
func (s *Store) Has(id leak.ID) bool {
	_, err := os.Stat(s.Path(id))
	return err == nil
}

// Open opens a blob for reading.
func (s *Store) Open(id leak.ID) (*os.File, error) { return os.Open(s.Path(id)) }

// ErrTooLarge is returned by Put when the content exceeds the size limit.
// The partial copy is removed.
var ErrTooLarge = errors.New("blob too large")

// Writer streams content into the store, hashing as it goes.
type Writer struct {
	s    *Store
	f    *os.File
	h    hash.Hash
	n    int64
	max  int64
	done bool
}

// NewWriter starts a blob. max <= 0 means no limit.
func (s *Store) NewWriter(max int64) (*Writer, error) {
	f, err := os.CreateTemp(s.tmp, "put-*")
	if err != nil {
		return nil, fmt.Errorf("blob: %w", err)
	}
	return &Writer{s: s, f: f, h: sha256.New(), max: max}, nil
}

// Write appends p. Past the limit it returns ErrTooLarge.
func (w *Writer) Write(p []byte) (int, error) {
	if w.max > 0 && w.n+int64(len(p)) > w.max {
		return 0, ErrTooLarge
	}
	n, err := w.f.Write(p)
	w.h.Write(p[:n])
	w.n += int64(n)
	return n, err
}

// Size is the number of bytes written so far.
func (w *Writer) Size() int64 { return w.n }

// Commit finishes the blob and moves it into place. It returns the ID and
// size. Writing the same content twice leaves one blob.
func (w *Writer) Commit() (leak.ID, int64, error) {
	var id leak.ID
	w.done = true
	name := w.f.Name()
	if err := w.f.Close(); err != nil {
		os.Remove(name)
		return id, 0, fmt.Errorf("blob: %w", err)
	}
	copy(id[:], w.h.Sum(nil))
	dst := w.s.Path(id)
	// No existence check: renaming over an existing blob replaces it with
	// identical bytes, atomically, and saves a system call per file.
	shard := filepath.Dir(dst)
	if _, ok := w.s.shards.Load(shard); !ok {
		if err := os.MkdirAll(shard, 0o700); err != nil {
			os.Remove(name)
			return id, 0, fmt.Errorf("blob: %w", err)
		}
		w.s.shards.Store(shard, true)
	}
	if err := os.Rename(name, dst); err != nil {
		os.Remove(name)
		return id, 0, fmt.Errorf("blob: %w", err)
	}
	return id, w.n, nil
}

// Abort discards the blob. It is safe to call after Commit.
func (w *Writer) Abort() {
	if w.done {
		return
	}
	w.done = true
	name := w.f.Name()
	w.f.Close()
	os.Remove(name)
}

// Put stores everything r yields.
func (s *Store) Put(r io.Reader, max int64) (leak.ID, int64, error) {
	w, err := s.NewWriter(max)
	if err != nil {
		return leak.ID{}, 0, err
	}
	buf := make([]byte, 256<<10)
	if _, err := io.CopyBuffer(w, r, buf); err != nil {
		w.Abort()
		return leak.ID{}, w.n, err
	}
	return w.Commit()
}

// CleanTemp removes leftovers of writers interrupted by a crash. Call it
// only while holding the case lock.
func (s *Store) CleanTemp() error {
	ents, err := os.ReadDir(s.tmp)
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range ents {
		errs = append(errs, os.RemoveAll(filepath.Join(s.tmp, e.Name())))
	}
	return errors.Join(errs...)
}
