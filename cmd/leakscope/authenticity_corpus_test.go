package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/leakscope/leakscope/internal/authenticity"
	"github.com/leakscope/leakscope/internal/corpus"
	"github.com/leakscope/leakscope/internal/leak"
)

// corpusTruth is the part of a truth file this test reads: each file's
// flags and EXIF, and the planted hostile files.
type corpusTruth struct {
	Files []struct {
		Path  string   `json:"path"`
		Flags []string `json:"flags"`
		EXIF  struct {
			Model string `json:"model"`
		} `json:"exif"`
	} `json:"files"`
	Duplicates [][]string `json:"duplicates"`
}

// TestAuthenticityCorpus ingests and analyses each shared leak sample and
// checks the report against what its truth file lists: the corpus's zone
// (UTC+8) and office hours of mail and document times, every camera model among the producers, every
// planted duplicate and every file flagged extension-mismatch found with
// its path. Other findings are logged, for the report of the run.
func TestAuthenticityCorpus(t *testing.T) {
	dir := corpus.Require(t)
	if testing.Short() {
		t.Skip("slow: ingests and analyses the shared corpus")
	}
	for _, name := range []string{"leak-sample", "leak-sample-2"} {
		t.Run(name, func(t *testing.T) {
			var truth corpusTruth
			b, err := os.ReadFile(filepath.Join(dir, name+".truth.json"))
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(b, &truth); err != nil {
				t.Fatal(err)
			}
			if len(truth.Files) == 0 {
				t.Fatal("truth lists no files")
			}
			caseDir := filepath.Join(t.TempDir(), "case")
			ctx := t.Context()
			g := testGlobals(caseDir, io.Discard)
			if err := runIngest(ctx, &ingestOptions{limits: leak.DefaultLimits(), workers: 2}, g, []string{filepath.Join(dir, name)}); err != nil {
				t.Fatal(err)
			}
			if err := runAnalyse(ctx, g, false); err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			if err := runAuthenticity(ctx, authenticityOptions{}, cliGlobals(caseDir, "json", &out)); err != nil {
				t.Fatal(err)
			}
			var r authenticity.Report
			if err := json.Unmarshal(out.Bytes(), &r); err != nil {
				t.Fatal(err)
			}
			checkCorpusReport(t, r, truth)
		})
	}
}

func checkCorpusReport(t *testing.T, r authenticity.Report, truth corpusTruth) {
	t.Helper()
	if !strings.HasPrefix(r.Zone, "UTC+08:00") {
		t.Errorf("dominant zone %q, want UTC+08:00", r.Zone)
	}
	office, all := 0, 0
	for _, d := range r.Distributions {
		switch d.Source {
		case authenticity.SourceMail, authenticity.SourceCreated, authenticity.SourceModified:
			office += d.Office
			all += d.Count
		}
	}
	if all == 0 || office*2 < all {
		t.Errorf("mail and document times in office hours: %d of %d, want most", office, all)
	}
	t.Logf("zone %s; mail and document times in office hours: %d of %d", r.Zone, office, all)
	var producers []string
	for _, p := range r.Producers {
		producers = append(producers, p.Value)
	}
	found := map[string][]string{} // rule -> paths
	for _, f := range r.Findings {
		for _, e := range f.Evidence {
			found[f.Rule] = append(found[f.Rule], e.Path)
			for k, v := range e.Values {
				if strings.HasPrefix(k, "path_") {
					found[f.Rule] = append(found[f.Rule], v)
				}
			}
		}
	}
	for _, f := range truth.Files {
		if f.EXIF.Model != "" && !slices.Contains(producers, f.EXIF.Model) {
			t.Errorf("camera %q of %s not among the producers", f.EXIF.Model, f.Path)
		}
		if slices.Contains(f.Flags, "extension-mismatch") && !slices.Contains(found[authenticity.RuleExtensionMismatch], f.Path) {
			t.Errorf("%s: planted extension mismatch not found", f.Path)
		}
	}
	for _, group := range truth.Duplicates {
		for _, p := range group {
			if !slices.Contains(found[authenticity.RuleDuplicate], p) {
				t.Errorf("%s: planted duplicate not found", p)
			}
		}
	}
	for _, f := range r.Findings {
		if f.Rule != authenticity.RuleDuplicate {
			t.Logf("finding %s: %s: %s %v", f.Rule, f.Summary, f.Evidence[0].Path, f.Evidence[0].Values)
		}
	}
}
