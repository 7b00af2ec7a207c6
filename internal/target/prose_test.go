package target_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/leakscope/leakscope/internal/lang"
	. "github.com/leakscope/leakscope/internal/target"
	"github.com/leakscope/leakscope/internal/target/score"
)

// TestCorpusProse builds the register of the shared corpus without its
// tables (no workbook, no CSV), as a corpus with no target list would be
// read: prose and chat mentions alone must still find most targets, and
// nothing that is not one. The default confidence threshold applies.
func TestCorpusProse(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: reads the shared corpus")
	}
	c := corpusDir(t)
	truth, err := score.ReadTruth(filepath.Join(c, "leak-sample.truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	docs := readCorpus(t, filepath.Join(c, "leak-sample"))
	var prose []Doc
	for _, d := range docs {
		if len(d.Pages) > 0 || strings.HasSuffix(d.Path, ".csv") {
			continue
		}
		prose = append(prose, d)
	}
	if len(prose) == 0 {
		t.Fatal("no prose documents read")
	}
	ts := Build(slices.Values(prose), Options{Fold: lang.Fold})
	for _, x := range ts {
		t.Logf("%.2f %-45s %s %s %v", x.Confidence, x.Name, x.Country, x.Sector, x.Aliases)
	}
	rep := score.Score(ts, truth)
	t.Log(rep)
	for _, r := range rep.Rows {
		if r.Found == "" {
			t.Logf("missed %s", r.Name)
		}
	}
	if rep.Recall < 0.8 || rep.Precision < 0.9 {
		t.Errorf("prose-only register: recall %.2f precision %.2f, want >= 0.8 and >= 0.9", rep.Recall, rep.Precision)
	}
}
