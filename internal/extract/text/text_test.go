package text

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/extract/extracttest"
	lsgolden "github.com/leakscope/leakscope/internal/golden"
	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/sniff"
)

func enc(e interface {
	Bytes([]byte) ([]byte, error)
}, s string) []byte {
	b, err := e.Bytes([]byte(s))
	if err != nil {
		panic(err)
	}
	return b
}

type fixture struct {
	name string
	mime string
	data []byte
	max  int64 // MaxText; 0: default
}

func fixtures() []fixture {
	return []fixture{
		{name: "utf8", mime: sniff.Text, data: []byte("工作笔记 2021-06-02\n服务器 192.0.2.10 已上线。\n")},
		{name: "utf8-bom-crlf", mime: sniff.Text, data: []byte("\xef\xbb\xbf消息记录\r\n2021-06-03 14:22:10 张三: 收到\r\n")},
		{name: "gbk", mime: sniff.Text, data: enc(simplifiedchinese.GBK.NewEncoder(), "服务器清单（运维部）\n主机 192.0.2.7 账号 admin\n")},
		{name: "big5", mime: sniff.Text, data: enc(traditionalchinese.Big5.NewEncoder(), "合作備忘錄\n甲方：港聯諮詢\n乙方應於每月月底前提交報告。\n")},
		{name: "utf16le", mime: sniff.Text, data: enc(unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder(), "账号记录\n邮箱：admin@example.com\n")},
		{name: "markdown", mime: sniff.Markdown, data: []byte("# 周报\n\n- 完成 **数据** 整理\n")},
		{name: "json", mime: sniff.JSON, data: []byte(`[{"ts":"2021-06-03T14:22:10+08:00","from":"zhangsan","body":"收到"}]` + "\n")},
		{name: "xml-declared-latin1", mime: sniff.XML, data: append([]byte(`<?xml version="1.0" encoding="ISO-8859-1"?>`+"\n<r>"), enc(charmap.ISO8859_1.NewEncoder(), "Café crème</r>\n")...)},
		{name: "xml-xxe-not-expanded", mime: sniff.XML, data: []byte("<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<r>&x;</r>\n")},
		{name: "truncated", mime: sniff.Text, data: []byte("一二三四五六七八九十\n"), max: 10},
		{name: "csv-gbk", mime: sniff.CSV, data: enc(simplifiedchinese.GBK.NewEncoder(), "服务项目,单价(元),单位\r\n境外邮箱权限,50000,个\r\n\"多行\n说明\",\"含\t制表\",\"a,b\"\r\n")},
		{name: "csv-semicolon", mime: sniff.CSV, data: []byte("name;country;size\nMinistry;IN;95.2G\nPortal;PK;1.2T\n")},
		{name: "csv-ragged-bad-quotes", mime: sniff.CSV, data: []byte("a,b,c\n1,\"x\"y,3\n4,5\n")},
		{name: "tsv", mime: sniff.TSV, data: []byte("host\tip\nweb01\t198.51.100.4\n")},
		{name: "csv-truncated", mime: sniff.CSV, data: []byte("a,b\n1,2\n3,4\n5,6\n"), max: 9},
	}
}

func extractorFor(mime string) extract.Extractor {
	if mime == sniff.CSV || mime == sniff.TSV {
		return Table{}
	}
	return Extractor{}
}

func input(t testing.TB, dir string, fx fixture) *extract.Input {
	p := filepath.Join(dir, fx.name)
	if err := os.WriteFile(p, fx.data, 0o600); err != nil {
		t.Fatal(err)
	}
	lim := leak.DefaultLimits()
	if fx.max > 0 {
		lim.MaxText = fx.max
	}
	return &extract.Input{File: p, Name: fx.name, MIME: fx.mime, Size: int64(len(fx.data)), Limits: lim,
		Log: slog.New(slog.DiscardHandler), TempDir: dir}
}

func golden(t *testing.T, got []byte) {
	t.Helper()
	lsgolden.Check(t, lsgolden.Path(t), got)
}

func TestExtract(t *testing.T) {
	dir := t.TempDir()
	for _, fx := range fixtures() {
		t.Run(fx.name, func(t *testing.T) {
			in := input(t, dir, fx)
			rec, err := extracttest.Run(t.Context(), extractorFor(fx.mime), in)
			if err != nil {
				t.Fatal(err)
			}
			if bad := extracttest.Validate(rec); len(bad) > 0 {
				t.Errorf("contract: %v", bad)
			}
			if fx.max > 0 && int64(len(rec.Body())) > fx.max {
				t.Errorf("text is %d bytes, limit %d", len(rec.Body()), fx.max)
			}
			golden(t, rec.Summary(0).JSON())
		})
	}
}

func TestConformance(t *testing.T) {
	dir := t.TempDir()
	var text, table []*extract.Input
	for _, fx := range fixtures() {
		in := input(t, dir, fx)
		if extractorFor(fx.mime) == (Table{}) {
			table = append(table, in)
		} else {
			text = append(text, in)
		}
	}
	extracttest.CheckInputs(t, Extractor{}, text...)
	extracttest.CheckInputs(t, Table{}, table...)
}

// TestLongLine streams a 5 MiB single-line file: it is kept whole (below
// MaxText) and flagged.
func TestLongLine(t *testing.T) {
	var b bytes.Buffer
	for b.Len() < 5<<20 {
		fmt.Fprintf(&b, `{"seq":%d,"msg":"heartbeat ok"},`, b.Len())
	}
	b.WriteString(`{"msg":"peer 198.51.100.201"}`)
	in := input(t, t.TempDir(), fixture{name: "oneline.txt", mime: sniff.Text, data: b.Bytes()})
	rec, err := extracttest.Run(t.Context(), Extractor{}, in)
	if err != nil {
		t.Fatal(err)
	}
	if got := rec.Body(); got != b.String() {
		t.Errorf("text differs from input: %d bytes vs %d", len(got), b.Len())
	}
	if !rec.HasFlag(FlagLongLine) || rec.HasFlag(FlagTruncated) {
		t.Errorf("flags = %v, want long-line only", rec.Flags)
	}
}

