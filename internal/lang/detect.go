package lang

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Language tags returned by Detect and Segments (BCP 47).
const (
	Simplified  = "zh-Hans"
	Traditional = "zh-Hant"
	English     = "en"
	Japanese    = "ja"
	Korean      = "ko"
)

// cjkWeight is what one Han, kana or Hangul character counts for against
// one letter of an alphabet: a Chinese character carries about as much as a
// short English word, so a document half Chinese and half its English
// translation has roughly equal weights.
const cjkWeight = 3

// minWeight is the least weighted evidence for a verdict; less gives "".
const minWeight = 3

// sampleBytes bounds the text Detect reads: longer texts are sampled at
// their start, middle and end.
const sampleBytes = 768 << 10

// scriptTags maps scripts that name one language well enough by themselves.
var scriptTags = []struct {
	table *unicode.RangeTable
	tag   string
}{
	{unicode.Thai, "th"}, {unicode.Devanagari, "hi"}, {unicode.Greek, "el"}, {unicode.Hebrew, "he"},
	{unicode.Bengali, "bn"}, {unicode.Tamil, "ta"}, {unicode.Telugu, "te"}, {unicode.Kannada, "kn"},
	{unicode.Malayalam, "ml"}, {unicode.Gujarati, "gu"}, {unicode.Gurmukhi, "pa"}, {unicode.Sinhala, "si"},
	{unicode.Khmer, "km"}, {unicode.Lao, "lo"}, {unicode.Myanmar, "my"}, {unicode.Georgian, "ka"},
	{unicode.Armenian, "hy"}, {unicode.Ethiopic, "am"}, {unicode.Tibetan, "bo"}, {unicode.Mongolian, "mn"},
}

// counts is the evidence gathered from a piece of text.
type counts struct {
	han, kana, hangul  int
	simp, trad         int // Han characters only simplified / only traditional
	cyr, ukr           int // Cyrillic letters; of them Ukrainian-only
	arabic, urdu, fars int // Arabic-script letters; of them Urdu-only, Persian/Urdu
	other              map[string]int
	latin              latinScores
}

func newCounts() *counts {
	return &counts{other: map[string]int{}, latin: latinScores{score: map[string]int{}}}
}

// technical reports whether a Latin token is an identifier, address, hash
// or number rather than a word of prose: its letters are not evidence.
func technical(tok string) bool {
	if strings.ContainsAny(tok, "0123456789@_=/\\:#%&?~+") {
		return true
	}
	t := strings.Trim(tok, ".-")
	return strings.Contains(t, ".")
}

func isLatinTokenRune(r rune) bool {
	return unicode.Is(unicode.Latin, r) || unicode.Is(unicode.Mn, r) || (r < 0x80 && (r >= '0' && r <= '9' || strings.ContainsRune("._-@:/\\+%#=&?~'", r)))
}

// add gathers the evidence of s into c.
func (c *counts) add(h *hanTables, s string) {
	tokStart := -1
	flush := func(end int) {
		if tokStart < 0 {
			return
		}
		tok := s[tokStart:end]
		tokStart = -1
		if technical(tok) {
			return
		}
		for _, w := range strings.FieldsFunc(tok, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.Is(unicode.Mn, r) }) {
			c.latin.letters += utf8.RuneCountInString(w)
			c.latin.addWord(w)
		}
	}
	for i, r := range s {
		if isLatinTokenRune(r) {
			if tokStart < 0 {
				tokStart = i
			}
			continue
		}
		flush(i)
		switch {
		case r < 0x80:
			// ASCII space, punctuation
		case unicode.Is(unicode.Han, r):
			c.han++
			if h.simpOnly[r] {
				c.simp++
			} else if h.tradOnly[r] {
				c.trad++
			}
		case unicode.In(r, unicode.Hiragana, unicode.Katakana) || r == 0x30FC:
			c.kana++
		case unicode.Is(unicode.Hangul, r):
			c.hangul++
		case unicode.Is(unicode.Cyrillic, r):
			c.cyr++
			switch unicode.ToLower(r) {
			case 'і', 'ї', 'є', 'ґ':
				c.ukr++
			}
		case unicode.Is(unicode.Arabic, r) && unicode.IsLetter(r):
			c.arabic++
			switch r {
			case 0x0679, 0x0688, 0x0691, 0x06BA, 0x06BE, 0x06C1, 0x06C3, 0x06D2: // ٹ ڈ ڑ ں ھ ہ ۃ ے
				c.urdu++
			case 0x067E, 0x0686, 0x0698, 0x06AF, 0x06A9, 0x06CC: // پ چ ژ گ ک ی
				c.fars++
			}
		default:
			if unicode.IsLetter(r) {
				for _, st := range scriptTags {
					if unicode.Is(st.table, r) {
						c.other[st.tag]++
						break
					}
				}
			}
		}
	}
	flush(len(s))
}

