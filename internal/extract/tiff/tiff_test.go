package tiff

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	stdimage "image"
	"image/color"
	"image/jpeg"
	_ "image/png" // page files the fake recognizer decodes
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	_ "golang.org/x/image/tiff" // page files the fake recognizer decodes

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/extract/extracttest"
	"github.com/leakscope/leakscope/internal/extract/image"
	"github.com/leakscope/leakscope/internal/ocr"
	"github.com/leakscope/leakscope/internal/ocr/engines"
	"github.com/leakscope/leakscope/internal/sniff"
	"github.com/leakscope/leakscope/internal/tool"
)

// grayOCR is a recognizer that decodes the page it is given and "reads"
// its size and gray level, so that a test sees which page reached OCR and
// whether its pixels survived, without tesseract.
type grayOCR struct{}

func (grayOCR) Name() string                        { return "gray" }
func (grayOCR) Ready(context.Context) (bool, error) { return false, nil }
func (grayOCR) Image(_ context.Context, path, _ string) (ocr.Result, error) {
	f, err := os.Open(path)
	if err != nil {
		return ocr.Result{}, err
	}
	defer f.Close()
	img, _, err := stdimage.Decode(f)
	if err != nil {
		return ocr.Result{}, err
	}
	b := img.Bounds()
	var sum, n int
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			sum += int(color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y)
			n++
		}
	}
	g := (sum/n + 5) / 10 * 10
	return ocr.Result{Engine: "gray", Text: fmt.Sprintf("page %dx%d gray %d", b.Dx(), b.Dy(), g), TSV: []byte("tsv")}, nil
}

// tpage is one page of a generated TIFF: a flat gray image, stored raw or
// as JPEG strips (with shared tables when tables is set).
type tpage struct {
	w, h, gray int
	jpeg       bool
	tables     bool
	rows       int // rows per strip; 0: one strip
}

type entry struct {
	tag, typ uint16
	vals     []uint32 // SHORT or LONG values
	raw      []byte   // UNDEFINED
}

// writeTIFF writes a little-endian TIFF with pages in order, each IFD
// after its pixel data.
func writeTIFF(pages []tpage, loop bool) []byte {
	le := binary.LittleEndian
	out := []byte("II*\x00\x00\x00\x00\x00")
	var nextPtr = 4 // where the offset of the next IFD goes
	var first uint32
	for _, p := range pages {
		img := stdimage.NewGray(stdimage.Rect(0, 0, p.w, p.h))
		for i := range img.Pix {
			img.Pix[i] = uint8(p.gray)
		}
		rows := p.rows
		if rows == 0 {
			rows = p.h
		}
		var offs, counts []uint32
		var tables []byte
		for y := 0; y < p.h; y += rows {
			strip := img.SubImage(stdimage.Rect(0, y, p.w, min(y+rows, p.h))).(*stdimage.Gray)
			var seg []byte
			if p.jpeg {
				var buf bytes.Buffer
				jpeg.Encode(&buf, strip, &jpeg.Options{Quality: 90})
				seg = buf.Bytes()
				if p.tables {
					tables, seg = splitTables(seg)
				}
			} else {
				for r := strip.Rect.Min.Y; r < strip.Rect.Max.Y; r++ {
					seg = append(seg, strip.Pix[strip.PixOffset(0, r):strip.PixOffset(p.w, r)]...)
				}
			}
			offs = append(offs, uint32(len(out)))
			counts = append(counts, uint32(len(seg)))
			out = append(out, seg...)
		}
		comp := uint32(1)
		if p.jpeg {
			comp = compressJPEG
		}
		es := []entry{
			{tag: tagWidth, typ: 4, vals: []uint32{uint32(p.w)}},
			{tag: tagHeight, typ: 4, vals: []uint32{uint32(p.h)}},
			{tag: 258, typ: 3, vals: []uint32{8}},
			{tag: tagCompression, typ: 3, vals: []uint32{comp}},
			{tag: tagPhotometric, typ: 3, vals: []uint32{1}},
			{tag: tagStripOffsets, typ: 4, vals: offs},
			{tag: 277, typ: 3, vals: []uint32{1}},
			{tag: tagRowsPerStrip, typ: 4, vals: []uint32{uint32(rows)}},
			{tag: tagStripCounts, typ: 4, vals: counts},
		}
		if tables != nil {
			es = append(es, entry{tag: tagJPEGTables, typ: 7, raw: tables})
		}
		sort.Slice(es, func(i, j int) bool { return es[i].tag < es[j].tag })
		// Out-of-line values first, then the IFD.
		ext := map[int]uint32{}
		for i, e := range es {
			var b []byte
			if e.raw != nil {
				b = e.raw
			} else if len(e.vals) > 1 {
				for _, v := range e.vals {
					b = le.AppendUint32(b, v)
				}
			}
			if len(b) > 4 {
				if len(out)%2 == 1 {
					out = append(out, 0)
				}
				ext[i] = uint32(len(out))
				out = append(out, b...)
			}
		}
		if len(out)%2 == 1 {
			out = append(out, 0)
		}
		at := uint32(len(out))
		if first == 0 {
			first = at
		}
		le.PutUint32(out[nextPtr:], at)
		out = le.AppendUint16(out, uint16(len(es)))
		for i, e := range es {
			count := uint32(len(e.vals))
			if e.raw != nil {
				count = uint32(len(e.raw))
			}
			out = le.AppendUint16(out, e.tag)
			out = le.AppendUint16(out, e.typ)
			out = le.AppendUint32(out, count)
			switch {
			case ext[i] != 0:
				out = le.AppendUint32(out, ext[i])
			case e.typ == 3:
				out = le.AppendUint16(out, uint16(e.vals[0]))
				out = le.AppendUint16(out, 0)
			default:
				out = le.AppendUint32(out, e.vals[0])
			}
		}
		nextPtr = len(out)
		out = le.AppendUint32(out, 0)
	}
	if loop {
		le.PutUint32(out[nextPtr:], first)
	}
	return out
}

