package unixarc

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/sniff"
)

// maxName bounds a member name read from the archive: cpio declares the
// length of each, and a hostile one declares four gigabytes.
const maxName = 64 << 10

// ErrFormat is a damaged archive.
var ErrFormat = errors.New("unixarc: bad format")

// Extractor reads ar and cpio archives. It is stateless and safe for
// concurrent use.
type Extractor struct{}

var _ extract.Extractor = Extractor{}

// Name implements extract.Extractor.
func (Extractor) Name() string { return "unixarc" }

// Accepts implements extract.Extractor.
func (Extractor) Accepts() []string { return []string{sniff.Ar, sniff.Cpio} }

// Extract implements extract.Extractor.
func (Extractor) Extract(ctx context.Context, in *extract.Input, out extract.Sink) error {
	f, err := in.Open()
	if err != nil {
		return fmt.Errorf("unixarc: %w", err)
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 64<<10)
	n := 0
	emit := func(c extract.Child) error {
		n++
		if in.Limits.MaxEntries > 0 && n > in.Limits.MaxEntries {
			return &extract.LimitError{What: "entries", Limit: int64(in.Limits.MaxEntries), Got: int64(n)}
		}
		return out.Child(ctx, c)
	}
	switch in.MIME {
	case sniff.Ar:
		err = readAr(ctx, br, emit)
	case sniff.Cpio:
		err = readCpio(ctx, br, emit)
	default:
		err = extract.ErrUnsupported
	}
	if err != nil {
		return fmt.Errorf("unixarc %s: %w", in.Name, err)
	}
	return nil
}

// member reads a member body of size bytes through the emit function,
// then skips what the pipeline did not read and the padding after it.
func member(br *bufio.Reader, c extract.Child, pad int64, emit func(extract.Child) error) error {
	lr := &io.LimitedReader{R: br, N: c.Size}
	c.R = lr
	if err := emit(c); err != nil && extract.IsLimit(err) {
		return err
	}
	if _, err := io.Copy(io.Discard, lr); err != nil {
		return err
	}
	if lr.N > 0 {
		return fmt.Errorf("member %q: %d bytes short: %w", c.Name, lr.N, ErrFormat)
	}
	if _, err := br.Discard(int(pad)); err != nil && pad > 0 {
		return nil // padding missing at the very end is harmless
	}
	return nil
}

// readAr reads a System V / GNU or BSD ar archive.
func readAr(ctx context.Context, br *bufio.Reader, emit func(extract.Child) error) error {
	if _, err := br.Discard(8); err != nil { // "!<arch>\n"
		return ErrFormat
	}
	var longNames []byte
	h := make([]byte, 60)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		if _, err := io.ReadFull(br, h); err != nil {
			if err == io.EOF {
				return nil
			}
			return fmt.Errorf("header: %w", ErrFormat)
		}
		if h[58] != '`' || h[59] != '\n' {
			return fmt.Errorf("header magic: %w", ErrFormat)
		}
		size, err := strconv.ParseInt(strings.TrimSpace(string(h[48:58])), 10, 64)
		if err != nil || size < 0 {
			return fmt.Errorf("member size %q: %w", h[48:58], ErrFormat)
		}
		name := strings.TrimRight(string(h[:16]), " ")
		pad := size % 2
		switch {
		case name == "//": // GNU long-name table
			if size > maxName*16 {
				return fmt.Errorf("long-name table of %d bytes: %w", size, ErrFormat)
			}
			longNames = make([]byte, size)
			if _, err := io.ReadFull(br, longNames); err != nil {
				return fmt.Errorf("long-name table: %w", ErrFormat)
			}
			br.Discard(int(pad))
			continue
		case name == "/" || name == "/SYM64/" || name == "__.SYMDEF" || name == "__.SYMDEF SORTED":
			if err := skip(br, size+pad); err != nil {
				return err
			}
			continue
		case strings.HasPrefix(name, "#1/"): // BSD: the name precedes the body
			nl, err := strconv.Atoi(name[3:])
			if err != nil || nl < 0 || nl > maxName || int64(nl) > size {
				return fmt.Errorf("bsd name length %q: %w", name, ErrFormat)
			}
			b := make([]byte, nl)
			if _, err := io.ReadFull(br, b); err != nil {
				return fmt.Errorf("bsd name: %w", ErrFormat)
			}
			name, size = string(bytes.TrimRight(b, "\x00")), size-int64(nl)
		case strings.HasPrefix(name, "/") && len(name) > 1: // GNU: offset into the table
			off, err := strconv.Atoi(name[1:])
			if err != nil || off < 0 || off >= len(longNames) {
				return fmt.Errorf("long name %q: %w", name, ErrFormat)
			}
			rest := longNames[off:]
			if i := bytes.Index(rest, []byte("/\n")); i >= 0 {
				rest = rest[:i]
			}
			name = string(rest)
		default:
			name = strings.TrimSuffix(name, "/") // GNU ends short names with "/"
		}
		if err := member(br, extract.Child{Name: name, Size: size}, pad, emit); err != nil {
			return err
		}
	}
}

