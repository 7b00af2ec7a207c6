package enrich

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/lang"
	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/store"
	"github.com/leakscope/leakscope/internal/target"
)

// Two more case-wide analyses, built by writers from the register and the
// chats (never by the server on a page load): who writes about which
// target, and the case's activity in time. The CLI, the API and the
// exports read the same stored results.
const (
	// AnalysisLinks is the name of the who-targets-what links.
	AnalysisLinks = "target-links"
	// AnalysisTimeline is the name of the timeline.
	AnalysisTimeline = "timeline"
	// ActivityVersion changes when either changes shape or rules.
	ActivityVersion = 1
)

// TargetLink is a person who writes about a target in chat messages: how
// many of their messages name it (by its name or an alias), or, Dashed,
// that they only take part in a conversation the target's evidence
// points to.
type TargetLink struct {
	Person   string `json:"person"`
	Target   string `json:"target"`
	Country  string `json:"country,omitempty"`
	Messages int    `json:"messages"`
	Dashed   bool   `json:"dashed,omitempty"`
}

// Timeline places documents in time and counts chat messages per day.
type Timeline struct {
	// Documents by date, by the date a document claims or else the
	// earliest plausible file time of its occurrences; documents without
	// either are counted in Undated.
	Documents []DatedDocument `json:"documents"`
	Undated   int             `json:"undated"`
	Messages  []DayCount      `json:"messages"`
}

// Date sources of a DatedDocument.
const (
	DateMeta  = "meta"  // the document's own date (mail Date, EXIF, PDF info)
	DateMTime = "mtime" // a file time of an occurrence
)

// DatedDocument is one document on the timeline.
type DatedDocument struct {
	ID     string    `json:"id"`
	Path   string    `json:"path"`
	Date   time.Time `json:"date"`
	Source string    `json:"source"`
}

// DayCount is the number of chat messages on one day (YYYY-MM-DD) and in
// how many conversations.
type DayCount struct {
	Day           string `json:"day"`
	Count         int    `json:"count"`
	Conversations int    `json:"conversations"`
}

// storedActivity records what the activity analyses were built from.
type storedActivity[T any] struct {
	From string `json:"from"`
	Data T      `json:"data"`
}

// LoadTargetLinks returns the stored who-targets-what links.
func LoadTargetLinks(ctx context.Context, c *casedir.Case) ([]TargetLink, error) {
	var st storedActivity[[]TargetLink]
	v, err := c.Store.Analysis(ctx, AnalysisLinks, &st)
	if errors.Is(err, store.ErrNotFound) || err == nil && v != ActivityVersion {
		return []TargetLink{}, ErrNotAnalysed
	}
	if err != nil {
		return nil, err
	}
	if st.Data == nil {
		st.Data = []TargetLink{}
	}
	return st.Data, nil
}

// LoadTimeline returns the stored timeline.
func LoadTimeline(ctx context.Context, c *casedir.Case) (Timeline, error) {
	var st storedActivity[Timeline]
	v, err := c.Store.Analysis(ctx, AnalysisTimeline, &st)
	if errors.Is(err, store.ErrNotFound) || err == nil && v != ActivityVersion {
		return Timeline{Documents: []DatedDocument{}, Messages: []DayCount{}}, ErrNotAnalysed
	}
	if err != nil {
		return Timeline{}, err
	}
	return st.Data, nil
}

// updateActivity rebuilds the links and the timeline when what they are
// built from changed: the register and the chats for the links, the
// documents and the chats for the timeline.
func updateActivity(ctx context.Context, c *casedir.Case, ts []target.Target, ch *Chats, force bool) error {
	tStamp, _, err := c.Store.AnalysisStamp(ctx, StageTargets)
	if err != nil {
		return err
	}
	cStamp, _, err := c.Store.AnalysisStamp(ctx, StageChats)
	if err != nil {
		return err
	}
	gen, err := c.Store.Generation(ctx)
	if err != nil {
		return err
	}
	fresh := func(name, from string) (bool, error) {
		var st storedActivity[json.RawMessage]
		v, err := c.Store.Analysis(ctx, name, &st)
		if errors.Is(err, store.ErrNotFound) {
			return false, nil
		}
		return err == nil && !force && v == ActivityVersion && st.From == from, err
	}
	from := stampKey(tStamp, cStamp)
	if ok, err := fresh(AnalysisLinks, from); err != nil {
		return err
	} else if !ok {
		if err := c.Store.PutAnalysis(ctx, AnalysisLinks, ActivityVersion, storedActivity[[]TargetLink]{from, linkTargets(ts, ch)}); err != nil {
			return err
		}
	}
	from = gen + "/" + stampKey(cStamp)
	if ok, err := fresh(AnalysisTimeline, from); err != nil {
		return err
	} else if !ok {
		tl, err := buildTimeline(ctx, c, ch)
		if err != nil {
			return err
		}
		if err := c.Store.PutAnalysis(ctx, AnalysisTimeline, ActivityVersion, storedActivity[Timeline]{from, tl}); err != nil {
			return err
		}
	}
	return nil
}

func stampKey(stamps ...int64) string {
	var b strings.Builder
	for _, s := range stamps {
		b.WriteString("/")
		b.WriteString(time.Unix(0, s).UTC().Format(time.RFC3339Nano))
	}
	return b.String()
}

