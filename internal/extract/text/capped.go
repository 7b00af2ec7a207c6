package text

import (
	"context"
	"unicode/utf8"

	"github.com/leakscope/leakscope/internal/extract"
)

// Capped is a Sink that passes at most Max bytes of text (body and page
// text together) to the Sink it wraps, cutting at a rune boundary and
// flagging "truncated" once. Extractors that build text from parsed
// structure (HTML, office files) write through it and stop parsing when
// Full reports true. Max 0 means no cap.
type Capped struct {
	extract.Sink
	Max     int64
	written int64
	full    bool
}

// Cap wraps out with the cap max.
func Cap(out extract.Sink, max int64) *Capped { return &Capped{Sink: out, Max: max} }

// Full reports whether the cap was reached; further text is dropped.
func (c *Capped) Full() bool { return c.full }

// Written is the number of text bytes passed on.
func (c *Capped) Written() int64 { return c.written }

// Text implements extract.Sink.
func (c *Capped) Text(s string) {
	if s = c.take(s); s != "" {
		c.Sink.Text(s)
	}
}

// Page implements extract.Sink. A page cut by the cap is passed on with
// the text that fits; pages after it are dropped.
func (c *Capped) Page(p extract.Page) {
	if c.full {
		return
	}
	p.Text = c.take(p.Text)
	c.Sink.Page(p)
}

// Child implements extract.Sink (unchanged; children are not text).
func (c *Capped) Child(ctx context.Context, ch extract.Child) error { return c.Sink.Child(ctx, ch) }

func (c *Capped) take(s string) string {
	if c.full {
		return ""
	}
	if c.Max <= 0 || c.written+int64(len(s)) <= c.Max {
		c.written += int64(len(s))
		return s
	}
	n := int(c.Max - c.written)
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	c.full = true
	c.Sink.Flag(FlagTruncated)
	c.written += int64(n)
	return s[:n]
}
