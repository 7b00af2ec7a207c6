package chat

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"image"
	"math/bits"
	"sort"
	"strings"
)

// Pixel layout of a chat window. Chat clients draw every message as a
// filled rounded rectangle (a bubble) in a colour that differs from the
// window background, with a square avatar beside it: others on the left,
// the device owner on the right. Finding those fills in the pixels gives
// the number of messages and their sides exactly, where word boxes of a
// whole-page OCR merge or split them, lose grey sender names and read
// avatar letters as text.

// fill is one connected area of near-uniform colour that differs from the
// background.
type fill struct {
	r     image.Rectangle
	col   [3]int // mean colour, 8-bit
	cells int
}

// cellSize is the side of the square cells the image is scanned in, in
// pixels: about 270 cells across, enough to keep the padding of a bubble
// connected around its text.
func cellSize(w int) int { return max(2, w/270) }

// findFills segments img into connected areas of near-uniform colour that
// differ from the background (the most common uniform colour) and returns
// them with the background colour. Areas as wide as the window (title
// bars, input panels) are returned too; the caller decides.
func findFills(img image.Image) ([]fill, [3]int) {
	b := img.Bounds()
	c := cellSize(b.Dx())
	cw, ch := b.Dx()/c, b.Dy()/c
	if cw < 4 || ch < 4 {
		return nil, [3]int{}
	}
	type cell struct {
		col     [3]int
		uniform bool
	}
	cells := make([]cell, cw*ch)
	hist := map[[3]int]int{}
	for cy := 0; cy < ch; cy++ {
		for cx := 0; cx < cw; cx++ {
			var lo, hi, sum [3]int
			lo = [3]int{255, 255, 255}
			for y := 0; y < c; y++ {
				for x := 0; x < c; x++ {
					r, g, bl, _ := img.At(b.Min.X+cx*c+x, b.Min.Y+cy*c+y).RGBA()
					v := [3]int{int(r >> 8), int(g >> 8), int(bl >> 8)}
					for k := 0; k < 3; k++ {
						lo[k], hi[k] = min(lo[k], v[k]), max(hi[k], v[k])
						sum[k] += v[k]
					}
				}
			}
			n := c * c
			cl := cell{col: [3]int{sum[0] / n, sum[1] / n, sum[2] / n}}
			cl.uniform = hi[0]-lo[0] <= 10 && hi[1]-lo[1] <= 10 && hi[2]-lo[2] <= 10
			cells[cy*cw+cx] = cl
			if cl.uniform {
				hist[quant(cl.col)]++
			}
		}
	}
	var bgq [3]int
	best := -1
	for k, n := range hist {
		if n > best || (n == best && less3(k, bgq)) {
			bgq, best = k, n
		}
	}
	// The background is the mean colour of the cells in the top bin.
	var bg [3]int
	nb := 0
	for _, cl := range cells {
		if cl.uniform && quant(cl.col) == bgq {
			for k := 0; k < 3; k++ {
				bg[k] += cl.col[k]
			}
			nb++
		}
	}
	if nb == 0 {
		return nil, bg
	}
	for k := range bg {
		bg[k] /= nb
	}
	// Union-find over uniform, non-background cells with similar colours.
	parent := make([]int32, len(cells))
	for i := range parent {
		parent[i] = -1
	}
	find := func(i int32) int32 {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	fg := func(i int) bool { return cells[i].uniform && dist3(cells[i].col, bg) > 12 }
	for i := range cells {
		if fg(i) {
			parent[i] = int32(i)
		}
	}
	union := func(a, b int) {
		if parent[a] < 0 || parent[b] < 0 || dist3(cells[a].col, cells[b].col) > 12 {
			return
		}
		ra, rb := find(int32(a)), find(int32(b))
		if ra != rb {
			parent[rb] = ra
		}
	}
	for cy := 0; cy < ch; cy++ {
		for cx := 0; cx < cw; cx++ {
			i := cy*cw + cx
			if parent[i] < 0 {
				continue
			}
			if cx+1 < cw {
				union(i, i+1)
			}
			if cy+1 < ch {
				union(i, i+cw)
			}
		}
	}
	type acc struct {
		x0, y0, x1, y1 int
		sum            [3]int
		n              int
	}
	comps := map[int32]*acc{}
	var roots []int32
	for cy := 0; cy < ch; cy++ {
		for cx := 0; cx < cw; cx++ {
			i := cy*cw + cx
			if parent[i] < 0 {
				continue
			}
			r := find(int32(i))
			a := comps[r]
			if a == nil {
				a = &acc{x0: cx, y0: cy, x1: cx, y1: cy}
				comps[r] = a
				roots = append(roots, r)
			}
			a.x0, a.y0, a.x1, a.y1 = min(a.x0, cx), min(a.y0, cy), max(a.x1, cx), max(a.y1, cy)
			for k := 0; k < 3; k++ {
				a.sum[k] += cells[i].col[k]
			}
			a.n++
		}
	}
	var out []fill
	for _, r := range roots {
		a := comps[r]
		if a.n < 6 || a.x1-a.x0 < 2 || a.y1-a.y0 < 2 {
			continue
		}
		out = append(out, fill{
			r:     image.Rect(b.Min.X+a.x0*c, b.Min.Y+a.y0*c, b.Min.X+(a.x1+1)*c, b.Min.Y+(a.y1+1)*c),
			col:   [3]int{a.sum[0] / a.n, a.sum[1] / a.n, a.sum[2] / a.n},
			cells: a.n,
		})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].r.Min.Y != out[j].r.Min.Y {
			return out[i].r.Min.Y < out[j].r.Min.Y
		}
		return out[i].r.Min.X < out[j].r.Min.X
	})
	return out, bg
}

