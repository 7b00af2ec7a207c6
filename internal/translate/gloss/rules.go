package gloss

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/leakscope/leakscope/internal/chat/pinyin"
	"github.com/leakscope/leakscope/internal/lang"
)

// line is one line of input with the segmenter's word boundaries, as rune
// indexes: tokEnd[p] is the end of the token starting at p (0 inside a
// token) and tokPos[p] its jieba part of speech.
type line struct {
	orig, folded []rune
	tokEnd       []int
	tokPos       []string
	// text is folded as a string and off[i] the byte offset of rune i, so
	// that dictionary probes slice it rather than allocate (sub).
	text string
	off  []int
}

// sub is folded[i:j] as a string, without allocating.
func (l *line) sub(i, j int) string { return l.text[l.off[i]:l.off[j]] }

// newLine segments s; nil if folding changed the length (it maps rune to
// rune, so it cannot). Where a domain glossary word starts inside a token
// and runs past its end, or ends the token and the token is no word, the
// token is cut where the glossary word starts: the segmenter did not know
// the jargon (的话单 is 的 + 话单 "call detail records", not 的话 "if" + 单;
// 月工资 is 月 + 工资 "salary").
func (g *Glosser) newLine(s string) *line {
	l := &line{orig: []rune(s), folded: []rune(lang.Fold(s))}
	if len(l.folded) != len(l.orig) {
		return nil
	}
	l.text = string(l.folded)
	l.off = make([]int, 0, len(l.folded)+1)
	for i := range l.text {
		l.off = append(l.off, i)
	}
	l.off = append(l.off, len(l.text))
	l.tokEnd = make([]int, len(l.orig)+1)
	l.tokPos = make([]string, len(l.orig)+1)
	p := 0
	for _, t := range lang.Cut(s) {
		n := utf8.RuneCountInString(t.Norm)
		if p+n > len(l.orig) {
			break
		}
		l.tokEnd[p] = p + n
		l.tokPos[p] = t.Pos
		p += n
	}
	for p := 0; p < len(l.orig); p++ {
		end := l.tokEnd[p]
		for r := p + 1; r < end; r++ {
			n, _ := g.glossary.longestAt(l, r)
			if n > 1 && (r+n > end || r+n == end && !g.isWord(l.sub(p, end))) {
				l.tokEnd[p], l.tokEnd[r], l.tokPos[r] = r, end, l.tokPos[p]
				break
			}
		}
	}
	return l
}

// isWord reports whether w is in the glossary or CC-CEDICT's common words.
func (g *Glosser) isWord(w string) bool {
	_, ok := g.lookup(w)
	return ok
}

// containing is the end of the token containing p.
func (l *line) containing(p int) int {
	for q := p; q >= 0; q-- {
		if l.tokEnd[q] > 0 {
			return max(l.tokEnd[q], p+1)
		}
	}
	return p + 1
}

// token returns the token starting at p as folded text with its end and
// part of speech; ok is false when p does not start a token.
func (l *line) token(p int) (word string, end int, pos string, ok bool) {
	if p >= len(l.folded) || l.tokEnd[p] == 0 {
		return "", p, "", false
	}
	return l.sub(p, l.tokEnd[p]), l.tokEnd[p], l.tokPos[p], true
}

// hanToken is token restricted to tokens made only of Han characters.
func (l *line) hanToken(p int) (string, int, string, bool) {
	w, end, pos, ok := l.token(p)
	if !ok {
		return "", p, "", false
	}
	for _, r := range w {
		if !isHan(r) {
			return "", p, "", false
		}
	}
	return w, end, pos, true
}

// clauseEdge reports whether rune i is outside the line or a clause
// boundary: punctuation or a space.
func (l *line) clauseEdge(i int) bool {
	if i < 0 || i >= len(l.folded) {
		return true
	}
	return strings.ContainsRune("，,。.！!？?；;：:、 \t…~～", l.folded[i])
}

// isName reports whether a jieba tag marks a proper noun: nr person, nrt
// transliterated name, nrfg given name, ns place, nt organisation, nz other.
func isName(pos string) bool {
	return strings.HasPrefix(pos, "nr") || pos == "ns" || pos == "nt" || pos == "nz"
}

// A wordRule glosses the word at p (a token start) and returns where it
// ends, or p when it does not apply.
type wordRule func(g *Glosser, e *emitter, l *line, p int) int

// wordRules are tried in order at each token start, after the domain
// glossary and before the dictionaries.
var wordRules []wordRule

// earlyRules run before the domain glossary, since they read a word the
// glossary knows in a wider context: 好 alone is "OK", 对X进行Y and 在 before a
// verb are no "to" and "at", 马 in 马俊 is a surname, not a trojan.
var earlyRules []wordRule

