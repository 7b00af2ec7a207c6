package msg

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"strings"

	"github.com/leakscope/leakscope/internal/ole"
)

var errBudget = errors.New("embedded message too large")

// capWriter fails with errBudget once more than left bytes are written.
type capWriter struct {
	w    io.Writer
	left int64
	n    int64
}

func (c *capWriter) Write(p []byte) (int, error) {
	if int64(len(p)) > c.left {
		return 0, errBudget
	}
	n, err := c.w.Write(p)
	c.left -= int64(n)
	c.n += int64(n)
	return n, err
}

// writeEML rewrites the embedded message in storage e as a MIME message:
// its headers, its body as UTF-8 text/plain, and its attachments as
// base64 parts (embedded messages again as message/rfc822, up to
// maxEmbedDepth levels).
func writeEML(ctx context.Context, w io.Writer, f *ole.File, e *ole.Entry, cp int, maxText int64, depth int) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m, err := readMessage(ctx, f, e, 24, cp, maxText)
	if err != nil {
		return err
	}
	hw := &errWriter{w: w}
	for _, kv := range [][2]string{{"From", m.from}, {"To", m.to}, {"Cc", m.cc}, {"Bcc", m.bcc},
		{"Date", m.date}, {"Subject", m.subject}, {"Message-ID", m.msgID}} {
		if kv[1] != "" {
			fmt.Fprintf(hw, "%s: %s\r\n", kv[0], mime.QEncoding.Encode("utf-8", kv[1]))
		}
	}
	// A boundary derived from the storage, so that output is
	// deterministic.
	sum := sha256.Sum256([]byte(fmt.Sprintf("%d/%d/%s", depth, e.ID, m.subject)))
	boundary := "leakscope-" + hex.EncodeToString(sum[:12])
	fmt.Fprintf(hw, "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=%q\r\n\r\n", boundary)
	body := m.body
	if m.fields != "" {
		body = m.fields + "\n" + body
	}
	fmt.Fprintf(hw, "--%s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n", boundary)
	if hw.err != nil {
		return hw.err
	}
	if err := writeBase64(w, strings.NewReader(body)); err != nil {
		return err
	}
	for i, ae := range m.attachments {
		if err := ctx.Err(); err != nil {
			return err
		}
		at := resolveAttachment(f, ae, m.n.cp, i+1)
		disp := mime.FormatMediaType("attachment", map[string]string{"filename": at.name})
		switch {
		case at.data != nil:
			s, err := f.Stream(at.data)
			if err != nil {
				continue
			}
			fmt.Fprintf(hw, "--%s\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: %s\r\n\r\n", boundary, disp)
			if hw.err != nil {
				return hw.err
			}
			if err := writeBase64(w, s); err != nil && (errors.Is(err, errBudget) || ctx.Err() != nil) {
				return err
			}
		case at.embedded != nil && depth < maxEmbedDepth:
			fmt.Fprintf(hw, "--%s\r\nContent-Type: message/rfc822\r\nContent-Disposition: %s\r\n\r\n", boundary, disp)
			if hw.err != nil {
				return hw.err
			}
			if err := writeEML(ctx, w, f, at.embedded, m.n.cp, maxText, depth+1); err != nil {
				return err
			}
			fmt.Fprint(hw, "\r\n")
		}
	}
	fmt.Fprintf(hw, "--%s--\r\n", boundary)
	return hw.err
}

// writeBase64 copies r to w base64-encoded in lines of 76 characters. A
// read error ends the part early; it is returned after the part is closed.
func writeBase64(w io.Writer, r io.Reader) error {
	lw := &lineWriter{w: w}
	enc := base64.NewEncoder(base64.StdEncoding, lw)
	_, rerr := io.Copy(enc, r)
	if err := enc.Close(); err != nil {
		return err
	}
	if lw.err != nil {
		return lw.err
	}
	if _, err := io.WriteString(w, "\r\n"); err != nil {
		return err
	}
	if errors.Is(rerr, errBudget) {
		return rerr
	}
	return nil
}

// lineWriter breaks its input into CRLF-terminated lines of 76 bytes.
type lineWriter struct {
	w   io.Writer
	col int
	err error
}

func (l *lineWriter) Write(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n := 0
	for len(p) > 0 {
		k := min(len(p), 76-l.col)
		if _, err := l.w.Write(p[:k]); err != nil {
			l.err = err
			return n, err
		}
		n += k
		l.col += k
		p = p[k:]
		if l.col == 76 {
			if _, err := l.w.Write([]byte("\r\n")); err != nil {
				l.err = err
				return n, err
			}
			l.col = 0
		}
	}
	return n, nil
}

// errWriter keeps the first write error so that a run of Fprintf calls
// is checked once.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}
