package office

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/leakscope/leakscope/internal/extract"
	"github.com/leakscope/leakscope/internal/extract/text"
	"github.com/leakscope/leakscope/internal/sniff"
)

// PPTX extracts PowerPoint presentations (pptx, pptm, ppsx, potx). It is
// stateless and safe for concurrent use.
type PPTX struct{}

var _ extract.Extractor = PPTX{}

// Name implements extract.Extractor.
func (PPTX) Name() string { return "pptx" }

// Accepts implements extract.Extractor.
func (PPTX) Accepts() []string { return []string{sniff.PPTX} }

// Extract implements extract.Extractor.
func (PPTX) Extract(ctx context.Context, in *extract.Input, out extract.Sink) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("pptx %s: %w", in.Name, err)
	}
	p, err := openPkg(in)
	if err != nil {
		return fmt.Errorf("pptx %s: %w", in.Name, err)
	}
	defer p.Close()
	if err := extractPPTX(ctx, p, in, out); err != nil {
		return fmt.Errorf("pptx %s: %w", in.Name, err)
	}
	return nil
}

func extractPPTX(ctx context.Context, p *pkg, in *extract.Input, out extract.Sink) error {
	if err := p.ooxmlProps(ctx, out); err != nil {
		return err
	}
	pres := mainPart(p, "ppt/presentation.xml")
	slides, err := slideOrder(p, pres)
	if err != nil {
		return err
	}
	if len(slides) == 0 && !p.has(pres) {
		return fmt.Errorf("%w: no presentation part", extract.ErrUnsupported)
	}
	capped := text.Cap(out, in.Limits.MaxText)
	for i, slide := range slides {
		if capped.Full() {
			break
		}
		f := &flow{max: int(min(in.Limits.MaxText-capped.Written(), 1<<40))}
		if _, err := partText(ctx, p, slide, f); err != nil {
			if extract.IsLimit(err) || ctx.Err() != nil {
				return err
			}
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			out.Flag("damaged-slide")
		}
		dir := path.Dir(slide)
		rels, _ := p.rels(path.Join(dir, "_rels", path.Base(slide)+".rels"), dir)
		for _, target := range sortedValues(rels) {
			if !strings.Contains(target, "notesSlide") {
				continue
			}
			notes := &flow{max: f.max}
			if _, err := partText(ctx, p, target, notes); err != nil && (extract.IsLimit(err) || ctx.Err() != nil) {
				return err
			}
			if s := strings.TrimSpace(notesText(notes.String())); s != "" {
				f.b.WriteString("\n" + s + "\n")
			}
		}
		capped.Page(extract.Page{Number: i + 1, Text: f.String()})
	}
	return p.children(ctx, out, "ppt/media/", "ppt/embeddings/")
}

// notesText drops the bare slide number a notes page repeats.
func notesText(s string) string {
	var keep []string
	for _, l := range strings.Split(s, "\n") {
		if _, err := strconv.Atoi(strings.TrimSpace(l)); err == nil {
			continue
		}
		keep = append(keep, l)
	}
	return strings.Join(keep, "\n")
}

func sortedValues(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

// slideOrder lists the slide parts in presentation order, from the slide
// id list; without one, the slide parts by number.
func slideOrder(p *pkg, pres string) ([]string, error) {
	dir := path.Dir(pres)
	rels, err := p.rels(path.Join(dir, "_rels", path.Base(pres)+".rels"), dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	var slides []string
	if rc, err := p.open(pres); err == nil {
		d := newDecoder(rc)
		for {
			tok, err := d.Token()
			if err != nil {
				break
			}
			if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "sldId" {
				if t := rels[relID(se)]; t != "" && p.has(t) {
					slides = append(slides, t)
				}
			}
		}
		rc.Close()
	} else if extract.IsLimit(err) {
		return nil, err
	}
	if len(slides) > 0 {
		return slides, nil
	}
	for name := range p.byName {
		if strings.HasPrefix(name, "ppt/slides/slide") && strings.HasSuffix(name, ".xml") {
			slides = append(slides, name)
		}
	}
	sort.Slice(slides, func(i, j int) bool { return slideNum(slides[i]) < slideNum(slides[j]) })
	return slides, nil
}

func slideNum(name string) int {
	n, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(path.Base(name), "slide"), ".xml"))
	return n
}
