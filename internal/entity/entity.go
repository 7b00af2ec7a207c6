package entity

import (
	"bytes"
	"slices"
	"unicode/utf8"

	"github.com/leakscope/leakscope/internal/leak"
)

// Match is one entity found in a text.
type Match struct {
	Kind  leak.Kind
	Value string // as written in the text, text[Start:End]
	Norm  string // canonical form: lower-case domain, E.164 phone, ISO date, "bytes:<n>" ...
	Start int    // byte offset of the first byte of Value in the scanned text
	End   int    // byte offset just past Value
}

// Detector finds entities of some kinds in a text.
//
// Implementations are pure and safe for concurrent use: Detect may be
// called from many goroutines at once, on different texts, and does no I/O.
// Detect calls emit once per match, in any order, with offsets relative to
// text; it must not retain text or emit after it returns.
type Detector interface {
	// Kinds lists every kind the detector may emit.
	Kinds() []leak.Kind
	// Keywords are lower-case byte strings of which at least one occurs
	// (ASCII case-insensitively) in any text the detector can match in.
	// nil means the detector always runs.
	Keywords() []string
	// Detect reports the matches in text.
	Detect(text []byte, emit func(Match))
}

// DigitAnchored is implemented by detectors every match of which contains
// an ASCII digit and lies within Reach bytes of it (volumes, dates, money,
// phone numbers). The scanner then runs them only on the windows around
// the digit runs of a text, so prose without figures costs them nothing.
// Windows start and end at a space, a line break or a non-ASCII rune, so a
// detector's own boundary checks see what they would see in the whole text.
type DigitAnchored interface {
	Reach() int
}

// Chunking of large texts. A match must fit in Overlap bytes to be found
// when it straddles a chunk boundary; no entity of this package is longer.
const (
	DefaultChunk   = 1 << 20
	DefaultOverlap = 4 << 10
)

// Scanner runs a fixed list of detectors. It is safe for concurrent use.
type Scanner struct {
	detectors []Detector
	always    []bool
	reach     []int // per detector; 0 scans the whole chunk
	chunk     int
	overlap   int
}

// NewScanner returns a scanner over ds, chunking texts at DefaultChunk.
func NewScanner(ds ...Detector) *Scanner {
	s := &Scanner{detectors: ds, chunk: DefaultChunk, overlap: DefaultOverlap}
	s.always = make([]bool, len(ds))
	s.reach = make([]int, len(ds))
	for i, d := range ds {
		kw := d.Keywords()
		s.always[i] = len(kw) == 0
		if a, ok := d.(DigitAnchored); ok {
			s.reach[i] = max(a.Reach(), 1)
		}
	}
	return s
}

// WithChunk returns a copy of s that scans in chunks of size bytes with
// overlap bytes shared between neighbours. Tests use it to exercise the
// chunk boundaries on small texts.
func (s *Scanner) WithChunk(size, overlap int) *Scanner {
	c := *s
	c.chunk, c.overlap = max(size, 1), max(overlap, 0)
	return &c
}

// Detectors returns the scanner's detectors in order.
func (s *Scanner) Detectors() []Detector { return slices.Clone(s.detectors) }

// Scan returns the matches of every detector in text, sorted by Start,
// then End, then Kind, with overlapping matches of one kind reduced to the
// longest (the first on a tie).
func (s *Scanner) Scan(text []byte) []Match {
	var all []Match
	s.chunks(text, func(ms []Match, _ int) { all = append(all, ms...) })
	return Dedup(all)
}

// chunks runs the detectors over text one chunk at a time and calls fn
// with the chunk's matches (valid until fn returns) and the offset where
// the next chunk starts: no later match starts before it. For the last
// chunk next is len(text).
func (s *Scanner) chunks(text []byte, fn func(ms []Match, next int)) {
	var all []Match
	lower := make([]byte, 0, min(len(text), s.chunk+s.overlap))
	for start := 0; start < len(text); {
		end := cutPoint(text, min(len(text), start+s.chunk), start)
		last := end >= len(text)
		stop := end
		if !last {
			stop = runeStart(text, min(len(text), end+s.overlap))
			if stop < end {
				stop = end
			}
		}
		piece := text[start:stop]
		lower = asciiLower(lower[:0], piece)
		windows := map[int][][2]int{}
		for i, d := range s.detectors {
			if !s.always[i] && !anyKeyword(lower, d.Keywords()) {
				continue
			}
			spans := [][2]int{{0, len(piece)}}
			if r := s.reach[i]; r > 0 {
				if windows[r] == nil {
					windows[r] = digitWindows(piece, r)
				}
				spans = windows[r]
			}
			for _, w := range spans {
				sub := piece[w[0]:w[1]]
				d.Detect(sub, func(m Match) {
					if m.Start < 0 || m.End > len(sub) || m.Start >= m.End {
						return
					}
					m.Start += w[0]
					m.End += w[0]
					if !last && m.Start >= end-start {
						return // the next chunk owns it
					}
					m.Start += start
					m.End += start
					all = append(all, m)
				})
			}
		}
		if last {
			fn(all, len(text))
			break
		}
		fn(all, end)
		all = all[:0]
		start = end
	}
}

