package html

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/leakscope/leakscope/internal/charset"
	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/extract/text"
	"github.com/leakscope/leakscope/internal/sniff"
)

// FlagActiveContent marks a page carrying scripts or event handlers.
const FlagActiveContent = "active-content"

// Extractor extracts HTML and XHTML. It is stateless and safe for
// concurrent use.
type Extractor struct{}

var _ extract.Extractor = Extractor{}

// Name implements extract.Extractor.
func (Extractor) Name() string { return "html" }

// Accepts implements extract.Extractor.
func (Extractor) Accepts() []string { return []string{sniff.HTML} }

// Extract implements extract.Extractor.
func (Extractor) Extract(ctx context.Context, in *extract.Input, out extract.Sink) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("html %s: %w", in.Name, err)
	}
	f, err := in.Open()
	if err != nil {
		return fmt.Errorf("html: %w", err)
	}
	defer f.Close()
	r, name, err := Decode(f)
	if err != nil {
		return fmt.Errorf("html %s: %w", in.Name, err)
	}
	out.Meta("charset", name)
	if err := Text(ctx, r, text.Cap(out, in.Limits.MaxText)); err != nil {
		return fmt.Errorf("html %s: %w", in.Name, err)
	}
	return nil
}

var (
	metaCharset = regexp.MustCompile(`(?i)<meta\s[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)`)
)

// Decode returns a reader of the UTF-8 text of the HTML page r and the
// name of the encoding it was decoded from.
func Decode(r io.Reader) (io.Reader, string, error) {
	br := bufio.NewReaderSize(r, charset.SampleSize)
	head, err := br.Peek(charset.SampleSize)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, "", err
	}
	detected := charset.Detect(head)
	switch detected {
	case charset.UTF8BOM, charset.UTF16LE, charset.UTF16BE:
		return charset.NewReader(br)
	}
	if m := metaCharset.FindSubmatch(head[:min(len(head), 1024)]); m != nil {
		if name, ok := charset.Lookup(string(m[1])); ok {
			// A page declaring UTF-8 (or UTF-16, which a byte stream
			// without NULs cannot be) over bytes that are not UTF-8 lies.
			lying := (name == charset.UTF8 || name == charset.UTF16LE || name == charset.UTF16BE) && detected != charset.UTF8
			if name == charset.UTF16LE || name == charset.UTF16BE {
				name = charset.UTF8
			}
			if !lying {
				dr, err := charset.NewReaderAs(br, name)
				return dr, name, err
			}
		}
	}
	return charset.NewReader(br)
}

// skipped elements hold no visible text.
var skipped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Iframe: true, atom.Object: true, atom.Noembed: true, atom.Noframes: true,
}

// blocks end a line.
var blocks = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Br: true, atom.Li: true, atom.Ul: true, atom.Ol: true,
	atom.Tr: true, atom.Table: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true,
	atom.H5: true, atom.H6: true, atom.Pre: true, atom.Blockquote: true, atom.Section: true,
	atom.Article: true, atom.Header: true, atom.Footer: true, atom.Nav: true, atom.Aside: true,
	atom.Hr: true, atom.Dt: true, atom.Dd: true, atom.Dl: true, atom.Form: true, atom.Fieldset: true,
	atom.Address: true, atom.Figure: true, atom.Figcaption: true, atom.Main: true, atom.Body: true,
	atom.Caption: true, atom.Thead: true, atom.Tbody: true, atom.Tfoot: true, atom.Option: true,
	atom.Title: true, atom.Legend: true, atom.Details: true, atom.Summary: true,
}

// metaNames maps <meta name> values to metadata keys.
var metaNames = map[string]string{
	"description": "description", "author": "author", "keywords": "keywords", "generator": "creator",
}

// maxTitle caps the title metadata: a hostile page can hold megabytes in
// <title>.
const maxTitle = 4096

