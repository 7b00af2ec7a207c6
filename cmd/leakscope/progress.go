package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"
)

// bar draws a one-line progress bar on a terminal. It knows nothing of
// the pipeline: it is fed counts.
type bar struct {
	w     io.Writer
	on    bool
	label string
}

func newBar(w io.Writer, quiet bool, label string) *bar {
	on := false
	if f, ok := w.(*os.File); ok && !quiet {
		on = term.IsTerminal(int(f.Fd()))
	}
	return &bar{w: w, on: on, label: label}
}

// draw shows done/total units and bytes with rates and ETA.
func (b *bar) draw(done, total, bytes, totalBytes int64, elapsed time.Duration) {
	if !b.on {
		return
	}
	secs := max(elapsed.Seconds(), 0.001)
	frac := 0.0
	switch {
	case totalBytes > 0:
		frac = float64(bytes) / float64(totalBytes)
	case total > 0:
		frac = float64(done) / float64(total)
	}
	frac = min(frac, 1)
	const width = 24
	fill := int(frac * width)
	eta := "?"
	if frac > 0.01 {
		eta = (time.Duration(secs/frac*(1-frac)) * time.Second).Round(time.Second).String()
	}
	fmt.Fprintf(b.w, "\r%s [%s%s] %d/%d files  %s/%s  %.0f files/s  %s/s  ETA %s \x1b[K",
		b.label, strings.Repeat("#", fill), strings.Repeat(".", width-fill), done, total,
		human(bytes), human(totalBytes), float64(done)/secs, human(int64(float64(bytes)/secs)), eta)
}

func (b *bar) done() {
	if b.on {
		fmt.Fprintln(b.w)
	}
}

func human(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
