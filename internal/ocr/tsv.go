package ocr

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Word is one row of tesseract's TSV output. Rows of level 1-4 (page,
// block, paragraph, line) carry boxes but no text; level 5 rows are words.
type Word struct {
	Level, Page, Block, Par, Line, Word int
	Left, Top, Width, Height            int
	Conf                                float64 // 0..100, -1 for non-word rows
	Text                                string
}

// LevelWord is the TSV level of a recognised word.
const LevelWord = 5

// tsvColumns is the header tesseract writes; rows have exactly this many
// fields (the text field may be empty).
var tsvColumns = []string{"level", "page_num", "block_num", "par_num", "line_num", "word_num",
	"left", "top", "width", "height", "conf", "text"}

// ParseTSV parses tesseract's TSV output. The header line is optional.
// Rows with a wrong field count or non-numeric fields are an error that
// names the line; invalid UTF-8 in a word is replaced, so that every Text
// is valid UTF-8.
func ParseTSV(b []byte) ([]Word, error) {
	var words []Word
	for n, line := range bytes.Split(b, []byte("\n")) {
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) == 0 {
			continue
		}
		f := strings.Split(string(line), "\t")
		if n == 0 && f[0] == tsvColumns[0] {
			continue
		}
		if len(f) != len(tsvColumns) {
			return words, fmt.Errorf("tsv line %d: %d fields, want %d", n+1, len(f), len(tsvColumns))
		}
		var ints [10]int
		for i := range ints {
			v, err := strconv.Atoi(f[i])
			if err != nil {
				return words, fmt.Errorf("tsv line %d: %s: %w", n+1, tsvColumns[i], err)
			}
			ints[i] = v
		}
		conf, err := strconv.ParseFloat(f[10], 64)
		if err != nil || conf != conf {
			return words, fmt.Errorf("tsv line %d: conf %q", n+1, f[10])
		}
		words = append(words, Word{
			Level: ints[0], Page: ints[1], Block: ints[2], Par: ints[3], Line: ints[4], Word: ints[5],
			Left: ints[6], Top: ints[7], Width: ints[8], Height: ints[9],
			Conf: min(max(conf, -1), 100),
			Text: strings.ToValidUTF8(f[11], "\uFFFD"),
		})
	}
	return words, nil
}

// MeanConfidence is the mean confidence of the words with text, 0 when
// there are none.
func MeanConfidence(words []Word) float64 {
	var sum float64
	n := 0
	for _, w := range words {
		if w.Level != LevelWord || w.Conf < 0 || strings.TrimSpace(w.Text) == "" {
			continue
		}
		sum += w.Conf
		n++
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

// Text rebuilds reading-order text from words: words of a line joined by
// a space except next to CJK characters (tesseract's Chinese models emit
// one "word" per character), lines by "\n", paragraphs and blocks by a
// blank line. Layout follows tesseract's own text renderer.
func Text(words []Word) string {
	var sb strings.Builder
	type key struct{ page, block, par, line int }
	var prev key
	var prevText string
	first := true
	for _, w := range words {
		if w.Level != LevelWord || strings.TrimSpace(w.Text) == "" {
			continue
		}
		k := key{w.Page, w.Block, w.Par, w.Line}
		switch {
		case first:
		case k.page != prev.page || k.block != prev.block || k.par != prev.par:
			sb.WriteString("\n\n")
		case k.line != prev.line:
			sb.WriteByte('\n')
		case needSpace(prevText, w.Text):
			sb.WriteByte(' ')
		}
		sb.WriteString(w.Text)
		prev, prevText, first = k, w.Text, false
	}
	return sb.String()
}

// needSpace reports whether two adjacent words of a line are separated by
// a space: not when either side touching the gap is a CJK character or
// full-width punctuation.
func needSpace(a, b string) bool {
	r1, _ := utf8.DecodeLastRuneInString(a)
	r2, _ := utf8.DecodeRuneInString(b)
	return !isCJK(r1) && !isCJK(r2)
}

// isCJK reports whether r is written without spaces around it: Han,
// kana, hangul, CJK and full-width punctuation.
func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) ||
		unicode.Is(unicode.Hangul, r) ||
		(r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef)
}
