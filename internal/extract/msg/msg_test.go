package msg

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/leakscope/leakscope/internal/extract/extracttest"
	"github.com/leakscope/leakscope/internal/ole/oletest"
	"github.com/leakscope/leakscope/internal/sniff"
)

var submit = time.Date(2023, 5, 6, 7, 8, 9, 0, time.UTC)

func u16(s string) []byte {
	var b []byte
	for _, c := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, c)
	}
	return append(b, 0, 0)
}

func gbk(s string) []byte {
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		panic(err)
	}
	return b
}

// fixed is an inline property of a __properties_version1.0 stream.
type fixed struct {
	id, typ uint16
	v       uint64
}

// propStream builds a __properties_version1.0 stream with a header of
// headerLen bytes (32 top level, 24 embedded, 8 attachment/recipient).
func propStream(headerLen int, props ...fixed) []byte {
	b := make([]byte, headerLen)
	for _, p := range props {
		b = binary.LittleEndian.AppendUint32(b, uint32(p.id)<<16|uint32(p.typ))
		b = binary.LittleEndian.AppendUint32(b, 6)
		b = binary.LittleEndian.AppendUint64(b, p.v)
	}
	return b
}

func sub(prefix string, id, typ uint16, data []byte) oletest.Stream {
	return oletest.Stream{Path: fmt.Sprintf("%s__substg1.0_%04X%04X", prefix, id, typ), Data: data}
}

func recip(n int, typ int, name, addr string) []oletest.Stream {
	p := fmt.Sprintf("__recip_version1.0_#%08X/", n)
	return []oletest.Stream{
		{Path: p + "__properties_version1.0", Data: propStream(8, fixed{pidRecipientType, typeInt32, uint64(typ)})},
		sub(p, pidDisplayName, typeUnicode, u16(name)),
		sub(p, pidSMTPAddress, typeUnicode, u16(addr)),
	}
}

func attach(prefix string, n int, name string, data []byte) []oletest.Stream {
	p := fmt.Sprintf("%s__attach_version1.0_#%08X/", prefix, n)
	return []oletest.Stream{
		{Path: p + "__properties_version1.0", Data: propStream(8, fixed{pidAttachMethod, typeInt32, 1})},
		sub(p, pidAttachLongName, typeUnicode, u16(name)),
		sub(p, pidAttachFilename, typeUnicode, u16("SHORT~1.TXT")),
		sub(p, pidAttachData, typeBinary, data),
	}
}

func note(subject, body string) []oletest.Stream {
	s := []oletest.Stream{
		{Path: "__properties_version1.0", Data: propStream(32, fixed{pidClientSubmitTime, typeTime, oletest.FileTime(submit)})},
		sub("", pidMessageClass, typeUnicode, u16("IPM.Note")),
		sub("", pidSubject, typeUnicode, u16(subject)),
		sub("", pidSenderName, typeUnicode, u16("Li Wei")),
		sub("", pidSenderEmail, typeUnicode, u16("/O=EXCHANGE/OU=ADMIN/CN=LIWEI")),
		sub("", pidSenderSMTPAddress, typeUnicode, u16("li.wei@example.cn")),
		sub("", pidInternetMessageID, typeUnicode, u16("<abc123@example.cn>")),
	}
	if body != "" {
		s = append(s, sub("", pidBody, typeUnicode, u16(body)))
	}
	return s
}

// lzfuHello is the compressed RTF example of MS-OXRTFCP section 3.1.1.
var lzfuHello = []byte{
	0x2d, 0x00, 0x00, 0x00, 0x2b, 0x00, 0x00, 0x00, 0x4c, 0x5a, 0x46, 0x75, 0xf1, 0xc5, 0xc7, 0xa7,
	0x03, 0x00, 0x0a, 0x00, 0x72, 0x63, 0x70, 0x67, 0x31, 0x32, 0x35, 0x42, 0x32, 0x0a, 0xf3, 0x20,
	0x68, 0x65, 0x6c, 0x09, 0x00, 0x20, 0x62, 0x77, 0x05, 0xb0, 0x6c, 0x64, 0x7d, 0x0a, 0x80, 0x0f, 0xa0,
}

func melaRTF(rtf string) []byte {
	b := make([]byte, 16)
	binary.LittleEndian.PutUint32(b, uint32(len(rtf)+12))
	binary.LittleEndian.PutUint32(b[4:], uint32(len(rtf)))
	binary.LittleEndian.PutUint32(b[8:], 0x414c454d)
	return append(b, rtf...)
}

