// Package corpus locates the shared evaluation corpus (../shared/corpus
// beside the repository) and reads its ground truth, for tests and the
// evaluation that skip cleanly when it is absent.
package corpus

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/leakscope/leakscope/internal/testenv"
)

// Dir returns the shared corpus directory, or "" when absent.
func Dir() string {
	if d := os.Getenv("LEAKSCOPE_CORPUS"); d != "" {
		return d
	}
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			c := filepath.Join(d, "..", "shared", "corpus")
			if _, err := os.Stat(filepath.Join(c, "leak-sample.truth.json")); err == nil {
				return c
			}
			return ""
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// Require returns the corpus directory, or skips the test (fails it
// under LEAKSCOPE_STRICT=1 when ../shared exists; see internal/testenv).
func Require(t testing.TB) string {
	t.Helper()
	d := Dir()
	if d == "" {
		testenv.MissingCorpus(t, "shared corpus absent (../shared/corpus)")
	}
	return d
}

// Truth is the part of leak-sample.truth.json the tests read.
type Truth struct {
	Files      []File     `json:"files"`
	Duplicates [][]string `json:"duplicates"`
	Hostile    []struct {
		Path     string `json:"path"`
		Kind     string `json:"kind"`
		Expected string `json:"expected"`
	} `json:"hostile"`
}

// File is one file of the truth.
type File struct {
	Path        string   `json:"path"`
	Container   string   `json:"container"`
	SHA256      string   `json:"sha256"`
	Size        int64    `json:"size"`
	MIME        string   `json:"mime"`
	Format      string   `json:"format"`
	Languages   []string `json:"languages"`
	Encoding    string   `json:"encoding"`
	OCRRequired bool     `json:"ocr_required"`
	Expect      string   `json:"expect"`
	Flags       []string `json:"flags"`
	OCRText     string   `json:"ocr_text"`
	Members     []string `json:"members"`
}

// ReadTruth reads leak-sample.truth.json from the corpus dir.
func ReadTruth(dir string) (*Truth, error) { return ReadTruthOf(dir, "leak-sample") }

// ReadTruthOf reads the ground truth of the synthetic leak name
// (leak-sample, leak-sample-2) in the corpus directory dir.
func ReadTruthOf(dir, name string) (*Truth, error) {
	b, err := os.ReadFile(filepath.Join(dir, name+".truth.json"))
	if err != nil {
		return nil, err
	}
	var t Truth
	return &t, json.Unmarshal(b, &t)
}
