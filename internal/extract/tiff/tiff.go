package tiff

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	stdimage "image"
	"image/draw"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	xtiff "golang.org/x/image/tiff"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/extract/image"
	"github.com/leakscope/leakscope/internal/sniff"
)

// Name is the extractor's stable name.
const Name = "tiff"

// MaxPages bounds the pages read from one file: a scanned contract runs to
// a few hundred pages; a chain of a million one-pixel IFDs is an attack.
const MaxPages = 2000

// TIFF tags and compression codes read here (TIFF 6.0, TechNote 2).
const (
	tagWidth         = 256
	tagHeight        = 257
	tagCompression   = 259
	tagPhotometric   = 262
	tagStripOffsets  = 273
	tagRowsPerStrip  = 278
	tagStripCounts   = 279
	tagTileWidth     = 322
	tagTileLength    = 323
	tagTileOffsets   = 324
	tagTileCounts    = 325
	tagJPEGIF        = 513
	tagJPEGIFLength  = 514
	tagJPEGTables    = 347
	compressOldJPEG  = 6
	compressJPEG     = 7
	maxTagValues     = 1 << 20 // strips or tiles of one page
	maxJPEGTableSize = 1 << 20
	maxSegment       = 256 << 20 // one strip, tile or JPEG stream
)

// ErrFormat is a file that is not a readable TIFF.
var ErrFormat = errors.New("tiff: bad format")

// Extractor splits TIFF files into pages and runs Image on each. It is safe
// for concurrent use when Image is.
type Extractor struct {
	// Image reads one single-page image (the image extractor).
	Image extract.Extractor
}

var _ extract.Extractor = Extractor{}

// Name implements extract.Extractor.
func (Extractor) Name() string { return Name }

// Accepts implements extract.Extractor.
func (Extractor) Accepts() []string { return []string{sniff.TIFF} }

// ifd is one page's directory: where it is and the tags read from it.
type ifd struct {
	off  int64
	next int64 // offset of the next-IFD pointer, for the single-page copy
	tags map[uint16][]uint32
	raw  map[uint16][2]uint32 // count and value offset of UNDEFINED/BYTE tags
}

func (d ifd) get(tag uint16, def uint32) uint32 {
	if v := d.tags[tag]; len(v) > 0 {
		return v[0]
	}
	return def
}

// Extract implements extract.Extractor.
func (x Extractor) Extract(ctx context.Context, in *extract.Input, out extract.Sink) error {
	f, err := in.Open()
	if err != nil {
		return fmt.Errorf("tiff: %w", err)
	}
	defer f.Close()
	max := MaxPages
	if in.Limits.MaxEntries > 0 && in.Limits.MaxEntries < max {
		max = in.Limits.MaxEntries
	}
	bo, pages, err := readIFDs(f, in.Size, max)
	if err != nil && len(pages) == 0 {
		return fmt.Errorf("tiff %s: %w", in.Name, err)
	}
	if err != nil {
		in.Log.Debug("tiff chain", "path", in.Name, "err", err)
		out.Flag("truncated")
	}
	out.Meta("pages", strconv.Itoa(len(pages)))
	var errs []error
	for i, p := range pages {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("tiff %s: %w", in.Name, err)
		}
		n := i + 1
		path, mime, err := pageFile(f, in, bo, p, n, len(pages))
		if err != nil {
			if extract.IsLimit(err) {
				return fmt.Errorf("tiff %s: page %d: %w", in.Name, n, err)
			}
			errs = append(errs, fmt.Errorf("page %d: %w", n, err))
			continue
		}
		st, err := os.Stat(path)
		if err != nil {
			return fmt.Errorf("tiff %s: page %d: %w", in.Name, n, err)
		}
		pin := *in
		pin.File, pin.MIME, pin.Size = path, mime, st.Size()
		if err := x.Image.Extract(ctx, &pin, &pageSink{Sink: out, n: n}); err != nil {
			if ctx.Err() != nil || extract.IsLimit(err) {
				return fmt.Errorf("tiff %s: page %d: %w", in.Name, n, err)
			}
			errs = append(errs, fmt.Errorf("page %d: %w", n, err))
		}
		if path != in.File {
			os.Remove(path)
		}
	}
	if len(errs) == len(pages) && len(errs) > 0 {
		return fmt.Errorf("tiff %s: %w", in.Name, errors.Join(errs...))
	}
	for _, e := range errs {
		in.Log.Debug("tiff page", "path", in.Name, "err", e)
	}
	return nil
}

// pageSink numbers the pages of one TIFF page's extraction and keeps the
// document's metadata that of page 1.
type pageSink struct {
	extract.Sink
	n int
}

func (s *pageSink) Page(p extract.Page) {
	p.Number = s.n
	s.Sink.Page(p)
}

func (s *pageSink) Meta(k, v string) {
	if k == image.KeyFormat {
		v = Name // a JPEG page is handed over as PNG; the document is a TIFF
	}
	if s.n == 1 {
		s.Sink.Meta(k, v)
	}
}