// splitTables turns a full JPEG stream into the abbreviated pair TIFF
// writers store: a tables stream (SOI, DQT, DHT, EOI) and an image stream
// without them.
func splitTables(b []byte) (tables, img []byte) {
	tables = []byte{0xFF, 0xD8}
	img = []byte{0xFF, 0xD8}
	for i := 2; i+4 <= len(b); {
		m := b[i+1]
		if m == 0xDA { // SOS: the rest is the scan
			img = append(img, b[i:]...)
			break
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		seg := b[i : i+2+n]
		if m == 0xDB || m == 0xC4 {
			tables = append(tables, seg...)
		} else {
			img = append(img, seg...)
		}
		i += 2 + n
	}
	return append(tables, 0xFF, 0xD9), img
}

var fixtures = []struct {
	name  string
	pages []tpage
	loop  bool
}{
	{name: "multi-page-raw", pages: []tpage{{w: 40, h: 20, gray: 30}, {w: 30, h: 30, gray: 120}, {w: 20, h: 40, gray: 200}}},
	{name: "jpeg-one-strip", pages: []tpage{{w: 64, h: 32, gray: 80, jpeg: true}}},
	{name: "jpeg-tables-strips", pages: []tpage{{w: 48, h: 40, gray: 160, jpeg: true, tables: true, rows: 16}, {w: 16, h: 16, gray: 50}}},
	{name: "ifd-loop", pages: []tpage{{w: 8, h: 8, gray: 10}, {w: 8, h: 8, gray: 250}}, loop: true},
}

func newExtractor() Extractor {
	return Extractor{Image: image.New(image.Options{OCR: grayOCR{}})}
}

func writeFixture(t testing.TB, dir, name string, pages []tpage, loop bool) string {
	t.Helper()
	p := filepath.Join(dir, name+".tif")
	if err := os.WriteFile(p, writeTIFF(pages, loop), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestExtract: every page reaches OCR with its own pixels, JPEG pages
// included. The image extractor alone read page 1 of the raw file and
// failed the JPEG ones ("unsupported feature: compression value 7").
func TestExtract(t *testing.T) {
	dir := t.TempDir()
	for _, fx := range fixtures {
		t.Run(fx.name, func(t *testing.T) {
			in := extracttest.NewInput(t, writeFixture(t, dir, fx.name, fx.pages, fx.loop))
			if in.MIME != sniff.TIFF {
				t.Fatalf("sniffed %s, want %s", in.MIME, sniff.TIFF)
			}
			r, err := extracttest.Run(t.Context(), newExtractor(), in)
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Pages) != len(fx.pages) {
				t.Errorf("%d pages, want %d", len(r.Pages), len(fx.pages))
			}
			for i, p := range r.Pages {
				want := fmt.Sprintf("page %dx%d gray %d", fx.pages[i].w, fx.pages[i].h, (fx.pages[i].gray+5)/10*10)
				if p.Number != i+1 || p.Text != want {
					t.Errorf("page %d = %d %q, want %q", i+1, p.Number, p.Text, want)
				}
			}
			for _, v := range extracttest.Validate(r) {
				t.Error(v)
			}
			extracttest.Golden(t, filepath.Join("testdata", "golden", "TestExtract", fx.name+".golden"), r.Summary(0).JSON())
		})
	}
}

func TestLimits(t *testing.T) {
	dir := t.TempDir()
	p := writeFixture(t, dir, "big", []tpage{{w: 10, h: 10, gray: 1}, {w: 100, h: 100, gray: 1}, {w: 10, h: 10, gray: 1}}, false)
	tests := []struct {
		name       string
		maxPixels  int64
		maxEntries int
		wantLimit  string
	}{
		{name: "pixels of page 2", maxPixels: 1000, maxEntries: 100, wantLimit: "pixels"},
		{name: "pages", maxPixels: 1 << 20, maxEntries: 2, wantLimit: "entries"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := extracttest.NewInput(t, p)
			in.Limits.MaxPixels = tt.maxPixels
			in.Limits.MaxEntries = tt.maxEntries
			r, err := extracttest.Run(t.Context(), newExtractor(), in)
			var le *extract.LimitError
			switch {
			case tt.wantLimit == "entries" && err == nil:
				// The chain is cut at the cap; the pages before it are read.
				if len(r.Pages) != 2 || !r.HasFlag("truncated") {
					t.Errorf("%d pages, flags %v; want 2 pages, truncated", len(r.Pages), r.Flags)
				}
			case !errors.As(err, &le) || le.What != tt.wantLimit:
				t.Errorf("err = %v, want limit %s", err, tt.wantLimit)
			}
		})
	}
}

func TestConformance(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for _, fx := range fixtures {
		paths = append(paths, writeFixture(t, dir, fx.name, fx.pages, fx.loop))
	}
	extracttest.Check(t, newExtractor(), paths...)
}

// TestRealFormats OCRs the TIFF scans of the shared corpus with tesseract:
// every page of each, the JPEG-compressed one included.
func TestRealFormats(t *testing.T) {
	if testing.Short() {
		t.Skip("OCR is slow")
	}
	root := extracttest.SharedCorpus(t)
	if err := tool.Available("tesseract"); err != nil {
		t.Skipf("tesseract: %v", err)
	}
	rec, err := engines.New(engines.Options{Engine: "tesseract"})
	if err != nil {
		t.Fatal(err)
	}
	x := Extractor{Image: image.New(image.Options{OCR: rec})}
	var files []string
	filepath.WalkDir(filepath.Join(root, "real-formats"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if m, _ := sniff.File(p, d.Name()); m == sniff.TIFF {
				files = append(files, p)
			}
		}
		return nil
	})
	if len(files) == 0 {
		t.Fatal("no TIFF files in real-formats")
	}
	withText := 0
	for _, p := range files {
		r, err := extracttest.Run(t.Context(), x, extracttest.NewInput(t, p))
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(p), err)
			continue
		}
		if got := fmt.Sprint(len(r.Pages)); got != r.MetaValue("pages") {
			t.Errorf("%s: %s pages OCR'd of %s", filepath.Base(p), got, r.MetaValue("pages"))
		}
		if strings.TrimSpace(r.Body()) != "" {
			withText++
		}
	}
	// One scan of the corpus is a photo without text; the others have some.
	if withText < len(files)-1 {
		t.Errorf("%d of %d TIFF files yield text", withText, len(files))
	}
}

func FuzzExtract(f *testing.F) {
	for _, fx := range fixtures {
		f.Add(writeTIFF(fx.pages, fx.loop))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(dir, "f.tif")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		in := extracttest.NewInputMIME(t, p, sniff.TIFF)
		in.TempDir = t.TempDir()
		in.Limits.MaxPixels = 1 << 16
		r := &extracttest.Recorder{}
		err := extracttest.RunWith(t.Context(), newExtractor(), in, r)
		var pe *extracttest.PanicError
		if errors.As(err, &pe) {
			t.Fatal(err)
		}
		if len(r.Pages) > MaxPages {
			t.Fatalf("%d pages over the cap", len(r.Pages))
		}
		for _, v := range extracttest.Validate(r) {
			t.Error(v)
		}
	})
}
