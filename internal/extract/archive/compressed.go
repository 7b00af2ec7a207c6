package archive

import (
	"bufio"
	"compress/bzip2"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/ulikunitz/xz"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/sniff"
)

// Compressed reads a gzip, bzip2 or xz stream. When the decompressed bytes
// are a tar, its members are the children directly (x.tar.gz!/dir/a.txt,
// no intermediate x.tar); otherwise the stream is one child named after
// the gzip header's file name or the input name without its extension.
type Compressed struct{}

var _ extract.Extractor = Compressed{}

// Name implements extract.Extractor.
func (Compressed) Name() string { return "compressed" }

// Accepts implements extract.Extractor.
func (Compressed) Accepts() []string { return []string{sniff.Gzip, sniff.Bzip2, sniff.XZ} }

// Extract implements extract.Extractor.
func (Compressed) Extract(ctx context.Context, in *extract.Input, out extract.Sink) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f, err := in.Open()
	if err != nil {
		return fmt.Errorf("%s: %w", in.MIME, err)
	}
	defer f.Close()
	c := newContainer(out)
	br := bufio.NewReaderSize(f, 64<<10)
	var (
		r       io.Reader
		name    string
		modTime = zeroTime
		kind    string
	)
	switch in.MIME {
	case sniff.Gzip:
		kind = "gzip"
		zr, err := gzip.NewReader(br)
		if err != nil {
			c.damaged(err)
			return fmt.Errorf("gzip: header: %w", err)
		}
		defer zr.Close()
		name, modTime = zr.Name, zr.ModTime
		r = zr
	case sniff.Bzip2:
		kind = "bzip2"
		r = bzip2.NewReader(br)
	case sniff.XZ:
		kind = "xz"
		zr, err := xz.NewReader(br)
		if err != nil {
			c.damaged(err)
			return fmt.Errorf("xz: header: %w", err)
		}
		r = zr
	default:
		return fmt.Errorf("compressed %s: %w", in.MIME, extract.ErrUnsupported)
	}
	dr := bufio.NewReaderSize(r, 64<<10)
	head, err := dr.Peek(512)
	if err != nil && err != io.EOF && !errors.Is(err, io.ErrUnexpectedEOF) && len(head) == 0 {
		c.damaged(err)
		return fmt.Errorf("%s: %w", kind, err)
	}
	if isTarHeader(head) {
		if err := readTar(ctx, dr, c); err != nil {
			return fmt.Errorf("%s: %w", kind, err)
		}
		return nil
	}
	if name == "" {
		name = stripExt(path.Base(in.Name))
	}
	cname, flags := nameChild(name)
	memberErr, fatal := c.emit(ctx, extract.Child{Name: cname, R: dr, Size: -1, ModTime: modTime, Flags: flags})
	if fatal != nil {
		return fatal
	}
	if memberErr != nil {
		c.damaged(memberErr)
		return fmt.Errorf("%s: %w", kind, memberErr)
	}
	return nil
}

// stripExt names the decompressed content of a file called name.
func stripExt(name string) string {
	lower := strings.ToLower(name)
	for _, s := range []struct{ ext, repl string }{
		{".tgz", ".tar"}, {".taz", ".tar"}, {".tbz2", ".tar"}, {".tbz", ".tar"}, {".txz", ".tar"},
		{".gz", ""}, {".gzip", ""}, {".z", ""}, {".bz2", ""}, {".bz", ""}, {".bzip2", ""}, {".xz", ""},
	} {
		if strings.HasSuffix(lower, s.ext) && len(name) > len(s.ext) {
			return name[:len(name)-len(s.ext)] + s.repl
		}
	}
	if name == "" || name == "." || name == "/" {
		return "data"
	}
	return name + ".out"
}
