package legacy

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/leakscope/leakscope/internal/testenv"
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
			testenv.MissingCorpus(t, "repository root not found")
		}
		dir = parent
	}
	c := filepath.Join(dir, "..", "shared", "corpus")
	if _, err := os.Stat(c); err != nil {
		testenv.MissingCorpus(t, "shared corpus absent: %v", err)
	}
	return c
}
