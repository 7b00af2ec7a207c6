package target

import (
	"strings"
	"unicode/utf8"
)

// Matcher finds many spellings in a text in one pass, for the evidence
// search of a whole case: a case with a thousand target spellings and ten
// thousand documents must not read every text once per spelling. It gives
// the same answers as findSpelling: a CJK spelling (or its folded form)
// as a substring, a Latin one case-insensitively on word boundaries.
type Matcher struct {
	needles []string
	opts    Options
	// byRune maps the first rune of a searched form to the forms that
	// start with it; a form is a needle as written, folded, or lower-cased
	// (Latin, searched in the lower-cased text).
	byRune map[rune][]form
}

type form struct {
	needle int    // index in needles
	text   string // what is searched
	latin  bool   // searched in the lower-cased text on word boundaries
	folded bool   // the folded form, used only when the written one is absent
}

// NewMatcher prepares a search for needles.
func NewMatcher(needles []string, opts Options) *Matcher {
	opts.defaults()
	m := &Matcher{needles: needles, opts: opts, byRune: map[rune][]form{}}
	add := func(f form) {
		if f.text == "" {
			return
		}
		r, _ := utf8.DecodeRuneInString(f.text)
		m.byRune[r] = append(m.byRune[r], f)
	}
	for i, n := range needles {
		if isLatinString(n) {
			add(form{needle: i, text: strings.ToLower(n), latin: true})
			continue
		}
		add(form{needle: i, text: n})
		if f := opts.Fold(n); f != n {
			add(form{needle: i, text: f, folded: true})
		}
	}
	return m
}

// UnitHit is where a needle was first found in a document's units.
type UnitHit struct {
	Unit    int
	Snippet string
}

// Find returns, for each needle found in units, the first unit that
// writes it and the snippet around its first occurrence there (the
// written form before the folded one, as findSpelling).
func (m *Matcher) Find(units []string) map[int]UnitHit {
	out := map[int]UnitHit{}
	b := &builder{opts: m.opts}
	for ui, u := range units {
		if len(out) == len(m.needles) {
			break
		}
		lower := ""
		type pos struct{ s, e int }
		written, folded := map[int]pos{}, map[int]pos{}
		for i, r := range u {
			fs := m.byRune[r]
			if r < utf8.RuneSelf && r >= 'A' && r <= 'Z' {
				fs = m.byRune[r+'a'-'A']
			}
			for _, f := range fs {
				if _, done := out[f.needle]; done {
					continue
				}
				if f.latin {
					if lower == "" {
						lower = strings.ToLower(u)
						if len(lower) != len(u) {
							// Lower-casing changed byte lengths (rare
							// letters): fall back to the plain search.
							lower = "\x00"
						}
					}
					if lower == "\x00" {
						if _, ok := written[f.needle]; !ok {
							if s, e, ok := findSpelling(u, m.needles[f.needle], m.opts.Fold); ok {
								written[f.needle] = pos{s, e}
							}
						}
						continue
					}
					if _, ok := written[f.needle]; !ok && strings.HasPrefix(lower[i:], f.text) && latinBoundary(lower, i, i+len(f.text)) {
						written[f.needle] = pos{i, i + len(f.text)}
					}
					continue
				}
				if !strings.HasPrefix(u[i:], f.text) {
					continue
				}
				seen := written
				if f.folded {
					seen = folded
				}
				if _, ok := seen[f.needle]; !ok {
					seen[f.needle] = pos{i, i + len(f.text)}
				}
			}
		}
		for n, p := range folded {
			if _, ok := written[n]; !ok {
				written[n] = p
			}
		}
		for n, p := range written {
			out[n] = UnitHit{Unit: ui, Snippet: b.snippet(u, p.s, p.e)}
		}
	}
	return out
}

// FirstHit picks FindEvidence's answer from per-needle hits: the first
// unit that writes a needle, and in it the first needle in order.
func FirstHit(hits map[int]UnitHit) (UnitHit, bool) {
	best, bestNeedle, ok := UnitHit{}, -1, false
	for n, h := range hits {
		if !ok || h.Unit < best.Unit || h.Unit == best.Unit && n < bestNeedle {
			best, bestNeedle, ok = h, n, true
		}
	}
	return best, ok
}
