package bleve

import (
	"github.com/blevesearch/bleve/v2/search"

	"github.com/leakscope/leakscope/internal/index"
)

// snippetFields are tried in order; the first with a match gives the
// snippet, and without matches the first non-empty one does.
var snippetFields = []string{fText, fTranslation, fTitle}

func snippet(h *search.DocumentMatch, highlight bool) string {
	if highlight {
		for _, f := range snippetFields {
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
	for _, f := range snippetFields {
		if text := str(h.Fields[f]); text != "" {
			return index.Snippet(text, nil)
		}
	}
	return ""
}
