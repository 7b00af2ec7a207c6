package pdf

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

const sampleInfo = `Title:           境外数据项目汇报（南亚方向）
Author:          顾振洲
Creator:         Microsoft Word
Producer:        Microsoft: Print To PDF
CreationDate:    2022-02-15T16:00:00Z
ModDate:         2022-02-15T16:00:00+08
Custom Metadata: no
Tagged:          no
Pages:           12
Encrypted:       yes (print:yes copy:no change:no addNotes:no algorithm:AES)
Page size:       595.28 x 841.89 pts (A4)
PDF version:     1.7
`

func TestParseInfo(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Info
	}{
		{"full", sampleInfo, Info{Title: "境外数据项目汇报（南亚方向）", Author: "顾振洲", Creator: "Microsoft Word",
			Producer: "Microsoft: Print To PDF", Created: "2022-02-15T16:00:00Z", Modified: "2022-02-15T16:00:00+08",
			Pages: 12, Encrypted: true, PDFVersion: "1.7"}},
		{"empty", "", Info{}},
		{"bad pages", "Pages: lots\nEncrypted: no\n", Info{}},
		{"control chars and bad utf-8", "Title: a\x01b\xffc\n", Info{Title: "ab\uFFFDc"}},
		{"negative pages", "Pages: -3\n", Info{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, ParseInfo([]byte(tt.in))); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzPDFInfo: no panic, valid UTF-8 and capped values, pages >= 0.
func FuzzPDFInfo(f *testing.F) {
	f.Add([]byte(sampleInfo))
	f.Add([]byte("Title:\nPages: 99999999999999999999\n"))
	f.Add([]byte("Title: " + strings.Repeat("长", 2000) + "\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		in := ParseInfo(b)
		if in.Pages < 0 {
			t.Fatalf("pages %d", in.Pages)
		}
		for _, kv := range in.Meta() {
			if !utf8.ValidString(kv[1]) || len(kv[1]) > maxInfoValue || kv[1] == "" {
				t.Fatalf("%s: bad value %q", kv[0], kv[1])
			}
		}
	})
}
