package demo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"regexp"
	"strings"
	"time"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"

	"github.com/leakscope/leakscope/internal/sniff"
)

// zhCols are the Chinese words the target list uses for a target's country,
// sector and data types.
var zhCols = map[string][3]string{
	"T01": {"越南", "政府", "邮件/内部文件"},
	"T02": {"秘鲁", "电信", "话单/用户资料"},
	"T03": {"蒙古", "教育", "学生档案/教职工邮箱"},
	"T04": {"埃及", "能源", "网络拓扑/SCADA文档"},
	"T05": {"肯尼亚", "水务", "计费数据库"},
}

// encode converts UTF-8 text to a legacy encoding, failing on any rune the
// encoding lacks so that a typo in the story cannot silently become '?'.
func encode(e encoding.Encoding, s string) ([]byte, error) {
	out, err := e.NewEncoder().String(s)
	if err != nil {
		return nil, err
	}
	return []byte(out), nil
}

// crlf turns LF line ends into CRLF.
func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

// chatLine formats a timestamp the way text chat exports do: local time,
// no zone.
func chatLine(t time.Time) string { return t.Format("2006-01-02 15:04:05") }

func (b *builder) chats() error {
	s := b.s
	var md strings.Builder
	md.WriteString("# 项目群 聊天记录\n导出时间：2021-06-30 18:02:11\n\n")
	for _, m := range s.groupChat {
		fmt.Fprintf(&md, "%s %s: %s\n", chatLine(m.t), s.person(m.from).name, m.body)
	}
	text := md.String()
	b.add(File{Path: "chats/项目群_2021-06.md", MIME: sniff.Markdown, Format: "chat-md",
		Languages: []string{"zh-Hans"}, Encoding: "utf-8", ModTime: at(2021, 6, 30, 18, 2, 11),
		What: "Markdown chat export of the project group, one message spans three lines"}, []byte(text), text)

	type jmsg struct {
		TS   string `json:"ts"`
		From string `json:"from"`
		To   string `json:"to"`
		Body string `json:"body"`
	}
	var list []jmsg
	for _, m := range s.jsonChat {
		list = append(list, jmsg{TS: m.t.Format(time.RFC3339), From: s.person(m.from).handle, To: "秘鲁项目", Body: m.body})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(list); err != nil {
		return err
	}
	b.add(File{Path: "chats/im_export_秘鲁项目.json", MIME: sniff.JSON, Format: "chat-json",
		Languages: []string{"zh-Hans", "en"}, Encoding: "utf-8", ModTime: at(2021, 7, 22, 9, 0, 0),
		What: "JSON chat export of the Peru project group: list of {ts, from, to, body}, from/to are handles"},
		buf.Bytes(), buf.String())
	return nil
}

func (b *builder) notesFiles() error {
	s := b.s
	t := s.targets
	work := fmt.Sprintf(`工作记录 2021年5月-7月

5月10日 %s 邮箱入口 %s ，用 %s 进去了
回连地址 %s （%s）
样本哈希：
  md5    %s
  sha1   %s
  sha256 %s
6月3日 %s 进展慢，VPN %s 有双因素
7月 日志组件 %s 还能用
对接人电话 %s
`, t[0].nameZH, s.owaURL, s.cves[0], s.c2URLDefang, "c2[.]jichuan[.]invalid",
		s.md5, s.sha1, s.sha256, t[1].nameZH, s.vpnDomain, s.cves[1], s.phoneFmt)
	b.add(File{Path: "notes/工作记录.txt", MIME: sniff.Text, Format: "txt", Languages: []string{"zh-Hans"},
		Encoding: "utf-8", ModTime: at(2021, 7, 31, 20, 11, 0), Author: "马俊",
		What: "work notes in UTF-8 naming two targets, a defanged C2 URL, hashes and CVEs"}, []byte(work), work)

	servers := fmt.Sprintf(`内网服务器清单（勿外传）
跳板机  %s  root
数据机  %s
IPv6    %s
%s 数据备份在数据机 /data/mn/ ，共 %s
`, s.c2IP, s.vpnIP, s.ipv6, t[2].nameZH, t[2].volumeZH)
	gbk, err := encode(simplifiedchinese.GBK, servers)
	if err != nil {
		return fmt.Errorf("gbk: %w", err)
	}
	b.add(File{Path: "notes/内网服务器.txt", MIME: sniff.Text, Format: "txt", Languages: []string{"zh-Hans"},
		Encoding: "gbk", ModTime: at(2021, 5, 18, 15, 40, 0),
		What: "server list in GBK with IPv4, IPv6 and a target"}, gbk, servers)

	memo := fmt.Sprintf(`合作備忘錄

甲方：霽川資訊安全技術有限公司
乙方：（略）
一、%s 郵件資料 %s 已交付。
二、%s 學生資料另議。
聯絡電話 %s
`, t[0].nameZHT, t[0].volumeZH, t[2].nameZHT, s.localPhone)
	big5, err := encode(traditionalchinese.Big5, memo)
	if err != nil {
		return fmt.Errorf("big5: %w", err)
	}
	b.add(File{Path: "notes/合作備忘.txt", MIME: sniff.Text, Format: "txt", Languages: []string{"zh-Hant"},
		Encoding: "big5", ModTime: at(2021, 6, 20, 11, 0, 0),
		What: "partnership memo in Big5 (Traditional Chinese) naming two targets"}, big5, memo)

	vpn := crlf(fmt.Sprintf(`VPN 配置 / VPN configuration
server = %s
ipv6   = %s
portal = %s
user   = majun
`, s.vpnIP, s.ipv6Long, s.owaURL))
	u16, err := encode(unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), vpn)
	if err != nil {
		return fmt.Errorf("utf-16: %w", err)
	}
	b.add(File{Path: "notes/vpn_config.txt", MIME: sniff.Text, Format: "txt", Languages: []string{"zh-Hans", "en"},
		Encoding: "utf-16le", ModTime: at(2021, 6, 1, 9, 30, 0),
		What: "VPN settings in UTF-16LE with BOM and CRLF, with an expanded IPv6 address"}, u16, vpn)

	page := fmt.Sprintf(`<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>项目看板 - 内网</title></head>
<body>
<h1>项目看板</h1>
<table border="1">
<tr><th>项目</th><th>目标</th><th>状态</th><th>负责人</th></tr>
<tr><td>秘鲁项目</td><td>%s</td><td>样本已交付 %s</td><td>马俊</td></tr>
<tr><td>埃及项目</td><td>%s</td><td>进行中</td><td>苏静怡</td></tr>
</table>
<p>回传服务器：%s</p>
</body>
</html>
`, html.EscapeString(t[1].nameEN), t[1].volumeZH, t[3].nameZH, s.c2IP)
	b.add(File{Path: "notes/内网看板.html", MIME: sniff.HTML, Format: "html", Languages: []string{"zh-Hans", "en"},
		Encoding: "utf-8", ModTime: at(2022, 1, 10, 10, 0, 0),
		What: "intranet project board (HTML table, no scripts)"}, []byte(page), htmlText(page))
	return nil
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

// htmlText is the text a reader sees in a page: tags dropped, entities
// decoded. Good enough for the demo's own pages.
func htmlText(s string) string {
	return html.UnescapeString(tagRE.ReplaceAllString(s, " "))
}

// targetCSV is the target list as CSV, UTF-8 with a BOM as Excel writes it.
func (b *builder) targetCSV() string {
	var sb strings.Builder
	sb.WriteString("单位,国家,行业,数据类型,数量,时间\n")
	for _, t := range b.s.targets {
		c := zhCols[t.id]
		fmt.Fprintf(&sb, "%s,%s,%s,%s,%s,%s\n", t.nameZH, c[0], c[1], c[2], t.volumeRaw, t.date)
	}
	return sb.String()
}
