package paddle

import (
	"image"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestDetSize(t *testing.T) {
	tests := []struct {
		name         string
		w, h, max    int
		wantW, wantH int
	}{
		{name: "small kept, rounded to 32", w: 100, h: 50, max: 960, wantW: 96, wantH: 64},
		{name: "tiny is at least 32", w: 10, h: 5, max: 960, wantW: 32, wantH: 32},
		{name: "long side bounded", w: 1920, h: 1080, max: 960, wantW: 960, wantH: 544},
		{name: "huge image bounded", w: 30000, h: 30000, max: 960, wantW: 960, wantH: 960},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, h := detSize(tt.w, tt.h, tt.max)
			if w != tt.wantW || h != tt.wantH {
				t.Errorf("detSize(%d, %d) = %d x %d, want %d x %d", tt.w, tt.h, w, h, tt.wantW, tt.wantH)
			}
		})
	}
}

// rotated returns the corners of a w x h rectangle centred at c, turned
// by deg degrees.
func rotated(c pt, w, h, deg float64) []pt {
	a := deg * math.Pi / 180
	u, v := pt{math.Cos(a), math.Sin(a)}, pt{-math.Sin(a), math.Cos(a)}
	var ps []pt
	for _, s := range [][2]float64{{-1, -1}, {1, -1}, {1, 1}, {-1, 1}} {
		ps = append(ps, pt{c.x + s[0]*w/2*u.x + s[1]*h/2*v.x, c.y + s[0]*w/2*u.y + s[1]*h/2*v.y})
	}
	return ps
}

func TestMinAreaRect(t *testing.T) {
	tests := []struct {
		name string
		ps   []pt
		w, h float64
	}{
		{name: "axis aligned", ps: rotated(pt{50, 20}, 80, 10, 0), w: 80, h: 10},
		{name: "skewed line", ps: rotated(pt{50, 50}, 80, 10, 7), w: 80, h: 10},
		{name: "with interior points", ps: append(rotated(pt{50, 50}, 40, 20, -20), pt{50, 50}, pt{45, 52}), w: 40, h: 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := minAreaRect(convexHull(tt.ps))
			w, h := max(r.w, r.h), min(r.w, r.h)
			if math.Abs(w-tt.w) > 1e-6 || math.Abs(h-tt.h) > 1e-6 {
				t.Errorf("rect %.3f x %.3f, want %.0f x %.0f", w, h, tt.w, tt.h)
			}
		})
	}
}

func TestUnclip(t *testing.T) {
	r := rotRect{c: pt{0, 0}, w: 100, h: 10, u: pt{1, 0}}.unclip(1.5)
	// d = 100*10*1.5 / 220
	d := 1500.0 / 220
	if math.Abs(r.w-(100+2*d)) > 1e-9 || math.Abs(r.h-(10+2*d)) > 1e-9 {
		t.Errorf("unclip: %v x %v", r.w, r.h)
	}
}

func TestOrderCorners(t *testing.T) {
	q := orderCorners([]pt{{10, 10}, {0, 0}, {0, 10}, {10, 0}})
	want := quad{{0, 0}, {10, 0}, {10, 10}, {0, 10}}
	if diff := cmp.Diff(want, q, cmp.AllowUnexported(pt{})); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestBoxes runs the DB post-processing on a hand-made probability map:
// two lines on one row, one below, and a faint blob under BoxThresh.
func TestBoxes(t *testing.T) {
	const mw, mh = 64, 32
	prob := make([]float32, mw*mh)
	fill := func(x0, y0, x1, y1 int, v float32) {
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				prob[y*mw+x] = v
			}
		}
	}
	fill(30, 4, 50, 8, 0.9)   // right cell of row 1
	fill(4, 4, 20, 8, 0.9)    // left cell of row 1
	fill(4, 16, 40, 22, 0.9)  // row 2
	fill(50, 20, 60, 28, 0.4) // above DetThresh, below BoxThresh: dropped
	got := boxes(prob, mw, mh, 2*mw, 2*mh, DefaultParams)
	var rects []image.Rectangle
	for _, r := range got {
		rects = append(rects, r.q.bounds())
	}
	// Each core is unclipped by area*1.5/perimeter map pixels per side,
	// then scaled by 2 into the image.
	want := []image.Rectangle{
		image.Rect(4, 4, 44, 20), image.Rect(56, 5, 104, 19), image.Rect(0, 24, 88, 52),
	}
	if len(rects) != len(want) {
		t.Fatalf("got %d boxes %v, want %d", len(rects), rects, len(want))
	}
	for i := range want {
		if d := rectDist(rects[i], want[i]); d > 2 {
			t.Errorf("box %d = %v, want about %v", i, rects[i], want[i])
		}
	}
}

