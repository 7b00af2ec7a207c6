package bleve

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	bv "github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"

	"github.com/leakscope/leakscope/internal/index"
)

// Merge policy. Every publication adds a segment, and every segment costs
// each search a little, so the writer keeps their number small: when there
// are more than maxSegments, the smaller half is rebuilt into one (a
// tiered policy: a unit is rewritten again only when its segment is among
// the small ones, so a large old segment is left alone); and a segment
// most of whose copies are shadowed is rebuilt without them, which also
// drops the shadowed copies from totals and facets.
const (
	maxSegments = 8
	// mergePage is how many units a merge reads from a segment at once.
	mergePage = 500
)

// maybeMerge applies the merge policy after a publication. Callers hold
// w.mu.
func (x *Index) maybeMerge(ctx context.Context) error {
	x.mu.RLock()
	var cands []*liveSegment
	for _, s := range x.segs {
		if s.meta.Source {
			cands = append(cands, s)
		}
	}
	n := len(x.segs)
	x.mu.RUnlock()
	sortSegments(cands)
	var pick []*liveSegment
	if n > maxSegments {
		k := min(len(cands), n-maxSegments/2+1)
		pick = append(pick, cands[:k]...)
	}
	for _, s := range cands[len(pick):] {
		if len(s.hidden)*2 > int(s.meta.Units) {
			pick = append(pick, s)
		}
	}
	if len(pick) == 0 || len(pick) == 1 && len(pick[0].hidden) == 0 {
		return nil
	}
	return x.merge(ctx, pick)
}

// merge rebuilds the live units of segs into one new segment and
// publishes it in their place. The live units of all segments are disjoint
// (a newer copy hides every older one), so the new segment may go anywhere
// in the list. A kill before the manifest is written leaves an unlisted
// directory, removed by the next writer.
func (x *Index) merge(ctx context.Context, segs []*liveSegment) error {
	w := x.w
	name := segmentName(w.next)
	w.next++
	path := filepath.Join(x.dir, name)
	bi, err := createSegment(path)
	if err != nil {
		return err
	}
	fail := func(err error) error {
		bi.Close()
		return errors.Join(err, os.RemoveAll(path))
	}
	for _, s := range segs {
		if err := copyLive(ctx, s, bi); err != nil {
			return fail(fmt.Errorf("merge %s: %w", s.meta.Name, err))
		}
	}
	units, err := bi.DocCount()
	if err != nil {
		return fail(fmt.Errorf("merge: %w", err))
	}
	if err := bi.Close(); err != nil {
		return errors.Join(fmt.Errorf("merge: %w", err), os.RemoveAll(path))
	}
	var merged *liveSegment
	if units > 0 {
		rbi, err := openSegment(path)
		if err != nil {
			return errors.Join(err, os.RemoveAll(path))
		}
		merged = &liveSegment{meta: segmentMeta{Name: name, Units: units, Source: true, Analyzer: AnalyzerName}, bi: rbi, hidden: map[string]bool{}}
	} else if err := os.RemoveAll(path); err != nil {
		return fmt.Errorf("merge: %w", err)
	}
	gone := map[*liveSegment]bool{}
	for _, s := range segs {
		gone[s] = true
	}
	x.mu.Lock()
	var keep []*liveSegment
	for _, s := range x.segs {
		if !gone[s] {
			keep = append(keep, s)
		}
	}
	if merged != nil {
		keep = append(keep, merged)
	}
	x.segs = keep
	x.mu.Unlock()
	if err := x.writeView(); err != nil {
		return err
	}
	// Readers still searching a merged segment keep their open files; new
	// readers follow the manifest, which no longer lists it.
	var errs []error
	for _, s := range segs {
		errs = append(errs, s.bi.Close(), os.RemoveAll(filepath.Join(x.dir, s.meta.Name)))
	}
	return errors.Join(errs...)
}

// copyLive adds the units of s that it does not hide to dst, rebuilt from
// their stored fields, paging in ID order.
func copyLive(ctx context.Context, s *liveSegment, dst bv.Index) error {
	var after []string
	for {
		req := bv.NewSearchRequestOptions(bv.NewMatchAllQuery(), mergePage, 0, false)
		req.Fields = []string{fSource, fText, fTranslation}
		req.SortBy([]string{"_id"})
		if after != nil {
			req.SetSearchAfter(after)
		}
		res, err := s.bi.SearchInContext(ctx, req)
		if err != nil {
			return err
		}
		if len(res.Hits) == 0 {
			return nil
		}
		var docs []index.Doc
		for _, h := range res.Hits {
			if s.hidden[h.ID] {
				continue
			}
			d, err := sourceDoc(h)
			if err != nil {
				return fmt.Errorf("unit %s: %w", h.ID, err)
			}
			docs = append(docs, d)
		}
		if err := addDocs(ctx, dst, docs); err != nil {
			return err
		}
		after = []string{res.Hits[len(res.Hits)-1].ID}
	}
}

// sourceDoc rebuilds a unit from its stored fields.
func sourceDoc(h *search.DocumentMatch) (index.Doc, error) {
	var d index.Doc
	src, ok := h.Fields[fSource].(string)
	if !ok {
		return d, errors.New("no stored source")
	}
	if err := json.Unmarshal([]byte(src), &d); err != nil {
		return d, err
	}
	d.ID = h.ID
	d.Text = str(h.Fields[fText])
	d.Translation = str(h.Fields[fTranslation])
	return d, nil
}
