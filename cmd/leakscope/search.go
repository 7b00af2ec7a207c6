package main

import (
	"context"
	"errors"
	"fmt"
	"html"
	"strings"

	"github.com/spf13/cobra"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/enrich"
	"github.com/leakscope/leakscope/internal/index"
)

type searchOptions struct {
	limit, offset int
	kind          string
}

// searchHit is one hit of the search contract (DESIGN.md). The snippet is
// plain text: the CLI has no use for the HTML marks the UI shows.
type searchHit struct {
	ID           string  `json:"id"`
	Path         string  `json:"path"`
	Score        float64 `json:"score"`
	Snippet      string  `json:"snippet"`
	Kind         string  `json:"kind"`
	Conversation string  `json:"conversation,omitempty"`
}

// searchJSON is the answer of search. Partial is set when documents of the
// case are not searchable yet (Pending of them: an ingest is running or was
// interrupted), so that fewer hits are never taken for a complete answer.
type searchJSON struct {
	Total   uint64      `json:"total"`
	Hits    []searchHit `json:"hits"`
	Partial bool        `json:"partial"`
	Pending int64       `json:"pending,omitempty"`
}

func newSearchCmd(g *globalOptions) *cobra.Command {
	o := &searchOptions{}
	cmd := &cobra.Command{
		Use:   "search QUERY",
		Short: "Search the case's documents and chat messages",
		Long: `Search the full-text index of the case: the original text, its translation,
titles and paths, in any language (simplified and traditional Chinese match
each other). The query language: words and "quoted phrases", AND / OR / NOT
and parentheses, +required and -excluded terms, wildcards (* and ?), and
field filters: lang:zh-Hans type:pdf path:业务 sender:NAME country:VN
entity:ipv4:192.0.2.14 year:2021 kind:message date:>=2021-01-01
date:2021-01..2021-06. Terms are ANDed unless OR is written.

A hit is a document (its sha256 id) or one chat message ("<id>#m<N>").

Search runs beside serve, ingest and reindex. While documents of the case
are not searchable yet (an ingest is running or was interrupted), it warns
on stderr and the JSON answer has "partial": true and "pending": N.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSearch(cmd.Context(), o, g, args[0])
		},
	}
	cmd.Flags().IntVar(&o.limit, "limit", 20, fmt.Sprintf("at most this many hits (1..%d)", index.MaxLimit))
	cmd.Flags().IntVar(&o.offset, "offset", 0, "skip this many hits (for paging)")
	cmd.Flags().StringVar(&o.kind, "kind", "", "only documents or only chat messages (document, message)")
	return cmd
}

func runSearch(ctx context.Context, o *searchOptions, g *globalOptions, query string) error {
	if o.limit < 1 || o.limit > index.MaxLimit {
		return usageError{fmt.Errorf("--limit must be in 1..%d", index.MaxLimit)}
	}
	if o.offset < 0 || o.offset > index.MaxOffset {
		return usageError{fmt.Errorf("--offset must be in 0..%d", index.MaxOffset)}
	}
	q := index.Query{Text: query, Limit: o.limit, Offset: o.offset, Highlight: true}
	switch o.kind {
	case "":
	case index.KindDocument, index.KindMessage:
		q.Filters = map[string][]string{"kind": {o.kind}}
	default:
		return usageError{fmt.Errorf("--kind must be document or message, not %q", o.kind)}
	}
	// Check the query before opening anything, so a typo is a usage
	// error even on a case without an index.
	if _, err := index.Parse(query); err != nil {
		return usageError{err}
	}
	c, err := g.openCase(ctx, casedir.ReadOnly)
	if err != nil {
		return err
	}
	defer c.Close()
	if !hasIndex(c) {
		return fmt.Errorf("%w: run 'leakscope reindex --case %s'", errNoIndex, g.caseDir)
	}
	x, err := openIndex(ctx, c)
	if err != nil {
		return err
	}
	defer x.Close()
	res, err := x.Search(ctx, q)
	if errors.Is(err, index.ErrBadQuery) {
		return usageError{err}
	}
	if err != nil {
		return err
	}
	pending, err := enrich.Unsearchable(ctx, c.Store)
	if err != nil {
		return err
	}
	out := searchJSON{Total: res.Total, Hits: make([]searchHit, 0, len(res.Hits)), Partial: pending > 0, Pending: pending}
	if out.Partial {
		fmt.Fprintf(g.stderr, "leakscope: warning: the index is incomplete: %d documents are not searchable yet "+
			"(an ingest is running, or was interrupted: run 'leakscope ingest' again)\n", pending)
	}
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, searchHit{ID: h.ID, Path: h.Path, Score: h.Score, Snippet: plainSnippet(h.Snippet),
			Kind: h.Kind, Conversation: h.Conversation})
	}
	if g.format == "json" {
		return g.json(out)
	}
	return printHits(g, out, res.Hits, o.offset)
}

// plainSnippet turns an index snippet (escaped HTML with <mark>) into
// plain text.
func plainSnippet(s string) string {
	s = strings.ReplaceAll(s, "<mark>", "")
	s = strings.ReplaceAll(s, "</mark>", "")
	return html.UnescapeString(s)
}

// termSnippet turns an index snippet into terminal text with the matches
// in bold (when the output is a terminal) or between » « otherwise.
func termSnippet(s string, tty bool) string {
	open, close := "»", "«"
	if tty {
		open, close = "\x1b[1m", "\x1b[0m"
	}
	s = strings.ReplaceAll(s, "<mark>", "\x00")
	s = strings.ReplaceAll(s, "</mark>", "\x01")
	s = visible(strings.Join(strings.Fields(html.UnescapeString(s)), " "))
	s = strings.ReplaceAll(s, `\u0000`, open)
	return strings.ReplaceAll(s, `\u0001`, close)
}

// printHits writes the hits as a numbered list: path, id and score, then
// the snippet indented.
func printHits(g *globalOptions, out searchJSON, hits []index.Hit, offset int) error {
	tty := newBar(g.stdout, false, "").on
	if out.Total == 0 {
		_, err := fmt.Fprintln(g.stdout, "no hits")
		return err
	}
	fmt.Fprintf(g.stdout, "%d hits", out.Total)
	if len(hits) > 0 {
		fmt.Fprintf(g.stdout, " (%d-%d shown)", offset+1, offset+len(hits))
	}
	fmt.Fprintln(g.stdout)
	for i, h := range hits {
		id := h.ID
		if len(id) > 12 && h.Kind != index.KindMessage {
			id = id[:12]
		} else if j := strings.Index(id, "#"); j > 12 {
			id = id[:12] + id[j:]
		}
		what := ""
		if h.Kind == index.KindMessage {
			what = "  [chat]"
		}
		fmt.Fprintf(g.stdout, "\n%3d. %s%s\n     %s  score %.2f\n", offset+i+1, visible(h.Path), what, id, h.Score)
		if sn := termSnippet(h.Snippet, tty); sn != "" {
			fmt.Fprintf(g.stdout, "     %s\n", sn)
		}
	}
	return nil
}