// verdict returns the dominant language of the evidence with its weight.
// Han text without a single variant-specific character gives "zh", which
// callers resolve from context.
func (c *counts) verdict() (string, int) {
	type cand struct {
		tag    string
		weight int
	}
	cands := []cand{
		{"zh", cjkWeight * (c.han + c.kana)},
		{Korean, cjkWeight * c.hangul},
		{"cyr", c.cyr},
		{"arab", c.arabic},
		{"latin", c.latin.letters},
	}
	for _, st := range scriptTags {
		if n := c.other[st.tag]; n > 0 {
			cands = append(cands, cand{st.tag, n})
		}
	}
	best := cand{}
	for _, x := range cands {
		if x.weight > best.weight {
			best = x
		}
	}
	if best.weight < minWeight {
		return "", 0
	}
	switch best.tag {
	case "zh":
		// Korean mixed script: Hangul with some Hanja.
		if c.hangul > 0 && c.hangul*2 >= c.han {
			return Korean, best.weight
		}
		if c.kana > 0 && (c.kana*10 >= c.han+c.kana || c.kana >= 20) {
			return Japanese, best.weight
		}
		switch {
		case c.trad > c.simp:
			return Traditional, best.weight
		case c.simp > 0:
			return Simplified, best.weight
		}
		return "zh", best.weight
	case "cyr":
		if c.ukr > 0 && c.ukr*50 >= c.cyr {
			return "uk", best.weight
		}
		return "ru", best.weight
	case "arab":
		switch {
		case c.urdu > 0 && c.urdu*40 >= c.arabic:
			return "ur", best.weight
		case c.fars > 0 && c.fars*25 >= c.arabic:
			return "fa", best.weight
		}
		return "ar", best.weight
	case "latin":
		return c.latin.best(), best.weight
	}
	return best.tag, best.weight
}

// sample returns at most sampleBytes of s: all of it, or its start, middle
// and end, each cut at a rune boundary.
func sample(s string) string {
	if len(s) <= sampleBytes {
		return s
	}
	part := sampleBytes / 3
	cut := func(from int) string {
		for from > 0 && !utf8.RuneStart(s[from]) {
			from++
		}
		to := min(from+part, len(s))
		for to < len(s) && !utf8.RuneStart(s[to]) {
			to--
		}
		return s[from:to]
	}
	mid := len(s)/2 - part/2
	return cut(0) + "\n" + cut(mid) + "\n" + cut(len(s)-part)
}

// Detect returns the BCP 47 tag of the dominant language of text, by weight
// of characters (numbers, URLs, addresses, identifiers and punctuation do not
// count; a CJK character counts as cjkWeight letters), or "" when the text is
// too short or in no script it knows.
//
// Scripts decide first (Han, kana, Hangul, Cyrillic, Arabic, Devanagari,
// Thai, Latin, ...); then Han text is told apart as zh-Hans or zh-Hant by
// characters that exist in only one of the two writings (Han text with none
// of them is zh-Hans), kana makes it ja, Urdu-only letters make Arabic script
// ur, and Latin text is scored by function words and distinctive letters (en,
// fr, es, de, pt, it, nl, vi, id, tr). Latin text with no function word at all
// (logs, tables of names) is reported as en once it has a dozen letters.
// Safe for concurrent use.
func Detect(text string) string {
	c := newCounts()
	c.add(tables(), sample(text))
	tag, _ := c.verdict()
	if tag == "zh" {
		return Simplified
	}
	return tag
}

// Segment is a run of text in one language: text[Start:End] (byte offsets).
// Lang is "" only when nothing in the text could be identified.
type Segment struct {
	Start, End int
	Lang       string
}

// Segments splits text into runs of one language at line boundaries (a
// paragraph, a line, a chat message each get their own verdict). Lines that
// give no verdict (blank, numbers, too short) join the run before them, or
// the one after them at the start of the text; Han lines without a
// variant-specific character take the variant of the nearest Chinese line. The segments
// are contiguous and cover text from 0 to len(text).
// Safe for concurrent use.
func Segments(text string) []Segment {
	if text == "" {
		return nil
	}
	h := tables()
	type line struct {
		start, end int
		lang       string
	}
	var lines []line
	docC := newCounts()
	for start := 0; start < len(text); {
		end := strings.IndexByte(text[start:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += start + 1
		}
		c := newCounts()
		c.add(h, text[start:end])
		tag, _ := c.verdict()
		docC.simp += c.simp
		docC.trad += c.trad
		lines = append(lines, line{start, end, tag})
		start = end
	}
	variant := Simplified
	if docC.trad > docC.simp {
		variant = Traditional
	}
	// Han lines without a variant-specific character take the variant of
	// the nearest Chinese line before them, else after them, else the
	// document's.
	isVariant := func(l string) bool { return l == Simplified || l == Traditional }
	for i := range lines {
		if lines[i].lang != "zh" {
			continue
		}
		v := ""
		for j := i - 1; j >= 0 && v == ""; j-- {
			if isVariant(lines[j].lang) {
				v = lines[j].lang
			}
		}
		for j := i + 1; j < len(lines) && v == ""; j++ {
			if isVariant(lines[j].lang) {
				v = lines[j].lang
			}
		}
		if v == "" {
			v = variant
		}
		lines[i].lang = v
	}
	// Lines without a verdict take the previous one, or the next one.
	prev := ""
	for i := range lines {
		if lines[i].lang == "" {
			lines[i].lang = prev
		} else {
			prev = lines[i].lang
		}
	}
	next := ""
	for i := len(lines) - 1; i >= 0; i-- {
		if lines[i].lang == "" {
			lines[i].lang = next
		} else {
			next = lines[i].lang
		}
	}
	var segs []Segment
	for _, l := range lines {
		if n := len(segs); n > 0 && segs[n-1].Lang == l.lang {
			segs[n-1].End = l.end
			continue
		}
		segs = append(segs, Segment{Start: l.start, End: l.end, Lang: l.lang})
	}
	return segs
}
