// Package org detects organisations: a country and a body type (智利财政部
// is Chile + Ministry of Finance; "Chile Foreign Ministry"; "Ministry of
// Foreign Affairs (Peru)"), a proper name and a body type (子午线医院,
// NVTL电信, Meridian Hospitals), strong bodies named alone (外交部, 国家安全局,
// "intelligence agency"), and international bodies (NATO/北约).
//
// # Key
//
// Norm is a key "CC|Name|Body" meant for merging mentions across languages:
// CC is the ISO 3166-1 alpha-2 code, "INT" or "" when the mention names no
// country; Name is the proper name when one is written (NVTL, Meridian
// Hospitals, 子午线医院), else the English canonical body with its
// qualifier ("President's Ministry of Interior"); Body is the canonical
// body type of the gazetteer ("Hospital", "" for international bodies).
// Key parses it. 智利外交部 and "Ministry of Foreign Affairs (Chile)"
// both give "IN|Ministry of Foreign Affairs|Ministry of Foreign Affairs".
//
// # Gazetteer
//
// Bodies lists each body type with Simplified, Traditional and English
// spellings, an English canonical form, a sector, and whether it is strong
// (one per country, so meaningful without a name). A weak body (公司, 中心,
// 局, Hospital) is an organisation only with a country or a proper name.
// A ministry the gazetteer does not list (越南海岸事务部, "Ministry of
// Coastal Affairs (Vietnam)", "Vietnam's Coastal Affairs Ministry") is the
// weak body "Ministry" with its written name, keyed in the "Ministry of X"
// word order.
//
// # Aliases
//
// A parenthesis right after a mention (北港养老基金组织(NPFO),
// 子午线医院(Meridian Hospitals)) is emitted as a second mention with the same
// Norm, so that consumers learn the alias without a dictionary.
//
// The detector needs no segmenter: Chinese proper names before a weak body
// are cut at function characters (的, 了, 在, ...) and punctuation and are
// 2-4 characters long. A part-of-speech segmenter (nt/ns tags) would do
// better and can be added behind the same Norm.
package org

import (
	"bytes"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/leakscope/leakscope/internal/entity"
	"github.com/leakscope/leakscope/internal/entity/geo"
	"github.com/leakscope/leakscope/internal/leak"
)

// Detector finds organisations. It is pure and safe for concurrent use.
type Detector struct{}

var _ entity.Detector = Detector{}

// Kinds implements entity.Detector.
func (Detector) Kinds() []leak.Kind { return []leak.Kind{leak.KindOrg} }

// Keywords implements entity.Detector.
func (Detector) Keywords() []string { return nil }

// KeyParts is a parsed Norm.
type KeyParts struct{ Country, Name, Body string }

// Key parses a Norm of this package.
func Key(norm string) KeyParts {
	p := strings.SplitN(norm, "|", 3)
	for len(p) < 3 {
		p = append(p, "")
	}
	return KeyParts{p[0], p[1], p[2]}
}

// Norm formats a key.
func (k KeyParts) Norm() string { return k.Country + "|" + k.Name + "|" + k.Body }

// Sector returns the sector of a canonical body type, or "".
func Sector(body string) string {
	if b, ok := byCanon[body]; ok {
		return b.Sector
	}
	return ""
}

// Strong reports whether the canonical body type names one organisation per
// country.
func Strong(body string) bool { return byCanon[body].Strong }

var (
	zhBodies  = map[string]*Body{}
	zhFirst   = map[rune][]int{}
	enBodies  = map[string]*Body{}
	enFirst   = map[byte][]int{}
	byCanon   = map[string]Body{}
	namedBody = map[string]bool{"Ministry": true, "Hospital": true, "University": true, "Bank": true, "Airline": true, "Company": true, "Research institute": true, "Telecom operator": true,
		"Shipping company": true, "Port authority": true, "Railway": true, "Airport": true, "Power utility": true, "Petrochemical company": true,
		"Mining company": true, "Aerospace company": true, "Engineering company": true, "Insurance company": true, "Laboratory": true, "Broadcaster": true}
)

