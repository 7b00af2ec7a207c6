package server

import (
	"math"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// timelineView is the timeline page's drawing: documents per month,
// targets as bars from first to last seen, and chat messages per day,
// on one shared time axis, all in viewBox units.
type timelineView struct {
	Width, Left, Right float64
	Start, End         string // the axis range, YYYY-MM
	Ticks              []tick
	// Documents per month, stacked: claimed dates under file times.
	DocTop, DocHeight float64
	DocCols           []tlCol
	// Targets, one row each.
	TgtTop, RowH float64
	Rows         []tlRow
	MoreTargets  int
	// Chat messages per day.
	MsgTop, MsgHeight float64
	MsgCols           []tlCol
	Height            float64
	Empty             bool
}

type tick struct {
	X     float64
	Label string
}

type tlCol struct {
	X, W       float64
	Y1, H1     float64 // lower segment (claimed dates, or all messages)
	Y2, H2     float64 // upper segment (file times)
	Title      string
	Meta, File int
}

type tlRow struct {
	Name, Country, Span string
	Y, X, W             float64
	Link                string
}

// maxTimelineRows bounds the target rows drawn; the rest are counted.
const maxTimelineRows = 60

// seenRange reads a first/last seen value (YYYY, YYYY-MM or YYYY-MM-DD)
// as the start of its period, or its end when end is set.
func seenRange(s string, end bool) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02", "2006-01", "2006"} {
		if len(s) != len(layout) {
			continue
		}
		t, err := time.Parse(layout, s)
		if err != nil {
			return time.Time{}, false
		}
		if end {
			switch layout {
			case "2006":
				t = t.AddDate(1, 0, 0).Add(-time.Second)
			case "2006-01":
				t = t.AddDate(0, 1, 0).Add(-time.Second)
			default:
				t = t.AddDate(0, 0, 1).Add(-time.Second)
			}
		}
		return t, true
	}
	return time.Time{}, false
}

func monthOf(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC) }

