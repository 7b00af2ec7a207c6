package store_test

import (
	"path/filepath"
	"testing"

	"github.com/leakscope/leakscope/internal/store"
	"github.com/leakscope/leakscope/internal/store/storetest"
)

// TestConformance runs the store conformance suite on the embedded SQLite
// store.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Backend {
		s, err := store.Open(t.Context(), filepath.Join(t.TempDir(), "case.db"))
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}
