package demo

import (
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/leakscope/leakscope/internal/sniff"
)

// word encodes an RFC 2047 encoded-word of raw bytes already in charset.
func word(charset string, raw []byte) string {
	return "=?" + charset + "?B?" + base64.StdEncoding.EncodeToString(raw) + "?="
}

// b64 wraps base64 at 76 columns as MIME bodies are.
func b64(raw []byte) string {
	s := base64.StdEncoding.EncodeToString(raw)
	var sb strings.Builder
	for len(s) > 76 {
		sb.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	sb.WriteString(s + "\r\n")
	return sb.String()
}

// mailDate formats a Date header.
func mailDate(t time.Time) string { return t.Format(time.RFC1123Z) }

// part is one attachment of a message built by message.
type part struct {
	name string
	data []byte
}

// mailMessage builds an RFC 5322 message with CRLF line ends. With
// attachments it is multipart/mixed with a fixed boundary (so the bytes do
// not change between runs); body is already in charset.
func mailMessage(headers [][2]string, charset string, body []byte, atts []part) []byte {
	var sb strings.Builder
	for _, h := range headers {
		sb.WriteString(h[0] + ": " + h[1] + "\r\n")
	}
	sb.WriteString("MIME-Version: 1.0\r\n")
	if len(atts) == 0 {
		fmt.Fprintf(&sb, "Content-Type: text/plain; charset=\"%s\"\r\nContent-Transfer-Encoding: base64\r\n\r\n", charset)
		sb.WriteString(b64(body))
		return []byte(sb.String())
	}
	const boundary = "----=_Part_leakscope_demo_0001"
	fmt.Fprintf(&sb, "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\nThis is a multi-part message in MIME format.\r\n\r\n", boundary)
	fmt.Fprintf(&sb, "--%s\r\nContent-Type: text/plain; charset=\"%s\"\r\nContent-Transfer-Encoding: base64\r\n\r\n", boundary, charset)
	sb.WriteString(b64(body))
	for _, a := range atts {
		name := word("UTF-8", []byte(a.name))
		fmt.Fprintf(&sb, "\r\n--%s\r\nContent-Type: text/plain; charset=\"utf-8\"; name=\"%s\"\r\n", boundary, name)
		fmt.Fprintf(&sb, "Content-Disposition: attachment; filename=\"%s\"\r\nContent-Transfer-Encoding: base64\r\n\r\n", name)
		sb.WriteString(b64(a.data))
	}
	fmt.Fprintf(&sb, "\r\n--%s--\r\n", boundary)
	return []byte(sb.String())
}

func (b *builder) mail() error {
	s := b.s
	su, han, ma := s.person("su"), s.person("han"), s.person("ma")
	gbk := func(str string) ([]byte, error) { return encode(simplifiedchinese.GBK, str) }

	// An e-mail in GBK with an attachment.
	subject := "越南项目数据交付"
	body := fmt.Sprintf("韩总：\r\n\r\n%s的数据已整理完毕，共 %s，交付清单见附件。\r\n原始数据在 %s 上已清理。\r\n\r\n%s\r\n",
		s.targets[0].nameZH, s.targets[0].volumeZH, s.mailIP, su.name)
	attName := "交付清单.txt"
	att := fmt.Sprintf("交付清单\n%s  %s  %s  %s\n接收人：罗小梅\n", s.targets[0].nameZH, zhCols["T01"][2], s.targets[0].volumeRaw, s.targets[0].date)
	var hdr [4][]byte
	for i, x := range []string{subject, su.name, han.name, body} {
		enc, err := gbk(x)
		if err != nil {
			return fmt.Errorf("gbk: %w", err)
		}
		hdr[i] = enc
	}
	sent := at(2021, 5, 28, 18, 20, 0)
	eml := mailMessage([][2]string{
		{"Date", mailDate(sent)},
		{"From", word("GBK", hdr[1]) + " <" + su.email + ">"},
		{"To", word("GBK", hdr[2]) + " <" + han.email + ">"},
		{"Subject", word("GBK", hdr[0])},
		{"Message-ID", "<20210528182000.4711@" + s.domain + ">"},
		{"X-Mailer", "Foxmail 7.2.19.158[cn]"},
	}, "GBK", hdr[3], []part{{attName, []byte(att)}})
	path := "mail/越南项目数据交付.eml"
	b.member(path, attName, File{MIME: sniff.Text, Format: "txt", Languages: []string{"zh-Hans"}, Encoding: "utf-8",
		What: "attachment: delivery list naming the Vietnam target"}, []byte(att), att)
	b.add(File{Path: path, MIME: sniff.EML, Format: "eml", Languages: []string{"zh-Hans"}, Encoding: "gbk",
		ModTime: sent, Author: su.name,
		What: "e-mail with RFC 2047 GBK subject and names, base64 GBK body, one UTF-8 text attachment"}, eml,
		fmt.Sprintf("From: %s <%s>\nTo: %s <%s>\nSubject: %s\n\n%s\n%s\n", su.name, su.email, han.name, han.email, subject,
			strings.ReplaceAll(body, "\r\n", "\n"), attName))

	// An mbox of two messages; the second has an attachment.
	bill := at(2021, 6, 24, 3, 12, 0)
	billSubj := "Your VPS " + s.vpnIP + " expires in 7 days"
	billBody := fmt.Sprintf("Hello,\r\n\r\nYour VPS %s (IPv6 %s) expires on 2021-07-01.\r\nRenew at https://cloudhost.example.net/billing\r\n\r\nCloudHost\r\n", s.vpnIP, s.ipv6)
	m1 := mailMessage([][2]string{
		{"Date", mailDate(bill)},
		{"From", "CloudHost Billing <billing@cloudhost.example.net>"},
		{"To", ma.email},
		{"Subject", billSubj},
		{"Message-ID", "<bill-20210623@cloudhost.example.net>"},
	}, "us-ascii", []byte(billBody), nil)
	upd := at(2021, 9, 13, 18, 30, 0)
	updSubj := "工具更新"
	updBody := fmt.Sprintf("静怡，\r\n\r\n新的主机列表见附件，旧的回连域名 %s 停用。\r\n\r\n%s\r\n", s.c2Domain, ma.name)
	hosts := fmt.Sprintf("relay   %s\ndata    %s\ntarget  %s\n", s.c2IP, s.vpnIP, s.mailIP)
	m2 := mailMessage([][2]string{
		{"Date", mailDate(upd)},
		{"From", word("UTF-8", []byte(ma.name)) + " <" + ma.email + ">"},
		{"To", word("UTF-8", []byte(su.name)) + " <" + su.email + ">"},
		{"Subject", word("UTF-8", []byte(updSubj))},
		{"Message-ID", "<20210913183000.77@" + s.domain + ">"},
	}, "utf-8", []byte(updBody), []part{{"hosts.txt", []byte(hosts)}})
	fromLine := func(addr string, t time.Time) string {
		return "From " + addr + " " + t.UTC().Format("Mon Jan _2 15:04:05 2006") + "\n"
	}
	mbox := fromLine("billing@cloudhost.example.net", bill) + string(m1) + "\n" +
		fromLine(ma.email, upd) + string(m2) + "\n"
	box := "mail/inbox_2021.mbox"
	b.member(box, "1", File{MIME: sniff.EML, Format: "eml", Languages: []string{"en"}, Encoding: "us-ascii",
		What: "mbox message 1: hosting bill naming the VPN server (bytes between the From_ line and the separating blank line)"},
		m1, fmt.Sprintf("From: CloudHost Billing <billing@cloudhost.example.net>\nTo: %s\nSubject: %s\n\n%s", ma.email, billSubj, strings.ReplaceAll(billBody, "\r\n", "\n")))
	b.member(box, "2", File{MIME: sniff.EML, Format: "eml", Languages: []string{"zh-Hans"}, Encoding: "utf-8",
		What: "mbox message 2: tool update with a hosts.txt attachment"},
		m2, fmt.Sprintf("From: %s <%s>\nTo: %s <%s>\nSubject: %s\n\n%s\nhosts.txt\n", ma.name, ma.email, su.name, su.email, updSubj, strings.ReplaceAll(updBody, "\r\n", "\n")))
	b.member(box, "2/hosts.txt", File{MIME: sniff.Text, Format: "txt", Languages: []string{"en"}, Encoding: "utf-8",
		What: "attachment of mbox message 2: host list with three IPv4 addresses"}, []byte(hosts), hosts)
	b.add(File{Path: box, MIME: sniff.MBOX, Format: "mbox", Languages: []string{"en", "zh-Hans"},
		ModTime: upd, What: "mbox of two messages, the second with an attachment"}, []byte(mbox), "")
	return nil
}
