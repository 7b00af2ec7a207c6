package entity

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Pattern is a regular expression searched only from the positions where
// a match can begin. Go's regexp runs its NFA over every byte of a text;
// most detector expressions begin with a digit, a currency sign or one of
// a few keywords, so trying an anchored match at those positions alone
// costs a small fraction of that on prose.
//
// FindAllSubmatchIndex returns exactly what regexp.FindAllSubmatchIndex of
// the same expression returns (leftmost-first, non-overlapping, with the
// same submatches): the first runes a match can start with are read off
// the compiled program, so the candidate positions are a superset of the
// real match starts, and they are visited in the order and with the rune
// steps of the regexp package. Expressions that can match the empty string
// or begin with an assertion other than (?m)^ fall back to the plain
// search. A Pattern is safe for concurrent use.
type Pattern struct {
	plain    *regexp.Regexp // the expression as written
	anchored *regexp.Regexp // \A(?:expr), tried at candidate positions
	fallback bool           // search with plain: no sound candidate set
	// first[0] are the first runes of a match; first[1] those of a match
	// starting with (?m)^, valid only at the start of a line.
	first [2]runeSet
	// follow are the runes a match can hold first after the run of
	// numeric bytes (digits, separators, white space) it starts with; a match starts
	// only where the maximal numeric run from its start is followed by one
	// of them. Unset (useFollow false) when a match can lie inside a
	// numeric run.
	follow    runeSet
	useFollow bool
	// reach bounds the bytes a match attempt can read: from the start of
	// an attempt (reachAll) or, with follow, beyond the first rune after
	// the numeric run (reachAfter); -1 when unbounded. Slicing the text to
	// the bound lets the regexp package use its backtracker on a few dozen
	// bytes instead of its NFA.
	reachAll, reachAfter int
	exits                []uint32 // see followRunes
	// then holds, per exit, the runes its match can hold next, so that a
	// run followed by "and" is dismissed for "accounts" (see runFits).
	then []exitNext
	// second are the runes a match can hold right after its first one
	// (CNY, US$, 0x, 联系人): a capital letter or a digit alone is not
	// worth an attempt. Unset (useSecond false) when a match can be one
	// rune long.
	second    runeSet
	useSecond bool
	// skip marks the bytes a candidate can start with; with skipping set
	// the search jumps over all others. A byte that is not a UTF-8
	// continuation byte is a step of the regexp package's walk over the
	// text from any earlier step, so only the U+FFFD of invalid bytes
	// (which can be continuation bytes) forbids jumping.
	skip     [256]bool
	skipping bool
}

var patterns struct {
	sync.Mutex
	all []*Pattern
}

// MustPattern compiles expr; it panics on a bad expression and is meant
// for package-level variables, as regexp.MustCompile is.
func MustPattern(expr string) *Pattern {
	p := &Pattern{plain: regexp.MustCompile(expr), anchored: regexp.MustCompile(`\A(?:` + expr + `)`)}
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		panic(err)
	}
	prog, err := syntax.Compile(re.Simplify())
	if err != nil {
		panic(err)
	}
	p.fallback = !p.firstRunes(prog)
	for b := range p.skip {
		p.skip[b] = p.first[0].lead[b] || p.first[1].lead[b]
	}
	p.skipping = !p.first[0].has(utf8.RuneError) && !p.first[1].has(utf8.RuneError)
	p.useSecond = p.secondRunes(prog)
	p.useFollow = p.followRunes(prog)
	p.reachAll = longest(prog, uint32(prog.Start))
	p.reachAfter = p.afterFollow(prog)
	if p.useFollow {
		p.then = nextRunes(prog, p.exits)
	}
	patterns.Lock()
	patterns.all = append(patterns.all, p)
	patterns.Unlock()
	return p
}

// Patterns returns every Pattern compiled so far, for tests that hold
// each one to its plain regular expression.
func Patterns() []*Pattern {
	patterns.Lock()
	defer patterns.Unlock()
	return slices.Clone(patterns.all)
}

// Regexp returns the plain regular expression p stands for.
func (p *Pattern) Regexp() *regexp.Regexp { return p.plain }

// String returns the expression.
func (p *Pattern) String() string { return p.plain.String() }

