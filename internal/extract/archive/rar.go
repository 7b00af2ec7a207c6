package archive

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"

	"github.com/nwaples/rardecode/v2"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/sniff"
)

// maxRARDictionary bounds the decompression window a RAR member may ask
// for; RAR 5 allows up to 4 GiB (and RAR 7 more), which a hostile header
// would make every worker allocate.
const maxRARDictionary = 256 << 20

// RAR reads a RAR 1.5-5 archive as a stream with nwaples/rardecode. Only
// the first volume of a multi-volume set is read.
type RAR struct{}

var _ extract.Extractor = RAR{}

// Name implements extract.Extractor.
func (RAR) Name() string { return "rar" }

// Accepts implements extract.Extractor.
func (RAR) Accepts() []string { return []string{sniff.RAR} }

// Extract implements extract.Extractor.
func (RAR) Extract(ctx context.Context, in *extract.Input, out extract.Sink) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f, err := in.Open()
	if err != nil {
		return fmt.Errorf("rar: %w", err)
	}
	defer f.Close()
	c := newContainer(out)
	rr, err := rardecode.NewReader(bufio.NewReaderSize(f, 64<<10), rardecode.MaxDictionarySize(maxRARDictionary))
	if err != nil {
		return fmt.Errorf("rar: %w", rarDamage(c, err))
	}
	for n := 0; ; n++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		hdr, err := rr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("rar: after %d members: %w", n, rarDamage(c, err))
		}
		mode := hdr.Mode()
		if hdr.IsDir || mode.IsDir() {
			continue
		}
		name, flags := nameChild(hdr.Name)
		if hdr.Encrypted {
			size := hdr.UnPackedSize
			if hdr.UnKnownSize {
				size = -1
			}
			if err := c.encrypted(ctx, name, size, flags); err != nil {
				return err
			}
			continue
		}
		ch := extract.Child{Name: name, ModTime: hdr.ModificationTime, Flags: flags, Size: hdr.UnPackedSize}
		if hdr.UnKnownSize {
			ch.Size = -1
		}
		hard := false
		switch {
		case hdr.LinkTarget != "":
			ch.Link, ch.Size = hdr.LinkTarget, -1
			hard = hdr.LinkType == 4 // RAR 5 redirection type 4: hard link
		case mode&fs.ModeSymlink != 0:
			target, err := readLinkTarget(rr)
			if err != nil {
				return fmt.Errorf("rar: member %q: link target: %w", name, rarDamage(c, err))
			}
			ch.Link, ch.Size = target, -1
		case !mode.IsRegular():
			continue
		default:
			ch.R = rr
		}
		memberErr, fatal := c.emitLink(ctx, ch, hard)
		if fatal != nil {
			return fatal
		}
		if memberErr != nil {
			return fmt.Errorf("rar: member %q: %w", name, rarDamage(c, memberErr))
		}
	}
}

// rarDamage flags the container for err and returns err, wrapping
// extract.ErrEncrypted when a password is needed to go on.
func rarDamage(c *container, err error) error {
	switch {
	case errors.Is(err, rardecode.ErrArchiveEncrypted), errors.Is(err, rardecode.ErrArchivedFileEncrypted),
		errors.Is(err, rardecode.ErrBadPassword):
		c.flag(FlagEncrypted)
		return fmt.Errorf("%w: %w", extract.ErrEncrypted, err)
	case errors.Is(err, rardecode.ErrMultiVolume):
		c.flag(FlagMultiVolume)
	case errors.Is(err, rardecode.ErrDictionaryTooLarge):
		c.flag(FlagUnsupported)
	case errors.Is(err, rardecode.ErrUnexpectedArcEnd), errors.Is(err, rardecode.ErrShortFile):
		c.flag(FlagTruncated)
	default:
		c.damaged(err)
	}
	return err
}
