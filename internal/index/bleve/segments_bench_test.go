package bleve

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/leakscope/leakscope/internal/index"
)

// BenchmarkSearchSegments measures what segments cost a reader: the same
// corpus published as 1 segment or as maxSegments, with and without a
// tenth of its units shadowed by newer copies. Compare the sub-benchmarks
// with each other (benchstat), not across machines.
//
//	go test ./internal/index/bleve -run '^$' -bench SearchSegments -short
func BenchmarkSearchSegments(b *testing.B) {
	n := benchDocs(b) / 10
	r := rand.New(rand.NewPCG(1, 2))
	docs := make([]index.Doc, n)
	for i := range docs {
		docs[i] = genDoc(r, i)
	}
	for _, bc := range []struct {
		segs     int
		shadowed bool
	}{{1, false}, {maxSegments, false}, {maxSegments, true}} {
		b.Run(fmt.Sprintf("segments=%d/shadowed=%v", bc.segs, bc.shadowed), func(b *testing.B) {
			dir := filepath.Join(b.TempDir(), "index")
			w, err := Open(dir)
			if err != nil {
				b.Fatal(err)
			}
			per := (n + bc.segs - 1) / bc.segs
			for i := 0; i < n; i += per {
				if err := w.Add(b.Context(), docs[i:min(i+per, n)]...); err != nil {
					b.Fatal(err)
				}
				if bc.shadowed && i > 0 {
					// re-add a tenth of the first segment's units
					if err := w.Add(b.Context(), docs[:per/10/(bc.segs-1)+1]...); err != nil {
						b.Fatal(err)
					}
				}
				if err := w.Publish(b.Context()); err != nil {
					b.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				b.Fatal(err)
			}
			x, err := OpenReader(dir)
			if err != nil {
				b.Fatal(err)
			}
			defer x.Close()
			if got := len(x.Segments()); got != bc.segs {
				b.Fatalf("%d segments, want %d", got, bc.segs)
			}
			i := 0
			b.ReportAllocs()
			for b.Loop() {
				q := benchQueries[i%len(benchQueries)]
				i++
				if _, err := x.Search(b.Context(), index.Query{Text: q.text, Highlight: true, Facets: []string{"type", "lang", "year"}, Limit: 20}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
