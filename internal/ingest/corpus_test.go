package ingest_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/corpus"
	"github.com/leakscope/leakscope/internal/ingest"
	"github.com/leakscope/leakscope/internal/store"
)

// TestCorpus ingests the shared leak sample and checks the ingest issue's
// acceptance: every file (archive members, mail parts and git history
// included) is a document or an occurrence with the right hash, identical
// files are one document, every hostile file carries an error or a flag,
// and nothing was written outside the case.
func TestCorpus(t *testing.T) {
	dir := corpus.Require(t)
	if testing.Short() {
		t.Skip("slow: OCR of the corpus")
	}
	truth, err := corpus.ReadTruth(dir)
	if err != nil {
		t.Fatal(err)
	}
	probes, _ := filepath.Glob("/tmp/leakwb_probe_*")
	if len(probes) > 0 {
		t.Logf("probe files exist before the test (%v); the no-escape check is weaker", probes)
	}
	ctx := context.Background()
	c, err := casedir.Open(ctx, filepath.Join(t.TempDir(), "case"), casedir.Write)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sum, err := ingest.New(c, ingest.Options{}).Run(ctx, []string{filepath.Join(dir, "leak-sample")})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("summary %+v", sum)

	docs, err := c.Store.Documents(ctx, store.DocFilter{})
	if err != nil {
		t.Fatal(err)
	}
	byPath := map[string]store.DocInfo{}
	for _, d := range docs {
		for _, p := range d.Paths() {
			byPath[p] = d
		}
	}
	if len(truth.Files) == 0 {
		t.Fatal("truth lists no files")
	}
	for _, f := range truth.Files {
		d, ok := byPath[f.Path]
		if !ok {
			t.Errorf("%s: not ingested", f.Path)
			continue
		}
		if d.ID.String() != f.SHA256 {
			t.Errorf("%s: id %s, want %s", f.Path, d.ID, f.SHA256)
		}
	}
	for _, group := range truth.Duplicates {
		first := byPath[group[0]].ID
		for _, p := range group[1:] {
			if byPath[p].ID != first {
				t.Errorf("duplicates %s and %s are different documents", group[0], p)
			}
		}
	}
	problems, err := c.Store.Problems(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range truth.Hostile {
		d, ok := byPath[h.Path]
		if !ok {
			t.Errorf("hostile %s: not ingested", h.Path)
			continue
		}
		flagged := d.Status != "ok" || len(d.Flags) > 0 || len(d.Occs) > 1
		for _, o := range d.Occs {
			flagged = flagged || len(o.Flags) > 0
		}
		if !flagged {
			t.Errorf("hostile %s (%s): no error and no flag", h.Path, h.Kind)
		}
	}
	if len(problems) == 0 {
		t.Error("no member was refused: the links and bombs of misc/ should be")
	}
	after, _ := filepath.Glob("/tmp/leakwb_probe_*")
	if len(after) > len(probes) {
		t.Errorf("files written outside the case: %v", after)
	}
	for _, p := range []string{"/etc/passwd"} {
		if _, err := os.Stat(p); err == nil {
			if _, ok := byPath["misc/config_backup.tar.gz!/bundle/passwd"]; ok {
				t.Errorf("the passwd link was read into the corpus")
			}
		}
	}
}
