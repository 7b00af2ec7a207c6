package charset

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
)

// Sample texts in several languages, written for these tests.
const (
	zhHans = "关于下周项目会议的通知：请各部门负责人于周三上午九点到三楼会议室参加讨论，" +
		"会议内容包括年度工作总结、数据交付情况和明年的预算安排。如有问题请联系办公室。\n"
	zhHansShort = "你好，世界\n"
	zhHant      = "合作備忘錄：甲乙雙方經過友好協商，就資料服務項目達成以下協議。" +
		"乙方應於每月月底前提交工作報告，甲方應在收到報告後十個工作日內支付費用。\n"
	zhHantShort = "繁體中文測試\n"
	ja          = "来週の会議について、各部署の担当者は水曜日の午前九時に三階の会議室に集まってください。" +
		"議題は年間の業務報告とデータの納品状況です。\n"
	ko = "다음 주 회의에 대해 알려 드립니다. 각 부서의 담당자는 수요일 오전 아홉 시에 삼층 회의실로 " +
		"모여 주시기 바랍니다. 회의 내용은 연간 업무 보고와 데이터 전달 현황입니다.\n"
	ru = "Уведомление о совещании на следующей неделе: руководители отделов должны прийти " +
		"в среду в девять часов утра в переговорную на третьем этаже.\n"
	fr = "Réunion de la semaine prochaine : les responsables sont priés de venir mercredi à " +
		"neuf heures, salle trois. Ordre du jour : bilan annuel, données livrées et budget prévu.\n"
	de = "Die Besprechung findet am Mittwoch um neun Uhr im großen Saal statt. Bitte bringen Sie " +
		"die Unterlagen für die Jahresübersicht mit. Grüße aus München.\n"
	pl = "Spotkanie odbędzie się w środę o dziewiątej w sali na trzecim piętrze. Proszę przynieść " +
		"dokumenty dotyczące rocznego sprawozdania. Pozdrawiam, Łukasz Żółć.\n"
	el = "Η συνάντηση της επόμενης εβδομάδας θα γίνει την Τετάρτη στις εννέα το πρωί στην αίθουσα " +
		"του τρίτου ορόφου.\n"
	emoji = "数据交付记录 😀 已完成\n"
)

