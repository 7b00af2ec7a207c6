package paddle

import (
	"bufio"
	"fmt"
	"image"
	"io"
	"math"
	"sort"
	"strings"

	"golang.org/x/image/draw"
)

// recHeight is the recognition model's input height, and recMinWidth the
// narrowest batch it is given (PaddleOCR's 3x48x320 shape).
const (
	recHeight   = 48
	recMinWidth = 320
	clsHeight   = 48
	clsWidth    = 192
)

// readKeys reads the recognition dictionary, one character a line. The
// model's classes are the CTC blank, the keys in order, then a space.
func readKeys(r io.Reader) ([]string, error) {
	keys := []string{""}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		keys = append(keys, strings.TrimRight(sc.Text(), "\r\n"))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("read keys: %w", err)
	}
	if len(keys) < 2 {
		return nil, fmt.Errorf("read keys: empty dictionary")
	}
	return append(keys, " "), nil
}

// decoded is one recognised line: text, mean probability of its
// characters, and for each character the time step it was read at (its
// horizontal position in the model's input).
type decoded struct {
	text  string
	conf  float64
	runes []rune
	steps []int
	probs []float32 // per character
}

// ctcGreedy decodes one line from its T x C class probabilities: the most
// likely class per step, repeats collapsed, blanks (class 0) dropped.
// The confidence is the mean probability of the kept characters; a line
// with none has confidence 0.
func ctcGreedy(probs []float32, steps, classes int, keys []string) decoded {
	var d decoded
	var sb strings.Builder
	var sum float64
	prev := -1
	for t := 0; t < steps; t++ {
		row := probs[t*classes : (t+1)*classes]
		best, bp := 0, row[0]
		for c, v := range row {
			if v > bp {
				best, bp = c, v
			}
		}
		if best != 0 && best != prev && best < len(keys) {
			sb.WriteString(keys[best])
			for _, r := range keys[best] {
				d.runes = append(d.runes, r)
				d.steps = append(d.steps, t)
				d.probs = append(d.probs, bp)
			}
			sum += float64(bp)
		}
		prev = best
	}
	d.text = sb.String()
	if n := len(d.steps); n > 0 {
		d.conf = sum / float64(len(d.steps))
	}
	return d
}

// normalise writes m, scaled to w x h, into dst (3 x h x outW, CHW, BGR
// order as the models were trained on OpenCV images) as (v/255-0.5)/0.5;
// columns past w stay 0, the padding PaddleOCR uses.
func normalise(dst []float32, m *image.RGBA, w, h, outW int) {
	s := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.BiLinear.Scale(s, s.Rect, m, m.Rect, draw.Src, nil)
	plane := h * outW
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := s.PixOffset(x, y)
			o := y*outW + x
			dst[o] = float32(s.Pix[i+2])/127.5 - 1
			dst[plane+o] = float32(s.Pix[i+1])/127.5 - 1
			dst[2*plane+o] = float32(s.Pix[i])/127.5 - 1
		}
	}
}

// recWidth is a crop's width at recognition height, capped at maxW.
func recWidth(m *image.RGBA, maxW int) int {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	return min(maxW, max(1, int(math.Ceil(float64(recHeight)*float64(w)/float64(h)))))
}

// batches groups crop indices by ascending width ratio into runs of at
// most n, so that each batch pads its lines to a similar width; a run is
// also cut before its padded width times its length passes budget
// columns, which bounds the recogniser's memory for a batch of very long
// lines (its output alone is lines x width/8 x 6625 floats).
func batches(crops []*image.RGBA, n, maxW, budget int) [][]int {
	idx := make([]int, len(crops))
	for i := range idx {
		idx[i] = i
	}
	ratio := func(i int) float64 { return float64(crops[i].Rect.Dx()) / float64(crops[i].Rect.Dy()) }
	sort.SliceStable(idx, func(a, b int) bool { return ratio(idx[a]) < ratio(idx[b]) })
	var out [][]int
	for len(idx) > 0 {
		k := 1
		for k < min(n, len(idx)) {
			// Sorted by ratio, so idx[k] is the widest of the first k+1.
			if (k+1)*max(recMinWidth, recWidth(crops[idx[k]], maxW)) > budget {
				break
			}
			k++
		}
		out = append(out, idx[:k:k])
		idx = idx[k:]
	}
	return out
}