func quant(c [3]int) [3]int { return [3]int{c[0] / 6, c[1] / 6, c[2] / 6} }

func less3(a, b [3]int) bool {
	for k := 0; k < 3; k++ {
		if a[k] != b[k] {
			return a[k] < b[k]
		}
	}
	return false
}

func dist3(a, b [3]int) int {
	return abs(a[0]-b[0]) + abs(a[1]-b[1]) + abs(a[2]-b[2])
}

// layout is what the pixels say about a chat window.
type layout struct {
	bubbles []pxBubble
	avatars []fill
	content image.Rectangle // the message area, between the title bar and the input panel
}

// pxBubble is one message bubble found in the pixels.
type pxBubble struct {
	r      image.Rectangle
	right  bool
	avatar int // index into layout.avatars, -1 when none sits beside it
}

// findLayout classifies the fills of img into avatars (squares at the
// window's left or right edge) and bubbles (fills that start near the
// left edge or end near the right one, below the title bar and above the
// input panel). Centred fills (time banners, system notices) are neither.
func findLayout(img image.Image) layout {
	fills, _ := findFills(img)
	b := img.Bounds()
	W := b.Dx()
	var l layout
	l.content = b
	// Window-wide fills are bars and panels: the lowest one that starts in
	// the bottom third is the input panel; nothing inside or below it is a
	// message.
	var wide []image.Rectangle
	for _, f := range fills {
		if f.r.Dx() >= W*9/10 {
			wide = append(wide, f.r)
			if f.r.Min.Y > b.Min.Y+b.Dy()*2/3 && f.r.Min.Y < l.content.Max.Y {
				l.content.Max.Y = f.r.Min.Y
			}
			if f.r.Max.Y < b.Min.Y+b.Dy()/4 && f.r.Max.Y > l.content.Min.Y {
				l.content.Min.Y = f.r.Max.Y
			}
		}
	}
	inside := func(r image.Rectangle) bool {
		for _, w := range wide {
			if r.In(w) {
				return true
			}
		}
		return !r.Overlaps(l.content)
	}
	for _, f := range fills {
		r := f.r
		if r.Dx() >= W*9/10 || inside(r) {
			continue
		}
		w, h := r.Dx(), r.Dy()
		square := w*4 >= h*3 && h*4 >= w*3
		atEdge := r.Min.X-b.Min.X < W/9 || b.Max.X-r.Max.X < W/9
		narrow := w >= W*3/100 && w <= W*15/100
		if square && atEdge && narrow && (r.Min.X-b.Min.X < W/16 || b.Max.X-r.Max.X < W/16) {
			l.avatars = append(l.avatars, f)
		}
	}
	isAvatar := func(r image.Rectangle) bool {
		for _, a := range l.avatars {
			if a.r == r {
				return true
			}
		}
		return false
	}
	for _, f := range fills {
		r := f.r
		if r.Dx() >= W*9/10 || inside(r) || isAvatar(r) || r.Dx() < W*4/100 {
			continue
		}
		var bb pxBubble
		switch {
		case r.Min.X-b.Min.X < W/4:
			bb.right = false
		case b.Max.X-r.Max.X < W/4:
			bb.right = true
		default:
			continue
		}
		bb.r, bb.avatar = r, -1
		// The avatar beside the bubble: on its side, overlapping its top.
		bestD := 1 << 30
		for ai, a := range l.avatars {
			if bb.right != (a.r.Min.X-b.Min.X > W/2) {
				continue
			}
			if a.r.Min.Y > r.Min.Y+r.Dy()/2 || a.r.Max.Y < r.Min.Y-a.r.Dy() {
				continue
			}
			if d := abs(a.r.Min.Y - r.Min.Y); d < bestD {
				bestD, bb.avatar = d, ai
			}
		}
		l.bubbles = append(l.bubbles, bb)
	}
	return l
}

