package archive

import (
	"archive/tar"
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/sniff"
)

// Tar reads a tar archive (ustar, pax, GNU, V7).
type Tar struct{}

var _ extract.Extractor = Tar{}

// Name implements extract.Extractor.
func (Tar) Name() string { return "tar" }

// Accepts implements extract.Extractor.
func (Tar) Accepts() []string { return []string{sniff.Tar} }

// Extract implements extract.Extractor.
func (Tar) Extract(ctx context.Context, in *extract.Input, out extract.Sink) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f, err := in.Open()
	if err != nil {
		return fmt.Errorf("tar: %w", err)
	}
	defer f.Close()
	return readTar(ctx, bufio.NewReaderSize(f, 64<<10), newContainer(out))
}

// readTar hands every member of the tar stream r to c. It is shared with
// Compressed, which reads a tar inside a gzip, bzip2 or xz stream directly.
func readTar(ctx context.Context, r io.Reader, c *container) error {
	tr := tar.NewReader(r)
	var damage []error
	for n := 0; ; n++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			if n == 0 && !errors.Is(err, io.ErrUnexpectedEOF) {
				c.flag(FlagCorrupt)
				return fmt.Errorf("tar: not a readable tar: %w", err)
			}
			c.damaged(err)
			return errors.Join(append(damage, fmt.Errorf("tar: after %d members: %w", n, err))...)
		}
		name, flags := nameChild(hdr.Name)
		ch := extract.Child{Name: name, Size: hdr.Size, ModTime: hdr.ModTime, Flags: flags}
		hard := false
		switch hdr.Typeflag {
		case tar.TypeReg, '\x00', tar.TypeGNUSparse, tar.TypeCont: // '\x00': old-style regular file
			ch.R = tr
		case tar.TypeSymlink:
			ch.Link, ch.Size = hdr.Linkname, -1
		case tar.TypeLink:
			ch.Link, ch.Size, hard = hdr.Linkname, -1, true
		default: // directories, devices, fifos: no content
			continue
		}
		if ch.Link == "" && ch.R == nil {
			continue
		}
		memberErr, fatal := c.emitLink(ctx, ch, hard)
		if fatal != nil {
			return fatal
		}
		if memberErr != nil {
			// The stream is positioned mid-member; tar cannot resync.
			c.damaged(memberErr)
			return errors.Join(append(damage, fmt.Errorf("tar: member %q: %w", name, memberErr))...)
		}
	}
	return errors.Join(damage...)
}