func skip(br *bufio.Reader, n int64) error {
	if _, err := io.CopyN(io.Discard, br, n); err != nil {
		return fmt.Errorf("skip: %w", ErrFormat)
	}
	return nil
}

// readCpio reads a cpio archive in the new ASCII format ("070701",
// "070702", the one Linux and RPM write) or the old portable ASCII format
// ("070707").
func readCpio(ctx context.Context, br *bufio.Reader, emit func(extract.Child) error) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		magic, err := br.Peek(6)
		if err != nil {
			return nil // end of data without a trailer: keep what was read
		}
		var mode, nameLen, size int64
		var hdrLen int64
		var align int64
		switch string(magic) {
		case "070701", "070702":
			h := make([]byte, 110)
			if _, err := io.ReadFull(br, h); err != nil {
				return fmt.Errorf("header: %w", ErrFormat)
			}
			field := func(i int) (int64, error) { return strconv.ParseInt(string(h[6+8*i:14+8*i]), 16, 64) }
			var e1, e2, e3 error
			mode, e1 = field(1)
			size, e2 = field(6)
			nameLen, e3 = field(11)
			if e := errors.Join(e1, e2, e3); e != nil {
				return fmt.Errorf("header fields: %w", ErrFormat)
			}
			hdrLen, align = 110, 4
		case "070707":
			h := make([]byte, 76)
			if _, err := io.ReadFull(br, h); err != nil {
				return fmt.Errorf("header: %w", ErrFormat)
			}
			var e1, e2, e3 error
			mode, e1 = strconv.ParseInt(string(h[18:24]), 8, 64)
			nameLen, e2 = strconv.ParseInt(string(h[59:65]), 8, 64)
			size, e3 = strconv.ParseInt(string(h[65:76]), 8, 64)
			if e := errors.Join(e1, e2, e3); e != nil {
				return fmt.Errorf("header fields: %w", ErrFormat)
			}
			hdrLen, align = 76, 1
		default:
			if bytes.Equal(magic, make([]byte, 6)) {
				return nil // zero padding after the trailer
			}
			return fmt.Errorf("magic %q: %w", magic, ErrFormat)
		}
		if nameLen <= 0 || nameLen > maxName || size < 0 {
			return fmt.Errorf("name of %d bytes, body of %d: %w", nameLen, size, ErrFormat)
		}
		nb := make([]byte, nameLen)
		if _, err := io.ReadFull(br, nb); err != nil {
			return fmt.Errorf("name: %w", ErrFormat)
		}
		name := string(bytes.TrimRight(nb, "\x00"))
		if err := skip(br, padTo(hdrLen+nameLen, align)); err != nil {
			return err
		}
		if name == "TRAILER!!!" {
			return nil
		}
		pad := padTo(size, align)
		switch mode & 0o170000 {
		case 0o100000: // regular file
			if err := member(br, extract.Child{Name: name, Size: size}, pad, emit); err != nil {
				return err
			}
		case 0o120000: // symbolic link: the body is the target
			if size > maxName {
				return fmt.Errorf("link target of %d bytes: %w", size, ErrFormat)
			}
			t := make([]byte, size)
			if _, err := io.ReadFull(br, t); err != nil {
				return fmt.Errorf("link target: %w", ErrFormat)
			}
			br.Discard(int(pad))
			if err := emit(extract.Child{Name: name, Link: string(t), Size: -1}); err != nil && extract.IsLimit(err) {
				return err
			}
		default: // directories, devices, fifos: nothing to store
			if err := skip(br, size+pad); err != nil {
				return err
			}
		}
	}
}

// padTo is how many bytes bring n to a multiple of align.
func padTo(n, align int64) int64 {
	if align <= 1 {
		return 0
	}
	return (align - n%align) % align
}
