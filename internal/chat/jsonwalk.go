package chat

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/leakscope/leakscope/internal/leak"
)

// SkipReason says why records of a JSON export were not read. Reasons are
// stored with a document's chat result and shown by `status` and
// `errors`, so they never change.
type SkipReason string

const (
	// SkipSyntax is a record that is not valid JSON (a stray quote, a
	// missing comma, a line cut short by a crashed exporter). The reader
	// resumes at the next record.
	SkipSyntax SkipReason = "syntax"
	// SkipTruncated is the record the file ends inside.
	SkipTruncated SkipReason = "truncated"
	// SkipNesting is input nested deeper than leak.MaxNesting; the walk
	// stops there.
	SkipNesting SkipReason = "nesting"
	// SkipTextCap is a chat log longer than the extracted-text cap
	// (--max-text): the messages past the cap are not read. It counts
	// once per document, since the lost messages cannot be counted.
	SkipTextCap SkipReason = "text-cap"
)

// CountStats is the Stats of conversations read whole from text: every
// message was read; truncated says the text was cut at the text cap
// (counted as one SkipTextCap).
func CountStats(convs []Conversation, truncated bool) Stats {
	var st Stats
	for _, c := range convs {
		for _, m := range c.Messages {
			st.Records++
			if m.System {
				st.Events++
			} else {
				st.Messages++
			}
		}
	}
	if truncated {
		st.skip(SkipTextCap)
	}
	return st
}

// Stats is what a JSON reader saw: how many records it read, how many
// became messages, and how many it could not read and why. A record is a
// message-level object (an element of a messages array, a line of JSON
// lines, an element of a top-level array).
type Stats struct {
	Records  int                `json:"records"`
	Messages int                `json:"messages"` // someone's messages
	Events   int                `json:"events"`   // system events: joins, recalls, renames
	Skipped  int                `json:"skipped"`
	Reasons  map[SkipReason]int `json:"reasons,omitempty"`
	// Keys is, for a JSON export, the key most messages took each field
	// from ("from": "u", "time": "ts", "body": "msg", "chat": "rid"), and
	// Shape, for a text log, its line shape: what `chats --explain`
	// shows, so that a wrong guess can be corrected with Options.KeyMap.
	Keys  map[string]string `json:"keys,omitempty"`
	Shape string            `json:"shape,omitempty"`
}

func (s *Stats) skip(r SkipReason) {
	s.Skipped++
	if s.Reasons == nil {
		s.Reasons = map[SkipReason]int{}
	}
	s.Reasons[r]++
}

// Add adds o's counts to s.
func (s *Stats) Add(o Stats) {
	s.Records += o.Records
	s.Messages += o.Messages
	s.Events += o.Events
	for r, n := range o.Reasons {
		s.Skipped += n
		if s.Reasons == nil {
			s.Reasons = map[SkipReason]int{}
		}
		s.Reasons[r] += n
	}
}

// errSyntax marks a record the scanner or the decoder could not read. It
// never leaves the walker: the enclosing array (or the top level) counts
// the record as skipped and resynchronises.
var errSyntax = errors.New("json syntax")

// walkState is shared by a walker and the walkers it starts over the
// bytes of one value (a chat object read whole).
type walkState struct {
	convs map[convKey]*Conversation
	order []*Conversation
	index int
	stats Stats
	keys  map[[2]string]int // (field, key) -> messages that took field from key
}

// chose counts that a message took field from key ("" when absent).
func (st *walkState) chose(field, key string) {
	if key == "" {
		return
	}
	if st.keys == nil {
		st.keys = map[[2]string]int{}
	}
	st.keys[[2]string{field, key}]++
}

// chosenKeys is the most used key of each field, by name on a tie.
func (st *walkState) chosenKeys() map[string]string {
	if len(st.keys) == 0 {
		return nil
	}
	out, best := map[string]string{}, map[string]int{}
	for fk, n := range st.keys {
		f, k := fk[0], fk[1]
		if n > best[f] || n == best[f] && k < out[f] {
			out[f], best[f] = k, n
		}
	}
	return out
}

// jsonWalker reads one JSON document with a scanner, never holding more
// than one record (or maxInline bytes of a larger value) at a time.
type jsonWalker struct {
	sc     *scanner
	source string
	opts   Options
	emit   func(c *Conversation, m Message) error
	st     *walkState
}

// header is what a chat object said about itself before its messages.
type header map[string]any

// StreamJSON reads a JSON chat export from r and calls emit for every
// message in file order; see ReadJSON. Records it cannot read are skipped
// and counted; only ReadJSON returns the counts.
func StreamJSON(r io.Reader, source string, opts Options, emit func(c *Conversation, m Message) error) error {
	_, err := ReadJSON(r, source, opts, emit)
	return err
}

