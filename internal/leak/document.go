package leak

import "time"

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
