package charset

import (
	"path/filepath"
	"testing"

	"github.com/leakscope/leakscope/internal/corpus"
	"github.com/leakscope/leakscope/internal/testenv"
)

// corpusDir returns the shared corpus or skips the test.
func corpusDir(t *testing.T) string { return corpus.Require(t) }

type truthFile = corpus.File

// readTruth reads the truth file at p (leak-sample.truth.json).
func readTruth(t *testing.T, p string) []truthFile {
	t.Helper()
	tr, err := corpus.ReadTruth(filepath.Dir(p))
	if err != nil {
		testenv.MissingCorpus(t, "truth file absent: %v", err)
	}
	return tr.Files
}
