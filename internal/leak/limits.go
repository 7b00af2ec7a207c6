package leak

import (
	"errors"
	"flag"
	"time"
)

// MaxNesting is the deepest nesting of values inside one document that any
// parser follows: JSON arrays in arrays, MIME multiparts in multiparts,
// RTF groups, tables in table cells. Real documents stay far below it (an
// Acme Telecom chat export nests five levels); a file nesting deeper is
// malformed, and the parser stops there, keeps what it read and reports
// ErrNesting. It is a constant rather than a Limits field because it
// guards the stack of recursive parsers, not a budget an analyst tunes,
// and every parser must agree on it.
const MaxNesting = 512

// ErrNesting reports input nested deeper than MaxNesting. Parsers wrap it
// with their context; callers test it with errors.Is and flag the
// document "deep-nesting".
var ErrNesting = errors.New("nesting deeper than limit")

// FlagDeepNesting marks a document or occurrence that was cut at
// MaxNesting (inside a document) or at Limits.MaxDepth (containers).
const FlagDeepNesting = "deep-nesting"

// Limits bounds the work done on hostile input. The zero value is not
// useful; start from DefaultLimits.
type Limits struct {
	// MaxFileSize is the largest file or archive member that is stored.
	// Larger ones are recorded with a limit error and not read.
	MaxFileSize int64
	// MaxDepth is the deepest container nesting that is opened. A file at
	// the top of the ingested tree is at depth 0, a member of a zip at 1.
	MaxDepth int
	// MaxRatio is the largest expansion ratio (bytes out / bytes in) of one
	// container, checked once a container has produced MinRatioBytes.
	MaxRatio float64
	// MinRatioBytes is the output size below which the ratio is not checked,
	// so that tiny archives of text do not trip it.
	MinRatioBytes int64
	// MaxExpanded is the largest number of bytes expanded out of one
	// top-level file, counted across every nesting level.
	MaxExpanded int64
	// MaxEntries is the largest number of members read from one container.
	MaxEntries int
	// MaxPathLen is the longest member path, in bytes, accepted.
	MaxPathLen int
	// MaxText is the most text, in bytes, kept for one document.
	MaxText int64
	// ToolTimeout bounds each run of an external tool (pdftotext, tesseract).
	ToolTimeout time.Duration
	// ParseTimeout bounds the extraction of one document in Go code.
	ParseTimeout time.Duration
	// MaxPixels is the largest image, in pixels (width x height), that is
	// decoded or rendered: an image whose header declares more, or a PDF
	// page that would rasterise to more at the OCR resolution, is refused
	// (or rendered smaller) before any pixel is allocated. A 381 KB PNG
	// can declare 20,000 x 20,000 pixels, 1.6 GB once decoded. 0 means
	// DefaultMaxPixels.
	MaxPixels int64
	// ToolMemory caps the address space of each external tool run, in
	// bytes; a tool that hits it fails that document with a reason. 0
	// means DefaultToolMemory, negative no cap.
	ToolMemory int64
}

// Defaults of the fields whose zero value means "default", so that a
// Limits literal that sets only some fields stays safe.
const (
	// DefaultMaxPixels is 40 megapixels: an A4 page at 600 DPI is 35, a
	// phone photo 12 to 24; decoded as RGBA it is 160 MB.
	DefaultMaxPixels = 40_000_000
	// DefaultToolMemory is 2 GiB of address space per tool run.
	DefaultToolMemory = 2 << 30
)

// Pixels returns MaxPixels, or its default when unset.
func (l Limits) Pixels() int64 {
	if l.MaxPixels <= 0 {
		return DefaultMaxPixels
	}
	return l.MaxPixels
}

// DefaultLimits returns the limits used when none are given. They are sized
// for a laptop and a leak of millions of files: a 4 GiB file is read, a
// 1 GiB zip bomb is not.
func DefaultLimits() Limits {
	return Limits{
		MaxFileSize:   8 << 30,
		MaxDepth:      10,
		MaxRatio:      200,
		MinRatioBytes: 16 << 20,
		MaxExpanded:   4 << 30,
		MaxEntries:    200_000,
		MaxPathLen:    4096,
		MaxText:       32 << 20,
		ToolTimeout:   3 * time.Minute,
		ParseTimeout:  5 * time.Minute,
		MaxPixels:     DefaultMaxPixels,
		ToolMemory:    DefaultToolMemory,
	}
}

// Flags registers the limits on fs, with l's values as defaults.
func (l *Limits) Flags(fs *flag.FlagSet) {
	fs.Int64Var(&l.MaxFileSize, "max-file-size", l.MaxFileSize, "largest file or archive member stored, in bytes")
	fs.IntVar(&l.MaxDepth, "max-depth", l.MaxDepth, "deepest container nesting opened")
	fs.Float64Var(&l.MaxRatio, "max-ratio", l.MaxRatio, "largest expansion ratio of one container")
	fs.Int64Var(&l.MaxExpanded, "max-expanded", l.MaxExpanded, "most bytes expanded from one top-level file")
	fs.IntVar(&l.MaxEntries, "max-entries", l.MaxEntries, "most members read from one container")
	fs.IntVar(&l.MaxPathLen, "max-path-len", l.MaxPathLen, "longest member path accepted, in bytes")
	fs.Int64Var(&l.MaxText, "max-text", l.MaxText, "most text kept per document, in bytes")
	fs.DurationVar(&l.ToolTimeout, "tool-timeout", l.ToolTimeout, "time limit for one run of an external tool")
	fs.DurationVar(&l.ParseTimeout, "parse-timeout", l.ParseTimeout, "time limit for extracting one document")
	fs.Int64Var(&l.MaxPixels, "max-pixels", l.MaxPixels, "largest image or rendered PDF page decoded, in pixels")
	fs.Int64Var(&l.ToolMemory, "tool-memory", l.ToolMemory, "address-space cap of each external tool run, in bytes (negative: none)")
}
