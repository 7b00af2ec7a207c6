package registry

import (
	"context"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/leakscope/leakscope/internal/extract"
)

// plainText reads UTF-8 text. It is the bootstrap extractor, replaced by
// the charset-aware text extractor once that exists.
type plainText struct{}

func (plainText) Name() string      { return "plain" }
func (plainText) Accepts() []string { return []string{"text/plain"} }
func (plainText) Extract(ctx context.Context, in *extract.Input, out extract.Sink) error {
	f, err := in.Open()
	if err != nil {
		return err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, in.Limits.MaxText))
	if err != nil {
		return err
	}
	out.Text(strings.ToValidUTF8(string(b), string(utf8.RuneError)))
	return nil
}
