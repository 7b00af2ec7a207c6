package gloss

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leakscope/leakscope/internal/testenv"
	"github.com/leakscope/leakscope/internal/translate/gloss/chrf"
)

// refLine is one hand-written reference translation.
type refLine struct{ zh, en string }

// readReference reads testdata/reference/<name>.tsv: "Chinese TAB English"
// lines, '#' comments.
func readReference(t testing.TB, path string) []refLine {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []refLine
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		zh, en, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("%s: no tab in %q", path, line)
		}
		out = append(out, refLine{zh, en})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// referenceFloor is the corpus chrF below which TestReferenceChrF fails:
// a little under today's score, so that a change that makes the gist
// less readable is caught.
var referenceFloor = map[string]float64{
	"leak-sample":   49,
	"leak-sample-2": 50.5,
}

// TestReferenceChrF scores the gist against hand-written English for chat
// and note lines of the shared corpora (testdata/reference) and prints
// chrF; `make eval` runs it. -v with LEAKSCOPE_EVAL_LINES=1 prints every
// line with its gist.
func TestReferenceChrF(t *testing.T) {
	g, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if g.Warning() != nil {
		testenv.Missing(t, "CC-CEDICT not installed (scripts/get-cedict.sh)")
	}
	files, err := filepath.Glob(filepath.Join("testdata", "reference", "*.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no reference files in testdata/reference")
	}
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".tsv")
		lines := readReference(t, path)
		if len(lines) == 0 {
			t.Fatalf("%s: no reference lines", path)
		}
		var st chrf.Stats
		for _, l := range lines {
			gist := g.Gloss(l.zh)
			st.Add(gist, l.en)
			if os.Getenv("LEAKSCOPE_EVAL_LINES") != "" {
				t.Logf("%5.1f %s\n      %s\n      %s", chrf.Sentence(gist, l.en), l.zh, gist, l.en)
			}
		}
		score := st.Score()
		fmt.Printf("gloss chrF %-14s %5.1f (%d lines)\n", name, score, len(lines))
		if floor, ok := referenceFloor[name]; ok && score < floor {
			t.Errorf("%s: chrF %.1f below the floor %.1f", name, score, floor)
		}
	}
}
