package server

import (
	"context"
	"io"
	"time"

	"github.com/leakscope/leakscope/internal/index"
)

// Backend is the case as the server sees it. Implementations are safe for
// concurrent use, honour ctx, and return errors wrapping ErrNotFound for
// unknown IDs and ErrInvalid for bad arguments. Text they return is shown
// escaped; they never need to sanitise leaked content.
type Backend interface {
	// Search runs q over the case index (index.Index.Search semantics,
	// index.ErrBadQuery for a bad query).
	Search(ctx context.Context, q index.Query) (index.Result, error)
	// Document returns a document's metadata and provenance by its sha256
	// hex ID.
	Document(ctx context.Context, id string) (Document, error)
	// Text returns the extracted original text of a document.
	Text(ctx context.Context, id string) (Text, error)
	// Translation returns the translation of a document's text; a
	// document without one is ErrNotFound.
	Translation(ctx context.Context, id string) (Text, error)
	// Entities lists entities, most frequent first, filtered by f.
	Entities(ctx context.Context, f EntityFilter) ([]Entity, error)
	// Targets returns the target register.
	Targets(ctx context.Context) ([]Target, error)
	// Chats returns every conversation and the resolved participants.
	Chats(ctx context.Context) (Chats, error)
	// Conversation returns one conversation with its messages in time
	// order.
	Conversation(ctx context.Context, id string) (Conversation, error)
	// Stats returns counts about the case.
	Stats(ctx context.Context) (Stats, error)
	// Blob opens the original bytes of a document. The caller closes it.
	Blob(ctx context.Context, id string) (Blob, error)
	// Preview renders page n (1-based) of a paged document (a PDF) as a
	// PNG image. Another type, or a page past the end, is ErrNotFound; a
	// missing renderer is ErrUnavailable. The image is made by a child
	// process from the leaked file and is only ever served as image/png.
	Preview(ctx context.Context, id string, page int) ([]byte, error)
	// Timeline returns the dated activity of the case: documents by the
	// date they claim (or their file time) and chat messages per day.
	Timeline(ctx context.Context) (Timeline, error)
	// TargetLinks returns who writes about which target in chats, as the
	// analyses stored it.
	TargetLinks(ctx context.Context) ([]TargetLink, error)
}

// Timeline is the dated activity of a case, for the timeline page.
// Targets' first and last seen come from Targets.
type Timeline struct {
	// Documents are sorted by date; documents without any date are left
	// out and counted in Undated.
	Documents []DatedDocument `json:"documents"`
	Undated   int             `json:"undated"`
	// Messages counts chat messages per day, in day order.
	Messages []DayCount `json:"messages"`
}

// Date sources of a DatedDocument.
const (
	DateMeta  = "meta"  // the date the document claims (metadata, headers)
	DateMTime = "mtime" // the modification time of a file that held it
)

// DatedDocument is a document placed in time.
type DatedDocument struct {
	ID     string    `json:"id"`
	Path   string    `json:"path"`
	Date   time.Time `json:"date"`
	Source string    `json:"source"` // DateMeta or DateMTime
}

// TargetLink is a person who writes about a target in chat messages:
// how many of their messages name it, or (Dashed) that they only take
// part in a conversation the target's evidence points to.
type TargetLink struct {
	Person   string `json:"person"`
	Target   string `json:"target"`
	Country  string `json:"country,omitempty"`
	Messages int    `json:"messages"`
	Dashed   bool   `json:"dashed,omitempty"`
}

// DayCount is the number of chat messages on one day (YYYY-MM-DD) and in
// how many conversations.
type DayCount struct {
	Day           string `json:"day"`
	Count         int    `json:"count"`
	Conversations int    `json:"conversations"`
}

// Document is one distinct content and everything known about it. The
// first fields are those of `leakscope docs --format json`.
type Document struct {
	ID          string            `json:"id"`
	SHA256      string            `json:"sha256"`
	MIME        string            `json:"mime"`
	Size        int64             `json:"size"`
	Language    string            `json:"language"`
	OCR         bool              `json:"ocr"`
	Status      string            `json:"status"`
	Error       string            `json:"error"`
	Paths       []string          `json:"paths"`
	Title       string            `json:"title,omitempty"`
	Date        time.Time         `json:"date,omitzero"`
	Flags       []string          `json:"flags,omitempty"`
	Meta        map[string]string `json:"meta,omitempty"`
	Occurrences []Occurrence      `json:"occurrences"`
	Entities    []DocEntity       `json:"entities"`
	// Translated reports whether Translation has something to return.
	Translated bool `json:"translated"`
}

