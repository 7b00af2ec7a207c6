package main

import (
	"context"
	"errors"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/enrich"
	"github.com/leakscope/leakscope/internal/index"
	"github.com/leakscope/leakscope/internal/index/bleve"
	"github.com/leakscope/leakscope/internal/lang"
)

type searchOptions struct {
	limit, offset int
	kind          string
	sort          string
	batch         string // file of terms, one a line
	csv           bool   // batch answer as CSV
}

// searchHit is one hit of the search contract (DESIGN.md). The snippets
// are plain text: the CLI has no use for the HTML marks the UI shows.
type searchHit struct {
	ID                 string    `json:"id"`
	Path               string    `json:"path"`
	Score              float64   `json:"score"`
	Snippet            string    `json:"snippet"`
	TranslationSnippet string    `json:"translation_snippet,omitempty"`
	Kind               string    `json:"kind"`
	Conversation       string    `json:"conversation,omitempty"`
	Title              string    `json:"title,omitempty"`
	Date               time.Time `json:"date,omitzero"`
	Sender             string    `json:"sender,omitempty"`
}

// searchJSON is the answer of search. Partial is set when documents of the
// case are not searchable yet (Pending of them: an ingest is running or was
// interrupted), so that fewer hits are never taken for a complete answer.
// Relaxed (with Notice) says no unit had every term and the hits are the
// ranked OR fallback.
type searchJSON struct {
	Total   uint64      `json:"total"`
	Hits    []searchHit `json:"hits"`
	Partial bool        `json:"partial"`
	Pending int64       `json:"pending,omitempty"`
	Relaxed bool        `json:"relaxed,omitempty"`
	Notice  string      `json:"notice,omitempty"`
}

