package chat

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/leakscope/leakscope/internal/leak"
)

// Common key names of JSON chat exports, most specific first. Options.KeyMap
// puts a file's own key in front of each list.
var (
	timeKeys = []string{"date_unixtime", "timestamp", "ts", "time", "date", "created_at", "createdAt",
		"sent_at", "datetime", "create_time", "createTime", "msgtime", "msg_time", "origin_server_ts",
		"strtime", "时间", "发送时间", "日期"}
	// "u" is Rocket.Chat's {"_id", "username", "name"}; "party" names the
	// side of a two-party negotiation chat ("support", "client").
	fromKeys = []string{"from", "sender", "author", "user", "u", "username", "nick", "nickname", "from_name",
		"sender_name", "sender_alias", "author_name", "talker", "party", "from_id", "user_id", "sender_id",
		"发送者", "发送人", "发言人", "说话人", "昵称", "用户名"}
	idKeys   = []string{"from_id", "sender_id", "user_id", "uid", "author_id"}
	toKeys   = []string{"to", "recipient", "receiver", "peer"}
	roomKeys = []string{"chat", "room", "group", "channel", "conversation", "chat_name", "room_name", "group_name",
		"群名", "群聊", "会话"}
	// roomIDKeys name a conversation by an id that says nothing of its
	// size (Rocket.Chat rid, Matrix room_id): a direct chat and a group
	// both have one, so the participants decide Group.
	// chatTitleKeys name the chat object that wraps a messages array.
	chatTitleKeys = []string{"name", "title", "room_name", "chat_name", "group_name", "channel"}
	roomIDKeys    = []string{"chat_id", "rid", "room_id", "channel_id", "conversation_id", "thread_id"}
	bodyKeys      = []string{"body", "text", "message", "content", "msg", "plain", "message_text", "strcontent",
		"内容", "消息", "消息内容", "聊天内容"}
	// senderNameKeys and senderIDKeys read a sender written as an object
	// ({"username": "nordhavn_ops", "name": "Nordhavn Ops", "_id": "x1"}):
	// the handle first, since display names change and handles do not.
	senderNameKeys = []string{"username", "name", "display_name", "displayName", "nick", "nickname", "screen_name", "title", "jid"}
	senderIDKeys   = []string{"id", "_id", "uid", "user_id"}
	// attachmentKeys hold a message's files; a file post without a
	// caption is kept with the files' names as its text.
	attachmentKeys = []string{"attachments", "files", "file", "photo", "media", "document"}
	fileNameKeys   = []string{"fileName", "file_name", "filename", "name", "title", "url", "title_link"}
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
	tv, timeKey := lookup(f, w.keys("time", timeKeys))
	if from == nil && body == nil {
		return nil
	}
	if tv == nil && (from == nil || body == nil) {
		return nil
	}
	w.st.chose("from", fromKey)
	w.st.chose("body", bodyKey)
	w.st.chose("time", timeKey)
	sender, senderID := senderOf(from)
	m := Message{
		Sender: sender, SenderID: senderID, Text: bodyOf(body),
		Source: w.source, Position: w.st.index, Confidence: 1,
	}
	if files := attachmentNames(f); files != "" {
		if m.Text != "" {
			m.Text += "\n"
		}
		m.Text += files
	}
	if t, ok := parseAnyTime(tv, zone); ok {
		m.Time = t
	}
	if id, k := lookup(f, w.keys("id", idKeys)); id != nil && k != fromKey {
		m.SenderID = str(id)
	}
	if systemEvent(f) || isSystem(m.Sender, m.Text) {
		m.System = true
		if m.Sender == "" {
			m.Sender = str(f["actor"])
		}
	}
	c := w.conversation(f, hdr, &m)
	w.st.index++
	if m.System {
		w.st.stats.Events++
	} else {
		w.st.stats.Messages++
	}
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
		// Telegram names its chat "name"; Matrix exports "room_name";
		// a channel export ({"guild", "channel": {"name"}}) its channel.
		if v, _ := lookup(hdr, chatTitleKeys); v != nil {
			title = str(v)
		}
		k = convKey{"chat:", str(hdr["id"]), title}
		t := strings.ToLower(str(hdr["type"]))
		group = strings.Contains(t, "group") || strings.Contains(t, "channel") || strings.Contains(t, "supergroup")
	default:
		room, roomKey := lookup(f, w.keys("chat", roomKeys))
		to, _ := lookup(f, w.keys("to", toKeys))
		roomID, roomIDKey := lookup(f, roomIDKeys)
		w.st.chose("chat", cmpOr(roomKey, roomIDKey))
		switch {
		case room == nil && roomID != nil:
			title = str(roomID)
			k = convKey{kind: "room:", a: title}
			if to != nil {
				m.Recipients = []string{str(to)}
			}
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

// ParseStats is Parse with what the parser read and chose: for a JSON
// export the reader's counts and keys, for a text log every message
// counted as read and its line shape.
func ParseStats(source string, data []byte, opts Options) ([]Conversation, Stats, bool) {
	if LooksLikeJSON(data) {
		cs, st, err := ParseJSONStats(source, bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))), opts)
		if (err == nil || errors.Is(err, leak.ErrNesting)) && len(cs) > 0 {
			return cs, st, true
		}
		if err != nil {
			opts.logger().Debug("chat json", "path", source, "err", err)
		}
	}
	cs, shape, ok := parseText(source, data, opts)
	if !ok {
		return nil, Stats{}, false
	}
	st := CountStats(cs, false)
	st.Shape = shape
	return cs, st, true
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

