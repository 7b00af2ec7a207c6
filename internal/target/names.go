package target

import (
	"cmp"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/leakscope/leakscope/internal/entity"
	"github.com/leakscope/leakscope/internal/entity/geo"
	"github.com/leakscope/leakscope/internal/entity/org"
)

// Display names.
//
// An analyst reads the register by name, so a target is named as the
// documents name it, in English, in this order of preference:
//
//  1. an English proper name written in the corpus for this organisation
//     (a Latin spelling among its aliases that reads as a name: capitalised
//     words, more than a country plus a generic body word such as "MFA"
//     or "telecom"): "Air Veloria", "Meridian Hospitals", "Korvo", "Department
//     of Foreign Affairs (Peru)"; an initialism of it among the
//     aliases is appended ("... Organisation (NPFO)"), and a generic body
//     phrase gets its country ("Ministry of Foreign Affairs (Chile)");
//  2. an organisation-specific acronym (NPFO, NVTL, NATO), with the
//     canonical body and country in parentheses when the acronym stands for
//     a gazetteer body;
//  3. a translated form: the canonical English body with its qualifier and
//     country ("Office of the President (Chile)"), or for a name the
//     gazetteer does not know, the translation of the written name when it
//     is wholly English, else the written name with its English body type.
//
// The Chinese spellings stay in the aliases.

// smallWords stay lower-case inside a title-cased name.
var smallWords = map[string]bool{"of": true, "the": true, "and": true, "for": true, "in": true, "on": true, "at": true, "to": true,
	"de": true, "du": true, "des": true, "la": true, "le": true, "del": true, "da": true, "y": true, "et": true}

// displayName returns the display name of a group and extra spellings
// worth adding to its aliases (the Latin part of a mixed spelling:
// 智利Korvo电信 gives Korvo).
func (b *builder) displayName(kp org.KeyParts, country string, g *group) (string, []string) {
	if kp.Country == geo.International {
		for a := range g.aliases {
			if strings.EqualFold(a, kp.Name) && isLatinString(a) {
				return a, nil
			}
		}
		// A body the international list does not know, keyed by its
		// Chinese name (诺德海峡航运委员会): its English proper name when
		// the documents write one, the longest first.
		if en := longestProperName(g.aliases); en != "" {
			return en, nil
		}
		return kp.Name, nil
	}
	cname := geo.English(country)
	bare := bareKey(kp)
	freq := map[string]int{}
	for _, m := range g.mentions {
		freq[strings.TrimSpace(m.value)]++
	}
	var latin, extra []string
	for a := range g.aliases {
		a = strings.TrimSpace(a)
		if isLatinString(a) {
			latin = append(latin, a)
			continue
		}
		// The Latin proper name inside a mixed spelling.
		if !bare && isLatinString(kp.Name) && kp.Name != "" {
			if s, e, ok := findSpelling(a, kp.Name, func(s string) string { return s }); ok {
				if w := a[s:e]; isProperName(w) {
					latin = append(latin, w)
					extra = append(extra, w)
					freq[w] += freq[a]
				}
			}
		}
	}
	slices.Sort(latin)
	latin = slices.Compact(latin)
	// Most used first, then longest, then alphabetical.
	slices.SortStableFunc(latin, func(x, y string) int {
		return cmp.Or(cmp.Compare(freq[y], freq[x]), cmp.Compare(len(y), len(x)))
	})
	var acronyms []string
	for _, a := range latin {
		if isAcronym(a) && !genericAcronym(a) {
			acronyms = append(acronyms, a)
		}
	}
	// 1. An English proper name.
	for _, a := range latin {
		if isAcronym(a) || !isProperName(a) {
			continue
		}
		rest, hadCountry := stripCountry(a, country)
		if rest == "" || generic(rest) && !org.Strong(kp.Body) || isAcronym(rest) || onlyDescribes(rest) && !org.Strong(kp.Body) {
			continue // "Mongolia MFA", "Kazakhstan Telecom"
		}
		name := a
		if hadCountry && bareSpelling(rest) && informalOrder(rest) && bare && cname != "" {
			name = titleCase(kp.Name) + " (" + cname + ")" // Nordhavn Foreign Ministry: the Ministry of Foreign Affairs (Nordhavn)
		} else if hadCountry && (possessive(a) || bareSpelling(rest)) && cname != "" {
			name = rest + " (" + cname + ")" // Peru's Ministry of Finance
		} else if !hadCountry && bare && cname != "" {
			name = a + " (" + cname + ")" // Ministry of External Affairs
		}
		for _, ac := range acronyms {
			if !strings.Contains(name, ac) && initialism(ac, a) {
				name += " (" + ac + ")"
				break
			}
		}
		return name, extra
	}
	// 2. An acronym.
	if len(acronyms) > 0 {
		ac := acronyms[0]
		// A weak body type (a power utility of a country) is no one
		// organisation: the acronym names it alone, where a strong
		// body's acronym is told by the body (NEC (Electoral
		// Commission, Laos)).
		if !bare || kp.Body == "" || !org.Strong(kp.Body) {
			return ac, extra
		}
		in := titleCase(kp.Body)
		if cname != "" {
			in += ", " + cname
		}
		return ac + " (" + in + ")", extra
	}
	// 3. A translated form.
	suffix := ""
	if cname != "" {
		suffix = " (" + cname + ")"
	}
	if bare {
		return titleCase(kp.Name) + suffix, extra
	}
	written := kp.Name
	if isLatinString(written) {
		return titleCase(properCase(written, kp.Body, latin)) + suffix, extra
	}
	// A name the gazetteer does not know: its translation when it is
	// wholly English.
	local := stripCountryZh(pickWritten(g, b.opts.Fold, written))
	if b.opts.Translate != nil && local != "" {
		if tr := englishName(b.opts.Translate(local)); tr != "" {
			return tr + suffix, extra
		}
	}
	var in []string
	if kp.Body != "" {
		in = append(in, titleCase(kp.Body))
	}
	if cname != "" {
		in = append(in, cname)
	}
	if len(in) == 0 {
		return local, extra
	}
	return local + " (" + strings.Join(in, ", ") + ")", extra
}

