package enrich

import (
	"context"
	"errors"
	"iter"
	"log/slog"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/lang"
	"github.com/leakscope/leakscope/internal/store"
	"github.com/leakscope/leakscope/internal/target"
)

// TargetsVersion changes when the register's rules change.
const TargetsVersion = 3

type storedTargets struct {
	Generation string          `json:"generation"`
	Targets    []target.Target `json:"targets"`
}

// LoadTargets returns the target register, recomputing it when the case
// changed since it was computed (new ingests, new stages).
func LoadTargets(ctx context.Context, c *casedir.Case, log *slog.Logger) ([]target.Target, error) {
	gen, err := c.Store.Generation(ctx)
	if err != nil {
		return nil, err
	}
	var st storedTargets
	v, err := c.Store.Analysis(ctx, "targets", &st)
	if err == nil && v == TargetsVersion && st.Generation == gen {
		return st.Targets, nil
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	ts, err := BuildTargets(ctx, c, log)
	if err != nil {
		return nil, err
	}
	if ts == nil {
		ts = []target.Target{}
	}
	return ts, c.Store.PutAnalysis(ctx, "targets", TargetsVersion, storedTargets{Generation: gen, Targets: ts})
}

// BuildTargets builds the register from every document of the case.
func BuildTargets(ctx context.Context, c *casedir.Case, log *slog.Logger) ([]target.Target, error) {
	docs, errp := caseDocs(ctx, c)
	t, _, err := NewTranslator(c, "", log)
	if err != nil {
		return nil, err
	}
	tr := func(s string) string {
		out, err := TranslateSegments(ctx, t, []string{s})
		if err != nil || len(out) == 0 {
			return ""
		}
		if out[0] == s {
			return ""
		}
		return out[0]
	}
	ts := target.Build(docs, target.Options{Translate: tr, Fold: lang.Fold, Log: log})
	return ts, *errp
}

// Check runs an exposure check of watch against every document.
func Check(ctx context.Context, c *casedir.Case, watch []target.WatchEntry) ([]target.Hit, error) {
	docs, errp := caseDocs(ctx, c)
	hits := target.Check(docs, watch, target.Options{Fold: lang.Fold})
	return hits, *errp
}

// caseDocs iterates over the case's documents as the target package sees
// them: one per occurrence path, so evidence names every place a file was
// found, with pages (spreadsheet sheets) split out. The error of the walk
// is reported through the returned pointer once iteration ends.
func caseDocs(ctx context.Context, c *casedir.Case) (iter.Seq[target.Doc], *error) {
	var walkErr error
	seq := func(yield func(target.Doc) bool) {
		stop := errors.New("stop")
		err := c.Store.ForEachText(ctx, func(d store.DocInfo, text string) error {
			paths, err := c.Store.AllPaths(ctx, d.ID)
			if err != nil || len(paths) == 0 {
				return err
			}
			_, pages, err := c.Store.Text(ctx, d.ID)
			if err != nil {
				return err
			}
			_, tr, _ := c.Store.Translation(ctx, d.ID, "")
			td := target.Doc{Path: paths[0], Text: text, Translation: tr, MIME: d.MIME}
			for _, p := range pages {
				if p.Start >= 0 && p.End <= len(text) && p.Start <= p.End {
					td.Pages = append(td.Pages, target.Page{Label: p.Label, Text: text[p.Start:p.End]})
				}
			}
			for _, path := range paths {
				td.Path = path
				if !yield(td) {
					return stop
				}
			}
			return nil
		})
		if err != nil && !errors.Is(err, stop) {
			walkErr = err
		}
	}
	return seq, &walkErr
}
