package gloss

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode"
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

// longestAt returns the length in runes of the longest key that is a
// prefix of line l from rune i, and its gloss; 0 if none. It probes
// substrings of the line's text rather than allocating one per probe.
func (d *dict) longestAt(l *line, i int) (int, string) {
	for n := min(d.maxLen, len(l.folded)-i); n > 0; n-- {
		if g, ok := d.words[l.sub(i, i+n)]; ok {
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

// skipSense reports whether a CC-CEDICT sense is a cross-reference, a
// surname, a usage note or a description of grammar rather than a meaning
// worth showing in a gist ("prefix used before monosyllabic names").
func skipSense(s string) bool {
	for _, p := range []string{"surname ", "variant of", "old variant", "see ", "see also", "used in ", "CL:", "Taiwan pr.", "also pr.", "archaic variant", "erhua variant", "abbr. for ", "(old)", "Japanese variant", "(onom.)", "(Cantonese)", "(dialect)", "prefix ", "suffix ", "particle ", "(particle", "(classical)", "(literary)", "(archaic)", "(bound form)", "used before", "used after", "used to ", "used for ", "used as ", "interjection", "(euph.)", "(slang)", "(Tw)", "(coll.)", "(math.)"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return strings.Contains(s, "classifier")
}

// cleanSense shortens a sense for a gist: no "(...)" notes, no pinyin cross
// references, no "to" of an infinitive and no "sb"/"sth" placeholders, so
// that a verb reads in running text ("to apply for sth" -> "apply for").
func cleanSense(s string) string {
	for {
		i := strings.IndexByte(s, '[')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], ']')
		if j < 0 {
			break
		}
		s = s[:i] + s[i+j+1:]
	}
	for {
		i := strings.IndexByte(s, '(')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], ')')
		if j < 0 {
			break
		}
		s = s[:i] + " " + s[i+j+1:]
	}
	// Chinese left in a sense is a cross reference (昆明市).
	s = strings.Map(func(r rune) rune {
		if isHan(r) || r == '|' {
			return -1
		}
		return r
	}, s)
	var words []string
	for i, w := range strings.Fields(s) {
		if i == 0 && w == "to" {
			continue
		}
		if w == "sb" || w == "sth" || w == "sb's" || w == "etc" {
			continue
		}
		words = append(words, w)
	}
	s = strings.Join(words, " ")
	return strings.Trim(s, " ,;:")
}

// maxSenseWords is the longest sense, in words, preferred for a gist; a
// longer first sense gives way to a later short one ("to make a mistake
// in calculation" -> "miscalculate"), and is kept only when no sense is
// short.
const maxSenseWords = 4

// pickSense chooses the gist of one CC-CEDICT entry from its senses: the
// first usable short one, else the first usable one. It reports how many
// senses the entry has (a word's main reading has the most) and whether it
// is only a measure word.
func pickSense(senses []string) (gloss string, n int, classifier bool) {
	long := ""
	for _, sense := range senses {
		sense = strings.TrimSpace(sense)
		if sense == "" {
			continue
		}
		n++
		if strings.HasPrefix(sense, "classifier for") || strings.HasPrefix(sense, "(classifier") {
			classifier = true
			continue
		}
		if gloss != "" || skipSense(sense) {
			continue
		}
		c := cleanSense(sense)
		if c == "" {
			continue
		}
		if len(strings.Fields(c)) <= maxSenseWords {
			gloss = c
		} else if long == "" {
			long = c
		}
	}
	if gloss == "" {
		gloss = long
	}
	return gloss, n, classifier && gloss == ""
}

// lexicon is CC-CEDICT read for a gist: common words, proper nouns and the
// reading of every single character, kept apart so that a place or a
// surname never replaces an everyday word (台 is "platform", not Taiwan,
// unless the segmenter says the word is a name).
type lexicon struct {
	common *dict
	// proper maps a word that CC-CEDICT lists as a proper noun (pinyin
	// capitalised) to its English name: a short sense ("NATO"), or the
	// romanised reading when the sense describes rather than names
	// ("Dongchuan district of Kunming city, Yunnan" -> "Dongchuan").
	proper map[string]string
	// reading is the toneless pinyin of a character's main reading: of
	// its common entries, the one with the most senses (阿 is "a", not the
	// one-sense "e").
	reading map[rune]string
	// properReading is the reading of a character in proper nouns, which
	// is how it spells foreign names.
	properReading map[rune]string
}