// init sets wordRules: the reordering rules gloss their phrases with
// glossRange, which runs wordRules, so a plain initialiser would be a cycle.
func init() {
	earlyRules = []wordRule{ruleReply, ruleCarryOut, ruleProgressive, ruleForeignRun, rulePersonName}
	wordRules = []wordRule{ruleObjectMarker, rulePassive, ruleParticle, ruleMeasure, ruleFunctionWord, ruleNegation, ruleUnknownName, ruleJoinSingles}
}

// replies are one-word answers that stand as a clause of their own: 好，
// ("OK,") rather than the adjective "good" of 分好了.
var replies = map[string]string{
	"好": "OK", "好的": "OK", "对": "yes", "嗯": "yes", "是": "yes", "行": "fine", "可以": "sure",
	"收到": "got it", "明白": "understood", "没事": "no problem", "没问题": "no problem", "辛苦": "thanks",
	"辛苦了": "thanks", "不行": "no", "早": "morning", "早上好": "good morning",
}

// ruleReply: a reply word alone between clause boundaries ("好，先拖库" ->
// "OK, ..."); the same word inside a clause is glossed as usual.
func ruleReply(g *Glosser, e *emitter, l *line, p int) int {
	w, end, _, ok := l.hanToken(p)
	if !ok || !l.clauseEdge(p-1) || !l.clauseEdge(end) {
		return p
	}
	if en, ok := replies[w]; ok {
		e.word(en)
		return end
	}
	return p
}

// particles carry grammar, not meaning; a gist drops them. Question
// particles become a question mark when the clause has none.
var particles = map[string]bool{"的": true, "了": true, "吗": true, "呢": true, "吧": true, "啊": true, "嘛": true, "呀": true, "哦": true, "哈": true, "啦": true, "么": true, "着": true, "得": true, "之": true}

// ruleParticle drops a particle; 吗 or 呢 at the end of a clause adds "?"
// ("要续费吗" -> "renew?"), unless a question mark follows anyway.
func ruleParticle(g *Glosser, e *emitter, l *line, p int) int {
	w, end, _, ok := l.hanToken(p)
	if !ok || !particles[w] {
		return p
	}
	if w == "的" && possessor(e, l, p) && possessed(l, end) {
		e.possessive()
		return end
	}
	if (w == "吗" || w == "呢") && l.clauseEdge(end) {
		if end >= len(l.folded) || !strings.ContainsRune("?？", l.folded[end]) {
			e.punct('?')
		}
	}
	return end
}

// possessor reports whether the word before 的 at p is a name, so that
// X的Y reads "X's Y" (阿卡电信的用户 -> "Aka Telecom's subscribers"): the
// segmenter tagged it as one, or its English is capitalised. Counter-
// example: 我的 is no name ("I" is capitalised but one letter).
func possessor(e *emitter, l *line, p int) bool {
	if len(e.lastWord) < 2 {
		return false
	}
	for q := p - 1; q >= 0 && isHanAt(l, p-1); q-- {
		if l.tokEnd[q] == p {
			if isName(l.tokPos[q]) {
				return true
			}
			break
		}
	}
	r, _ := utf8.DecodeRuneInString(e.lastWord)
	return unicode.IsUpper(r) && e.lastWord != "OK"
}

// possessed reports whether a noun follows at p.
func possessed(l *line, p int) bool {
	_, _, pos, ok := l.hanToken(p)
	if ok && isFunction(l.sub(p, p+1)) {
		return false // 太多 mistagged as a place is "too many", no noun
	}
	return ok && (strings.HasPrefix(pos, "n") && !strings.HasPrefix(pos, "nr") || pos == "vn")
}

func isHanAt(l *line, p int) bool { return p >= 0 && p < len(l.folded) && isHan(l.folded[p]) }

// maxPhrase bounds, in tokens, the object of 把 and the agent of 被 that the
// reordering rules look across for the verb.
const maxPhrase = 6

// verbAfter returns the verb group within maxPhrase tokens from p,
// stopping at a clause boundary: its start and end, or -1 if there is
// none. The verb is the first token tagged as one, except that a glossary
// term tagged as a verb (限速 "rate limit") gives way to a later verb; a
// verb right after it is its complement (编/进去 "build in") and joins it.
// A verbal noun (工资/vn) is no verb.
func (g *Glosser) verbAfter(l *line, p int) (int, int) {
	first, firstTerm := -1, false
	for n := 0; n < maxPhrase && p < len(l.folded) && !l.clauseEdge(p); n++ {
		w, end, pos, ok := l.hanToken(p)
		if ok && strings.HasPrefix(pos, "v") && pos != "vn" {
			_, term := g.glossary.words[w]
			if first < 0 {
				first, firstTerm = p, term
			} else if firstTerm && !term {
				first, firstTerm = p, false
			}
			if !firstTerm {
				break
			}
		}
		if l.tokEnd[p] == 0 {
			break
		}
		if !ok {
			end = l.tokEnd[p]
		}
		p = end
	}
	if first < 0 {
		return -1, -1
	}
	end := l.tokEnd[first]
	if _, e2, pos, ok := l.hanToken(end); ok && strings.HasPrefix(pos, "v") && pos != "vn" {
		end = e2
	}
	return first, end
}

