package chat

import (
	"bytes"
	"errors"
	"fmt"
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
		Source: w.source, Position: w.st.index, Confidence: 1,
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
	w.st.index++
	w.st.stats.Messages++
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
	if c, ok := w.st.convs[k]; ok {
		return c
	}
	c := &Conversation{ID: convID(w.source, k.String()), Source: w.source, Shape: ShapeJSON, Title: title, Group: group}
	w.st.convs[k] = c
	w.st.order = append(w.st.order, c)
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
