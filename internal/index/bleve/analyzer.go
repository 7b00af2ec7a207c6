package bleve

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"
	"github.com/longbridgeapp/opencc"
	"golang.org/x/text/unicode/norm"
)

// AnalyzerName is the name the text analyzer of new segments is
// registered under in bleve and stored in their index mapping. Names are
// persisted, so an analyzer never changes under its name: a change of
// analysis is a new name (and MappingVersion), and the old one stays
// registered so that segments written with it still open and answer.
//
//   - leakscope_text_v1: CJK bigrams, folded words.
//   - leakscope_text_v2: v1, plus English stems beside the words ("ministries"
//     finds "ministry") and the possessive 's dropped ("Acme's" is "acme").
const AnalyzerName = analyzerV2

const (
	analyzerV1 = "leakscope_text_v1"
	analyzerV2 = "leakscope_text_v2"
)

func init() {
	registry.RegisterAnalyzer(analyzerV1, func(map[string]interface{}, *registry.Cache) (analysis.Analyzer, error) {
		return textAnalyzer{}, nil
	})
	registry.RegisterAnalyzer(analyzerV2, func(map[string]interface{}, *registry.Cache) (analysis.Analyzer, error) {
		return textAnalyzer{english: true}, nil
	})
}

// maxTokenBytes bounds one word token; longer runs (base64 blobs, one-line
// dumps) are cut into pieces of this size so the term dictionary stays sane.
const maxTokenBytes = 128

// maxGap is the number of white-space runes that may separate two CJK
// characters and still let them form a bigram: OCR puts spaces between
// Chinese characters, and a layout line break may split a word.
const maxGap = 3

// textAnalyzer turns text into search terms for every language leakscope
// meets:
//
//   - CJK (Han, kana, Hangul) runs become overlapping character bigrams at
//     consecutive positions (an isolated character is a unigram), so that a
//     phrase query matches any substring of two or more characters without
//     a dictionary; Han characters are folded from Traditional to Simplified
//     first, so 護照 finds 护照. Runs continue across a little white space,
//     because OCR and layout break Chinese text with spaces.
//   - Other letters and digits form words, compatibility-folded (full-width
//     Ｒｅｓｕｍｅ is resume), stripped of accents (café is cafe) and lower-cased.
//   - A word glued from capitalised parts, as OCR of Chinese pages emits
//     English without spaces (PresidentialInteriorMinistry), is indexed
//     whole and also as its parts at consecutive positions, so "interior
//     ministry" finds it.
//
// Segmenter words are not indexed: a phrase of bigrams already matches
// every word a segmenter would cut, and also the words it cuts wrongly.
// The query side cuts a CJK query into words instead (index.ParseOptions).
//
// With english set (analyzerV2), a Latin word whose English stem differs
// from it is also indexed as the stem at the same position, so that a
// query matches inflected forms through the stem while a wildcard or an
// exact form still meets the word as written; and the s of a possessive
// (Acme's, Acme’s) is not a word of its own.
type textAnalyzer struct{ english bool }

type cjkChar struct {
	r          rune
	start, end int
}

func (a textAnalyzer) Analyze(in []byte) analysis.TokenStream {
	ts := make(analysis.TokenStream, 0, len(in)/4)
	pos := 1
	var run []cjkChar
	flush := func() {
		switch len(run) {
		case 0:
		case 1:
			ts = append(ts, &analysis.Token{Term: utf8.AppendRune(nil, run[0].r), Start: run[0].start, End: run[0].end, Position: pos, Type: analysis.Ideographic})
			pos++
		default:
			for i := 0; i+1 < len(run); i++ {
				term := utf8.AppendRune(make([]byte, 0, 6), run[i].r)
				term = utf8.AppendRune(term, run[i+1].r)
				ts = append(ts, &analysis.Token{Term: term, Start: run[i].start, End: run[i+1].end, Position: pos, Type: analysis.Ideographic})
				pos++
			}
		}
		run = run[:0]
	}
	i := 0
	for i < len(in) {
		r, size := utf8.DecodeRune(in[i:])
		switch {
		case isCJK(r):
			run = append(run, cjkChar{r: foldHan(r), start: i, end: i + size})
			i += size
		case unicode.IsSpace(r) && len(run) > 0:
			// Keep the run open if a CJK character follows within maxGap.
			j, gap := i, 0
			for j < len(in) && gap <= maxGap {
				r2, s2 := utf8.DecodeRune(in[j:])
				if !unicode.IsSpace(r2) {
					break
				}
				j += s2
				gap++
			}
			if j < len(in) && gap <= maxGap {
				if r2, _ := utf8.DecodeRune(in[j:]); isCJK(r2) {
					i = j
					continue
				}
			}
			flush()
			i = j
		case isWordRune(r):
			flush()
			j := i
			for j < len(in) {
				r2, s2 := utf8.DecodeRune(in[j:])
				if isCJK(r2) || !(isWordRune(r2) || unicode.Is(unicode.Mn, r2)) {
					break
				}
				j += s2
			}
			if a.english && isPossessiveS(in, i, j) {
				i = j
				continue
			}
			for k := i; k < j; {
				end := min(k+maxTokenBytes, j)
				for end < j && !utf8.RuneStart(in[end]) {
					end++
				}
				pos = appendWord(&ts, in[k:end], k, pos, a.english)
				k = end
			}
			i = j
		default:
			flush()
			i += size
		}
	}
	flush()
	return ts
}

