package caseview

import (
	"context"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"
	"unicode"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/corpus"
	"github.com/leakscope/leakscope/internal/enrich"
	"github.com/leakscope/leakscope/internal/index"
	"github.com/leakscope/leakscope/internal/index/bleve"
	"github.com/leakscope/leakscope/internal/ingest"
	"github.com/leakscope/leakscope/internal/lang"
	"github.com/leakscope/leakscope/internal/store"
)

// scriptProbes picks up to n two-character Han words of text whose form
// in the other script (conv) differs, returning them converted: searching
// them must find text.
func scriptProbes(text string, conv func(string) string, n int) []string {
	var out []string
	rs := []rune(text)
	for i := 0; i+1 < len(rs) && len(out) < n; i++ {
		if !unicode.Is(unicode.Han, rs[i]) || !unicode.Is(unicode.Han, rs[i+1]) {
			continue
		}
		w := string(rs[i : i+2])
		if c := conv(w); c != w && !slices.Contains(out, c) {
			out = append(out, c)
			i++ // the next probe starts after this word
		}
	}
	return out
}

// TestCorpusScripts indexes the shared leak sample and checks that a word
// written in simplified characters finds the documents written in
// traditional ones and the other way round, on every Chinese document
// (not on chosen words): the probes are taken from each document's own
// text and converted to the other script.
func TestCorpusScripts(t *testing.T) {
	dir := corpus.Require(t)
	if testing.Short() {
		t.Skip("slow: ingests the shared corpus")
	}
	ctx := context.Background()
	c, err := casedir.Open(ctx, filepath.Join(t.TempDir(), "case"), casedir.Write)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := ingest.New(c, ingest.Options{}).Run(ctx, []string{filepath.Join(dir, "leak-sample")}); err != nil {
		t.Fatal(err)
	}
	x, err := bleve.Open(c.IndexDir())
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	ix, err := enrich.NewIndex(ctx, c, x)
	if err != nil {
		t.Fatal(err)
	}
	if err := ingest.RunStages(ctx, c, []ingest.Stage{enrich.Lang{}}, 0, nil); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := ingest.RunStages(ctx, c, []ingest.Stage{ix}, 0, nil); err != nil {
		t.Fatal(err)
	}
	n, _ := x.Count()
	t.Logf("indexed %d documents of the leak sample in %s", n, time.Since(start))

	b := New(c, x, nil)
	type probe struct {
		doc, path, query string
	}
	var probes []probe
	docs, err := c.Store.Documents(ctx, store.DocFilter{Status: "ok"})
	if err != nil {
		t.Fatal(err)
	}
	scripts := map[string]int{}
	for _, d := range docs {
		var conv func(string) string
		switch d.Language {
		case "zh-Hant":
			conv = lang.ToSimplified
		case "zh-Hans":
			conv = lang.ToTraditional
		default:
			continue
		}
		text, _, err := c.Store.Text(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range scriptProbes(text, conv, 3) {
			probes = append(probes, probe{d.ID.String(), d.Paths()[0], q})
			scripts[d.Language]++
		}
	}
	if scripts["zh-Hant"] == 0 || scripts["zh-Hans"] == 0 {
		t.Fatalf("probes per script %v: the corpus should have documents in both", scripts)
	}
	var lat []time.Duration
	for _, p := range probes {
		q := "id:" + p.doc + " " + strconv.Quote(p.query)
		st := time.Now()
		res, err := b.Search(ctx, index.Query{Text: q, Limit: 1})
		lat = append(lat, time.Since(st))
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if res.Total != 1 {
			t.Errorf("%q (converted from %s) does not find it", p.query, p.path)
		}
	}
	slices.Sort(lat)
	t.Logf("%d probes (%v); search latency p50 %s, max %s", len(probes), scripts, lat[len(lat)/2], lat[len(lat)-1])
}
