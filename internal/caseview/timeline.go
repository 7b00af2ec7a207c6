package caseview

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/leakscope/leakscope/internal/enrich"
	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/server"
	"github.com/leakscope/leakscope/internal/store"
)

// plausible reports whether a file time can be a real date: archive
// formats store "no time" as the DOS or Unix epoch, and a clock gone
// wrong puts files in the future.
func plausible(t time.Time) bool {
	return t.Year() > 1980 && t.Before(time.Now().Add(48*time.Hour))
}

// Timeline places every document in time, by the date it claims or else
// by the earliest plausible file time among its occurrences, and counts
// chat messages per day.
func (b *Backend) Timeline(ctx context.Context) (server.Timeline, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err := b.refresh(ctx); err != nil {
		return server.Timeline{}, err
	}
	if b.timeline != nil {
		return cloneTimeline(*b.timeline), nil
	}
	docs, err := b.c.Store.Documents(ctx, store.DocFilter{})
	if err != nil {
		return server.Timeline{}, err
	}
	tl := server.Timeline{Documents: []server.DatedDocument{}, Messages: []server.DayCount{}}
	for _, d := range docs {
		dd := server.DatedDocument{ID: d.ID.String(), Path: leak.PrimaryPath(d.Paths())}
		if t := enrich.DocDate(d.Meta); !t.IsZero() {
			dd.Date, dd.Source = t, server.DateMeta
		} else {
			for _, o := range d.Occs {
				if plausible(o.ModTime) && (dd.Date.IsZero() || o.ModTime.Before(dd.Date)) {
					dd.Date, dd.Source = o.ModTime, server.DateMTime
				}
			}
		}
		if dd.Date.IsZero() {
			tl.Undated++
			continue
		}
		tl.Documents = append(tl.Documents, dd)
	}
	slices.SortStableFunc(tl.Documents, func(a, b server.DatedDocument) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		return strings.Compare(a.Path, b.Path)
	})
	cv, err := b.chatsLocked(ctx)
	if err != nil {
		return server.Timeline{}, err
	}
	counts := map[string]int{}
	convs := map[string]map[string]bool{}
	for _, c := range cv.ch.Conversations {
		for _, m := range c.Messages {
			t := parseTime(m.Time)
			if t.IsZero() {
				continue
			}
			day := t.Format("2006-01-02")
			counts[day]++
			if convs[day] == nil {
				convs[day] = map[string]bool{}
			}
			convs[day][c.ID] = true
		}
	}
	for day, n := range counts {
		tl.Messages = append(tl.Messages, server.DayCount{Day: day, Count: n, Conversations: len(convs[day])})
	}
	slices.SortFunc(tl.Messages, func(a, b server.DayCount) int { return strings.Compare(a.Day, b.Day) })
	b.timeline = &tl
	return cloneTimeline(tl), nil
}

func cloneTimeline(t server.Timeline) server.Timeline {
	t.Documents = slices.Clone(t.Documents)
	t.Messages = slices.Clone(t.Messages)
	return t
}