func TestGuessComma(t *testing.T) {
	tests := []struct {
		name string
		head string
		want rune
	}{
		{name: "comma", head: "a,b,c\n1,2,3\n", want: ','},
		{name: "semicolon with decimal commas", head: "a;b;c\n1,5;2,5;3\n4;5;6\n", want: ';'},
		{name: "tab", head: "a\tb\n1\t2\n", want: '\t'},
		{name: "pipe", head: "a|b|c\n1|2|3\n", want: '|'},
		{name: "quoted commas", head: "\"a,b\";c\n\"d,e\";f\n", want: ';'},
		{name: "single column", head: "abc\ndef\n", want: ','},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := guessComma([]byte(tt.head)); got != tt.want {
				t.Errorf("guessComma = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestLeakSample extracts the text, Markdown, JSON and CSV files of the
// shared corpus and checks the decoded text against the truth's encoding.
func TestLeakSample(t *testing.T) {
	root := corpusDir(t)
	n := 0
	for _, f := range readTruth(t, filepath.Join(root, "leak-sample.truth.json")) {
		if strings.Contains(f.Path, "!/") || f.Size == 0 {
			continue
		}
		p := filepath.Join(root, "leak-sample", filepath.FromSlash(f.Path))
		mime, err := sniff.File(p, filepath.Base(p))
		if err != nil {
			t.Fatal(err)
		}
		var e extract.Extractor
		switch mime {
		case sniff.Text, sniff.Markdown, sniff.JSON, sniff.XML:
			e = Extractor{}
		case sniff.CSV, sniff.TSV:
			e = Table{}
		default:
			continue
		}
		n++
		in := extracttest.NewInput(t, p)
		rec, err := extracttest.Run(t.Context(), e, in)
		if err != nil {
			t.Errorf("%s: %v", f.Path, err)
			continue
		}
		body := rec.Body()
		cs := rec.MetaValue("charset")
		if cs != f.Encoding && !(cs == "gbk" && f.Encoding == "gb18030") {
			t.Errorf("%s: charset %q, truth %q", f.Path, cs, f.Encoding)
		}
		if strings.ContainsRune(body, utf8.RuneError) {
			t.Errorf("%s: U+FFFD in text", f.Path)
		}
		if strings.HasPrefix(strings.Join(f.Languages, ","), "zh") && !hasHan(body) {
			t.Errorf("%s: no Chinese characters in text", f.Path)
		}
		for _, fl := range f.Flags {
			if fl == FlagLongLine && !rec.HasFlag(FlagLongLine) {
				t.Errorf("%s: not flagged %s", f.Path, FlagLongLine)
			}
		}
	}
	if n == 0 {
		t.Fatal("no text files found in the leak sample")
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}

func FuzzText(f *testing.F) {
	for _, fx := range fixtures() {
		if extractorFor(fx.mime) == (Extractor{}) {
			f.Add(fx.data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzOne(t, Extractor{}, sniff.Text, data)
		fuzzOne(t, Extractor{}, sniff.XML, data)
	})
}

func FuzzCSV(f *testing.F) {
	for _, fx := range fixtures() {
		if extractorFor(fx.mime) == (Table{}) {
			f.Add(fx.data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzOne(t, Table{}, sniff.CSV, data) })
}

func fuzzOne(t *testing.T, e extract.Extractor, mime string, data []byte) {
	const max = 4096
	in := input(t, t.TempDir(), fixture{name: "f", mime: mime, data: data, max: max})
	rec, err := extracttest.Run(context.Background(), e, in)
	if err != nil {
		t.Fatal(err)
	}
	if bad := extracttest.Validate(rec); len(bad) > 0 {
		t.Fatal(bad)
	}
	if len(rec.Body()) > max {
		t.Fatalf("text %d bytes > limit %d", len(rec.Body()), max)
	}
}

func BenchmarkExtract(b *testing.B) {
	zh := strings.Repeat("关于下周项目会议的通知：请各部门负责人于周三上午九点到三楼会议室参加讨论。\n", 40000)
	var csvb strings.Builder
	for i := range 60000 {
		fmt.Fprintf(&csvb, "%d,印度移民局,出入境数据,\"95.2\",2020-0%d-01\n", i, i%9+1)
	}
	cases := []fixture{
		{name: "utf8", mime: sniff.Text, data: []byte(zh)},
		{name: "gbk", mime: sniff.Text, data: enc(simplifiedchinese.GBK.NewEncoder(), zh)},
		{name: "csv", mime: sniff.CSV, data: []byte(csvb.String())},
	}
	dir := b.TempDir()
	for _, fx := range cases {
		in := input(b, dir, fx)
		b.Run(fx.name, func(b *testing.B) {
			b.SetBytes(int64(len(fx.data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := extracttest.Run(b.Context(), extractorFor(fx.mime), in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	// Baseline: reading the file into memory.
	in := input(b, dir, cases[0])
	b.Run("baseline/readfile", func(b *testing.B) {
		b.SetBytes(int64(len(cases[0].data)))
		for b.Loop() {
			if _, err := os.ReadFile(in.File); err != nil {
				b.Fatal(err)
			}
		}
	})
}
