package paddle

import (
	"image"
	"math"
	"sort"
)

// Params are the thresholds of the pipeline, with PaddleOCR's defaults
// for PP-OCRv4 unless noted. The zero value of a field means its default.
type Params struct {
	// DetMaxSide bounds the long side of the image the detector sees; a
	// larger image is scaled down (both sides then rounded to a multiple
	// of 32, as the DB network needs). Bounds the detector's memory.
	DetMaxSide int
	// DetThresh binarises the probability map.
	DetThresh float32
	// BoxThresh drops a region whose mean probability is lower.
	BoxThresh float32
	// Unclip is the DB unclip ratio.
	Unclip float64
	// MinBoxSide drops regions thinner than this, in map pixels.
	MinBoxSide float64
	// MaxBoxes caps the regions kept per image (largest score first).
	MaxBoxes int
	// ClsThresh: a line the classifier calls upside down with at least
	// this probability is turned before recognition.
	ClsThresh float32
	// DropScore drops recognised lines below this confidence (0..1).
	DropScore float64
	// RecBatch is how many lines are recognised in one run, grouped by
	// width so that little padding is computed.
	RecBatch int
	// RecBatchWidth caps a batch's lines times its padded width, in
	// columns at height 48: fewer lines go in a batch of long ones.
	RecBatchWidth int
	// RecMaxWidth caps a recognition input's width, in pixels at height
	// 48: a longer line is squeezed, bounding memory per batch.
	RecMaxWidth int
}

// DefaultParams are the defaults filled in by withDefaults.
var DefaultParams = Params{
	DetMaxSide: 960, DetThresh: 0.3, BoxThresh: 0.6, Unclip: 1.5, MinBoxSide: 3,
	MaxBoxes: 1000, ClsThresh: 0.9, DropScore: 0.5, RecBatch: 6, RecBatchWidth: 6 * 960, RecMaxWidth: 3200,
}

func (p Params) withDefaults() Params {
	d := DefaultParams
	if p.DetMaxSide <= 0 {
		p.DetMaxSide = d.DetMaxSide
	}
	if p.DetThresh <= 0 {
		p.DetThresh = d.DetThresh
	}
	if p.BoxThresh <= 0 {
		p.BoxThresh = d.BoxThresh
	}
	if p.Unclip <= 0 {
		p.Unclip = d.Unclip
	}
	if p.MinBoxSide <= 0 {
		p.MinBoxSide = d.MinBoxSide
	}
	if p.MaxBoxes <= 0 {
		p.MaxBoxes = d.MaxBoxes
	}
	if p.ClsThresh <= 0 {
		p.ClsThresh = d.ClsThresh
	}
	if p.DropScore <= 0 {
		p.DropScore = d.DropScore
	}
	if p.RecBatch <= 0 {
		p.RecBatch = d.RecBatch
	}
	if p.RecBatchWidth <= 0 {
		p.RecBatchWidth = d.RecBatchWidth
	}
	if p.RecMaxWidth <= 0 {
		p.RecMaxWidth = d.RecMaxWidth
	}
	return p
}

// detSize is the detector's input size for a w x h image: the long side
// at most maxSide, each side rounded to a multiple of 32 and at least 32.
func detSize(w, h, maxSide int) (int, int) {
	ratio := 1.0
	if m := max(w, h); m > maxSide {
		ratio = float64(maxSide) / float64(m)
	}
	round := func(v int) int {
		return max(32, int(math.Round(float64(v)*ratio/32))*32)
	}
	return round(w), round(h)
}

// region is one detected text box in image coordinates.
type region struct {
	q     quad
	score float32
}

// boxes turns the probability map (mw x mh) into text boxes in the
// coordinates of the w x h image: threshold, 8-connected regions, each
// region's mean probability against BoxThresh, its minimum-area
// rectangle unclipped, scaled back to the image.
func boxes(prob []float32, mw, mh, w, h int, p Params) []region {
	seen := make([]bool, len(prob))
	var out []region
	stack := make([]int, 0, 1024)
	// rows holds, per row of the current region, its leftmost and
	// rightmost pixel: the hull only needs those.
	type span struct{ x0, x1 int }
	rows := map[int]span{}
	sx, sy := float64(w)/float64(mw), float64(h)/float64(mh)
	for start := range prob {
		if seen[start] || prob[start] <= p.DetThresh {
			continue
		}
		clear(rows)
		stack = append(stack[:0], start)
		seen[start] = true
		var sum float64
		n := 0
		for len(stack) > 0 {
			i := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x, y := i%mw, i/mw
			sum += float64(prob[i])
			n++
			if s, ok := rows[y]; ok {
				rows[y] = span{min(s.x0, x), max(s.x1, x)}
			} else {
				rows[y] = span{x, x}
			}
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					nx, ny := x+dx, y+dy
					if nx < 0 || ny < 0 || nx >= mw || ny >= mh {
						continue
					}
					j := ny*mw + nx
					if !seen[j] && prob[j] > p.DetThresh {
						seen[j] = true
						stack = append(stack, j)
					}
				}
			}
		}
		if float32(sum/float64(n)) < p.BoxThresh {
			continue
		}
		ps := make([]pt, 0, 4*len(rows))
		for y, s := range rows {
			// Pixel corners, so that a one-pixel-wide run has a width.
			ps = append(ps, pt{float64(s.x0), float64(y)}, pt{float64(s.x0), float64(y + 1)},
				pt{float64(s.x1 + 1), float64(y)}, pt{float64(s.x1 + 1), float64(y + 1)})
		}
		r := minAreaRect(convexHull(ps))
		if min(r.w, r.h) < p.MinBoxSide {
			continue
		}
		r = r.unclip(p.Unclip)
		if min(r.w, r.h) < p.MinBoxSide+2 {
			continue
		}
		q := r.corners()
		for k := range q {
			q[k] = pt{clampF(q[k].x*sx, 0, float64(w)), clampF(q[k].y*sy, 0, float64(h))}
		}
		if dist(q[0], q[1]) < 1 || dist(q[0], q[3]) < 1 {
			continue
		}
		out = append(out, region{q: q, score: float32(sum / float64(n))})
	}
	if len(out) > p.MaxBoxes {
		sort.SliceStable(out, func(i, j int) bool { return out[i].score > out[j].score })
		out = out[:p.MaxBoxes]
	}
	return readingOrder(out)
}

func clampF(v, lo, hi float64) float64 { return min(max(v, lo), hi) }

// readingOrder sorts boxes into rows, top to bottom, and each row left to
// right. Two boxes share a row when their vertical extents overlap by
// half the shorter one's height: a chat name beside its time, the cells
// of one table row.
func readingOrder(rs []region) []region {
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].q.bounds().Min.Y < rs[j].q.bounds().Min.Y })
	var rows [][]region
	var rowBox []image.Rectangle
	for _, r := range rs {
		b := r.q.bounds()
		placed := false
		if n := len(rows); n > 0 {
			rb := rowBox[n-1]
			ov := min(rb.Max.Y, b.Max.Y) - max(rb.Min.Y, b.Min.Y)
			if 2*ov >= min(rb.Dy(), b.Dy()) {
				rows[n-1] = append(rows[n-1], r)
				rowBox[n-1] = rb.Union(b)
				placed = true
			}
		}
		if !placed {
			rows = append(rows, []region{r})
			rowBox = append(rowBox, b)
		}
	}
	out := rs[:0:0]
	for _, row := range rows {
		sort.SliceStable(row, func(i, j int) bool { return row[i].q[0].x < row[j].q[0].x })
		out = append(out, row...)
	}
	return out
}
