package gloss

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/leakscope/leakscope/internal/translate"
	"golang.org/x/text/width"
)

// Backend names stored in the translation cache. A gist made without
// CC-CEDICT is a different (poorer) translation, so it is cached under its
// own name and replaced once the dictionary is installed.
// Revision numbers the gloss's output: bump it when a rule, the glossary
// or the dictionary handling changes what a line comes out as, so that
// cached gists are made again (the cache key carries it) and the
// translate stage re-runs.
const Revision = 2

const (
	Name       = "gloss"
	NameNoDict = "gloss-nodict"
)

// Options configure New.
type Options struct {
	// CedictPath is the CC-CEDICT file (cedict_ts.u8); "" looks in
	// CedictPaths().
	CedictPath string
	// NoCedict skips CC-CEDICT even when it is installed (glossary only).
	NoCedict bool
	// Logger receives one warning when CC-CEDICT is missing; nil discards.
	Logger *slog.Logger
	// Glossary is a case's own glossary in the format of glossary.tsv
	// ("Chinese TAB English" lines, '#' comments). Its entries win over the
	// built-in ones, so an investigation can name its own targets ("阿卡电信
	// TAB Acme Telecom") without a new release.
	Glossary string
}

// Stats describes what New loaded.
type Stats struct {
	GlossaryEntries int
	CedictEntries   int           // 0 without CC-CEDICT
	CedictLoad      time.Duration // time to read and index CC-CEDICT
}

// Glosser is the offline gloss translator. It is immutable after New and safe
// for concurrent use.
type Glosser struct {
	glossary *dict
	lex      *lexicon // nil without CC-CEDICT
	warning  error
	stats    Stats
}

var _ translate.Translator = (*Glosser)(nil)

// New loads the embedded glossary and, if found, CC-CEDICT. A missing
// CC-CEDICT is not an error: the Glosser works on the glossary alone and
// Warning returns ErrNoDictionary. A CC-CEDICT that exists but cannot be
// read is an error.
func New(opts Options) (*Glosser, error) {
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	gl, err := parseGlossary(glossaryTSV)
	if err != nil {
		return nil, fmt.Errorf("gloss: %w", err)
	}
	if opts.Glossary != "" {
		extra, err := parseGlossary(opts.Glossary)
		if err != nil {
			return nil, fmt.Errorf("gloss: case glossary: %w", err)
		}
		for zh, en := range extra.words {
			gl.words[zh] = en
		}
		gl.maxLen = max(gl.maxLen, extra.maxLen)
	}
	g := &Glosser{glossary: gl}
	g.stats.GlossaryEntries = len(gl.words)
	if opts.NoCedict {
		g.warning = ErrNoDictionary
		return g, nil
	}
	var f *os.File
	if opts.CedictPath != "" {
		f, err = os.Open(opts.CedictPath)
		if errors.Is(err, os.ErrNotExist) {
			err = ErrNoDictionary
		}
	} else {
		f, err = findCedict()
	}
	if errors.Is(err, ErrNoDictionary) {
		g.warning = ErrNoDictionary
		log.Warn("cc-cedict missing, glossing with the built-in glossary only", "hint", "scripts/get-cedict.sh")
		return g, nil
	}
	if err != nil {
		return nil, fmt.Errorf("gloss: open cc-cedict: %w", err)
	}
	defer f.Close()
	t0 := time.Now()
	lx, err := readCedict(f)
	if err != nil {
		return nil, fmt.Errorf("gloss: %w", err)
	}
	g.lex = lx
	g.stats.CedictEntries = len(lx.common.words) + len(lx.proper)
	g.stats.CedictLoad = time.Since(t0)
	return g, nil
}

// Warning returns ErrNoDictionary when CC-CEDICT was not loaded, else nil.
func (g *Glosser) Warning() error { return g.warning }

// Stats returns what was loaded.
func (g *Glosser) Stats() Stats { return g.stats }

// Name implements translate.Translator: "gloss", or "gloss-nodict" without
// CC-CEDICT.
func (g *Glosser) Name() string {
	if g.lex == nil {
		return NameNoDict
	}
	return Name
}

// Translate implements translate.Translator. Chinese (and, for its kanji,
// Japanese) segments are glossed; segments in other languages are returned
// unchanged, since a word list cannot help them.
func (g *Glosser) Translate(ctx context.Context, srcLang string, segments []string) ([]string, error) {
	out := make([]string, len(segments))
	for i, s := range segments {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if srcLang == "" || strings.HasPrefix(srcLang, "zh") || strings.HasPrefix(srcLang, "ja") {
			out[i] = g.Gloss(s)
		} else {
			out[i] = s
		}
	}
	return out, nil
}

