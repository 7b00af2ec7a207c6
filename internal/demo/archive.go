package demo

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
	"time"

	"github.com/leakscope/leakscope/internal/sniff"
)

// tarGz writes a gzip-compressed tar of regular files with fixed times,
// owners and modes, and a gzip header without name or time.
func tarGz(entries []zipEntry, mod time.Time) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	tw := tar.NewWriter(zw)
	for _, e := range entries {
		hdr := &tar.Header{Typeflag: tar.TypeReg, Name: e.name, Mode: 0o644, Size: int64(len(e.data)),
			ModTime: mod.UTC().Truncate(time.Second), Uname: "demo", Gname: "demo", Format: tar.FormatPAX}
		if err := tw.WriteHeader(hdr); err != nil {
			return nil, fmt.Errorf("tar %s: %w", e.name, err)
		}
		if _, err := tw.Write(e.data); err != nil {
			return nil, fmt.Errorf("tar %s: %w", e.name, err)
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// top returns the top-level blob at p; the story's own copies come from it.
func (b *builder) topBlob(p string) *blob {
	for _, f := range b.top {
		if f.Path == p {
			return f
		}
	}
	panic("demo: no file " + p)
}

// archives builds a tar.gz holding a zip that holds a docx and a byte copy
// of the UTF-8 work notes (a duplicate only visible two levels down).
func (b *builder) archives() error {
	s := b.s
	t4 := s.targets[3]
	mod := at(2022, 1, 5, 23, 10, 0)
	proposal, ptext, err := docx(props{title: t4.nameZH + "渗透测试方案", creator: "马俊", created: at(2021, 11, 2, 15, 0, 0)},
		[]string{
			t4.nameZH + "渗透测试方案",
			"目标：" + t4.nameEN + "，重点为调度网络与 SCADA 文档。",
			"入口：对外邮件网关，已知漏洞 " + s.cves[1] + "。",
		},
		[][]string{
			{"阶段", "时间", "内容"},
			{"信息收集", "2021-11", "资产梳理"},
			{"突破", "2021-12", "邮件网关"},
			{"数据获取", "2022-02", "预计 " + t4.volumeZH},
		})
	if err != nil {
		return fmt.Errorf("docx: %w", err)
	}
	notes := b.topBlob("notes/工作记录.txt")
	zipData, err := zipBytes([]zipEntry{
		{"docs/项目方案_埃及.docx", proposal},
		{"docs/笔记副本.txt", notes.data},
	}, mod)
	if err != nil {
		return err
	}
	readme := "备份说明：资料.zip 为埃及项目方案和笔记。\n"
	tgz, err := tarGz([]zipEntry{
		{"backup/资料.zip", zipData},
		{"backup/说明.txt", []byte(readme)},
	}, mod)
	if err != nil {
		return err
	}
	outer := "archives/资料备份_2022.tar.gz"
	inner := b.member(outer, "backup/资料.zip", File{MIME: sniff.Zip, Format: "zip", What: "zip nested in the tar.gz"}, zipData, "")
	b.member(inner, "docs/项目方案_埃及.docx", File{MIME: sniff.DOCX, Format: "docx", Languages: []string{"zh-Hans", "en"},
		Author: "马俊", What: "Word proposal for the Egypt target, two containers deep"}, proposal, ptext)
	b.member(inner, "docs/笔记副本.txt", File{MIME: sniff.Text, Format: "txt", Languages: []string{"zh-Hans"}, Encoding: "utf-8",
		What: "byte copy of notes/工作记录.txt under another name"}, notes.data, notes.text)
	b.member(outer, "backup/说明.txt", File{MIME: sniff.Text, Format: "txt", Languages: []string{"zh-Hans"}, Encoding: "utf-8",
		What: "backup readme"}, []byte(readme), readme)
	b.add(File{Path: outer, MIME: sniff.Gzip, Format: "tar.gz", ModTime: mod,
		What: "tar.gz holding a zip (docx + duplicate notes) and a readme"}, tgz, "")
	return nil
}

// misc writes the hostile and odd files every safe tool must survive.
func (b *builder) misc() error {
	const page = `<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>preview</title></head>
<body>
<p>Harmless demo page: if the window title ever reads DEMO-XSS, a viewer executed the script below, which it must never do.</p>
<script>document.title='DEMO-XSS'</script>
</body>
</html>
`
	b.add(File{Path: "misc/preview.html", MIME: sniff.HTML, Format: "html", Languages: []string{"en"}, Encoding: "utf-8",
		ModTime: at(2022, 3, 20, 12, 0, 0), Flags: []string{"active-content", "xss-probe"},
		What: "page with a <script> that would set document.title to DEMO-XSS: index text only, never run it"},
		[]byte(page), htmlText(page))

	b.add(File{Path: "misc/empty.txt", MIME: sniff.Empty, Format: "empty", Flags: []string{"empty"},
		ModTime: at(2022, 3, 20, 12, 0, 0), What: "zero-byte file"}, []byte{}, "")

	xl := b.topBlob("业务/2021年目标汇总.xlsx")
	f := xl.File
	f.Path = "misc/目标清单 - 副本.xlsx"
	f.What = "byte copy of 业务/2021年目标汇总.xlsx under another name"
	f.ModTime = at(2022, 3, 2, 8, 0, 0)
	b.add(f, xl.data, xl.text)

	readme := "update package v1.2\n"
	evil := "harmless: this entry's name tries to climb out of the extraction folder\n"
	mod := at(2022, 3, 20, 12, 0, 0)
	zipData, err := zipBytes([]zipEntry{{"update/readme.txt", []byte(readme)}, {"../evil.txt", []byte(evil)}}, mod)
	if err != nil {
		return err
	}
	const upd = "misc/update.zip"
	b.member(upd, "update/readme.txt", File{MIME: sniff.Text, Format: "txt", Languages: []string{"en"}, Encoding: "utf-8", What: "ordinary member"}, []byte(readme), readme)
	b.member(upd, "../evil.txt", File{MIME: sniff.Text, Format: "txt", Languages: []string{"en"}, Encoding: "utf-8",
		Flags: []string{"path-traversal"}, What: "member named ../evil.txt: must never be written outside the case"}, []byte(evil), evil)
	b.add(File{Path: upd, MIME: sniff.Zip, Format: "zip", ModTime: mod, Flags: []string{"path-traversal"},
		What: "zip with a ../ member name"}, zipData, "")
	return nil
}