// fixtures are the generated .msg files, by case name.
func fixtures() map[string][]oletest.Stream {
	plain := note("季度报告 Q3", "Hello team,\r\nthe figures are attached.\r\n")
	plain = append(plain, recip(0, 1, "Zhang San", "zhang@example.cn")...)
	plain = append(plain, recip(1, 1, "Bob", "bob@example.com")...)
	plain = append(plain, recip(2, 2, "Carol", "carol@example.com")...)
	plain = append(plain, attach("", 0, "数据.csv", []byte("id,name\n1,张三\n"))...)
	plain = append(plain, attach("", 1, "big.bin", bytes.Repeat([]byte("0123456789"), 600))...)

	eightBit := []oletest.Stream{
		{Path: "__properties_version1.0", Data: propStream(32, fixed{pidMessageCodepage, typeInt32, 936}, fixed{pidClientSubmitTime, typeTime, oletest.FileTime(submit)})},
		sub("", pidMessageClass, typeString8, []byte("IPM.Note\x00")),
		sub("", pidSubject, typeString8, append(gbk("机密：合同"), 0)),
		sub("", pidSenderName, typeString8, gbk("王芳")),
		sub("", pidSenderEmail, typeString8, []byte("wang@example.cn")),
		sub("", pidDisplayTo, typeString8, gbk("李四")),
		sub("", pidBody, typeString8, gbk("合同金额为五百万元。")),
	}

	htmlOnly := note("HTML only", "")
	htmlOnly = append(htmlOnly,
		sub("", pidBodyHTML, typeBinary, []byte(`<html><head><style>p{color:red}</style><title>t</title></head><body><p>Visible <b>text</b></p><script>alert(1)</script><div>second line</div></body></html>`)),
		sub("", pidDisplayTo, typeUnicode, u16("Someone")),
		oletest.Stream{Path: "__substg1.0_007D001F", Data: u16("Received: from x\r\nFrom: \"Header Sender\" <hs@example.org>\r\nDate: Mon, 1 Jan 2024 10:00:00 +0800\r\nMessage-ID: <hdr@example.org>\r\n\r\n")},
	)

	rtfOnly := note("RTF only", "")
	rtfOnly = append(rtfOnly, sub("", pidRTFCompressed, typeBinary, melaRTF(`{\rtf1\ansi\ansicpg936{\fonttbl{\f0 Arial;}}{\*\generator x;}\pard Dear \'d5\'c5\'c8\'fd,\par second \u20013?line\par}`)))

	embedded := note("Fwd: inner", "See the forwarded mail.")
	inner := "__attach_version1.0_#00000000/__substg1.0_3701000D/"
	embedded = append(embedded,
		oletest.Stream{Path: "__attach_version1.0_#00000000/__properties_version1.0", Data: propStream(8, fixed{pidAttachMethod, typeInt32, 5})},
		sub("__attach_version1.0_#00000000/", pidDisplayName, typeUnicode, u16("Inner message")),
		oletest.Stream{Path: inner + "__properties_version1.0", Data: propStream(24, fixed{pidClientSubmitTime, typeTime, oletest.FileTime(submit.Add(-time.Hour))})},
		sub(inner, pidSubject, typeUnicode, u16("inner subject 内部")),
		sub(inner, pidSenderName, typeUnicode, u16("Inner Sender")),
		sub(inner, pidSenderSMTPAddress, typeUnicode, u16("inner@example.net")),
		sub(inner, pidBody, typeUnicode, u16("Inner body text.")),
	)
	embedded = append(embedded, attach(inner, 0, "inner.txt", []byte("inner attachment"))...)

	contact := []oletest.Stream{
		{Path: "__properties_version1.0", Data: propStream(32)},
		sub("", pidMessageClass, typeUnicode, u16("IPM.Contact")),
		sub("", pidSubject, typeUnicode, u16("Ivan Petrov")),
		sub("", pidDisplayName, typeUnicode, u16("Ivan Petrov")),
		sub("", 0x3a16, typeUnicode, u16("Rostec")),
		sub("", 0x3a1c, typeUnicode, u16("+7 495 123 45 67")),
	}
	return map[string][]oletest.Stream{
		"plain": plain, "eight-bit-gbk": eightBit, "html-only": htmlOnly, "rtf-only": rtfOnly,
		"embedded": embedded, "contact": contact,
	}
}

