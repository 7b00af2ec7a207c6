package ocr

import (
	"image"
	"image/draw"
	"sort"
)

// sample is a set of text lines cut out of a page to test a language set
// cheaply: the lines of the first pass richest in Han characters.
type sample struct {
	boxes []image.Rectangle
	conf  float64 // first pass's mean word confidence over these lines
	han   int
}

// hanSample picks up to maxLines lines holding the most Han characters,
// stopping once maxHan characters are covered.
func hanSample(words []Word, bounds image.Rectangle, maxHan, maxLines int) sample {
	type key struct{ page, block, par, line int }
	type line struct {
		box       image.Rectangle
		han       int
		confSum   float64
		confCount int
	}
	lines := map[key]*line{}
	var order []key
	for _, w := range words {
		k := key{w.Page, w.Block, w.Par, w.Line}
		switch w.Level {
		case 4:
			if _, ok := lines[k]; !ok {
				order = append(order, k)
			}
			lines[k] = &line{box: image.Rect(w.Left, w.Top, w.Left+w.Width, w.Top+w.Height)}
		case LevelWord:
			l := lines[k]
			if l == nil || w.Conf < 0 {
				continue
			}
			n := CountScript(w.Text).Han
			if n == 0 {
				continue
			}
			l.han += n
			l.confSum += w.Conf
			l.confCount++
		}
	}
	sort.SliceStable(order, func(i, j int) bool { return lines[order[i]].han > lines[order[j]].han })
	var s sample
	var confSum float64
	var confN int
	for _, k := range order {
		l := lines[k]
		if l.han == 0 || len(s.boxes) >= maxLines || s.han >= maxHan {
			break
		}
		box := l.box.Inset(-4).Intersect(bounds)
		if box.Empty() {
			continue
		}
		s.boxes = append(s.boxes, box)
		s.han += l.han
		confSum += l.confSum
		confN += l.confCount
	}
	if confN > 0 {
		s.conf = confSum / float64(confN)
	}
	return s
}

// stack copies the boxes of g one under the other on a white page with
// pad pixels of margin, so one short tesseract run reads them all.
func stack(g *image.Gray, boxes []image.Rectangle, pad int) *image.Gray {
	w, h := 0, pad
	for _, b := range boxes {
		w = max(w, b.Dx())
		h += b.Dy() + pad
	}
	out := image.NewGray(image.Rect(0, 0, w+2*pad, h))
	for i := range out.Pix {
		out.Pix[i] = 255
	}
	y := pad
	for _, b := range boxes {
		draw.Draw(out, image.Rect(pad, y, pad+b.Dx(), y+b.Dy()), g, b.Min, draw.Src)
		y += b.Dy() + pad
	}
	return out
}