// firstRunes fills p.first from the instructions reachable from the start
// of prog without consuming input, and reports whether they make a sound
// candidate set.
func (p *Pattern) firstRunes(prog *syntax.Prog) bool {
	type state struct {
		pc   uint32
		line bool // passed a (?m)^
	}
	seen := map[state]bool{}
	stack := []state{{uint32(prog.Start), false}}
	for len(stack) > 0 {
		st := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[st] {
			continue
		}
		seen[st] = true
		in := &prog.Inst[st.pc]
		set := &p.first[0]
		if st.line {
			set = &p.first[1]
		}
		switch in.Op {
		case syntax.InstAlt, syntax.InstAltMatch:
			stack = append(stack, state{in.Out, st.line}, state{in.Arg, st.line})
		case syntax.InstCapture, syntax.InstNop:
			stack = append(stack, state{in.Out, st.line})
		case syntax.InstEmptyWidth:
			if syntax.EmptyOp(in.Arg) != syntax.EmptyBeginLine {
				return false
			}
			stack = append(stack, state{in.Out, true})
		case syntax.InstMatch, syntax.InstRuneAny, syntax.InstRuneAnyNotNL:
			return false
		case syntax.InstRune1:
			set.add(in.Rune[0], in.Rune[0])
		case syntax.InstRune:
			if len(in.Rune) == 1 && syntax.Flags(in.Arg)&syntax.FoldCase != 0 {
				r0 := in.Rune[0]
				set.add(r0, r0)
				for r := unicode.SimpleFold(r0); r != r0; r = unicode.SimpleFold(r) {
					set.add(r, r)
				}
				continue
			}
			if len(in.Rune) == 1 {
				set.add(in.Rune[0], in.Rune[0])
				continue
			}
			for i := 0; i+1 < len(in.Rune); i += 2 {
				set.add(in.Rune[i], in.Rune[i+1])
			}
		case syntax.InstFail:
		default:
			return false
		}
	}
	return true
}

// secondRunes fills p.second with the runes the instructions after the
// first rune instructions of prog consume, and reports whether every match
// has a second rune.
func (p *Pattern) secondRunes(prog *syntax.Prog) bool {
	var stack, outs []uint32 // outs: successors of the first rune instructions
	seen := map[uint32]bool{}
	walk := func(pc uint32, first bool) bool {
		stack = append(stack[:0], pc)
		for len(stack) > 0 {
			pc := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if seen[pc] && first {
				continue
			}
			seen[pc] = true
			in := &prog.Inst[pc]
			switch in.Op {
			case syntax.InstAlt, syntax.InstAltMatch:
				stack = append(stack, in.Out, in.Arg)
			case syntax.InstCapture, syntax.InstNop, syntax.InstEmptyWidth:
				stack = append(stack, in.Out)
			case syntax.InstMatch:
				return false
			case syntax.InstFail:
			case syntax.InstRune1, syntax.InstRune, syntax.InstRuneAny, syntax.InstRuneAnyNotNL:
				if first {
					outs = append(outs, in.Out)
					continue
				}
				addRunes(&p.second, in)
			default:
				return false
			}
		}
		return true
	}
	if !walk(uint32(prog.Start), true) {
		return false
	}
	firsts := slices.Clone(outs)
	clear(seen)
	for _, pc := range firsts {
		if !walk(pc, false) {
			return false
		}
	}
	return true
}

// addRunes adds the runes instruction in consumes to set.
func addRunes(set *runeSet, in *syntax.Inst) {
	switch {
	case in.Op == syntax.InstRuneAny || in.Op == syntax.InstRuneAnyNotNL:
		set.add(0, unicode.MaxRune)
	case len(in.Rune) == 1:
		r0 := in.Rune[0]
		set.add(r0, r0)
		if in.Op == syntax.InstRune && syntax.Flags(in.Arg)&syntax.FoldCase != 0 {
			for r := unicode.SimpleFold(r0); r != r0; r = unicode.SimpleFold(r) {
				set.add(r, r)
			}
		}
	default:
		for i := 0; i+1 < len(in.Rune); i += 2 {
			set.add(in.Rune[i], in.Rune[i+1])
		}
	}
}

// numeric reports whether c may be part of a numeric run: digits with
// their separators and the white space between a number and its unit
// (1,234.5 GB).
func numeric(c byte) bool {
	switch c {
	case '.', ',', ' ', '\t', '\n', '\r', '\f', '\v':
		return true
	}
	return c >= '0' && c <= '9'
}