// ruleObjectMarker reorders 把X V into English order, verb first: 把文件删了
// -> "delete files". Counter-example: 把握 is a word of its own ("grasp")
// and no object marker; 把 with no verb in its clause is dropped.
func ruleObjectMarker(g *Glosser, e *emitter, l *line, p int) int {
	w, end, pos, ok := l.hanToken(p)
	if !ok || w != "把" || pos != "p" {
		return p
	}
	v, vend := g.verbAfter(l, end)
	if v <= end {
		return p
	}
	g.glossRange(e, l, v, vend)
	if q := g.glossRange(e, l, end, v); q > v {
		return q
	}
	return vend
}

// ruleProgressive drops 在 before a verb, where it marks an action in
// progress rather than a place (他在写 -> "he write", not "he at write").
// Counter-example: 在楼下 keeps "at".
func ruleProgressive(g *Glosser, e *emitter, l *line, p int) int {
	w, end, pos, ok := l.hanToken(p)
	if !ok || w != "在" || pos != "p" {
		return p
	}
	if _, _, npos, ok := l.hanToken(end); ok && strings.HasPrefix(npos, "v") && npos != "vn" {
		return end
	}
	return p
}

// ruleCarryOut writes 对X进行Y ("carry out Y on X") as "Y X": 对服务器进行扫描
// -> "scan server". Counter-example: 对 without 进行 in its clause is "to"
// or "yes" as usual.
func ruleCarryOut(g *Glosser, e *emitter, l *line, p int) int {
	w, end, pos, ok := l.hanToken(p)
	if !ok || w != "对" || pos != "p" {
		return p
	}
	q := end
	for n := 0; n < maxPhrase && q < len(l.folded) && !l.clauseEdge(q) && l.tokEnd[q] > 0; n++ {
		if tw, tend, _, ok := l.hanToken(q); ok && tw == "进行" {
			if q == end || tend >= len(l.folded) || l.tokEnd[tend] == 0 || l.clauseEdge(tend) {
				return p
			}
			yend := l.tokEnd[tend]
			g.glossRange(e, l, tend, yend)
			g.glossRange(e, l, end, q)
			return yend
		}
		q = l.tokEnd[q]
	}
	return p
}

// rulePassive writes 被 (X) V as "get V (by X)": 别被发现 -> "don't get
// discover", 被警方抓了 -> "get catch by police". Counter-example: 被子 is a
// word ("quilt").
func rulePassive(g *Glosser, e *emitter, l *line, p int) int {
	w, end, pos, ok := l.hanToken(p)
	if !ok || w != "被" || pos != "p" {
		return p
	}
	v, vend := g.verbAfter(l, end)
	if v < end {
		return p
	}
	e.word("get")
	g.glossRange(e, l, v, vend)
	if v > end {
		e.word("by")
		if q := g.glossRange(e, l, end, v); q > v {
			return q
		}
	}
	return vend
}

// functionWords are grammar words whose CC-CEDICT senses mislead in running
// text (别 "to leave" for "don't", 把 "to hold" for the object marker, 才
// "talent" for "only"). "" drops the word. Only a whole token matches, so
// 别人 and 把握 keep their own senses.
var functionWords = map[string]string{
	"把": "", "被": "get", "别": "don't", "要": "want", "还": "still", "还是": "still", "都": "all",
	"也": "also", "又": "again", "才": "only", "就": "just", "没": "not", "不": "not", "很": "very",
	"太": "too", "再": "again", "先": "first", "给": "give", "让": "have", "跟": "with", "按": "by",
	"往": "toward", "里": "in", "中": "in", "个": "", "一下": "", "过": "past", "将": "will", "已": "already",
	"能": "can", "会": "will", "您": "you", "他": "he", "她": "she", "它": "it", "我": "I", "你": "you",
	"我们": "we", "你们": "you", "他们": "they", "咱们": "we", "大家": "everyone", "某": "some", "各": "each",
	"一直": "all along", "一共": "in total", "共": "in total", "一点": "a bit", "不少": "many", "一样": "same",
	"怎么": "how", "什么": "what", "为什么": "why", "哪里": "where", "这里": "here", "那里": "there",
	"这边": "here", "那边": "over there", "这个": "this", "那个": "that", "这些": "these", "那些": "those",
	"已经": "already", "正在": "", "所以": "so", "但是": "but", "如果": "if", "的话": "if", "然后": "then",
	"目前": "so far", "估计": "probably", "大概": "about", "左右": "about", "一起": "together",
	"约": "about", "后": "after", "之后": "after", "以后": "after", "之前": "before", "以前": "before",
}

