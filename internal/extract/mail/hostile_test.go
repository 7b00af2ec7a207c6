package mail

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/extract/extracttest"
	"github.com/leakscope/leakscope/internal/leak"
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

// TestMultipartNesting runs a message whose multiparts nest 100,000 deep
// through EML: the walk stops at maxMultipartDepth, flags the
// message and keeps the text of the parts before the cut.
func TestMultipartNesting(t *testing.T) {
	var b strings.Builder
	b.WriteString("Subject: deep\nContent-Type: multipart/mixed; boundary=b0\n\n")
	const n = 100_000
	for i := range n {
		fmt.Fprintf(&b, "--b%d\nContent-Type: multipart/mixed; boundary=b%d\n\n", i, i+1)
		if i == 0 {
			// A text part first in the second level.
			fmt.Fprintf(&b, "--b1\nContent-Type: text/plain\n\nkept text\n")
		}
	}
	for i := n; i >= 0; i-- {
		fmt.Fprintf(&b, "--b%d--\n", i)
	}
	tests := []struct {
		name string
		ext  extract.Extractor
		mime string
		data string
	}{
		{name: "eml", ext: EML{}, mime: sniff.EML, data: b.String()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := write(t, "deep", tt.data)
			r, err := extracttest.Run(t.Context(), tt.ext, extracttest.NewInputMIME(t, p, tt.mime))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Contains(r.Flags, leak.FlagDeepNesting) {
				t.Errorf("flags %v, want %s", r.Flags, leak.FlagDeepNesting)
			}
			if !strings.Contains(r.Body(), "kept text") {
				t.Errorf("body %q lost the part before the cut", r.Body())
			}
		})
	}
}
