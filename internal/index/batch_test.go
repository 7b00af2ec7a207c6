package index

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestWriteBatchCSV(t *testing.T) {
	rs := []TermResult{
		{Term: "Acme", Total: 1, Hits: []Hit{{ID: "ab", Path: "a.txt", Score: 1.5, Snippet: "=HYPERLINK(&#34;x&#34;) <mark>Acme</mark>",
			TranslationSnippet: "Acme &amp; deal", Date: time.Date(2021, 6, 3, 0, 0, 0, 0, time.UTC), Sender: "Nordhavn Desk"}}},
		{Term: "-nothing", Total: 0, Relaxed: true},
	}
	var b bytes.Buffer
	if err := WriteBatchCSV(&b, rs); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		BatchCSVHeader,
		{"Acme", "1", "false", "1", "ab", "a.txt", "2021-06-03", "Nordhavn Desk", "1.500", `'=HYPERLINK("x") Acme`, "Acme & deal"},
		{"'-nothing", "0", "true", "", "", "", "", "", "", "", ""},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("csv (-want +got):\n%s", diff)
	}
}

// countingIndex answers every search with one hit and counts searches.
type countingIndex struct {
	Index
	searches int
}

func (c *countingIndex) Search(_ context.Context, q Query) (Result, error) {
	c.searches++
	return Result{Total: 1, Hits: []Hit{{ID: q.Text}}}, nil
}

func TestSearchBatch(t *testing.T) {
	tests := []struct {
		name     string
		terms    []string
		want     []string // hit IDs in order
		errPart  string
		searches int
	}{
		{name: "every term in order", terms: []string{"Acme", "Nordhavn"}, want: []string{"Acme", "Nordhavn"}, searches: 2},
		{name: "bad term before any search", terms: []string{"Acme", `"open`}, errPart: "term 2", searches: 0},
		{name: "no terms", terms: nil, errPart: "no terms", searches: 0},
		{name: "too many", terms: make([]string, MaxBatchTerms+1), errPart: "more than", searches: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := &countingIndex{}
			rs, err := SearchBatch(t.Context(), x, Query{}, tt.terms)
			if tt.errPart != "" {
				if !errors.Is(err, ErrBadQuery) || !strings.Contains(err.Error(), tt.errPart) {
					t.Fatalf("SearchBatch = %v, want a bad query naming %q", err, tt.errPart)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range rs {
				got = append(got, r.Hits[0].ID)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("hits (-want +got):\n%s", diff)
			}
			if x.searches != tt.searches {
				t.Errorf("%d searches, want %d", x.searches, tt.searches)
			}
		})
	}
}
