package index

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Kinds of indexed units (Doc.Kind).
const (
	KindDocument = "document"
	KindMessage  = "message"
)

// Facet names accepted in Query.Facets and Query.Filters, and returned as
// the keys of Result.Facets.
const (
	FacetType    = "type"
	FacetLang    = "lang"
	FacetCountry = "country"
	FacetEntity  = "entity"
	FacetSender  = "sender"
	FacetYear    = "year"
)

// Facets lists every facet in display order.
var Facets = []string{FacetType, FacetLang, FacetCountry, FacetEntity, FacetSender, FacetYear}

// Bounds of a query. Deep paging is refused rather than served slowly.
const (
	DefaultLimit     = 20
	MaxLimit         = 1000
	MaxOffset        = 100_000
	DefaultFacetSize = 20
	MaxQueryLen      = 4096
)

// ErrBadQuery is matched (errors.Is) by every error caused by the query
// itself rather than by the index: a syntax error, an unknown facet, a
// negative offset.
var ErrBadQuery = errors.New("bad query")

// QueryError describes what is wrong with a query and where.
type QueryError struct {
	Query string // the text parsed, "" for errors outside the text
	Pos   int    // byte offset in Query of the problem, -1 if none
	Msg   string
}

func (e *QueryError) Error() string {
	if e.Pos >= 0 && e.Query != "" {
		return "bad query at " + strconv.Itoa(e.Pos) + ": " + e.Msg
	}
	return "bad query: " + e.Msg
}

// Is makes errors.Is(err, ErrBadQuery) true.
func (e *QueryError) Is(target error) bool { return target == ErrBadQuery }

// Index is a full-text index of a case. Implementations are safe for
// concurrent use. Add replaces a unit with the same ID, so re-indexing is
// idempotent.
type Index interface {
	// Add indexes docs, replacing any unit with the same ID.
	Add(ctx context.Context, docs ...Doc) error
	// Delete removes the units with these IDs; unknown IDs are ignored.
	Delete(ctx context.Context, ids ...string) error
	// Search runs q. Errors caused by q match ErrBadQuery.
	Search(ctx context.Context, q Query) (Result, error)
	// Count is the number of indexed units.
	Count() (uint64, error)
	// Close releases the index; it must be called once.
	Close() error
}

// Doc is one searchable unit: a document or one chat message.
type Doc struct {
	ID           string    // sha256 hex, or "<docid>#m<N>" for a message
	Kind         string    // KindDocument or KindMessage
	Path         string    // the path shown in results (first occurrence)
	Paths        []string  // every occurrence path
	Title        string    // e-mail subject, document title, conversation title
	Text         string    // the original text
	Translation  string    // the machine translation, "" if none
	Lang         string    // BCP 47: zh-Hans, zh-Hant, en
	MIME         string    // sniffed type
	Date         time.Time // the date the document claims or the message time; zero if unknown
	Year         int       // 0 if unknown; derived from Date when 0 and Date is set
	Entities     []string  // "kind:norm", e.g. "ipv4:192.0.2.14"
	Countries    []string  // ISO 3166-1 alpha-2 or INT
	Sender       string    // the message sender (messages only)
	Conversation string    // the conversation ID (messages only)
}

// Query is one search.
type Query struct {
	Text      string              // user syntax, see the package comment; "" matches everything
	Filters   map[string][]string // facet name -> accepted values (OR within a name, AND across names)
	Facets    []string            // facets to count, from Facets
	FacetSize int                 // values per facet; 0 means DefaultFacetSize
	Offset    int                 // hits to skip, 0..MaxOffset
	Limit     int                 // hits to return; 0 means DefaultLimit, capped at MaxLimit
	Highlight bool                // mark matched terms in snippets
	Sort      string              // SortRelevance (""), SortNewest or SortOldest
	// NoFallback turns off the ranked OR fallback (Result.Relaxed), for
	// callers that need the strict AND answer (counts, batch totals).
	NoFallback bool
}

// Orders of Query.Sort. Units without a date come last in both date orders.
const (
	SortRelevance = "relevance"
	SortNewest    = "date"
	SortOldest    = "date-asc"
)

// Sorts lists the accepted values of Query.Sort.
var Sorts = []string{SortRelevance, SortNewest, SortOldest}

// RelaxedNotice is Result.Notice when the OR fallback answered.
const RelaxedNotice = "no unit has every term; showing units with any of them, those with most terms first"

// Result is what a search found.
type Result struct {
	Total  uint64                  `json:"total"`
	Hits   []Hit                   `json:"hits"`
	Facets map[string][]FacetCount `json:"facets,omitempty"`
	Took   time.Duration           `json:"took_ns"`
	// Partial and Pending say that Pending documents of the case are not
	// searchable yet (an ingest is running or was interrupted), so the
	// answer may lack hits. An Index cannot know this and leaves them
	// zero; a caller that knows the case's state sets them.
	Partial bool  `json:"partial"`
	Pending int64 `json:"pending,omitempty"`
	// Relaxed says that no unit matched every term (the terms ANDed), so
	// the hits are those matching any, ranked by how many and how well
	// (see Relax); Notice tells the user so.
	Relaxed bool   `json:"relaxed,omitempty"`
	Notice  string `json:"notice,omitempty"`
}

