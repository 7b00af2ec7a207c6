package gloss

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/leakscope/leakscope/internal/lang"
	"github.com/leakscope/leakscope/internal/translate/gloss/cedict"
)

//go:embed glossary.tsv
var glossaryTSV string

// ErrNoDictionary is reported by Warning when CC-CEDICT was not found: the
// gloss then covers only the domain glossary, and unknown words stay in
// Chinese. It is cedict.ErrNoDictionary, so errors.Is matches either.
var ErrNoDictionary = cedict.ErrNoDictionary

// CedictFile is the file name looked for in the data directory.
const CedictFile = cedict.File

// dict maps folded (simplified) Chinese words to one short English gloss.
type dict struct {
	words  map[string]string
	maxLen int // longest key in runes
}

func newDict() *dict { return &dict{words: map[string]string{}} }

func (d *dict) add(word, gloss string) {
	word = lang.Fold(strings.TrimSpace(word))
	gloss = strings.TrimSpace(gloss)
	if word == "" || gloss == "" {
		return
	}
	d.words[word] = gloss
	d.maxLen = max(d.maxLen, utf8.RuneCountInString(word))
}

// longest returns the length in runes of the longest key that is a prefix of
// rs[i:], and its gloss; 0 if none.
func (d *dict) longest(rs []rune, i int) (int, string) {
	for n := min(d.maxLen, len(rs)-i); n > 0; n-- {
		if g, ok := d.words[string(rs[i:i+n])]; ok {
			return n, g
		}
	}
	return 0, ""
}

// parseGlossary reads the embedded TSV glossary.
func parseGlossary(src string) (*dict, error) {
	d := newDict()
	for n, line := range strings.Split(src, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		zh, en, ok := strings.Cut(line, "\t")
		if !ok {
			return nil, fmt.Errorf("glossary line %d: no tab", n+1)
		}
		d.add(zh, en)
	}
	return d, nil
}

// CedictPaths lists where the loader looks for CC-CEDICT, in order:
// $LEAKSCOPE_CEDICT, then $XDG_DATA_HOME/leakscope/cedict_ts.u8 (default
// ~/.local/share/leakscope/cedict_ts.u8), which is where
// scripts/get-cedict.sh puts it.
func CedictPaths() []string { return cedict.Paths() }

// findCedict opens the first CC-CEDICT found, or returns ErrNoDictionary.
func findCedict() (*os.File, error) {
	for _, p := range CedictPaths() {
		f, err := os.Open(p)
		if err == nil {
			return f, nil
		}
	}
	return nil, ErrNoDictionary
}

// skipSense reports whether a CC-CEDICT sense is a cross-reference or a
// surname rather than a meaning worth showing in a gist.
func skipSense(s string) bool {
	for _, p := range []string{"surname ", "variant of", "old variant", "see ", "see also", "used in ", "CL:", "Taiwan pr.", "also pr.", "archaic variant", "erhua variant", "abbr. for ", "(old)", "Japanese variant", "(onom.)", "(Cantonese)", "(dialect)"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// cleanSense shortens a sense for a gist: no trailing "(...)" notes and no
// pinyin cross references.
func cleanSense(s string) string {
	if i := strings.IndexByte(s, '['); i > 0 {
		if j := strings.IndexByte(s[i:], ']'); j > 0 {
			s = s[:i] + s[i+j+1:]
		}
	}
	s = strings.TrimSpace(s)
	if strings.HasSuffix(s, ")") {
		if i := strings.LastIndex(s, " ("); i > 0 {
			s = strings.TrimSpace(s[:i])
		}
	}
	for strings.HasPrefix(s, "(") {
		j := strings.IndexByte(s, ')')
		if j < 0 || j == len(s)-1 {
			break
		}
		s = strings.TrimSpace(s[j+1:])
	}
	return s
}

// readCedict adds CC-CEDICT's entries ("TRAD SIMP [pin1 yin1] /sense/sense/")
// to d, keyed by the simplified form. The first entry of a word with a
// usable sense wins; surnames and cross references are skipped.
func readCedict(r io.Reader, d *dict) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		_, rest, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		simp, rest, ok := strings.Cut(rest, " ")
		if !ok {
			continue
		}
		i := strings.IndexByte(rest, '/')
		if i < 0 {
			continue
		}
		key := lang.Fold(simp)
		if _, seen := d.words[key]; seen {
			continue
		}
		classifier := false
		for _, sense := range strings.Split(strings.Trim(rest[i:], "/ "), "/") {
			sense = strings.TrimSpace(sense)
			if strings.HasPrefix(sense, "classifier for") || strings.HasPrefix(sense, "(classifier") {
				classifier = true
				continue
			}
			if sense == "" || skipSense(sense) {
				continue
			}
			if c := cleanSense(sense); c != "" && !strings.HasPrefix(c, "(") {
				d.add(key, c)
				classifier = false
				break
			}
		}
		if classifier {
			// Only a measure word: it adds nothing to a gist.
			d.words[key] = ""
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read cc-cedict: %w", err)
	}
	return nil
}

// DictionaryWarning reports, without loading it, whether New will find
// CC-CEDICT: nil if a file is where CedictPaths looks, else
// ErrNoDictionary. Callers that load the Glosser lazily use it to name the
// backend (Name or NameNoDict) and warn up front.
func DictionaryWarning() error {
	for _, p := range CedictPaths() {
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return nil
		}
	}
	return ErrNoDictionary
}
