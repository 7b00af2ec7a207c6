package paddle

import (
	"fmt"
	"image"
	"math"
	"strings"
	"unicode"
)

// line is one recognised text line in image coordinates.
type line struct {
	box  image.Rectangle // bounding box of the detected quad
	d    decoded
	recW int // width of the line in the recogniser's input, before padding
	padW int // width of the recogniser's input, padding included
	T    int // time steps the recogniser emitted for padW
}

// tsvHeader is the header tesseract writes; the chat parser and
// ocr.ParseTSV read the same columns from either engine.
const tsvHeader = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"

// buildTSV writes lines in tesseract's TSV shape, so that every consumer
// of word boxes works with either engine: one page and one block, each
// detected line its own line (level 4, with the line's confidence), and
// its space-separated runs as words (level 5) whose boxes come from the
// time steps the recogniser read their characters at. A word's
// confidence is the mean probability of its characters, 0..100.
func buildTSV(lines []line, w, h int) []byte {
	var sb strings.Builder
	sb.WriteString(tsvHeader)
	fmt.Fprintf(&sb, "1\t1\t0\t0\t0\t0\t0\t0\t%d\t%d\t-1\t\n", w, h)
	if len(lines) > 0 {
		fmt.Fprintf(&sb, "2\t1\t1\t0\t0\t0\t0\t0\t%d\t%d\t-1\t\n", w, h)
		fmt.Fprintf(&sb, "3\t1\t1\t1\t0\t0\t0\t0\t%d\t%d\t-1\t\n", w, h)
	}
	for n, l := range lines {
		b := l.box
		fmt.Fprintf(&sb, "4\t1\t1\t1\t%d\t0\t%d\t%d\t%d\t%d\t%.2f\t\n", n+1, b.Min.X, b.Min.Y, b.Dx(), b.Dy(), 100*l.d.conf)
		for k, wd := range l.words() {
			fmt.Fprintf(&sb, "5\t1\t1\t1\t%d\t%d\t%d\t%d\t%d\t%d\t%.2f\t%s\n", n+1, k+1,
				wd.box.Min.X, wd.box.Min.Y, wd.box.Dx(), wd.box.Dy(), wd.conf, tsvSafe(wd.text))
		}
	}
	return []byte(sb.String())
}

type word struct {
	text string
	box  image.Rectangle
	conf float64
}

// words splits the line at spaces. Time step t covers columns
// [t, t+1) * padW/T of the recogniser's input, which maps linearly onto
// the line's box.
func (l line) words() []word {
	var out []word
	cur := -1
	var sb strings.Builder
	var sum float64
	n := 0
	first, last := 0, 0
	flush := func() {
		if n == 0 {
			return
		}
		x0 := l.stepX(first)
		x1 := max(l.stepX(last+1), x0+1)
		out = append(out, word{text: sb.String(), conf: 100 * sum / float64(n),
			box: image.Rect(x0, l.box.Min.Y, min(x1, l.box.Max.X), l.box.Max.Y)})
		sb.Reset()
		sum, n = 0, 0
	}
	for i, r := range l.d.runes {
		if unicode.IsSpace(r) {
			flush()
			cur = -1
			continue
		}
		if cur < 0 {
			first = l.d.steps[i]
		}
		cur = i
		last = l.d.steps[i]
		sb.WriteRune(r)
		sum += float64(l.d.probs[i])
		n++
	}
	flush()
	return out
}

// stepX is the image x coordinate of the left edge of time step t.
func (l line) stepX(t int) int {
	if l.T <= 0 || l.recW <= 0 {
		return l.box.Min.X
	}
	xr := float64(t) * float64(l.padW) / float64(l.T) // recogniser input column
	// Clamped to the line: steps past the text are padding.
	return l.box.Min.X + int(math.Round(clampF(xr, 0, float64(l.recW))*float64(l.box.Dx())/float64(l.recW)))
}

// tsvSafe keeps a recognised word from breaking the TSV: tabs and line
// breaks become spaces (the model emits neither, a custom dictionary
// might).
func tsvSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return ' '
		}
		return r
	}, s)
}