func (s *pageSink) Attach(name string, data []byte) {
	if s.n > 1 {
		ext := filepath.Ext(name)
		name = strings.TrimSuffix(name, ext) + "-p" + strconv.Itoa(s.n) + ext
	}
	s.Sink.Attach(name, data)
}

// readIFDs follows the IFD chain of the file, at most max pages, and
// returns its byte order and pages. A damaged link ends the chain with an
// error along with the pages read before it.
func readIFDs(r io.ReaderAt, size int64, max int) (binary.ByteOrder, []ifd, error) {
	var h [8]byte
	if _, err := r.ReadAt(h[:], 0); err != nil {
		return nil, nil, fmt.Errorf("header: %w", ErrFormat)
	}
	var bo binary.ByteOrder
	switch string(h[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		return nil, nil, fmt.Errorf("header: %w", ErrFormat) // BigTIFF is not read
	}
	off := int64(bo.Uint32(h[4:]))
	seen := map[int64]bool{}
	var pages []ifd
	for off != 0 {
		if seen[off] {
			return bo, pages, fmt.Errorf("ifd loop at %d: %w", off, ErrFormat)
		}
		if len(pages) >= max {
			return bo, pages, &extract.LimitError{What: "entries", Limit: int64(max), Got: int64(max) + 1}
		}
		seen[off] = true
		d, next, err := readIFD(r, bo, off, size)
		if err != nil {
			return bo, pages, err
		}
		pages = append(pages, d)
		off = next
	}
	return bo, pages, nil
}

// readIFD reads the directory at off: its entries and the next offset.
func readIFD(r io.ReaderAt, bo binary.ByteOrder, off, size int64) (ifd, int64, error) {
	var c [2]byte
	if off < 8 || off+2 > size {
		return ifd{}, 0, fmt.Errorf("ifd at %d: %w", off, ErrFormat)
	}
	if _, err := r.ReadAt(c[:], off); err != nil {
		return ifd{}, 0, fmt.Errorf("ifd at %d: %w", off, ErrFormat)
	}
	n := int64(bo.Uint16(c[:]))
	b := make([]byte, n*12+4)
	if off+2+int64(len(b)) > size {
		return ifd{}, 0, fmt.Errorf("ifd at %d: %w", off, ErrFormat)
	}
	if _, err := r.ReadAt(b, off+2); err != nil {
		return ifd{}, 0, fmt.Errorf("ifd at %d: %w", off, ErrFormat)
	}
	d := ifd{off: off, next: off + 2 + n*12, tags: map[uint16][]uint32{}, raw: map[uint16][2]uint32{}}
	for i := int64(0); i < n; i++ {
		e := b[i*12:]
		tag, typ, count := bo.Uint16(e), bo.Uint16(e[2:]), bo.Uint32(e[4:])
		val := e[8:12]
		var width int64
		switch typ {
		case 1, 2, 6, 7: // BYTE, ASCII, SBYTE, UNDEFINED
			width = 1
			d.raw[tag] = [2]uint32{count, bo.Uint32(val)}
			if count > 4 {
				continue
			}
		case 3, 8: // SHORT, SSHORT
			width = 2
		case 4, 9: // LONG, SLONG
			width = 4
		default:
			continue
		}
		if width == 1 || count == 0 || count > maxTagValues {
			continue
		}
		data := val
		if int64(count)*width > 4 {
			vo := int64(bo.Uint32(val))
			if vo+int64(count)*width > size {
				continue
			}
			data = make([]byte, int64(count)*width)
			if _, err := r.ReadAt(data, vo); err != nil {
				continue
			}
		}
		vs := make([]uint32, count)
		for j := range vs {
			if width == 2 {
				vs[j] = uint32(bo.Uint16(data[j*2:]))
			} else {
				vs[j] = bo.Uint32(data[j*4:])
			}
		}
		d.tags[tag] = vs
	}
	return d, int64(bo.Uint32(b[n*12:])), nil
}

// pageFile writes page n as a single-page image file in in.TempDir and
// returns its path and MIME type.
func pageFile(f *os.File, in *extract.Input, bo binary.ByteOrder, p ifd, n, pages int) (string, string, error) {
	w, h := int64(p.get(tagWidth, 0)), int64(p.get(tagHeight, 0))
	if w <= 0 || h <= 0 {
		return "", "", fmt.Errorf("page of %dx%d pixels: %w", w, h, ErrFormat)
	}
	if px := in.Limits.Pixels(); w*h > px {
		return "", "", &extract.LimitError{What: "pixels", Limit: px, Got: w * h}
	}
	switch p.get(tagCompression, 1) {
	case compressJPEG, compressOldJPEG:
		img, err := decodeJPEG(f, in.Size, p, int(w), int(h))
		if err != nil {
			return "", "", err
		}
		return writePNG(in, img, n)
	}
	return singlePage(f, in, bo, p, n, pages)
}

// singlePage decodes page p with golang.org/x/image/tiff, reading the
// file through a view whose header points at p and whose p points at no
// next page, and writes it as PNG. Nothing is copied: a 2,000-page fax of
// 500 MB costs each page's pixels, not 500 MB of copying per page. A file
// of one page is handed over as it is, so that its EXIF is read.
func singlePage(f *os.File, in *extract.Input, bo binary.ByteOrder, p ifd, n, pages int) (string, string, error) {
	if pages == 1 {
		return in.File, sniff.TIFF, nil
	}
	var head, next [4]byte
	bo.PutUint32(head[:], uint32(p.off))
	v := &patched{r: f, patches: []patch{{off: 4, b: head[:]}, {off: p.next, b: next[:]}}}
	img, err := xtiff.Decode(io.NewSectionReader(v, 0, in.Size))
	if err != nil {
		return "", "", fmt.Errorf("decode: %w", err)
	}
	return writePNG(in, img, n)
}

func writePNG(in *extract.Input, img stdimage.Image, n int) (string, string, error) {
	path := filepath.Join(in.TempDir, fmt.Sprintf("page-%d.png", n))
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return "", "", fmt.Errorf("png: %w", err)
	}
	return path, sniff.PNG, os.WriteFile(path, buf.Bytes(), 0o600)
}

