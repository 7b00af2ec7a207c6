package chat

import (
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"time"
)

// Shapes of a conversation's source. They are stored and appear in JSON, so
// they never change.
const (
	ShapeText       = "text"
	ShapeJSON       = "json"
	ShapeScreenshot = "screenshot"
)

// Conversation is one chat (a group or a one-to-one thread) as one source
// shows it. The same real chat seen in an export and in a screenshot is two
// conversations: the model keeps what each source says and leaves merging to
// the reader.
type Conversation struct {
	ID     string // stable: hash of Source and the key that split it off
	Source string // path of the document it came from
	Shape  string // ShapeText, ShapeJSON or ShapeScreenshot
	Title  string // group name or the other party, "" if the source shows none
	Group  bool   // more than two people take part
	Owner  string // screenshots and QQ exports: whose device it is, "" if unknown
	// OwnerMark is what a screenshot shows of its owner without naming
	// them: the letter on the avatar beside the right-hand bubbles (远 for
	// 周明远, z for zxa). people.Resolve uses it when exactly one person's
	// name or alias carries it. "" when unread.
	OwnerMark string
	// OwnerAvatar identifies the avatar beside a screenshot's right-hand
	// bubbles the way Message.Avatar does for a sender, so that
	// people.Resolve can name the owner from a screenshot where the same
	// avatar stands beside a known person. "" when there is none.
	OwnerAvatar  string
	Participants []string  // distinct senders in order of first appearance, as written
	Messages     []Message // in source order
}

// Message is one message. Sender and Recipients are the strings the source
// shows (a name, a nickname, a handle, an address); people.Resolve maps them
// to persons.
type Message struct {
	Time       time.Time // with zone; the zero time when the source shows none
	Sender     string    // display name or handle; "" for system lines
	SenderID   string    // account id when the source shows one next to a display name (QQ number, Telegram from_id)
	Recipients []string  // as the source says; empty in group chats where the group is the recipient
	Text       string
	Source     string  // path of the document
	Position   int     // 1-based line number (text), 0-based index (JSON), 1-based OCR line (screenshot)
	OCR        bool    // read from pixels
	Confidence float64 // 0..1; 1 for text and JSON sources
	System     bool    // joined, left, recalled, date banners
	Outgoing   bool    // screenshots: drawn on the owner's side
	// SenderConf is, for a screenshot message whose Sender was read by OCR
	// (the name above its bubble, or the title of a one-to-one chat), the
	// confidence of that reading in 0..1. It is 0 when the source wrote
	// the sender (text, JSON) or the caller supplied it (Screenshot.Owner).
	// people.Resolve makes a new person of a read name only when it is
	// confident; a less confident one must match a known person.
	SenderConf float64
	// Avatar identifies the avatar drawn beside a screenshot message: the
	// letter on it and its colour ("子#e06040"), or a digest of its picture
	// and its colour ("~1f3a…#e06040") when no letter reads. Default
	// avatars are drawn from the account, so people.Resolve carries a
	// person found for one bubble to the others with the same avatar, in
	// this screenshot and in others. "" when no avatar is beside it.
	Avatar string
}

// DefaultZone is the zone of chat timestamps that carry no offset: China
// Standard Time, the zone of most leaks this tool was built for. Options.Zone
// overrides it.
var DefaultZone = time.FixedZone("CST", 8*3600)

// Options tune the parsers. The zero value is usable.
type Options struct {
	// Zone is the local time zone of timestamps without an offset. nil means
	// DefaultZone.
	Zone *time.Location
	// KeyMap names the JSON keys of an export whose keys are not among the
	// common ones: "time", "from", "to", "body", "id" (sender id), "chat"
	// (conversation key) map to the key used in the file, e.g.
	// {"time": "sent_at", "from": "nickname"}.
	KeyMap map[string]string
	// MaxMessages bounds how many messages the collecting parsers keep per
	// document; 0 means 5,000,000. The streaming API has no bound.
	MaxMessages int
	// Logger receives debug events; nil discards them. Message text is never
	// logged.
	Logger *slog.Logger
}

func (o Options) zone() *time.Location {
	if o.Zone == nil {
		return DefaultZone
	}
	return o.Zone
}

func (o Options) maxMessages() int {
	if o.MaxMessages <= 0 {
		return 5_000_000
	}
	return o.MaxMessages
}

func (o Options) logger() *slog.Logger {
	if o.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return o.Logger
}

// convID derives a conversation ID from its source and the key that split it
// off from other conversations in the same source.
func convID(source, key string) string {
	h := sha256.Sum256([]byte(source + "\x00" + key))
	return hex.EncodeToString(h[:6])
}

// First and Last return the earliest and latest message times, ignoring
// system lines and messages without a time.
func (c *Conversation) First() time.Time {
	var t time.Time
	for _, m := range c.Messages {
		if m.System || m.Time.IsZero() {
			continue
		}
		if t.IsZero() || m.Time.Before(t) {
			t = m.Time
		}
	}
	return t
}

// Last returns the latest message time; see First.
func (c *Conversation) Last() time.Time {
	var t time.Time
	for _, m := range c.Messages {
		if m.System || m.Time.IsZero() {
			continue
		}
		if m.Time.After(t) {
			t = m.Time
		}
	}
	return t
}

// finish fills the derived fields: participants, group, and the recipient
// of one-to-one messages that the source left implicit.
func (c *Conversation) finish() {
	seen := map[string]bool{}
	c.Participants = c.Participants[:0]
	for _, m := range c.Messages {
		if m.System || m.Sender == "" || seen[m.Sender] {
			continue
		}
		seen[m.Sender] = true
		c.Participants = append(c.Participants, m.Sender)
	}
	if len(c.Participants) > 2 {
		c.Group = true
	}
	if !c.Group && len(c.Participants) == 2 {
		a, b := c.Participants[0], c.Participants[1]
		for i := range c.Messages {
			m := &c.Messages[i]
			if m.System || len(m.Recipients) > 0 {
				continue
			}
			switch m.Sender {
			case a:
				m.Recipients = []string{b}
			case b:
				m.Recipients = []string{a}
			}
		}
	}
}