// titleBand finds the title of the window in the pixels above top: the
// tallest band of dark rows (the status bar's clock is smaller), and in it
// the widest run of dark columns (the back arrow and the menu dots are
// separate runs). ok is false when there is no dark text above top.
func titleBand(img image.Image, top int) (image.Rectangle, bool) {
	b := img.Bounds()
	top = min(top, b.Max.Y)
	dark := func(x, y int) bool {
		r, g, bl, _ := img.At(x, y).RGBA()
		return (19595*r+38470*g+7471*bl)>>24 < 110
	}
	type band struct{ y0, y1 int }
	var bands []band
	in := false
	gap := 0
	for y := b.Min.Y; y < top; y++ {
		n := 0
		for x := b.Min.X; x < b.Max.X && n < 2; x++ {
			if dark(x, y) {
				n++
			}
		}
		switch {
		case n >= 2 && !in:
			bands = append(bands, band{y, y + 1})
			in, gap = true, 0
		case n >= 2:
			bands[len(bands)-1].y1 = y + 1
			gap = 0
		case in:
			gap++
			if gap > 2 {
				in = false
			}
		}
	}
	best := -1
	for i, bd := range bands {
		if bd.y1-bd.y0 < 6 {
			continue
		}
		if best < 0 || bd.y1-bd.y0 > bands[best].y1-bands[best].y0 {
			best = i
		}
	}
	if best < 0 {
		return image.Rectangle{}, false
	}
	bd := bands[best]
	h := bd.y1 - bd.y0
	type run struct{ x0, x1 int }
	var runs []run
	last := -1 << 30
	for x := b.Min.X; x < b.Max.X; x++ {
		hit := false
		for y := bd.y0; y < bd.y1; y++ {
			if dark(x, y) {
				hit = true
				break
			}
		}
		if !hit {
			continue
		}
		if x-last > h && len(runs) >= 0 {
			runs = append(runs, run{x, x + 1})
		} else {
			runs[len(runs)-1].x1 = x + 1
		}
		last = x
	}
	wi := -1
	for i, r := range runs {
		if wi < 0 || r.x1-r.x0 > runs[wi].x1-runs[wi].x0 {
			wi = i
		}
	}
	if wi < 0 {
		return image.Rectangle{}, false
	}
	pad := max(2, h/4)
	return image.Rect(runs[wi].x0-pad, bd.y0-pad, runs[wi].x1+pad, bd.y1+pad).Intersect(b), true
}

// avatarSig samples the inner part of an avatar as a 12x12 grey image, so
// that two avatars of the same colour with different letters or photos
// tell apart.
func avatarSig(img image.Image, r image.Rectangle) []uint8 {
	r = r.Inset(r.Dx() / 8)
	const n = 12
	out := make([]uint8, 0, n*n)
	if r.Dx() < n || r.Dy() < n {
		return out
	}
	for j := 0; j < n; j++ {
		for i := 0; i < n; i++ {
			x := r.Min.X + (2*i+1)*r.Dx()/(2*n)
			y := r.Min.Y + (2*j+1)*r.Dy()/(2*n)
			cr, cg, cb, _ := img.At(x, y).RGBA()
			out = append(out, uint8((19595*cr+38470*cg+7471*cb)>>24))
		}
	}
	return out
}

// sigDiff is the mean absolute difference of two signatures, 255 when
// they cannot be compared.
func sigDiff(a, b []uint8) int {
	if len(a) == 0 || len(a) != len(b) {
		return 255
	}
	s := 0
	for i := range a {
		s += abs(int(a[i]) - int(b[i]))
	}
	return s / len(a)
}