func init() {
	for i := range Bodies {
		b := &Bodies[i]
		byCanon[b.Canon] = *b
		for _, s := range b.Zh {
			if _, ok := zhBodies[s]; !ok {
				zhBodies[s] = b
			}
			r, _ := utf8.DecodeRuneInString(s)
			zhFirst[r] = append(zhFirst[r], len(s))
		}
		for _, s := range b.En {
			if _, ok := enBodies[s]; !ok {
				enBodies[s] = b
			}
			enFirst[s[0]] = append(enFirst[s[0]], len(s))
		}
	}
	for r, ls := range zhFirst {
		slices.Sort(ls)
		ls = slices.Compact(ls)
		slices.Reverse(ls)
		zhFirst[r] = ls
	}
	for c, ls := range enFirst {
		slices.Sort(ls)
		ls = slices.Compact(ls)
		slices.Reverse(ls)
		enFirst[c] = ls
	}
}

// zhBodyAt returns the longest Chinese body spelling at text[i].
func zhBodyAt(text []byte, i int) (*Body, int) {
	if i >= len(text) {
		return nil, 0
	}
	r, _ := utf8.DecodeRune(text[i:])
	for _, l := range zhFirst[r] {
		if i+l <= len(text) {
			if b, ok := zhBodies[string(text[i:i+l])]; ok {
				return b, l
			}
		}
	}
	return nil, 0
}

// enBodyAt returns the longest English body spelling at a word start.
func enBodyAt(text []byte, i int) (*Body, int) {
	if i >= len(text) {
		return nil, 0
	}
	if i > 0 && isWordByte(text[i-1]) {
		return nil, 0
	}
	for _, l := range enFirst[text[i]] {
		if i+l <= len(text) && (i+l == len(text) || !isWordByte(text[i+l])) {
			if b, ok := enBodies[string(text[i:i+l])]; ok {
				return b, l
			}
		}
	}
	return nil, 0
}

// stop are characters that never belong to a Chinese organisation name.
const stop = "的了是在和与及或把被给别请对向从到将等都回传发收送也还就又再很该这那其个些们我你他她它说看拿打进入出去来有没不要会能可已经过把给让于为以并且但而后前上下中里外内这那哪么呢吧吗啊呀哦嗯"

// Detect implements entity.Detector.
func (Detector) Detect(text []byte, emit func(entity.Match)) {
	last := 0 // end of the last emitted mention
	out := func(s, e int, k KeyParts) {
		emit(entity.Match{Kind: leak.KindOrg, Value: string(text[s:e]), Norm: k.Norm(), Start: s, End: e})
		last = e
		// A parenthesised alias right after the mention.
		if as, ae := parenAlias(text, e); ae > as {
			emit(entity.Match{Kind: leak.KindOrg, Value: string(text[as:ae]), Norm: k.Norm(), Start: as, End: ae})
			last = ae
		}
	}
	for i := 0; i < len(text); {
		if e, k, ok := zhAt(text, i, last); ok {
			out(i, e, k)
			i = last
			continue
		}
		if isLatinByte(text[i]) && (i == 0 || !isWordByte(text[i-1])) {
			if s, e, k, ok := enAt(text, i); ok {
				out(s, e, k)
				i = last
				continue
			}
			for i < len(text) && isWordByte(text[i]) {
				i++
			}
			continue
		}
		if s, e, k, ok := namedZh(text, i, last); ok {
			out(s, e, k)
			i = last
			continue
		}
		_, w := utf8.DecodeRune(text[i:])
		i += w
	}
}

