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

// Chunking of large texts. A match must fit in Overlap bytes to be found
// when it straddles a chunk boundary; no entity of this package is longer.
const (
	DefaultChunk   = 1 << 20
	DefaultOverlap = 4 << 10
)

// Scanner runs a fixed list of detectors. It is safe for concurrent use.
type Scanner struct {
	detectors []Detector
	keywords  [][]byte // per detector; nil entries always run
	always    []bool
	chunk     int
	overlap   int
}

// NewScanner returns a scanner over ds, chunking texts at DefaultChunk.
func NewScanner(ds ...Detector) *Scanner {
	s := &Scanner{detectors: ds, chunk: DefaultChunk, overlap: DefaultOverlap}
	s.always = make([]bool, len(ds))
	for i, d := range ds {
		kw := d.Keywords()
		s.always[i] = len(kw) == 0
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
		for i, d := range s.detectors {
			if !s.always[i] && !anyKeyword(lower, d.Keywords()) {
				continue
			}
			d.Detect(piece, func(m Match) {
				if m.Start < 0 || m.End > len(piece) || m.Start >= m.End {
					return
				}
				if !last && m.Start >= end-start {
					return // the next chunk owns it
				}
				m.Start += start
				m.End += start
				all = append(all, m)
			})
		}
		if last {
			break
		}
		start = end
	}
	return Dedup(all)
}

// Dedup sorts ms and removes matches that overlap a longer match of the
// same kind, and exact duplicates.
func Dedup(ms []Match) []Match {
	// Longest first within a kind, so that a kept match shadows the
	// shorter ones it overlaps.
	slices.SortStableFunc(ms, func(a, b Match) int {
		if a.Kind != b.Kind {
			if a.Kind < b.Kind {
				return -1
			}
			return 1
		}
		if la, lb := a.End-a.Start, b.End-b.Start; la != lb {
			return lb - la
		}
		return a.Start - b.Start
	})
	out := ms[:0]
	var kept []Match // kept matches of the current kind
	for i, m := range ms {
		if i > 0 && ms[i-1].Kind != m.Kind {
			kept = kept[:0]
		}
		overlaps := false
		for _, k := range kept {
			if m.Start < k.End && k.Start < m.End {
				overlaps = true
				break
			}
		}
		if overlaps {
			continue
		}
		kept = append(kept, m)
		out = append(out, m)
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