// Occurrence is one place the document was found.
type Occurrence struct {
	Path string `json:"path"`
	// Containers is the chain of containers from the outermost, e.g.
	// ["archives/x.tar.gz", "archives/x.tar.gz!/dir/a.zip"]; empty at the
	// top level.
	Containers []string  `json:"containers,omitempty"`
	Commit     string    `json:"commit,omitempty"` // git commit, "" outside git
	ModTime    time.Time `json:"mtime,omitzero"`
	Size       int64     `json:"size,omitempty"`
}

// DocEntity is an entity found in the document's text, with byte offsets
// into Text.Text so the view can highlight it.
type DocEntity struct {
	Type  string `json:"type"`
	Value string `json:"value"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// Text is the text of a document: the original or a translation.
type Text struct {
	ID        string `json:"id"`
	Language  string `json:"language"`
	Text      string `json:"text"`
	Pages     []Page `json:"pages,omitempty"`
	Truncated bool   `json:"truncated,omitempty"` // the text limit was hit
	// Source says where the text came from: the extractor ("pdf",
	// "ocr") for originals, the translator ("gloss", "libretranslate")
	// for translations.
	Source string `json:"source,omitempty"`
}

// Page locates page N (1-based) in Text as byte offsets [Start, End).
type Page struct {
	N     int  `json:"n"`
	Start int  `json:"start"`
	End   int  `json:"end"`
	OCR   bool `json:"ocr,omitempty"`
}

// EntityFilter selects entities.
type EntityFilter struct {
	Type   string // an entity kind (leak.Kind), "" for all
	Value  string // substring of the value, "" for all
	Offset int
	Limit  int // 0: all
}

// Entity is one distinct entity, as `leakscope entities --format json`.
type Entity struct {
	Type  string   `json:"type"`
	Value string   `json:"value"`
	Count int      `json:"count"`
	Paths []string `json:"paths"`
}

// Target is one entry of the target register, as `leakscope targets`.
type Target struct {
	Name        string     `json:"name"`
	Aliases     []string   `json:"aliases"`
	Country     string     `json:"country"` // ISO 3166-1 alpha-2 or INT
	Sector      string     `json:"sector"`
	DataTypes   []string   `json:"data_types"`
	VolumeBytes int64      `json:"volume_bytes"`
	Records     int64      `json:"records"`
	FirstSeen   string     `json:"first_seen"` // YYYY, YYYY-MM or YYYY-MM-DD
	LastSeen    string     `json:"last_seen"`
	Confidence  float64    `json:"confidence"`
	Evidence    []Evidence `json:"evidence"`
}

// Evidence is a passage naming a target.
type Evidence struct {
	Path        string `json:"path"`
	Snippet     string `json:"snippet"`
	Translation string `json:"translation"`
	DocID       string `json:"doc_id,omitempty"` // for links; not in the CLI contract
}

// Chats is the output of `leakscope chats`.
type Chats struct {
	Conversations []ConversationSummary `json:"conversations"`
	Participants  []Participant         `json:"participants"`
}

// ConversationSummary describes one conversation.
type ConversationSummary struct {
	ID           string    `json:"id"`
	Source       string    `json:"source"` // the path it was reconstructed from
	Title        string    `json:"title,omitempty"`
	Participants []string  `json:"participants"`
	Messages     int       `json:"messages"`
	First        time.Time `json:"first"`
	Last         time.Time `json:"last"`
}

// Participant is one person once names, nicknames and handles are merged.
type Participant struct {
	Name     string   `json:"name"`
	Aliases  []string `json:"aliases"`
	Messages int      `json:"messages"`
}

// Conversation is a conversation with its messages.
type Conversation struct {
	ConversationSummary
	// Owner is whose export or screenshot it is, shown on the right of the
	// thread; "" if unknown.
	Owner    string    `json:"owner,omitempty"`
	Messages []Message `json:"messages_list"`
}

// Message is one chat message.
type Message struct {
	ID          string    `json:"id"` // the index unit, "<docid>#m<N>"
	Time        time.Time `json:"time"`
	Sender      string    `json:"sender"`
	Text        string    `json:"text"`
	Translation string    `json:"translation,omitempty"`
}

// Stats are counts about the case.
type Stats struct {
	Documents     int            `json:"documents"`
	Occurrences   int            `json:"occurrences"`
	Bytes         int64          `json:"bytes"`
	Errors        int            `json:"errors"`
	OCR           int            `json:"ocr"`
	Entities      int            `json:"entities"`
	Targets       int            `json:"targets"`
	Conversations int            `json:"conversations"`
	Messages      int            `json:"messages"`
	Languages     map[string]int `json:"languages"`
	Types         map[string]int `json:"types"` // index.TypeOf names
}

// Blob is an open original.
type Blob struct {
	io.ReadSeekCloser
	MIME    string // sniffed type
	Size    int64
	Name    string // base name of the first path, for downloads
	ModTime time.Time
}
