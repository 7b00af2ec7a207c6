package caseview

import (
	"testing"

	"github.com/leakscope/leakscope/internal/index"
)

// BenchmarkSearchDemo measures a search as the UI sends it (highlighted
// snippets and every facet) on the demo case, against the same queries
// without facets and highlighting, as the baseline, in the same run.
func BenchmarkSearchDemo(b *testing.B) {
	d := theDemo(b)
	be := New(d.c, d.idx, nil)
	ctx := b.Context()
	queries := []string{d.manifest.Truth.Targets[0].NamesZH[0], `"Andes Mobile"`, "kind:message 样本", "lang:zh-Hans date:>=2021-06-01", "vpn* OR 邮箱"}
	b.Run("baseline plain", func(b *testing.B) {
		i := 0
		for b.Loop() {
			if _, err := be.Search(ctx, index.Query{Text: queries[i%len(queries)], Limit: 20}); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("ui query", func(b *testing.B) {
		i := 0
		for b.Loop() {
			q := index.Query{Text: queries[i%len(queries)], Highlight: true, Facets: index.Facets, Limit: 20}
			if _, err := be.Search(ctx, q); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}