func writeFixtures(t testing.TB) map[string]string {
	t.Helper()
	dir := t.TempDir()
	out := map[string]string{}
	for name, streams := range fixtures() {
		p := filepath.Join(dir, name+".msg")
		if err := os.WriteFile(p, oletest.Build(streams, oletest.Options{}), 0o600); err != nil {
			t.Fatal(err)
		}
		out[name] = p
	}
	return out
}

func TestExtract(t *testing.T) {
	for name, p := range writeFixtures(t) {
		t.Run(name, func(t *testing.T) {
			in := extracttest.NewInput(t, p)
			if in.MIME != sniff.MSG {
				t.Errorf("sniffed %s, want %s", in.MIME, sniff.MSG)
			}
			r, err := extracttest.Run(t.Context(), Extractor{}, in)
			if err != nil {
				t.Fatal(err)
			}
			for _, b := range extracttest.Validate(r) {
				t.Error(b)
			}
			extracttest.Golden(t, filepath.Join("testdata", "golden", "TestExtract", name+".golden"), r.Summary(2048).JSON())
		})
	}
}

func TestContent(t *testing.T) {
	files := writeFixtures(t)
	tests := []struct {
		name     string
		contains []string
		meta     map[string]string
		children []string
	}{
		{name: "plain", contains: []string{"From: Li Wei <li.wei@example.cn>\n", "To: Zhang San <zhang@example.cn>, Bob <bob@example.com>\n",
			"Cc: Carol <carol@example.com>\n", "Subject: 季度报告 Q3\n\nHello team,\nthe figures"},
			meta:     map[string]string{"date": "Sat, 06 May 2023 07:08:09 +0000", "message-id": "<abc123@example.cn>"},
			children: []string{"数据.csv", "big.bin"}},
		{name: "eight-bit-gbk", contains: []string{"Subject: 机密：合同\n", "From: 王芳 <wang@example.cn>", "To: 李四", "合同金额为五百万元。"},
			meta: map[string]string{"subject": "机密：合同"}},
		{name: "html-only", contains: []string{"Visible text", "second line", "To: Someone"},
			meta: map[string]string{"message-id": "<abc123@example.cn>"}},
		{name: "rtf-only", contains: []string{"Dear 张三,\nsecond 中line"}},
		{name: "embedded", contains: []string{"See the forwarded mail."}, children: []string{"Inner message.eml"}},
		{name: "contact", contains: []string{"Company: Rostec", "Mobile phone: +7 495 123 45 67"},
			meta: map[string]string{"message-class": "IPM.Contact"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := extracttest.Run(t.Context(), Extractor{}, extracttest.NewInput(t, files[tt.name]))
			if err != nil {
				t.Fatal(err)
			}
			body := r.Body()
			for _, c := range tt.contains {
				if !strings.Contains(body, c) {
					t.Errorf("text lacks %q:\n%s", c, body)
				}
			}
			if strings.Contains(body, "alert(1)") || strings.Contains(body, "color:red") {
				t.Errorf("text holds script or style: %q", body)
			}
			for k, v := range tt.meta {
				if got := r.MetaValue(k); got != v {
					t.Errorf("meta %s = %q, want %q", k, got, v)
				}
			}
			if tt.children != nil {
				if diff := cmp.Diff(tt.children, r.Names()); diff != "" {
					t.Errorf("children (-want +got):\n%s", diff)
				}
			}
		})
	}
}

// TestEmbeddedIsMail checks that an attached message becomes an RFC 5322
// message that sniffs as mail and keeps its headers, body and attachment.
func TestEmbeddedIsMail(t *testing.T) {
	r, err := extracttest.Run(t.Context(), Extractor{}, extracttest.NewInput(t, writeFixtures(t)["embedded"]))
	if err != nil {
		t.Fatal(err)
	}
	c, ok := r.ChildNamed("Inner message.eml")
	if !ok {
		t.Fatalf("no embedded child among %v", r.Names())
	}
	if got := sniff.Type(c.Data, "x"); got != sniff.EML {
		t.Errorf("embedded message sniffs as %s, want %s", got, sniff.EML)
	}
	for _, want := range []string{"From: Inner Sender <inner@example.net>", "Subject: =?utf-8?q?", "filename=inner.txt",
		"SW5uZXIgYm9keSB0ZXh0Lg==", "aW5uZXIgYXR0YWNobWVudA=="} {
		if !bytes.Contains(c.Data, []byte(want)) {
			t.Errorf("embedded message lacks %q:\n%s", want, c.Data)
		}
	}
}

