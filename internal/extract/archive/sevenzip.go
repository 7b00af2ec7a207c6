package archive

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"strings"

	"github.com/bodgit/sevenzip"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/sniff"
)

// SevenZip reads a 7z archive with bodgit/sevenzip, in archive order so
// that solid blocks are decompressed once.
type SevenZip struct{}

var _ extract.Extractor = SevenZip{}

// Name implements extract.Extractor.
func (SevenZip) Name() string { return "7z" }

// Accepts implements extract.Extractor.
func (SevenZip) Accepts() []string { return []string{sniff.SevenZip} }

// Extract implements extract.Extractor.
func (SevenZip) Extract(ctx context.Context, in *extract.Input, out extract.Sink) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f, err := in.Open()
	if err != nil {
		return fmt.Errorf("7z: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("7z: %w", err)
	}
	c := newContainer(out)
	zr, err := sevenzip.NewReader(f, st.Size())
	if err != nil {
		if sevenEncrypted(err) {
			c.flag(FlagEncrypted)
			return fmt.Errorf("7z: encrypted headers: %w: %w", extract.ErrEncrypted, err)
		}
		if st.Size() < 32 || strings.Contains(err.Error(), "EOF") {
			c.flag(FlagTruncated)
		} else {
			c.flag(FlagCorrupt)
		}
		return fmt.Errorf("7z: %w", err)
	}
	var damage []error
	for _, zf := range zr.File {
		if err := ctx.Err(); err != nil {
			return err
		}
		memberErr, fatal := sevenMember(ctx, c, zf)
		if fatal != nil {
			return fatal
		}
		if memberErr != nil {
			damage = append(damage, memberErr)
		}
	}
	if len(damage) > 0 {
		return fmt.Errorf("7z: %d damaged members: %w", len(damage), errors.Join(damage...))
	}
	return nil
}

func sevenMember(ctx context.Context, c *container, zf *sevenzip.File) (memberErr, fatal error) {
	mode := zf.Mode()
	if mode.IsDir() {
		return nil, nil
	}
	if !mode.IsRegular() && mode&fs.ModeSymlink == 0 {
		return nil, nil
	}
	name, flags := nameChild(zf.Name)
	size := int64(min(zf.UncompressedSize, math.MaxInt64))
	rc, err := zf.Open()
	if err != nil {
		if sevenEncrypted(err) {
			return nil, c.encrypted(ctx, name, size, flags)
		}
		c.damaged(err)
		return fmt.Errorf("member %q: %w", name, err), nil
	}
	defer rc.Close()
	ch := extract.Child{Name: name, ModTime: zf.Modified, Flags: flags, Size: -1}
	if zf.UncompressedSize <= math.MaxInt64 {
		ch.Size = int64(zf.UncompressedSize)
	}
	if mode&fs.ModeSymlink != 0 {
		target, err := readLinkTarget(rc)
		if err != nil {
			if sevenEncrypted(err) {
				return nil, c.encrypted(ctx, name, size, flags)
			}
			c.damaged(err)
			return fmt.Errorf("member %q: link target: %w", name, err), nil
		}
		ch.Link, ch.Size = target, -1
	} else {
		// The first read tells an encrypted member apart before the sink
		// sees a body, so that it is skipped rather than stored as garbage.
		pr := &peekReader{r: rc}
		if err := pr.peek(); err != nil {
			if sevenEncrypted(err) {
				return nil, c.encrypted(ctx, name, size, flags)
			}
		}
		ch.R = pr
	}
	memberErr, fatal = c.emit(ctx, ch)
	if memberErr != nil {
		if sevenEncrypted(memberErr) {
			c.flag(FlagEncrypted)
			return nil, fatal
		}
		c.damaged(memberErr)
		memberErr = fmt.Errorf("member %q: %w", name, memberErr)
	}
	return memberErr, fatal
}

// sevenEncrypted reports whether err comes from content that needs a
// password.
func sevenEncrypted(err error) bool {
	var re sevenzip.ReadError
	if errors.As(err, &re) && re.Encrypted {
		return true
	}
	var rp *sevenzip.ReadError
	if errors.As(err, &rp) && rp.Encrypted {
		return true
	}
	s := err.Error()
	return strings.Contains(s, "password") || strings.Contains(s, "aes7z")
}