func rectDist(a, b image.Rectangle) int {
	abs := func(v int) int { return max(v, -v) }
	return max(abs(a.Min.X-b.Min.X), abs(a.Min.Y-b.Min.Y), abs(a.Max.X-b.Max.X), abs(a.Max.Y-b.Max.Y))
}

// TestCropDeskews cuts a turned box out of an image whose pixels encode
// their coordinates and checks the crop is upright and sized to the box.
func TestCropDeskews(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 200, 200))
	for i := range src.Pix {
		src.Pix[i] = 255
	}
	ps := rotated(pt{100, 100}, 120, 30, 10)
	m := crop(src, orderCorners(ps))
	if w, h := m.Rect.Dx(), m.Rect.Dy(); w != 120 || h != 30 {
		t.Errorf("crop %d x %d, want 120 x 30", w, h)
	}
	tall := crop(src, orderCorners(rotated(pt{100, 100}, 20, 90, 0)))
	if w, h := tall.Rect.Dx(), tall.Rect.Dy(); w != 90 || h != 20 {
		t.Errorf("vertical line crop %d x %d, want 90 x 20 (turned)", w, h)
	}
}

func TestCTCGreedy(t *testing.T) {
	keys := []string{"", "a", "b", "中", " "}
	// one-hot rows over 5 classes, with the kept probability
	rows := func(cls []int, p float32) []float32 {
		out := make([]float32, 5*len(cls))
		for i, c := range cls {
			for k := range 5 {
				out[5*i+k] = (1 - p) / 4
			}
			out[5*i+c] = p
		}
		return out
	}
	tests := []struct {
		name  string
		cls   []int
		text  string
		steps []int
	}{
		{name: "repeats collapse", cls: []int{1, 1, 0, 2, 2}, text: "ab", steps: []int{0, 3}},
		{name: "blank separates a double letter", cls: []int{1, 0, 1}, text: "aa", steps: []int{0, 2}},
		{name: "space and han", cls: []int{3, 4, 2}, text: "中 b", steps: []int{0, 1, 2}},
		{name: "all blank", cls: []int{0, 0}, text: "", steps: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := ctcGreedy(rows(tt.cls, 0.8), len(tt.cls), 5, keys)
			if d.text != tt.text {
				t.Errorf("text %q, want %q", d.text, tt.text)
			}
			if diff := cmp.Diff(tt.steps, d.steps, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("steps (-want +got):\n%s", diff)
			}
			if tt.text != "" && math.Abs(d.conf-0.8) > 1e-6 {
				t.Errorf("conf %v, want 0.8", d.conf)
			}
		})
	}
}

func TestBatches(t *testing.T) {
	// crops of height 48 and the given widths (ratio = width/48)
	mk := func(ws ...int) []*image.RGBA {
		var out []*image.RGBA
		for _, w := range ws {
			out = append(out, image.NewRGBA(image.Rect(0, 0, w, 48)))
		}
		return out
	}
	tests := []struct {
		name   string
		ws     []int
		n      int
		budget int
		want   [][]int
	}{
		{name: "sorted by width, runs of n", ws: []int{300, 100, 200}, n: 2, budget: 1 << 20, want: [][]int{{1, 2}, {0}}},
		{name: "long lines split by the budget", ws: []int{2000, 2000, 2000, 100}, n: 6, budget: 4500, want: [][]int{{3, 0}, {1, 2}}},
		{name: "one line over the budget alone", ws: []int{5000}, n: 6, budget: 1000, want: [][]int{{0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := batches(mk(tt.ws...), tt.n, 3200, tt.budget)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}