// Text tokenizes the UTF-8 HTML r and writes its visible text and
// metadata to out, stopping when out is full. It checks ctx every few
// thousand tokens.
func Text(ctx context.Context, r io.Reader, out *text.Capped) error {
	z := html.NewTokenizer(r)
	z.SetMaxBuf(0)
	var (
		w        writer
		skip     int // depth inside skipped elements
		pre      int
		inTitle  bool
		title    strings.Builder
		active   bool
		flagDone bool
	)
	w.out = out
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if out.Full() {
			break
		}
		tt := z.Next()
		if tt == html.ErrorToken {
			if z.Err() == io.EOF {
				break
			}
			return z.Err()
		}
		switch tt {
		case html.TextToken:
			switch {
			case inTitle:
				if title.Len() < maxTitle {
					title.Write(z.Text())
				}
			case skip == 0:
				w.text(z.Text(), pre > 0)
			}
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			name, hasAttr := z.TagName()
			a := atom.Lookup(name)
			end := tt == html.EndTagToken
			var attrs map[string]string
			if hasAttr && !end {
				attrs = map[string]string{}
				for {
					k, v, more := z.TagAttr()
					key := string(k)
					attrs[key] = string(v)
					if strings.HasPrefix(key, "on") || (key == "srcdoc") ||
						((key == "href" || key == "src" || key == "action") && strings.HasPrefix(strings.ToLower(strings.TrimSpace(string(v))), "javascript:")) {
						active = true
					}
					if !more {
						break
					}
				}
			}
			if a == atom.Script || a == atom.Iframe && attrs["srcdoc"] != "" {
				active = true
			}
			if active && !flagDone {
				out.Flag(FlagActiveContent)
				flagDone = true
			}
			switch {
			case skipped[a]:
				if tt == html.StartTagToken {
					skip++
				} else if end && skip > 0 {
					skip--
				}
				continue
			case a == atom.Title:
				inTitle = tt == html.StartTagToken
				continue
			case a == atom.Meta && !end:
				if key, ok := metaNames[strings.ToLower(attrs["name"])]; ok && attrs["content"] != "" {
					out.Meta(key, clip(collapse(attrs["content"]), maxTitle))
				}
				continue
			case a == atom.Pre:
				if end {
					pre = max(0, pre-1)
				} else if tt == html.StartTagToken {
					pre++
				}
			case a == atom.Img && !end && skip == 0:
				if alt := strings.TrimSpace(attrs["alt"]); alt != "" {
					w.text([]byte(alt), false)
				}
			}
			switch {
			case a == atom.Td || a == atom.Th:
				if !end {
					w.cell()
				}
			case blocks[a]:
				w.newline()
			}
		}
	}
	w.flush()
	if t := collapse(title.String()); t != "" {
		out.Meta("title", clip(t, maxTitle))
	}
	return nil
}

// writer assembles visible text: it collapses whitespace, puts blocks on
// their own lines and separates table cells by a tab.
type writer struct {
	out     *text.Capped
	buf     bytes.Buffer
	line    bool // something is on the current line
	space   bool // a space is pending before the next word
	cellGap bool // a tab is pending before the next word
}

func (w *writer) text(b []byte, pre bool) {
	switch {
	case len(b) == 0:
		return
	case pre:
		w.pending()
		w.buf.Write(b)
		w.line = b[len(b)-1] != '\n'
	default:
		if isSpace(b[0]) {
			w.space = true
		}
		for _, word := range bytes.Fields(b) {
			w.pending()
			if w.line && w.space {
				w.buf.WriteByte(' ')
			}
			w.buf.Write(word)
			w.line, w.space = true, true
		}
		w.space = isSpace(b[len(b)-1])
	}
	if w.buf.Len() >= 64<<10 {
		w.flush()
	}
}

// pending writes a tab owed to a table cell boundary.
func (w *writer) pending() {
	if w.cellGap {
		if w.line {
			w.buf.WriteByte('\t')
		}
		w.cellGap, w.space = false, false
	}
}

func (w *writer) cell() { w.cellGap = true }

func (w *writer) newline() {
	if w.line {
		w.buf.WriteByte('\n')
	}
	w.line, w.space, w.cellGap = false, false, false
}

func (w *writer) flush() {
	if w.buf.Len() > 0 {
		w.out.Text(w.buf.String())
		w.buf.Reset()
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
