package ocr

import (
	"bufio"
	"errors"
	"fmt"
	"image"
	"image/color"
	_ "image/gif" // decoders registered for image.Decode
	_ "image/jpeg"
	"image/png"
	"os"
	"path/filepath"

	_ "golang.org/x/image/bmp"
	"golang.org/x/image/draw"
	_ "golang.org/x/image/tiff"
	_ "golang.org/x/image/webp"
)

// ErrTooLarge is returned for an image whose header declares more pixels
// than Options.MaxPixels: a decompression bomb is refused before decoding.
var ErrTooLarge = errors.New("image too large")

// Prep says how an image is prepared for tesseract.
type Prep struct {
	// MinHeight: images shorter than this are upscaled (at most 3x) so that
	// small screen text reaches the x-height tesseract's models expect.
	// 0 disables upscaling.
	MinHeight int
	// Invert dark images (mean below 50%) so text is dark on light.
	Invert bool
	// Denoise applies a 3x3 median filter to JPEG input: camera noise and
	// compression artefacts break tesseract's binarisation of photographed
	// paper, while lossless screenshots are left sharp.
	Denoise bool
}

// Config reads an image's dimensions and format from its header only.
func Config(path string) (image.Config, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return image.Config{}, "", err
	}
	defer f.Close()
	return image.DecodeConfig(bufio.NewReader(f))
}

// CheckSize refuses, with ErrTooLarge, an image whose header (cfg) says
// that decoding it would allocate more than maxPixels pixels, or more
// bytes than maxPixels 8-bit RGBA pixels take. The byte rule is what
// matters for memory: a 7000 x 7000 PNG of 16-bit RGBA is 49 megapixels
// but 392 MB decoded, from a file of a few hundred kilobytes.
func CheckSize(cfg image.Config, maxPixels int64) error {
	px := int64(cfg.Width) * int64(cfg.Height)
	switch {
	case cfg.Width <= 0 || cfg.Height <= 0:
		return fmt.Errorf("%dx%d: %w", cfg.Width, cfg.Height, ErrTooLarge)
	case px > maxPixels:
		return fmt.Errorf("%dx%d (%d pixels, limit %d): %w", cfg.Width, cfg.Height, px, maxPixels, ErrTooLarge)
	case px*bytesPerPixel(cfg.ColorModel) > 4*maxPixels:
		return fmt.Errorf("%dx%d at %d bytes a pixel (limit %d MB decoded): %w", cfg.Width, cfg.Height,
			bytesPerPixel(cfg.ColorModel), 4*maxPixels/1e6, ErrTooLarge)
	}
	return nil
}

// bytesPerPixel is what image.Decode allocates per pixel for a colour
// model: 16-bit models take twice their 8-bit counterparts.
func bytesPerPixel(m color.Model) int64 {
	switch m {
	case color.GrayModel, color.AlphaModel:
		return 1
	case color.Gray16Model, color.Alpha16Model:
		return 2
	case color.RGBA64Model, color.NRGBA64Model:
		return 8
	case color.YCbCrModel:
		return 3 // 4:4:4 at worst
	}
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	return 4 // RGBA, NRGBA, CMYK and anything unknown
}

// Preprocess decodes the image at path, converts it to 8-bit grayscale
// (colour bubbles otherwise lose their text in tesseract's binarisation),
// and optionally upscales and inverts it. maxPixels bounds the size
// declared in the header, checked before decoding.
func Preprocess(path string, p Prep, maxPixels int64) (*image.Gray, error) {
	cfg, _, err := Config(path)
	if err != nil {
		return nil, fmt.Errorf("decode config: %w", err)
	}
	if err := CheckSize(cfg, maxPixels); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	src, format, err := image.Decode(bufio.NewReader(f))
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	g := Gray(src)
	if p.Denoise && format == "jpeg" {
		g = median3(g)
	}
	if p.Invert && meanLuma(g) < 128 {
		for i := range g.Pix {
			g.Pix[i] = 255 - g.Pix[i]
		}
	}
	if p.MinHeight > 0 && g.Bounds().Dy() < p.MinHeight {
		scale := min(3, float64(p.MinHeight)/float64(g.Bounds().Dy()))
		w := int(float64(g.Bounds().Dx()) * scale)
		h := int(float64(g.Bounds().Dy()) * scale)
		if int64(w)*int64(h) <= maxPixels {
			up := image.NewGray(image.Rect(0, 0, w, h))
			draw.CatmullRom.Scale(up, up.Bounds(), g, g.Bounds(), draw.Src, nil)
			g = up
		}
	}
	return g, nil
}

// WritePNG writes g as a PNG into a new file in dir and returns its path.
func WritePNG(g *image.Gray, dir string) (string, error) {
	out, err := os.CreateTemp(dir, "ocr-*.png")
	if err != nil {
		return "", err
	}
	bw := bufio.NewWriter(out)
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	err = enc.Encode(bw, g)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out.Name())
		return "", fmt.Errorf("write %s: %w", filepath.Base(out.Name()), err)
	}
	return out.Name(), nil
}

// Gray converts img to 8-bit luminance (ITU-R 601 weights, as
// image/color.GrayModel), composing transparency over white so that
// transparent screenshots do not turn black.
func Gray(img image.Image) *image.Gray {
	b := img.Bounds()
	g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	if src, ok := img.(*image.Gray); ok {
		for y := 0; y < b.Dy(); y++ {
			copy(g.Pix[y*g.Stride:y*g.Stride+b.Dx()], src.Pix[(y)*src.Stride:(y)*src.Stride+b.Dx()])
		}
		return g
	}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := g.Pix[(y-b.Min.Y)*g.Stride:]
		for x := b.Min.X; x < b.Max.X; x++ {
			r, gg, bb, a := img.At(x, y).RGBA()
			// Composite over white: c + (1-a)*white, 16-bit.
			r += 0xffff - a
			gg += 0xffff - a
			bb += 0xffff - a
			l := (19595*r + 38470*gg + 7471*bb + 1<<15) >> 24
			row[x-b.Min.X] = uint8(min(l, 255))
		}
	}
	return g
}

func meanLuma(g *image.Gray) float64 {
	var sum uint64
	b := g.Bounds()
	for y := 0; y < b.Dy(); y++ {
		for _, v := range g.Pix[y*g.Stride : y*g.Stride+b.Dx()] {
			sum += uint64(v)
		}
	}
	n := b.Dx() * b.Dy()
	if n == 0 {
		return 255
	}
	return float64(sum) / float64(n)
}

// median3 is a 3x3 median filter; edge pixels are copied.
func median3(g *image.Gray) *image.Gray {
	b := g.Bounds()
	w, h := b.Dx(), b.Dy()
	out := image.NewGray(image.Rect(0, 0, w, h))
	copy(out.Pix, g.Pix)
	var win [9]uint8
	for y := 1; y < h-1; y++ {
		for x := 1; x < w-1; x++ {
			k := 0
			for dy := -1; dy <= 1; dy++ {
				row := g.Pix[(y+dy)*g.Stride:]
				win[k], win[k+1], win[k+2] = row[x-1], row[x], row[x+1]
				k += 3
			}
			// Insertion sort of nine values is cheaper than a general sort.
			for i := 1; i < 9; i++ {
				for j := i; j > 0 && win[j] < win[j-1]; j-- {
					win[j], win[j-1] = win[j-1], win[j]
				}
			}
			out.Pix[y*out.Stride+x] = win[4]
		}
	}
	return out
}
