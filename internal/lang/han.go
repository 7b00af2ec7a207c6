package lang

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/longbridgeapp/opencc"
	"golang.org/x/text/width"
)

//go:embed dict/STCharacters.txt
var stCharacters string

//go:embed dict/TSCharacters.txt
var tsCharacters string

// hanTables are the character-level simplified/traditional tables built once
// from the embedded OpenCC data.
type hanTables struct {
	t2s      map[rune]rune // traditional -> first simplified candidate
	s2t      map[rune]rune // simplified -> first traditional candidate
	tradOnly map[rune]bool // written only in traditional text
	simpOnly map[rune]bool // written only in simplified text
}

var (
	hanOnce sync.Once
	han     *hanTables
)

func tables() *hanTables {
	hanOnce.Do(func() { han = buildHanTables(stCharacters, tsCharacters) })
	return han
}

// parseCharTable reads OpenCC "X\tA B C" lines into key -> candidates,
// keeping only single-rune keys and candidates.
func parseCharTable(src string) map[rune][]rune {
	m := make(map[rune][]rune, 4096)
	for line := range strings.Lines(src) {
		k, v, ok := strings.Cut(strings.TrimRight(line, "\r\n"), "\t")
		if !ok || utf8.RuneCountInString(k) != 1 {
			continue
		}
		kr, _ := utf8.DecodeRuneInString(k)
		for _, c := range strings.Fields(v) {
			if utf8.RuneCountInString(c) == 1 {
				cr, _ := utf8.DecodeRuneInString(c)
				m[kr] = append(m[kr], cr)
			}
		}
	}
	return m
}

func buildHanTables(st, ts string) *hanTables {
	stm, tsm := parseCharTable(st), parseCharTable(ts)
	h := &hanTables{
		t2s:      make(map[rune]rune, len(tsm)),
		s2t:      make(map[rune]rune, len(stm)),
		tradOnly: make(map[rune]bool, len(tsm)),
		simpOnly: make(map[rune]bool, len(stm)),
	}
	contains := func(rs []rune, r rune) bool {
		for _, x := range rs {
			if x == r {
				return true
			}
		}
		return false
	}
	for t, cands := range tsm {
		if len(cands) > 0 && cands[0] != t {
			h.t2s[t] = cands[0]
		}
		// A traditional-only character maps to something else and is not
		// itself a simplified form of anything (臺 yes, 著 no).
		if !contains(cands, t) {
			if _, isSimp := stm[t]; !isSimp {
				h.tradOnly[t] = true
			}
		}
	}
	for s, cands := range stm {
		if len(cands) > 0 && cands[0] != s {
			h.s2t[s] = cands[0]
		}
		if !contains(cands, s) {
			if _, isTrad := tsm[s]; !isTrad {
				h.simpOnly[s] = true
			}
		}
	}
	return h
}

// foldRune folds one rune: full width to half width (and half-width katakana
// to full width, as width.Fold does), traditional to simplified, and Latin
// and other cased letters to lower case. It is a rune-to-rune map.
func foldRune(h *hanTables, r rune) rune {
	if r >= 0x3000 {
		if p := width.LookupRune(r); p.Kind() == width.EastAsianFullwidth || p.Kind() == width.EastAsianHalfwidth {
			if f := p.Folded(); f != 0 {
				r = f
			}
		}
	}
	if r >= 0x2E80 {
		if s, ok := h.t2s[r]; ok {
			return s
		}
		return r
	}
	return unicode.ToLower(r)
}

// Fold returns the search and matching key of s: traditional characters
// become simplified (財政部 -> 财政部), full-width forms become half-width
// (ＡＢＣ１ -> abc1, U+3000 -> space), and cased letters become lower case.
//
// The fold is character by character, so the result has exactly as many runes
// as s (invalid UTF-8 bytes become U+FFFD): a rune offset in the folded string
// is the same rune offset in s. It never merges words, so phrase-level
// conversions such as 頭髮 -> 头发 come out right because each character does.
// Safe for concurrent use.
func Fold(s string) string {
	h := tables()
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		b.WriteRune(foldRune(h, r))
	}
	return b.String()
}

// ToSimplified converts traditional characters to simplified ones and leaves
// everything else (width, case) untouched. Rune count is preserved.
func ToSimplified(s string) string {
	h := tables()
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if x, ok := h.t2s[r]; ok {
			r = x
		}
		b.WriteRune(r)
	}
	return b.String()
}

var (
	s2tOnce sync.Once
	s2tConv *opencc.OpenCC
	s2tErr  error
)

// ToTraditional converts simplified Chinese to traditional with OpenCC's
// phrase tables (发展 -> 發展, 头发 -> 頭髮), so it is phrase-aware where Fold is
// not. Should OpenCC's embedded tables fail to load, it falls back to the
// first candidate of each character. Safe for concurrent use.
func ToTraditional(s string) string {
	s2tOnce.Do(func() { s2tConv, s2tErr = opencc.New("s2t") })
	if s2tErr == nil {
		if out, err := s2tConv.Convert(s); err == nil {
			return out
		}
	}
	h := tables()
	var b strings.Builder
	for _, r := range s {
		if x, ok := h.s2t[r]; ok {
			r = x
		}
		b.WriteRune(r)
	}
	return b.String()
}
