package ocr

import (
	"context"
	"errors"
	"time"

	"github.com/leakscope/leakscope/internal/tool"
)

// Detach returns the context of one embedded OCR run (a PDF page, an
// image of a document): it ends after d, or as soon as ctx is cancelled
// (the ingest stopping), but not at ctx's deadline. That deadline is the
// whole document's parse budget; an OCR started just before it would
// otherwise get a sliver of time and fail, and with it the document. The
// caller checks ctx between runs, so the overrun is at most one d.
func Detach(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if d <= 0 {
		d = 2 * time.Minute
	}
	c, cancel := context.WithTimeout(context.WithoutCancel(ctx), d)
	stop := context.AfterFunc(ctx, func() {
		if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
			cancel()
		}
	})
	return c, func() { stop(); cancel() }
}

// IsTimeout reports whether err is an OCR run that ran out of time, by
// the tool's own timeout or by the deadline of its context: the caller
// flags the page or image and goes on.
func IsTimeout(err error) bool {
	return errors.Is(err, tool.ErrTimeout) || errors.Is(err, context.DeadlineExceeded)
}
