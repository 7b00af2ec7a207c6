package export

import (
	"crypto/sha1"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/leakscope/leakscope/internal/chat/people"
	"github.com/leakscope/leakscope/internal/enrich"
	"github.com/leakscope/leakscope/internal/store"
	"github.com/leakscope/leakscope/internal/target"
)

// Findings is everything an export describes about one case.
type Findings struct {
	// Case names the case (its directory's base name); it titles reports
	// and events and seeds the identifiers of case-wide objects.
	Case          string                `json:"case"`
	Targets       []target.Target       `json:"targets"`
	Entities      []store.EntitySummary `json:"entities"`
	Persons       []enrich.PersonView   `json:"persons"`
	Edges         []people.Edge         `json:"edges"`
	Conversations []Conversation        `json:"conversations"`
}

// Conversation is one reconstructed chat without its messages: exports
// describe who talked, how much and when, not what was said.
type Conversation struct {
	ID           string   `json:"id"`
	Title        string   `json:"title"`
	Source       string   `json:"source"`
	Group        bool     `json:"group"`
	Participants []string `json:"participants"`
	Messages     int      `json:"messages"`
	First        string   `json:"first"`
	Last         string   `json:"last"`
}

// FromChats fills the chat part of f (persons, edges, conversations) from
// the case's chat analysis.
func (f *Findings) FromChats(ch *enrich.Chats) {
	if ch == nil {
		return
	}
	f.Persons = ch.Persons
	f.Edges = ch.Edges
	f.Conversations = nil
	for i, cv := range ch.Conversations {
		c := Conversation{ID: cv.ID, Title: cv.Title, Source: cv.Source, Group: cv.Group,
			Participants: cv.Participants, Messages: len(cv.Messages)}
		if i < len(ch.Stats.Conversations) && ch.Stats.Conversations[i].ID == cv.ID {
			s := ch.Stats.Conversations[i]
			c.Messages, c.First, c.Last = s.Messages, s.First, s.Last
		}
		f.Conversations = append(f.Conversations, c)
	}
}

// Options tune the writers. The zero value works.
type Options struct {
	// Created is the creation time stamped on STIX objects and MISP
	// events; the zero time means the Unix epoch, which keeps exports
	// reproducible. The CLI passes the time of the export unless told
	// otherwise.
	Created time.Time
	// What selects the rows of a CSV export: "targets" (the default) or
	// "entities".
	What string
}

// Formats are the names Write accepts, in the order of the CLI's help.
var Formats = []string{"csv", "json", "stix", "misp", "ftm", "gexf", "report"}

// Whats are the values Options.What accepts.
var Whats = []string{"targets", "entities"}

// ErrFormat is returned by Write for a format not in Formats.
var ErrFormat = fmt.Errorf("unknown export format")

// Write writes f to w in format.
func Write(w io.Writer, format string, f *Findings, o Options) error {
	var err error
	switch format {
	case "csv":
		err = WriteCSV(w, f, o)
	case "json":
		err = WriteJSON(w, f, o)
	case "stix":
		err = WriteSTIX(w, f, o)
	case "misp":
		err = WriteMISP(w, f, o)
	case "ftm":
		err = WriteFTM(w, f, o)
	case "gexf":
		err = WriteGEXF(w, f, o)
	case "report":
		err = WriteReport(w, f, o)
	default:
		return fmt.Errorf("%w %q: want one of %s", ErrFormat, format, strings.Join(Formats, ", "))
	}
	if err != nil {
		return fmt.Errorf("export %s: %w", format, err)
	}
	return nil
}

// created is o.Created in UTC at millisecond precision, the form STIX
// timestamps take.
func (o Options) created() time.Time {
	if o.Created.IsZero() {
		return time.Unix(0, 0).UTC()
	}
	return o.Created.UTC().Truncate(time.Millisecond)
}

// namespace is the fixed UUID namespace of leakscope's name-based ids
// (itself UUIDv5 of "leakscope" in the URL namespace), so that the same
// finding gets the same id in every export, on every machine.
var namespace = uuid5([16]byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8},
	"https://github.com/leakscope/leakscope")

// uuid5 is an RFC 9562 version 5 (SHA-1, name-based) UUID.
func uuid5(ns [16]byte, name string) [16]byte {
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte(name))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	return u
}

// id is the textual UUIDv5 of the name parts, joined by a separator that
// cannot occur in them unescaped.
func id(parts ...string) string {
	u := uuid5(namespace, strings.Join(parts, "\x00"))
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

// clean makes s valid UTF-8 without control characters other than tab
// and newline, so that no writer emits bytes its format forbids.
func clean(s string) string {
	if utf8.ValidString(s) && !strings.ContainsFunc(s, isControl) {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if isControl(r) {
			return -1
		}
		return r
	}, s)
}

func isControl(r rune) bool {
	return (r < 0x20 && r != '\t' && r != '\n') || r == 0x7f || (r >= 0x80 && r < 0xa0) ||
		r == 0xfffe || r == 0xffff || (r >= 0xd800 && r < 0xe000)
}
