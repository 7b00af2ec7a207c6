package mail

import (
	"bufio"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"

	"golang.org/x/text/encoding/unicode"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/sniff"
)

// maxMultipartDepth bounds the nesting of multiparts inside one message.
// It is below leak.MaxNesting, the bound of other parsers, because every
// level stacks one more multipart reader over all the bytes beneath it:
// 32 levels already cost 32 passes over a hostile message, and no mail
// program nests a tenth as deep.
const maxMultipartDepth = min(32, leak.MaxNesting)

// EML reads one RFC 5322 message.
type EML struct{}

var _ extract.Extractor = EML{}

// Name implements extract.Extractor.
func (EML) Name() string { return "eml" }

// Accepts implements extract.Extractor.
func (EML) Accepts() []string { return []string{sniff.EML} }

// Extract implements extract.Extractor.
func (EML) Extract(ctx context.Context, in *extract.Input, out extract.Sink) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	f, err := in.Open()
	if err != nil {
		return fmt.Errorf("eml: %w", err)
	}
	defer f.Close()
	maxText := in.Limits.MaxText
	if maxText <= 0 {
		maxText = 32 << 20
	}
	br := bufio.NewReaderSize(f, 64<<10)
	var r io.Reader = br
	if head, _ := br.Peek(4); len(head) == 4 {
		// A whole message saved as UTF-16 (Windows tools do this).
		switch {
		case head[0] == 0xff && head[1] == 0xfe, head[0] != 0 && head[1] == 0 && head[2] != 0 && head[3] == 0:
			r = unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder().Reader(br)
		case head[0] == 0xfe && head[1] == 0xff, head[0] == 0 && head[1] != 0 && head[2] == 0 && head[3] != 0:
			r = unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewDecoder().Reader(br)
		}
	}
	if err := readMessage(ctx, r, out, maxText); err != nil {
		return fmt.Errorf("eml: %w", err)
	}
	return nil
}

var wordDecoder = &mime.WordDecoder{CharsetReader: func(charset string, r io.Reader) (io.Reader, error) {
	if enc := lookupCharset(charset); enc != nil {
		return enc.NewDecoder().Reader(r), nil
	}
	if c := strings.ToLower(charset); c == "utf-8" || c == "us-ascii" || c == "ascii" || c == "utf8" {
		return r, nil
	}
	return nil, fmt.Errorf("charset %q: %w", charset, extract.ErrUnsupported)
}}

// decodeHeader decodes RFC 2047 words; raw 8-bit headers (common in
// Chinese mail) are decoded as GB18030 when not UTF-8.
func decodeHeader(s string) string {
	if d, err := wordDecoder.DecodeHeader(s); err == nil {
		s = d
	}
	return decodeText([]byte(s), "")
}

// message is the state of one message being read.
type message struct {
	ctx     context.Context
	out     extract.Sink
	maxText int64
	plain   []string
	html    []string
	charset string
	n       int // attachments so far
}

func readMessage(ctx context.Context, r io.Reader, out extract.Sink, maxText int64) error {
	msg, err := mail.ReadMessage(r)
	if err != nil {
		out.Flag("corrupt")
		return fmt.Errorf("headers: %w", err)
	}
	h := msg.Header
	var head strings.Builder
	for _, k := range []string{"From", "To", "Cc", "Date", "Subject"} {
		v := strings.TrimSpace(decodeHeader(h.Get(k)))
		if v == "" {
			continue
		}
		fmt.Fprintf(&head, "%s: %s\n", k, v)
		out.Meta(strings.ToLower(k), v)
	}
	// Relays and reply addresses are evidence (infrastructure, IPs,
	// domains): keep them in the text too.
	for _, k := range []string{"Reply-To", "Received"} {
		for _, v := range h[k] {
			if v = strings.TrimSpace(decodeHeader(strings.Join(strings.Fields(v), " "))); v != "" {
				fmt.Fprintf(&head, "%s: %s\n", k, v)
			}
		}
	}
	if id := strings.TrimSpace(h.Get("Message-Id")); id != "" {
		out.Meta("message-id", decodeHeader(id))
	}
	m := &message{ctx: ctx, out: out, maxText: maxText}
	walkErr := m.part(textproto.MIMEHeader(h), msg.Body, 0)
	body := strings.Join(m.plain, "\n\n")
	if body == "" {
		body = strings.Join(m.html, "\n\n")
	}
	if head.Len() > 0 {
		out.Text(head.String() + "\n")
	}
	out.Text(body)
	if m.charset != "" {
		out.Meta("charset", m.charset)
	}
	return walkErr
}

