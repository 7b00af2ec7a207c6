package mail

import (
	"strings"
	"testing"

	"github.com/leakscope/leakscope/internal/extract/extracttest"
	"github.com/leakscope/leakscope/internal/sniff"
)

// TestBrokenContentType covers Content-Type headers that
// mime.ParseMediaType rejects and that once panicked the extractor (the
// FuzzEML crashers under testdata/fuzz/FuzzEML).
func TestBrokenContentType(t *testing.T) {
	tests := []struct {
		name  string
		ctype string
		want  string
	}{
		{name: "empty value", ctype: "000000ChArset=", want: ""},
		{name: "empty value then space", ctype: "text/plain charset=   ", want: ""},
		{name: "raw gbk before charset", ctype: gbk("中文中文") + " charset=gbk", want: "gbk"},
		{name: "quoted with more params", ctype: `text/plain charset="big5"; name=x`, want: "big5"},
		{name: "semicolon glued", ctype: "text/plain charset=utf-8;format=flowed", want: "utf-8"},
		{name: "no charset", ctype: "text plain", want: ""},
		{name: "key at end", ctype: "text/plain; charset", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := brokenCharset(tt.ctype); got != tt.want {
				t.Errorf("brokenCharset(%q) = %q, want %q", tt.ctype, got, tt.want)
			}
		})
	}
}

// TestBrokenContentTypeMessage runs the crashers through Extract: the
// part is read with what can be seen of its charset.
func TestBrokenContentTypeMessage(t *testing.T) {
	tests := []struct {
		name string
		data string
		want string
	}{
		{name: "empty charset", data: "Subject: s\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: 0ChArset=\n\nhello\n--b--\n", want: "hello"},
		{name: "gbk before charset", data: "Subject: s\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: " + gbk("中文中文") + " charset=gbk\n\n" + gbk("你好") + "\n--b--\n", want: "你好"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := write(t, "m.eml", tt.data)
			r, err := extracttest.Run(t.Context(), EML{}, extracttest.NewInputMIME(t, p, sniff.EML))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(r.Body(), tt.want) {
				t.Errorf("body %q does not contain %q", r.Body(), tt.want)
			}
		})
	}
}