// patch is bytes laid over a file at off.
type patch struct {
	off int64
	b   []byte
}

// patched is a read-only view of r with patches laid over it.
type patched struct {
	r       io.ReaderAt
	patches []patch
}

func (v *patched) ReadAt(b []byte, off int64) (int, error) {
	n, err := v.r.ReadAt(b, off)
	for _, p := range v.patches {
		for i, c := range p.b {
			if at := p.off + int64(i) - off; at >= 0 && at < int64(n) {
				b[at] = c
			}
		}
	}
	return n, err
}

// decodeJPEG decodes a JPEG-compressed page: each strip or tile is a JPEG
// stream, abbreviated when the page has JPEGTables (the tables stream's
// markers go before the strip's); old-style JPEG is read from its
// interchange stream when it has one.
func decodeJPEG(r io.ReaderAt, size int64, p ifd, w, h int) (stdimage.Image, error) {
	if p.get(tagCompression, 1) == compressOldJPEG {
		off, n := int64(p.get(tagJPEGIF, 0)), int64(p.get(tagJPEGIFLength, 0))
		if off == 0 || n == 0 {
			return nil, fmt.Errorf("old-style jpeg without an interchange stream: %w", extract.ErrUnsupported)
		}
		b, err := readAt(r, size, off, n)
		if err != nil {
			return nil, err
		}
		return jpeg.Decode(bytes.NewReader(b))
	}
	var tables []byte
	if t, ok := p.raw[tagJPEGTables]; ok && t[0] > 4 && t[0] < maxJPEGTableSize {
		b, err := readAt(r, size, int64(t[1]), int64(t[0]))
		if err == nil && len(b) >= 4 {
			tables = bytes.TrimSuffix(b, []byte{0xFF, 0xD9}) // drop EOI
		}
	}
	offs, counts := p.tags[tagStripOffsets], p.tags[tagStripCounts]
	sw, sh := w, int(p.get(tagRowsPerStrip, uint32(h)))
	if t := p.tags[tagTileOffsets]; len(t) > 0 {
		offs, counts = t, p.tags[tagTileCounts]
		sw, sh = int(p.get(tagTileWidth, 0)), int(p.get(tagTileLength, 0))
	}
	if len(offs) == 0 || len(offs) != len(counts) || sw <= 0 || sh <= 0 {
		return nil, fmt.Errorf("jpeg page without strips: %w", ErrFormat)
	}
	sh = min(sh, h)
	across := (w + sw - 1) / sw
	var canvas draw.Image
	if ph := p.get(tagPhotometric, 2); ph == 0 || ph == 1 {
		canvas = stdimage.NewGray(stdimage.Rect(0, 0, w, h))
	} else {
		canvas = stdimage.NewRGBA(stdimage.Rect(0, 0, w, h))
	}
	decoded := 0
	for i := range offs {
		b, err := readAt(r, size, int64(offs[i]), int64(counts[i]))
		if err != nil {
			continue
		}
		if tables != nil && bytes.HasPrefix(b, []byte{0xFF, 0xD8}) {
			b = append(append([]byte(nil), tables...), b[2:]...)
		}
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(b))
		if err != nil || cfg.Width > sw || cfg.Height > sh {
			continue // a segment may not be bigger than its slot
		}
		img, err := jpeg.Decode(bytes.NewReader(b))
		if err != nil {
			continue
		}
		at := stdimage.Pt((i%across)*sw, (i/across)*sh)
		draw.Draw(canvas, img.Bounds().Sub(img.Bounds().Min).Add(at), img, img.Bounds().Min, draw.Src)
		decoded++
	}
	if decoded == 0 {
		return nil, fmt.Errorf("no jpeg segment decoded: %w", ErrFormat)
	}
	return canvas, nil
}

// readAt reads n bytes at off, refusing a range outside the file.
func readAt(r io.ReaderAt, size, off, n int64) ([]byte, error) {
	if off < 0 || n <= 0 || off+n > size || n > maxSegment {
		return nil, fmt.Errorf("range %d+%d outside %d bytes: %w", off, n, size, ErrFormat)
	}
	b := make([]byte, n)
	if _, err := r.ReadAt(b, off); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("read: %w", err)
	}
	return b, nil
}
