package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/corpus"
	"github.com/leakscope/leakscope/internal/index"
	"github.com/leakscope/leakscope/internal/testenv"
)

// searchEvalEnv names the directory holding cases built from the corpus
// samples (one per sample, named after it: what `make eval` leaves in
// eval-out). The test runs only when it is set, since building the cases
// takes minutes.
const searchEvalEnv = "LEAKSCOPE_SEARCH_EVAL"

// minSearchScore is the bar: a target's Chinese or English name
// finds its evidence for at least this share of queries.
const minSearchScore = 0.95

// TestSearchEval scores search on the corpus samples: every Chinese name
// and the English name of every target of the truth file is queried as
// the CLI queries it, and its hits must include the target's evidence.
//
//	LEAKSCOPE_SEARCH_EVAL=eval-out go test ./cmd/lseval -run TestSearchEval -v
func TestSearchEval(t *testing.T) {
	dir := os.Getenv(searchEvalEnv)
	if dir == "" {
		t.Skipf("%s is not set: run make eval, then %s=eval-out", searchEvalEnv, searchEvalEnv)
	}
	cdir := corpus.Dir()
	if cdir == "" {
		testenv.MissingCorpus(t, "no shared corpus: set LEAKSCOPE_CORPUS")
	}
	scored := 0
	for _, sample := range []string{"leak-sample", "leak-sample-2"} {
		t.Run(sample, func(t *testing.T) {
			caseDir := filepath.Join(dir, sample)
			if _, err := os.Stat(caseDir); err != nil {
				t.Fatalf("no case for %s in %s: %v", sample, dir, err)
			}
			c, err := casedir.Open(context.Background(), caseDir, casedir.ReadOnly)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			s, err := scoreSearch(t.Context(), c, filepath.Join(cdir, sample+".truth.json"))
			if err != nil {
				t.Fatal(err)
			}
			if s.Queries == 0 {
				t.Fatal("no target with evidence in the truth file: nothing scored")
			}
			scored++
			got := ratio(s.Found, s.Queries)
			t.Logf("%s: %d/%d = %.3f (first %d hits %.3f, without fallback %.3f)", sample, s.Found, s.Queries, got,
				index.DefaultLimit, ratio(s.Top, s.Queries), ratio(s.Strict, s.Queries))
			for _, m := range s.Misses {
				t.Logf("miss %s", m)
			}
			if got < minSearchScore {
				t.Errorf("%s: search finds evidence for %.3f of queries, want at least %.2f", sample, got, minSearchScore)
			}
		})
	}
	if scored == 0 {
		t.Fatal("no sample scored")
	}
}
