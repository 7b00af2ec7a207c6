package chat

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestFlatObject(t *testing.T) {
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{"plain", `{"ts":1646200833,"from":"lion_shao","to":"中亚组","body":"行"}`, true},
		{"literals", `{"a":true,"b":false,"c":null,"d":-1.5e3}`, true},
		{"escaped value", `{"body":"a\"b\\c\u4e2d\n"}`, true},
		{"spaces", " { \"a\" : \"b\" , \"c\" : 0 } ", true},
		{"empty", `{}`, true},
		{"nested object", `{"from":{"name":"x"}}`, false},
		{"nested array", `{"text":["a",{"text":"b"}]}`, false},
		{"escaped key", `{"b\u006fdy":"x"}`, false},
		{"bad number", `{"a":01}`, false},
		{"trailing comma", `{"a":1,}`, false},
		{"missing colon", `{"a" 1}`, false},
		{"garbage after", `{"a":1}x`, false},
		{"invalid utf8 value", "{\"a\":\"\xff\"}", true},
		{"control char", "{\"a\":\"x\ny\"}", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := flatObject([]byte(tt.in))
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v", ok, tt.ok)
			}
			if !ok {
				return
			}
			var want map[string]any
			if err := json.Unmarshal([]byte(tt.in), &want); err != nil {
				t.Fatalf("flatObject accepted what json rejects: %v", err)
			}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("(-json +flat):\n%s", d)
			}
		})
	}
}

// FuzzFlatObject checks that the fast decoder agrees with encoding/json
// on everything it accepts.
func FuzzFlatObject(f *testing.F) {
	f.Add(`{"ts":1,"from":"a","body":"b"}`)
	f.Add(`{"a":"\u00e9\"","b":-0.5E+2,"c":null}`)
	f.Add(`{"a":1e999}`)
	f.Fuzz(func(t *testing.T, in string) {
		got, ok := flatObject([]byte(in))
		if !ok {
			return
		}
		var want map[string]any
		if err := json.Unmarshal([]byte(in), &want); err != nil {
			t.Fatalf("accepted %q that json rejects: %v", in, err)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Fatalf("%q (-json +flat):\n%s", in, d)
		}
		for k, v := range got {
			if s, ok := v.(string); ok && !utf8.ValidString(s) || !utf8.ValidString(k) {
				t.Fatalf("invalid UTF-8 in %q", in)
			}
		}
	})
}

// telegramChat renders a Telegram-style chat object with n messages.
func telegramChat(name string, n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, `{"name":%q,"type":"private_group","id":7,"messages":[`, name)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":%d,"type":"message","date":"2021-06-03T10:%02d:00","from":"user%d","from_id":"user%d","text":["第%d条 ",{"type":"bold","text":"消息"}]}`,
			i, i%60, i%3, i%3, i)
	}
	b.WriteString("]}")
	return b.String()
}

// TestStreamJSONPaths drives each path of StreamJSON (flat objects, objects
// decoded by encoding/json, chat objects walked by tokens, values over
// maxInline walked from the stream) and checks the messages and where
// each path resumes.
func TestStreamJSONPaths(t *testing.T) {
	big := telegramChat("大群", 12000) // over maxInline
	if len(big) <= maxInline {
		t.Fatalf("fixture %d bytes, want over %d", len(big), maxInline)
	}
	tests := []struct {
		name      string
		in        string
		wantMsgs  int
		wantConvs int
		wantErr   bool
		wantSkip  int // records counted as skipped
	}{
		{"json lines", "{\"ts\":1,\"from\":\"a\",\"to\":\"b\",\"body\":\"x\"}\n{\"ts\":2,\"from\":\"b\",\"to\":\"a\",\"body\":\"y\"}\n", 2, 1, false, 0},
		{"array with bom", "\ufeff[{\"ts\":1,\"from\":\"a\",\"body\":\"x\"},\n {\"ts\":2,\"from\":{\"name\":\"b\"},\"body\":\"y\"}]", 2, 1, false, 0},
		{"chat object in array", "[" + telegramChat("小群", 3) + "," + telegramChat("另一个", 2) + "]", 5, 2, false, 0},
		{"big chat then lines", big + "\n{\"ts\":1,\"from\":\"a\",\"to\":\"b\",\"body\":\"x\"}\n", 12001, 2, false, 0},
		{"big chat in array", "[" + big + ",{\"ts\":1,\"from\":\"a\",\"to\":\"b\",\"body\":\"x\"}]", 12001, 2, false, 0},
		{"truncated", "[{\"ts\":1,\"from\":\"a\",\"body\":\"x\"},{\"ts\":2,\"from\":\"b\",\"bo", 1, 1, false, 1},
		{"garbage scalar", "{\"ts\":1,\"from\":\"a\",\"body\":\"x\"}\nnonsense\n", 1, 1, false, 1},
		{"escape across buffer", "[" + strings.Repeat(" ", 256<<10-30) + "{\"from\":\"a\",\"ts\":1,\"body\":\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\"}]", 1, 1, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := 0
			convs := map[*Conversation]bool{}
			st, err := ReadJSON(strings.NewReader(tt.in), "t.json", Options{}, func(c *Conversation, m Message) error {
				n++
				convs[c] = true
				if !utf8.ValidString(m.Text) || !utf8.ValidString(m.Sender) {
					t.Fatalf("invalid UTF-8 in message %d", n)
				}
				return nil
			})
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if d := cmp.Diff([]int{tt.wantMsgs, tt.wantConvs, tt.wantSkip}, []int{n, len(convs), st.Skipped}); d != "" {
				t.Errorf("messages, conversations, skipped (-want +got):\n%s", d)
			}
		})
	}
}

// TestStreamJSONSmallReads feeds the stream one byte per Read so that
// every value crosses buffer refills.
func TestStreamJSONSmallReads(t *testing.T) {
	data := genDump(300, false)
	var want, got []string
	collect := func(out *[]string) func(c *Conversation, m Message) error {
		return func(c *Conversation, m Message) error {
			*out = append(*out, c.ID+"|"+m.String())
			return nil
		}
	}
	if err := StreamJSON(bytes.NewReader(data), "d.json", Options{}, collect(&want)); err != nil {
		t.Fatal(err)
	}
	if err := StreamJSON(oneByte{bytes.NewReader(data)}, "d.json", Options{}, collect(&got)); err != nil {
		t.Fatal(err)
	}
	if len(want) != 300 {
		t.Fatalf("%d messages, want 300", len(want))
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-whole +one byte reads):\n%s", d)
	}
}

type oneByte struct{ r *bytes.Reader }

func (o oneByte) Read(p []byte) (int, error) {
	if len(p) > 1 {
		p = p[:1]
	}
	return o.r.Read(p)
}

func TestStreamJSONNotChat(t *testing.T) {
	err := StreamJSON(strings.NewReader(`[1, "two", {"x": 3}]`), "n.json", Options{}, func(*Conversation, Message) error { return nil })
	if !errors.Is(err, ErrNotChat) {
		t.Errorf("err = %v, want ErrNotChat", err)
	}
}
