package office

import (
	"fmt"
	"io"

	"github.com/leakscope/leakscope/internal/charset"
)

// charsetReader decodes XML parts that declare a non-UTF-8 encoding (old
// ODF and EPUB files written by Chinese tools sometimes say GB2312).
func charsetReader(label string, in io.Reader) (io.Reader, error) {
	name, ok := charset.Lookup(label)
	if !ok {
		return nil, fmt.Errorf("xml encoding %q: unknown", label)
	}
	return charset.NewReaderAs(in, name)
}