// queryOptions are what the case's queries are parsed with: the Chinese
// segmenter, and the sender aliases of the chat analysis (a person's name,
// nicks and handles), read once when the index is opened. Without a chat
// analysis sender: matches the stored name as written.
func queryOptions(ctx context.Context, c *casedir.Case) bleve.Options {
	o := bleve.Options{Words: lang.Words}
	ch, err := enrich.LoadChats(ctx, c)
	if err != nil || len(ch.Persons) == 0 {
		return o
	}
	names := map[string][]string{}
	for _, p := range ch.Persons {
		all := append([]string{p.Name}, p.Aliases...)
		for _, n := range all {
			if k := lang.Fold(strings.TrimSpace(n)); k != "" {
				names[k] = append(names[k], all...)
			}
		}
	}
	o.Senders = func(v string) []string { return names[lang.Fold(strings.TrimSpace(v))] }
	return o
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
date:2021-01..2021-06. Terms are ANDed unless OR is written. A Chinese
term is cut into words, each required wherever it stands (德国明湖大学 finds a
text that writes 德国 and 明湖大学 apart); in quotes it is one phrase. English
words match their inflections (ministries finds ministry). sender: matches a
person's name, nick or handle as the chat analysis resolved them. When no
unit has every term, the hits are those with any, those with most terms
first, under a notice ("relaxed": true in JSON). An unknown field (frm:x) or
an operator of another engine (~ fuzzy, ^ boost, [a TO b]) is an error.

A hit is a document (its sha256 id) or one chat message ("<id>#m<N>"),
with its date and sender when known, the original snippet and the
translation's.

--batch FILE runs every line of FILE (a watch list: one query a line,
blank lines and lines starting with # skipped) and reports the hits per
term; --csv writes them as CSV (term, total, relaxed, rank, id, path, date,
sender, score, snippet, translation), one row per hit and one for a term
without hits. A bad line is reported with its number before anything runs.

An index written before English stemming (analyzer v2) still answers
without it; search warns until 'leakscope reindex' rebuilds it.

Exit status: 0 (hits or none), 1 (no index, store failure), 2 (bad flag or
query), 3 (no case).

Search runs beside serve, ingest and reindex. While documents of the case
are not searchable yet (an ingest is running or was interrupted), it warns
on stderr and the JSON answer has "partial": true and "pending": N.`,
		Args: cobra.RangeArgs(0, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.batch != "" {
				if len(args) > 0 {
					return usageError{errors.New("--batch takes its queries from the file, not the command line")}
				}
				return runSearchBatch(cmd.Context(), o, g)
			}
			if len(args) != 1 {
				return usageError{errors.New("search needs a QUERY (or --batch FILE)")}
			}
			if o.csv {
				return usageError{errors.New("--csv goes with --batch")}
			}
			return runSearch(cmd.Context(), o, g, args[0])
		},
	}
	cmd.Flags().IntVar(&o.limit, "limit", 20, fmt.Sprintf("at most this many hits (1..%d), per term with --batch", index.MaxLimit))
	cmd.Flags().IntVar(&o.offset, "offset", 0, "skip this many hits (for paging)")
	cmd.Flags().StringVar(&o.kind, "kind", "", "only documents or only chat messages (document, message)")
	cmd.Flags().StringVar(&o.sort, "sort", "relevance", "order of the hits: relevance, date (newest first) or date-asc")
	cmd.Flags().StringVar(&o.batch, "batch", "", "run every query of this file (one a line) and report hits per term")
	cmd.Flags().BoolVar(&o.csv, "csv", false, "with --batch: write the hits as CSV")
	return cmd
}

// baseQuery checks the flags shared by one search and a batch and returns
// the query they make, without its text.
func baseQuery(o *searchOptions) (index.Query, error) {
	if o.limit < 1 || o.limit > index.MaxLimit {
		return index.Query{}, usageError{fmt.Errorf("--limit must be in 1..%d", index.MaxLimit)}
	}
	if o.offset < 0 || o.offset > index.MaxOffset {
		return index.Query{}, usageError{fmt.Errorf("--offset must be in 0..%d", index.MaxOffset)}
	}
	q := index.Query{Limit: o.limit, Offset: o.offset, Highlight: true, Sort: o.sort}
	if o.sort == index.SortRelevance {
		q.Sort = ""
	}
	switch o.kind {
	case "":
	case index.KindDocument, index.KindMessage:
		q.Filters = map[string][]string{"kind": {o.kind}}
	default:
		return q, usageError{fmt.Errorf("--kind must be document or message, not %q", o.kind)}
	}
	if _, err := q.Validate(); err != nil {
		return q, usageError{fmt.Errorf("--sort: %w", err)}
	}
	return q, nil
}

// openSearch opens the case and its index for searching, and warns when
// the index needs a reindex or documents are not searchable yet.
func openSearch(ctx context.Context, g *globalOptions) (*casedir.Case, *bleve.Index, int64, error) {
	c, err := g.openCase(ctx, casedir.ReadOnly)
	if err != nil {
		return nil, nil, 0, err
	}
	if !hasIndex(c) {
		c.Close()
		return nil, nil, 0, fmt.Errorf("%w: run 'leakscope reindex --case %s'", errNoIndex, g.caseDir)
	}
	x, err := openIndex(ctx, c)
	if err != nil {
		c.Close()
		return nil, nil, 0, err
	}
	pending, err := enrich.Unsearchable(ctx, c.Store)
	if err != nil {
		x.Close()
		c.Close()
		return nil, nil, 0, err
	}
	if pending > 0 {
		fmt.Fprintf(g.stderr, "leakscope: warning: the index is incomplete: %d documents are not searchable yet "+
			"(an ingest is running, or was interrupted: run 'leakscope ingest' again)\n", pending)
	}
	if x.Stale() {
		fmt.Fprintf(g.stderr, "leakscope: warning: the index was built by an older version (no English stemming): "+
			"run 'leakscope reindex --case %s'\n", g.caseDir)
	}
	return c, x, pending, nil
}

// jsonHits turns index hits into the CLI's plain-text hits.
func jsonHits(hits []index.Hit) []searchHit {
	out := make([]searchHit, 0, len(hits))
	for _, h := range hits {
		out = append(out, searchHit{ID: h.ID, Path: h.Path, Score: h.Score, Snippet: plainSnippet(h.Snippet),
			TranslationSnippet: plainSnippet(h.TranslationSnippet), Kind: h.Kind, Conversation: h.Conversation,
			Title: h.Title, Date: h.Date, Sender: h.Sender})
	}
	return out
}

func runSearch(ctx context.Context, o *searchOptions, g *globalOptions, query string) error {
	q, err := baseQuery(o)
	if err != nil {
		return err
	}
	q.Text = query
	// Check the query before opening anything, so a typo is a usage
	// error even on a case without an index.
	if _, err := index.Parse(query); err != nil {
		return usageError{err}
	}
	c, x, pending, err := openSearch(ctx, g)
	if err != nil {
		return err
	}
	defer c.Close()
	defer x.Close()
	res, err := x.Search(ctx, q)
	if errors.Is(err, index.ErrBadQuery) {
		return usageError{err}
	}
	if err != nil {
		return err
	}
	out := searchJSON{Total: res.Total, Hits: jsonHits(res.Hits), Partial: pending > 0, Pending: pending,
		Relaxed: res.Relaxed, Notice: res.Notice}
	if g.format == "json" {
		return g.json(out)
	}
	return printHits(g, out, res.Hits, o.offset)
}

// plainSnippet turns an index snippet (escaped HTML with <mark>) into
// plain text.
func plainSnippet(s string) string { return index.PlainSnippet(s) }

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
	if out.Relaxed {
		fmt.Fprintf(g.stdout, "note: %s\n", out.Notice)
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
		fmt.Fprintf(g.stdout, "\n%3d. %s%s\n     %s  score %.2f", offset+i+1, visible(h.Path), what, id, h.Score)
		if !h.Date.IsZero() {
			fmt.Fprintf(g.stdout, "  %s", h.Date.Format(time.DateOnly))
		}
		if h.Sender != "" {
			fmt.Fprintf(g.stdout, "  from %s", visible(h.Sender))
		}
		fmt.Fprintln(g.stdout)
		if sn := termSnippet(h.Snippet, tty); sn != "" {
			fmt.Fprintf(g.stdout, "     %s\n", sn)
		}
		if sn := termSnippet(h.TranslationSnippet, tty); sn != "" {
			fmt.Fprintf(g.stdout, "     = %s\n", sn)
		}
	}
	return nil
}

// batchTerm is the answer for one line of a batch.
type batchTerm struct {
	Line    int         `json:"line"`
	Term    string      `json:"term"`
	Total   uint64      `json:"total"`
	Relaxed bool        `json:"relaxed,omitempty"`
	Hits    []searchHit `json:"hits"`
}

// batchJSON is the answer of search --batch.
type batchJSON struct {
	Terms   []batchTerm `json:"terms"`
	Partial bool        `json:"partial"`
	Pending int64       `json:"pending,omitempty"`
}

// readBatch reads a watch list: one query a line; blank lines and lines
// starting with # are skipped. Every query is parsed first, so a bad line
// is a usage error naming its number before anything is searched.
func readBatch(path string) ([]batchTerm, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, usageError{fmt.Errorf("--batch: %w", err)}
	}
	if !utf8.Valid(raw) {
		return nil, usageError{fmt.Errorf("--batch %s: not UTF-8 text", filepath.Base(path))}
	}
	var terms []batchTerm
	for i, line := range strings.Split(strings.TrimPrefix(string(raw), "\ufeff"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if _, err := index.Parse(line); err != nil {
			return nil, usageError{fmt.Errorf("--batch line %d: %w", i+1, err)}
		}
		if len(terms) == index.MaxBatchTerms {
			return nil, usageError{fmt.Errorf("--batch: more than %d terms", index.MaxBatchTerms)}
		}
		terms = append(terms, batchTerm{Line: i + 1, Term: line})
	}
	if len(terms) == 0 {
		return nil, usageError{fmt.Errorf("--batch %s: no terms", filepath.Base(path))}
	}
	return terms, nil
}

// runSearchBatch runs every term of a watch list through index.SearchBatch
// (what GET /api/v1/search/batch runs) and reports the hits per term as
// text, JSON or CSV.
func runSearchBatch(ctx context.Context, o *searchOptions, g *globalOptions) error {
	q, err := baseQuery(o)
	if err != nil {
		return err
	}
	terms, err := readBatch(o.batch)
	if err != nil {
		return err
	}
	c, x, pending, err := openSearch(ctx, g)
	if err != nil {
		return err
	}
	defer c.Close()
	defer x.Close()
	texts := make([]string, len(terms))
	for i, t := range terms {
		texts[i] = t.Term
	}
	rs, err := index.SearchBatch(ctx, x, q, texts)
	if errors.Is(err, index.ErrBadQuery) {
		return usageError{fmt.Errorf("--batch: %w", err)}
	}
	if err != nil {
		return err
	}
	if o.csv {
		return index.WriteBatchCSV(g.stdout, rs)
	}
	for i, r := range rs {
		terms[i].Total, terms[i].Relaxed, terms[i].Hits = r.Total, r.Relaxed, jsonHits(r.Hits)
	}
	if g.format == "json" {
		return g.json(batchJSON{Terms: terms, Partial: pending > 0, Pending: pending})
	}
	for _, t := range terms {
		note := ""
		if t.Relaxed {
			note = "  (no hit has every term: hits with any)"
		}
		fmt.Fprintf(g.stdout, "%6d  %s%s\n", t.Total, visible(t.Term), note)
	}
	return nil
}
