package msg

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"mime"
	"net/textproto"
	"strings"
	"time"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/extract/html"
	"github.com/leakscope/leakscope/internal/extract/text"
	"github.com/leakscope/leakscope/internal/ole"
)

// message is what is read from a message storage.
type message struct {
	n                       *node
	class                   string
	from, to, cc, bcc       string
	subject, date, msgID    string
	body                    string // plain text, or the visible text of the HTML body
	fields                  string // "Label: value" lines of a contact, task or appointment
	attachments             []*ole.Entry
	smimeEncrypted, corrupt bool
}

// readMessage reads the message in storage e. headerLen is 32 for a
// top-level message and 24 for an embedded one.
func readMessage(ctx context.Context, f *ole.File, e *ole.Entry, headerLen, cp int, maxText int64) (*message, error) {
	n := openNode(f, e, headerLen, cp)
	m := &message{n: n, class: n.str(pidMessageClass), subject: clean(n.str(pidSubject))}
	hdr := parseHeaders(n.str(pidTransportHeaders))

	// Sender: the SMTP address when the message has one, else an
	// Exchange address is better than nothing.
	name := clean(n.str(pidSenderName))
	if name == "" {
		name = clean(n.str(pidSentReprName))
	}
	addr := clean(n.str(pidSenderSMTPAddress))
	for _, id := range []uint16{pidSenderEmail, pidSentReprEmail} {
		if a := clean(n.str(id)); addr == "" && strings.Contains(a, "@") {
			addr = a
		}
	}
	m.from = address(name, addr)
	if h := hdr.Get("From"); h != "" && (m.from == "" || addr == "") {
		m.from = decodeHeader(h)
	}

	var to, cc, bcc []string
	for _, re := range n.storages("__RECIP_VERSION1.0_") {
		r := openNode(f, re, 8, n.cp)
		ra := clean(r.str(pidSMTPAddress))
		if a := clean(r.str(pidEmailAddress)); ra == "" && strings.Contains(a, "@") {
			ra = a
		}
		s := address(clean(r.str(pidDisplayName)), ra)
		if s == "" {
			continue
		}
		switch r.int(pidRecipientType) &^ 0x10000000 { // MAPI_P1 marks a resend
		case 2:
			cc = append(cc, s)
		case 3:
			bcc = append(bcc, s)
		default:
			to = append(to, s)
		}
	}
	m.to = orDefault(strings.Join(to, ", "), clean(n.str(pidDisplayTo)))
	m.cc = orDefault(strings.Join(cc, ", "), clean(n.str(pidDisplayCc)))
	m.bcc = orDefault(strings.Join(bcc, ", "), clean(n.str(pidDisplayBcc)))
	if m.to == "" {
		m.to = decodeHeader(hdr.Get("To"))
	}
	if m.cc == "" {
		m.cc = decodeHeader(hdr.Get("Cc"))
	}

	for _, t := range []time.Time{n.time(pidClientSubmitTime), n.time(pidDeliveryTime)} {
		if !t.IsZero() {
			m.date = t.Format(time.RFC1123Z)
			break
		}
	}
	if m.date == "" {
		m.date = strings.TrimSpace(hdr.Get("Date"))
	}
	if m.date == "" {
		if t := n.time(pidCreationTime); !t.IsZero() {
			m.date = t.Format(time.RFC1123Z)
		}
	}
	m.msgID = orDefault(clean(n.str(pidInternetMessageID)), strings.TrimSpace(hdr.Get("Message-Id")))

	body, err := m.readBody(ctx, maxText)
	if err != nil {
		return nil, err
	}
	m.body = body
	if !strings.HasPrefix(strings.ToUpper(m.class), "IPM.NOTE") {
		m.fields = n.fieldLines()
	}
	if c := strings.ToUpper(m.class); strings.Contains(c, "SMIME") && !strings.Contains(c, "MULTIPARTSIGNED") {
		m.smimeEncrypted = true
	}
	m.attachments = n.storages("__ATTACH_VERSION1.0_")
	m.corrupt = len(n.errs) > 0
	return m, nil
}

// readBody returns the plain body, else the visible text of the HTML
// body, else the text of the compressed RTF body.
func (m *message) readBody(ctx context.Context, maxText int64) (string, error) {
	n := m.n
	if s := strings.TrimSpace(n.str(pidBody)); s != "" {
		return cutText(normalize(s), maxText), nil
	}
	var htmlText string
	if b, ok := n.bytes(pidBodyHTML, typeBinary); ok && len(b) > 0 {
		htmlText = decodeHTMLBytes(b, n.int(pidInternetCodepage))
	} else if s := n.str(pidBodyHTML); s != "" {
		htmlText = s
	}
	if htmlText != "" {
		var c collector
		if err := html.Text(ctx, strings.NewReader(htmlText), text.Cap(&c, maxText)); err != nil {
			if ctx.Err() != nil {
				return "", err
			}
			m.corrupt = true
		}
		return strings.TrimSpace(c.b.String()), nil
	}
	if b, ok := n.bytes(pidRTFCompressed, typeBinary); ok {
		raw, err := decompressRTF(b, maxText)
		if err != nil {
			m.corrupt = true
		}
		return cutText(rtfText(raw, n.cp), maxText), nil
	}
	return "", nil
}

