package mail

import (
	"bytes"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// lookupCharset finds a decoder for a MIME charset label; nil when the
// label is unknown.
func lookupCharset(label string) encoding.Encoding {
	label = strings.Trim(strings.ToLower(strings.TrimSpace(label)), `"'`)
	switch label {
	case "", "us-ascii", "ascii", "utf-8", "utf8":
		return nil
	case "gb2312", "gbk", "x-gbk", "cp936", "euc-cn":
		return simplifiedchinese.GB18030 // superset: GB2312-labelled mail is GBK in practice
	case "utf-16":
		return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)
	}
	enc, err := htmlindex.Get(label)
	if err != nil {
		return nil
	}
	return enc
}

// decodeText turns body bytes in charset into valid UTF-8.
func decodeText(b []byte, charset string) string {
	if enc := lookupCharset(charset); enc != nil {
		if out, err := enc.NewDecoder().Bytes(b); err == nil {
			return strings.ToValidUTF8(string(out), "\uFFFD")
		}
	}
	if utf8.Valid(b) {
		return string(b)
	}
	if out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b); err == nil && !bytes.ContainsRune(out, utf8.RuneError) {
		return string(out)
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

// htmlText returns the visible text of an HTML document: text outside
// script, style, head and template, with line breaks at block elements.
func htmlText(r io.Reader) string {
	z := html.NewTokenizer(r)
	var sb strings.Builder
	skip := 0
	for {
		switch z.Next() {
		case html.ErrorToken:
			return collapseBlank(sb.String())
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style", "head", "template", "noscript":
				skip++
			case "br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote", "pre":
				sb.WriteByte('\n')
			case "td", "th":
				sb.WriteByte('\t')
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "script", "style", "head", "template", "noscript":
				if skip > 0 {
					skip--
				}
			case "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote", "pre":
				sb.WriteByte('\n')
			}
		case html.TextToken:
			if skip == 0 {
				sb.Write(z.Text())
			}
		}
	}
}

// collapseBlank trims lines and drops runs of blank lines.
func collapseBlank(s string) string {
	var out []string
	blank := false
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(strings.ReplaceAll(line, "\u00a0", " "))
		if line == "" {
			if !blank && len(out) > 0 {
				out = append(out, "")
			}
			blank = true
			continue
		}
		blank = false
		out = append(out, line)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}
