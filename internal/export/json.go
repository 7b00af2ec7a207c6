package export

import (
	"encoding/json"
	"io"
)

// WriteJSON writes all of f as one indented JSON document whose keys come
// in a fixed order (struct order) and whose lists are never null.
func WriteJSON(w io.Writer, f *Findings, o Options) error {
	g := *f
	g.Targets = nonNil(g.Targets)
	for i := range g.Targets {
		t := &g.Targets[i]
		t.Aliases, t.DataTypes, t.Evidence = nonNil(t.Aliases), nonNil(t.DataTypes), nonNil(t.Evidence)
	}
	g.Entities = nonNil(g.Entities)
	g.Persons = nonNil(g.Persons)
	g.Edges = nonNil(g.Edges)
	g.Conversations = nonNil(g.Conversations)
	return encode(w, struct {
		Format string `json:"format"`
		*Findings
	}{"leakscope-export/1", &g}, "  ")
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// encode writes v as JSON without HTML escaping (the output is not
// HTML; escaping would only make leaked strings harder to read).
func encode(w io.Writer, v any, indent string) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if indent != "" {
		enc.SetIndent("", indent)
	}
	return enc.Encode(v)
}