// followRunes fills p.follow by walking prog from its start through
// epsilon moves and through numeric runes only, and reports whether no
// match can end inside that walk. A match from i consumes the numeric
// bytes text[i:j] of the maximal numeric run and then the rune at j, so
// that rune must be in follow: dates like 2021-05-03 and times like 14:22
// are dismissed before the regexp runs for a volume or an amount.
func (p *Pattern) followRunes(prog *syntax.Prog) bool {
	seen := map[uint32]bool{}
	stack := []uint32{uint32(prog.Start)}
	exit := false // the instruction in hand can consume a non-numeric rune
	addRange := func(lo, hi rune) (numericPart bool) {
		for r := lo; r <= hi && r < utf8.RuneSelf; r++ {
			if numeric(byte(r)) {
				numericPart = true
			} else {
				p.follow.add(r, r)
				exit = true
			}
		}
		if hi >= utf8.RuneSelf {
			p.follow.add(max(lo, utf8.RuneSelf), hi)
			exit = true
		}
		return numericPart
	}
	for len(stack) > 0 {
		pc := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[pc] {
			continue
		}
		seen[pc] = true
		in := &prog.Inst[pc]
		exit = false
		switch in.Op {
		case syntax.InstAlt, syntax.InstAltMatch:
			stack = append(stack, in.Out, in.Arg)
		case syntax.InstCapture, syntax.InstNop, syntax.InstEmptyWidth:
			stack = append(stack, in.Out)
		case syntax.InstMatch:
			return false
		case syntax.InstFail:
		case syntax.InstRuneAny, syntax.InstRuneAnyNotNL:
			if addRange(0, unicode.MaxRune) {
				stack = append(stack, in.Out)
			}
		case syntax.InstRune1, syntax.InstRune:
			num := false
			if len(in.Rune) == 1 {
				r0 := in.Rune[0]
				num = addRange(r0, r0)
				if in.Op == syntax.InstRune && syntax.Flags(in.Arg)&syntax.FoldCase != 0 {
					for r := unicode.SimpleFold(r0); r != r0; r = unicode.SimpleFold(r) {
						num = addRange(r, r) || num
					}
				}
			} else {
				for i := 0; i+1 < len(in.Rune); i += 2 {
					num = addRange(in.Rune[i], in.Rune[i+1]) || num
				}
			}
			if num {
				stack = append(stack, in.Out)
			}
		default:
			return false
		}
		if exit {
			p.exits = append(p.exits, pc)
		}
	}
	return true
}

// longest returns the most bytes a path of prog from pc can consume (each
// rune counted as utf8.UTFMax), or -1 when a loop makes it unbounded.
func longest(prog *syntax.Prog, pc uint32) int {
	const visiting = -2
	memo := map[uint32]int{}
	var walk func(pc uint32) int
	walk = func(pc uint32) int {
		if v, ok := memo[pc]; ok {
			if v == visiting {
				return -1
			}
			return v
		}
		memo[pc] = visiting
		in := &prog.Inst[pc]
		n := 0
		switch in.Op {
		case syntax.InstAlt, syntax.InstAltMatch:
			a, b := walk(in.Out), walk(in.Arg)
			if a < 0 || b < 0 {
				n = -1
			} else {
				n = max(a, b)
			}
		case syntax.InstCapture, syntax.InstNop, syntax.InstEmptyWidth:
			n = walk(in.Out)
		case syntax.InstRune, syntax.InstRune1, syntax.InstRuneAny, syntax.InstRuneAnyNotNL:
			if n = walk(in.Out); n >= 0 {
				n += utf8.UTFMax
			}
		}
		memo[pc] = n
		return n
	}
	return walk(pc)
}

// exitNext is one exit of followRunes: the instruction, whether a match
// can end right after it (any), and the runes it can be followed by.
type exitNext struct {
	in   *syntax.Inst
	any  bool
	next runeSet
}

// nextRunes returns the runes each exit can be followed by.
func nextRunes(prog *syntax.Prog, exits []uint32) []exitNext {
	out := make([]exitNext, 0, len(exits))
	for _, pc := range exits {
		x := exitNext{in: &prog.Inst[pc]}
		seen := map[uint32]bool{}
		stack := []uint32{x.in.Out}
		for len(stack) > 0 && !x.any {
			pc := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if seen[pc] {
				continue
			}
			seen[pc] = true
			in := &prog.Inst[pc]
			switch in.Op {
			case syntax.InstAlt, syntax.InstAltMatch:
				stack = append(stack, in.Out, in.Arg)
			case syntax.InstCapture, syntax.InstNop, syntax.InstEmptyWidth:
				stack = append(stack, in.Out)
			case syntax.InstRune1, syntax.InstRune, syntax.InstRuneAny, syntax.InstRuneAnyNotNL:
				addRunes(&x.next, in)
			case syntax.InstFail:
			default:
				x.any = true // a match can end here
			}
		}
		out = append(out, x)
	}
	return out
}

// runFits reports whether a match can leave a numeric run at text[j]:
// some exit takes the rune there and either ends a match or takes the
// rune after it.
func (p *Pattern) runFits(text []byte, j int) bool {
	if j >= len(text) {
		return false
	}
	r := followRune(text, j)
	if !p.follow.has(r) {
		return false
	}
	_, w := utf8.DecodeRune(text[j:])
	var r2 rune = -1
	if j+w < len(text) {
		r2 = followRune(text, j+w)
	}
	for _, x := range p.then {
		if !x.in.MatchRune(r) {
			continue
		}
		if x.any || r2 >= 0 && x.next.has(r2) {
			return true
		}
	}
	return false
}

