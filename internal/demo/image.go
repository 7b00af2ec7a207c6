package demo

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"github.com/leakscope/leakscope/internal/sniff"
)

// fontPaths are where Debian, Ubuntu, Fedora and Arch put Noto Sans CJK.
var fontPaths = []string{
	"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
	"/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
	"/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
	"/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
	"/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
}

// errNoFont means no CJK font was found; the screenshot falls back to the
// built-in bitmap font.
var errNoFont = errors.New("no CJK font found")

// loadCJK opens the font at p, or the first of fontPaths that exists, and
// picks the Simplified Chinese face of a collection. The font is read
// lazily from the open file (a Noto CJK collection is ~20 MB); close it
// once drawing is done.
func loadCJK(p string) (*sfnt.Font, io.Closer, error) {
	candidates := fontPaths
	if p != "" {
		candidates = []string{p}
	}
	for _, c := range candidates {
		file, err := os.Open(c)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		f, err := pickFont(file, c)
		if err != nil {
			file.Close()
			return nil, nil, fmt.Errorf("font %s: %w", c, err)
		}
		return f, file, nil
	}
	return nil, nil, errNoFont
}

func pickFont(file *os.File, name string) (*sfnt.Font, error) {
	if !strings.EqualFold(filepath.Ext(name), ".ttc") {
		return opentype.ParseReaderAt(file)
	}
	coll, err := opentype.ParseCollectionReaderAt(file)
	if err != nil {
		return nil, err
	}
	var first *sfnt.Font
	for i := range coll.NumFonts() {
		f, err := coll.Font(i)
		if err != nil {
			return nil, err
		}
		if first == nil {
			first = f
		}
		if name, err := f.Name(nil, sfnt.NameIDFamily); err == nil && strings.HasSuffix(name, " SC") {
			return f, nil
		}
	}
	if first == nil {
		return nil, errors.New("empty font collection")
	}
	return first, nil
}

// shot is what a chat screenshot shows: a title bar, a time separator and
// bubbles, the owner's on the right.
type shot struct {
	title, separator string
	owner            string // person id shown on the right
	bubbles          []message
}

var (
	colBG     = color.RGBA{0xf5, 0xf5, 0xf5, 0xff}
	colBar    = color.RGBA{0xed, 0xed, 0xed, 0xff}
	colText   = color.RGBA{0x11, 0x11, 0x11, 0xff}
	colGray   = color.RGBA{0x99, 0x99, 0x99, 0xff}
	colGreen  = color.RGBA{0x95, 0xec, 0x69, 0xff}
	colWhite  = color.RGBA{0xff, 0xff, 0xff, 0xff}
	colAvatar = color.RGBA{0xb8, 0xc4, 0xd0, 0xff}
)

// wrap breaks s into lines no wider than width: between words for Latin
// text, between any two characters for CJK.
func wrap(face font.Face, s string, width fixed.Int26_6) []string {
	var tokens []string
	for len(s) > 0 {
		r, n := utf8.DecodeRuneInString(s)
		if r < 0x80 && !unicode.IsSpace(r) {
			end := strings.IndexFunc(s, func(r rune) bool { return r >= 0x80 || unicode.IsSpace(r) })
			if end < 0 {
				end = len(s)
			}
			n = end
		}
		tokens = append(tokens, s[:n])
		s = s[n:]
	}
	var lines []string
	cur := ""
	for _, t := range tokens {
		if cur != "" && font.MeasureString(face, cur+t) > width {
			lines = append(lines, strings.TrimRight(cur, " "))
			cur = strings.TrimLeft(t, " ")
			continue
		}
		cur += t
	}
	return append(lines, strings.TrimRight(cur, " "))
}

func fill(img draw.Image, r image.Rectangle, c color.Color) {
	draw.Draw(img, r, image.NewUniform(c), image.Point{}, draw.Src)
}

