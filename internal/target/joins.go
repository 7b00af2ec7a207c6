package target

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/leakscope/leakscope/internal/entity/org"
)

// Cross-document joins of Combine that read spellings, not keys: a
// Chinese spelling the detector cut short, and a transliteration with its
// Latin name.

// rootSpellings collects, for each root, its non-generic spellings by
// script and the country its mentions state (else the one they infer).
type rootInfo struct {
	han, latin []string
	country    string // stated, else inferred, else ""
	inferred   string
	guessed    bool // country is the inferred one
	body       string
}

func (b *builder) roots(find func(string) string) (map[string]*rootInfo, []string) {
	info := map[string]*rootInfo{}
	for _, m := range b.mentions {
		r := find(m.key)
		ri := info[r]
		if ri == nil {
			kp := org.Key(r)
			ri = &rootInfo{country: kp.Country, body: kp.Body}
			info[r] = ri
		}
		if m.country != "" {
			if m.inferred {
				ri.inferred = m.country
			} else if ri.country == "" {
				ri.country = m.country
			}
		}
		if generic(m.value) || bareSpelling(m.value) {
			continue
		}
		sp := b.opts.Fold(strings.TrimSpace(m.value))
		if strings.ContainsFunc(sp, isHan) {
			if !slices.Contains(ri.han, sp) {
				ri.han = append(ri.han, sp)
			}
		} else if v := strings.TrimSpace(m.value); hasLatinLetters(v) && !slices.Contains(ri.latin, v) {
			ri.latin = append(ri.latin, v) // as written: case tells an acronym
		}
	}
	for _, ri := range info {
		if ri.country == "" {
			ri.country, ri.guessed = ri.inferred, ri.inferred != ""
		}
	}
	keys := slices.Sorted(func(yield func(string) bool) {
		for r := range info {
			if !yield(r) {
				return
			}
		}
	})
	return info, keys
}

// compatibleCountry reports whether two roots may be one organisation by
// country: the same, or one of them unknown or only inferred from its
// document (a chat about several countries names the wrong one as often
// as the right one).
func compatibleCountry(a, c *rootInfo) bool {
	return a.country == "" || c.country == "" || a.country == c.country || a.guessed || c.guessed
}

// joinTruncated joins a Chinese spelling to the one longer spelling of
// the case that ends with it (湖理工大学, cut from 北湖理工大学 by a
// detector that reads at most four name characters in prose) or that is
// it plus a body word (卡斯特拉诺航运 and 卡斯特拉诺航运公司), when the
// shorter keeps at least Params.MinNameRunes characters besides its body
// word and the countries agree.
func (b *builder) joinTruncated(find func(string) string, union func(string, string)) {
	p := b.opts.Params
	b.joinIndexed(find, union,
		func(ri *rootInfo) []string { return slices.Concat(ri.han, ri.latin) },
		func(oi *rootInfo) []string {
			var ks []string
			for _, long := range oi.han {
				for i := range long {
					if i > 0 {
						ks = append(ks, long[i:], long[:i]) // every suffix and prefix
					}
				}
			}
			for _, long := range oi.latin {
				for i, r := range long {
					if r == ' ' || r == '-' || r == '–' || r == '—' {
						ks = append(ks, long[i+utf8.RuneLen(r):])
					}
				}
			}
			return ks
		},
		func(ri, oi *rootInfo) bool {
			return slices.ContainsFunc(ri.han, func(short string) bool {
				return slices.ContainsFunc(oi.han, func(long string) bool { return truncationOf(short, long, p) })
			}) || slices.ContainsFunc(ri.latin, func(short string) bool {
				return slices.ContainsFunc(oi.latin, func(long string) bool { return latinTruncationOf(short, long) })
			})
		})
}

// joinIndexed joins each root to its one partner: a root o whose index
// keys (indexKeys of o) include a probe of the root, with countries that
// agree and match true. The index keeps the rules linear in the number
// of organisations: a case with ten thousand of them must not compare
// every pair.
func (b *builder) joinIndexed(find func(string) string, union func(string, string),
	probes, indexKeys func(*rootInfo) []string, match func(ri, oi *rootInfo) bool) {
	info, keys := b.roots(find)
	index := map[string][]string{}
	for _, o := range keys {
		for _, k := range indexKeys(info[o]) {
			if l := index[k]; len(l) == 0 || l[len(l)-1] != o {
				index[k] = append(l, o)
			}
		}
	}
	for _, r := range keys {
		ri := info[r]
		var partners []string
		for _, pr := range probes(ri) {
			for _, o := range index[pr] {
				if find(o) == find(r) || !compatibleCountry(ri, info[o]) || !match(ri, info[o]) {
					continue
				}
				partners = append(partners, find(o))
			}
		}
		slices.Sort(partners)
		if partners = slices.Compact(partners); len(partners) == 1 {
			union(partners[0], r)
		}
	}
}

