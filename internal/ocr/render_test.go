package ocr

import (
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/leakscope/leakscope/internal/testenv"
)

// bubbleColour is a chat-app green: text on it is what plain tesseract
// loses without grayscale conversion.
var bubbleColour = color.RGBA{0x95, 0xec, 0x69, 0xff}

// renderLatin draws lines with basicfont (7x13 px) and scales the result
// 3x so the glyphs reach a size tesseract reads, on a green background.
func renderLatin(t testing.TB, lines []string) string {
	t.Helper()
	w, h := 0, 13*len(lines)+16
	for _, l := range lines {
		w = max(w, 7*len(l)+16)
	}
	small := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(small, small.Bounds(), image.NewUniform(bubbleColour), image.Point{}, draw.Src)
	d := font.Drawer{Dst: small, Src: image.NewUniform(color.Black), Face: basicfont.Face7x13}
	for i, l := range lines {
		d.Dot = fixed.P(8, 8+13*(i+1)-2)
		d.DrawString(l)
	}
	big := image.NewRGBA(image.Rect(0, 0, 3*w, 3*h))
	draw.NearestNeighbor.Scale(big, big.Bounds(), small, small.Bounds(), draw.Src, nil)
	return writeImage(t, big)
}

// cjkFont loads Noto Sans CJK (Debian fonts-noto-cjk) or skips.
func cjkFont(t testing.TB) font.Face {
	t.Helper()
	b, err := os.ReadFile("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
	if err != nil {
		testenv.Missing(t, "fonts-noto-cjk not installed")
	}
	col, err := opentype.ParseCollection(b)
	if err != nil {
		t.Fatal(err)
	}
	// Index 2 of the collection is the SC face, 3 TC; both cover both scripts.
	f, err := col.Font(2)
	if err != nil {
		t.Fatal(err)
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: 28, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		t.Fatal(err)
	}
	return face
}

// renderCJK draws lines in face, black on white, 40 px per line.
func renderCJK(t testing.TB, face font.Face, lines []string) string {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 40+30*maxRunes(lines), 40*len(lines)+40))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	d := font.Drawer{Dst: img, Src: image.Black, Face: face}
	for i, l := range lines {
		d.Dot = fixed.P(20, 20+40*(i+1)-8)
		d.DrawString(l)
	}
	return writeImage(t, img)
}

func maxRunes(lines []string) int {
	n := 0
	for _, l := range lines {
		n = max(n, len([]rune(l)))
	}
	return n
}

func writeImage(t testing.TB, img image.Image) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "fixture.png")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return p
}
