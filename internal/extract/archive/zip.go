package archive

import (
	"archive/zip"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"math"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/sniff"
)

// Zip reads a zip archive from its central directory, or salvages it from
// its local headers when the central directory is missing or damaged.
type Zip struct{}

var _ extract.Extractor = Zip{}

// Name implements extract.Extractor.
func (Zip) Name() string { return "zip" }

// Accepts implements extract.Extractor.
func (Zip) Accepts() []string { return []string{sniff.Zip} }

// Extract implements extract.Extractor.
func (Zip) Extract(ctx context.Context, in *extract.Input, out extract.Sink) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f, err := in.Open()
	if err != nil {
		return fmt.Errorf("zip: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("zip: %w", err)
	}
	c := newContainer(out)
	zr, err := zip.NewReader(f, st.Size())
	if err != nil && !(errors.Is(err, zip.ErrInsecurePath) && zr != nil) {
		return salvageZip(ctx, f, st.Size(), c, err, nil)
	}
	var damage []error
	done := map[string]bool{}
	badOffsets := false
	for _, zf := range zr.File {
		if err := ctx.Err(); err != nil {
			return err
		}
		memberErr, fatal := zipMember(ctx, c, zf)
		if fatal != nil {
			return fatal
		}
		if memberErr != nil {
			damage = append(damage, memberErr)
			badOffsets = badOffsets || errors.Is(memberErr, zip.ErrFormat)
		} else {
			done[zf.Name] = true
		}
	}
	if badOffsets {
		// The central directory points at the wrong places (an archive
		// prefixed or spliced by a broken tool): the local headers may
		// still hold the members it could not reach.
		return salvageZip(ctx, f, st.Size(), c, errors.Join(damage...), done)
	}
	if len(damage) > 0 {
		return fmt.Errorf("zip: %d damaged members: %w", len(damage), errors.Join(damage...))
	}
	return nil
}

// zipMember hands one central-directory entry to the sink.
func zipMember(ctx context.Context, c *container, zf *zip.File) (memberErr, fatal error) {
	raw := zf.Name
	if u, ok := unicodePath(zf.Extra, raw); ok {
		raw = u
	}
	name, flags := nameChild(raw)
	mode := zf.Mode()
	if mode.IsDir() || strings.HasSuffix(name, "/") {
		return nil, nil
	}
	if zf.Flags&0x1 != 0 {
		return nil, c.encrypted(ctx, name, int64(min(zf.UncompressedSize64, math.MaxInt64)), flags)
	}
	rc, err := zf.Open()
	if err != nil {
		if errors.Is(err, zip.ErrAlgorithm) {
			c.flag(FlagUnsupported)
			return fmt.Errorf("member %q: method %d: %w", name, zf.Method, err), nil
		}
		c.damaged(err)
		return fmt.Errorf("member %q: %w", name, err), nil
	}
	defer rc.Close()
	ch := extract.Child{Name: name, ModTime: zf.Modified, Flags: flags, Size: -1}
	if zf.UncompressedSize64 <= math.MaxInt64 {
		ch.Size = int64(zf.UncompressedSize64)
	}
	if mode&fs.ModeSymlink != 0 {
		target, err := readLinkTarget(rc)
		if err != nil {
			c.damaged(err)
			return fmt.Errorf("member %q: link target: %w", name, err), nil
		}
		ch.Link, ch.Size = target, -1
	} else {
		ch.R = rc
	}
	memberErr, fatal = c.emit(ctx, ch)
	if memberErr != nil {
		c.damaged(memberErr)
		memberErr = fmt.Errorf("member %q: %w", name, memberErr)
	}
	return memberErr, fatal
}

// unicodePath returns the name in an Info-ZIP Unicode Path extra field
// (0x7075) when its CRC matches the header name it stands for.
func unicodePath(extra []byte, name string) (string, bool) {
	for len(extra) >= 4 {
		id := binary.LittleEndian.Uint16(extra)
		size := int(binary.LittleEndian.Uint16(extra[2:]))
		extra = extra[4:]
		if size > len(extra) {
			return "", false
		}
		field := extra[:size]
		extra = extra[size:]
		if id != 0x7075 || len(field) < 5 || field[0] != 1 {
			continue
		}
		if binary.LittleEndian.Uint32(field[1:]) != crc32.ChecksumIEEE([]byte(name)) {
			continue
		}
		if u := string(field[5:]); utf8.ValidString(u) && u != "" {
			return u, true
		}
	}
	return "", false
}

const (
	sigLocal = "PK\x03\x04"
	sigEOCD  = "PK\x05\x06"
)

// salvageZip walks the local file headers of a zip whose central directory
// could not be read, hands over every member it can decode, flags the
// container and returns an error describing the damage.
// Members whose raw names are in done were already handed over.
func salvageZip(ctx context.Context, f *os.File, size int64, c *container, cause error, done map[string]bool) error {
	what := "corrupt"
	if !hasEOCD(f, size) {
		what = "truncated"
	}
	c.flag(what)
	n, damage := 0, []error{}
	off, ok := findSig(f, 0, size, sigLocal)
	for ok {
		if err := ctx.Err(); err != nil {
			return err
		}
		next, emitted, memberErr, fatal := salvageMember(ctx, f, size, off, c, done)
		if fatal != nil {
			return fatal
		}
		if emitted {
			n++
		}
		if memberErr != nil {
			damage = append(damage, memberErr)
		}
		if next <= off {
			next = off + 4
		}
		off, ok = findSig(f, next, size, sigLocal)
	}
	err := fmt.Errorf("zip: %s: central directory unusable (%w); salvaged %d members from local headers", what, cause, n)
	if len(damage) > 0 {
		return errors.Join(append([]error{err}, damage...)...)
	}
	return err
}

