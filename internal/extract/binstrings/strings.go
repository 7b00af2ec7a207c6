// Package binstrings reads the printable text out of files no other
// extractor recognises (Outlook PST, OneNote, CAB, PKCS#7 envelopes,
// unknown binaries), as forensic tools' "strings" pass does: runs of
// printable ASCII/UTF-8 and of UTF-16LE, so that names, e-mail addresses
// and IOCs inside an unknown format are still searchable.
//
// Random or compressed bytes also contain short printable runs by chance.
// Runs shorter than MinRun are dropped, and when the runs kept cover less
// than MinShare of the file the content is reported as unrecognised (an
// ErrUnsupported error) rather than indexed as noise.
package binstrings

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/sniff"
)

// Tuning: a run of 6 printable characters is rare in random bytes, and a
// real document in an unknown container is mostly text.
const (
	MinRun   = 6
	MinShare = 0.03
)

// Name is the extractor name stored with the text. Later stages test it:
// printable runs of a binary are not prose, so they get no language label
// and are not translated.
const Name = "strings"

// Extractor is the fallback for unrecognised binary content. It is safe
// for concurrent use.
type Extractor struct{}

var _ extract.Extractor = Extractor{}

// Name implements extract.Extractor.
func (Extractor) Name() string { return Name }

// Accepts implements extract.Extractor.
func (Extractor) Accepts() []string { return []string{sniff.Binary} }

// Extract implements extract.Extractor.
func (Extractor) Extract(ctx context.Context, in *extract.Input, out extract.Sink) error {
	f, err := in.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	max := in.Limits.MaxText
	if max <= 0 {
		max = 32 << 20
	}
	var b strings.Builder
	kept, err := Scan(ctx, bufio.NewReaderSize(f, 256<<10), max, func(run string) { b.WriteString(run); b.WriteByte('\n') })
	if errors.Is(err, errNoText) {
		return fmt.Errorf("unrecognised binary content, no printable text in the first 16 MiB: %w", extract.ErrUnsupported)
	}
	if err != nil {
		return err
	}
	if in.Size > 0 && float64(kept)/float64(in.Size) < MinShare {
		return fmt.Errorf("unrecognised binary content, %d of %d bytes printable: %w", kept, in.Size, extract.ErrUnsupported)
	}
	out.Flag("strings-only")
	out.Text(b.String())
	return nil
}

// errNoText ends a scan that found no text in the first 16 MiB.
var errNoText = errors.New("no text in the first 16 MiB")

// Scan calls emit for every printable run of at least MinRun characters,
// ASCII/UTF-8 or UTF-16LE, until max bytes of runs were emitted. It returns
// how many bytes of input the emitted runs covered.
func Scan(ctx context.Context, r io.ByteReader, max int64, emit func(string)) (int64, error) {
	var cur, wide []rune
	var covered, emitted int64
	var prev byte
	var pos int64
	var spans coverage
	// flush emits a run that ended at byte offset end.
	flush := func(run *[]rune, width, end int64) {
		if width == 2 && asciiPairs(*run) {
			*run = (*run)[:0]
			return
		}
		if len(*run) >= MinRun && emitted < max {
			s := string(*run)
			emit(s)
			emitted += int64(len(s))
			covered += spans.add(end-int64(len(*run))*width, end)
		}
		*run = (*run)[:0]
	}
	for {
		c, err := r.ReadByte()
		if err == io.EOF {
			break
		}
		if err != nil {
			return covered, err
		}
		if pos&0xfffff == 0 {
			if ctx.Err() != nil {
				return covered, ctx.Err()
			}
			// Past the first 16 MiB, a file that is not text so far
			// (random, compressed, media) will not become text: stop
			// rather than read gigabytes of noise.
			if pos >= 16<<20 && float64(covered) < MinShare*float64(pos) {
				return covered, errNoText
			}
		}
		if emitted >= max {
			break
		}
		// Narrow runs: printable ASCII and tabs. (UTF-8 multi-byte text in
		// an unknown container is rare; the UTF-16 path covers Windows.)
		if c >= 0x20 && c < 0x7f || c == '\t' {
			cur = append(cur, rune(c))
		} else {
			flush(&cur, 1, pos)
		}
		// Wide runs: a printable BMP character in little-endian UTF-16
		// at even positions.
		if pos&1 == 1 {
			ch := rune(prev) | rune(c)<<8
			if isWidePrintable(ch) {
				wide = append(wide, ch)
			} else {
				flush(&wide, 2, pos-1)
			}
		}
		prev = c
		pos++
	}
	flush(&cur, 1, pos)
	flush(&wide, 2, pos&^1)
	return covered, nil
}

// coverage is the union of the byte ranges covered by emitted runs. A
// narrow run and a wide run can read the same bytes ("0000" is both
// ASCII and U+3030 U+3030): counting both would let noise pass MinShare
// and report more bytes covered than the input has.
type coverage struct {
	spans [][2]int64 // disjoint, sorted; runs end near the read position, so few are kept
}

// add records [start, end) and returns how many of its bytes were not
// covered yet.
func (c *coverage) add(start, end int64) int64 {
	if start >= end {
		return 0
	}
	fresh := end - start
	i := len(c.spans)
	for i > 0 && c.spans[i-1][1] > start {
		i--
	}
	// spans[i:] end after start: subtract their overlap and merge.
	lo, hi := start, end
	var keep [][2]int64
	for _, s := range c.spans[i:] {
		if s[0] >= end {
			keep = append(keep, s) // wholly after the new range
			continue
		}
		fresh -= min(s[1], end) - max(s[0], start)
		lo, hi = min(lo, s[0]), max(hi, s[1])
	}
	c.spans = append(append(c.spans[:i], [2]int64{lo, hi}), keep...)
	// Keep the list short: the oldest spans become their hull. A later
	// run over a gap inside the hull then counts a little less, never
	// more, so covered stays within the input.
	if len(c.spans) > 64 {
		n := len(c.spans) - 32
		c.spans[n-1] = [2]int64{c.spans[0][0], c.spans[n-1][1]}
		c.spans = append(c.spans[:0], c.spans[n-1:]...)
	}
	return fresh
}

// asciiPairs reports whether a wide run is really narrow text read at the
// wrong width ("wo" reads as U+6F77): in genuine UTF-16 at least a fifth
// of the bytes are not printable ASCII (the zero high bytes of Latin text,
// the high bytes of most CJK characters).
func asciiPairs(run []rune) bool {
	other := 0
	for _, r := range run {
		for _, b := range [2]byte{byte(r), byte(r >> 8)} {
			if b < 0x20 || b >= 0x7f {
				other++
			}
		}
	}
	return other*5 < len(run)*2
}

func isWidePrintable(r rune) bool {
	switch {
	case r >= 0x20 && r < 0x7f, r == '\t':
		return true
	case r >= 0x4e00 && r <= 0x9fff, r >= 0x3000 && r <= 0x303f, r >= 0xff00 && r <= 0xffef:
		return true // CJK and its punctuation
	case r >= 0xa0 && r <= 0x17f, r >= 0x410 && r <= 0x44f:
		return true // Latin-1, Latin Extended-A, Cyrillic letters
	}
	return false
}