// longestProperName returns the longest spelling among aliases that reads
// as a Latin proper name and is not an acronym, or "".
func longestProperName(aliases map[string]bool) string {
	best := ""
	for a := range aliases {
		if !hasLatinLetters(a) || strings.ContainsFunc(a, isHan) || isAcronym(a) || !isProperName(a) {
			continue
		}
		if len(a) > len(best) || len(a) == len(best) && a < best {
			best = a
		}
	}
	return best
}

// englishName turns a word-by-word translation of an organisation's name
// into a name: dictionary remarks dropped ("(river)", "CL:..."), leading
// articles and infinitive markers dropped ("the Andes", "to move"),
// "<X> Ministry" turned into "Ministry of <X>", and proper-noun
// capitalisation with small words in lower case. It returns "" when the
// translation is not wholly Latin or too short to be a name.
func englishName(tr string) string {
	tr = strings.TrimSpace(remarkRE.ReplaceAllString(tr, " "))
	if !isLatinString(tr) || utf8.RuneCountInString(tr) < 3 || !hasLetter(tr) {
		return ""
	}
	var words []string
	for i, w := range strings.Fields(tr) {
		lw := strings.ToLower(w)
		if (i == 0 || len(words) == 0) && (lw == "the" || lw == "a" || lw == "an") {
			continue
		}
		if lw == "to" && i+1 < len(strings.Fields(tr)) {
			continue // "to move": a verb's infinitive marker, not a name word
		}
		words = append(words, w)
	}
	if len(words) == 0 {
		return ""
	}
	if n := len(words); n > 1 && strings.EqualFold(words[n-1], "ministry") {
		words = append([]string{"Ministry", "of"}, words[:n-1]...)
	}
	return titleCase(strings.Join(words, " "))
}

// remarkRE matches what a dictionary adds to a gloss: parenthesised
// remarks and classifier notes.
var remarkRE = regexp.MustCompile(`\([^()]*\)|\bCL:\S*`)

