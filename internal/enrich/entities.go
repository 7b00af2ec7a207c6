package enrich

import (
	"context"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/entity/registry"
	"github.com/leakscope/leakscope/internal/ingest"
	"github.com/leakscope/leakscope/internal/store"
)

// Entities finds IOCs, volumes, dates, money, countries, organisations
// and people in each document's text and stores them with their byte
// offsets (which drive highlighting and evidence snippets).
type Entities struct{}

var _ ingest.Stage = Entities{}

func (Entities) Name() string { return "entities" }

// Version follows the detectors' registry version: a detector upgrade
// re-runs this stage on every document.
func (Entities) Version() int { return 1 + len(registry.Version) }

func (Entities) Process(ctx context.Context, c *casedir.Case, d *ingest.StageDoc) error {
	ms := registry.Scan([]byte(d.Text))
	out := make([]store.Mention, 0, len(ms))
	for _, m := range ms {
		out = append(out, store.Mention{Kind: m.Kind, Value: m.Value, Norm: m.Norm, Start: m.Start, End: m.End})
	}
	return c.Store.PutEntities(ctx, d.Info.ID, out)
}
