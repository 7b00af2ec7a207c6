package export

import (
	"crypto/sha1"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/leakscope/leakscope/internal/chat/people"
	"github.com/leakscope/leakscope/internal/enrich"
	"github.com/leakscope/leakscope/internal/findings"
	"github.com/leakscope/leakscope/internal/store"
	"github.com/leakscope/leakscope/internal/target"
)

// Findings is everything an export describes about one case.
type Findings struct {
	// Case names the case (its directory's base name); it titles reports
	// and events.
	Case string `json:"case"`
	// CaseUUID is the case's random UUID (case.json). Every exported id
	// is derived from it, so that two cases in folders of the same name
	// share no id; an empty CaseUUID (a case never opened for writing
	// since UUIDs were added) falls back to the name.
	CaseUUID      string                `json:"case_uuid,omitempty"`
	Targets       []target.Target       `json:"targets"`
	Entities      []store.EntitySummary `json:"entities"`
	Persons       []enrich.PersonView   `json:"persons"`
	Edges         []people.Edge         `json:"edges"`
	Conversations []Conversation        `json:"conversations"`
	// IOCs are the indicators with their roles (package findings); only
	// those whose role is Detectable become STIX indicators and MISP
	// to_ids attributes.
	IOCs []findings.IOC `json:"iocs"`
	// Techniques and Tools are the ATT&CK techniques and software the
	// leak shows, each with its evidence.
	Techniques []findings.Technique `json:"techniques"`
	Tools      []findings.Tool      `json:"tools"`
	// Documents are the case's documents with what they mention, for
	// FollowTheMoney (Aleph loads them as Documents).
	Documents []Document `json:"documents,omitempty"`
}

// Document is one document of the case as exports describe it.
type Document struct {
	SHA256   string    `json:"sha256"`
	Paths    []string  `json:"paths"`
	MIME     string    `json:"mime"`
	Size     int64     `json:"size"`
	Language string    `json:"language,omitempty"`
	Mentions []Mention `json:"mentions,omitempty"`
}

// Mention is an entity a document mentions.
type Mention struct {
	Kind  string `json:"kind"`
	Value string `json:"value"`
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
	// Log is the messages themselves, for the formats that carry
	// content (FollowTheMoney Messages for Aleph); the graph and
	// threat-intelligence formats leave it out.
	Log []Message `json:"log,omitempty"`
}

// Message is one chat message.
type Message struct {
	Time   string `json:"time,omitempty"`
	Sender string `json:"sender"`
	Text   string `json:"text"`
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
		for _, m := range cv.Messages {
			if !m.System {
				c.Log = append(c.Log, Message{Time: m.Time, Sender: m.Sender, Text: m.Text})
			}
		}
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
	// TLP is the Traffic Light Protocol 2.0 label of the export, one of
	// TLPs; "" means amber. STIX bundles carry it as the official TLP 2.0
	// marking definition, MISP events as a tlp: tag, reports as a banner.
	TLP string
	// Producer names who made the export (the STIX identity every object
	// is created_by); "" means "leakscope".
	Producer string
}

// TLPs are the TLP 2.0 labels Options.TLP accepts.
var TLPs = []string{"clear", "green", "amber", "amber+strict", "red"}

// ErrTLP is returned by Write for a label not in TLPs.
var ErrTLP = fmt.Errorf("unknown TLP label")

func (o Options) tlp() string {
	if o.TLP == "" {
		return "amber"
	}
	return o.TLP
}

func (o Options) producer() string {
	if o.Producer == "" {
		return "leakscope"
	}
	return o.Producer
}

// Formats are the names Write accepts, in the order of the CLI's help.
var Formats = []string{"csv", "json", "stix", "misp", "ftm", "gexf", "report", "html"}

// Whats are the values Options.What accepts.
var Whats = []string{"targets", "entities"}

// ErrFormat is returned by Write for a format not in Formats.
var ErrFormat = fmt.Errorf("unknown export format")

// Write writes f to w in format.
func Write(w io.Writer, format string, f *Findings, o Options) error {
	if !slices.Contains(TLPs, o.tlp()) {
		return fmt.Errorf("%w %q: want one of %s", ErrTLP, o.TLP, strings.Join(TLPs, ", "))
	}
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
	case "html":
		err = WriteHTMLReport(w, f, o)
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
// cannot occur in them unescaped, in the case's own namespace: the
// UUIDv5 of its random UUID. The same finding of one case gets the same
// id in every export, and no finding of another case ever does, even in
// a folder of the same name.
func (f *Findings) id(parts ...string) string {
	ns := uuid5(namespace, "case-uuid\x00"+f.CaseUUID)
	if f.CaseUUID == "" {
		ns = uuid5(namespace, "case-name\x00"+f.Case)
	}
	u := uuid5(ns, strings.Join(parts, "\x00"))
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