// candidate is the best entry seen so far for one word.
type candidate struct {
	gloss  string
	senses int
}

// readingOf is the best single-character reading seen so far.
type readingOf struct {
	reading string
	senses  int
}

// better reports whether entry c should replace the current best b: an
// entry with a gloss beats a measure word, and then the one with more
// senses is the word's main reading (打 [da3] "hit", not [da2] "dozen").
func (c candidate) better(b candidate, seen bool) bool {
	if !seen {
		return true
	}
	if (c.gloss != "") != (b.gloss != "") {
		return c.gloss != ""
	}
	return c.senses > b.senses
}

// properName is the English of a proper-noun entry: the sense when it is
// a short name, else the romanised reading.
func properName(gloss, pinyin string) string {
	ws := strings.Fields(gloss)
	short := len(ws) > 0 && len(ws) <= 3 && unicode.IsUpper([]rune(ws[0])[0])
	for _, w := range ws {
		if w == "of" || w == "in" || w == "abbr." || w == "surname" || strings.ContainsAny(w, ",;0123456789") {
			short = false
		}
	}
	if short {
		return gloss
	}
	return romanise(strings.Fields(pinyin))
}

// romanise joins toneless syllables into one capitalised word:
// "Dong1 chuan1" -> "Dongchuan".
func romanise(syls []string) string {
	var b strings.Builder
	for _, s := range syls {
		s = strings.ToLower(strings.TrimRight(s, "012345"))
		s = strings.ReplaceAll(s, "u:", "u")
		for _, r := range s {
			if r < 'a' || r > 'z' {
				return ""
			}
		}
		b.WriteString(s)
	}
	out := b.String()
	if out == "" {
		return ""
	}
	return strings.ToUpper(out[:1]) + out[1:]
}

// readCedict reads CC-CEDICT's entries ("TRAD SIMP [pin1 yin1] /sense/sense/"),
// keyed by the simplified form. Of a word's common entries the one with the
// most senses wins; proper nouns (capitalised pinyin) go to their own table.
func readCedict(r io.Reader) (*lexicon, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	common := map[string]candidate{}
	proper := map[string]string{}
	properReading := map[rune]string{}
	readings := map[rune]readingOf{}
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
		if !ok || !strings.HasPrefix(rest, "[") {
			continue
		}
		end := strings.IndexByte(rest, ']')
		i := strings.IndexByte(rest, '/')
		if end < 0 || i < end {
			continue
		}
		pinyin := rest[1:end]
		key := lang.Fold(simp)
		senses := strings.Split(strings.Trim(rest[i:], "/ "), "/")
		gloss, n, classifier := pickSense(senses)
		syls := strings.Fields(pinyin)
		isProper := pinyin != "" && unicode.IsUpper(rune(pinyin[0]))
		if len(syls) == 1 && utf8.RuneCountInString(key) == 1 && !isProper {
			r, _ := utf8.DecodeRuneInString(key)
			if b, seen := readings[r]; !seen || len(senses) > b.senses {
				readings[r] = readingOf{strings.ToLower(romanise(syls)), len(senses)}
			}
		}
		if gloss == "" && !classifier {
			continue
		}
		if isProper {
			if _, seen := proper[key]; !seen && gloss != "" {
				if name := properName(gloss, pinyin); name != "" {
					proper[key] = name
				}
			}
			if len(syls) == 1 && utf8.RuneCountInString(key) == 1 {
				r, _ := utf8.DecodeRuneInString(key)
				if _, seen := properReading[r]; !seen {
					properReading[r] = strings.ToLower(romanise(syls))
				}
			}
			continue
		}
		c := candidate{gloss: gloss, senses: n}
		if b, seen := common[key]; c.better(b, seen) {
			common[key] = c
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read cc-cedict: %w", err)
	}
	lx := &lexicon{common: newDict(), proper: proper, reading: map[rune]string{}, properReading: properReading}
	for k, c := range common {
		// A measure word alone adds nothing to a gist: kept as "".
		lx.common.words[k] = c.gloss
		lx.common.maxLen = max(lx.common.maxLen, utf8.RuneCountInString(k))
	}
	for r, rd := range readings {
		if rd.reading != "" {
			lx.reading[r] = rd.reading
		}
	}
	return lx, nil
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
