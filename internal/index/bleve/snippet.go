package bleve

import (
	"github.com/blevesearch/bleve/v2/search"

	"github.com/leakscope/leakscope/internal/index"
)

// snippet is the snippet of a hit from fields, tried in order: the first
// with a match gives it, and without matches the first non-empty one
// does. A hit has two: the original (text, then title) and the
// translation, so that an analyst reads both languages of the passage.
func snippet(h *search.DocumentMatch, highlight bool, fields ...string) string {
	if highlight {
		for _, f := range fields {
			text := str(h.Fields[f])
			locs := h.Locations[f]
			if text == "" || len(locs) == 0 {
				continue
			}
			var marks [][2]int
			for _, ls := range locs {
				for _, l := range ls {
					marks = append(marks, [2]int{int(l.Start), int(l.End)})
				}
			}
			return index.Snippet(text, marks)
		}
	}
	for _, f := range fields {
		if text := str(h.Fields[f]); text != "" {
			return index.Snippet(text, nil)
		}
	}
	return ""
}