// buildTimeline lays out tl and the targets' periods on one axis.
func buildTimeline(tl Timeline, ts []Target) timelineView {
	v := timelineView{Width: 1200, Left: 260, Right: 20, DocTop: 30, DocHeight: 110, RowH: 18, MsgHeight: 80}
	var lo, hi time.Time
	extend := func(t time.Time) {
		if t.IsZero() {
			return
		}
		if lo.IsZero() || t.Before(lo) {
			lo = t
		}
		if hi.IsZero() || t.After(hi) {
			hi = t
		}
	}
	for _, d := range tl.Documents {
		extend(d.Date.UTC())
	}
	type span struct {
		t        Target
		from, to time.Time
	}
	var spans []span
	for _, t := range ts {
		from, ok1 := seenRange(t.FirstSeen, false)
		to, ok2 := seenRange(t.LastSeen, true)
		if !ok1 && !ok2 {
			continue
		}
		if !ok1 {
			from, _ = seenRange(t.LastSeen, false)
		}
		if !ok2 {
			to, _ = seenRange(t.FirstSeen, true)
		}
		if to.Before(from) {
			from, to = to, from
		}
		spans = append(spans, span{t, from, to})
		extend(from)
		extend(to)
	}
	days := map[string]DayCount{}
	for _, d := range tl.Messages {
		t, err := time.Parse("2006-01-02", d.Day)
		if err != nil {
			continue
		}
		days[d.Day] = d
		extend(t)
		extend(t.AddDate(0, 0, 1))
	}
	if lo.IsZero() {
		v.Empty = true
		v.Height = 40
		return v
	}
	start := monthOf(lo)
	end := monthOf(hi).AddDate(0, 1, 0)
	v.Start, v.End = start.Format("2006-01"), end.AddDate(0, 0, -1).Format("2006-01")
	plot := v.Width - v.Left - v.Right
	total := end.Sub(start).Seconds()
	x := func(t time.Time) float64 { return v.Left + t.Sub(start).Seconds()/total*plot }

	// Documents per month.
	type mc struct{ meta, file int }
	months := map[time.Time]*mc{}
	for _, d := range tl.Documents {
		m := monthOf(d.Date.UTC())
		c := months[m]
		if c == nil {
			c = &mc{}
			months[m] = c
		}
		if d.Source == DateMeta {
			c.meta++
		} else {
			c.file++
		}
	}
	most := 1
	for _, c := range months {
		most = max(most, c.meta+c.file)
	}
	keys := make([]time.Time, 0, len(months))
	for m := range months {
		keys = append(keys, m)
	}
	slices.SortFunc(keys, func(a, b time.Time) int { return a.Compare(b) })
	base := v.DocTop + v.DocHeight
	for _, m := range keys {
		c := months[m]
		x1, x2 := x(m), x(m.AddDate(0, 1, 0))
		h1 := float64(c.meta) / float64(most) * (v.DocHeight - 10)
		h2 := float64(c.file) / float64(most) * (v.DocHeight - 10)
		col := tlCol{X: round(x1 + 0.5), W: round(math.Max(1.5, x2-x1-1)), Meta: c.meta, File: c.file,
			Y1: round(base - h1), H1: round(h1), Y2: round(base - h1 - h2), H2: round(h2),
			Title: m.Format("2006-01") + ": " + strconv.Itoa(c.meta+c.file) + " documents (" + strconv.Itoa(c.meta) + " by their own date, " + strconv.Itoa(c.file) + " by file time)"}
		v.DocCols = append(v.DocCols, col)
	}

	// Targets.
	slices.SortStableFunc(spans, func(a, b span) int {
		if c := a.from.Compare(b.from); c != 0 {
			return c
		}
		return a.to.Compare(b.to)
	})
	if len(spans) > maxTimelineRows {
		v.MoreTargets = len(spans) - maxTimelineRows
		spans = spans[:maxTimelineRows]
	}
	v.TgtTop = base + 40
	for i, s := range spans {
		x1, x2 := x(s.from), x(s.to)
		r := tlRow{Name: s.t.Name, Country: s.t.Country, Y: round(v.TgtTop + float64(i)*v.RowH), X: round(x1), W: round(math.Max(4, x2-x1)),
			Link: "/targets?q=" + urlQueryEscape(s.t.Name)}
		r.Span = s.t.FirstSeen
		if s.t.LastSeen != "" && s.t.LastSeen != s.t.FirstSeen {
			r.Span += " – " + s.t.LastSeen
		}
		v.Rows = append(v.Rows, r)
	}

	// Chat messages per day.
	v.MsgTop = v.TgtTop + float64(len(v.Rows))*v.RowH + 40
	mostDay := 1
	for _, d := range days {
		mostDay = max(mostDay, d.Count)
	}
	dayKeys := make([]string, 0, len(days))
	for k := range days {
		dayKeys = append(dayKeys, k)
	}
	slices.Sort(dayKeys)
	mbase := v.MsgTop + v.MsgHeight
	for _, k := range dayKeys {
		d := days[k]
		t, _ := time.Parse("2006-01-02", k)
		x1, x2 := x(t), x(t.AddDate(0, 0, 1))
		h := math.Max(1, float64(d.Count)/float64(mostDay)*(v.MsgHeight-10))
		v.MsgCols = append(v.MsgCols, tlCol{X: round(x1), W: round(math.Max(3, x2-x1)), Y1: round(mbase - h), H1: round(h),
			Title: k + ": " + strconv.Itoa(d.Count) + " messages in " + strconv.Itoa(d.Conversations) + " conversation(s)"})
	}
	v.Height = mbase + 30

	// Year ticks; every year when there are few, else every n-th.
	years := end.Year() - start.Year() + 1
	every := max(1, int(math.Ceil(float64(years)/16)))
	for y := start.Year(); y <= end.Year(); y++ {
		t := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
		if t.Before(start) || (y-start.Year())%every != 0 {
			continue
		}
		v.Ticks = append(v.Ticks, tick{X: round(x(t)), Label: strconv.Itoa(y)})
	}
	if len(v.Ticks) < 3 && years <= 3 {
		// A short span: quarter ticks as well.
		for m := start; m.Before(end); m = m.AddDate(0, 1, 0) {
			if m.Month() != time.January && (m.Month()-1)%3 == 0 {
				v.Ticks = append(v.Ticks, tick{X: round(x(m)), Label: m.Format("Jan")})
			}
		}
	}
	return v
}

// docMonth groups the dated documents listed under the chart.
type docMonth struct {
	Month string
	Docs  []DatedDocument
}

// maxTimelineDocs bounds the documents listed (the chart counts all).
const maxTimelineDocs = 500

func groupByMonth(docs []DatedDocument) []docMonth {
	var out []docMonth
	for _, d := range docs {
		m := d.Date.UTC().Format("2006-01")
		if len(out) == 0 || out[len(out)-1].Month != m {
			out = append(out, docMonth{Month: m})
		}
		out[len(out)-1].Docs = append(out[len(out)-1].Docs, d)
	}
	return out
}

func (s *Server) pageTimeline(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	tl, err := s.be.Timeline(ctx)
	if err != nil {
		return err
	}
	ts, err := s.be.Targets(ctx)
	if err != nil {
		return err
	}
	s.auditf(r, "view_timeline")
	docs := tl.Documents
	more := 0
	if len(docs) > maxTimelineDocs {
		more = len(docs) - maxTimelineDocs
		docs = docs[:maxTimelineDocs]
	}
	return s.render(w, r, "timeline", map[string]any{
		"Title": "Timeline", "TL": buildTimeline(tl, ts), "Months": groupByMonth(docs), "More": more,
		"Undated": tl.Undated, "Dated": len(tl.Documents),
	})
}

func (s *Server) apiTimeline(w http.ResponseWriter, r *http.Request) error {
	tl, err := s.be.Timeline(r.Context())
	if err != nil {
		return err
	}
	s.auditf(r, "view_timeline")
	if tl.Documents == nil {
		tl.Documents = []DatedDocument{}
	}
	if tl.Messages == nil {
		tl.Messages = []DayCount{}
	}
	return writeJSON(w, tl)
}
