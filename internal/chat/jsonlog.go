package chat

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/leakscope/leakscope/internal/leak"
)

// Common key names of JSON chat exports, most specific first. Options.KeyMap
// puts a file's own key in front of each list.
var (
	timeKeys = []string{"date_unixtime", "timestamp", "ts", "time", "date", "created_at", "createdAt",
		"sent_at", "datetime", "create_time", "createTime", "msgtime", "msg_time"}
	fromKeys = []string{"from", "sender", "author", "user", "username", "nick", "nickname", "from_name",
		"sender_name", "talker", "from_id", "user_id", "sender_id"}
	idKeys   = []string{"from_id", "sender_id", "user_id", "uid", "author_id"}
	toKeys   = []string{"to", "recipient", "receiver", "peer"}
	roomKeys = []string{"chat", "room", "group", "channel", "conversation", "chat_name", "room_name", "group_name"}
	bodyKeys = []string{"body", "text", "message", "content", "msg", "plain", "message_text"}
	// Keys whose array value holds messages, and keys whose value holds
	// chats that hold messages (Telegram: chats.list[].messages).
	messagesKey = "messages"
	chatsKeys   = map[string]bool{"chats": true, "list": true, "left_chats": true, "conversations": true}
)

// ErrNotChat is returned by the JSON parser when the document holds no
// message-shaped objects.
var ErrNotChat = errors.New("not a chat export")

// jsonWalker streams one JSON document (an array, JSON lines, or an object
// with a messages array) with json.Decoder tokens, decoding one message
// object at a time so that memory stays bounded by the largest message.
type jsonWalker struct {
	dec    *json.Decoder
	source string
	opts   Options
	emit   func(c *Conversation, m Message) error
	convs  map[convKey]*Conversation
	order  []*Conversation
	index  int
}

// StreamJSON reads a JSON chat export from r and calls emit for every
// message in file order, with the conversation it belongs to (its
// Messages field stays empty; the pointer is the same for every message of
// one conversation). Arrays, JSON lines (concatenated values), Telegram
// Desktop exports (result.json, single chat or chats.list) and XMPP-style
// dumps ({ts, from, to, body}) are recognised; key names are detected
// per message. Memory is bounded by the largest single message and the
// number of conversations, not by the size of the file. emit's error stops
// the walk and is returned.
func StreamJSON(r io.Reader, source string, opts Options, emit func(c *Conversation, m Message) error) error {
	w := &jsonWalker{source: source, opts: opts, emit: emit, convs: map[convKey]*Conversation{}}
	sc := newScanner(r)
	for {
		c, ok := sc.peek()
		if !ok {
			break
		}
		if c != '[' {
			if err := w.element(sc, true); err != nil {
				return err
			}
			continue
		}
		// A top-level array: its elements one at a time.
		sc.pos++
		closed := false
		for !closed {
			c, ok := sc.peek()
			switch {
			case !ok:
				return fmt.Errorf("json %s: %w", source, io.ErrUnexpectedEOF)
			case c == ']':
				sc.pos++
				closed = true
			case c == ',':
				sc.pos++
			default:
				if err := w.element(sc, false); err != nil {
					return err
				}
			}
		}
	}
	if sc.err != nil {
		return fmt.Errorf("json %s: %w", source, sc.err)
	}
	if w.index == 0 {
		return ErrNotChat
	}
	return nil
}

