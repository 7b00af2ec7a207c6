package office

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/extract/html"
	"github.com/leakscope/leakscope/internal/extract/text"
	"github.com/leakscope/leakscope/internal/sniff"
)

// EPUB extracts e-books: the XHTML chapters in reading (spine) order and
// the package metadata. It is stateless and safe for concurrent use.
type EPUB struct{}

var _ extract.Extractor = EPUB{}

// Name implements extract.Extractor.
func (EPUB) Name() string { return "epub" }

// Accepts implements extract.Extractor.
func (EPUB) Accepts() []string { return []string{sniff.EPUB} }

// Extract implements extract.Extractor.
func (EPUB) Extract(ctx context.Context, in *extract.Input, out extract.Sink) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("epub %s: %w", in.Name, err)
	}
	p, err := openPkg(in)
	if err != nil {
		return fmt.Errorf("epub %s: %w", in.Name, err)
	}
	defer p.Close()
	if err := extractEPUB(ctx, p, in, out); err != nil {
		return fmt.Errorf("epub %s: %w", in.Name, err)
	}
	return nil
}

var opfKeys = map[string]string{
	"title": "title", "creator": "author", "date": "created", "language": "language",
	"publisher": "publisher", "description": "description", "subject": "subject",
}

// noMeta drops the per-chapter metadata the HTML extractor writes: the
// book's metadata comes from the package document.
type noMeta struct{ extract.Sink }

func (noMeta) Meta(string, string) {}

func extractEPUB(ctx context.Context, p *pkg, in *extract.Input, out extract.Sink) error {
	opf := ""
	if rc, err := p.open("META-INF/container.xml"); err == nil {
		d := newDecoder(rc)
		for opf == "" {
			tok, err := d.RawToken()
			if err != nil {
				break
			}
			if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "rootfile" {
				opf = resolve("", attr(se, "full-path"))
			}
		}
		rc.Close()
	} else if extract.IsLimit(err) {
		return err
	}
	if opf == "" || !p.has(opf) {
		for name := range p.byName {
			if strings.HasSuffix(strings.ToLower(name), ".opf") && (opf == "" || name < opf) {
				opf = name
			}
		}
	}
	if opf == "" {
		return fmt.Errorf("%w: no package document", extract.ErrUnsupported)
	}
	if err := p.props(ctx, opf, opfKeys, out); err != nil {
		if extract.IsLimit(err) || ctx.Err() != nil {
			return err
		}
		out.Flag("damaged-properties")
	}
	chapters, err := spine(p, opf)
	if err != nil {
		return err
	}
	capped := text.Cap(noMeta{out}, in.Limits.MaxText)
	for _, ch := range chapters {
		if capped.Full() {
			break
		}
		rc, err := p.open(ch)
		if err != nil {
			if extract.IsLimit(err) {
				return err
			}
			continue
		}
		r, _, err := html.Decode(rc)
		if err == nil {
			err = html.Text(ctx, r, capped)
		}
		rc.Close()
		if err != nil {
			if extract.IsLimit(err) || ctx.Err() != nil {
				return err
			}
			out.Flag("damaged-chapter")
		}
		capped.Text("\n")
	}
	return p.children(ctx, out, "")
}

// spine lists the chapter members in reading order.
func spine(p *pkg, opf string) ([]string, error) {
	rc, err := p.open(opf)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	dir := path.Dir(opf)
	if dir == "." {
		dir = ""
	}
	items := map[string]string{}
	var order []string
	d := newDecoder(rc)
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			if extract.IsLimit(err) {
				return nil, err
			}
			break
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch se.Name.Local {
		case "item":
			mt := attr(se, "media-type")
			if strings.Contains(mt, "html") {
				items[attr(se, "id")] = resolve(dir, attr(se, "href"))
			}
		case "itemref":
			order = append(order, attr(se, "idref"))
		}
	}
	var out []string
	seen := map[string]bool{}
	for _, id := range order {
		if m := items[id]; m != "" && !seen[m] {
			seen[m] = true
			out = append(out, m)
		}
	}
	return out, nil
}