// ReadJSON reads a JSON chat export from r and calls emit for every
// message in file order, with the conversation it belongs to (its
// Messages field stays empty; the pointer is the same for every message of
// one conversation). Arrays, JSON lines, concatenated objects, exports
// that wrap their messages ({"messages": [...]}, Telegram Desktop's
// chats.list) and XMPP-style dumps ({ts, from, to, body}) are recognised;
// key names are detected per message. Memory is bounded by the largest
// single message (or maxInline) and the number of conversations, not by
// the size of the file.
//
// The reader degrades rather than drops: a record that is not valid JSON
// is counted in Stats.Skipped and reading resumes at the next record
// (resync), and a file cut short keeps every record before the cut. The
// error is only for what stops the walk: a read error, nesting past
// leak.MaxNesting (wrapping leak.ErrNesting), emit's error, or ErrNotChat
// when nothing in the file was message-shaped.
func ReadJSON(r io.Reader, source string, opts Options, emit func(c *Conversation, m Message) error) (Stats, error) {
	w := &jsonWalker{sc: newScanner(r), source: source, opts: opts, emit: emit,
		st: &walkState{convs: map[convKey]*Conversation{}}}
	err := w.top()
	w.st.stats.Keys = w.st.chosenKeys()
	if err == nil && w.sc.err != nil {
		err = fmt.Errorf("json %s: %w", source, w.sc.err)
	}
	if err == nil && w.st.stats.Messages+w.st.stats.Events == 0 {
		err = ErrNotChat
	}
	return w.st.stats, err
}

// top reads successive top-level values: JSON lines, concatenated
// objects, one array or one wrapping object.
func (w *jsonWalker) top() error {
	if _, ok := w.sc.peek(); ok {
		w.sc.sniffLines()
	}
	for {
		c, ok := w.sc.peek()
		if !ok {
			return nil
		}
		var err error
		switch {
		case c == '[' && w.sc.lines:
			err = w.lineArray()
		case c == '[':
			err = w.array(nil, 1, false)
		case c == '{':
			err = w.element(nil, 1)
		case c == ']' || c == '}' || c == ',':
			w.sc.pos++ // a closer left over by a resync
			continue
		default:
			err = w.scalar()
		}
		if errors.Is(err, errSyntax) {
			if err = w.recover(); err == nil {
				continue
			}
		}
		if err != nil {
			return err
		}
	}
}

// lineArray reads an array on one line of JSON lines as a whole value,
// so that a broken one ends at its line instead of running on.
func (w *jsonWalker) lineArray() error {
	raw, big, err := w.sc.value(maxInline)
	if err != nil {
		return err
	}
	if big {
		return w.array(nil, 1, false)
	}
	sub := &jsonWalker{sc: bytesScanner(raw), source: w.source, opts: w.opts, emit: w.emit, st: w.st}
	return sub.array(nil, 1, false)
}

// recover counts the record at the scanner's position as skipped and moves
// to the next place a record can start. Reaching the end of the file
// while looking for one is not an error.
func (w *jsonWalker) recover() error {
	w.st.stats.Records++
	if !w.sc.resync() {
		w.st.stats.skip(SkipTruncated)
		return nil
	}
	w.st.stats.skip(SkipSyntax)
	return nil
}

// scalar reads past a scalar value, which holds no message.
func (w *jsonWalker) scalar() error {
	raw, _, err := w.sc.value(maxInline)
	if err != nil {
		return err
	}
	if !json.Valid(raw) {
		w.sc.pos -= len(raw) // resync from its start, as element does
		return errSyntax
	}
	return nil
}

// array walks an array whose '[' is at the scanner's position. Its
// objects are records; arrays inside it are walked only under a chats key
// (chats: [[...]]), since a list of lists holds no messages otherwise. A
// record that cannot be read is skipped here and the walk goes on.
func (w *jsonWalker) array(hdr header, depth int, chats bool) error {
	if depth > leak.MaxNesting {
		w.st.stats.skip(SkipNesting)
		return fmt.Errorf("json %s: depth %d: %w", w.source, depth, leak.ErrNesting)
	}
	w.sc.pos++
	for {
		c, ok := w.sc.peek()
		if !ok {
			return nil // cut before its ']': the records before the cut are read
		}
		var err error
		switch c {
		case ']':
			w.sc.pos++
			return nil
		case ',':
			w.sc.pos++
			continue
		case '{':
			err = w.element(hdr, depth+1)
		case '[':
			if chats {
				err = w.array(nil, depth+1, true)
			} else {
				err = w.sc.skip()
			}
		case '}', ':':
			err = errSyntax
		default:
			err = w.scalar()
		}
		if errors.Is(err, errSyntax) {
			err = w.recover()
		}
		if err != nil {
			return err
		}
	}
}