// Gloss returns a word-by-word English gist of text with the same line
// structure: line n of the output glosses line n of the input. Domain
// glossary words win over CC-CEDICT; numbers with 万/亿 are written out
// (186万条 -> 1.86 million records), dates become ISO-like (2021年6月 ->
// 2021-06); Latin words, numbers and identifiers pass through as written;
// words found in no dictionary stay in Chinese.
func (g *Glosser) Gloss(text string) string {
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "\uFFFD")
	}
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		lines[i] = g.glossLine(l)
	}
	return strings.Join(lines, "\n")
}

// counters after a number, in English.
var counters = map[rune]string{
	'条': "records", '人': "people", '名': "people", '台': "machines", '元': "yuan", '块': "yuan",
	'次': "times", '天': "days", '户': "households", '家': "organisations", '份': "copies",
	'个': "", '张': "", '封': "", '篇': "", '部': "", '套': "sets",
}

var months = []string{"", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}

func isHan(r rune) bool { return r == '〇' || unicode.Is(unicode.Han, r) }

// display is a rune as shown in a gist: full width folded to half width, case kept.
func display(r rune) rune {
	if r >= 0x3000 {
		if p := width.LookupRune(r); p.Kind() == width.EastAsianFullwidth {
			if f := p.Folded(); f != 0 {
				return f
			}
		}
	}
	return r
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) && !isHan(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func isConnector(r rune) bool { return strings.ContainsRune("._-@:/+#=&?~'\\", r) }

// emitter joins gist words with single spaces, keeping punctuation tight.
type emitter struct {
	b        strings.Builder
	space    bool
	lastHan  bool   // the last thing written was Chinese left as it is
	lastWord string // the last word written, "" after punctuation
}

func (e *emitter) word(s string) {
	if s == "" {
		return
	}
	if e.space && e.b.Len() > 0 {
		e.b.WriteByte(' ')
	}
	e.b.WriteString(s)
	e.space = true
	e.lastHan = false
	e.lastWord = s
}

// possessive turns the last word into its possessive ("Acme Telecom's").
func (e *emitter) possessive() {
	if strings.HasSuffix(e.lastWord, "s") {
		e.b.WriteString("'")
	} else {
		e.b.WriteString("'s")
	}
	e.lastWord = ""
}

// han writes Chinese left unglossed, joined to unglossed Chinese just before.
func (e *emitter) han(s string) {
	if e.lastHan {
		e.b.WriteString(s)
		return
	}
	e.word(s)
	e.lastHan = true
}

func (e *emitter) punct(r rune) {
	e.lastHan = false
	e.lastWord = ""
	switch r {
	case '、', '，':
		r = ','
	case '。', '｡':
		r = '.'
	case '《', '「', '『', '“', '”', '》', '」', '』':
		r = '"'
	case '【', '〔':
		r = '['
	case '】', '〕':
		r = ']'
	case '…':
		e.b.WriteString("...")
		e.space = true
		return
	}
	switch {
	case strings.ContainsRune(")]},.;:!?%", r):
		e.b.WriteRune(r)
		e.space = true
	case strings.ContainsRune("([{", r):
		if e.space && e.b.Len() > 0 {
			e.b.WriteByte(' ')
		}
		e.b.WriteRune(r)
		e.space = false
	default:
		e.word(string(r))
	}
}

// glossLine glosses one line (no "\n" inside).
func (g *Glosser) glossLine(line string) string {
	if line == "" {
		return ""
	}
	l := g.newLine(line)
	if l == nil {
		return line
	}
	var e emitter
	g.glossRange(&e, l, 0, len(l.orig))
	return e.b.String()
}

// glossRange glosses runes [from, to) of l into e. A word may run past to
// (a dictionary match across the bound); the returned position says where
// glossing stopped.
func (g *Glosser) glossRange(e *emitter, l *line, from, to int) int {
	orig, folded := l.orig, l.folded
	p := from
	for p < to {
		r := folded[p]
		switch {
		case isHan(r):
			p = g.glossHan(e, l, p)
		case ipv6End(folded, p) > p:
			// An IPv6 address is evidence: not cut at its colons.
			q := ipv6End(folded, p)
			e.word(string(orig[p:q]))
			p = q
		case r == '+' && p+1 < len(folded) && isDigit(folded[p+1]):
			// A telephone country code (+853) is evidence: kept whole.
			e.word("+")
			e.space = false
			p++
		case isDigit(r):
			p = glossNumber(e, orig, folded, p)
		case r < utf8.RuneSelf && unicode.IsLetter(r) && addressEnd(orig, p) > p:
			// URLs and e-mail addresses are evidence: kept as written,
			// not cut at every "/" and "@".
			q := addressEnd(orig, p)
			e.word(string(orig[p:q]))
			p = q
		case isWordRune(r):
			q := p
			for q < len(orig) && (isWordRune(folded[q]) || isConnector(folded[q]) && q+1 < len(orig) && isWordRune(folded[q+1])) {
				q++
			}
			e.word(displayString(orig[p:q]))
			p = q
		case unicode.IsSpace(r):
			e.space = true
			e.lastHan = false
			p++
		case strings.ContainsRune("#*-=>_~", r):
			// Markup runs (##, **, ---) stay together.
			q := p + 1
			for q < to && folded[q] == r {
				q++
			}
			if q == p+1 {
				e.punct(display(orig[p]))
			} else {
				e.word(string(orig[p:q]))
			}
			p = q
		default:
			e.punct(display(orig[p]))
			p++
		}
	}
	return p
}

// ipv6End returns the end of an IPv6 address starting at p (hex groups
// joined by ":", at least three colons or a "::"), or p if there is none:
// 2001:db8::25 and 2001:0db8:0000:001c:0000:0000:0000:0008 pass as written.
// Counter-example: a time such as 10:08:07 has decimal groups only and two
// colons, and is left to the number rules.
func ipv6End(rs []rune, p int) int {
	if p > 0 && (isHex(rs[p-1]) || rs[p-1] == ':') {
		return p
	}
	q, colons, double, letters := p, 0, false, false
	for q < len(rs) && (isHex(rs[q]) || rs[q] == ':') {
		if rs[q] == ':' {
			colons++
			if q > p && rs[q-1] == ':' {
				double = true
			}
		} else if rs[q] > '9' {
			letters = true
		}
		q++
	}
	for q > p && rs[q-1] == ':' && !(q-2 >= p && rs[q-2] == ':') {
		q-- // a trailing colon is punctuation
		colons--
	}
	if colons < 2 || colons > 7 || !(double || colons == 7) && !(letters && colons >= 3) {
		return p
	}
	if q < len(rs) && (isWordRune(rs[q]) || rs[q] == '.') {
		return p
	}
	return q
}

func isHex(r rune) bool { return isDigit(r) || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F' }

// addressEnd returns the end of a URL or e-mail address starting at p (a
// run of ASCII without spaces containing "://" or "@"), or p if there is
// none. Trailing sentence punctuation is left out.
func addressEnd(rs []rune, p int) int {
	q := p
	for q < len(rs) && rs[q] > ' ' && rs[q] < utf8.RuneSelf {
		q++
	}
	run := string(rs[p:q])
	if !strings.Contains(run, "://") && !strings.Contains(run, "@") {
		return p
	}
	for q > p && strings.ContainsRune(".,;:!?)]'\"", rs[q-1]) {
		q--
	}
	return q
}

func displayString(rs []rune) string {
	var b strings.Builder
	for _, r := range rs {
		b.WriteRune(display(r))
	}
	return b.String()
}

// glossHan glosses the Han word starting at rune p and returns where the
// next word starts. The rules run in order; the first that applies wins.
func (g *Glosser) glossHan(e *emitter, l *line, p int) int {
	orig := l.orig
	tokEnd := l.containing(p)
	if l.tokEnd[p] > 0 {
		for _, rule := range earlyRules {
			if n := rule(g, e, l, p); n > p {
				return n
			}
		}
	}
	gl, glossEn := g.glossary.longestAt(l, p)
	if gl > 0 && p+gl >= tokEnd {
		e.word(glossEn)
		return p + gl
	}
	if l.tokEnd[p] > 0 {
		for _, rule := range wordRules {
			if n := rule(g, e, l, p); n > p {
				return n
			}
		}
		word := l.sub(p, tokEnd)
		if en, ok := g.properNoun(l, p, tokEnd); ok {
			e.word(en)
			return tokEnd
		}
		if en, ok := g.lookup(word); ok {
			e.word(en)
			return tokEnd
		}
	}
	if g.lex != nil {
		n, en := g.lex.common.longestAt(l, p)
		if fw, ok := functionWords[l.sub(p, p+1)]; ok && n <= 1 && gl <= 1 {
			// A grammar word the segmenter glued to the next one (太多
			// tagged as a place): its function-word sense, not CC-CEDICT's.
			e.word(fw)
			return p + 1
		}
		if n == 1 && gl == 1 {
			// The character stands alone either way (库 in 库里): the
			// glossary's sense of it wins, as for a whole token.
			e.word(glossEn)
			return p + 1
		}
		if n > 0 && n >= gl {
			e.word(en)
			return p + n
		}
	}
	if gl > 1 || gl == 1 && l.tokEnd[p] == p+1 {
		// A one-character entry stands only for a whole token (完 alone is
		// "finished", 完 in an unknown 完成 is not).
		e.word(glossEn)
		return p + gl
	}
	// Unknown: keep the characters as written, glued to an unknown word just
	// before, so that a name or a term reads as one word.
	end := p + 1
	if l.tokEnd[p] > 0 {
		end = tokEnd
	}
	e.han(string(orig[p:end]))
	return end
}

// lookup finds a whole word in the glossary, then in CC-CEDICT's common
// words (never its proper nouns: see properNoun).
func (g *Glosser) lookup(w string) (string, bool) {
	if en, ok := g.glossary.words[w]; ok {
		return en, true
	}
	if g.lex != nil {
		if en, ok := g.lex.common.words[w]; ok {
			return en, true
		}
	}
	return "", false
}

// glossNumber writes the number starting at p with what qualifies it (a
// multiplier 万/亿, a counter, a date) and returns where it ends.
func glossNumber(e *emitter, orig, folded []rune, p int) int {
	q := p
	joined := false // digits joined by - : / or a second dot: a date, time, address or version
	dots := 0
	for q < len(folded) {
		r := folded[q]
		if isDigit(r) {
			q++
			continue
		}
		if q+1 < len(folded) && isDigit(folded[q+1]) && strings.ContainsRune(".,-:/", r) {
			if r == '.' {
				dots++
			}
			if r == '-' || r == ':' || r == '/' || dots > 1 {
				joined = true
			}
			q++
			continue
		}
		break
	}
	numText := displayString(orig[p:q])
	if joined {
		e.word(numText)
		return q
	}
	// Digits glued to Latin letters are a unit or an identifier: 5.49G, 2021Q3, 740M.
	if q < len(folded) && isWordRune(folded[q]) {
		for q < len(folded) && (isWordRune(folded[q]) || isConnector(folded[q]) && q+1 < len(folded) && isWordRune(folded[q+1])) {
			q++
		}
		e.word(displayString(orig[p:q]))
		return q
	}
	ascii := string(folded[p:q])
	v, err := strconv.ParseFloat(strings.ReplaceAll(ascii, ",", ""), 64)
	at := func(i int) rune {
		if i < len(folded) {
			return folded[i]
		}
		return 0
	}
	if err != nil {
		e.word(numText)
		return q
	}
	switch at(q) {
	case '年':
		if len(ascii) == 4 {
			// 2021年6月3日 -> 2021-06-03
			if m, n := readInt(folded, q+1); n > 0 && at(q+1+n) == '月' && m >= 1 && m <= 12 {
				end := q + 1 + n + 1
				if d, k := readInt(folded, end); k > 0 && (at(end+k) == '日' || at(end+k) == '号') && d >= 1 && d <= 31 {
					e.word(fmt.Sprintf("%s-%02d-%02d", ascii, m, d))
					return end + k + 1
				}
				e.word(fmt.Sprintf("%s-%02d", ascii, m))
				return end
			}
			e.word(ascii)
			return q + 1
		}
		e.word(numText + " years")
		return q + 1
	case '月':
		if v >= 1 && v <= 12 && v == math.Trunc(v) {
			if d, k := readInt(folded, q+1); k > 0 && (at(q+1+k) == '日' || at(q+1+k) == '号') && d >= 1 && d <= 31 {
				e.word(fmt.Sprintf("%s %d", months[int(v)], d))
				return q + 1 + k + 1
			}
			e.word(months[int(v)])
			return q + 1
		}
	}
	mult := 1.0
	switch {
	case at(q) == '万':
		mult, q = 1e4, q+1
	case at(q) == '亿':
		mult, q = 1e8, q+1
	case at(q) == '千' && at(q+1) == '万':
		mult, q = 1e7, q+2
	case at(q) == '百' && at(q+1) == '万':
		mult, q = 1e6, q+2
	case at(q) == '千':
		mult, q = 1e3, q+1
	}
	if mult != 1 {
		numText = formatQty(v * mult)
	}
	if c, ok := counters[at(q)]; ok {
		e.word(numText)
		e.word(c)
		return q + 1
	}
	e.word(numText)
	return q
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// readInt reads up to 4 decimal digits at i and returns the value and how
// many runes it took.
func readInt(rs []rune, i int) (int, int) {
	v, n := 0, 0
	for i+n < len(rs) && n < 4 && rs[i+n] >= '0' && rs[i+n] <= '9' {
		v = v*10 + int(rs[i+n]-'0')
		n++
	}
	return v, n
}

// formatQty writes a scaled quantity the way an English report would:
// 50,000; 1.86 million; 2.7 billion.
func formatQty(v float64) string {
	switch {
	case v >= 1e9:
		return strconv.FormatFloat(math.Round(v/1e7)/100, 'f', -1, 64) + " billion"
	case v >= 1e6:
		return strconv.FormatFloat(math.Round(v/1e4)/100, 'f', -1, 64) + " million"
	}
	if v != math.Trunc(v) {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	s := strconv.FormatInt(int64(v), 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