// decodeHTMLBytes decodes an HTML body stored as bytes: in its internet
// code page when the message names one, else as its meta tag or content
// says.
func decodeHTMLBytes(b []byte, cp int64) string {
	if cp > 0 && ole.CodePage(int(cp)) != nil || cp == 65001 {
		return ole.DecodeCodePage(b, int(cp))
	}
	r, _, err := html.Decode(strings.NewReader(string(b)))
	if err != nil {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	out, err := io.ReadAll(r)
	if err != nil && len(out) == 0 {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	return strings.ToValidUTF8(string(out), "\uFFFD")
}

// fieldLabels are the properties of contacts, tasks and appointments
// worth showing as text, in display order.
var fieldLabels = []struct {
	id    uint16
	label string
}{
	{pidDisplayName, "Name"}, {0x3a06, "Given name"}, {0x3a44, "Middle name"}, {0x3a11, "Surname"},
	{0x3a4f, "Nickname"}, {0x3a16, "Company"}, {0x3a18, "Department"}, {0x3a17, "Job title"},
	{0x3a08, "Business phone"}, {0x3a09, "Home phone"}, {0x3a1c, "Mobile phone"}, {0x3a24, "Business fax"},
	{0x3a29, "Street"}, {0x3a27, "City"}, {0x3a28, "State"}, {0x3a2a, "Postal code"}, {0x3a26, "Country"},
	{0x3a51, "Web page"}, {0x3a45, "Title"},
}

func (n *node) fieldLines() string {
	var sb strings.Builder
	for _, f := range fieldLabels {
		if v := clean(n.str(f.id)); v != "" {
			fmt.Fprintf(&sb, "%s: %s\n", f.label, v)
		}
	}
	return sb.String()
}

// header is the text block that starts the message's text, in the shape
// of the mail extractor's.
func (m *message) header() string {
	var sb strings.Builder
	for _, kv := range [][2]string{{"From", m.from}, {"To", m.to}, {"Cc", m.cc}, {"Bcc", m.bcc}, {"Date", m.date}, {"Subject", m.subject}} {
		if kv[1] != "" {
			fmt.Fprintf(&sb, "%s: %s\n", kv[0], kv[1])
		}
	}
	return sb.String()
}

// parseHeaders reads transport headers; broken ones yield what parsed.
func parseHeaders(s string) textproto.MIMEHeader {
	if strings.TrimSpace(s) == "" {
		return textproto.MIMEHeader{}
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	r := textproto.NewReader(bufio.NewReader(strings.NewReader(strings.TrimLeft(s, "\n") + "\n\n")))
	h, _ := r.ReadMIMEHeader()
	if h == nil {
		h = textproto.MIMEHeader{}
	}
	return h
}

var wordDecoder = &mime.WordDecoder{CharsetReader: func(label string, r io.Reader) (io.Reader, error) {
	b, err := io.ReadAll(io.LimitReader(r, 1<<20))
	if err != nil {
		return nil, err
	}
	for cp, names := range map[int][]string{936: {"gb2312", "gbk", "gb18030", "cp936"}, 950: {"big5"}, 1252: {"windows-1252", "iso-8859-1", "latin1"}} {
		for _, nm := range names {
			if strings.EqualFold(label, nm) {
				return strings.NewReader(ole.DecodeCodePage(b, cp)), nil
			}
		}
	}
	return nil, fmt.Errorf("charset %q: %w", label, extract.ErrUnsupported)
}}

func decodeHeader(s string) string {
	if d, err := wordDecoder.DecodeHeader(s); err == nil {
		s = d
	}
	return clean(s)
}

// address formats "Name <addr>", or whichever of the two is set.
func address(name, addr string) string {
	switch {
	case addr == "":
		return name
	case name == "" || strings.EqualFold(name, addr) || strings.EqualFold(strings.Trim(name, "'\""), addr):
		return addr
	}
	return name + " <" + addr + ">"
}

func orDefault(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// clean trims a one-line value and folds its line breaks.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Join(strings.Fields(strings.ReplaceAll(s, "\x00", "")), " ")
	if len(s) > 4096 {
		s = strings.ToValidUTF8(s[:4096], "")
	}
	return s
}

// normalize gives a body Unix line ends and valid UTF-8.
func normalize(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", ""), "\uFFFD")
}

func cutText(s string, max int64) string {
	if max > 0 && int64(len(s)) > max {
		return strings.ToValidUTF8(s[:max], "")
	}
	return s
}

// collector is a Sink keeping only text, for rendering an HTML body into
// a string before it is placed after the headers.
type collector struct{ b strings.Builder }

func (c *collector) Text(s string)                              { c.b.WriteString(s) }
func (c *collector) Page(p extract.Page)                        { c.b.WriteString(p.Text) }
func (c *collector) Meta(string, string)                        {}
func (c *collector) Flag(string)                                {}
func (c *collector) Attach(string, []byte)                      {}
func (c *collector) Child(context.Context, extract.Child) error { return extract.ErrUnsupported }