// element handles the value at the scanner's position: a top-level value
// (top) or an element of the top-level array. A flat message object is
// decoded by flatObject; an object that holds messages or chats, a nested
// array and any value over maxInline are walked by tokens.
func (w *jsonWalker) element(sc *scanner, top bool) error {
	raw, big, err := sc.value(maxInline)
	if err != nil {
		return fmt.Errorf("json %s: %w", w.source, err)
	}
	if big {
		dec := json.NewDecoder(sc.rest())
		sub := w.sub(dec)
		t, err := dec.Token()
		if err != nil {
			return fmt.Errorf("json %s: %w", w.source, err)
		}
		if d, ok := t.(json.Delim); ok && (top || d == '{') {
			if err := sub.value(t, nil, 0); err != nil {
				return err
			}
		} else if err := skipValue(dec, t); err != nil {
			return fmt.Errorf("json %s: %w", w.source, err)
		}
		w.index, w.order = sub.index, sub.order
		sc.resume(io.MultiReader(dec.Buffered(), sc.r))
		return nil
	}
	if len(raw) == 0 {
		return fmt.Errorf("json %s: invalid character %q", w.source, sc.buf[sc.pos])
	}
	switch raw[0] {
	case '{':
		if m, ok := flatObject(raw); ok {
			return w.message(m, nil)
		}
		if !bytes.Contains(raw, []byte(`"messages"`)) && !containsChatsKey(raw) {
			var m map[string]any
			if err := json.Unmarshal(raw, &m); err != nil {
				return fmt.Errorf("json %s: %w", w.source, err)
			}
			return w.message(m, nil)
		}
	case '[':
		if !top {
			return nil // an array in the top-level array: not a message
		}
	default:
		if !json.Valid(raw) {
			return fmt.Errorf("json %s: invalid value %.20q", w.source, raw)
		}
		return nil // a scalar
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	sub := w.sub(dec)
	t, err := dec.Token()
	if err != nil {
		return fmt.Errorf("json %s: %w", w.source, err)
	}
	if err := sub.value(t, nil, 0); err != nil {
		return err
	}
	w.index, w.order = sub.index, sub.order
	return nil
}

// sub is a token walker over dec sharing w's conversations and counters.
func (w *jsonWalker) sub(dec *json.Decoder) *jsonWalker {
	return &jsonWalker{dec: dec, source: w.source, opts: w.opts, emit: w.emit, convs: w.convs,
		order: w.order, index: w.index}
}

// skipValue reads past the rest of a value whose first token was t.
func skipValue(dec *json.Decoder, t json.Token) error {
	d, ok := t.(json.Delim)
	if !ok || (d != '[' && d != '{') {
		return nil
	}
	for depth := 1; depth > 0; {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		if d, ok := t.(json.Delim); ok {
			if d == '[' || d == '{' {
				depth++
			} else {
				depth--
			}
		}
	}
	return nil
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
// each with its messages, participants and group flag filled. On a syntax
// error (a truncated dump) it returns what it read before the error along
// with the error.
func ParseJSON(source string, r io.Reader, opts Options) ([]Conversation, error) {
	var (
		order []*Conversation
		msgs  = map[*Conversation][]Message{}
		n     int
		max   = opts.maxMessages()
	)
	err := StreamJSON(r, source, opts, func(c *Conversation, m Message) error {
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
	return out, err
}

// header is what a chat object said about itself before its messages.
type header map[string]any

// value handles a value whose first token is tok. hdr is the enclosing
// chat object's scalar fields, nil at the top level. depth counts the
// arrays and objects around tok: past leak.MaxNesting the walk stops with
// leak.ErrNesting, keeping the messages already emitted, so that a file
// of `{"chats": [[[[...` a million deep cannot exhaust the stack.
func (w *jsonWalker) value(tok json.Token, hdr header, depth int) error {
	d, ok := tok.(json.Delim)
	if !ok {
		return nil // a scalar at the top level or in a list of chats
	}
	if depth >= leak.MaxNesting {
		return fmt.Errorf("json %s: depth %d: %w", w.source, depth, leak.ErrNesting)
	}
	switch d {
	case '[':
		for w.dec.More() {
			t, err := w.dec.Token()
			if err != nil {
				return fmt.Errorf("json %s: %w", w.source, err)
			}
			if err := w.value(t, hdr, depth+1); err != nil {
				return err
			}
		}
		_, err := w.dec.Token() // ']'
		return err
	case '{':
		return w.object(hdr, depth+1)
	}
	return nil
}

// object walks an object whose '{' was read. Keys that hold messages or
// chats are walked token by token; every other value is decoded whole.
// An object without a messages array is itself a message. depth is the
// object's own nesting, as in value.
func (w *jsonWalker) object(parent header, depth int) error {
	fields := header{}
	walked := false
	for w.dec.More() {
		kt, err := w.dec.Token()
		if err != nil {
			return fmt.Errorf("json %s: %w", w.source, err)
		}
		key, _ := kt.(string)
		lk := strings.ToLower(key)
		if lk == messagesKey || chatsKeys[lk] {
			t, err := w.dec.Token()
			if err != nil {
				return fmt.Errorf("json %s: %w", w.source, err)
			}
			if d, ok := t.(json.Delim); ok {
				walked = true
				if lk == messagesKey && d == '[' {
					if err := w.messages(fields); err != nil {
						return err
					}
					continue
				}
				if err := w.value(t, nil, depth); err != nil {
					return err
				}
				continue
			}
			fields[key] = t
			continue
		}
		var v any
		if err := w.dec.Decode(&v); err != nil {
			return fmt.Errorf("json %s: %w", w.source, err)
		}
		fields[key] = v
	}
	if _, err := w.dec.Token(); err != nil { // '}'
		return fmt.Errorf("json %s: %w", w.source, err)
	}
	if walked {
		return nil
	}
	return w.message(fields, parent)
}

// messages streams the elements of a messages array of the chat described
// by hdr (Telegram: name, type, id come before messages).
func (w *jsonWalker) messages(hdr header) error {
	if hdr == nil {
		hdr = header{}
	}
	hdr["\x00chat"] = true
	for w.dec.More() {
		var m map[string]any
		if err := w.dec.Decode(&m); err != nil {
			var ute *json.UnmarshalTypeError
			if errors.As(err, &ute) {
				continue // a non-object element
			}
			return fmt.Errorf("json %s: %w", w.source, err)
		}
		if err := w.message(m, hdr); err != nil {
			return err
		}
	}
	_, err := w.dec.Token() // ']'
	return err
}

func (w *jsonWalker) keys(name string, common []string) []string {
	if k, ok := w.opts.KeyMap[name]; ok && k != "" {
		return append([]string{k}, common...)
	}
	return common
}

// lookup returns the first present, non-empty value among keys, matching
// case-insensitively.
func lookup(m map[string]any, keys []string) (any, string) {
	for _, k := range keys {
		if v, ok := m[k]; ok && !empty(v) {
			return v, k
		}
	}
	// Case-insensitive, in the order of keys: one pass over the map
	// finds the earliest key that matches.
	best, bestKey, bestAt := any(nil), "", len(keys)
	for mk, v := range m {
		if empty(v) {
			continue
		}
		for i, k := range keys[:bestAt] {
			if len(mk) == len(k) && strings.EqualFold(mk, k) {
				best, bestKey, bestAt = v, mk, i
				break
			}
		}
	}
	return best, bestKey
}

func empty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	}
	return false
}

// str renders a JSON value as a display string: strings as is, numbers
// without exponent, objects by their name, Telegram text-entity arrays
// concatenated.
func str(v any) string { return strAt(v, 0) }

// strAt is str for a value nested depth levels down; deeper than
// leak.MaxNesting it renders nothing (encoding/json already refuses
// values nested 10,000 deep, this keeps the bound in one place).
func strAt(v any, depth int) string {
	if depth >= leak.MaxNesting {
		return ""
	}
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.6f", x), "0"), ".")
	case bool:
		if x {
			return "true"
		}
		return "false"
	case []any:
		var b strings.Builder
		for _, e := range x {
			if o, ok := e.(map[string]any); ok {
				b.WriteString(strAt(o["text"], depth+1))
				continue
			}
			b.WriteString(strAt(e, depth+1))
		}
		return b.String()
	case map[string]any:
		for _, k := range []string{"name", "display_name", "username", "nick", "nickname", "title", "text", "id", "jid"} {
			if s := strAt(x[k], depth+1); s != "" {
				return s
			}
		}
	}
	return ""
}

// message turns one decoded object into a message, or ignores it when it
// has neither a sender nor a body.
func (w *jsonWalker) message(f map[string]any, hdr header) error {
	zone := w.opts.zone()
	body, bodyKey := lookup(f, w.keys("body", bodyKeys))
	from, fromKey := lookup(f, w.keys("from", fromKeys))
	tv, _ := lookup(f, w.keys("time", timeKeys))
	if from == nil && body == nil {
		return nil
	}
	if tv == nil && (from == nil || body == nil) {
		return nil
	}
	m := Message{
		Sender: strings.TrimSpace(str(from)), Text: str(body),
		Source: w.source, Position: w.index, Confidence: 1,
	}
	_ = bodyKey
	if t, ok := parseAnyTime(tv, zone); ok {
		m.Time = t
	}
	if id, k := lookup(f, w.keys("id", idKeys)); id != nil && k != fromKey {
		m.SenderID = str(id)
	}
	typ := strings.ToLower(str(f["type"]))
	if typ == "service" || typ == "system" || f["action"] != nil || isSystem(m.Sender, m.Text) {
		m.System = true
		if m.Sender == "" {
			m.Sender = str(f["actor"])
		}
	}
	c := w.conversation(f, hdr, &m)
	w.index++
	return w.emit(c, m)
}

// conversation finds or creates the conversation of a message: the chat
// object it sits in, else its room, else the pair of people of a direct
// message, else the whole file.
func (w *jsonWalker) conversation(f map[string]any, hdr header, m *Message) *Conversation {
	var k convKey
	var title string
	group := false
	switch {
	case hdr != nil && hdr["\x00chat"] == true:
		title = str(hdr["name"])
		if title == "" {
			title = str(hdr["title"])
		}
		k = convKey{"chat:", str(hdr["id"]), title}
		t := strings.ToLower(str(hdr["type"]))
		group = strings.Contains(t, "group") || strings.Contains(t, "channel") || strings.Contains(t, "supergroup")
	default:
		room, _ := lookup(f, w.keys("chat", roomKeys))
		to, _ := lookup(f, w.keys("to", toKeys))
		switch {
		case room != nil:
			title = str(room)
			k, group = convKey{kind: "room:", a: title}, true
			if to != nil {
				m.Recipients = []string{str(to)}
			}
		case to != nil && personAddress(str(to)):
			a, b := m.Sender, str(to)
			if b < a {
				a, b = b, a
			}
			k = convKey{"pair:", a, b}
			m.Recipients = []string{str(to)}
		case to != nil:
			title = str(to)
			k, group = convKey{kind: "room:", a: title}, true
		default:
			k = convKey{kind: "file"}
		}
	}
	if c, ok := w.convs[k]; ok {
		return c
	}
	c := &Conversation{ID: convID(w.source, k.String()), Source: w.source, Shape: ShapeJSON, Title: title, Group: group}
	w.convs[k] = c
	w.order = append(w.order, c)
	return c
}

// convKey is what splits a JSON export into conversations: a chat
// object (its id and name), a room, a pair of people or the whole file.
type convKey struct{ kind, a, b string }

// String is the key as conversation IDs hash it; it never changes, so
// that IDs stay stable.
func (k convKey) String() string {
	switch k.kind {
	case "chat:":
		return k.kind + k.a + ":" + k.b
	case "pair:":
		return k.kind + k.a + "\x00" + k.b
	}
	return k.kind + k.a
}

// personAddress reports whether a recipient names one person (a Jabber
// address, a handle) rather than a group (a room address, a title).
func personAddress(s string) bool {
	if s == "" {
		return false
	}
	if i := strings.IndexByte(s, '@'); i > 0 {
		dom := strings.ToLower(s[i+1:])
		for _, g := range []string{"conference", "muc.", "room", "chat.", "groups"} {
			if strings.Contains(dom, g) {
				return false
			}
		}
		return true
	}
	for _, r := range s {
		if r > unicode.MaxASCII || r == ' ' {
			return false
		}
	}
	return true
}

// LooksLikeJSON reports whether data starts (after a BOM and white space)
// with a JSON array or object.
func LooksLikeJSON(data []byte) bool {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	data = bytes.TrimLeft(data, " \t\r\n")
	return len(data) > 0 && (data[0] == '[' || data[0] == '{')
}

// Parse reads a chat log or a JSON chat export, detecting which. ok is
// false when the document is neither (the caller indexes it as an ordinary
// document).
func Parse(source string, data []byte, opts Options) (convs []Conversation, ok bool) {
	if LooksLikeJSON(data) {
		cs, err := ParseJSON(source, bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))), opts)
		// Input nested past leak.MaxNesting is malformed, but the
		// messages before that point are real: keep them.
		if (err == nil || errors.Is(err, leak.ErrNesting)) && len(cs) > 0 {
			return cs, true
		}
		if err != nil {
			opts.logger().Debug("chat json", "path", source, "err", err)
		}
	}
	return ParseText(source, data, opts)
}
