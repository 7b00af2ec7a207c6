package ingest

import (
	"io"
	"sync/atomic"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/leak"
)

// budget tracks bytes expanded out of one top-level file, across every
// nesting level.
type budget struct {
	limits leak.Limits
	// expanded is shared by every member of the top-level file, which
	// several goroutines may be extracting at once.
	expanded atomic.Int64
}

// container tracks one open container: its size, what it has produced.
type container struct {
	b       *budget
	size    int64
	out     int64
	entries int
}

// meter counts bytes read from a member and enforces the limits as they
// grow, so a zip bomb is stopped after MaxRatio x its size, not after it
// has filled the disk.
type meter struct {
	r    io.Reader
	c    *container
	n    int64
	err  error
	size int64 // MaxFileSize
}

func (m *meter) Read(p []byte) (int, error) {
	if m.err != nil {
		return 0, m.err
	}
	n, err := m.r.Read(p)
	m.n += int64(n)
	m.c.out += int64(n)
	expanded := m.c.b.expanded.Add(int64(n))
	l := m.c.b.limits
	switch {
	case m.n > m.size:
		m.err = &extract.LimitError{What: "size", Limit: m.size, Got: m.n}
	case l.MaxExpanded > 0 && expanded > l.MaxExpanded:
		m.err = &extract.LimitError{What: "expanded", Limit: l.MaxExpanded, Got: expanded}
	case l.MaxRatio > 0 && m.c.out > l.MinRatioBytes && float64(m.c.out) > l.MaxRatio*float64(max(m.c.size, 1)):
		m.err = &extract.LimitError{What: "ratio", Limit: int64(l.MaxRatio * float64(max(m.c.size, 1))), Got: m.c.out, Per: max(m.c.size, 1)}
	}
	if m.err != nil {
		return n, m.err
	}
	return n, err
}
