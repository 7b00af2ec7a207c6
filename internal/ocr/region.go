package ocr

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/image/draw"

	"github.com/leakscope/leakscope/internal/tool"
)

// RegionOptions say how Region reads one small area of an image: a sender
// name above a chat bubble, an avatar letter, a title bar. Such strips are
// small and often grey on grey, which a whole-page pass at native size
// loses; cropped, enlarged and binarised they read well. The zero value
// of each field means its default.
type RegionOptions struct {
	// Scale enlarges the crop before recognition. 0 means automatic: 1.5x
	// first and, when that reads with a confidence below 0.75, 2.5x too,
	// keeping the more confident reading (on leak-sample's name strips 1.5x
	// reads most names right, 3x misreads more, and neither alone reads
	// all). The enlarged crop is never taller than MaxHeight.
	Scale float64
	// MaxHeight bounds the enlarged height in pixels; 0 means 240.
	MaxHeight int
	// PSM is tesseract's page segmentation mode; 0 means 7 (one line).
	// 10 reads a single character (avatar letters), 6 a block.
	PSM int
	// Langs is tesseract's "-l" argument; "" means the engine's Langs.
	Langs string
	// NoThreshold keeps the enlarged grayscale instead of binarising it
	// against its background.
	NoThreshold bool
	// Pad is the white margin in pixels added around the enlarged crop
	// (tesseract misreads glyphs that touch the border); 0 means 12.
	Pad int
}

func (o RegionOptions) withDefaults(langs string) RegionOptions {
	if o.MaxHeight <= 0 {
		o.MaxHeight = 240
	}
	if o.PSM == 0 {
		o.PSM = 7
	}
	if o.Langs == "" {
		o.Langs = langs
	}
	if o.Pad <= 0 {
		o.Pad = 12
	}
	return o
}

// Region recognises the text inside r of the image file at path: the
// crop is converted to grayscale, enlarged (RegionOptions.Scale),
// binarised against its own background (binarise: grey names on grey,
// white letters on a coloured avatar and black text on a green bubble all
// come out black on white), padded, and read with
// tesseract in the given mode, by default one line (--psm 7) with the
// engine's languages. conf is the mean word confidence in 0..1; an empty
// region gives "" and 0 without error. r is clipped to the image; an
// empty intersection is an error.
//
// Region decodes the file on every call; a caller reading many regions of
// one image decodes it once and calls RegionImage.
func (e *Engine) Region(ctx context.Context, path string, r image.Rectangle, opts RegionOptions) (text string, conf float64, err error) {
	cfg, _, err := Config(path)
	if err != nil {
		return "", 0, fmt.Errorf("ocr region: %w", err)
	}
	if err := CheckSize(cfg, e.opts.MaxPixels); err != nil {
		return "", 0, fmt.Errorf("ocr region: %w", err)
	}
	f, err := os.Open(path)
	if err != nil {
		return "", 0, fmt.Errorf("ocr region: %w", err)
	}
	img, _, err := image.Decode(bufio.NewReader(f))
	f.Close()
	if err != nil {
		return "", 0, fmt.Errorf("ocr region: decode: %w", err)
	}
	return e.RegionImage(ctx, img, r, opts)
}

// RegionImage is Region on a decoded image. It is safe for concurrent use
// as long as img is not modified.
func (e *Engine) RegionImage(ctx context.Context, img image.Image, r image.Rectangle, opts RegionOptions) (text string, conf float64, err error) {
	opts = opts.withDefaults(e.opts.Langs)
	if opts.Scale > 0 {
		return e.region(ctx, img, r, opts)
	}
	opts.Scale = 1.5
	text, conf, err = e.region(ctx, img, r, opts)
	if err != nil || conf >= 0.75 {
		return text, conf, err
	}
	opts.Scale = 2.5
	t2, c2, err := e.region(ctx, img, r, opts)
	if err != nil || c2 <= conf {
		return text, conf, err
	}
	return t2, c2, nil
}

// region is one recognition of r at opts.Scale.
func (e *Engine) region(ctx context.Context, img image.Image, r image.Rectangle, opts RegionOptions) (text string, conf float64, err error) {
	g, err := PrepareRegion(img, r, opts)
	if err != nil {
		return "", 0, err
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, g); err != nil {
		return "", 0, fmt.Errorf("ocr region: %w", err)
	}
	timeout := e.opts.Timeout
	if dl, ok := ctx.Deadline(); ok {
		timeout = min(timeout, time.Until(dl))
		if timeout <= 0 {
			return "", 0, fmt.Errorf("ocr region: %w", context.DeadlineExceeded)
		}
	}
	if err := e.opts.Limiter.Acquire(ctx); err != nil {
		return "", 0, fmt.Errorf("ocr region: %w", err)
	}
	out, err := tool.Run(ctx, tool.Cmd{
		Name:      Program,
		Args:      []string{"stdin", "stdout", "--psm", strconv.Itoa(opts.PSM), "-l", opts.Langs, "tsv"},
		Env:       []string{"OMP_THREAD_LIMIT=1"},
		Stdin:     buf.Bytes(),
		Timeout:   timeout,
		MaxOut:    4 << 20,
		MaxMemory: e.opts.MaxMemory,
	})
	e.opts.Limiter.Release()
	e.toolTime.Add(int64(out.Elapsed))
	if err != nil {
		return "", 0, fmt.Errorf("ocr region %s psm %d: %w", opts.Langs, opts.PSM, err)
	}
	words, err := ParseTSV(out.Stdout)
	if err != nil {
		return "", 0, fmt.Errorf("ocr region: %w", err)
	}
	text = strings.TrimSpace(Text(words))
	if text == "" {
		return "", 0, nil
	}
	return text, MeanConfidence(words) / 100, nil
}