// element reads the object at the scanner's position. A flat message
// object is decoded by flatObject; an object that holds messages or chats
// is walked by a walker over its bytes, and one over maxInline is walked
// from the stream.
func (w *jsonWalker) element(hdr header, depth int) error {
	if depth > leak.MaxNesting {
		w.st.stats.skip(SkipNesting)
		return fmt.Errorf("json %s: depth %d: %w", w.source, depth, leak.ErrNesting)
	}
	raw, big, err := w.sc.value(maxInline)
	if err != nil {
		return err
	}
	if big {
		return w.object(hdr, depth)
	}
	if m, ok := flatObject(raw); ok {
		return w.record(m, hdr)
	}
	if bytes.Contains(raw, []byte(`"messages"`)) || containsChatsKey(raw) {
		sub := &jsonWalker{sc: bytesScanner(raw), source: w.source, opts: w.opts, emit: w.emit, st: w.st}
		return sub.object(hdr, depth)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		// Resync from the record's start: a stray quote may have
		// made the scanner read good records into this one.
		w.sc.pos -= len(raw)
		return errSyntax
	}
	return w.record(m, hdr)
}

// record counts one message-level object and emits it when it is a
// message.
func (w *jsonWalker) record(f map[string]any, hdr header) error {
	w.st.stats.Records++
	return w.message(f, hdr)
}

// object walks an object whose '{' is at the scanner's position, one key
// at a time. Keys that hold messages or chats are walked; every other
// value is decoded (or, over maxInline, skipped). An object that holds
// neither is itself a record, with hdr as the chat around it.
func (w *jsonWalker) object(parent header, depth int) error {
	sc := w.sc
	sc.pos++
	fields := header{}
	walked := false
	for {
		c, ok := sc.peek()
		if !ok {
			return errSyntax
		}
		switch c {
		case '}':
			sc.pos++
			if walked {
				return nil
			}
			return w.record(fields, parent)
		case ',':
			sc.pos++
			continue
		case '"':
		default:
			return errSyntax
		}
		raw, _, err := sc.value(maxInline)
		if err != nil {
			return err
		}
		var key string
		if json.Unmarshal(raw, &key) != nil {
			return errSyntax
		}
		if c, ok := sc.peek(); !ok || c != ':' {
			return errSyntax
		}
		sc.pos++
		c, ok = sc.peek()
		if !ok {
			return errSyntax
		}
		lk := strings.ToLower(key)
		if (lk == messagesKey || chatsKeys[lk]) && (c == '[' || c == '{') {
			walked = true
			var err error
			switch {
			case lk == messagesKey && c == '[':
				hdr := header{"\x00chat": true}
				for k, v := range fields {
					hdr[k] = v
				}
				err = w.array(hdr, depth+1, false)
			case c == '[':
				err = w.array(nil, depth+1, true)
			default:
				if depth+1 > leak.MaxNesting {
					w.st.stats.skip(SkipNesting)
					return fmt.Errorf("json %s: depth %d: %w", w.source, depth+1, leak.ErrNesting)
				}
				err = w.object(nil, depth+1)
			}
			if err != nil {
				return err
			}
			continue
		}
		raw, big, err := sc.value(maxInline)
		if err != nil {
			return err
		}
		if big {
			if err := sc.skip(); err != nil {
				return err
			}
			continue
		}
		var v any
		if json.Unmarshal(raw, &v) != nil {
			return errSyntax
		}
		fields[key] = v
	}
}

// containsChatsKey reports whether an object's bytes mention a key that
// holds chats (chatsKeys), which the flat decoder cannot walk.
func containsChatsKey(raw []byte) bool {
	for k := range chatsKeys {
		if i := bytes.Index(raw, []byte(k)); i > 0 && i+len(k) < len(raw) && raw[i-1] == '"' && raw[i+len(k)] == '"' {
			return true
		}
	}
	return false
}

// ParseJSON reads a whole JSON chat export and returns its conversations,
// each with its messages, participants and group flag filled; see
// ParseJSONStats.
func ParseJSON(source string, r io.Reader, opts Options) ([]Conversation, error) {
	cs, _, err := ParseJSONStats(source, r, opts)
	return cs, err
}

// ParseJSONStats is ParseJSON with the reader's counts. Messages past
// Options.MaxMessages are counted as read but not kept. On an error that
// stops the walk it returns what it read before the error along with the
// error.
func ParseJSONStats(source string, r io.Reader, opts Options) ([]Conversation, Stats, error) {
	var (
		order []*Conversation
		msgs  = map[*Conversation][]Message{}
		n     int
		max   = opts.maxMessages()
	)
	st, err := ReadJSON(r, source, opts, func(c *Conversation, m Message) error {
		if _, ok := msgs[c]; !ok {
			order = append(order, c)
			msgs[c] = nil
		}
		if n < max {
			msgs[c] = append(msgs[c], m)
			n++
		}
		return nil
	})
	out := make([]Conversation, 0, len(order))
	for _, c := range order {
		cc := *c
		cc.Messages = msgs[c]
		group := cc.Group
		cc.finish()
		cc.Group = cc.Group || group
		out = append(out, cc)
	}
	return out, st, err
}