// truncationOf reports whether short is long cut at its start, or long
// without a trailing body word, keeping enough of the name.
func truncationOf(short, long string, p Params) bool {
	if len(short) >= len(long) {
		return false
	}
	if strings.HasSuffix(long, short) {
		return utf8.RuneCountInString(withoutBody(short)) >= p.MinNameRunes
	}
	if rest, ok := strings.CutPrefix(long, short); ok {
		return generic(rest) && utf8.RuneCountInString(withoutBody(short)) >= p.MinNameRunes
	}
	return false
}

// latinTruncationOf reports whether the Latin spelling short is long
// without its first words, cut at a space or a dash ("Bergen Shipping
// Commission" in "Nordhavn–Bergen Shipping Commission"), keeping at least
// two distinctive words.
func latinTruncationOf(short, long string) bool {
	if len(short) >= len(long) || !strings.HasSuffix(long, short) {
		return false
	}
	cut, _ := utf8.DecodeLastRuneInString(long[:len(long)-len(short)])
	if cut != ' ' && cut != '-' && cut != '–' && cut != '—' {
		return false
	}
	return len(nameWords(short)) >= 2
}

// withoutBody removes the longest gazetteer body spelling a Chinese
// spelling ends with (子午线医院 -> 子午线).
func withoutBody(s string) string {
	best := ""
	for _, bd := range org.Bodies {
		for _, z := range bd.Zh {
			if len(z) > len(best) && strings.HasSuffix(s, z) {
				best = z
			}
		}
	}
	return strings.TrimSuffix(s, best)
}

// joinTransliterations joins an organisation written only in Latin
// letters to the one organisation written in Chinese whose name starts
// with a transliteration of it (Castellano Shipping, 卡斯特拉诺航运): a
// skeleton match of Params.MinSkeleton consonant classes and countries
// that agree (or one unknown), or a shorter match with the same known
// country and body type.
func (b *builder) joinTransliterations(find func(string) string, union func(string, string)) {
	p := b.opts.Params
	b.joinIndexed(find, union,
		func(ri *rootInfo) []string {
			var ks []string
			for _, l := range ri.latin {
				words := nameWords(l)
				for k := 1; k <= min(2, len(words)); k++ {
					ks = append(ks, skeleton(strings.Join(words[:k], ""), false))
				}
			}
			return ks
		},
		func(oi *rootInfo) []string {
			var ks []string
			for _, h := range oi.han {
				if _, rd := phoneticRun(stripCountryZh(h), p.MinPhoneticRun); rd != nil {
					ks = append(ks, skeleton(strings.Join(rd, ""), true))
				}
			}
			return ks
		},
		func(ri, oi *rootInfo) bool {
			best := 0
			for _, h := range oi.han {
				for _, l := range ri.latin {
					best = max(best, transliterates(stripCountryZh(h), l, p))
				}
			}
			strongMatch := best >= p.MinSkeleton
			weakMatch := best >= 2 && ri.country != "" && ri.country == oi.country && ri.body != "" && ri.body == oi.body
			return strongMatch || weakMatch
		})
}

// joinShortNames joins an organisation with a Latin spelling to
// the one other organisation of the case that writes a short form of its
// name: its initials as an acronym ("Nordhavn Shipping Lines" and NSL,
// also when the acronym adds a legal form the spelling leaves out: NSLC;
// a hyphenated word gives one initial per part), or its first
// distinctive word alone ("Castellano" for "Castellano Shipping", at
// least five letters), when the countries agree.
func (b *builder) joinShortNames(find func(string) string, union func(string, string)) {
	b.joinIndexed(find, union,
		func(ri *rootInfo) []string {
			var ks []string
			for _, long := range ri.latin {
				in := initials(long)
				ks = append(ks, in)
				for _, c := range "CLGIS" {
					ks = append(ks, in+string(c))
				}
				if w := nameWords(long); len(w) > 0 {
					ks = append(ks, w[0])
				}
			}
			return ks
		},
		func(oi *rootInfo) []string {
			var ks []string
			for _, short := range oi.latin {
				if isAcronym(short) {
					ks = append(ks, short)
				} else if !strings.Contains(short, " ") {
					ks = append(ks, foldLatin(short))
				}
			}
			return ks
		},
		func(ri, oi *rootInfo) bool {
			return slices.ContainsFunc(ri.latin, func(long string) bool {
				return slices.ContainsFunc(oi.latin, func(short string) bool { return shortFormOf(short, long) })
			})
		})
}