// PrepareRegion is Region's preprocessing, exported for tests and for
// looking at what tesseract is given: crop r (clipped to img), grayscale,
// enlarge, binarise unless opts.NoThreshold (else make it dark on
// light), trim to the dark pixels and pad with white: a name strip is
// mostly empty, and tesseract's line finder does better on the ink alone.
func PrepareRegion(img image.Image, r image.Rectangle, opts RegionOptions) (*image.Gray, error) {
	opts = opts.withDefaults(DefaultLangs)
	if opts.Scale <= 0 {
		opts.Scale = 1.5
	}
	r = r.Intersect(img.Bounds())
	if r.Empty() {
		return nil, fmt.Errorf("ocr region: empty rectangle")
	}
	crop := Gray(subImage(img, r))
	scale := opts.Scale
	if float64(r.Dy())*scale > float64(opts.MaxHeight) {
		scale = max(1, float64(opts.MaxHeight)/float64(r.Dy()))
	}
	w, h := int(float64(r.Dx())*scale+0.5), int(float64(r.Dy())*scale+0.5)
	g := crop
	if w != r.Dx() || h != r.Dy() {
		g = image.NewGray(image.Rect(0, 0, w, h))
		draw.CatmullRom.Scale(g, g.Bounds(), crop, crop.Bounds(), draw.Src, nil)
	}
	if !opts.NoThreshold {
		binarise(g)
	} else if meanLuma(g) < 128 {
		for i := range g.Pix {
			g.Pix[i] = 255 - g.Pix[i]
		}
	}
	ink := inkBounds(g)
	if ink.Empty() {
		ink = g.Bounds()
	}
	p := opts.Pad
	iw, ih := ink.Dx(), ink.Dy()
	out := image.NewGray(image.Rect(0, 0, iw+2*p, ih+2*p))
	for i := range out.Pix {
		out.Pix[i] = 255
	}
	for y := 0; y < ih; y++ {
		row := (ink.Min.Y+y)*g.Stride + ink.Min.X
		copy(out.Pix[(y+p)*out.Stride+p:], g.Pix[row:row+iw])
	}
	return out, nil
}

// subImage returns the part of img inside r, sharing pixels when the
// image type allows it.
func subImage(img image.Image, r image.Rectangle) image.Image {
	if s, ok := img.(interface {
		SubImage(image.Rectangle) image.Image
	}); ok {
		return s.SubImage(r)
	}
	out := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
	draw.Copy(out, image.Point{}, img, r, draw.Src, nil)
	return out
}

// binarise turns g into black text on white. The background is the most
// common grey level of the crop; text is what departs from it by more than
// half the largest departure (its 99.5th percentile, so a few stray pixels
// do not set the scale). This reads grey names on a grey window, black
// text on a green bubble and white letters on a coloured avatar alike,
// where a global threshold (Otsu's) splits the background from a lighter
// bubble edge instead of the text from both.
func binarise(g *image.Gray) {
	var hist [256]int
	for _, v := range g.Pix {
		hist[v]++
	}
	bg := 0
	for i, n := range hist {
		if n > hist[bg] {
			bg = i
		}
	}
	var devs [256]int
	for i, n := range hist {
		devs[abs(i-bg)] += n
	}
	keep := len(g.Pix) / 200
	maxDev := 0
	for d := 255; d > 0; d-- {
		keep -= devs[d]
		if keep < 0 {
			maxDev = d
			break
		}
	}
	t := max(maxDev/2, 16)
	for i, v := range g.Pix {
		if abs(int(v)-bg) > t {
			g.Pix[i] = 0
		} else {
			g.Pix[i] = 255
		}
	}
}

// inkBounds is the bounding box of g's pixels darker than mid-grey.
func inkBounds(g *image.Gray) image.Rectangle {
	b := g.Bounds()
	x0, y0, x1, y1 := b.Max.X, b.Max.Y, b.Min.X, b.Min.Y
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := g.Pix[(y-b.Min.Y)*g.Stride:]
		for x := b.Min.X; x < b.Max.X; x++ {
			if row[x-b.Min.X] < 128 {
				x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x+1), max(y1, y+1)
			}
		}
	}
	if x1 <= x0 || y1 <= y0 {
		return image.Rectangle{}
	}
	return image.Rect(x0, y0, x1, y1)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