// afterFollow returns the most bytes a match can consume after its first
// rune beyond the numeric run, or -1 when unbounded or p has no follow:
// the most any exit of followRunes (an instruction that can consume a
// rune outside the run) can consume after it.
func (p *Pattern) afterFollow(prog *syntax.Prog) int {
	if !p.useFollow {
		return -1
	}
	most := 0
	for _, pc := range p.exits {
		n := longest(prog, prog.Inst[pc].Out)
		if n < 0 {
			return -1
		}
		most = max(most, n)
	}
	return most
}

// bound returns the end of the slice of text an attempt at i needs: the
// attempt reads no further than its bound plus one rune of look-ahead for
// assertions such as \b.
func (p *Pattern) bound(text []byte, i, runEnd int) int {
	switch {
	case p.useFollow && p.reachAfter >= 0:
		return min(len(text), runEnd+utf8.UTFMax+p.reachAfter+utf8.UTFMax)
	case p.reachAll >= 0:
		return min(len(text), i+p.reachAll+utf8.UTFMax)
	}
	return len(text)
}

// FindAllSubmatchIndex is regexp.FindAllSubmatchIndex(text, -1) of p's
// expression.
func (p *Pattern) FindAllSubmatchIndex(text []byte) [][]int {
	if p.fallback {
		return p.plain.FindAllSubmatchIndex(text, -1)
	}
	var out [][]int
	runEnd := -1   // end of the numeric run last measured
	runOK := false // whether a match can leave it (runFits)
	for i := 0; i < len(text); {
		if p.skipping {
			for i < len(text) && !p.skip[text[i]] {
				i++
			}
			if i >= len(text) {
				break
			}
		}
		r, w := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, w = utf8.DecodeRune(text[i:])
		}
		if p.first[0].has(r) || (i == 0 || text[i-1] == '\n') && p.first[1].has(r) {
			if p.useSecond && (i+w >= len(text) || !p.second.has(followRune(text, i+w))) {
				i += w
				continue
			}
			if p.useFollow {
				if i >= runEnd {
					for runEnd = i; runEnd < len(text) && numeric(text[runEnd]); runEnd++ {
					}
					runOK = p.runFits(text, runEnd)
				}
				if !runOK {
					i += w
					continue
				}
			}
			if loc := p.anchored.FindSubmatchIndex(text[i:p.bound(text, i, runEnd)]); loc != nil {
				for k := range loc {
					if loc[k] >= 0 {
						loc[k] += i
					}
				}
				out = append(out, loc)
				i = loc[1]
				continue
			}
		}
		i += w
	}
	return out
}

// followRune decodes the rune at text[j] as the regexp package does.
func followRune(text []byte, j int) rune {
	if text[j] < utf8.RuneSelf {
		return rune(text[j])
	}
	r, _ := utf8.DecodeRune(text[j:])
	return r
}

// FindAllIndex is regexp.FindAllIndex(text, -1) of p's expression.
func (p *Pattern) FindAllIndex(text []byte) [][]int {
	ms := p.FindAllSubmatchIndex(text)
	for i, m := range ms {
		ms[i] = m[:2]
	}
	return ms
}

// runeSet is a set of runes: a table for ASCII and sorted ranges above,
// with the bytes the UTF-8 encodings of its runes can begin with.
type runeSet struct {
	ascii  [utf8.RuneSelf]bool
	ranges [][2]rune
	lead   [256]bool
}

// leadByte returns the first byte of the UTF-8 encoding of r, which grows
// with r.
func leadByte(r rune) byte {
	switch {
	case r < 0x80:
		return byte(r)
	case r < 0x800:
		return 0xC0 | byte(r>>6)
	case r < 0x10000:
		return 0xE0 | byte(r>>12)
	}
	return 0xF0 | byte(min(r, unicode.MaxRune)>>18)
}

func (s *runeSet) add(lo, hi rune) {
	for r := lo; r <= hi && r < utf8.RuneSelf; r++ {
		s.ascii[r] = true
	}
	for b := int(leadByte(lo)); b <= int(leadByte(hi)); b++ {
		s.lead[b] = true
	}
	if hi < utf8.RuneSelf {
		return
	}
	s.ranges = append(s.ranges, [2]rune{max(lo, utf8.RuneSelf), hi})
	slices.SortFunc(s.ranges, func(a, b [2]rune) int { return int(a[0] - b[0]) })
}

func (s *runeSet) has(r rune) bool {
	if r < utf8.RuneSelf {
		return s.ascii[r]
	}
	for _, g := range s.ranges {
		if r < g[0] {
			return false
		}
		if r <= g[1] {
			return true
		}
	}
	return false
}