// ruleFunctionWord glosses a whole token found in functionWords.
func ruleFunctionWord(g *Glosser, e *emitter, l *line, p int) int {
	w, end, _, ok := l.hanToken(p)
	if !ok {
		return p
	}
	if en, ok := functionWords[w]; ok {
		e.word(en)
		return end
	}
	return p
}

// titles follow a surname and are written before it in English: 王总 ->
// "Mr. Wang", 李处 -> "Director Li".
var titles = map[string]string{
	"总": "Mr.", "先生": "Mr.", "女士": "Ms.", "小姐": "Ms.", "经理": "Manager", "处": "Director",
	"处长": "Director", "局长": "Director", "主任": "Director", "部长": "Minister", "工": "Engineer",
	"老师": "Teacher", "会计": "Accountant", "律师": "Lawyer", "警官": "Officer", "姐": "", "哥": "",
}

// familiar are prefixes of a surname used as a nickname: 老王, 小李.
var familiar = map[rune]bool{'老': true, '小': true}

// surnameAt returns the length in runes of a surname from the pinyin table
// at p (a compound such as 欧阳 first) and its reading.
func surnameAt(l *line, p int) (int, string) {
	if p+2 <= len(l.folded) {
		if r := pinyin.Surname(l.sub(p, p+2)); len(r) > 0 {
			return 2, r[0]
		}
	}
	if p < len(l.folded) {
		if r := pinyin.Surname(l.sub(p, p+1)); len(r) > 0 {
			return 1, r[0]
		}
	}
	return 0, ""
}

// reading is the toneless pinyin of a character's main reading: from
// CC-CEDICT's most used entry, else the pinyin package's first.
func (g *Glosser) reading(r rune) string {
	if g.lex != nil {
		if s, ok := g.lex.reading[r]; ok {
			return s
		}
	}
	if rs := pinyin.Of(r); len(rs) > 0 {
		return rs[0]
	}
	return ""
}

