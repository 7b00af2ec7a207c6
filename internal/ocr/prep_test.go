package ocr

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"testing"
)

func writeBytes(t testing.TB, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "f.bin")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// pngHeader returns a PNG signature and IHDR declaring w x h, with no
// pixel data: what a decompression bomb looks like to DecodeConfig.
func pngHeader(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 0 // 8-bit gray
	binary.Write(&b, binary.BigEndian, uint32(len(ihdr)))
	chunk := append([]byte("IHDR"), ihdr...)
	b.Write(chunk)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}

func TestPreprocessRefusesBomb(t *testing.T) {
	p := writeBytes(t, pngHeader(100_000, 100_000))
	_, err := Preprocess(p, Prep{}, DefaultMaxPixels)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("got %v, want ErrTooLarge", err)
	}
}

func TestGray(t *testing.T) {
	tests := []struct {
		name string
		c    color.Color
		want uint8
	}{
		{"white", color.White, 255},
		{"black", color.Black, 0},
		{"transparent is white", color.RGBA{0, 0, 0, 0}, 255},
		{"green bubble is light", bubbleColour, 195},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img := image.NewRGBA(image.Rect(0, 0, 2, 2))
			for i := range 4 {
				img.Set(i%2, i/2, tt.c)
			}
			g := Gray(img)
			if got := g.GrayAt(1, 1).Y; got != tt.want {
				t.Errorf("gray %d, want %d", got, tt.want)
			}
		})
	}
}

func TestPreprocessUpscaleInvert(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 10, 20))
	p := writeImage(t, img) // all black: dark, so inverted
	g, err := Preprocess(p, Prep{MinHeight: 40, Invert: true}, DefaultMaxPixels)
	if err != nil {
		t.Fatal(err)
	}
	if got := g.Bounds().Size(); got != (image.Point{20, 40}) {
		t.Errorf("size %v, want 20x40", got)
	}
	if got := g.GrayAt(5, 5).Y; got != 255 {
		t.Errorf("not inverted: %d", got)
	}
}

func TestMedian3(t *testing.T) {
	g := image.NewGray(image.Rect(0, 0, 5, 5))
	for i := range g.Pix {
		g.Pix[i] = 200
	}
	g.SetGray(2, 2, color.Gray{0}) // salt-and-pepper speck
	if got := median3(g).GrayAt(2, 2).Y; got != 200 {
		t.Errorf("speck kept: %d", got)
	}
}

// pngHeaderAs is pngHeader with a bit depth and colour type (0 gray, 2
// RGB, 6 RGBA).
func pngHeaderAs(w, h uint32, depth, ctype byte) []byte {
	b := pngHeader(w, h)
	b[8+8+8], b[8+8+9] = depth, ctype
	chunk := b[8+4 : 8+4+4+13]
	binary.BigEndian.PutUint32(b[8+4+4+13:], crc32.ChecksumIEEE(chunk))
	return b
}

// TestCheckSize checks the pixel and decoded-bytes rules on headers
// alone: a 16-bit RGBA image under the pixel limit is still refused when
// it would decode to more bytes than the limit's worth of 8-bit RGBA.
func TestCheckSize(t *testing.T) {
	tests := []struct {
		name         string
		w, h         uint32
		depth, ctype byte
		tooLarge     bool
	}{
		{name: "8-bit gray under the limit", w: 6000, h: 6000, depth: 8, ctype: 0},
		{name: "8-bit RGBA under the limit", w: 6000, h: 6000, depth: 8, ctype: 6},
		{name: "16-bit RGBA under the pixel limit, over in bytes", w: 6000, h: 6000, depth: 16, ctype: 6, tooLarge: true},
		{name: "16-bit RGBA of 49 megapixels", w: 7000, h: 7000, depth: 16, ctype: 6, tooLarge: true},
		{name: "8-bit gray over the pixel limit", w: 7000, h: 7000, depth: 8, ctype: 0, tooLarge: true},
		{name: "small 16-bit RGBA", w: 2000, h: 2000, depth: 16, ctype: 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeBytes(t, pngHeaderAs(tt.w, tt.h, tt.depth, tt.ctype))
			cfg, _, err := Config(p)
			if err != nil {
				t.Fatal(err)
			}
			err = CheckSize(cfg, DefaultMaxPixels)
			if got := errors.Is(err, ErrTooLarge); got != tt.tooLarge {
				t.Errorf("CheckSize(%dx%d depth %d type %d) = %v, want too large %v", tt.w, tt.h, tt.depth, tt.ctype, err, tt.tooLarge)
			}
		})
	}
}
