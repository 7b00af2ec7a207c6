package chat

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/leakscope/leakscope/internal/leak"
)

// deepJSON returns open, then n copies of in, then n copies of out, then
// close: `{"chats": [[[ ... ]]]}` and the like.
func deepJSON(open, in, out, close string, n int) []byte {
	var b bytes.Buffer
	b.WriteString(open)
	b.WriteString(strings.Repeat(in, n))
	b.WriteString(strings.Repeat(out, n))
	b.WriteString(close)
	return b.Bytes()
}

// oneMessage is a Telegram-style chat holding one message, which a deep
// sibling after it must not lose.
const oneMessage = `{"name": "Nordhavn Shipping", "type": "private_group", "id": 7, "messages": [{"date": "2024-01-02T03:04:05", "from": "alice", "text": "hello"}]}`

// TestJSONNesting feeds JSON nested 100,000 deep through Parse and
// ParseJSON: the walk stops at leak.MaxNesting with leak.ErrNesting, the
// stack stays small, and the messages read before the deep value are kept.
func TestJSONNesting(t *testing.T) {
	const n = 100_000
	tests := []struct {
		name      string
		data      []byte
		wantErr   bool // ParseJSON reports leak.ErrNesting
		wantMsgs  int  // messages Parse keeps
		wantParse bool // Parse reports a chat
	}{
		{name: "arrays under chats", data: deepJSON(`{"chats": `, "[", "]", "}", n), wantErr: true},
		{name: "objects under list", data: deepJSON("", `{"list": `, "}", "", n), wantErr: true},
		{name: "message then deep arrays", data: deepJSON(`{"chats": {"list": [`+oneMessage+`, `, "[", "]", "]}}", n), wantErr: true, wantMsgs: 1, wantParse: true},
		{name: "top-level arrays", data: deepJSON("", "[", "]", "", n)},
		{name: "deep value under a plain key", data: deepJSON(`{"from": "a", "text": "b", "x": `, `{"y": `, "}", "}", n)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseJSON("deep.json", bytes.NewReader(tt.data), Options{})
			if got := errors.Is(err, leak.ErrNesting); got != tt.wantErr {
				t.Errorf("ParseJSON error %v; is ErrNesting = %v, want %v", err, got, tt.wantErr)
			}
			convs, ok := Parse("deep.json", tt.data, Options{})
			if ok != tt.wantParse {
				t.Errorf("Parse ok = %v, want %v", ok, tt.wantParse)
			}
			msgs := 0
			for _, c := range convs {
				msgs += len(c.Messages)
			}
			if ok && msgs != tt.wantMsgs {
				t.Errorf("Parse kept %d messages, want %d", msgs, tt.wantMsgs)
			}
		})
	}
}

// TestStrNesting checks that rendering a decoded value stops at
// leak.MaxNesting instead of following it to the bottom.
func TestStrNesting(t *testing.T) {
	var v any = "deep"
	for range leak.MaxNesting + 10 {
		v = []any{v}
	}
	tests := []struct {
		name string
		v    any
		want string
	}{
		{name: "beyond the limit", v: v, want: ""},
		{name: "shallow entity array", v: []any{map[string]any{"text": "hi "}, "there"}, want: "hi there"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := str(tt.v); got != tt.want {
				t.Errorf("str = %q, want %q", got, tt.want)
			}
		})
	}
}
