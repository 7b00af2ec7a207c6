package caseview

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/leakscope/leakscope/internal/server"
	"github.com/leakscope/leakscope/internal/sniff"
	"github.com/leakscope/leakscope/internal/tool"
)

// Page previews are rendered by poppler's pdftoppm from the original in
// the blob store and cached as previews/<sha256>-<page>.png in the case
// directory. The PNG is only ever served as image/png; nothing of the PDF
// reaches the browser.
const (
	previewDir     = "previews"
	previewDPI     = "80"
	previewTimeout = 30 * time.Second
	// previewMaxPx crops the rendered area, so that a PDF with an absurd
	// page size cannot make pdftoppm allocate gigabytes: 1600 x 2400
	// pixels at 80 dpi is a 20 x 30 inch page.
	previewMaxW, previewMaxH = "1600", "2400"
	previewMaxOut            = 32 << 20
)

var pngMagic = []byte("\x89PNG\r\n\x1a\n")

// previewLimit is how many pdftoppm run at once for the server: a page
// full of lazy-loaded thumbnails must not start one per image.
const previewLimit = 2

// Preview renders page n of a PDF document as PNG, from the cache when it
// was rendered before.
func (b *Backend) Preview(ctx context.Context, id string, page int) ([]byte, error) {
	x, err := parseID(id)
	if err != nil {
		return nil, err
	}
	if page < 1 {
		return nil, fmt.Errorf("page %d: %w", page, server.ErrInvalid)
	}
	d, err := b.c.Store.Document(ctx, x)
	if err != nil {
		return nil, notFound(err, "document "+x.Short())
	}
	if d.MIME != sniff.PDF {
		return nil, fmt.Errorf("no page preview for %s (%s): %w", x.Short(), d.MIME, server.ErrNotFound)
	}
	name := previewDir + "/" + x.String() + "-" + strconv.Itoa(page) + ".png"
	root, err := os.OpenRoot(b.c.Dir)
	if err != nil {
		return nil, fmt.Errorf("preview: %w", err)
	}
	defer root.Close()
	if img, err := root.ReadFile(name); err == nil && bytes.HasPrefix(img, pngMagic) {
		return img, nil
	}
	if !b.c.Blobs.Has(x) {
		return nil, fmt.Errorf("original of %s: %w", x.Short(), server.ErrNotFound)
	}
	if err := b.previews.Acquire(ctx); err != nil {
		return nil, err
	}
	n := strconv.Itoa(page)
	res, err := tool.Run(ctx, tool.Cmd{Name: "pdftoppm", Timeout: previewTimeout, MaxOut: previewMaxOut,
		Args: []string{"-r", previewDPI, "-png", "-f", n, "-l", n, "-x", "0", "-y", "0", "-W", previewMaxW, "-H", previewMaxH,
			"-singlefile", b.c.Blobs.Path(x)}})
	b.previews.Release()
	switch {
	case errors.Is(err, tool.ErrMissing):
		return nil, fmt.Errorf("page previews need poppler-utils (pdftoppm): %w", server.ErrUnavailable)
	case err != nil:
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		// A PDF that poppler cannot render is the document's problem,
		// not the server's: there is no such page image.
		b.log.Debug("preview", "doc", x.Short(), "page", page, "err", err)
		return nil, fmt.Errorf("page %d of %s could not be rendered: %w", page, x.Short(), server.ErrNotFound)
	case res.Truncated:
		return nil, fmt.Errorf("page %d of %s: image over %d bytes: %w", page, x.Short(), previewMaxOut, server.ErrNotFound)
	case len(res.Stdout) == 0:
		// pdftoppm exits 0 with nothing for a page past the end.
		return nil, fmt.Errorf("page %d of %s: %w", page, x.Short(), server.ErrNotFound)
	case !bytes.HasPrefix(res.Stdout, pngMagic):
		return nil, fmt.Errorf("page %d of %s: renderer output is not a PNG", page, x.Short())
	}
	b.cachePreview(root, name, res.Stdout)
	return res.Stdout, nil
}

// cachePreview stores a rendered page; a case on read-only storage just
// renders again next time.
func (b *Backend) cachePreview(root *os.Root, name string, img []byte) {
	if err := root.MkdirAll(previewDir, 0o755); err != nil {
		b.log.Debug("preview cache", "err", err)
		return
	}
	tmp := name + ".tmp" + strconv.FormatInt(time.Now().UnixNano(), 36)
	if err := root.WriteFile(tmp, img, 0o644); err != nil {
		b.log.Debug("preview cache", "err", err)
		return
	}
	if err := root.Rename(tmp, name); err != nil {
		root.Remove(tmp)
		b.log.Debug("preview cache", "err", err)
	}
}
