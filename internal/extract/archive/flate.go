package archive

import (
	"compress/flate"
	"io"
)

// newFlate returns a raw deflate reader over r. r implements io.ByteReader,
// so the decompressor reads no further than the end of the deflate stream.
func newFlate(r flate.Reader) io.Reader { return flate.NewReader(r) }
