package lang

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-ego/gse"
)

//go:embed dict/zh_s.txt.gz
var zhDictGz []byte

// maxChunk bounds the bytes handed to the segmenter at once; longer lines are
// cut at punctuation or spaces (or, failing that, anywhere on a rune
// boundary) so that memory stays bounded on one-line dumps.
const maxChunk = 8 << 10

// Token is one word of a text.
type Token struct {
	Text       string // as written in the input
	Norm       string // Fold(Text): simplified, half width, lower case
	Pos        string // part of speech from the jieba tag set: ns place, nt organisation, nr person, n noun, v verb, m number, x other; "" if unknown
	Start, End int    // byte offsets of Text in the input
}

// LoadStats describes the one-time load of the segmentation dictionary.
type LoadStats struct {
	Duration time.Duration // time to decompress and build the dictionary
	Words    int           // entries loaded
	GzBytes  int           // size of the embedded compressed dictionary
}

var (
	segOnce  sync.Once
	segm     *gse.Segmenter
	segStats LoadStats
	segErr   error
)

// Load loads the embedded segmentation dictionary once and returns what it
// cost. Cut calls it lazily; call it early to move the cost (about a second,
// see the package benchmarks) out of the first document.
func Load() (LoadStats, error) {
	segOnce.Do(func() { segm, segStats, segErr = loadSegmenter() })
	return segStats, segErr
}

// loadSegmenter builds a segmenter from the embedded dictionary.
func loadSegmenter() (*gse.Segmenter, LoadStats, error) {
	t0 := time.Now()
	zr, err := gzip.NewReader(bytes.NewReader(zhDictGz))
	if err != nil {
		return nil, LoadStats{}, fmt.Errorf("load zh dictionary: %w", err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, LoadStats{}, fmt.Errorf("load zh dictionary: %w", err)
	}
	s := &gse.Segmenter{SkipLog: true, NotStop: true}
	if err := s.LoadDictStr(string(raw)); err != nil {
		return nil, LoadStats{}, fmt.Errorf("load zh dictionary: %w", err)
	}
	return s, LoadStats{Duration: time.Since(t0), Words: s.Dict.NumTokens(), GzBytes: len(zhDictGz)}, nil
}

// Cut splits text into words with their part of speech, using gse's
// shortest-path segmentation over the embedded jieba dictionary. Traditional
// characters are folded to simplified before lookup (so 財政部 is one word
// like 财政部), but Text and the offsets always refer to the input.
// Every byte of text belongs to exactly one token, in order; spaces and line
// breaks are tokens too (Pos "x"). Safe for concurrent use.
func Cut(text string) []Token {
	var out []Token
	if _, err := Load(); err != nil {
		// Cannot happen with an intact binary; degrade to characters.
		for i, r := range text {
			n := utf8.RuneLen(r)
			if r == utf8.RuneError {
				n = 1
			}
			out = append(out, Token{Text: text[i : i+n], Norm: Fold(text[i : i+n]), Pos: "x", Start: i, End: i + n})
		}
		return out
	}
	h := tables()
	for start := 0; start < len(text); {
		end := chunkEnd(text, start)
		out = cutChunk(h, text, start, end, out)
		start = end
	}
	return out
}

// chunkEnd returns the end of the chunk of text starting at start: the next
// line break, or a break point within maxChunk bytes.
func chunkEnd(text string, start int) int {
	limit := min(len(text), start+maxChunk)
	if i := strings.IndexByte(text[start:limit], '\n'); i >= 0 {
		return start + i + 1
	}
	if limit == len(text) {
		return limit
	}
	// Prefer the last punctuation or space in the second half of the window.
	for i := limit; i > start+maxChunk/2; {
		r, n := utf8.DecodeLastRuneInString(text[start:i])
		if unicode.IsSpace(r) || unicode.IsPunct(r) {
			return i
		}
		i -= n
	}
	for limit > start && !utf8.RuneStart(text[limit]) {
		limit--
	}
	if limit == start {
		return min(len(text), start+maxChunk)
	}
	return limit
}

func cutChunk(h *hanTables, text string, start, end int, out []Token) []Token {
	// Fold rune by rune and remember where each folded byte came from.
	var fb strings.Builder
	orig := make([]int, 0, end-start+1)
	for i := start; i < end; {
		r, n := utf8.DecodeRuneInString(text[i:end])
		f := foldRune(h, r)
		if r == utf8.RuneError && n == 1 {
			f = utf8.RuneError
		}
		w := utf8.RuneLen(f)
		fb.WriteRune(f)
		for range w {
			orig = append(orig, i)
		}
		i += n
	}
	orig = append(orig, end)
	folded := fb.String()
	for _, sg := range segm.Segment([]byte(folded)) {
		fs, fe := sg.Start(), sg.End()
		if fs < 0 || fe > len(folded) || fs >= fe {
			continue
		}
		os, oe := orig[fs], orig[fe]
		if os >= oe {
			continue
		}
		pos := sg.Token().Pos()
		norm := folded[fs:fe]
		if pos == "" || pos == "x" {
			pos = guessPos(norm)
		}
		out = append(out, Token{Text: text[os:oe], Norm: norm, Pos: pos, Start: os, End: oe})
	}
	return out
}

// guessPos tags tokens the dictionary does not know: numbers m, Latin words
// eng (jieba's tag), everything else x.
func guessPos(s string) string {
	allDigit, allLatin := true, true
	for _, r := range s {
		if !unicode.IsDigit(r) && r != '.' {
			allDigit = false
		}
		if !unicode.Is(unicode.Latin, r) {
			allLatin = false
		}
	}
	switch {
	case allDigit:
		return "m"
	case allLatin:
		return "eng"
	}
	return "x"
}