// zhAt reads "<country>[某][Latin name][qualifier][gap]<body>" or
// "[qualifier]<strong body>" or an international body at text[i].
func zhAt(text []byte, i, last int) (int, KeyParts, bool) {
	code, n := geo.At(text, i)
	if code == geo.International {
		name := geo.BodyName(string(text[i : i+n]))
		if name == "" {
			return 0, KeyParts{}, false
		}
		return i + n, KeyParts{geo.International, name, ""}, true
	}
	if n > 0 && isLatinByte(text[i]) {
		return 0, KeyParts{}, false // English names are read by enAt
	}
	if n == 0 {
		r, w := utf8.DecodeRune(text[i:])
		if c, ok := geo.ShortCode(r); ok && r >= 0x3400 {
			if b, _ := zhBodyAt(text, i+w); b != nil && b.Strong {
				if sc, sn := geo.ShortAt(text, i); sn > 0 && sc == c {
					code, n = c, w
				}
			}
		}
	}
	p := i + n
	var qual string
	if n > 0 {
		if bytes.HasPrefix(text[p:], []byte("某")) {
			p += len("某")
		}
		// A Latin proper name: 智利NVTL电信, 巴基斯坦Korvo电信.
		if p < len(text) && isLatinByte(text[p]) {
			q := p
			for q < len(text) && (isWordByte(text[q]) || text[q] == '&' || text[q] == '-') && q-p < 32 {
				q++
			}
			if b, l := zhBodyAt(text, q); b != nil {
				return q + l, KeyParts{code, string(text[p:q]), b.Canon}, true
			}
		}
	}
	// A qualifier (总统) unless a body at least as long starts here
	// (总统府 is the Office of the President, not a President's office).
	if qp, q := qualifierAt(text, p); qp > p {
		if _, l := zhBodyAt(text, p); l < qp-p {
			p, qual = qp, q
		}
	}
	// The body, possibly after a short gap of name characters.
	gapStart := p
	for k := 0; k <= 6 && p < len(text); k++ {
		if b, l := zhBodyAt(text, p); b != nil {
			gap := string(text[gapStart:p])
			if n == 0 && (!b.Strong || gap != "") {
				return 0, KeyParts{}, false
			}
			if n == 0 && qual == "" && i > 0 {
				// A strong body alone must start a word: not 驻外交部门.
				pr, _ := utf8.DecodeLastRune(text[:i])
				if unicode.Is(unicode.Han, pr) && !strings.ContainsRune(stop+"，。、：；！？", pr) {
					return 0, KeyParts{}, false
				}
			}
			canon := b.Canon
			if qual != "" {
				canon = qual + " " + canon
			}
			if gap != "" && !b.Strong {
				return p + l, KeyParts{code, gap + string(text[p:p+l]), b.Canon}, true
			}
			return p + l, KeyParts{code, canon, b.Canon}, true
		}
		r, w := utf8.DecodeRune(text[p:])
		if l := nameWordAt(text, p); l > 0 && n > 0 {
			p += l // 能源, 中央: a name word that starts with a stop character
			continue
		}
		if !unicode.Is(unicode.Han, r) || strings.ContainsRune(stop, r) || n == 0 {
			break
		}
		if c, _ := geo.At(text, p); c != "" {
			break
		}
		p += w
	}
	return 0, KeyParts{}, false
}

// nameWords are words common in organisation names whose first character
// is a stop character (能, 中, 上, 外, 发, 进, 和).
var nameWords = []string{"能源", "中央", "中部", "上海", "外贸", "发展", "进出口", "和平", "国际"}

// nameWordAt returns the length of the name word at text[p], or 0.
func nameWordAt(text []byte, p int) int {
	for _, w := range nameWords {
		if bytes.HasPrefix(text[p:], []byte(w)) {
			return len(w)
		}
	}
	return 0
}

func qualifierAt(text []byte, p int) (int, string) {
	for q, en := range qualifiers {
		if strings.HasPrefix(string(text[p:min(len(text), p+len(q))]), q) {
			return p + len(q), en
		}
	}
	return p, ""
}

// phoneticBefore reports whether the character before the end of text
// (and after last) is a transliteration character.
func phoneticBefore(text []byte, last int) bool {
	if len(text) <= last {
		return false
	}
	r, _ := utf8.DecodeLastRune(text)
	_, ok := phonetic[r]
	return ok
}

// maxTranslitRunes bounds a Chinese proper name read back from its body
// word: four characters of any kind, then more only while they are
// transliteration characters (卡斯特拉诺航运: ka-si-te-la-nuo is five).
const maxTranslitRunes = 12