// romaniseName writes a name the way English writes Chinese names: the
// surname and the given name each as one capitalised pinyin word
// ("Ouyang Xiaoming"); "" when a character has no known reading.
func (g *Glosser) romaniseName(surname string, given []rune) string {
	var b strings.Builder
	for _, r := range given {
		s := g.reading(r)
		if s == "" {
			return ""
		}
		b.WriteString(s)
	}
	out := capitalise(surname)
	if b.Len() > 0 {
		out += " " + capitalise(b.String())
	}
	return out
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// nameish are the tags a given name gets from the segmenter when it does
// not know the name: a name part, a noun, or an unknown morpheme.
func nameish(pos string) bool {
	return isName(pos) || pos == "n" || pos == "zg" || pos == "ng" || pos == "a" || pos == "ag"
}

// nameAt is a surname found at a token start, with what the name rules
// need to know about its token.
type nameAt struct {
	p, n      int    // start and length in runes of the surname
	sur       string // its reading
	fromTable bool   // from the pinyin surname table, not only tagged nr
	word      string // the token starting at p
	end       int    // its end
	pos       string // its tag
}

// A nameRule romanises the name at s, or returns s.p when it does not
// apply.
type nameRule func(g *Glosser, e *emitter, l *line, s nameAt) int

// nameRules are tried in order once a surname is found; see rulePersonName.
var nameRules = []nameRule{nameWithTitle, nameWithTail, nameInToken, nameOfLoneChars, nameAfterSurname}

// rulePersonName romanises a person's name in pinyin instead of glossing
// its characters (刘晓东 is "Liu Xiaodong", not "Liu dawn east"). It finds
// a nickname (老王) or a surname from the pinyin table (or a lone
// character the segmenter tags as a name) and runs nameRules. A glossary
// term that starts with a surname (哈国, Kazakhstan) is no name.
func rulePersonName(g *Glosser, e *emitter, l *line, p int) int {
	w, end, pos, ok := l.hanToken(p)
	if !ok {
		return p
	}
	if n, _ := g.glossary.longestAt(l, p); n >= 2 && p+n >= end {
		return p
	}
	if q := nickname(g, e, l, p, w, end); q > p {
		return q
	}
	s := nameAt{p: p, word: w, end: end, pos: pos}
	s.n, s.sur = surnameAt(l, p)
	s.fromTable = s.n > 0
	if s.n == 0 && end == p+1 && strings.HasPrefix(pos, "nr") {
		// A surname missing from the table that the segmenter still
		// tags as a name on its own (仝/nr 志远/nrfg).
		s.n, s.sur = 1, g.reading(l.folded[p])
	}
	if s.n == 0 || s.sur == "" {
		return p
	}
	for _, rule := range nameRules {
		if q := rule(g, e, l, s); q > p {
			return q
		}
	}
	return p
}

// nickname: 老 or 小 and a surname (老王 -> "Wang"), when the pair is no
// dictionary word (小时 stays "hour").
func nickname(g *Glosser, e *emitter, l *line, p int, w string, end int) int {
	if !familiar[l.folded[p]] || end != p+2 {
		return p
	}
	n, sur := surnameAt(l, p+1)
	if _, common := g.lookup(w); n != 1 || common {
		return p
	}
	e.word(capitalise(sur))
	return end
}

// writeName writes the romanised surname and given name rs[from:to] and
// returns to, or p when a character has no reading.
func (g *Glosser) writeName(e *emitter, l *line, s nameAt, from, to int) int {
	name := g.romaniseName(s.sur, l.folded[from:to])
	if name == "" {
		return s.p
	}
	e.word(name)
	return to
}

// nameWithTitle: a title after the surname, in its token or the next (张总,
// 陈/会计 -> "Mr. Zhang", "Accountant Chen").
func nameWithTitle(g *Glosser, e *emitter, l *line, s nameAt) int {
	title, end := "", 0
	if s.end > s.p+s.n {
		title, end = l.sub(s.p+s.n, s.end), s.end
	} else if next, nend, _, ok := l.hanToken(s.end); ok {
		title, end = next, nend
	}
	t, ok := titles[title]
	if !ok {
		return s.p
	}
	e.word(strings.TrimSpace(t + " " + capitalise(s.sur)))
	return end
}

// nameWithTail: a surname and half a given name in one token, the other
// half cut off as a token of its own (梁子/nr 豪/n: 梁子 alone is a word).
func nameWithTail(g *Glosser, e *emitter, l *line, s nameAt) int {
	if s.end-s.p != s.n+1 || !strings.HasPrefix(s.pos, "nr") && s.pos != "nz" {
		return s.p
	}
	q := nameTail(l, s.end)
	if q == s.end {
		return s.p
	}
	if _, common := g.lookup(l.sub(s.p, q)); common {
		return s.p
	}
	return g.writeName(e, l, s, s.p+s.n, q)
}

// nameInToken: a whole token tagged as a name (张三/nr), unless it is an
// everyday word (明白 is "understand", not Ming Bai) or, at two
// characters, followed by what no name is (高危/漏洞 is "high-risk").
func nameInToken(g *Glosser, e *emitter, l *line, s nameAt) int {
	if s.end <= s.p+s.n || !strings.HasPrefix(s.pos, "nr") || s.end-s.p > s.n+2 {
		return s.p
	}
	if s.end-s.p == s.n+1 && !nameFollows(l, s.end) {
		return s.p
	}
	if _, common := g.lookup(s.word); common {
		return s.p
	}
	return g.writeName(e, l, s, s.p+s.n, s.end)
}

// nameOfLoneChars: a surname token and one or two characters the segmenter
// could place in no word (周/v 振/v 华/ng), before what may follow a name.
func nameOfLoneChars(g *Glosser, e *emitter, l *line, s nameAt) int {
	if s.end != s.p+s.n || !s.fromTable {
		return s.p
	}
	q := g.singlesName(l, s.end)
	if q == s.end || !nameFollows(l, q) {
		return s.p
	}
	return g.writeName(e, l, s, s.end, q)
}

// nameAfterSurname: the surname as its own token tagged as a name and a
// given name of one or two characters (贺/nr 宁/zg), or an untagged
// surname and a one-character name token (符/v 晓/nr 楠); a second
// given-name character cut off is joined unless it is a verb (贺/宁/抽:
// only 宁 belongs to the name).
func nameAfterSurname(g *Glosser, e *emitter, l *line, s nameAt) int {
	if s.end != s.p+s.n {
		return s.p
	}
	next, nend, npos, ok := l.hanToken(s.end)
	if !ok {
		return s.p
	}
	surTagged := strings.HasPrefix(s.pos, "nr")
	nn := nend - s.end
	switch {
	case surTagged && nn <= 2 && nameish(npos) && !isFunction(next):
	case !surTagged && nn == 1 && strings.HasPrefix(npos, "nr"):
	default:
		return s.p
	}
	gend := nend
	if nn == 1 {
		if w2, e2, p2, ok := l.hanToken(nend); ok && e2 == nend+1 && nameish(p2) && !isFunction(w2) && !strings.HasPrefix(p2, "v") {
			if _, common := g.lookup(next + w2); !common {
				gend = e2
			}
		}
	}
	return g.writeName(e, l, s, s.end, gend)
}

// nameFollows reports whether what comes at q may follow a person's name
// that the segmenter did not recognise: the end of the clause, a verb, a
// pronoun or demonstrative (那边), a preposition, an adverb or a
// conjunction, or something that is not Chinese. A noun, an adjective, a
// number or a particle after the characters says they are a word instead
// (高危/漏洞 "high-risk vulnerability", 车/停/在 "the car parks at").
func nameFollows(l *line, q int) bool {
	if l.clauseEdge(q) || !isHanAt(l, q) {
		return true
	}
	_, _, pos, ok := l.hanToken(q)
	if !ok {
		return false
	}
	if strings.HasPrefix(pos, "v") && pos != "vn" {
		return true
	}
	switch pos {
	case "r", "p", "d", "c":
		return true
	}
	return false
}

// singleHan reports whether the token at p is one Han character that is no
// grammar word.
func singleHan(l *line, p int) bool {
	w, end, _, ok := l.hanToken(p)
	return ok && end == p+1 && !isFunction(w)
}

// nameTail returns the end of a one-character given-name part at p when
// the segmenter left it alone and what follows is not another lone
// character (which would make the run garbage rather than a name); else p.
func nameTail(l *line, p int) int {
	_, _, pos, _ := l.hanToken(p)
	if !singleHan(l, p) || !(nameish(pos) || pos == "t") {
		return p
	}
	if singleHan(l, p+1) && !strings.HasPrefix(l.tokPos[p+1], "v") {
		return p // a verb may follow a name (周明远说), another name part may not
	}
	return p + 1
}

// singlesName returns the end of a given name of one or two lone
// characters at p after a surname token, when exactly that many lone
// characters follow and neither they nor a pair of them is a dictionary
// word (包/收到 and 于/是 are no names); else p.
func (g *Glosser) singlesName(l *line, p int) int {
	k := 0
	for k < 3 && singleHan(l, p+k) {
		k++
	}
	if k == 3 && strings.HasPrefix(l.tokPos[p+2], "v") {
		k = 2 // a verb after the name: 周振华说
	}
	if k == 0 || k > 2 {
		return p
	}
	if _, common := g.lookup(l.sub(p-1, p+k)); common {
		return p
	}
	for i := p - 1; i+2 <= p+k; i++ {
		if _, common := g.lookup(l.sub(i, i+2)); common {
			return p
		}
	}
	return p + k
}

// isFunction reports whether w is grammar rather than a possible name part.
func isFunction(w string) bool {
	_, f := functionWords[w]
	_, r := replies[w]
	return f || r || particles[w]
}

// demonstratives come before a measure word: 那台 "that", 每个 "every".
var demonstratives = map[rune]string{
	'这': "this", '那': "that", '哪': "which", '每': "every", '某': "some", '各': "each", '几': "several",
	'上': "last", '下': "next",
}

// classifiers are measure words with what they add in English: most add
// nothing (那台服务器 is "that server"), a few name a quantity (一批 "a
// batch").
var classifiers = map[rune]string{
	'个': "", '台': "", '条': "", '封': "", '张': "", '件': "", '位': "", '名': "", '家': "", '部': "",
	'块': "", '笔': "", '只': "", '本': "", '间': "", '些': "", '款': "", '根': "", '颗': "", '段': "",
	'批': "batch", '份': "copy", '套': "set", '轮': "round", '次': "time|times", '遍': "time|times", '种': "kind|kinds",
	'期': "phase", '包': "package|packages", '层': "layer|layers", '组': "group|groups", '天': "day|days",
	'点': "o'clock", '版': "version", '周': "week|weeks",
}

// classifierWord is the English of a measure word after the number v:
// "day" after one, "days" after more.
func classifierWord(c string, v int) string {
	one, many, ok := strings.Cut(c, "|")
	if !ok || v != 1 {
		if ok {
			return many
		}
		return one
	}
	return one
}

// numerals are the Chinese digits; units multiply them.
var numerals = map[rune]int{'〇': 0, '零': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}

var numeralUnits = map[rune]int{'十': 10, '百': 100, '千': 1000}

var smallNumbers = []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}

