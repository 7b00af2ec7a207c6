package enrich

import (
	"context"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/ingest"
	"github.com/leakscope/leakscope/internal/lang"
)

// Lang detects each document's dominant language.
type Lang struct{}

var _ ingest.Stage = Lang{}

func (Lang) Name() string { return "lang" }
func (Lang) Version() int { return 1 }

func (Lang) Process(ctx context.Context, c *casedir.Case, d *ingest.StageDoc) error {
	return c.Store.SetLanguage(ctx, d.Info.ID, lang.Detect(d.Text))
}
