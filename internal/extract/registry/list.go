package registry

import (
	"github.com/leakscope/leakscope/internal/extract"
)

// List is the one explicit list of extractors.
func List() []extract.Extractor {
	return []extract.Extractor{
		plainText{},
	}
}
