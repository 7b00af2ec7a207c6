package office

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/extract/text"
	"github.com/leakscope/leakscope/internal/sniff"
)

// DOCX extracts Word documents (docx, docm, dotx). It is stateless and
// safe for concurrent use.
type DOCX struct{}

var _ extract.Extractor = DOCX{}

// Name implements extract.Extractor.
func (DOCX) Name() string { return "docx" }

// Accepts implements extract.Extractor.
func (DOCX) Accepts() []string { return []string{sniff.DOCX} }

// Extract implements extract.Extractor.
func (DOCX) Extract(ctx context.Context, in *extract.Input, out extract.Sink) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("docx %s: %w", in.Name, err)
	}
	p, err := openPkg(in)
	if err != nil {
		return fmt.Errorf("docx %s: %w", in.Name, err)
	}
	defer p.Close()
	if err := extractDOCX(ctx, p, in, out); err != nil {
		return fmt.Errorf("docx %s: %w", in.Name, err)
	}
	return nil
}

func extractDOCX(ctx context.Context, p *pkg, in *extract.Input, out extract.Sink) error {
	if err := p.ooxmlProps(ctx, out); err != nil {
		return err
	}
	main := mainPart(p, "word/document.xml")
	if !p.has(main) {
		return fmt.Errorf("%w: no main document part", extract.ErrUnsupported)
	}
	capped := text.Cap(out, in.Limits.MaxText)
	f := &flow{max: int(min(in.Limits.MaxText, 1<<40))}
	deleted, err := partText(ctx, p, main, f)
	if err != nil {
		return err
	}
	// Secondary parts in a stable order; identical texts (the same
	// header on every section) once.
	var extra []string
	for name := range p.byName {
		dir, base := path.Split(name)
		if dir != path.Dir(main)+"/" || !strings.HasSuffix(base, ".xml") {
			continue
		}
		for _, pre := range []string{"header", "footer", "footnotes", "endnotes", "comments"} {
			if strings.HasPrefix(base, pre) {
				extra = append(extra, name)
			}
		}
	}
	sort.Slice(extra, func(i, j int) bool { return partOrder(extra[i]) < partOrder(extra[j]) })
	seen := map[string]bool{}
	for _, name := range extra {
		if f.full() {
			break
		}
		sub := &flow{max: f.max}
		d, err := partText(ctx, p, name, sub)
		if err != nil {
			if extract.IsLimit(err) || ctx.Err() != nil {
				return err
			}
			continue // a damaged header does not lose the body
		}
		deleted = deleted || d
		s := strings.TrimSpace(sub.String())
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		f.b.WriteString("\n" + s + "\n")
	}
	if deleted {
		out.Flag(FlagTrackedChanges)
	}
	capped.Text(f.String())
	return p.children(ctx, out, path.Dir(main)+"/media/", path.Dir(main)+"/embeddings/")
}

// partOrder sorts headers, footers, footnotes, endnotes, comments, and
// numbered parts by number (header2 before header10).
func partOrder(name string) string {
	base := strings.TrimSuffix(path.Base(name), ".xml")
	i := strings.IndexAny(base, "0123456789")
	kind, num := base, ""
	if i >= 0 {
		kind, num = base[:i], base[i:]
	}
	rank := map[string]string{"header": "1", "footer": "2", "footnotes": "3", "endnotes": "4", "comments": "5"}[kind]
	return rank + fmt.Sprintf("%08s", num)
}

func partText(ctx context.Context, p *pkg, name string, f *flow) (bool, error) {
	rc, err := p.open(name)
	if err != nil {
		return false, err
	}
	defer rc.Close()
	d, err := ooxmlText(ctx, rc, f)
	if err != nil {
		return d, fmt.Errorf("%s: %w", name, err)
	}
	return d, nil
}

// mainPart finds the main document part from the package relationships,
// falling back to def.
func mainPart(p *pkg, def string) string {
	if p.has(def) {
		return def
	}
	rels, err := p.rels("_rels/.rels", "")
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return def
	}
	for _, target := range rels {
		if strings.HasSuffix(target, ".xml") && p.has(target) && path.Dir(target) == path.Dir(def) {
			return target
		}
	}
	return def
}
