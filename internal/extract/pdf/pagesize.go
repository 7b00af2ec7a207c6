package pdf

import (
	"bufio"
	"bytes"
	"math"
	"strconv"
	"strings"
)

// MinRenderDPI is the lowest resolution a page is rasterised at for OCR
// when it has to be scaled down to fit Limits.MaxPixels. Below it, text
// of any ordinary size is a few pixels high and OCR reads nothing, so the
// page is refused instead.
const MinRenderDPI = 36

// pageBox is the size of a page in points.
type pageBox struct{ w, h float64 }

// parseBoxes reads the per-page boxes of `pdfinfo -box -f F -l L`:
// "Page    3 MediaBox:     0.00     0.00   612.00   792.00". A page's
// size is the larger of its MediaBox and CropBox in each dimension:
// pdftoppm renders the MediaBox unless told otherwise, and a hostile
// file can make either one huge.
func parseBoxes(b []byte) map[int]pageBox {
	boxes := map[int]pageBox{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 4096), 64<<10)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 7 || f[0] != "Page" || (f[2] != "MediaBox:" && f[2] != "CropBox:") {
			continue
		}
		n, err := strconv.Atoi(f[1])
		if err != nil || n < 1 {
			continue
		}
		var c [4]float64
		ok := true
		for i := range c {
			v, err := strconv.ParseFloat(f[3+i], 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				ok = false
			}
			c[i] = v
		}
		if !ok {
			continue
		}
		pb := boxes[n]
		pb.w = max(pb.w, math.Abs(c[2]-c[0]))
		pb.h = max(pb.h, math.Abs(c[3]-c[1]))
		boxes[n] = pb
	}
	return boxes
}

// renderDPI returns the resolution to rasterise a page of box b at so
// that it has at most maxPixels pixels: dpi itself when it fits, a lower
// one when the page is large (downscaled), and ok false when even
// MinRenderDPI would exceed maxPixels or the box is unusable. A PDF page
// of 200 x 200 inches, which costs a few hundred bytes to declare, is 900
// megapixels at 150 DPI.
func renderDPI(b pageBox, dpi int, maxPixels int64) (r int, downscaled, ok bool) {
	if b.w <= 0 || b.h <= 0 {
		return 0, false, false
	}
	px := func(d float64) float64 { return (b.w / 72 * d) * (b.h / 72 * d) }
	if px(float64(dpi)) <= float64(maxPixels) {
		return dpi, false, true
	}
	d := math.Floor(float64(dpi) * math.Sqrt(float64(maxPixels)/px(float64(dpi))))
	if d < MinRenderDPI || px(d) > float64(maxPixels) {
		return 0, false, false
	}
	return int(d), true, true
}
