package blob_test

import (
	"testing"

	"github.com/leakscope/leakscope/internal/blob"
	"github.com/leakscope/leakscope/internal/blob/blobtest"
)

// TestConformance runs the blob conformance suite on the directory store.
func TestConformance(t *testing.T) {
	blobtest.Run(t, func(t *testing.T) blob.Backend {
		s, err := blob.Open(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}
