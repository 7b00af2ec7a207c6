package legacy

import (
	"os"
	"path/filepath"
	"testing"
)

// corpusDir returns ../shared/corpus next to the repository root (the
// directory holding go.mod), skipping the test when it is absent.
func corpusDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("repository root not found")
		}
		dir = parent
	}
	c := filepath.Join(dir, "..", "shared", "corpus")
	if _, err := os.Stat(c); err != nil {
		t.Skipf("shared corpus absent: %v", err)
	}
	return c
}