// inkMask is the picture of an avatar reduced to which of 16x16 sample
// points differ clearly from its fill colour: the letter or the outline
// of a photo. Two renderings of the same default avatar give the same
// mask, two letters on the same colour (子 and 哥) do not, where the grey
// signature (avatarSig) of a mostly uniform square hardly differs.
type inkMask [4]uint64

const maskSide = 16

func avatarMask(img image.Image, a fill) inkMask {
	var m inkMask
	r := tightBox(img, a)
	r = r.Inset(r.Dx() / 8)
	if r.Dx() < maskSide || r.Dy() < maskSide {
		return m
	}
	for j := 0; j < maskSide; j++ {
		for i := 0; i < maskSide; i++ {
			x := r.Min.X + (2*i+1)*r.Dx()/(2*maskSide)
			y := r.Min.Y + (2*j+1)*r.Dy()/(2*maskSide)
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if dist3([3]int{int(cr >> 8), int(cg >> 8), int(cb >> 8)}, a.col) > 90 {
				k := j*maskSide + i
				m[k/64] |= 1 << (k % 64)
			}
		}
	}
	return m
}

// tightBox is the pixel bounding box of a fill's colour around its
// cell-aligned rectangle, so that masks of one avatar found at different
// cell offsets sample the same points.
func tightBox(img image.Image, a fill) image.Rectangle {
	c := cellSize(img.Bounds().Dx())
	r := a.r.Inset(-c).Intersect(img.Bounds())
	x0, y0, x1, y1 := r.Max.X, r.Max.Y, r.Min.X, r.Min.Y
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			if dist3([3]int{int(cr >> 8), int(cg >> 8), int(cb >> 8)}, a.col) <= 30 {
				x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x+1), max(y1, y+1)
			}
		}
	}
	if x1 <= x0 || y1 <= y0 {
		return a.r
	}
	return image.Rect(x0, y0, x1, y1)
}

// maskDiff is the share of sample points in which two masks differ,
// among those inked in either; 0 when both are blank.
func maskDiff(a, b inkMask) float64 {
	diff, union := 0, 0
	for i := range a {
		diff += bits.OnesCount64(a[i] ^ b[i])
		union += bits.OnesCount64(a[i] | b[i])
	}
	if union == 0 {
		return 0
	}
	return float64(diff) / float64(union)
}

// avatarKey names an avatar for Message.Avatar: the letter read on it
// (may be empty), its colour and its ink mask, "子#e8684a~<64 hex>".
// SameAvatar compares two keys.
func avatarKey(a fill, mark string, m inkMask) string {
	var b [32]byte
	for i, w := range m {
		binary.BigEndian.PutUint64(b[i*8:], w)
	}
	return fmt.Sprintf("%s#%02x%02x%02x~%x", mark, a.col[0], a.col[1], a.col[2], b)
}

// parsedAvatar is an avatar key taken apart.
type parsedAvatar struct {
	mark string
	col  [3]int
	mask inkMask
}

func parseAvatar(k string) (parsedAvatar, bool) {
	var p parsedAvatar
	i := strings.LastIndexByte(k, '#')
	if i < 0 || len(k) != i+1+6+1+64 || k[i+7] != '~' {
		return p, false
	}
	p.mark = k[:i]
	col, err := hex.DecodeString(k[i+1 : i+7])
	if err != nil {
		return p, false
	}
	p.col = [3]int{int(col[0]), int(col[1]), int(col[2])}
	raw, err := hex.DecodeString(k[i+8:])
	if err != nil {
		return p, false
	}
	for j := range p.mask {
		p.mask[j] = binary.BigEndian.Uint64(raw[j*8:])
	}
	return p, true
}

// SameAvatar reports whether two Message.Avatar keys describe one
// account's avatar: the same colour, the same letter when both were read,
// and nearly the same picture when either was not. A blank picture
// without a letter (a plain square) identifies no one.
func SameAvatar(a, b string) bool {
	pa, ok1 := parseAvatar(a)
	pb, ok2 := parseAvatar(b)
	if !ok1 || !ok2 || dist3(pa.col, pb.col) > 30 {
		return false
	}
	if pa.mark != "" && pb.mark != "" {
		return pa.mark == pb.mark
	}
	if pa.mask == (inkMask{}) || pb.mask == (inkMask{}) {
		return false
	}
	return maskDiff(pa.mask, pb.mask) <= maxMaskDiff
}