// Hit is one matching unit.
type Hit struct {
	ID      string  `json:"id"`
	Path    string  `json:"path"`
	Score   float64 `json:"score"`
	Snippet string  `json:"snippet"` // escaped HTML with <mark>: the original text
	// TranslationSnippet is from the unit's machine translation when it
	// has one: around the translation's own matches, else its beginning
	// (the two texts are not aligned, so a match in the original does
	// not locate the translated passage).
	TranslationSnippet string    `json:"translation_snippet,omitempty"`
	Kind               string    `json:"kind"`
	Conversation       string    `json:"conversation,omitempty"`
	Title              string    `json:"title,omitempty"`
	Date               time.Time `json:"date,omitzero"`    // the date the unit claims; zero if unknown
	Sender             string    `json:"sender,omitempty"` // the message sender (messages only)
}

// FacetCount is one value of a facet and how many hits have it.
type FacetCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Validate checks the parts of q that do not need parsing and returns q
// with defaults applied.
func (q Query) Validate() (Query, error) {
	if len(q.Text) > MaxQueryLen {
		return q, &QueryError{Pos: -1, Msg: "query longer than " + strconv.Itoa(MaxQueryLen) + " bytes"}
	}
	if q.Offset < 0 || q.Offset > MaxOffset {
		return q, &QueryError{Pos: -1, Msg: "offset out of range 0.." + strconv.Itoa(MaxOffset)}
	}
	if q.Limit < 0 {
		return q, &QueryError{Pos: -1, Msg: "negative limit"}
	}
	if q.Limit == 0 {
		q.Limit = DefaultLimit
	}
	if q.Limit > MaxLimit {
		q.Limit = MaxLimit
	}
	if q.FacetSize <= 0 {
		q.FacetSize = DefaultFacetSize
	}
	if q.FacetSize > MaxLimit {
		q.FacetSize = MaxLimit
	}
	switch q.Sort {
	case "", SortRelevance, SortNewest, SortOldest:
	default:
		return q, &QueryError{Pos: -1, Msg: "unknown sort " + quote(q.Sort) + " (relevance, date, date-asc)"}
	}
	for _, f := range q.Facets {
		if !isFacet(f) {
			return q, &QueryError{Pos: -1, Msg: "unknown facet " + quote(f)}
		}
	}
	for f := range q.Filters {
		if !isFilterField(f) {
			return q, &QueryError{Pos: -1, Msg: "unknown filter " + quote(f)}
		}
	}
	return q, nil
}

func isFacet(f string) bool {
	for _, g := range Facets {
		if f == g {
			return true
		}
	}
	return false
}

// TypeOf is the short type name a MIME type is faceted and filtered under
// (type:pdf, type:image). Chat messages are "chat".
func TypeOf(mime, kind string) string {
	if kind == KindMessage {
		return "chat"
	}
	mime = strings.ToLower(strings.TrimSpace(mime))
	if i := strings.IndexByte(mime, ';'); i >= 0 {
		mime = strings.TrimSpace(mime[:i])
	}
	if t, ok := mimeTypes[mime]; ok {
		return t
	}
	switch {
	case mime == "":
		return "unknown"
	case strings.HasPrefix(mime, "image/"):
		return "image"
	case strings.HasPrefix(mime, "text/"):
		return "text"
	case strings.HasPrefix(mime, "audio/"):
		return "audio"
	case strings.HasPrefix(mime, "video/"):
		return "video"
	}
	return "other"
}

var mimeTypes = map[string]string{
	"application/pdf":    "pdf",
	"application/msword": "doc",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
	"application/vnd.ms-excel": "xls",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         "xlsx",
	"application/vnd.ms-powerpoint":                                             "ppt",
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
	"application/vnd.oasis.opendocument.text":                                   "odt",
	"application/vnd.oasis.opendocument.spreadsheet":                            "ods",
	"application/vnd.oasis.opendocument.presentation":                           "odp",
	"application/rtf":             "rtf",
	"application/epub+zip":        "epub",
	"message/rfc822":              "email",
	"application/mbox":            "email",
	"application/vnd.ms-outlook":  "email",
	"text/html":                   "html",
	"text/csv":                    "csv",
	"text/tab-separated-values":   "csv",
	"text/markdown":               "markdown",
	"application/json":            "json",
	"text/xml":                    "xml",
	"application/xml":             "xml",
	"application/zip":             "archive",
	"application/gzip":            "archive",
	"application/x-bzip2":         "archive",
	"application/x-xz":            "archive",
	"application/x-tar":           "archive",
	"application/x-7z-compressed": "archive",
	"application/vnd.rar":         "archive",
	"application/x-git-bundle":    "archive",
	"application/vnd.sqlite3":     "sqlite",
	"application/octet-stream":    "binary",
	"application/x-empty":         "empty",
	"application/x-ole-storage":   "ole",
	"text/plain":                  "text",
}

func quote(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return `"` + strings.ToValidUTF8(s, "\uFFFD") + `"`
}

// Publisher is implemented by an index whose adds reach other processes
// only when published (the embedded index writes immutable segments).
// Publish returns once everything added before it is visible to every
// reader, so a caller may then record those units as indexed.
type Publisher interface {
	Publish(ctx context.Context) error
}
