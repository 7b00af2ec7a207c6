package enrich

import (
	"context"
	"slices"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/entity"
	"github.com/leakscope/leakscope/internal/entity/org"
	"github.com/leakscope/leakscope/internal/entity/registry"
	"github.com/leakscope/leakscope/internal/ingest"
	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/store"
)

// orgDisplay turns the organisation detector's merge key
// ("IN|Ministry of Finance|Ministry of Finance") into the form an analyst
// reads in the entities list: "Ministry of Finance (IN)".
func orgDisplay(norm string) string {
	k := org.Key(norm)
	name := k.Name
	if name == "" {
		name = k.Body
	}
	if name == "" {
		return norm
	}
	if k.Country != "" && k.Country != "INT" {
		return name + " (" + k.Country + ")"
	}
	return name
}

// Entities finds IOCs, volumes, dates, money, countries, organisations
// and people in each document's text and stores them with their byte
// offsets (which drive highlighting and evidence snippets).
//
// A document keeps at most Caps mentions (entity.DefaultMaxMentions,
// entity.DefaultMaxPerKind when zero), distinct values first; a document
// over the caps is flagged entity.FlagTruncated.
type Entities struct {
	Caps entity.Caps
}

var _ ingest.Stage = Entities{}

func (Entities) Name() string { return "entities" }

// Version follows the detectors' registry version: a detector upgrade
// re-runs this stage on every document. The 2 counts changes of the
// stage itself (2: mentions capped per document).
func (Entities) Version() int { return 2 + registry.Revision }

func (e Entities) Process(ctx context.Context, c *casedir.Case, d *ingest.StageDoc) error {
	ms, truncated := registry.ScanCapped([]byte(d.Text), e.Caps)
	// One more write only for the rare document whose flag changes.
	if truncated != slices.Contains(d.Info.Flags, entity.FlagTruncated) {
		if err := c.Store.SetDocFlag(ctx, d.Info.ID, entity.FlagTruncated, truncated); err != nil {
			return err
		}
	}
	out := make([]store.Mention, 0, len(ms))
	for _, m := range ms {
		norm := m.Norm
		if m.Kind == leak.KindOrg {
			norm = orgDisplay(norm)
		}
		out = append(out, store.Mention{Kind: m.Kind, Value: m.Value, Norm: norm, Start: m.Start, End: m.End})
	}
	if err := c.Store.PutEntities(ctx, d.Info.ID, out); err != nil {
		return err
	}
	// The register's observation of this document needs the same scan:
	// made here, it costs nothing more, and the targets stage is done. A
	// document over the caps (a flood of matches) is observed through the
	// capped matches too: scanning it again uncapped would build the
	// million mentions the caps exist to refuse.
	if err := observe(ctx, c, d, reuseScan(d.Text, ms)); err != nil {
		return err
	}
	return c.Store.SetStage(ctx, d.Info.ID, StageTargets, ObserveVersion, leak.StatusOK, "", 0)
}

// reuseScan is a target.Options.Scan that answers with ms, the matches of
// text, when asked to scan text (as target.Observe's prose pass does for a
// document without target tables, with a newline appended), and scans
// anything else.
func reuseScan(text string, ms []entity.Match) func([]byte) []entity.Match {
	return func(b []byte) []entity.Match {
		if len(b) == len(text)+1 && b[len(text)] == '\n' && string(b[:len(text)]) == text || string(b) == text {
			return ms
		}
		return registry.Scan(b)
	}
}
