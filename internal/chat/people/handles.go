package people

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/leakscope/leakscope/internal/chat"
	"github.com/leakscope/leakscope/internal/chat/pinyin"
)

// Pinyin returns the toneless readings of a Chinese character, for the
// rule that joins a pinyin-spelled handle (majun_0x) to the Chinese name it
// spells (马俊). nil disables the rule. It defaults to pinyin.Of, which
// reads CC-CEDICT on first use; tests replace it with a small table.
var Pinyin func(rune) []string = pinyin.Of

// SurnamePinyin returns the readings of a surname (one character or a
// compound), or nil to fall back to Pinyin for its characters.
var SurnamePinyin func(string) []string = pinyin.Surname

// handlePrefixes are account-id prefixes that carry no name.
var handlePrefixes = []string{"wxid_", "wxid-", "wx_", "qq_", "tg_", "@"}

// maxForms bounds the spellings computed for one name: polyphonic
// characters multiply them.
const maxForms = 256

// minStem is the shortest handle stem compared with name spellings: two
// letters (mj) fit too many names to mean anything.
const minStem = 3

// handleStems returns the Latin stems of a handle that may spell a name:
// the leading letters after an account prefix (majun_0x → majun,
// wxid_hlw1975 → hlw), and the first two letter tokens joined (ma.jun →
// majun, jun_ma → junma). None for strings with non-ASCII characters.
func handleStems(h string) []string {
	h = strings.ToLower(strings.TrimSpace(h))
	if i := strings.IndexByte(h, '@'); i > 0 {
		h = h[:i]
	}
	for _, p := range handlePrefixes {
		h = strings.TrimPrefix(h, p)
	}
	for _, r := range h {
		if r >= utf8.RuneSelf {
			return nil
		}
	}
	letters := func(s string) string {
		i := strings.IndexFunc(s, func(r rune) bool { return r < 'a' || r > 'z' })
		if i < 0 {
			return s
		}
		return s[:i]
	}
	var out []string
	if s := letters(h); len(s) >= minStem {
		out = append(out, s)
	}
	toks := strings.FieldsFunc(h, func(r rune) bool { return r == '_' || r == '.' || r == '-' || r == ' ' })
	if len(toks) >= 2 && letters(toks[0]) == toks[0] && letters(toks[1]) == toks[1] {
		if s := toks[0] + toks[1]; len(s) >= minStem && (len(out) == 0 || out[0] != s) {
			out = append(out, s)
		}
	}
	return out
}

// nameSpellings returns the ways a handle spells the Chinese name full:
// the full pinyin (majun), the surname with the given name's initials
// (sujy, luoxm), all initials (hlw) and the given name before the surname
// (junma), over every reading of polyphonic characters. Spellings shorter
// than minStem are left out. nil when a character has no reading.
func nameSpellings(full string, char func(rune) []string, sur func(string) []string) []string {
	sn, given := splitName(simplify(full))
	if given == "" || char == nil {
		return nil
	}
	var surR []string
	if sur != nil {
		surR = sur(sn)
	}
	if len(surR) == 0 {
		surR = syllables(sn, char)
	}
	giv := syllables(given, char)
	if len(surR) == 0 || len(giv) == 0 {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	put := func(s string) {
		if len(s) >= minStem && !seen[s] && len(out) < 4*maxForms {
			seen[s] = true
			out = append(out, s)
		}
	}
	inits := initials(given, char)
	for _, s := range surR {
		for _, g := range giv {
			put(s + g)
			put(g + s)
		}
		for _, i := range inits {
			put(s + i)
			put(s[:1] + i)
		}
	}
	return out
}

// syllables spells s in pinyin, one string per combination of readings,
// at most maxForms of them; nil when a character has no reading.
func syllables(s string, char func(rune) []string) []string {
	out := []string{""}
	for _, r := range s {
		rs := char(r)
		if len(rs) == 0 {
			return nil
		}
		var next []string
		for _, o := range out {
			for _, x := range rs {
				if len(next) < maxForms {
					next = append(next, o+x)
				}
			}
		}
		out = next
	}
	return out
}

// initials spells s as the first letters of its readings.
func initials(s string, char func(rune) []string) []string {
	first := func(r rune) []string {
		var out []string
		for _, x := range char(r) {
			if x != "" && !slices.Contains(out, x[:1]) {
				out = append(out, x[:1])
			}
		}
		return out
	}
	return syllables(s, first)
}

// joinPinyinHandles merges persons known only by a Latin handle into the
// one person with a Chinese name the handle spells (majun_0x into 马俊),
// among persons[from:] (those not from the directory). A handle joins only
// when exactly one named person fits every spelling its strings give, it
// has no Chinese alias of its own (it is not resolved otherwise), and the
// two never sent messages in the same conversation (one human does not
// speak under two names in one log).
func (r *resolver) joinPinyinHandles(convs []chat.Conversation, from int) {
	char, sur := Pinyin, SurnamePinyin
	if char == nil {
		return
	}
	var cands []*Person
	for _, p := range r.persons[from:] {
		if len(handleStems(p.Name)) > 0 && !hasHan(p.Name) && !hasHanAlias(p) {
			cands = append(cands, p)
		}
	}
	r.indexNamed()
	if len(cands) == 0 || len(r.named) == 0 {
		return
	}
	bySpelling := map[string][]*Person{}
	for _, q := range r.named {
		for _, s := range nameSpellings(q.Name, char, sur) {
			if !containsPerson(bySpelling[s], q) {
				bySpelling[s] = append(bySpelling[s], q)
			}
		}
	}
	together := map[[2]*Person]bool{}
	for _, c := range convs {
		var in []*Person
		for _, m := range c.Messages {
			if p := r.byKey[key(m.Sender)]; m.Sender != "" && p != nil && !containsPerson(in, p) {
				in = append(in, p)
			}
		}
		for _, a := range in {
			for _, b := range in {
				together[[2]*Person{a, b}] = true
			}
		}
	}
	gone := map[*Person]bool{}
	for _, p := range cands {
		var fits []*Person
		for _, a := range append([]string{p.Name}, p.Aliases...) {
			for _, st := range handleStems(a) {
				for _, q := range bySpelling[st] {
					if !containsPerson(fits, q) {
						fits = append(fits, q)
					}
				}
			}
		}
		if len(fits) != 1 || fits[0] == p || together[[2]*Person{p, fits[0]}] {
			continue
		}
		r.merge(p, fits[0])
		gone[p] = true
	}
	if len(gone) == 0 {
		return
	}
	kept := r.persons[:0]
	for _, p := range r.persons {
		if !gone[p] {
			kept = append(kept, p)
		}
	}
	r.persons = kept
}

// merge moves every alias of p to q.
func (r *resolver) merge(p, q *Person) {
	for k, v := range r.byKey {
		if v == p {
			r.byKey[k] = q
		}
	}
	q.Aliases = appendNew(q.Aliases, append([]string{p.Name}, p.Aliases...)...)
}

func hasHanAlias(p *Person) bool {
	for _, a := range p.Aliases {
		if hasHan(a) {
			return true
		}
	}
	return false
}

func containsPerson(ps []*Person, p *Person) bool {
	for _, x := range ps {
		if x == p {
			return true
		}
	}
	return false
}