// part reads one MIME part: text goes to the body, files to children.
func (m *message) part(h textproto.MIMEHeader, body io.Reader, depth int) error {
	if err := m.ctx.Err(); err != nil {
		return err
	}
	ctype := h.Get("Content-Type")
	mt, params, err := mime.ParseMediaType(ctype)
	if err != nil || ctype == "" {
		mt, params = "text/plain", map[string]string{}
		if ctype != "" {
			// A broken Content-Type: keep the charset if it can be seen.
			if cs := brokenCharset(ctype); cs != "" {
				params["charset"] = cs
			}
		}
	}
	mt = strings.ToLower(mt)
	disp, dparams, _ := mime.ParseMediaType(h.Get("Content-Disposition"))
	name := dparams["filename"]
	if name == "" {
		name = params["name"]
	}
	name = strings.TrimSpace(decodeHeader(name))

	if strings.HasPrefix(mt, "multipart/") && params["boundary"] != "" {
		// Multiparts nest by recursion: past maxMultipartDepth the rest
		// is skipped and the message flagged (forwarded messages are
		// children, not nesting).
		if depth >= maxMultipartDepth {
			m.out.Flag(leak.FlagDeepNesting)
			return nil
		}
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				m.out.Flag("truncated")
				return fmt.Errorf("multipart: %w", err)
			}
			if err := m.part(p.Header, p, depth+1); err != nil {
				return err
			}
		}
	}
	dec := decodeTransfer(h.Get("Content-Transfer-Encoding"), body)
	isText := mt == "text/plain" || mt == "text/html"
	if isText && name == "" && !strings.EqualFold(disp, "attachment") {
		b, err := io.ReadAll(io.LimitReader(dec, m.maxText))
		if err != nil && len(b) == 0 {
			m.out.Flag("corrupt")
			return nil
		}
		if cs := params["charset"]; cs != "" && m.charset == "" {
			m.charset = strings.ToLower(cs)
		}
		s := decodeText(b, params["charset"])
		if mt == "text/html" {
			m.html = append(m.html, htmlText(strings.NewReader(s)))
		} else {
			m.plain = append(m.plain, strings.TrimRight(s, "\r\n \t"))
		}
		return nil
	}
	m.n++
	if name == "" {
		name = fmt.Sprintf("attachment-%d", m.n)
	}
	errs := &errCapture{r: dec}
	err = m.out.Child(m.ctx, extract.Child{Name: name, R: errs, Size: -1})
	switch {
	case err == nil:
	case extract.IsLimit(err), m.ctx.Err() != nil:
		return err
	case errs.err != nil:
		m.out.Flag("corrupt")
	default:
		return fmt.Errorf("attachment %q: %w", name, err)
	}
	return nil
}

// brokenCharset finds the charset of a Content-Type header that
// mime.ParseMediaType rejected, such as `text/plain; charset=gbk; name=`.
// The header is hostile bytes: the search folds ASCII case byte by byte
// (strings.ToLower would change the length of raw GBK bytes and shift
// the offsets) and an empty value yields "".
func brokenCharset(ctype string) string {
	const key = "charset="
	for i := 0; i+len(key) <= len(ctype); i++ {
		j := 0
		for j < len(key) && asciiLower(ctype[i+j]) == key[j] {
			j++
		}
		if j < len(key) {
			continue
		}
		f := strings.Fields(ctype[i+len(key):])
		if len(f) == 0 {
			return ""
		}
		v := strings.TrimLeft(f[0], `"'`)
		if k := strings.IndexAny(v, `"';`); k >= 0 {
			v = v[:k]
		}
		return v
	}
	return ""
}

func asciiLower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// decodeTransfer undoes a Content-Transfer-Encoding. Broken base64 (lines
// of odd length, stray characters) is decoded as far as it goes.
func decodeTransfer(cte string, r io.Reader) io.Reader {
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, &base64Filter{r: r})
	case "quoted-printable":
		return quotedprintable.NewReader(r)
	}
	return r
}

// base64Filter drops everything that is not base64 alphabet, so that
// whitespace and stray characters do not stop the decoder.
type base64Filter struct {
	r    io.Reader
	done bool
}

func (f *base64Filter) Read(p []byte) (int, error) {
	for {
		if f.done {
			return 0, io.EOF
		}
		n, err := f.r.Read(p)
		j := 0
		for _, c := range p[:n] {
			if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=' {
				p[j] = c
				j++
			}
		}
		if err != nil {
			f.done = true
			if j > 0 {
				return j, nil
			}
			return 0, err
		}
		if j > 0 {
			return j, nil
		}
	}
}

// errCapture remembers a read error other than EOF.
type errCapture struct {
	r   io.Reader
	err error
}

func (e *errCapture) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) && e.err == nil {
		e.err = err
	}
	return n, err
}
