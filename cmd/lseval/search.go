package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/index"
	"github.com/leakscope/leakscope/internal/index/bleve"
	"github.com/leakscope/leakscope/internal/lang"
	"github.com/leakscope/leakscope/internal/store"
)

// searchTarget is the part of a truth target the search score needs: the
// names an analyst would type and the files that are its evidence.
type searchTarget struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	NamesZh  []string `json:"names_zh"`
	Evidence []string `json:"evidence"`
}

// SearchScore is how often a target's name finds its evidence.
type SearchScore struct {
	Queries int // names queried (Chinese names and the English name of every target)
	Found   int // queries whose hits include at least one evidence file
	All     int // queries whose hits include every evidence file
	Top     int // queries with an evidence file among the first index.DefaultLimit hits
	Strict  int // Found without the OR fallback (every term required)
	Misses  []string
}

// scoreSearch queries the case index, as the CLI does, for every Chinese
// name and the English name of every target of the truth file, and counts
// the queries whose hits (up to index.MaxLimit, chat messages counted as
// their conversation's document) include the target's evidence files.
func scoreSearch(ctx context.Context, c *casedir.Case, truthPath string) (SearchScore, error) {
	var s SearchScore
	raw, err := os.ReadFile(truthPath)
	if err != nil {
		return s, fmt.Errorf("search score: %w", err)
	}
	var truth struct {
		Targets []searchTarget `json:"targets"`
	}
	if err := json.Unmarshal(raw, &truth); err != nil {
		return s, fmt.Errorf("search score %s: %w", filepath.Base(truthPath), err)
	}
	docs, err := c.Store.Documents(ctx, store.DocFilter{})
	if err != nil {
		return s, fmt.Errorf("search score: %w", err)
	}
	pathsOf := map[string][]string{}
	for _, d := range docs {
		pathsOf[d.ID.String()] = d.Paths()
	}
	x, err := bleve.OpenReaderWith(c.IndexDir(), bleve.Options{Words: lang.Words})
	if err != nil {
		return s, err
	}
	defer x.Close()
	for _, t := range truth.Targets {
		if len(t.Evidence) == 0 {
			continue
		}
		for _, name := range append(append([]string{}, t.NamesZh...), t.Name) {
			res, err := x.Search(ctx, index.Query{Text: name, Limit: index.MaxLimit})
			if err != nil {
				return s, fmt.Errorf("search score %s %q: %w", t.ID, name, err)
			}
			found := func(hits []index.Hit) int {
				hit := map[string]bool{}
				for _, h := range hits {
					id, _, _ := strings.Cut(h.ID, "#")
					for _, p := range pathsOf[id] {
						hit[p] = true
					}
				}
				n := 0
				for _, e := range t.Evidence {
					if hit[e] {
						n++
					}
				}
				return n
			}
			n := found(res.Hits)
			if found(res.Hits[:min(len(res.Hits), index.DefaultLimit)]) > 0 {
				s.Top++
			}
			if !res.Relaxed && n > 0 {
				s.Strict++
			}
			s.Queries++
			if n > 0 {
				s.Found++
			} else {
				s.Misses = append(s.Misses, fmt.Sprintf("%s %q: %d hits, none of %d evidence files", t.ID, name, res.Total, len(t.Evidence)))
			}
			if n == len(t.Evidence) {
				s.All++
			}
		}
	}
	return s, nil
}

// printSearchScore prints the search score of the case, the misses first.
func printSearchScore(ctx context.Context, c *casedir.Case, truthPath string) error {
	s, err := scoreSearch(ctx, c, truthPath)
	if err != nil {
		return err
	}
	for _, m := range s.Misses {
		fmt.Printf("  search miss %s\n", m)
	}
	fmt.Printf("== search: a target's name finds evidence for %d/%d = %.3f of queries "+
		"(in the first %d hits: %.3f; without the OR fallback: %.3f; every evidence file: %.3f)\n",
		s.Found, s.Queries, ratio(s.Found, s.Queries), index.DefaultLimit, ratio(s.Top, s.Queries),
		ratio(s.Strict, s.Queries), ratio(s.All, s.Queries))
	return nil
}
