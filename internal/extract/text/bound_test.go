package text

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"golang.org/x/text/encoding/unicode"

	"github.com/leakscope/leakscope/internal/extract/extracttest"
)

// countingReader counts the bytes read from it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// TestStreamReadsBounded guards the memory of a huge one-line file: with
// MaxText set, Open and Stream read at most about MaxText bytes of the
// file (twice that for UTF-16, whose ASCII halves in UTF-8), plus the
// charset sample and one chunk, however large the file, and hand on at
// most MaxText bytes of text.
func TestStreamReadsBounded(t *testing.T) {
	const max = 1 << 20
	line := strings.Repeat("Acme Telecom 192.0.2.1 ", 700_000) // 16 MB, no newline
	u16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(line))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		data    []byte
		maxRead int64
	}{
		{name: "utf-8 one line", data: []byte(line), maxRead: max + 1<<20 + chunk + 64<<10},
		{name: "utf-16 one line", data: u16, maxRead: 2*max + 1<<20 + 2*chunk + 64<<10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cr := &countingReader{r: bytes.NewReader(tt.data)}
			r, _, err := Open(cr, false)
			if err != nil {
				t.Fatal(err)
			}
			rec := &extracttest.Recorder{}
			if err := Stream(t.Context(), r, max, rec); err != nil {
				t.Fatal(err)
			}
			if cr.n > tt.maxRead {
				t.Errorf("read %d bytes of a %d-byte file for %d of text, want at most %d", cr.n, len(tt.data), max, tt.maxRead)
			}
			if got := len(rec.Body()); got > max || got < max-4 {
				t.Errorf("text %d bytes, want %d (cut at a rune)", got, max)
			}
			if !rec.HasFlag(FlagTruncated) {
				t.Errorf("flags %v, want %s", rec.Flags, FlagTruncated)
			}
		})
	}
}