// appendWord appends the terms of one word found at offset off and returns
// the next position. With stem, each term is followed by its English stem
// at the same position when the two differ.
func appendWord(ts *analysis.TokenStream, w []byte, off, pos int, stem bool) int {
	term := foldWord(w)
	if len(term) == 0 {
		return pos
	}
	add := func(t []byte, start, end, p int) {
		*ts = append(*ts, &analysis.Token{Term: t, Start: start, End: end, Position: p, Type: analysis.AlphaNumeric})
		if stem {
			if s := englishStem(t); s != nil {
				*ts = append(*ts, &analysis.Token{Term: s, Start: start, End: end, Position: p, Type: analysis.AlphaNumeric})
			}
		}
	}
	add(term, off, off+len(w), pos)
	parts := camelParts(w)
	if len(parts) < 2 {
		return pos + 1
	}
	for k, p := range parts {
		t := foldWord(w[p[0]:p[1]])
		if len(t) == 0 {
			continue
		}
		add(t, off+p[0], off+p[1], pos+k)
	}
	return pos + len(parts)
}

// englishStem returns the Snowball English stem of a folded word, or nil
// when it is the word itself or the word is not plain Latin letters
// (digits, other scripts: "ministries" gives "ministri", "2021" nothing).
func englishStem(w []byte) []byte {
	if len(w) < 3 || len(w) > 40 {
		return nil
	}
	for _, b := range w {
		if b < 'a' || b > 'z' {
			return nil
		}
	}
	env := snowballstem.NewEnv(string(w))
	english.Stem(env)
	s := env.Current()
	if s == string(w) || s == "" {
		return nil
	}
	return []byte(s)
}

// isPossessiveS reports whether the word in[i:j] is the s of a possessive:
// a lone s or S right after an apostrophe that follows a letter (Acme's).
func isPossessiveS(in []byte, i, j int) bool {
	if j-i != 1 || (in[i] != 's' && in[i] != 'S') || i == 0 {
		return false
	}
	r, size := utf8.DecodeLastRune(in[:i])
	if r != '\'' && r != '’' && r != '＇' {
		return false
	}
	prev, _ := utf8.DecodeLastRune(in[:i-size])
	return unicode.IsLetter(prev)
}

// camelParts splits PresidentialInteriorMinistry or NATOServer at case
// changes; it returns nil when there is nothing to split.
func camelParts(w []byte) [][2]int {
	if len(w) < 4 || len(w) > 64 {
		return nil
	}
	var parts [][2]int
	start := 0
	var prev rune
	prevSize := 0
	for i := 0; i < len(w); {
		r, size := utf8.DecodeRune(w[i:])
		if i > start {
			split := false
			if unicode.IsUpper(r) && unicode.IsLower(prev) {
				split = true // interiorMinistry
			} else if unicode.IsLower(r) && unicode.IsUpper(prev) && i-prevSize > start {
				// NATOServer: the split goes before the S.
				parts = append(parts, [2]int{start, i - prevSize})
				start = i - prevSize
			}
			if split {
				parts = append(parts, [2]int{start, i})
				start = i
			}
		}
		prev, prevSize = r, size
		i += size
	}
	if len(parts) == 0 {
		return nil
	}
	return append(parts, [2]int{start, len(w)})
}

func isCJK(r rune) bool {
	if r < 0x1100 {
		return false
	}
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r)
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// foldWord lower-cases w, folds compatibility forms and drops accents.
func foldWord(w []byte) []byte {
	ascii := true
	for _, b := range w {
		if b >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		out := make([]byte, len(w))
		for i, b := range w {
			if 'A' <= b && b <= 'Z' {
				b += 'a' - 'A'
			}
			out[i] = b
		}
		return out
	}
	d := norm.NFKD.Bytes(w)
	out := make([]byte, 0, len(d))
	for len(d) > 0 {
		r, size := utf8.DecodeRune(d)
		d = d[size:]
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if !isWordRune(r) {
			continue
		}
		out = utf8.AppendRune(out, unicode.ToLower(r))
	}
	return out
}

// FoldText returns s with Traditional Han characters folded to Simplified,
// one character at a time (the same folding the index applies). It is
// exported for callers that compare text the way the index does.
func FoldText(s string) string {
	return strings.Map(func(r rune) rune {
		if isCJK(r) {
			return foldHan(r)
		}
		return r
	}, s)
}

var (
	t2sOnce sync.Once
	t2s     map[rune]rune
)

// foldHan maps a Traditional character to its Simplified form. The table
// is built once from OpenCC's character dictionary by converting every
// character of the common Han blocks on its own (phrase rules would change
// lengths and break offsets).
func foldHan(r rune) rune {
	t2sOnce.Do(buildT2S)
	if s, ok := t2s[r]; ok {
		return s
	}
	return r
}

func buildT2S() {
	t2s = make(map[rune]rune, 4096)
	cc, err := opencc.New("t2s")
	if err != nil {
		return // no folding; search still works within one script
	}
	var b strings.Builder
	var src []rune
	for _, blk := range [][2]rune{{0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xF900, 0xFAFF}} {
		for r := blk[0]; r <= blk[1]; r++ {
			src = append(src, r)
			b.WriteRune(r)
			b.WriteByte('\n')
		}
	}
	out, err := cc.Convert(b.String())
	if err != nil {
		return
	}
	lines := strings.Split(out, "\n")
	if len(lines) < len(src) {
		return
	}
	for i, r := range src {
		l := []rune(lines[i])
		if len(l) == 1 && l[0] != r {
			t2s[r] = l[0]
		}
	}
}
