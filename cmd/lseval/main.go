// Command lseval scores a leakscope case built from the shared evaluation
// corpus against the corpus' ground truth: language detection, OCR
// character recall and error rate, the target register, entities, chats,
// and format coverage on a case of real third-party files. `make eval`
// builds the cases and runs it.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/chat/score"
	"github.com/leakscope/leakscope/internal/corpus"
	"github.com/leakscope/leakscope/internal/enrich"
	"github.com/leakscope/leakscope/internal/ocr/ocreval"
	"github.com/leakscope/leakscope/internal/store"
	tscore "github.com/leakscope/leakscope/internal/target/score"
)

func main() {
	caseDir := flag.String("case", "", "case built from the synthetic leak named by --sample")
	sample := flag.String("sample", "leak-sample", "the synthetic leak the case was built from (leak-sample, leak-sample-2)")
	formats := flag.String("formats-case", "", "case built from real-formats (optional)")
	corpusDir := flag.String("corpus", corpus.Dir(), "shared corpus directory")
	flag.Parse()
	ctx := context.Background()
	if *caseDir == "" && *formats != "" {
		// Format coverage alone: a case of real-formats needs no truth.
		if err := coverage(ctx, *formats); err != nil {
			fmt.Fprintln(os.Stderr, "lseval:", err)
			os.Exit(1)
		}
		return
	}
	if *caseDir == "" || *corpusDir == "" {
		fmt.Fprintln(os.Stderr, "usage: lseval --case DIR [--formats-case DIR] [--corpus DIR]\n       lseval --formats-case DIR")
		os.Exit(2)
	}
	fmt.Printf("==== %s\n", *sample)
	if err := run(ctx, *caseDir, *formats, *corpusDir, *sample); err != nil {
		fmt.Fprintln(os.Stderr, "lseval:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, caseDir, formatsCase, corpusDir, sample string) error {
	c, err := casedir.Open(ctx, caseDir, casedir.ReadOnly)
	if err != nil {
		return err
	}
	defer c.Close()
	truth, err := corpus.ReadTruthOf(corpusDir, sample)
	if err != nil {
		return err
	}
	docs, err := c.Store.Documents(ctx, store.DocFilter{})
	if err != nil {
		return err
	}
	byPath := map[string]store.DocInfo{}
	for _, d := range docs {
		for _, p := range d.Paths() {
			byPath[p] = d
		}
	}

	// Ingest coverage.
	missing := 0
	for _, f := range truth.Files {
		if _, ok := byPath[f.Path]; !ok {
			missing++
			fmt.Printf("  not ingested: %s\n", f.Path)
		}
	}
	fmt.Printf("== ingest: %d/%d truth files are documents or occurrences\n", len(truth.Files)-missing, len(truth.Files))

	// Language.
	var langOK, langN int
	for _, f := range truth.Files {
		d, ok := byPath[f.Path]
		if !ok || len(f.Languages) == 0 || d.Status != "ok" {
			continue
		}
		langN++
		if d.Language == f.Languages[0] {
			langOK++
		} else {
			fmt.Printf("  language %s: got %q want %q\n", f.Path, d.Language, f.Languages[0])
		}
	}
	fmt.Printf("== language: %d/%d = %.3f match the truth's first language\n", langOK, langN, ratio(langOK, langN))

	// OCR.
	type ocrRow struct {
		kind string
		s    ocreval.Score
	}
	var rows []ocrRow
	for _, f := range truth.Files {
		if !f.OCRRequired || f.OCRText == "" || f.Container != "" {
			continue
		}
		d, ok := byPath[f.Path]
		if !ok {
			continue
		}
		text, _, err := c.Store.Text(ctx, d.ID)
		if err != nil {
			continue
		}
		rows = append(rows, ocrRow{f.Format, ocreval.Compare(f.OCRText, text)})
	}
	byKind := map[string][]ocreval.Score{}
	for _, r := range rows {
		byKind[r.kind] = append(byKind[r.kind], r.s)
	}
	var kinds []string
	for k := range byKind {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	var allR, allC float64
	for _, k := range kinds {
		var r, cer float64
		for _, s := range byKind[k] {
			r += s.Recall
			cer += s.CER
		}
		n := float64(len(byKind[k]))
		allR += r
		allC += cer
		fmt.Printf("  ocr %-16s n=%-2d recall %.3f  CER %.3f\n", k, len(byKind[k]), r/n, cer/n)
	}
	if len(rows) > 0 {
		fmt.Printf("== ocr: %d files, mean character recall %.3f, mean CER %.3f\n", len(rows), allR/float64(len(rows)), allC/float64(len(rows)))
	}

	// Targets and entities.
	tt, err := tscore.ReadTruth(filepath.Join(corpusDir, sample+".truth.json"))
	if err != nil {
		return err
	}
	targets, err := enrich.LoadTargets(ctx, c, nil)
	if err != nil {
		return err
	}
	rep := tscore.Score(targets, tt)
	fmt.Printf("== targets\n%s\n", rep)
	ents, err := c.Store.Entities(ctx, "")
	if err != nil {
		return err
	}
	var se []tscore.Entity
	for _, e := range ents {
		se = append(se, tscore.Entity{Type: e.Type, Value: e.Value, Paths: e.Paths})
	}
	fmt.Println("== entities")
	for _, r := range tscore.ScoreEntities(se, tt) {
		fmt.Printf("  %+v\n", r)
	}

	// Chats.
	raw, err := os.ReadFile(filepath.Join(corpusDir, sample+".truth.json"))
	if err != nil {
		return err
	}
	ct, err := score.ParseTruth(raw)
	if err != nil {
		return err
	}
	ch, err := enrich.LoadChats(ctx, c)
	if err != nil {
		return err
	}
	var convs []score.Conv
	for _, cv := range ch.Conversations {
		sc := score.Conv{Source: cv.Source, PerParticipant: map[string]int{}}
		for _, m := range cv.Messages {
			if m.System {
				continue
			}
			sc.Messages++
			sc.PerParticipant[m.Sender]++
			if t, err := time.Parse(time.RFC3339, m.Time); err == nil {
				if sc.First.IsZero() || t.Before(sc.First) {
					sc.First = t
				}
				if t.After(sc.Last) {
					sc.Last = t
				}
			}
		}
		convs = append(convs, sc)
	}
	var persons []score.Person
	for _, p := range ch.Persons {
		persons = append(persons, score.Person{Name: p.Name, Aliases: p.Aliases})
	}
	fmt.Printf("== chats\n%s\n", score.Score(ct, convs, persons))

	if err := printSearchScore(ctx, c, filepath.Join(corpusDir, sample+".truth.json")); err != nil {
		return err
	}
	if formatsCase != "" {
		return coverage(ctx, formatsCase)
	}
	return nil
}

// coverage reports the share of documents of the real-formats case that
// yielded text or metadata, with every failure and its reason.
func coverage(ctx context.Context, dir string) error {
	c, err := casedir.Open(ctx, dir, casedir.ReadOnly)
	if err != nil {
		return err
	}
	defer c.Close()
	docs, err := c.Store.Documents(ctx, store.DocFilter{})
	if err != nil {
		return err
	}
	top, yielded := 0, 0
	var fails []string
	byExt := map[string]*formatShare{}
	// A container (zip, mbox, PST) is parsed when its members came out:
	// its own text is empty by design.
	containers := map[string]bool{}
	for _, d := range docs {
		for _, p := range d.Paths() {
			if i := strings.Index(p, "!/"); i > 0 {
				containers[p[:i]] = true
			}
		}
	}
	for _, d := range docs {
		// A document is top-level when any of its paths is: the bytes of
		// a top-level file may also be embedded in another (a workbook in
		// a presentation), and "x.ppt!/..." sorts before "y.xlsx".
		var paths []string
		for _, p := range d.Paths() {
			if !strings.Contains(p, "!/") {
				paths = append(paths, p)
			}
		}
		if len(paths) == 0 || paths[0] == "SOURCES.md" {
			continue // members count with their container
		}
		top++
		text, _, _ := c.Store.Text(ctx, d.ID)
		// Each occurrence counts with its own extension: a file copied
		// under two names is two files of the evaluation.
		for _, p := range paths {
			ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(p), "."))
			fs := byExt[ext]
			if fs == nil {
				fs = &formatShare{}
				byExt[ext] = fs
			}
			fs.add(d, text, containers[p])
		}
		if strings.TrimSpace(text) != "" || len(d.Meta) > 0 {
			yielded++
			continue
		}
		fails = append(fails, fmt.Sprintf("  %s  %s  %s: %s", paths[0], d.MIME, d.Status, firstLine(d.Error)))
	}
	sort.Strings(fails)
	for _, f := range fails {
		fmt.Println(f)
	}
	printShares(byExt)
	fmt.Printf("== real-formats: %d/%d = %.3f top-level files yield text or metadata\n", yielded, top, ratio(yielded, top))
	return nil
}

// formatShare counts the files of one extension by what came out of them.
type formatShare struct {
	n       int
	parsed  int // text or members from an extractor that understands the format
	strings int // text only from the printable-strings fallback
	meta    int // metadata without text
	none    int // nothing, or a failure
}

// fallbackExtractors name the extractors whose text does not come from
// understanding the format: printable strings of a binary.
var fallbackExtractors = map[string]bool{"strings": true}

func (f *formatShare) add(d store.DocInfo, text string, members bool) {
	f.n++
	switch {
	case fallbackExtractors[d.Extractor] && strings.TrimSpace(text) != "":
		f.strings++
	case members || strings.TrimSpace(text) != "":
		f.parsed++
	case len(d.Meta) > 0:
		f.meta++
	default:
		f.none++
	}
}

// printShares prints, per extension, the share of files with text from a
// format-aware parser, then the total share.
func printShares(byExt map[string]*formatShare) {
	exts := make([]string, 0, len(byExt))
	for e := range byExt {
		exts = append(exts, e)
	}
	sort.Strings(exts)
	var all formatShare
	fmt.Println("== real-formats per format: files, share parsed (text or members), strings only, metadata only, nothing")
	for _, e := range exts {
		f := byExt[e]
		fmt.Printf("  %-8s n=%-3d parsed %.2f  strings %d  meta %d  none %d\n", e, f.n, ratio(f.parsed, f.n), f.strings, f.meta, f.none)
		all.n += f.n
		all.parsed += f.parsed
	}
	fmt.Printf("== real-formats: %d/%d = %.3f files with text or members from a format-aware parser\n", all.parsed, all.n, ratio(all.parsed, all.n))
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}