// chineseNumber reads a Chinese numeral at p (三, 十二, 二十, 一千, 两百) and
// returns its value and length; 0 length when there is none or it is
// ambiguous (八九百, "eight or nine hundred", is left to the dictionary).
func chineseNumber(rs []rune, p int) (int, int) {
	total, digit, q := 0, -1, p
	for q < len(rs) {
		r := rs[q]
		if d, ok := numerals[r]; ok {
			if digit >= 0 {
				return 0, 0
			}
			digit = d
			q++
			continue
		}
		if u, ok := numeralUnits[r]; ok {
			if digit < 0 {
				digit = 1 // 十二: the ten has no digit
			}
			total += digit * u
			digit = -1
			q++
			continue
		}
		break
	}
	if digit > 0 {
		total += digit
	}
	if q == p || total == 0 && digit != 0 {
		return 0, 0
	}
	return total, q - p
}

func numberWord(v int) string {
	if v >= 0 && v < len(smallNumbers) {
		return smallNumbers[v]
	}
	return formatQty(float64(v))
}

// ruleMeasure glosses a demonstrative or a Chinese numeral with its measure
// word: 那台 "that", 三台 "three" (not Santai county), 这批 "this batch",
// 下个月 "next month", 十封 "ten", 二十多万 "over 200,000". Counter-example:
// 台 alone after a noun is no measure word (电视台 stays a station).
func ruleMeasure(g *Glosser, e *emitter, l *line, p int) int {
	rs := l.folded
	if d, ok := demonstratives[rs[p]]; ok && p+1 < len(rs) {
		if c, ok := classifiers[rs[p+1]]; ok && (l.tokEnd[p+2] > 0 || p+2 == len(rs) || l.containing(p+1) <= p+2) {
			e.word(d)
			e.word(classifierWord(c, 1))
			return p + 2
		}
		return p
	}
	if w, _, _, ok := l.hanToken(p); ok && isFunction(w) {
		return p // 一点 "a bit", 一下
	}
	v, n := chineseNumber(rs, p)
	if n == 0 {
		return p
	}
	q := p + n
	over := false
	if q < len(rs) && rs[q] == '多' {
		over, q = true, q+1
	}
	mult := 1
	switch {
	case q < len(rs) && rs[q] == '万':
		mult, q = 10000, q+1
	case q < len(rs) && rs[q] == '亿':
		mult, q = 100000000, q+1
	}
	c, isClassifier := "", false
	if q < len(rs) {
		c, isClassifier = classifiers[rs[q]]
	}
	if !isClassifier && mult == 1 {
		// A bare numeral is often part of a word (一直, 三角): only a
		// numeral the segmenter cut as a word of its own stands alone.
		if l.tokEnd[p] != p+n || n == 1 && v < 10 {
			return p
		}
	}
	if isClassifier {
		q++
	}
	num := numberWord(v * mult)
	if mult > 1 {
		num = formatQty(float64(v * mult))
	}
	if over {
		num = "over " + num
	}
	e.word(num)
	e.word(classifierWord(c, v*mult))
	return q
}