func TestDecompressRTF(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{name: "lzfu-spec-example", in: lzfuHello, want: "{\\rtf1\\ansi\\ansicpg1252\\pard hello world}\r\n"},
		{name: "mela", in: melaRTF(`{\rtf1 x}`), want: `{\rtf1 x}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decompressRTF(tt.in, 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, string(got)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	if _, err := decompressRTF([]byte("short"), 100); err == nil {
		t.Error("short input: err = nil")
	}
}

func TestRTFText(t *testing.T) {
	tests := []struct {
		name, in, want string
		cp             int
	}{
		{name: "plain", in: `{\rtf1\ansi{\fonttbl{\f0 Arial;}}\pard hello\par world}`, want: "hello\nworld"},
		{name: "fromhtml", in: `{\rtf1\ansi\fromhtml1{\*\htmltag64 <p>}\htmlrtf {\htmlrtf0 Visible\par}\htmlrtf0 kept{\*\htmltag72 </p>}}`, want: "Visible\nkept"},
		{name: "unicode-skip", in: `{\rtf1\uc1 a\u8364?b}`, want: "a€b"},
		{name: "big5-hex", in: `{\rtf1\ansi\ansicpg950 \'a4\'a4\'a4\'e5}`, want: "中文"},
		{name: "escapes", in: `{\rtf1 a\{b\}c\\d\~e}`, want: `a{b}c\d e`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, rtfText([]byte(tt.in), tt.cp)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestConformance(t *testing.T) {
	files := writeFixtures(t)
	paths := make([]string, 0, len(files))
	for _, p := range files {
		paths = append(paths, p)
	}
	extracttest.Check(t, Extractor{}, paths...)
}

// TestRealFormats runs the extractor over the third-party .msg files of
// the shared corpus: every one must yield text, without error or panic.
func TestRealFormats(t *testing.T) {
	root := extracttest.SharedCorpus(t)
	var files []string
	filepath.WalkDir(filepath.Join(root, "real-formats"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.EqualFold(filepath.Ext(p), ".msg") {
			files = append(files, p)
		}
		return nil
	})
	if len(files) == 0 {
		t.Fatal("no .msg files under real-formats")
	}
	withText := 0
	for _, p := range files {
		in := extracttest.NewInput(t, p)
		r, err := extracttest.Run(t.Context(), Extractor{}, in)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(p), err)
			continue
		}
		for _, b := range extracttest.Validate(r) {
			t.Errorf("%s: %s", filepath.Base(p), b)
		}
		if strings.TrimSpace(r.Body()) != "" {
			withText++
		} else {
			t.Errorf("%s: no text", filepath.Base(p))
		}
	}
	t.Logf("real-formats .msg with text: %d of %d", withText, len(files))
	if !testing.Short() {
		extracttest.Check(t, Extractor{}, files...)
	}
}

func FuzzExtract(f *testing.F) {
	// Small seeds only: the fuzzer minimises each new input by re-running
	// it thousands of times, which a 12 KiB seed makes slow.
	for _, name := range []string{"embedded", "rtf-only", "eight-bit-gbk", "contact"} {
		f.Add(oletest.Build(fixtures()[name], oletest.Options{}))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(dir, "f.msg")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		in := extracttest.NewInputMIME(t, p, sniff.MSG)
		in.Limits.MaxText = 1 << 16
		r := &extracttest.Recorder{MaxChildBytes: 1 << 20}
		err := extracttest.RunWith(t.Context(), Extractor{}, in, r)
		var pe *extracttest.PanicError
		if ok := asPanic(err, &pe); ok {
			t.Fatal(err)
		}
		if !utf8.ValidString(r.Body()) {
			t.Fatal("invalid UTF-8 text")
		}
		if int64(len(r.Body())) > in.Limits.MaxText {
			t.Fatalf("text of %d bytes over the cap %d", len(r.Body()), in.Limits.MaxText)
		}
		for _, v := range extracttest.Validate(r) {
			t.Error(v)
		}
	})
}

func asPanic(err error, pe **extracttest.PanicError) bool {
	p, ok := err.(*extracttest.PanicError)
	if ok {
		*pe = p
	}
	return ok
}
