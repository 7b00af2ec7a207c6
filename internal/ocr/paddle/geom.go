package paddle

import (
	"image"
	"math"
	"sort"
)

// pt is a point in pixel coordinates.
type pt struct{ x, y float64 }

// quad is a text box: four corners clockwise from the top left.
type quad [4]pt

// convexHull returns the hull of ps counter-clockwise (Andrew's monotone
// chain); collinear points are dropped.
func convexHull(ps []pt) []pt {
	if len(ps) < 3 {
		return append([]pt(nil), ps...)
	}
	ps = append([]pt(nil), ps...)
	sort.Slice(ps, func(i, j int) bool {
		if ps[i].x != ps[j].x {
			return ps[i].x < ps[j].x
		}
		return ps[i].y < ps[j].y
	})
	cross := func(o, a, b pt) float64 { return (a.x-o.x)*(b.y-o.y) - (a.y-o.y)*(b.x-o.x) }
	h := make([]pt, 0, 2*len(ps))
	for _, p := range ps {
		for len(h) >= 2 && cross(h[len(h)-2], h[len(h)-1], p) <= 0 {
			h = h[:len(h)-1]
		}
		h = append(h, p)
	}
	lower := len(h) + 1
	for i := len(ps) - 2; i >= 0; i-- {
		p := ps[i]
		for len(h) >= lower && cross(h[len(h)-2], h[len(h)-1], p) <= 0 {
			h = h[:len(h)-1]
		}
		h = append(h, p)
	}
	return h[:len(h)-1]
}

// rotRect is a rectangle of any orientation: centre, side lengths along
// the unit axis u and its normal, as OpenCV's minAreaRect returns.
type rotRect struct {
	c    pt
	w, h float64
	u    pt // unit vector along w
}

// minAreaRect is the smallest rectangle enclosing the hull (rotating
// calipers: one side of the optimum lies on a hull edge).
func minAreaRect(hull []pt) rotRect {
	switch len(hull) {
	case 0:
		return rotRect{u: pt{1, 0}}
	case 1:
		return rotRect{c: hull[0], u: pt{1, 0}}
	}
	best := rotRect{w: math.Inf(1), h: math.Inf(1)}
	for i := range hull {
		a, b := hull[i], hull[(i+1)%len(hull)]
		dx, dy := b.x-a.x, b.y-a.y
		l := math.Hypot(dx, dy)
		if l == 0 {
			continue
		}
		u := pt{dx / l, dy / l}
		minU, maxU, minV, maxV := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
		for _, p := range hull {
			pu := p.x*u.x + p.y*u.y
			pv := -p.x*u.y + p.y*u.x
			minU, maxU = min(minU, pu), max(maxU, pu)
			minV, maxV = min(minV, pv), max(maxV, pv)
		}
		w, h := maxU-minU, maxV-minV
		if w*h < best.w*best.h {
			cu, cv := (minU+maxU)/2, (minV+maxV)/2
			best = rotRect{c: pt{cu*u.x - cv*u.y, cu*u.y + cv*u.x}, w: w, h: h, u: u}
		}
	}
	return best
}

// unclip grows r by the DB offset distance area*ratio/perimeter on every
// side: the detector's map covers a shrunk core of each text line, so the
// box is pushed back out to the glyphs' extent.
func (r rotRect) unclip(ratio float64) rotRect {
	per := 2 * (r.w + r.h)
	if per == 0 {
		return r
	}
	d := r.w * r.h * ratio / per
	r.w += 2 * d
	r.h += 2 * d
	return r
}

// corners returns r's corners clockwise from the top left (image y points
// down), the order the crop expects.
func (r rotRect) corners() quad {
	u, v := r.u, pt{-r.u.y, r.u.x}
	hw, hh := r.w/2, r.h/2
	ps := []pt{
		{r.c.x - u.x*hw - v.x*hh, r.c.y - u.y*hw - v.y*hh},
		{r.c.x + u.x*hw - v.x*hh, r.c.y + u.y*hw - v.y*hh},
		{r.c.x + u.x*hw + v.x*hh, r.c.y + u.y*hw + v.y*hh},
		{r.c.x - u.x*hw + v.x*hh, r.c.y - u.y*hw + v.y*hh},
	}
	return orderCorners(ps)
}

