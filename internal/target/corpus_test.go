package target_test

import (
	"archive/zip"
	"encoding/xml"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/leakscope/leakscope/internal/charset"
	"github.com/leakscope/leakscope/internal/entity/registry"
	"github.com/leakscope/leakscope/internal/lang"
	. "github.com/leakscope/leakscope/internal/target"
	"github.com/leakscope/leakscope/internal/target/score"
	"github.com/leakscope/leakscope/internal/testenv"
)

// corpusDir walks up to the module root and returns ../shared/corpus.
func corpusDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			testenv.MissingCorpus(t, "module root not found")
		}
		dir = parent
	}
	c := filepath.Join(dir, "..", "shared", "corpus")
	if _, err := os.Stat(filepath.Join(c, "leak-sample.truth.json")); err != nil {
		testenv.MissingCorpus(t, "shared corpus absent")
	}
	return c
}

// readCorpus reads the text-bearing top-level files of leak-sample
// directly (the ingest pipeline is not used here): text formats decoded by
// charset, xlsx sheets as tab-separated Pages, docx paragraphs.
func readCorpus(t *testing.T, root string) []Doc {
	t.Helper()
	var docs []Doc
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if strings.HasPrefix(rel, "misc/") && !strings.HasSuffix(rel, ".txt") {
			return nil
		}
		switch strings.ToLower(filepath.Ext(p)) {
		case ".txt", ".md", ".csv", ".json", ".html":
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			text, _, err := charset.Decode(b)
			if err != nil {
				return nil
			}
			docs = append(docs, Doc{Path: rel, Text: text})
		case ".xlsx":
			pages, err := readXLSX(p)
			if err == nil {
				docs = append(docs, Doc{Path: rel, Pages: pages})
			}
		case ".docx", ".pptx":
			text, err := readOOXML(p)
			if err == nil {
				docs = append(docs, Doc{Path: rel, Text: text})
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return docs
}

var tagRE = regexp.MustCompile(`<[^>]+>`)

func zipFile(zr *zip.ReadCloser, name string) (string, error) {
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				return "", err
			}
			defer rc.Close()
			b, err := io.ReadAll(io.LimitReader(rc, 16<<20))
			return string(b), err
		}
	}
	return "", fs.ErrNotExist
}

func unescape(s string) string {
	var out strings.Builder
	xml.EscapeText(&out, nil)
	r := strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&#39;", "'", "&apos;", "'")
	return r.Replace(s)
}

// readOOXML returns the paragraphs of a docx or the text of a pptx.
func readOOXML(path string) (string, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return "", err
	}
	defer zr.Close()
	var b strings.Builder
	for _, f := range zr.File {
		if f.Name != "word/document.xml" && !strings.HasPrefix(f.Name, "ppt/slides/slide") {
			continue
		}
		x, err := zipFile(zr, f.Name)
		if err != nil {
			return "", err
		}
		x = strings.NewReplacer("</w:p>", "\n", "</a:p>", "\n", "</w:tc>", "\t", "<w:tab/>", "\t").Replace(x)
		b.WriteString(unescape(tagRE.ReplaceAllString(x, "")))
		b.WriteString("\n")
	}
	return b.String(), nil
}

var (
	siRE   = regexp.MustCompile(`(?s)<si>(.*?)</si>`)
	rowRE  = regexp.MustCompile(`(?s)<row[^>]*>(.*?)</row>`)
	cellRE = regexp.MustCompile(`(?s)<c r="([A-Z]+)\d+"([^>]*?)(?:/>|>(.*?)</c>)`)
	vRE    = regexp.MustCompile(`(?s)<v>(.*?)</v>`)
	isRE   = regexp.MustCompile(`(?s)<is>(.*?)</is>`)
)

// readXLSX returns each sheet as rows of tab-separated cells.
func readXLSX(path string) ([]Page, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	var shared []string
	if ss, err := zipFile(zr, "xl/sharedStrings.xml"); err == nil {
		for _, m := range siRE.FindAllStringSubmatch(ss, -1) {
			shared = append(shared, unescape(tagRE.ReplaceAllString(m[1], "")))
		}
	}
	var names []string
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, "xl/worksheets/sheet") {
			names = append(names, f.Name)
		}
	}
	slices.Sort(names)
	var pages []Page
	for _, n := range names {
		x, err := zipFile(zr, n)
		if err != nil {
			return nil, err
		}
		var b strings.Builder
		for _, row := range rowRE.FindAllStringSubmatch(x, -1) {
			var cells []string
			for _, c := range cellRE.FindAllStringSubmatch(row[1], -1) {
				col := 0
				for _, ch := range c[1] {
					col = col*26 + int(ch-'A'+1)
				}
				for len(cells) < col-1 {
					cells = append(cells, "")
				}
				v := ""
				if m := vRE.FindStringSubmatch(c[3]); m != nil {
					v = m[1]
					if strings.Contains(c[2], `t="s"`) {
						var i int
						for _, ch := range v {
							i = i*10 + int(ch-'0')
						}
						if i < len(shared) {
							v = shared[i]
						}
					}
				} else if m := isRE.FindStringSubmatch(c[3]); m != nil {
					v = tagRE.ReplaceAllString(m[1], "")
				}
				cells = append(cells, unescape(v))
			}
			b.WriteString(strings.Join(cells, "\t"))
			b.WriteString("\n")
		}
		pages = append(pages, Page{Label: n, Text: b.String()})
	}
	return pages, nil
}

// TestCorpus builds the register of the shared corpus and scores it with
// the truth file. It reports the numbers and fails only when recall
// collapses, which would mean the register is broken rather than imperfect.
func TestCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: reads the shared corpus")
	}
	c := corpusDir(t)
	truth, err := score.ReadTruth(filepath.Join(c, "leak-sample.truth.json"))
	if err != nil {
		t.Fatal(err)
	}
	docs := readCorpus(t, filepath.Join(c, "leak-sample"))
	if len(docs) == 0 {
		t.Fatal("no corpus documents read")
	}
	targets := Build(slices.Values(docs), Options{Fold: lang.Fold})
	rep := score.Score(targets, truth)
	t.Log(rep)
	for _, r := range rep.Rows {
		t.Logf("  %s %-45s found=%q country=%v volume=%v date=%v", r.ID, r.Name, r.Found, r.CountryOK, r.VolumeOK, r.DateOK)
	}
	for _, fp := range rep.FalsePositiveNames {
		t.Logf("  false positive: %s", fp)
	}
	if rep.Recall < 0.5 {
		t.Errorf("recall %.2f < 0.5", rep.Recall)
	}

	// Entities.
	byKey := map[string]*score.Entity{}
	var ents []score.Entity
	for _, d := range docs {
		texts := []string{d.Text}
		for _, p := range d.Pages {
			texts = append(texts, p.Text)
		}
		for _, tx := range texts {
			for _, m := range registry.Scan([]byte(tx)) {
				k := string(m.Kind) + "\x00" + m.Norm
				if byKey[k] == nil {
					byKey[k] = &score.Entity{Type: string(m.Kind), Value: m.Norm}
				}
				byKey[k].Paths = append(byKey[k].Paths, d.Path)
			}
		}
	}
	for _, e := range byKey {
		ents = append(ents, *e)
	}
	for _, r := range score.ScoreEntities(ents, truth) {
		t.Logf("entities %-7s truth %2d predicted %2d precision %.2f recall %.2f missed %v false %v", r.Type, r.Truth, r.Predicted, r.Precision, r.Recall, r.Missed, r.FalsePositive)
	}
}