// namedZh reads "<proper name><weak named body>" without a country:
// 子午线医院, Meridian医院, NVTL电信. The name is a Latin word right before the
// body, or 2-4 Han characters back to a stop character or last, and
// further back while they are transliteration characters.
func namedZh(text []byte, i, last int) (int, int, KeyParts, bool) {
	b, l := zhBodyAt(text, i)
	if b == nil || !namedBody[b.Canon] {
		return 0, 0, KeyParts{}, false
	}
	s := i
	if s > last && isLatinByte(text[s-1]) {
		for s > last && (isWordByte(text[s-1]) || text[s-1] == '&' || text[s-1] == '-') {
			s--
		}
		if s > 0 && isWordByte(text[s-1]) {
			return 0, 0, KeyParts{}, false
		}
		name := string(text[s:i])
		if len(name) < 2 || !unicode.IsUpper(rune(name[0])) {
			return 0, 0, KeyParts{}, false
		}
		return s, i + l, KeyParts{"", name, b.Canon}, true
	}
	runes, after := 0, false // after: the character read before this one is phonetic
	for s > last && runes < maxTranslitRunes {
		r, w := utf8.DecodeLastRune(text[:s])
		_, ph := phonetic[r]
		if !unicode.Is(unicode.Han, r) || strings.ContainsRune(stop, r) && !(ph && after && phoneticBefore(text[:s-w], last)) {
			break // 里 of 马里拉 is a sound inside a transliteration, not "inside"
		}
		if runes >= 4 && !ph {
			break // past four characters only a transliteration goes on
		}
		after = ph
		if c, _ := geo.At(text, s-w); c != "" {
			break
		}
		s -= w
		runes++
	}
	if runes < 2 {
		return 0, 0, KeyParts{}, false
	}
	return s, i + l, KeyParts{"", string(text[s : i+l]), b.Canon}, true
}

// enAt reads an English organisation at the word start text[i].
func enAt(text []byte, i int) (int, int, KeyParts, bool) {
	s := i
	code := ""
	p := i
	// Country, demonym or possessive before the body.
	if c, n := geo.At(text, i); n > 0 {
		if c == geo.International {
			if name := geo.BodyName(string(text[i : i+n])); name != "" {
				return i, i + n, KeyParts{c, name, ""}, true
			}
		}
		code, p = c, i+n
	} else if w := word(text, i); w != "" {
		if c, ok := geo.Demonym(w); ok {
			code, p = c, i+len(w)
		} else if w == "Air" {
			// Air Veloria, Air Nordmark: the national airline.
			q := skipSpace(text, i+3)
			if q < len(text) {
				if c, n := geo.At(text, q); n > 0 && c != geo.International {
					return i, q + n, KeyParts{c, "Airline", "Airline"}, true
				}
			}
		}
	}
	if code != "" {
		if bytes.HasPrefix(text[p:], []byte("'s")) {
			p += len("'s")
		} else if bytes.HasPrefix(text[p:], []byte("’s")) {
			p += len("’s")
		}
		q := skipSpace(text, p)
		q2, qual := enQualifierAt(text, q)
		if b, l := enBodyAt(text, q2); b != nil && q > p {
			if b.Canon == genericMinistry {
				if e, ok := ministryOf(text, q2+l); ok {
					return s, e, KeyParts{code, string(text[q2:e]), genericMinistry}, true
				}
			} else {
				return s, q2 + l, enKey(code, qual, b), true
			}
		}
		// "Vietnam's Coastal Affairs Ministry", "Kenya Highlands Water
		// Board": a name of capitalised words after the country.
		if q > p {
			if _, e, k, ok := named(text, q); ok {
				if k.Country == "" {
					k.Country = code
				}
				if k.Country == code {
					return s, e, k, true
				}
			}
		}
		return 0, 0, KeyParts{}, false
	}
	// Qualifier or body first; country after: "Ministry of Finance (Chile)",
	// "Ministry of Foreign Affairs of Malaysia".
	q, qual := enQualifierAt(text, i)
	b, l := enBodyAt(text, q)
	if b == nil || !isUpperByte(text[q]) {
		return named(text, i)
	}
	if b.Canon == genericMinistry {
		// "Ministry of Coastal Affairs (Vietnam)": the capitalised words
		// after "of" name it.
		if me, ok := ministryOf(text, q+l); ok {
			code, e := countryAfter(text, me)
			return s, e, KeyParts{code, string(text[q:me]), genericMinistry}, true
		}
		return named(text, i)
	}
	e := q + l
	code, e = countryAfter(text, e)
	if code == "" && !b.Strong {
		return named(text, i)
	}
	return s, e, enKey(code, qual, b), true
}