// salvageMember reads the member whose local header is at off. next is
// where to look for the following header.
func salvageMember(ctx context.Context, f *os.File, size, off int64, c *container, done map[string]bool) (next int64, emitted bool, memberErr, fatal error) {
	var h [30]byte
	if _, err := f.ReadAt(h[:], off); err != nil {
		c.flag(FlagTruncated)
		return size, false, fmt.Errorf("local header at %d: %w", off, io.ErrUnexpectedEOF), nil
	}
	le := binary.LittleEndian
	flags, method := le.Uint16(h[6:]), le.Uint16(h[8:])
	crc, csize, usize := le.Uint32(h[14:]), int64(le.Uint32(h[18:])), int64(le.Uint32(h[22:]))
	nlen, xlen := int64(le.Uint16(h[26:])), int64(le.Uint16(h[28:]))
	nameb := make([]byte, nlen)
	if _, err := f.ReadAt(nameb, off+30); err != nil {
		c.flag(FlagTruncated)
		return size, false, fmt.Errorf("local header at %d: name: %w", off, io.ErrUnexpectedEOF), nil
	}
	extra := make([]byte, min(xlen, max(0, size-off-30-nlen)))
	_, _ = f.ReadAt(extra, off+30+nlen)
	raw := string(nameb)
	skip := done[raw]
	if u, ok := unicodePath(extra, raw); ok {
		raw = u
	}
	name, nflags := nameChild(raw)
	dataOff := off + 30 + nlen + xlen
	descriptor := flags&0x8 != 0
	known := !descriptor || csize != 0
	next = dataOff
	if known {
		next = dataOff + csize
	}
	if strings.HasSuffix(name, "/") || (skip && known) {
		return next, false, nil, nil
	}
	if flags&0x1 != 0 {
		return next, false, nil, c.encrypted(ctx, name, usize, nflags)
	}
	avail := max(0, size-dataOff)
	var (
		r       io.Reader
		counter *countReader
	)
	switch method {
	case zip.Store:
		n := csize
		if !known {
			end, ok := findSig(f, dataOff, size, sigLocal)
			if !ok {
				end = size
			}
			n, next = end-dataOff, end
		}
		r = &cutReader{r: io.NewSectionReader(f, dataOff, min(n, avail)), short: n > avail}
	case zip.Deflate:
		n := avail
		if known {
			n = min(csize, avail)
		}
		counter = &countReader{r: io.NewSectionReader(f, dataOff, n)}
		r = newFlate(counter)
	default:
		c.flag(FlagUnsupported)
		return next, false, fmt.Errorf("member %q: method %d: %w", name, method, zip.ErrAlgorithm), nil
	}
	if !descriptor {
		r = &crcReader{r: r, want: crc, size: usize}
	}
	if skip {
		// Only the end of a member already handed over is needed.
		_, err := io.Copy(io.Discard, r)
		if counter != nil {
			next = dataOff + counter.n
		}
		_ = err // damage in a member already handed over was reported then
		return next, false, nil, nil
	}
	memberErr, fatal = c.emit(ctx, extract.Child{Name: name, R: r, Size: usize, Flags: nflags})
	if counter != nil && !known {
		next = dataOff + counter.n
	}
	if memberErr != nil {
		c.damaged(memberErr)
		memberErr = fmt.Errorf("member %q: %w", name, memberErr)
	}
	return next, true, memberErr, fatal
}

// hasEOCD reports whether an end-of-central-directory record is present in
// the last 64 KiB (its comment is at most 65535 bytes).
func hasEOCD(f *os.File, size int64) bool {
	from := max(0, size-(1<<16+22))
	_, ok := findSig(f, from, size, sigEOCD)
	return ok
}

// findSig returns the offset of the first sig at or after from.
func findSig(f *os.File, from, size int64, sig string) (int64, bool) {
	const chunk = 64 << 10
	buf := make([]byte, chunk+len(sig)-1)
	for off := from; off < size; off += chunk {
		n, _ := f.ReadAt(buf, off)
		if n < len(sig) {
			return 0, false
		}
		if i := strings.Index(string(buf[:n]), sig); i >= 0 {
			return off + int64(i), true
		}
	}
	return 0, false
}

// cutReader returns io.ErrUnexpectedEOF instead of io.EOF when the data
// it stands for was cut short.
type cutReader struct {
	r     io.Reader
	short bool
}

func (c *cutReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if err == io.EOF && c.short {
		err = io.ErrUnexpectedEOF
	}
	return n, err
}

// countReader counts the bytes a decompressor consumed, so that the next
// local header is found after a member whose size is only in a trailing
// data descriptor.
type countReader struct {
	r   io.Reader
	n   int64
	buf [1]byte
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func (c *countReader) ReadByte() (byte, error) {
	_, err := io.ReadFull(c, c.buf[:])
	return c.buf[0], err
}

// crcReader checks a salvaged member against its local header's CRC-32 and
// size at the end of the data.
type crcReader struct {
	r    io.Reader
	want uint32
	size int64
	n    int64
	crc  uint32
}

func (c *crcReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.crc = crc32.Update(c.crc, crc32.IEEETable, p[:n])
	c.n += int64(n)
	if err == io.EOF {
		if c.n != c.size {
			return n, fmt.Errorf("size %d, header says %d: %w", c.n, c.size, zip.ErrFormat)
		}
		if c.crc != c.want {
			return n, zip.ErrChecksum
		}
	}
	return n, err
}