func encode(t testing.TB, enc encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := enc.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	return b
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name     string
		enc      encoding.Encoding // nil: text is used as is
		text     string
		raw      []byte // overrides enc/text when set
		wantName string
		wantText string // "" means text
	}{
		{name: "ascii", text: "plain ascii log line\n", wantName: UTF8},
		{name: "empty", text: "", wantName: UTF8},
		{name: "utf8 chinese", text: zhHans, wantName: UTF8},
		{name: "utf8 bom", raw: append([]byte("\xef\xbb\xbf"), zhHans...), wantName: UTF8BOM, wantText: zhHans},
		{name: "utf16le bom", enc: unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), text: zhHans, wantName: UTF16LE},
		{name: "utf16be bom", enc: unicode.UTF16(unicode.BigEndian, unicode.UseBOM), text: ko, wantName: UTF16BE},
		{name: "utf16le no bom ascii", enc: unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), text: "user=admin pass=secret\r\nhost=192.0.2.1\r\n", wantName: UTF16LE},
		{name: "utf16be no bom ascii", enc: unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), text: "user=admin pass=secret\r\nhost=192.0.2.1\r\n", wantName: UTF16BE},
		{name: "gbk", enc: simplifiedchinese.GBK, text: zhHans, wantName: GBK},
		{name: "gbk short", enc: simplifiedchinese.GBK, text: zhHansShort, wantName: GBK},
		{name: "gbk traditional text", enc: simplifiedchinese.GBK, text: zhHant, wantName: GBK},
		{name: "gb18030 four byte", enc: simplifiedchinese.GB18030, text: emoji, wantName: GB18030},
		{name: "big5", enc: traditionalchinese.Big5, text: zhHant, wantName: Big5},
		{name: "big5 short", enc: traditionalchinese.Big5, text: zhHantShort, wantName: Big5},
		{name: "shift_jis", enc: japanese.ShiftJIS, text: ja, wantName: ShiftJIS},
		{name: "euc-jp", enc: japanese.EUCJP, text: ja, wantName: EUCJP},
		{name: "euc-kr", enc: korean.EUCKR, text: ko, wantName: EUCKR},
		{name: "windows-1251", enc: charmap.Windows1251, text: ru, wantName: Windows1251},
		{name: "koi8-r", enc: charmap.KOI8R, text: ru, wantName: KOI8R},
		{name: "windows-1252 french", enc: charmap.Windows1252, text: fr, wantName: Windows1252},
		{name: "windows-1252 german", enc: charmap.Windows1252, text: de, wantName: Windows1252},
		{name: "iso-8859-1 as windows-1252", enc: charmap.ISO8859_1, text: de, wantName: Windows1252},
		{name: "windows-1250 polish", enc: charmap.Windows1250, text: pl, wantName: Windows1250},
		{name: "windows-1253 greek", enc: charmap.Windows1253, text: el, wantName: Windows1253},
		{name: "gbk after long ascii", raw: append(bytes.Repeat([]byte("2021-06-01 INFO ok\n"), 5000), encode(t, simplifiedchinese.GBK, zhHans)...),
			wantName: GBK, wantText: strings.Repeat("2021-06-01 INFO ok\n", 5000) + zhHans},
		{name: "latin1 bytes", raw: []byte("caf\xe9 cr\xe8me br\xfbl\xe9e"), wantName: Windows1252, wantText: "café crème brûlée"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := tt.raw
			if raw == nil {
				raw = []byte(tt.text)
				if tt.enc != nil {
					raw = encode(t, tt.enc, tt.text)
				}
			}
			want := tt.wantText
			if want == "" {
				want = tt.text
			}
			got, name, err := Decode(raw)
			if err != nil {
				t.Fatal(err)
			}
			if name != tt.wantName {
				t.Errorf("name = %q, want %q", name, tt.wantName)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("text (-want +got):\n%s", diff)
			}
			// The streaming API agrees on inputs of any size.
			r, rname, err := NewReader(bytes.NewReader(raw))
			if err != nil {
				t.Fatal(err)
			}
			streamed, err := io.ReadAll(r)
			if err != nil {
				t.Fatal(err)
			}
			if rname != tt.wantName {
				t.Errorf("NewReader name = %q, want %q", rname, tt.wantName)
			}
			if diff := cmp.Diff(want, string(streamed)); diff != "" {
				t.Errorf("NewReader text (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLookup(t *testing.T) {
	tests := []struct {
		name, label, want string
		ok                bool
	}{
		{name: "gb2312 is gbk", label: "GB2312", want: GBK, ok: true},
		{name: "gbk", label: "gbk", want: GBK, ok: true},
		{name: "gb18030", label: "GB18030", want: GB18030, ok: true},
		{name: "big5", label: "big5", want: Big5, ok: true},
		{name: "latin1", label: "ISO-8859-1", want: Windows1252, ok: true},
		{name: "sjis label", label: "Shift_JIS", want: ShiftJIS, ok: true},
		{name: "utf8", label: " UTF-8 ", want: UTF8, ok: true},
		{name: "koi8", label: "koi8-r", want: KOI8R, ok: true},
		{name: "cp1251", label: "cp1251", want: Windows1251, ok: true},
		{name: "unknown", label: "x-no-such", want: "", ok: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Lookup(tt.label)
			if got != tt.want || ok != tt.ok {
				t.Errorf("Lookup(%q) = %q, %v; want %q, %v", tt.label, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func TestDecodeAs(t *testing.T) {
	raw := encode(t, simplifiedchinese.GBK, zhHansShort)
	got, err := DecodeAs(raw, "gb2312")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(zhHansShort, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if _, err := DecodeAs(raw, "x-no-such"); err == nil {
		t.Error("unknown label: want error")
	}
}

// TestStreamingMemory checks that NewReader does not hold the whole input:
// reading 64 MiB through it allocates a small fraction of that.
func TestStreamingMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	line := encode(t, simplifiedchinese.GBK, zhHans)
	const total = 64 << 20
	src := &repeater{line: line, left: total}
	allocs := testing.AllocsPerRun(1, func() {
		src.left = total
		r, name, err := NewReader(src)
		if err != nil || name != GBK {
			t.Fatalf("NewReader: %q %v", name, err)
		}
		buf := make([]byte, 32<<10)
		for {
			_, err := r.Read(buf)
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	})
	if allocs > 200 {
		t.Errorf("%v allocations streaming 64 MiB; the decoder is buffering", allocs)
	}
}

type repeater struct {
	line []byte
	left int
	off  int
}

func (r *repeater) Read(p []byte) (int, error) {
	if r.left <= 0 {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && r.left > 0 {
		c := copy(p[n:min(len(p), n+r.left)], r.line[r.off:])
		n += c
		r.left -= c
		r.off = (r.off + c) % len(r.line)
	}
	return n, nil
}

// TestLeakSample decodes the text files of the shared corpus whose
// encoding the truth file states.
func TestLeakSample(t *testing.T) {
	root := corpusDir(t)
	truth := readTruth(t, filepath.Join(root, "leak-sample.truth.json"))
	n := 0
	for _, f := range truth {
		if f.Encoding == "" || strings.Contains(f.Path, "!/") || f.Size == 0 {
			continue
		}
		if !strings.HasPrefix(f.MIME, "text/") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(root, "leak-sample", filepath.FromSlash(f.Path)))
		if err != nil {
			t.Fatal(err)
		}
		n++
		text, name, err := Decode(b)
		if err != nil {
			t.Errorf("%s: %v", f.Path, err)
			continue
		}
		if !sameFamily(name, f.Encoding) {
			t.Errorf("%s: detected %s, truth %s", f.Path, name, f.Encoding)
		}
		if strings.ContainsRune(text, utf8.RuneError) {
			t.Errorf("%s: decoded text has U+FFFD", f.Path)
		}
		if hasCJK(text) != strings.HasPrefix(strings.Join(f.Languages, ","), "zh") {
			t.Errorf("%s: CJK in text = %v, languages %v", f.Path, hasCJK(text), f.Languages)
		}
	}
	if n == 0 {
		t.Fatal("no text files with an encoding in the truth file")
	}
}

// sameFamily treats gbk and gb18030 as one: GBK bytes are GB18030 bytes,
// and a file that uses no four-byte sequence cannot tell them apart.
func sameFamily(got, want string) bool {
	norm := func(s string) string {
		if s == GB18030 {
			return GBK
		}
		return s
	}
	return norm(got) == norm(want)
}

func hasCJK(s string) bool {
	n := 0
	for _, r := range s {
		if r >= hanBase && r < hanEnd {
			n++
		}
	}
	return n >= 2
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte(zhHans))
	f.Add(encode(f, simplifiedchinese.GBK, zhHans))
	f.Add(encode(f, traditionalchinese.Big5, zhHant))
	f.Add(encode(f, japanese.ShiftJIS, ja))
	f.Add(encode(f, korean.EUCKR, ko))
	f.Add(encode(f, charmap.KOI8R, ru))
	f.Add(encode(f, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), zhHans))
	f.Add([]byte("\xff\xfe\x00"))
	f.Add([]byte("\x81\x30\x81"))
	f.Fuzz(func(t *testing.T, b []byte) {
		text, name, err := Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		if !utf8.ValidString(text) {
			t.Fatalf("Decode as %s: invalid UTF-8", name)
		}
		if Encoding(name) == nil {
			t.Fatalf("Decode named unknown encoding %q", name)
		}
		r, rname, err := NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		out, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		if !utf8.Valid(out) {
			t.Fatalf("NewReader as %s: invalid UTF-8", rname)
		}
	})
}

func BenchmarkDecode(b *testing.B) {
	zh := strings.Repeat(zhHans, 20000) // about 3.6 MB of UTF-8
	inputs := []struct {
		name string
		raw  []byte
	}{
		{"utf8", []byte(zh)},
		{"gbk", encode(b, simplifiedchinese.GBK, zh)},
		{"big5", encode(b, traditionalchinese.Big5, strings.Repeat(zhHant, 20000))},
		{"windows-1252", encode(b, charmap.Windows1252, strings.Repeat(fr, 20000))},
	}
	for _, in := range inputs {
		b.Run(in.name, func(b *testing.B) {
			b.SetBytes(int64(len(in.raw)))
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := Decode(in.raw); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(in.name+"/stream", func(b *testing.B) {
			b.SetBytes(int64(len(in.raw)))
			b.ReportAllocs()
			buf := make([]byte, 64<<10)
			for b.Loop() {
				r, _, err := NewReader(bytes.NewReader(in.raw))
				if err != nil {
					b.Fatal(err)
				}
				if _, err := io.CopyBuffer(io.Discard, r, buf); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	// Baseline: copying the bytes without any conversion.
	b.Run("baseline/copy", func(b *testing.B) {
		raw := []byte(zh)
		b.SetBytes(int64(len(raw)))
		buf := make([]byte, 64<<10)
		for b.Loop() {
			if _, err := io.CopyBuffer(io.Discard, bytes.NewReader(raw), buf); err != nil {
				b.Fatal(err)
			}
		}
	})
}
