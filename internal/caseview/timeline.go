package caseview

import (
	"context"
	"errors"

	"github.com/leakscope/leakscope/internal/enrich"
	"github.com/leakscope/leakscope/internal/server"
)

// Timeline returns the timeline that the analyses stored (enrich.Timeline):
// documents by date and chat messages per day. It computes nothing.
func (b *Backend) Timeline(ctx context.Context) (server.Timeline, error) {
	tl, err := enrich.LoadTimeline(ctx, b.c)
	if err != nil && !errors.Is(err, enrich.ErrNotAnalysed) {
		return server.Timeline{}, err
	}
	out := server.Timeline{Documents: make([]server.DatedDocument, 0, len(tl.Documents)), Undated: tl.Undated,
		Messages: make([]server.DayCount, 0, len(tl.Messages))}
	for _, d := range tl.Documents {
		src := server.DateMTime
		if d.Source == enrich.DateMeta {
			src = server.DateMeta
		}
		out.Documents = append(out.Documents, server.DatedDocument{ID: d.ID, Path: d.Path, Date: d.Date, Source: src})
	}
	for _, m := range tl.Messages {
		out.Messages = append(out.Messages, server.DayCount{Day: m.Day, Count: m.Count, Conversations: m.Conversations})
	}
	return out, nil
}

// TargetLinks returns the stored who-targets-what links.
func (b *Backend) TargetLinks(ctx context.Context) ([]server.TargetLink, error) {
	ls, err := enrich.LoadTargetLinks(ctx, b.c)
	if err != nil && !errors.Is(err, enrich.ErrNotAnalysed) {
		return nil, err
	}
	out := make([]server.TargetLink, 0, len(ls))
	for _, l := range ls {
		out = append(out, server.TargetLink{Person: l.Person, Target: l.Target, Country: l.Country, Messages: l.Messages, Dashed: l.Dashed})
	}
	return out, nil
}
