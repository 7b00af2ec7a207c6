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
	"sync/atomic"
	"syscall"

	"github.com/leakscope/leakscope/internal/leak"
)

// Store is a directory of blobs. It is safe for concurrent use.
type Store struct {
	dir    string
	tmp    string
	shards sync.Map // shard directories known to exist

	// quota and written implement SetQuota.
	quota   atomic.Int64
	written atomic.Int64
}

// WriteError is a failure to write into the store: a full disk, a quota,
// an I/O error. It is a failure of the case, not of the content being
// stored, so the ingest stops on it instead of recording it on a document
// (which would leave the document failed once space is freed).
type WriteError struct{ Err error }

func (e *WriteError) Error() string { return "blob store: " + e.Err.Error() }
func (e *WriteError) Unwrap() error { return e.Err }

// IsWriteError reports whether err is or wraps a *WriteError.
func IsWriteError(err error) bool {
	var we *WriteError
	return errors.As(err, &we)
}

// SetQuota caps the bytes this Store writes from now on at n (n <= 0: no
// cap). Past the cap a write fails with ENOSPC, as on a full disk. It
// exists so that tests can fill the disk at an exact point, which a real
// file system does not allow without privileges (no tmpfs in CI).
func (s *Store) SetQuota(n int64) {
	s.written.Store(0)
	s.quota.Store(n)
}

// reserve accounts for n bytes about to be written and fails when they
// would pass the quota.
func (s *Store) reserve(n int) error {
	q := s.quota.Load()
	if q <= 0 {
		return nil
	}
	if s.written.Add(int64(n)) > q {
		return syscall.ENOSPC
	}
	return nil
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
		return nil, &WriteError{fmt.Errorf("create: %w", err)}
	}
	return &Writer{s: s, f: f, h: sha256.New(), max: max}, nil
}

// Write appends p. Past the limit it returns ErrTooLarge; a failure of
// the file system is a *WriteError.
func (w *Writer) Write(p []byte) (int, error) {
	if w.max > 0 && w.n+int64(len(p)) > w.max {
		return 0, ErrTooLarge
	}
	if err := w.s.reserve(len(p)); err != nil {
		return 0, &WriteError{&os.PathError{Op: "write", Path: w.f.Name(), Err: err}}
	}
	n, err := w.f.Write(p)
	w.h.Write(p[:n])
	w.n += int64(n)
	if err != nil {
		return n, &WriteError{err}
	}
	return n, nil
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
		return id, 0, &WriteError{fmt.Errorf("close: %w", err)}
	}
	copy(id[:], w.h.Sum(nil))
	dst := w.s.Path(id)
	// No existence check: renaming over an existing blob replaces it with
	// identical bytes, atomically, and saves a system call per file.
	shard := filepath.Dir(dst)
	if _, ok := w.s.shards.Load(shard); !ok {
		if err := os.MkdirAll(shard, 0o700); err != nil {
			os.Remove(name)
			return id, 0, &WriteError{fmt.Errorf("shard: %w", err)}
		}
		w.s.shards.Store(shard, true)
	}
	if err := os.Rename(name, dst); err != nil {
		os.Remove(name)
		return id, 0, &WriteError{fmt.Errorf("commit: %w", err)}
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