// renderShot draws sh at width w with face, then scales it up by scale
// (the bitmap fallback font is drawn small and doubled so OCR can read it).
func renderShot(sh shot, face font.Face, w, scale int) ([]byte, error) {
	m := face.Metrics()
	lineH := (m.Height).Ceil()
	ascent := m.Ascent.Ceil()
	pad := 20 / scale
	avatar := lineH + pad
	maxText := fixed.I(w*6/10 - 2*pad)

	type laid struct {
		lines []string
		right bool
	}
	var bubbles []laid
	h := 2*lineH + 3*pad // title bar
	h += lineH + 2*pad   // separator
	for _, b := range sh.bubbles {
		lines := wrap(face, b.body, maxText)
		bubbles = append(bubbles, laid{lines, b.from == sh.owner})
		h += len(lines)*lineH + 2*pad + pad
	}
	h += 2 * pad

	img := image.NewRGBA(image.Rect(0, 0, w, h))
	fill(img, img.Bounds(), colBG)
	d := &font.Drawer{Dst: img, Face: face}
	text := func(s string, x, y int, c color.Color) {
		d.Src = image.NewUniform(c)
		d.Dot = fixed.P(x, y+ascent)
		d.DrawString(s)
	}
	barH := 2*lineH + 2*pad
	fill(img, image.Rect(0, 0, w, barH), colBar)
	tw := font.MeasureString(face, sh.title).Ceil()
	text(sh.title, (w-tw)/2, (barH-lineH)/2, colText)
	y := barH + pad
	sw := font.MeasureString(face, sh.separator).Ceil()
	text(sh.separator, (w-sw)/2, y+pad, colGray)
	y += lineH + 2*pad
	for _, b := range bubbles {
		bw := 0
		for _, l := range b.lines {
			bw = max(bw, font.MeasureString(face, l).Ceil())
		}
		bw += 2 * pad
		bh := len(b.lines)*lineH + 2*pad
		var ax, bx int
		bg := colWhite
		if b.right {
			ax = w - pad - avatar
			bx = ax - pad - bw
			bg = colGreen
		} else {
			ax = pad
			bx = ax + avatar + pad
		}
		fill(img, image.Rect(ax, y, ax+avatar, y+avatar), colAvatar)
		fill(img, image.Rect(bx, y, bx+bw, y+bh), bg)
		for i, l := range b.lines {
			text(l, bx+pad, y+pad+i*lineH, colText)
		}
		y += bh + pad
	}

	var out image.Image = img
	if scale > 1 {
		big := image.NewRGBA(image.Rect(0, 0, w*scale, h*scale))
		draw.NearestNeighbor.Scale(big, big.Bounds(), img, img.Bounds(), draw.Src, nil)
		out = big
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.DefaultCompression}
	if err := enc.Encode(&buf, out); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// screenshot draws a private chat between the data team lead (the phone's
// owner, on the right) and the penetration tester. With a CJK font the
// text is Chinese; without one it is English in the bitmap font and a note
// says so.
func (b *builder) screenshot() error {
	s := b.s
	ma := s.person("ma")
	sh := shot{owner: "su", bubbles: s.shotChat, title: ma.name,
		separator: s.shotChat[0].t.Format("2006-01-02 15:04")}
	lang := "zh-Hans"
	var png []byte
	var f *sfnt.Font
	var err error
	if !b.opts.NoSystemFont {
		var closer io.Closer
		f, closer, err = loadCJK(b.opts.FontPath)
		if err != nil && !errors.Is(err, errNoFont) {
			return err
		}
		if closer != nil {
			defer closer.Close()
		}
	}
	if f != nil {
		face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: 28, DPI: 72, Hinting: font.HintingNone})
		if err != nil {
			return err
		}
		defer face.Close()
		if png, err = renderShot(sh, face, 720, 1); err != nil {
			return err
		}
	} else {
		if !b.opts.NoSystemFont {
			b.log.Warn("no CJK font, screenshot drawn in English", "want", "fonts-noto-cjk")
		}
		b.notes = append(b.notes, "screenshot drawn in English with the built-in bitmap font (no CJK font used)")
		lang = "en"
		sh.title = "Ma Jun"
		en := []string{
			"The " + s.targets[0].nameEN + " mail is unpacked",
			"How much?",
			s.targets[0].volumeRaw + ", I will copy it to you tomorrow",
			"OK, use the old server",
		}
		sh.bubbles = append([]message(nil), sh.bubbles...)
		for i := range sh.bubbles {
			sh.bubbles[i].body = en[i]
		}
		if png, err = renderShot(sh, basicfont.Face7x13, 360, 2); err != nil {
			return err
		}
	}
	lines := []string{sh.title, sh.separator}
	for _, m := range sh.bubbles {
		lines = append(lines, m.body)
	}
	b.shot = sh
	b.add(File{Path: "screenshots/微信图片_20210604211800.png", MIME: sniff.PNG, Format: "chat-screenshot",
		Languages: []string{lang}, OCRRequired: true, ModTime: at(2021, 6, 4, 21, 18, 0),
		What: "phone chat screenshot, text only in pixels (OCR); the owner's bubbles are green, on the right"},
		png, strings.Join(lines, "\n")+"\n")
	return nil
}