func enKey(code, qual string, b *Body) KeyParts {
	canon := b.Canon
	if qual != "" {
		canon = qual + " " + canon
	}
	return KeyParts{code, canon, b.Canon}
}

// countryAfter reads " (India)", " of India", " of the Philippines" or ",
// India" after a body and returns the code and the new end.
func countryAfter(text []byte, e int) (string, int) {
	rest := text[e:]
	for _, pre := range []string{" (", "（", " of the ", " of ", ", ", " in "} {
		if !bytes.HasPrefix(rest, []byte(pre)) {
			continue
		}
		p := e + len(pre)
		if c, n := geo.At(text, p); n > 0 && c != geo.International {
			end := p + n
			if strings.HasSuffix(pre, "(") || pre == "（" {
				if end < len(text) && text[end] == ')' {
					end++
				} else if bytes.HasPrefix(text[end:], []byte("）")) {
					end += len("）")
				} else {
					return "", e
				}
			}
			if pre == ", " || pre == " in " {
				return c, e // the country is context, not part of the name
			}
			return c, end
		}
	}
	return "", e
}

// named reads a run of capitalised words ending in a weak body word:
// Meridian Hospitals, Nordhavn Telecom Limited, Workers' Pension Fund
// Organisation.
func named(text []byte, i int) (int, int, KeyParts, bool) {
	// An article or a determiner starts a sentence, not a name.
	if w := word(text, i); articles[w] && i+len(w) < len(text) && text[i+len(w)] == ' ' {
		i += len(w) + 1
	}
	p := i
	words := 0
	for words < 6 && p < len(text) && isUpperByte(text[p]) {
		if b, l := enBodyAt(text, p); b != nil && words > 0 && (!b.Strong || b.Canon == "Provident fund organisation") {
			l = bodyRun(text, p, l)
			name := string(text[i : p+l])
			if b.Canon == genericMinistry {
				// "Coastal Affairs Ministry" is the "Ministry of Coastal
				// Affairs": one key for both word orders.
				name = "Ministry of " + strings.TrimSpace(string(text[i:p]))
			}
			code, e := countryAfter(text, p+l)
			if code == "" {
				if c, n := geo.At(text, i); n > 0 {
					code = c
				}
			}
			return i, e, KeyParts{code, name, b.Canon}, true
		}
		w := word(text, p)
		if w == "" || !isUpperByte(w[0]) {
			break
		}
		p += len(w)
		if bytes.HasPrefix(text[p:], []byte("'")) || bytes.HasPrefix(text[p:], []byte("’")) {
			_, n := utf8.DecodeRune(text[p:])
			p += n
		}
		if p < len(text) && text[p] == ' ' {
			p++
		} else {
			break
		}
		words++
	}
	return 0, 0, KeyParts{}, false
}

// bodyRun extends a body word at text[p:p+l] over the body words that
// follow it, so that a name ends with its last one: "Nordhavn Power
// Company" is one name (Power, then Company), not "Nordhavn Power" and a
// "Company" after it; "Acme Holdings Ltd" likewise. It returns the new
// length.
func bodyRun(text []byte, p, l int) int {
	for k := 0; k < 3; k++ {
		q := p + l
		if q+1 >= len(text) || text[q] != ' ' || !isUpperByte(text[q+1]) {
			break
		}
		b, n := enBodyAt(text, q+1)
		if b == nil || b.Strong {
			break
		}
		l = q + 1 + n - p
	}
	return l
}

// genericMinistry is the canonical body of a ministry the gazetteer does
// not list by name.
const genericMinistry = "Ministry"

// articles may start a sentence before a name; they are not part of it.
var articles = map[string]bool{"The": true, "A": true, "An": true, "This": true, "That": true, "Our": true, "Their": true}

