package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/leakscope/leakscope/internal/leak"
)

// Backend is what a case asks of a blob store: content in by stream,
// content out by stream, and, for the child tools (pdftotext, tesseract)
// and decoders that need a file, a local path for the time of one use.
// The directory store implements it; an S3-compatible store implements
// the same and passes the same conformance suite (blobtest).
type Backend interface {
	// Create starts a blob of at most max bytes (max <= 0: no limit).
	Create(ctx context.Context, max int64) (BlobWriter, error)
	// Stat returns the size of blob id, ErrNotFound if it is absent.
	Stat(ctx context.Context, id leak.ID) (int64, error)
	// Reader opens blob id for reading, ErrNotFound if it is absent.
	Reader(ctx context.Context, id leak.ID) (io.ReadSeekCloser, error)
	// Materialise returns a local file holding blob id, valid until
	// release is called. A local store hands out the blob's own file
	// (callers must not write to it); a remote one downloads a copy.
	Materialise(ctx context.Context, id leak.ID) (path string, release func(), err error)
}

// BlobWriter streams one blob in; Commit names it by the hash of what was
// written and makes it visible, Abort drops it.
type BlobWriter interface {
	io.Writer
	Commit() (leak.ID, int64, error)
	Abort()
}

// ErrNotFound is returned for a blob that is not in the store.
var ErrNotFound = errors.New("blob not found")

var _ Backend = (*Store)(nil)

// Create implements Backend.
func (s *Store) Create(ctx context.Context, max int64) (BlobWriter, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return s.NewWriter(max)
}

// Stat implements Backend.
func (s *Store) Stat(ctx context.Context, id leak.ID) (int64, error) {
	fi, err := os.Stat(s.Path(id))
	if errors.Is(err, os.ErrNotExist) {
		return 0, fmt.Errorf("%s: %w", id.Short(), ErrNotFound)
	}
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

// Reader implements Backend.
func (s *Store) Reader(ctx context.Context, id leak.ID) (io.ReadSeekCloser, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f, err := os.Open(s.Path(id))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", id.Short(), ErrNotFound)
	}
	return f, err
}

// Materialise implements Backend: the blob's own file, nothing to release.
func (s *Store) Materialise(ctx context.Context, id leak.ID) (string, func(), error) {
	if _, err := s.Stat(ctx, id); err != nil {
		return "", nil, err
	}
	return s.Path(id), func() {}, nil
}
