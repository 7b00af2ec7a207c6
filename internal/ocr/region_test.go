package ocr

import (
	"image"
	"image/color"
	"image/draw"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"

	"github.com/leakscope/leakscope/internal/testenv"
	"github.com/leakscope/leakscope/internal/tool"
)

// strip draws text in fg on a bg field, the way a chat client draws a
// sender name or an avatar letter, with a lighter bubble edge below it.
func strip(text string, bg, fg, edge color.Color) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, 160, 30))
	draw.Draw(img, img.Bounds(), image.NewUniform(bg), image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(0, 26, 160, 30), image.NewUniform(edge), image.Point{}, draw.Src)
	d := font.Drawer{Dst: img, Src: image.NewUniform(fg), Face: basicfont.Face7x13, Dot: fixed.P(8, 18)}
	d.DrawString(text)
	return img
}

func TestPrepareRegion(t *testing.T) {
	grey := color.RGBA{237, 237, 237, 255}
	tests := []struct {
		name     string
		img      *image.RGBA
		wantInk  bool // some black pixels
		wantEdge bool // the bubble edge comes out black
	}{
		{"grey name on grey", strip("kwb", grey, color.RGBA{150, 150, 150, 255}, color.White), true, false},
		{"white letter on avatar", strip("K", color.RGBA{230, 100, 80, 255}, color.White, color.RGBA{230, 100, 80, 255}), true, false},
		{"black on green bubble", strip("ok", color.RGBA{149, 236, 105, 255}, color.Black, color.RGBA{149, 236, 105, 255}), true, false},
		{"empty", strip("", grey, grey, grey), false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := PrepareRegion(tt.img, tt.img.Bounds(), RegionOptions{Scale: 2})
			if err != nil {
				t.Fatal(err)
			}
			black, white := 0, 0
			for _, v := range g.Pix {
				switch v {
				case 0:
					black++
				case 255:
					white++
				}
			}
			if black+white != len(g.Pix) {
				t.Errorf("not binary: %d black %d white of %d", black, white, len(g.Pix))
			}
			if got := black > 0; got != tt.wantInk {
				t.Errorf("ink = %v, want %v", got, tt.wantInk)
			}
			if black*2 > len(g.Pix) {
				t.Errorf("background not white: %d of %d black", black, len(g.Pix))
			}
			// Trimmed to the ink plus the default 12 px margin: the bubble
			// edge at the bottom must not be part of it.
			if tt.wantInk && g.Bounds().Dy() > 2*13*2+2*12 {
				t.Errorf("height %d: edge or empty rows kept", g.Bounds().Dy())
			}
		})
	}
	if _, err := PrepareRegion(image.NewRGBA(image.Rect(0, 0, 10, 10)), image.Rect(20, 20, 30, 30), RegionOptions{}); err == nil {
		t.Error("rectangle outside the image: want an error")
	}
}

func TestRegionImage(t *testing.T) {
	if testing.Short() {
		t.Skip("runs tesseract; skipped with -short")
	}
	if err := tool.Available(Program); err != nil {
		testenv.Missing(t, "%v", err)
	}
	e := New(Options{})
	if err := e.Check(t.Context()); err != nil {
		testenv.Missing(t, "%v", err)
	}
	tests := []struct {
		name string
		img  *image.RGBA
		want string
	}{
		{"grey on grey", strip("HELLO", color.RGBA{237, 237, 237, 255}, color.RGBA{120, 120, 120, 255}, color.White), "HELLO"},
		{"white on colour", strip("WORLD", color.RGBA{40, 90, 200, 255}, color.White, color.RGBA{40, 90, 200, 255}), "WORLD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, conf, err := e.RegionImage(t.Context(), tt.img, tt.img.Bounds(), RegionOptions{Langs: "eng"})
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, strings.ToUpper(text)); d != "" {
				t.Errorf("text (-want +got):\n%s (conf %.2f)", d, conf)
			}
			if conf <= 0 || conf > 1 {
				t.Errorf("conf %v out of 0..1", conf)
			}
		})
	}
}