// ministryOf reads " of <Capitalised Words>" after "Ministry" at e, with
// "and"/"&" between words, stopping before a country, and returns the end
// of the last word.
func ministryOf(text []byte, e int) (int, bool) {
	if !bytes.HasPrefix(text[e:], []byte(" of ")) {
		return e, false
	}
	p := e + len(" of ")
	if bytes.HasPrefix(text[p:], []byte("the ")) {
		p += len("the ")
	}
	end, words := e, 0
	for words < 6 && p < len(text) && isUpperByte(text[p]) {
		if c, n := geo.At(text, p); n > 0 && c != "" {
			break // "Ministry of Vietnam" names no ministry
		}
		w := word(text, p)
		if w == "" {
			break
		}
		end = p + len(w)
		words++
		p = end
		if bytes.HasPrefix(text[p:], []byte(" and ")) || bytes.HasPrefix(text[p:], []byte(" & ")) {
			n := 5
			if text[p+1] == '&' {
				n = 3
			}
			if p+n < len(text) && isUpperByte(text[p+n]) {
				p += n
				continue
			}
			break
		}
		if p < len(text) && text[p] == ' ' && p+1 < len(text) && isUpperByte(text[p+1]) {
			p++
			continue
		}
		break
	}
	return end, words > 0
}

func enQualifierAt(text []byte, p int) (int, string) {
	w := word(text, p)
	if w == "" {
		return p, ""
	}
	end := p + len(w)
	if bytes.HasPrefix(text[end:], []byte("'s")) {
		w += "'s"
		end += 2
	}
	if q, ok := enQualifiers[w]; ok {
		return skipSpace(text, end), q
	}
	return p, ""
}

// parenAlias returns the span inside a parenthesis at text[e] that holds a
// short alias (NPFO, Meridian Hospitals, 子午线医院), or (0, 0).
func parenAlias(text []byte, e int) (int, int) {
	p := e
	if p < len(text) && text[p] == ' ' {
		p++
	}
	var close string
	switch {
	case bytes.HasPrefix(text[p:], []byte("(")):
		p++
		close = ")"
	case bytes.HasPrefix(text[p:], []byte("（")):
		p += len("（")
		close = "）"
	default:
		return 0, 0
	}
	end := closing(text[p:min(len(text), p+96)], close)
	if end <= 0 {
		return 0, 0
	}
	inner := string(text[p : p+end])
	// One nested parenthesis may hold the alias's own country:
	// 越南海岸事务部（Ministry of Coastal Affairs (Vietnam)）.
	check := inner
	if i := strings.IndexAny(inner, "(（"); i > 0 {
		nested := strings.TrimRight(inner[i:], ")）")
		nested = strings.TrimLeft(nested, "(（")
		if _, ok := geo.Lookup(strings.TrimSpace(nested)); !ok || !strings.HasSuffix(inner, ")") && !strings.HasSuffix(inner, "）") {
			return 0, 0
		}
		check = strings.TrimSpace(inner[:i])
	}
	if check == "" || strings.ContainsAny(check, "()（）,，。;；:：0123456789") {
		return 0, 0
	}
	if _, ok := geo.Lookup(inner); ok {
		return 0, 0 // "(India)" is a country, not an alias
	}
	return p, p + end
}

// closing returns the offset in b of the bracket that closes an opening
// one just before b, allowing one level of nesting, or -1.
func closing(b []byte, close string) int {
	depth := 0
	for i := 0; i < len(b); {
		r, w := utf8.DecodeRune(b[i:])
		switch r {
		case '(', '（':
			depth++
			if depth > 1 {
				return -1
			}
		case ')', '）':
			if depth == 0 {
				if string(b[i:i+w]) != close {
					return -1
				}
				return i
			}
			depth--
		case '\n':
			return -1
		}
		i += w
	}
	return -1
}

func word(text []byte, i int) string {
	j := i
	for j < len(text) && isWordByte(text[j]) {
		j++
	}
	return string(text[i:j])
}

func skipSpace(text []byte, p int) int {
	for p < len(text) && text[p] == ' ' {
		p++
	}
	return p
}

func isLatinByte(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isUpperByte(c byte) bool { return c >= 'A' && c <= 'Z' }
func isWordByte(c byte) bool  { return isLatinByte(c) || c >= '0' && c <= '9' || c == '_' }
