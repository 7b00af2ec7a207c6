package legacy

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/extract/text"
	"github.com/leakscope/leakscope/internal/ole"
	"github.com/leakscope/leakscope/internal/sniff"
	"github.com/leakscope/leakscope/internal/tool"
)

// Extractor runs catdoc, xls2csv or catppt by MIME type. Limiter, when
// set, bounds how many of these tools run at once across goroutines; the
// zero value runs them unbounded. It is safe for concurrent use.
type Extractor struct {
	Limiter tool.Limiter
}

var _ extract.Extractor = Extractor{}

// Name implements extract.Extractor.
func (Extractor) Name() string { return "legacy" }

// Accepts implements extract.Extractor.
func (Extractor) Accepts() []string {
	return []string{sniff.DOC, sniff.XLS, sniff.PPT, sniff.RTF, sniff.OLE}
}

// program is one way of turning a file into text.
type program struct {
	name  string
	args  func(file string) []string
	paged bool // form feeds separate sheets
}

var (
	catdoc  = program{name: "catdoc", args: func(f string) []string { return []string{"-w", "-d", "utf-8", f} }}
	xls2csv = program{name: "xls2csv", paged: true, args: func(f string) []string {
		return []string{"-d", "utf-8", "-q", "0", "-c", "\t", "-f", "%Y-%m-%d", f}
	}}
	catppt = program{name: "catppt", args: func(f string) []string { return []string{"-d", "utf-8", f} }}
	// catdocLatin forces a source code page: catdoc aborts on code pages
	// it has no table for (\ansicpg65001 in RTF written by Outlook).
	catdocLatin = program{name: "catdoc", args: func(f string) []string { return []string{"-w", "-s", "cp1252", "-d", "utf-8", f} }}
)

// Extract implements extract.Extractor.
func (e Extractor) Extract(ctx context.Context, in *extract.Input, out extract.Sink) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("legacy %s: %w", in.Name, err)
	}
	var progs []program
	switch in.MIME {
	case sniff.DOC:
		progs = []program{catdoc}
	case sniff.RTF:
		progs = []program{catdoc, catdocLatin}
	case sniff.XLS:
		progs = []program{xls2csv}
	case sniff.PPT:
		progs = []program{catppt}
	default:
		progs = []program{catdoc, xls2csv, catppt}
	}
	// Property sets (title, author, dates, app) and the encryption marks
	// are read in Go from the compound file, whatever the tool makes of
	// the body: an encrypted document still tells who wrote it and when.
	if in.MIME != sniff.RTF {
		if info, err := ole.Inspect(in.File); err == nil {
			for _, k := range info.Keys() {
				out.Meta(k, info.Meta[k])
			}
			for _, fl := range info.Flags {
				out.Flag(fl)
			}
			// The body of a password-protected document is RC4 or XOR
			// ciphertext: a tool either fails on it or prints noise
			// that would be indexed as text. Report it encrypted.
			if slices.Contains(info.Flags, ole.FlagEncrypted) {
				return fmt.Errorf("legacy %s: %w", in.Name, extract.ErrEncrypted)
			}
		}
	}
	// Embedded objects (a packaged attachment, an embedded PDF or OOXML
	// file) are children whatever the tool makes of the body.
	embeds := 0
	if in.MIME != sniff.RTF {
		n, err := emitEmbedded(ctx, in, out)
		if err != nil {
			return fmt.Errorf("legacy %s: %w", in.Name, err)
		}
		embeds = n
	}
	if in.MIME == sniff.PPT {
		if done, err := extractPPT(ctx, in, out); done {
			return err
		}
	}
	var errs []error
	for _, p := range progs {
		stdout, truncated, err := e.run(ctx, p, in)
		if err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("legacy %s: %w", in.Name, ctx.Err())
			}
			errs = append(errs, err)
			continue
		}
		s := clean(stdout)
		if in.MIME == sniff.RTF {
			if enc := rtfCodepage(in.File); enc != "" {
				s = redecode(s, enc)
			}
		}
		if strings.TrimSpace(strings.ReplaceAll(s, "\f", "")) == "" && len(progs) > 1 {
			errs = append(errs, fmt.Errorf("%s: no text", p.name))
			continue
		}
		write(out, p, s, in.Limits.MaxText, truncated)
		out.Meta("tool", p.name)
		return nil
	}
	err := errors.Join(errs...)
	if strings.Contains(strings.ToLower(err.Error()), "encrypted") {
		// A mark the compound file check above does not know (a tool
		// saw the encryption): the same outcome.
		out.Flag(ole.FlagEncrypted)
		return fmt.Errorf("legacy %s: %w: %w", in.Name, extract.ErrEncrypted, err)
	}
	if in.MIME == sniff.OLE && embeds > 0 {
		// An object container (what a presentation embeds): its members
		// are its content, and no tool reads the wrapper.
		return nil
	}
	if in.MIME == sniff.OLE {
		return fmt.Errorf("legacy %s: %w: %w", in.Name, extract.ErrUnsupported, err)
	}
	return fmt.Errorf("legacy %s: %w", in.Name, err)
}

func (e Extractor) run(ctx context.Context, p program, in *extract.Input) ([]byte, bool, error) {
	if e.Limiter != nil {
		if err := e.Limiter.Acquire(ctx); err != nil {
			return nil, false, err
		}
		defer e.Limiter.Release()
	}
	res, err := tool.Run(ctx, tool.Cmd{
		Name:    p.name,
		Args:    p.args(in.File),
		Dir:     in.TempDir,
		Env:     []string{"LC_ALL=C.UTF-8"},
		Timeout: in.Limits.ToolTimeout,
		MaxOut:  in.Limits.MaxText + 1,
	})
	if err != nil {
		return nil, false, err
	}
	return res.Stdout, res.Truncated, nil
}

// clean makes tool output valid UTF-8 with Unix line ends and no NULs.
func clean(b []byte) string {
	b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	b = bytes.ReplaceAll(b, []byte{0}, nil)
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

func write(out extract.Sink, p program, s string, max int64, truncated bool) {
	c := text.Cap(out, max)
	if p.paged {
		sheets := strings.Split(s, "\f")
		if len(sheets) > 1 && strings.TrimSpace(sheets[len(sheets)-1]) == "" {
			sheets = sheets[:len(sheets)-1]
		}
		for i, sh := range sheets {
			c.Page(extract.Page{Number: i + 1, Text: strings.TrimLeft(sh, "\n")})
		}
	} else {
		c.Text(s)
	}
	if truncated && !c.Full() {
		out.Flag(text.FlagTruncated)
	}
}