// initials returns the capital initials of the words of a Latin name,
// one per part of a hyphenated word.
func initials(long string) string {
	var in strings.Builder
	for _, w := range strings.FieldsFunc(long, func(r rune) bool { return r == ' ' || r == '-' || r == '–' || r == '—' }) {
		if r := w[0]; r >= 'A' && r <= 'Z' {
			in.WriteByte(r)
		}
	}
	return in.String()
}

// shortFormOf reports whether short is an acronym of long's initials (a
// trailing legal-form letter allowed) or long's first distinctive word.
func shortFormOf(short, long string) bool {
	if short == long || len(short) >= len(long) {
		return false
	}
	if isAcronym(short) {
		in := initials(long)
		if len(in) < 2 {
			return false
		}
		return in == short || len(short) == len(in)+1 && strings.HasPrefix(short, in) && strings.ContainsRune("CLGIS", rune(short[len(in)]))
	}
	if strings.Contains(short, " ") || !isProperName(short) || utf8.RuneCountInString(short) < 5 {
		return false
	}
	words := nameWords(long)
	return len(words) > 0 && words[0] == foldLatin(short) && len(strings.Fields(long)) > 1
}

// joinDescribed joins an organisation the documents only describe, a
// country and a weak body type ("a South Korean shipyard", "the Nordhavn
// power utility" keyed as the country's power utility), to the one named
// organisation of that country and body type, when there is exactly one.
// A described organisation with no named partner stays on its own (the
// register still lists "Telecom Operator (Kazakhstan)").
func (b *builder) joinDescribed(find func(string) string, union func(string, string)) {
	info, keys := b.roots(find)
	described := func(k string) bool {
		kp := org.Key(k)
		return kp.Name == "" || strings.EqualFold(kp.Name, kp.Body) || describedOnly(info[k])
	}
	named := map[string][]string{} // country|body -> named roots
	for _, k := range keys {
		kp := org.Key(k)
		if find(k) != k || info[k].country == "" || kp.Body == "" || org.Strong(kp.Body) || described(k) {
			continue
		}
		cb := info[k].country + "|" + kp.Body
		named[cb] = append(named[cb], k)
	}
	for _, k := range keys {
		kp := org.Key(k)
		if find(k) != k || kp.Country == "" || kp.Body == "" || org.Strong(kp.Body) || !described(k) {
			continue
		}
		if ns := named[kp.Country+"|"+kp.Body]; len(ns) == 1 {
			union(ns[0], k)
		}
	}
}

// describedOnly reports whether every Latin spelling of a root is made of
// body words and a country ("Marine Engineering (Korea)"), and it has no
// Chinese one: it describes an organisation without naming it.
func describedOnly(ri *rootInfo) bool {
	if ri == nil || len(ri.han) > 0 || len(ri.latin) == 0 {
		return false
	}
	for _, l := range ri.latin {
		rest := l
		if i := strings.Index(rest, " ("); i > 0 {
			rest = rest[:i]
		}
		if len(nameWords(rest)) > 0 {
			return false
		}
	}
	return true
}

// joinAliases merges the mentions written with the spellings of one
// group of Options.Aliases (卡斯特拉诺航运, "Castellano Shipping" and CSL
// entered by the analyst): the case's own memory comes before every
// heuristic, and a union across countries is still refused.
func (b *builder) joinAliases(find func(string) string, union func(string, string)) {
	if len(b.opts.Aliases) == 0 {
		return
	}
	group := map[string]int{}
	for i, g := range b.opts.Aliases {
		for _, s := range g {
			group[b.spell(s)] = i
		}
	}
	first := map[int]string{}
	for _, m := range b.mentions {
		i, ok := group[b.spell(m.value)]
		if !ok {
			continue
		}
		if k, ok := first[i]; ok {
			union(k, m.key)
		} else {
			first[i] = find(m.key)
		}
	}
}
