package index

import (
	"context"
	"encoding/csv"
	"fmt"
	"html"
	"io"
	"strconv"
	"strings"
	"time"
)

// MaxBatchTerms bounds one batch search: a watch list is dozens or
// hundreds of names, and each term is one search.
const MaxBatchTerms = 10_000

// TermResult is the answer for one term of a batch.
type TermResult struct {
	Term    string `json:"term"`
	Total   uint64 `json:"total"`
	Relaxed bool   `json:"relaxed,omitempty"` // the hits are the OR fallback
	Hits    []Hit  `json:"hits"`
}

// Searcher is what SearchBatch needs: an Index, or a server backend that
// adds the case's state to the index's answers.
type Searcher interface {
	Search(ctx context.Context, q Query) (Result, error)
}

// SearchBatch runs every term as the text of q (its filters, order and
// paging apply to each) and returns the results in the order of terms.
// Every term is parsed before any is searched, so that a bad one is an
// error (matching ErrBadQuery, naming the term's number from 1) and not
// half an answer.
func SearchBatch(ctx context.Context, x Searcher, q Query, terms []string) ([]TermResult, error) {
	if len(terms) == 0 {
		return nil, &QueryError{Pos: -1, Msg: "no terms"}
	}
	if len(terms) > MaxBatchTerms {
		return nil, &QueryError{Pos: -1, Msg: "more than " + strconv.Itoa(MaxBatchTerms) + " terms"}
	}
	for i, t := range terms {
		if _, err := Parse(t); err != nil {
			return nil, fmt.Errorf("term %d: %w", i+1, err)
		}
	}
	out := make([]TermResult, 0, len(terms))
	for i, t := range terms {
		tq := q
		tq.Text = t
		res, err := x.Search(ctx, tq)
		if err != nil {
			return nil, fmt.Errorf("term %d: %w", i+1, err)
		}
		if res.Hits == nil {
			res.Hits = []Hit{}
		}
		out = append(out, TermResult{Term: t, Total: res.Total, Relaxed: res.Relaxed, Hits: res.Hits})
	}
	return out, nil
}

// BatchCSVHeader is the first row WriteBatchCSV writes.
var BatchCSVHeader = []string{"term", "total", "relaxed", "rank", "id", "path", "date", "sender", "score", "snippet", "translation"}

// WriteBatchCSV writes one row per hit, and one with an empty hit for a
// term without any, so that every term of the list appears. Snippets are
// plain text. A cell a spreadsheet would run as a formula (=, +, -, @, tab
// or carriage return first) is prefixed with a quote: snippets and paths
// are leaked text.
func WriteBatchCSV(w io.Writer, rs []TermResult) error {
	cw := csv.NewWriter(w)
	cw.Write(BatchCSVHeader)
	for _, r := range rs {
		head := []string{r.Term, strconv.FormatUint(r.Total, 10), strconv.FormatBool(r.Relaxed)}
		if len(r.Hits) == 0 {
			cw.Write(csvSafe(append(head, "", "", "", "", "", "", "", "")))
		}
		for i, h := range r.Hits {
			date := ""
			if !h.Date.IsZero() {
				date = h.Date.Format(time.DateOnly)
			}
			row := append(append([]string{}, head...), strconv.Itoa(i+1), h.ID, h.Path, date, h.Sender,
				strconv.FormatFloat(h.Score, 'f', 3, 64), PlainSnippet(h.Snippet), PlainSnippet(h.TranslationSnippet))
			cw.Write(csvSafe(row))
		}
	}
	cw.Flush()
	return cw.Error()
}

// PlainSnippet turns a snippet (escaped HTML with <mark>) into plain text.
func PlainSnippet(s string) string {
	s = strings.ReplaceAll(s, "<mark>", "")
	s = strings.ReplaceAll(s, "</mark>", "")
	return html.UnescapeString(s)
}

// csvSafe defuses spreadsheet formulas in the cells of row.
func csvSafe(row []string) []string {
	for i, c := range row {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			row[i] = "'" + c
		}
	}
	return row
}
