// Package registry holds the one explicit list of extractors and finds the
// extractor for a MIME type. It is a separate package from extract because
// it imports every extractor, and every extractor imports extract.
package registry

import (
	"fmt"
	"sort"

	"github.com/leakscope/leakscope/internal/extract"
)

// Registry maps MIME types to extractors.
type Registry struct {
	byMIME map[string]extract.Extractor
	all    []extract.Extractor
}

// New builds a registry from extractors. A MIME type claimed twice is an
// error: the registry's tests call New(List()) to keep the list honest.
func New(list []extract.Extractor) (*Registry, error) {
	r := &Registry{byMIME: map[string]extract.Extractor{}}
	for _, e := range list {
		for _, m := range e.Accepts() {
			if prev, ok := r.byMIME[m]; ok {
				return nil, fmt.Errorf("mime %s claimed by %s and %s", m, prev.Name(), e.Name())
			}
			r.byMIME[m] = e
		}
		r.all = append(r.all, e)
	}
	return r, nil
}

// Default returns the registry of List. It panics only if List is broken,
// which TestRegistry catches.
func Default(opts Options) *Registry {
	r, err := New(List(opts))
	if err != nil {
		panic(err)
	}
	return r
}

// For returns the extractor for mime, or nil.
func (r *Registry) For(mime string) extract.Extractor { return r.byMIME[mime] }

// Types lists the MIME types with an extractor, sorted.
func (r *Registry) Types() []string {
	var t []string
	for m := range r.byMIME {
		t = append(t, m)
	}
	sort.Strings(t)
	return t
}

// Extractors lists the registered extractors in registration order.
func (r *Registry) Extractors() []extract.Extractor { return r.all }
