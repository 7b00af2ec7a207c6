package text

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"regexp"
	"unicode/utf8"

	"github.com/leakscope/leakscope/internal/charset"
	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/sniff"
)

// Flags recorded by this package.
const (
	FlagTruncated = "truncated"
	FlagLongLine  = "long-line"
)

// LongLine is the line length, in bytes, above which a file is flagged
// "long-line".
const LongLine = 1 << 20

// chunk is how much decoded text is handed to the Sink at a time.
const chunk = 256 << 10

// Extractor extracts plain text, Markdown, JSON and XML. It is stateless
// and safe for concurrent use.
type Extractor struct{}

var _ extract.Extractor = Extractor{}

// Name implements extract.Extractor.
func (Extractor) Name() string { return "text" }

// Accepts implements extract.Extractor.
func (Extractor) Accepts() []string {
	return []string{sniff.Text, sniff.Markdown, sniff.JSON, sniff.XML}
}

// Extract implements extract.Extractor.
func (Extractor) Extract(ctx context.Context, in *extract.Input, out extract.Sink) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("text %s: %w", in.Name, err)
	}
	f, err := in.Open()
	if err != nil {
		return fmt.Errorf("text: %w", err)
	}
	defer f.Close()
	r, name, err := Open(f, in.MIME == sniff.XML)
	if err != nil {
		return fmt.Errorf("text %s: %w", in.Name, err)
	}
	out.Meta("charset", name)
	if err := Stream(ctx, r, in.Limits.MaxText, out); err != nil {
		return fmt.Errorf("text %s: %w", in.Name, err)
	}
	return nil
}

var xmlEncoding = regexp.MustCompile(`^(?:\xef\xbb\xbf)?\s*<\?xml[^>]*\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']`)

// Open detects the encoding of r and returns a reader of its UTF-8 text
// and the encoding's stored name. With xmlDecl, an encoding declared by an
// XML declaration is used when the bytes have neither a byte-order mark
// nor the shape of UTF-8 or UTF-16.
func Open(r io.Reader, xmlDecl bool) (io.Reader, string, error) {
	if !xmlDecl {
		return charset.NewReader(r)
	}
	br := bufio.NewReaderSize(r, charset.SampleSize)
	head, err := br.Peek(charset.SampleSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, "", err
	}
	if m := xmlEncoding.FindSubmatch(head[:min(len(head), 512)]); m != nil {
		switch charset.Detect(head) {
		case charset.UTF8, charset.UTF8BOM, charset.UTF16LE, charset.UTF16BE:
		default:
			if name, ok := charset.Lookup(string(m[1])); ok {
				dr, err := charset.NewReaderAs(br, name)
				return dr, name, err
			}
		}
	}
	return charset.NewReader(br)
}

// Stream copies the UTF-8 text of r to out in chunks split at rune
// boundaries, stopping after max bytes (0: no limit) with the "truncated"
// flag, and flagging a line longer than LongLine. It checks ctx between
// chunks.
func Stream(ctx context.Context, r io.Reader, max int64, out extract.Sink) error {
	buf := make([]byte, chunk+utf8.UTFMax)
	var carry int // bytes of a cut rune kept at the start of buf
	var total int64
	line := 0
	longFlagged := false
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, rerr := io.ReadFull(r, buf[carry:chunk])
		n += carry
		eof := rerr == io.EOF || rerr == io.ErrUnexpectedEOF
		if rerr != nil && !eof {
			return rerr
		}
		end := n
		if !eof {
			end = runeBoundary(buf[:n])
		}
		piece := buf[:end]
		if max > 0 && total+int64(len(piece)) > max {
			piece = piece[:runeBoundary(piece[:max-total])]
			emit(out, piece, &line, &longFlagged)
			out.Flag(FlagTruncated)
			return nil
		}
		emit(out, piece, &line, &longFlagged)
		total += int64(len(piece))
		if eof {
			return nil
		}
		carry = copy(buf, buf[end:n])
	}
}

// emit hands p to out, tracking the length of the current line.
func emit(out extract.Sink, p []byte, line *int, flagged *bool) {
	if len(p) == 0 {
		return
	}
	if !*flagged {
		rest := p
		for {
			i := bytes.IndexByte(rest, '\n')
			if i < 0 {
				*line += len(rest)
				break
			}
			if *line+i > LongLine {
				*line = LongLine + 1
				break
			}
			*line = 0
			rest = rest[i+1:]
		}
		if *line > LongLine {
			out.Flag(FlagLongLine)
			*flagged = true
		}
	}
	out.Text(string(p))
}

// runeBoundary returns the length of the longest prefix of p that does not
// end in a cut UTF-8 sequence.
func runeBoundary(p []byte) int {
	for i := 1; i <= utf8.UTFMax && i <= len(p); i++ {
		if utf8.RuneStart(p[len(p)-i]) {
			if utf8.FullRune(p[len(p)-i:]) {
				return len(p)
			}
			return len(p) - i
		}
	}
	return len(p)
}
