// Package blobtest is the conformance suite every blob backend passes:
// content round-trips by hash, is stored once, respects its size limit,
// leaves nothing behind when aborted, and can be handed to a child tool
// as a local file.
package blobtest

import (
	"bytes"
	"errors"
	"io"
	"os"
	"sync"
	"testing"

	"github.com/leakscope/leakscope/internal/blob"
	"github.com/leakscope/leakscope/internal/leak"
)

// Run runs the suite against stores made by open, each new and empty.
func Run(t *testing.T, open func(t *testing.T) blob.Backend) {
	tests := []struct {
		name string
		fn   func(t *testing.T, b blob.Backend)
	}{
		{"RoundTrip", testRoundTrip},
		{"StoredOnce", testStoredOnce},
		{"Limit", testLimit},
		{"Abort", testAbort},
		{"Missing", testMissing},
		{"Materialise", testMaterialise},
		{"Concurrent", testConcurrent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, open(t)) })
	}
}

func put(t *testing.T, b blob.Backend, data []byte, max int64) (leak.ID, error) {
	t.Helper()
	w, err := b.Create(t.Context(), max)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		w.Abort()
		return leak.ID{}, err
	}
	id, n, err := w.Commit()
	if err == nil && n != int64(len(data)) {
		t.Errorf("Commit size %d, wrote %d", n, len(data))
	}
	return id, err
}

func read(t *testing.T, b blob.Backend, id leak.ID) []byte {
	t.Helper()
	r, err := b.Reader(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func testRoundTrip(t *testing.T, b blob.Backend) {
	data := bytes.Repeat([]byte("leak \x00\xff 数据 "), 10000)
	id, err := put(t, b, data, 0)
	if err != nil {
		t.Fatal(err)
	}
	if id != leak.Hash(data) {
		t.Fatalf("id %s, want the SHA-256 of the content", id.Short())
	}
	if got := read(t, b, id); !bytes.Equal(got, data) {
		t.Fatalf("read back %d bytes that differ from the %d written", len(got), len(data))
	}
	if n, err := b.Stat(t.Context(), id); err != nil || n != int64(len(data)) {
		t.Errorf("Stat = %d, %v", n, err)
	}
	// Readers seek: extractors read a zip's directory at its end first.
	r, err := b.Reader(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := r.Seek(int64(len(data)-5), io.SeekStart); err != nil {
		t.Fatal(err)
	}
	tail, _ := io.ReadAll(r)
	if !bytes.Equal(tail, data[len(data)-5:]) {
		t.Errorf("after Seek read %q", tail)
	}
	empty, err := put(t, b, nil, 0)
	if err != nil || len(read(t, b, empty)) != 0 {
		t.Errorf("empty blob: %v", err)
	}
}

func testStoredOnce(t *testing.T, b blob.Backend) {
	data := []byte("same bytes twice")
	a, err := put(t, b, data, 0)
	if err != nil {
		t.Fatal(err)
	}
	c, err := put(t, b, data, 0)
	if err != nil || c != a {
		t.Fatalf("second put: %s, %v; want the same id", c.Short(), err)
	}
	if got := read(t, b, a); !bytes.Equal(got, data) {
		t.Errorf("content after a second put: %q", got)
	}
}

func testLimit(t *testing.T, b blob.Backend) {
	data := bytes.Repeat([]byte("x"), 100)
	if _, err := put(t, b, data, 99); !errors.Is(err, blob.ErrTooLarge) {
		t.Fatalf("put of 100 bytes with a limit of 99: %v, want ErrTooLarge", err)
	}
	if _, err := b.Stat(t.Context(), leak.Hash(data)); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("a refused blob is stored: %v", err)
	}
	if _, err := put(t, b, data, 100); err != nil {
		t.Errorf("put at exactly the limit: %v", err)
	}
}

func testAbort(t *testing.T, b blob.Backend) {
	data := []byte("never committed")
	w, err := b.Create(t.Context(), 0)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data)
	w.Abort()
	if _, err := b.Stat(t.Context(), leak.Hash(data)); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("an aborted blob is visible: %v", err)
	}
}

func testMissing(t *testing.T, b blob.Backend) {
	id := leak.Hash([]byte("absent"))
	if _, err := b.Stat(t.Context(), id); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("Stat: %v, want ErrNotFound", err)
	}
	if _, err := b.Reader(t.Context(), id); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("Reader: %v, want ErrNotFound", err)
	}
	if _, _, err := b.Materialise(t.Context(), id); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("Materialise: %v, want ErrNotFound", err)
	}
}

func testMaterialise(t *testing.T, b blob.Backend) {
	data := []byte("for a child tool")
	id, err := put(t, b, data, 0)
	if err != nil {
		t.Fatal(err)
	}
	path, release, err := b.Materialise(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	release()
	if err != nil || !bytes.Equal(got, data) {
		t.Errorf("materialised file: %q, %v", got, err)
	}
}

func testConcurrent(t *testing.T, b blob.Backend) {
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := range 16 {
		wg.Go(func() {
			// Half the writers store the same content at once.
			data := []byte{byte(i % 2), 'x'}
			if _, err := put(t, b, data, 0); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent put: %v", err)
	}
	for i := range 2 {
		data := []byte{byte(i), 'x'}
		if got := read(t, b, leak.Hash(data)); !bytes.Equal(got, data) {
			t.Errorf("content %d after concurrent puts: %q", i, got)
		}
	}
}