// bareKey reports whether a key names a body type rather than a proper
// name: its name is the canonical body, possibly with a qualifier
// ("President's Ministry of Interior"), or empty.
func bareKey(kp org.KeyParts) bool {
	if kp.Name == "" || kp.Body == "" {
		return kp.Name == ""
	}
	return strings.EqualFold(kp.Name, kp.Body) || strings.HasSuffix(strings.ToLower(kp.Name), " "+strings.ToLower(kp.Body)) && org.Sector(kp.Body) != "" && isLatinString(kp.Name)
}

// pickWritten returns the original spelling of a folded key name.
func pickWritten(g *group, fold func(string) string, name string) string {
	for a := range g.aliases {
		if fold(a) == name || a == name {
			return a
		}
	}
	return name
}

// stripCountryZh removes a leading Chinese country name (智利子午线医院 ->
// 子午线医院).
func stripCountryZh(s string) string {
	if _, n := geo.At([]byte(s), 0); n > 0 && n < len(s) && !isLatinString(s[:n]) {
		return s[n:]
	}
	return s
}

// isProperName reports whether a Latin spelling reads as a name: every
// word starts with a capital or a digit, except small function words, and
// it has a letter.
func isProperName(s string) bool {
	words := strings.Fields(s)
	if len(words) == 0 {
		return false
	}
	letters := false
	for i, w := range words {
		w = strings.Trim(w, "()[]\"“”,.;:")
		if w == "" {
			continue
		}
		r, _ := utf8.DecodeRuneInString(w)
		switch {
		case unicode.IsUpper(r) || unicode.IsDigit(r):
		case i > 0 && smallWords[strings.ToLower(w)]:
		default:
			return false
		}
		if strings.IndexFunc(w, unicode.IsLetter) >= 0 {
			letters = true
		}
	}
	return letters
}

// isAcronym reports whether s is one word of 2-8 capitals and digits with
// at least two capitals (NPFO, NVTL, G20X).
func isAcronym(s string) bool {
	if len(s) < 2 || len(s) > 8 {
		return false
	}
	caps := 0
	for _, c := range []byte(s) {
		switch {
		case c >= 'A' && c <= 'Z':
			caps++
		case c >= '0' && c <= '9' || c == '&':
		default:
			return false
		}
	}
	return caps >= 2
}

// genericAcronym reports whether an acronym is a gazetteer spelling of a
// body type (MFA, MOFA, MHA): it names a kind of ministry, not one.
func genericAcronym(s string) bool {
	for _, bd := range org.Bodies {
		if slices.ContainsFunc(bd.En, func(e string) bool { return strings.EqualFold(e, s) }) {
			return true
		}
	}
	return false
}

// onlyDescribes reports whether every word of a Latin spelling is a body
// word, a descriptor or a small word ("Marine Engineering", "some
// telecom operator"): it says what kind of organisation, not which one.
func onlyDescribes(s string) bool {
	for _, w := range strings.Fields(strings.ToLower(s)) {
		if !smallWords[w] && !bodyWord[w] && !descriptors[w] {
			return false
		}
	}
	return true
}

// informalOrder reports whether a body spelling puts its head word last
// ("Foreign Ministry", "Interior Department"): the formal name, which
// the register shows, is the gazetteer's "Ministry of ..." form.
func informalOrder(s string) bool {
	words := strings.Fields(s)
	if len(words) < 2 {
		return false
	}
	switch strings.ToLower(words[len(words)-1]) {
	case "ministry", "department", "office", "agency", "bureau":
		return !strings.Contains(strings.ToLower(s), " of ")
	}
	return false
}

// bodyWordsOnly reports whether every word of s is a word of some body
// spelling (Telecom Operator, Government Department): a description, not
// a name.
func bodyWordsOnly(s string) bool {
	for _, w := range strings.Fields(strings.ToLower(s)) {
		if smallWords[w] {
			continue
		}
		if !bodyWord[w] {
			return false
		}
	}
	return true
}