// Dedup sorts ms and removes matches that overlap a longer match of the
// same kind (the earlier on a tie), and exact duplicates. It runs in
// n log n time: a text with a million matches is common in a leak.
func Dedup(ms []Match) []Match {
	// By kind, then position; the input order breaks ties, so that of
	// two identical matches the first one reported is kept.
	slices.SortStableFunc(ms, func(a, b Match) int {
		if a.Kind != b.Kind {
			if a.Kind < b.Kind {
				return -1
			}
			return 1
		}
		return a.Start - b.Start
	})
	out := make([]Match, 0, len(ms))
	for i := 0; i < len(ms); {
		j := i + 1
		for j < len(ms) && ms[j].Kind == ms[i].Kind {
			j++
		}
		out = dedupKind(ms[i:j], out)
		i = j
	}
	slices.SortFunc(out, func(a, b Match) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		if a.End != b.End {
			return a.End - b.End
		}
		if a.Kind < b.Kind {
			return -1
		} else if a.Kind > b.Kind {
			return 1
		}
		return 0
	})
	return out
}

// digitWindows returns the merged windows of text within reach bytes of
// an ASCII digit, each widened to a safe edge (see DigitAnchored). An
// empty result means the text has no digit.
func digitWindows(text []byte, reach int) [][2]int {
	var out [][2]int
	for i := 0; i < len(text); {
		j := bytes.IndexAny(text[i:], "0123456789")
		if j < 0 {
			break
		}
		d := i + j
		e := d
		for e < len(text) && text[e] >= '0' && text[e] <= '9' {
			e++
		}
		ws, we := safeStart(text, max(0, d-reach)), safeEnd(text, min(len(text), e+reach))
		if n := len(out); n > 0 && ws <= out[n-1][1] {
			out[n-1][1] = max(out[n-1][1], we)
		} else {
			out = append(out, [2]int{ws, we})
		}
		i = max(e, we)
	}
	return out
}

// safeStart moves i back to just after a space, a line break or a
// non-ASCII rune (at most 512 bytes; else 0).
func safeStart(text []byte, i int) int {
	for k := 0; i > 0 && k < 512; k++ {
		c := text[i-1]
		if c == ' ' || c == '\n' || c == '\t' || c == '\r' || c >= 0x80 && utf8.RuneStart(text[i]) {
			return i
		}
		i--
	}
	if i > 0 {
		return 0
	}
	return i
}

// safeEnd moves i forward to a space, a line break or the start of a
// non-ASCII rune (at most 512 bytes; else len(text)).
func safeEnd(text []byte, i int) int {
	for k := 0; i < len(text) && k < 512; k++ {
		c := text[i]
		if c == ' ' || c == '\n' || c == '\t' || c == '\r' || c >= 0x80 && utf8.RuneStart(c) {
			return i
		}
		i++
	}
	if i < len(text) {
		return len(text)
	}
	return i
}

func anyKeyword(lower []byte, kws []string) bool {
	for _, k := range kws {
		if bytes.Contains(lower, []byte(k)) {
			return true
		}
	}
	return false
}

func asciiLower(dst, src []byte) []byte {
	for _, c := range src {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// cutPoint returns a chunk end near i and above floor: just after a
// newline or space within 256 bytes before i when there is one, else the
// start of the rune i is in (or the next rune start if that is floor).
func cutPoint(text []byte, i, floor int) int {
	if i >= len(text) {
		return len(text)
	}
	for j := i; j > i-256 && j > floor+1; j-- {
		if text[j-1] == '\n' || text[j-1] == ' ' {
			return j
		}
	}
	if c := runeStart(text, i); c > floor {
		return c
	}
	for i++; i < len(text) && !utf8.RuneStart(text[i]); i++ {
	}
	return i
}

// runeStart moves i back to the start of the rune it is in.
func runeStart(text []byte, i int) int {
	if i >= len(text) {
		return len(text)
	}
	for j := i; j > 0 && j > i-utf8.UTFMax; j-- {
		if utf8.RuneStart(text[j]) {
			return j
		}
	}
	return i
}
