package leak

import (
	"strings"
	"time"
)

// Status values of a document. Any other status string is the reason the
// document could not be processed (a parse error, a limit hit).
const (
	StatusOK      = "ok"
	StatusPending = "pending"
)

// Document is one distinct content, keyed by the hash of its bytes.
type Document struct {
	ID       ID
	Size     int64
	MIME     string
	Language string // BCP 47 tag: zh-Hans, zh-Hant, en; "" if unknown
	OCR      bool   // some of its text came from OCR
	Status   string // StatusOK, StatusPending, or the reason it failed
	Error    string // the recorded error or limit, "" if none
	Flags    []string
	Meta     map[string]string
	Paths    []string // every occurrence path, sorted
}

// Occurrence is one place a document was found.
type Occurrence struct {
	Doc     ID
	Path    string // relative to the ingested root, "!/" at container boundaries
	Parent  ID     // the container document; zero at the top level
	Root    string // the ingested root this path is relative to
	Commit  string // git commit the version came from, "" outside git
	ModTime time.Time
	Size    int64
}

// ContainerSep separates the path of a container from the path of a member.
const ContainerSep = "!/"

// PrimaryPath picks the path to show for a document found in several
// places: the one nested in the fewest containers, then the shortest, then
// the first in byte order. So a file found both on disk and inside an
// archive is named by its place on disk.
func PrimaryPath(paths []string) string {
	best := ""
	bestDepth := -1
	for _, p := range paths {
		d := strings.Count(p, ContainerSep)
		switch {
		case bestDepth < 0, d < bestDepth,
			d == bestDepth && (len(p) < len(best) || len(p) == len(best) && p < best):
			best, bestDepth = p, d
		}
	}
	return best
}