// orderCorners sorts four corners into top-left, top-right, bottom-right,
// bottom-left, as PaddleOCR's get_mini_boxes does: the two leftmost points
// by x, and of each pair the upper one first.
func orderCorners(ps []pt) quad {
	s := append([]pt(nil), ps...)
	sort.Slice(s, func(i, j int) bool { return s[i].x < s[j].x })
	tl, bl := s[0], s[1]
	if bl.y < tl.y {
		tl, bl = bl, tl
	}
	tr, br := s[2], s[3]
	if br.y < tr.y {
		tr, br = br, tr
	}
	return quad{tl, tr, br, bl}
}

func dist(a, b pt) float64 { return math.Hypot(a.x-b.x, a.y-b.y) }

// bounds is q's axis-aligned bounding rectangle, rounded outwards.
func (q quad) bounds() image.Rectangle {
	x0, y0, x1, y1 := q[0].x, q[0].y, q[0].x, q[0].y
	for _, p := range q[1:] {
		x0, y0, x1, y1 = min(x0, p.x), min(y0, p.y), max(x1, p.x), max(y1, p.y)
	}
	return image.Rect(int(math.Floor(x0)), int(math.Floor(y0)), int(math.Ceil(x1)), int(math.Ceil(y1)))
}

// crop cuts q out of src into an upright image (PaddleOCR's
// get_rotate_crop_image): the box's top edge becomes the crop's top, so a
// skewed line is deskewed. A crop at least 1.5 times taller than wide is
// a vertical line and is turned a quarter counter-clockwise. Sampling is
// bilinear; outside src reads as white.
func crop(src *image.RGBA, q quad) *image.RGBA {
	w := int(math.Round(max(dist(q[0], q[1]), dist(q[3], q[2]))))
	h := int(math.Round(max(dist(q[0], q[3]), dist(q[1], q[2]))))
	w, h = max(w, 1), max(h, 1)
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	ux, uy := (q[1].x-q[0].x)/float64(w), (q[1].y-q[0].y)/float64(w)
	vx, vy := (q[3].x-q[0].x)/float64(h), (q[3].y-q[0].y)/float64(h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			fx, fy := float64(x)+0.5, float64(y)+0.5
			sx := q[0].x + fx*ux + fy*vx - 0.5
			sy := q[0].y + fx*uy + fy*vy - 0.5
			r, g, b := bilinear(src, sx, sy)
			i := out.PixOffset(x, y)
			out.Pix[i], out.Pix[i+1], out.Pix[i+2], out.Pix[i+3] = r, g, b, 255
		}
	}
	if float64(h) >= 1.5*float64(w) {
		return rot90(out)
	}
	return out
}

// bilinear samples src at (x, y); pixels outside src are white.
func bilinear(src *image.RGBA, x, y float64) (r, g, b uint8) {
	x0, y0 := int(math.Floor(x)), int(math.Floor(y))
	fx, fy := x-float64(x0), y-float64(y0)
	var acc [3]float64
	for _, s := range [4]struct {
		dx, dy int
		w      float64
	}{{0, 0, (1 - fx) * (1 - fy)}, {1, 0, fx * (1 - fy)}, {0, 1, (1 - fx) * fy}, {1, 1, fx * fy}} {
		if s.w == 0 {
			continue
		}
		px, py := x0+s.dx, y0+s.dy
		if !(image.Point{px, py}).In(src.Rect) {
			for c := range acc {
				acc[c] += 255 * s.w
			}
			continue
		}
		i := src.PixOffset(px, py)
		for c := range acc {
			acc[c] += float64(src.Pix[i+c]) * s.w
		}
	}
	return uint8(min(255, acc[0]+0.5)), uint8(min(255, acc[1]+0.5)), uint8(min(255, acc[2]+0.5))
}

// rot90 turns m a quarter counter-clockwise (numpy's rot90).
func rot90(m *image.RGBA) *image.RGBA {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	out := image.NewRGBA(image.Rect(0, 0, h, w))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			copy(out.Pix[out.PixOffset(y, w-1-x):][:4], m.Pix[m.PixOffset(x, y):][:4])
		}
	}
	return out
}

// rot180 turns m half a turn, in place: what the angle classifier asks
// for an upside-down line.
func rot180(m *image.RGBA) {
	p := m.Pix
	for i, j := 0, len(p)-4; i < j; i, j = i+4, j-4 {
		for c := 0; c < 4; c++ {
			p[i+c], p[j+c] = p[j+c], p[i+c]
		}
	}
}
