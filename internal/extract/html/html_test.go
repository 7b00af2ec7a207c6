package html

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/extract/extracttest"
	lsgolden "github.com/leakscope/leakscope/internal/golden"
	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/sniff"
)

func mustEnc(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

type fixture struct {
	name string
	data []byte
	max  int64
}

func fixtures() []fixture {
	return []fixture{
		{name: "basic", data: []byte(`<!DOCTYPE html><html><head><meta charset="utf-8">
<title> 内网 看板 </title>
<meta name="author" content="梁子豪"><meta name="description" content="运维 看板">
<meta name="generator" content="WordPress 5.7"><meta name="keywords" content="a, b">
<style>body{color:red}</style></head>
<body><h1>服务器状态</h1><p>主机 <b>web01</b>（192.0.2.7）运行<i>正常</i>。</p>
<!-- 注释不显示 -->
<ul><li>项目一</li><li>项目二</li></ul>
<table><tr><th>名称</th><th>IP</th></tr><tr><td>db01</td><td> 198.51.100.4 </td></tr></table>
<pre>  缩进  保留
第二行</pre>
<img src="a.png" alt="聊天截图"><noscript>请启用脚本</noscript><template><p>模板</p></template>
</body></html>`)},
		{name: "active-content", data: []byte(`<html><head><title>t</title><script>document.title="x"</script></head>
<body onload="x()"><a href="javascript:void(0)">点击</a><iframe srcdoc="&lt;script&gt;x&lt;/script&gt;"></iframe>
<p>正文 text</p></body></html>`)},
		{name: "gbk-declared", data: mustEnc(simplifiedchinese.GBK.NewEncoder().Bytes([]byte(`<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>通知</title></head><body><p>会议通知：周三上午九点</p></body></html>`)))},
		{name: "big5-undeclared", data: mustEnc(traditionalchinese.Big5.NewEncoder().Bytes([]byte(`<html><head><title>備忘錄</title></head><body><p>合作備忘錄：甲乙雙方經過友好協商，達成以下協議。</p></body></html>`)))},
		{name: "declared-utf8-but-gbk", data: mustEnc(simplifiedchinese.GBK.NewEncoder().Bytes([]byte(`<html><head><meta charset="utf-8"><title>报告</title></head><body><p>关于下周项目会议的通知：请各部门负责人参加。</p></body></html>`)))},
		{name: "utf16-bom", data: mustEnc(unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(`<html><body><p>账号记录</p></body></html>`)))},
		{name: "xhtml", data: []byte(`<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Chapter 1</title></head><body><p>First<br/>line</p></body></html>`)},
		{name: "truncated", data: []byte(`<p>一二三四五六七八九十</p><p>second</p>`), max: 7},
	}
}

func input(t testing.TB, dir string, fx fixture) *extract.Input {
	p := filepath.Join(dir, fx.name+".html")
	if err := os.WriteFile(p, fx.data, 0o600); err != nil {
		t.Fatal(err)
	}
	lim := leak.DefaultLimits()
	if fx.max > 0 {
		lim.MaxText = fx.max
	}
	return &extract.Input{File: p, Name: fx.name, MIME: sniff.HTML, Size: int64(len(fx.data)), Limits: lim,
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
			rec, err := extracttest.Run(t.Context(), Extractor{}, input(t, dir, fx))
			if err != nil {
				t.Fatal(err)
			}
			if bad := extracttest.Validate(rec); len(bad) > 0 {
				t.Errorf("contract: %v", bad)
			}
			if strings.Contains(rec.Body(), "document.title") || strings.Contains(rec.Body(), "color:red") {
				t.Errorf("script or style text leaked into the body: %q", rec.Body())
			}
			golden(t, rec.Summary(0).JSON())
		})
	}
}

func TestConformance(t *testing.T) {
	dir := t.TempDir()
	var ins []*extract.Input
	for _, fx := range fixtures() {
		ins = append(ins, input(t, dir, fx))
	}
	extracttest.CheckInputs(t, Extractor{}, ins...)
}

// TestLeakSample extracts the HTML pages of the shared corpus: visible
// text present, no script text, the probe page flagged.
func TestLeakSample(t *testing.T) {
	root := corpusDir(t)
	n := 0
	for _, f := range readTruth(t, filepath.Join(root, "leak-sample.truth.json")) {
		if f.MIME != sniff.HTML || strings.Contains(f.Path, "!/") {
			continue
		}
		n++
		p := filepath.Join(root, "leak-sample", filepath.FromSlash(f.Path))
		rec, err := extracttest.Run(t.Context(), Extractor{}, extracttest.NewInput(t, p))
		if err != nil {
			t.Errorf("%s: %v", f.Path, err)
			continue
		}
		if strings.TrimSpace(rec.Body()) == "" || rec.MetaValue("title") == "" {
			t.Errorf("%s: empty text or title", f.Path)
		}
		// Script element bodies are code, never text. (Escaped markup
		// inside a <div> is visible text and is kept.)
		if strings.Contains(rec.Body(), "window.") || strings.Contains(rec.Body(), "EXECUTED-1") {
			t.Errorf("%s: script element text in body", f.Path)
		}
		for _, fl := range f.Flags {
			if fl == FlagActiveContent && !rec.HasFlag(FlagActiveContent) {
				t.Errorf("%s: not flagged %s", f.Path, FlagActiveContent)
			}
		}
	}
	if n == 0 {
		t.Fatal("no HTML files in the leak sample")
	}
}

func FuzzHTML(f *testing.F) {
	for _, fx := range fixtures() {
		f.Add(fx.data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		const max = 4096
		in := input(t, t.TempDir(), fixture{name: "f", data: data, max: max})
		rec, err := extracttest.Run(context.Background(), Extractor{}, in)
		if err != nil {
			t.Fatal(err)
		}
		if bad := extracttest.Validate(rec); len(bad) > 0 {
			t.Fatal(bad)
		}
		if len(rec.Body()) > max {
			t.Fatalf("text %d bytes > limit %d", len(rec.Body()), max)
		}
	})
}

func BenchmarkExtract(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("<html><head><title>bench</title><style>p{}</style></head><body>")
	for i := 0; sb.Len() < 4<<20; i++ {
		fmt.Fprintf(&sb, "<div class=\"row\"><p>第%d行：服务器 <b>web%d</b> 运行正常。</p><table><tr><td>a</td><td>192.0.2.%d</td></tr></table></div>\n", i, i, i%255)
	}
	sb.WriteString("</body></html>")
	in := input(b, b.TempDir(), fixture{name: "bench", data: []byte(sb.String())})
	b.SetBytes(int64(sb.Len()))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := extracttest.Run(b.Context(), Extractor{}, in); err != nil {
			b.Fatal(err)
		}
	}
}