// Bounds of the links: the targets with most evidence, the terms of each.
const (
	maxLinkTargets = 200
	maxLinkTerms   = 6
)

// linkTerms are the spellings that name a target in messages: its name
// and aliases of two characters or more.
func linkTerms(t target.Target) []string {
	var out []string
	for _, n := range append([]string{t.Name}, t.Aliases...) {
		n = strings.TrimSpace(n)
		if utf8.RuneCountInString(n) < 2 || slices.Contains(out, n) {
			continue
		}
		out = append(out, n)
		if len(out) == maxLinkTerms {
			break
		}
	}
	return out
}

// linkTargets links the senders of chat messages that name a target to
// that target. A target named only as evidence in a conversation, never
// in a message, links that conversation's participants as Dashed: they
// were there, but did not write its name.
func linkTargets(ts []target.Target, ch *Chats) []TargetLink {
	ts = slices.Clone(ts)
	slices.SortStableFunc(ts, func(a, b target.Target) int { return len(b.Evidence) - len(a.Evidence) })
	if len(ts) > maxLinkTargets {
		ts = ts[:maxLinkTargets]
	}
	// One matcher over every target's terms: each message is read once.
	var needles []string
	owner := map[int][]int{} // needle -> targets
	seen := map[string]int{}
	for ti, t := range ts {
		for _, term := range linkTerms(t) {
			ni, ok := seen[term]
			if !ok {
				ni = len(needles)
				seen[term] = ni
				needles = append(needles, term)
			}
			owner[ni] = append(owner[ni], ti)
		}
	}
	type key struct {
		person string
		target int
	}
	weight := map[key]int{}
	if len(needles) > 0 {
		m := target.NewMatcher(needles, target.Options{Fold: lang.Fold})
		for _, cv := range ch.Conversations {
			for _, msg := range cv.Messages {
				if msg.System || msg.Sender == "" || msg.Text == "" {
					continue
				}
				named := map[int]bool{}
				for ni := range m.Find([]string{msg.Text}) {
					for _, ti := range owner[ni] {
						named[ti] = true
					}
				}
				for ti := range named {
					weight[key{msg.Sender, ti}]++
				}
			}
		}
	}
	bySource := map[string][]string{}
	for _, cv := range ch.Conversations {
		bySource[cv.Source] = append(bySource[cv.Source], cv.Participants...)
	}
	var out []TargetLink
	named := map[int]bool{}
	for k := range weight {
		named[k.target] = true
	}
	for k, w := range weight {
		out = append(out, TargetLink{Person: k.person, Target: ts[k.target].Name, Country: ts[k.target].Country, Messages: w})
	}
	for ti, t := range ts {
		if named[ti] {
			continue
		}
		done := map[string]bool{}
		for _, e := range t.Evidence {
			for _, p := range bySource[e.Path] {
				if !done[p] {
					done[p] = true
					out = append(out, TargetLink{Person: p, Target: t.Name, Country: t.Country, Messages: 1, Dashed: true})
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b TargetLink) int {
		if c := strings.Compare(a.Person, b.Person); c != 0 {
			return c
		}
		return strings.Compare(a.Target, b.Target)
	})
	if out == nil {
		out = []TargetLink{}
	}
	return out
}

// PlausibleTime reports whether a file time can be a real date: archive
// formats store "no time" as the DOS or Unix epoch, and a clock gone
// wrong puts files in the future.
func PlausibleTime(t time.Time) bool {
	return t.Year() > 1980 && t.Before(time.Now().Add(48*time.Hour))
}

// buildTimeline dates every document and counts the chat messages of ch
// per day.
func buildTimeline(ctx context.Context, c *casedir.Case, ch *Chats) (Timeline, error) {
	docs, err := c.Store.Documents(ctx, store.DocFilter{})
	if err != nil {
		return Timeline{}, err
	}
	tl := Timeline{Documents: []DatedDocument{}, Messages: []DayCount{}}
	for _, d := range docs {
		dd := DatedDocument{ID: d.ID.String(), Path: leak.PrimaryPath(d.Paths())}
		if t := DocDate(d.Meta); !t.IsZero() {
			dd.Date, dd.Source = t, DateMeta
		} else {
			for _, o := range d.Occs {
				if PlausibleTime(o.ModTime) && (dd.Date.IsZero() || o.ModTime.Before(dd.Date)) {
					dd.Date, dd.Source = o.ModTime, DateMTime
				}
			}
		}
		if dd.Date.IsZero() {
			tl.Undated++
			continue
		}
		tl.Documents = append(tl.Documents, dd)
	}
	slices.SortStableFunc(tl.Documents, func(a, b DatedDocument) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		return strings.Compare(a.Path, b.Path)
	})
	counts := map[string]int{}
	convs := map[string]map[string]bool{}
	for _, cv := range ch.Conversations {
		for _, m := range cv.Messages {
			t, err := time.Parse(time.RFC3339, m.Time)
			if err != nil {
				continue
			}
			day := t.Format("2006-01-02")
			counts[day]++
			if convs[day] == nil {
				convs[day] = map[string]bool{}
			}
			convs[day][cv.ID] = true
		}
	}
	for day, n := range counts {
		tl.Messages = append(tl.Messages, DayCount{Day: day, Count: n, Conversations: len(convs[day])})
	}
	slices.SortFunc(tl.Messages, func(a, b DayCount) int { return strings.Compare(a.Day, b.Day) })
	return tl, nil
}