// transliteration are characters Chinese uses to spell foreign names
// (阿, 尔, 斯 ...). A run of them that is no dictionary word is a
// foreign name and is romanised, never glossed character by character
// (卡尔维拉 is "Kaerweila", not "card you dimension pull").
const transliteration = "赞亚尔阿埃艾安奥巴拜邦贝比彼波伯布查达丹德迪蒂杜顿多厄恩菲芬弗伏福伽盖戈哥格圭哈赫霍基吉贾杰捷喀卡凯坎柯科克肯库夸奎拉莱兰朗劳勒雷里利莉丽卢鲁伦罗洛马玛迈曼梅蒙米莫姆穆纳娜奈内尼妮纽努诺欧帕佩皮珀普奇齐乔切钦萨塞森沙莎舍什斯苏索塔泰坦特提图托瓦威韦维沃乌伍希锡耶伊因尤泽扎詹兹佐"

func isTranslit(r rune) bool { return strings.ContainsRune(transliteration, r) }

// ruleForeignRun romanises a run of three or more transliteration
// characters ending on a token boundary (卡尔维拉 -> "Kaerweila"). A run
// that is a dictionary word, or that starts with a word the segmenter
// found, is left to the dictionaries (阿富汗 is Afghanistan, 多少 is "how
// many"); CC-CEDICT's English name of the whole run wins over a
// romanisation (卡斯特拉诺 -> "Castellano").
func ruleForeignRun(g *Glosser, e *emitter, l *line, p int) int {
	rs := l.folded
	q := p
	for q < len(rs) && isTranslit(rs[q]) {
		q++
	}
	// Back off to the last token boundary inside the run.
	for q > p && q < len(rs) && l.tokEnd[q] == 0 {
		q--
	}
	if q-p < 3 {
		return p
	}
	return g.romaniseForeign(e, l, p, q)
}

