// Package extract defines how a file's bytes become text, metadata and
// children, and holds the registry of extractors by MIME type.
//
// # Extractor
//
// An Extractor handles one level of one format family. It reads an Input,
// writes text, metadata and flags to a Sink, and hands container members
// (archive entries, mail attachments, git blobs) to Sink.Child. It never
// recurses: the ingest pipeline owns recursion, container chains, depth,
// expansion and byte budgets, so every limit lives in one place.
//
// # Sink
//
// Where an extractor writes. The pipeline's Sink caps text at Limits.MaxText
// and returns a *LimitError from Child when a budget is exhausted; an
// extractor must stop and return that error.
package extract

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/leakscope/leakscope/internal/leak"
)

// Extractor turns one level of one format into text and children.
// Implementations must be safe for concurrent use by several goroutines,
// each with its own Input and Sink.
type Extractor interface {
	// Name is stable and stored with the text: "text", "pdf", "ooxml".
	Name() string
	// Accepts lists the MIME types claimed; a type is claimed once.
	Accepts() []string
	// Extract reads in and writes to out, within in.Limits, honouring ctx.
	Extract(ctx context.Context, in *Input, out Sink) error
}

// Input is one file to extract.
type Input struct {
	// File is the path on disk of the bytes. It is read-only: never write,
	// rename or delete it.
	File string
	// Name is the name the file was found under (base name or member path).
	// It is a hint only: leaked names lie.
	Name string
	// MIME is the type sniffed from the content.
	MIME   string
	Size   int64
	Limits leak.Limits
	Log    *slog.Logger
	// TempDir is a scratch directory private to this call, removed after it.
	TempDir string
}

// Open opens the input's bytes for reading.
func (in *Input) Open() (*os.File, error) { return os.Open(in.File) }

// Page is a paged unit of text: a PDF page, a slide, a sheet, an OCR'd image.
type Page struct {
	Number     int    // 1-based
	Label      string // sheet or slide name, if any
	Text       string
	OCR        bool    // text came from OCR
	Confidence float64 // OCR mean word confidence, 0..100; 0 when not OCR
}

// Child is a member of a container.
type Child struct {
	// Name is the member path inside the container, with "/" separators,
	// byte-exact as written in the container. It may be hostile ("../x",
	// "/etc/passwd"); the pipeline checks it.
	Name    string
	R       io.Reader
	Size    int64 // declared size, -1 if unknown
	ModTime time.Time
	// Commit is the git commit a repository member came from.
	Commit string
	// Link is set when the member is a symbolic or hard link; R is then nil.
	// The pipeline records it and never follows it.
	Link string
	// Flags are recorded on the child's occurrence, e.g.
	// "deleted-in-history".
	Flags []string
	// Sep joins this child's path to the paths of its own children. Empty
	// means leak.ContainerSep ("!/"); an mbox sets "/" so that the
	// attachment of message 3 is "box.mbox!/3/name" as the contract says.
	Sep string
	// Skip, when set, is why the member cannot be stored (an encrypted
	// member of a zip or 7z); R is then nil. The pipeline records the
	// occurrence with this reason and Flags, so that the member is
	// listed by `leakscope errors` instead of vanishing.
	Skip string
}

// Sink receives what an extractor finds. Its methods are not safe for
// concurrent use; an extractor calls them from one goroutine.
type Sink interface {
	// Text appends body text. The sink adds no separators.
	Text(s string)
	// Page appends a paged unit; its text is appended to the body, pages
	// separated by a form feed.
	Page(p Page)
	// Meta records a metadata field. Keys are lower-case: title, author,
	// creator, created, modified, pages, charset, subject, from, to, date,
	// exif.make, exif.model, exif.datetime, exif.gps_lat, exif.gps_lon ...
	Meta(key, value string)
	// Flag records a property worth an analyst's attention: "encrypted",
	// "truncated", "path-traversal", "symlink", "no-text-layer".
	Flag(flag string)
	// Attach stores a derived artifact with the document, such as OCR word
	// boxes ("ocr.tsv"), for later stages.
	Attach(name string, data []byte)
	// Child hands over a container member. The reader is consumed before
	// Child returns. A *LimitError means a budget of the container is
	// exhausted: stop and return it.
	Child(ctx context.Context, c Child) error
}

// ErrUnsupported is returned by For when no extractor claims a type, and by
// an extractor for a variant of its format it cannot read.
var ErrUnsupported = errors.New("unsupported format")

// ErrEncrypted is wrapped by an extractor whose document's content is
// encrypted and cannot be read without a key (an ODF package with
// encryption-data, a 7z with encrypted headers, a password-protected
// Word, Excel or PowerPoint file). The pipeline records the document
// with the status "encrypted", as it does for password-protected OOXML.
var ErrEncrypted = errors.New("encrypted content")

// LimitError reports that a limit was hit. A limit is hit when it is
// exceeded, never when it is reached, so Got > Limit always holds, and the
// message shows it: "limit entries: 1001 > 1000".
type LimitError struct {
	What  string // "depth", "ratio", "expanded", "entries", "size", "path", "text", "time"
	Limit int64
	Got   int64
	// Per, when not zero, makes Limit and Got totals over Per units and
	// the limit one on their rate, shown to two decimals: an expansion
	// ratio is Got bytes out of Per bytes in, over Limit = MaxRatio x Per,
	// and reads "limit ratio: 200.01 > 200" where whole numbers would
	// have read "200 > 200". A time is nanoseconds Per second.
	Per int64
}

func (e *LimitError) Error() string {
	if e.Per > 0 {
		// Got rounded up and Limit down keep "a > b" true in print.
		return fmt.Sprintf("limit %s: %s > %s", e.What, rate(e.Got, e.Per, true), rate(e.Limit, e.Per, false))
	}
	return fmt.Sprintf("limit %s: %d > %d", e.What, e.Got, e.Limit)
}

// rate formats n/per to at most two decimals, rounded up or down.
func rate(n, per int64, up bool) string {
	q, r := n/per, n%per
	c := r * 100 / per
	if up && (r*100)%per != 0 {
		c++
	}
	if c == 100 {
		q, c = q+1, 0
	}
	switch {
	case c == 0:
		return fmt.Sprintf("%d", q)
	case c%10 == 0:
		return fmt.Sprintf("%d.%d", q, c/10)
	}
	return fmt.Sprintf("%d.%02d", q, c)
}

// IsLimit reports whether err is or wraps a *LimitError.
func IsLimit(err error) bool {
	var le *LimitError
	return errors.As(err, &le)
}