// senderOf reads a sender value: a string as written, an object by its
// handle or name (senderNameKeys) with its id (senderIDKeys) when that
// differs.
func senderOf(v any) (name, id string) {
	o, ok := v.(map[string]any)
	if !ok {
		return strings.TrimSpace(str(v)), ""
	}
	if n, _ := lookup(o, senderNameKeys); n != nil {
		name = strings.TrimSpace(str(n))
	}
	if i, _ := lookup(o, senderIDKeys); i != nil {
		id = str(i)
	}
	if name == "" {
		name, id = id, ""
	}
	if id == name {
		id = ""
	}
	return name, id
}

// bodyOf reads a body value: an object (Matrix content {"msgtype",
// "body"}) by its own body keys, anything else by str.
func bodyOf(v any) string {
	if o, ok := v.(map[string]any); ok {
		if b, _ := lookup(o, bodyKeys); b != nil {
			return strAt(b, 1)
		}
		return ""
	}
	return str(v)
}

// attachmentNames renders a message's files as "[file: a.zip]" lines,
// so that a file post without a caption is kept and searchable by the
// file's name.
func attachmentNames(f map[string]any) string {
	var names []string
	var add func(v any, depth int)
	add = func(v any, depth int) {
		switch x := v.(type) {
		case []any:
			if depth > 2 {
				return
			}
			for _, e := range x {
				add(e, depth+1)
			}
		case map[string]any:
			if n, _ := lookup(x, fileNameKeys); n != nil {
				if s := str(n); s != "" {
					names = append(names, s)
				}
			}
		case string:
			if x != "" && !strings.ContainsAny(x, "\n") && len(x) < 512 {
				names = append(names, x)
			}
		}
	}
	for _, k := range attachmentKeys {
		if v, ok := f[k]; ok {
			add(v, 0)
		}
	}
	// Rocket.Chat writes a file both as "file" and in "attachments".
	names = slices.Compact(names)
	var b strings.Builder
	for i, n := range names {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString("[file: " + n + "]")
	}
	return b.String()
}

// systemEvent reports whether a record is an event rather than someone's
// message, by the fields exports mark events with: Telegram "type":
// "service" and "action"; Rocket.Chat "t" ("uj" joined, "rm" removed);
// Matrix state events ("m.room.member"); Slack and Discord join, pin and
// call subtypes; recalled messages.
func systemEvent(f map[string]any) bool {
	if f["action"] != nil {
		return true
	}
	if t, ok := f["t"].(string); ok && t != "" && len(t) <= 32 && !strings.ContainsAny(t, "0123456789") {
		return true // Rocket.Chat: only events carry a type code
	}
	for _, k := range []string{"type", "subtype", "msgtype", "event"} {
		if eventType(strings.ToLower(str(f[k]))) {
			return true
		}
	}
	return false
}

// eventType reports whether a type field's value names an event: "join"
// or "m.room.member" yes, "message", "text", "Default" or "m.room.message"
// no.
func eventType(t string) bool {
	switch t {
	case "", "message", "text", "default", "reply", "m.room.message", "m.room.encrypted", "m.sticker", "m.text",
		"m.notice", "m.image", "m.file", "m.video", "m.audio", "m.emote", "chat", "normal", "groupchat":
		return false
	case "service", "system", "event", "notification", "recall", "revoke", "deleted":
		return true
	}
	if strings.HasPrefix(t, "m.room.") || strings.HasPrefix(t, "m.call.") {
		return true
	}
	for _, w := range []string{"join", "leave", "left", "pin", "recipientadd", "recipientremove", "namechange", "topic", "purpose", "call", "recall", "revoke"} {
		if strings.Contains(t, w) {
			return true
		}
	}
	return false
}