// ruleUnknownName romanises a name the dictionaries do not know: a token
// of two transliteration characters tagged as a name (塔纳/nrt -> "Tana"),
// or a place or organisation token (ns, nt) of two or more characters
// (云州/ns -> "Yunzhou"). Counter-examples: a tagged token that is a
// dictionary word (东西/ns is "thing") or holds a grammar word (太多/ns,
// "too many") is glossed as usual.
func ruleUnknownName(g *Glosser, e *emitter, l *line, p int) int {
	w, end, pos, ok := l.hanToken(p)
	if !ok || end-p < 2 || !isName(pos) {
		return p
	}
	translit := true
	for _, r := range w {
		translit = translit && isTranslit(r)
		if isFunction(string(r)) {
			return p
		}
	}
	if !(translit && end-p == 2 || pos == "ns" || pos == "nt") {
		return p
	}
	// 东川市 -> "Dongchuan city": the name, then its kind in English.
	if kind, ok := placeSuffix[l.folded[end-1]]; ok && end-p >= 3 {
		if q := g.romaniseForeign(e, l, p, end-1); q > p {
			e.word(kind)
			return end
		}
	}
	return g.romaniseForeign(e, l, p, end)
}

// placeSuffix are the administrative kinds that end a place name.
var placeSuffix = map[rune]string{'港': "port", '省': "province", '市': "city", '县': "county", '区': "district", '镇': "town", '乡': "township", '村': "village"}

// romaniseForeign writes rs[p:q] as one romanised name unless it is a
// dictionary word; it returns p when it wrote nothing.
func (g *Glosser) romaniseForeign(e *emitter, l *line, p, q int) int {
	rs := l.folded
	w := l.sub(p, q)
	if _, common := g.lookup(w); common {
		return p
	}
	if n, _ := g.glossary.longestAt(l, p); n >= 2 {
		return p
	}
	if tw, tend, _, ok := l.hanToken(p); ok && tend-p >= 2 && tend <= q {
		if _, common := g.lookup(tw); common {
			return p
		}
	}
	if g.lex != nil {
		if en, ok := g.lex.proper[w]; ok {
			e.word(en)
			return q
		}
	}
	var b strings.Builder
	for _, r := range rs[p:q] {
		s := g.foreignReading(r)
		if s == "" {
			return p
		}
		b.WriteString(s)
	}
	e.word(capitalise(b.String()))
	return q
}

// foreignReading is how a character spells a foreign name: its reading in
// proper nouns when CC-CEDICT has one (阿 "a"), else its main reading.
func (g *Glosser) foreignReading(r rune) string {
	if g.lex != nil {
		if s, ok := g.lex.properReading[r]; ok {
			return s
		}
	}
	return g.reading(r)
}

// negations fused to a verb by the segmenter: 别碰 "don't touch".
var negations = map[rune]string{'别': "don't", '不': "not", '没': "not"}

// ruleNegation splits a negation the segmenter glued to a verb when the
// pair is no dictionary word (别碰 -> "don't touch"); counter-example:
// 不少 is a word ("many") and keeps its own sense.
func ruleNegation(g *Glosser, e *emitter, l *line, p int) int {
	w, end, pos, ok := l.hanToken(p)
	neg, isNeg := negations[l.folded[p]]
	if !ok || !isNeg || end-p < 2 || end-p > 3 || isName(pos) {
		return p // 别克/nr is a name
	}
	if _, common := g.lookup(w); common {
		return p
	}
	rest, ok := g.lookup(l.sub(p+1, end))
	if !ok || rest == "" {
		return p
	}
	e.word(neg)
	e.word(rest)
	return end
}

// ruleJoinSingles joins characters the segmenter left as single-character
// tokens when together they are a dictionary word (外/包 -> 外包
// "outsourcing"); counter-example: 中/了 is no word and stays apart.
func ruleJoinSingles(g *Glosser, e *emitter, l *line, p int) int {
	if g.lex == nil || l.tokEnd[p] != p+1 {
		return p
	}
	n, en := g.lex.common.longestAt(l, p)
	if n < 2 || l.tokEnd[p+n] == 0 && p+n < len(l.folded) {
		return p
	}
	for q := p; q < p+n; q++ {
		if l.tokEnd[q] != q+1 {
			return p
		}
	}
	e.word(en)
	return p + n
}

// properNoun is CC-CEDICT's English for a proper noun, used only when the
// segmenter tags the token as a name and it is the whole token: 东川/ns is
// "Dongchuan", while 台 inside "that server" is never Taiwan.
func (g *Glosser) properNoun(l *line, p, end int) (string, bool) {
	if g.lex == nil || l.tokEnd[p] != end || !isName(l.tokPos[p]) {
		return "", false
	}
	en, ok := g.lex.proper[l.sub(p, end)]
	return en, ok
}