// bodyWord are the words of the canonical body types and of descriptions
// ("some telecom operator"): a spelling made only of them describes an
// organisation without naming it.
var bodyWord = func() map[string]bool {
	m := map[string]bool{"some": true, "unnamed": true, "network": true, "department": true, "operator": true, "office": true,
		"telecom": true, "telecommunications": true, "mobile": true, "carrier": true, "ministry": true, "agency": true}
	for _, bd := range org.Bodies {
		for _, w := range strings.Fields(strings.ToLower(bd.Canon)) {
			m[w] = true
		}
	}
	return m
}()

// possessive reports whether a spelling starts "<Country>'s ".
func possessive(s string) bool {
	i := strings.IndexAny(s, "'’")
	return i > 0 && (strings.HasPrefix(s[i:], "'s ") || strings.HasPrefix(s[i:], "’s "))
}

// stripCountry removes the spellings of country code from a Latin name
// (names, demonyms, "(India)", "of India", "India's") and reports whether
// there was one.
func stripCountry(s, code string) (string, bool) {
	if code == "" {
		return s, false
	}
	text := []byte(s)
	var spans [][2]int
	for i := 0; i < len(text); i++ {
		if i > 0 && isLatinByte(text[i-1]) || !isLatinByte(text[i]) {
			continue
		}
		if c, n := geo.At(text, i); n > 0 && c == code {
			spans = append(spans, [2]int{i, i + n})
			i += n - 1
			continue
		}
		j := i
		for j < len(text) && (isLatinByte(text[j]) || text[j] == '\'') {
			j++
		}
		if c, ok := geo.Demonym(string(text[i:j])); ok && c == code {
			spans = append(spans, [2]int{i, j})
			i = j - 1
		}
	}
	if len(spans) == 0 {
		return s, false
	}
	var out strings.Builder
	last := 0
	for _, sp := range spans {
		out.Write(text[last:sp[0]])
		last = sp[1]
	}
	out.Write(text[last:])
	r := out.String()
	r = strings.NewReplacer("()", "", "（）", "", "'s ", " ", "’s ", " ").Replace(r)
	r = strings.Join(strings.Fields(r), " ")
	for _, suf := range []string{" of the", " of", ",", " in"} {
		r = strings.TrimSuffix(r, suf)
	}
	for _, pre := range []string{"the ", "'s ", "’s "} {
		r = strings.TrimPrefix(r, pre)
	}
	return strings.TrimSpace(r), true
}

func isLatinByte(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// initialism reports whether acronym ac is made of the initials of the
// capitalised words of name (NPFO, Workers' Pension Fund
// Organisation), or of all its words (BOT, Bank of Thailand).
func initialism(ac, name string) bool {
	var caps, all []byte
	for _, w := range strings.Fields(name) {
		c := w[0]
		if c >= 'A' && c <= 'Z' {
			caps = append(caps, c)
		}
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		all = append(all, c)
	}
	return len(caps) >= 2 && (string(caps) == ac || string(all) == ac)
}

// titleCase capitalises each word except small words, and each part of a
// hyphenated word: "counter-terrorism centre" -> "Counter-Terrorism Centre".
func titleCase(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		if i > 0 && smallWords[strings.ToLower(w)] {
			words[i] = strings.ToLower(w)
			continue
		}
		parts := strings.Split(w, "-")
		for j, p := range parts {
			r, n := utf8.DecodeRuneInString(p)
			if n > 0 && unicode.IsLower(r) {
				parts[j] = string(unicode.ToUpper(r)) + p[n:]
			}
		}
		words[i] = strings.Join(parts, "-")
	}
	return strings.Join(words, " ")
}

// docCountry returns the country a document is about when one dominates
// its country mentions (at least two mentions and two thirds of them),
// else "".
func docCountry(ms []entity.Match) string {
	counts := map[string]int{}
	total := 0
	for _, m := range ms {
		if m.Kind != "country" || m.Norm == geo.International || m.Norm == "" {
			continue
		}
		counts[m.Norm]++
		total++
	}
	for c, n := range counts {
		if n >= 2 && 3*n >= 2*total {
			return c
		}
	}
	return ""
}
