package office

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/extract/extracttest"
	"github.com/leakscope/leakscope/internal/extract/html"
	"github.com/leakscope/leakscope/internal/extract/legacy"
	"github.com/leakscope/leakscope/internal/extract/text"
	"github.com/leakscope/leakscope/internal/sniff"
)

// documentExtractors are the extractors of this helper's packages: the
// document formats (not images, PDF, archives or mail).
var documentExtractors = []extract.Extractor{
	text.Extractor{}, text.Table{}, html.Extractor{},
	DOCX{}, XLSX{}, PPTX{}, ODF{}, EPUB{}, legacy.Extractor{},
}

// TestRealFormats runs every document extractor over the third-party
// files of ../shared/corpus/real-formats whose sniffed type it claims and
// requires at least 95% of them to yield text or metadata, with no panic.
// The types nobody here claims are logged for the other extractors.
func TestRealFormats(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: runs external tools over hundreds of files")
	}
	root := filepath.Join(corpusDir(t), "real-formats")
	byMIME := map[string]extract.Extractor{}
	for _, e := range documentExtractors {
		for _, m := range e.Accepts() {
			if byMIME[m] != nil {
				t.Fatalf("%s claimed twice", m)
			}
			byMIME[m] = e
		}
	}
	var (
		claimed, ok int
		failures    []string
		unclaimed   = map[string]int{}
		perType     = map[string][2]int{}
	)
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == "SOURCES.md" && filepath.Dir(p) == root {
			return err
		}
		mime, err := sniff.File(p, d.Name())
		if err != nil {
			return err
		}
		e := byMIME[mime]
		if e == nil {
			unclaimed[mime]++
			return nil
		}
		claimed++
		in := extracttest.NewInput(t, p)
		rec, err := extracttest.Run(t.Context(), e, in)
		rel, _ := filepath.Rel(root, p)
		var pe *extracttest.PanicError
		if errors.As(err, &pe) {
			t.Errorf("%s: %v", rel, err)
		}
		if bad := extracttest.Validate(rec); len(bad) > 0 {
			t.Errorf("%s: contract: %v", rel, bad)
		}
		c := perType[mime]
		c[1]++
		if yielded(rec) {
			ok++
			c[0]++
		} else {
			reason := "no text or metadata"
			if err != nil {
				reason = err.Error()
			}
			failures = append(failures, fmt.Sprintf("%s [%s]: %s", rel, mime, firstLine(reason)))
		}
		perType[mime] = c
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if claimed == 0 {
		t.Fatal("no files claimed by the document extractors")
	}
	var types []string
	for m, c := range perType {
		types = append(types, fmt.Sprintf("%s %d/%d", m, c[0], c[1]))
	}
	sort.Strings(types)
	t.Logf("document formats: %d of %d claimed files yield text or metadata (%.1f%%)", ok, claimed, 100*float64(ok)/float64(claimed))
	t.Logf("per type: %s", strings.Join(types, "; "))
	for _, f := range failures {
		t.Logf("failure: %s", f)
	}
	var un []string
	for m, n := range unclaimed {
		un = append(un, fmt.Sprintf("%s %d", m, n))
	}
	sort.Strings(un)
	t.Logf("not claimed here: %s", strings.Join(un, "; "))
	if ok*100 < claimed*95 {
		t.Errorf("%d of %d files yield text or metadata, want at least 95%%", ok, claimed)
	}
}

// yielded reports text, or metadata beyond what every file gets.
func yielded(r *extracttest.Recorder) bool {
	if strings.TrimSpace(strings.ReplaceAll(r.Body(), "\f", "")) != "" {
		return true
	}
	for _, kv := range r.MetaKV {
		switch kv.Key {
		case "charset", "tool", "sheets":
		default:
			if strings.TrimSpace(kv.Value) != "" {
				return true
			}
		}
	}
	return false
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
