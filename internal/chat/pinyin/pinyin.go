package pinyin

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/leakscope/leakscope/internal/translate/gloss/cedict"
)

// Table maps a character to its toneless readings, sorted.
type Table map[rune][]string

// add records the readings of r, keeping the list sorted and unique.
func (t Table) add(r rune, readings ...string) {
	for _, s := range readings {
		if s == "" || slices.Contains(t[r], s) {
			continue
		}
		t[r] = append(t[r], s)
		slices.Sort(t[r])
	}
}

// maxLine bounds one dictionary line; longer lines are skipped, not fatal.
const maxLine = 1 << 20

// Read parses CC-CEDICT ("TRAD SIMP [pin1 yin1] /gloss/") and returns the
// readings of its single-character entries, under both the traditional
// and the simplified form. Lines it cannot parse are skipped.
func Read(r io.Reader) (Table, error) {
	t := Table{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		trad, rest, ok := strings.Cut(line, " ")
		if !ok || utf8.RuneCountInString(trad) != 1 {
			continue
		}
		simp, rest, ok := strings.Cut(rest, " ")
		if !ok || utf8.RuneCountInString(simp) != 1 || !strings.HasPrefix(rest, "[") {
			continue
		}
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			continue
		}
		syl := strings.Fields(rest[1:end])
		if len(syl) != 1 {
			continue
		}
		rs := Toneless(syl[0])
		if len(rs) == 0 {
			continue
		}
		tr, _ := utf8.DecodeRuneInString(trad)
		sr, _ := utf8.DecodeRuneInString(simp)
		if !unicode.Is(unicode.Han, tr) || !unicode.Is(unicode.Han, sr) {
			continue
		}
		t.add(tr, rs...)
		t.add(sr, rs...)
	}
	if err := sc.Err(); err != nil {
		return t, fmt.Errorf("read cc-cedict: %w", err)
	}
	return t, nil
}

// Toneless turns one CC-CEDICT syllable ("Lu:3", "jun1", "r5") into
// lowercase readings without the tone digit; u: (ü) gives both "v" and
// "u" spellings. It returns nil for anything that is not letters.
func Toneless(syl string) []string {
	s := strings.ToLower(strings.TrimRight(syl, "012345"))
	if s == "" {
		return nil
	}
	out := []string{s}
	if strings.Contains(s, "u:") {
		out = []string{strings.ReplaceAll(s, "u:", "v"), strings.ReplaceAll(s, "u:", "u")}
	}
	for _, r := range out[0] {
		if r < 'a' || r > 'z' {
			return nil
		}
	}
	return out
}

var (
	loadOnce sync.Once
	loaded   Table
	loadErr  error
)

// load reads the first CC-CEDICT found, once.
func load() {
	loaded = Table{}
	loadErr = cedict.ErrNoDictionary
	for _, p := range cedict.Paths() {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		loaded, loadErr = Read(f)
		f.Close()
		return
	}
}

// Err reports why CC-CEDICT readings are missing (gloss.ErrNoDictionary
// when it was not found), or nil when they were read. It triggers the load.
func Err() error {
	loadOnce.Do(load)
	return loadErr
}

// Of returns every toneless reading of r: CC-CEDICT's and, for a surname,
// its surname reading. nil when r is unknown. The dictionary is read on
// the first call; the result must not be modified.
func Of(r rune) []string {
	loadOnce.Do(load)
	rs := loaded[r]
	s := surnames[r]
	if len(s) == 0 {
		return rs
	}
	if len(rs) == 0 {
		return s
	}
	out := slices.Clone(rs)
	for _, x := range s {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	slices.Sort(out)
	return out
}

// Surname returns the readings of s as a surname, one character or a
// compound (欧阳: ouyang), from the embedded table; nil when s is not a
// listed surname. A listed surname is read only the surname way (单: shan,
// not dan), which is how its bearers spell it.
func Surname(s string) []string {
	if c, ok := compound[s]; ok {
		return []string{c}
	}
	if utf8.RuneCountInString(s) != 1 {
		return nil
	}
	r, _ := utf8.DecodeRuneInString(s)
	return surnames[r]
}
