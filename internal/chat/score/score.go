// Package score compares reconstructed chats with a corpus ground truth
// (the `chats` and `people` sections of leak-sample.truth.json): messages
// per participant and the date range of every conversation, per file and
// per shape. `make eval` calls it on a case's output; the package's eval
// test calls it on the sample corpus.
//
// # Matching
//
// A reconstructed conversation is matched to a truth conversation by its
// source path. A reconstructed person is matched to a truth person when
// their name or any alias equals the truth person's name, nick, handle,
// e-mail or any alias (the truth keys counts by real name). Date ranges
// compare exactly for text and JSON and by calendar day for screenshots,
// which show minutes at best and only the first time of a run of messages.
package score

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// Truth is the part of a corpus truth file the score needs.
type Truth struct {
	People []TruthPerson `json:"people"`
	Chats  struct {
		ByShape       map[string]ShapeTruth `json:"by_shape"`
		Conversations []ConvTruth           `json:"conversations"`
	} `json:"chats"`
}

// TruthPerson is one entry of the truth's people.
type TruthPerson struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Nick    string   `json:"nick"`
	Handle  string   `json:"handle"`
	Email   string   `json:"email"`
	Aliases []string `json:"aliases"`
}

// ShapeTruth is the truth for one shape (text-md, text-qq, json, screenshot).
type ShapeTruth struct {
	Files          []string       `json:"files"`
	Conversations  int            `json:"conversations"`
	Messages       int            `json:"messages"`
	PerParticipant map[string]int `json:"per_participant"`
	First          string         `json:"first"`
	Last           string         `json:"last"`
}

// ConvTruth is the truth for one conversation.
type ConvTruth struct {
	ID             string         `json:"id"`
	File           string         `json:"file"`
	Shape          string         `json:"shape"`
	Title          string         `json:"title"`
	Group          bool           `json:"group"`
	Owner          string         `json:"owner"`
	Participants   []string       `json:"participants"`
	Messages       int            `json:"messages"`
	PerParticipant map[string]int `json:"per_participant"`
	First          string         `json:"first"`
	Last           string         `json:"last"`
}

// ParseTruth reads a truth file.
func ParseTruth(data []byte) (Truth, error) {
	var t Truth
	if err := json.Unmarshal(data, &t); err != nil {
		return t, fmt.Errorf("parse truth: %w", err)
	}
	return t, nil
}

// Conv is one reconstructed conversation as the score sees it.
type Conv struct {
	Source         string         // path relative to the corpus root
	Messages       int            // non-system messages
	PerParticipant map[string]int // by resolved person name; "" for unknown senders
	First, Last    time.Time
}

// Person is one reconstructed person: a name and its aliases.
type Person struct {
	Name    string
	Aliases []string
}

// ConvRow is the comparison for one truth conversation.
type ConvRow struct {
	File, Shape      string
	WantMessages     int
	GotMessages      int
	WantPer, GotPer  map[string]int
	PerAbsErr        int // sum over participants of |want - got|
	WantFirst, First string
	WantLast, Last   string
	RangeOK          bool
}

// ShapeRow is the comparison for one shape.
type ShapeRow struct {
	Shape           string
	WantMessages    int
	GotMessages     int
	WantPer, GotPer map[string]int
	PerAbsErr       int
	// PerErr is PerAbsErr / WantMessages: the share of messages attributed
	// to the wrong person or lost; the target is 0 for text and JSON and at
	// most 0.05 for screenshots.
	PerErr        float64
	RangesOK      int // conversations of this shape with the right date range
	Conversations int
}

// Report is the whole comparison.
type Report struct {
	Conversations []ConvRow
	Shapes        []ShapeRow
}

// Score compares convs (and the persons their PerParticipant keys name)
// with the truth.
func Score(t Truth, convs []Conv, persons []Person) Report {
	mapName := nameMapper(t.People, persons)
	bySource := map[string][]Conv{}
	for _, c := range convs {
		bySource[c.Source] = append(bySource[c.Source], c)
	}
	var r Report
	shapes := map[string]*ShapeRow{}
	for _, tc := range t.Chats.Conversations {
		row := ConvRow{File: tc.File, Shape: tc.Shape, WantMessages: tc.Messages, WantPer: tc.PerParticipant,
			GotPer: map[string]int{}, WantFirst: tc.First, WantLast: tc.Last}
		var first, last time.Time
		for _, c := range bySource[tc.File] {
			row.GotMessages += c.Messages
			for n, k := range c.PerParticipant {
				row.GotPer[mapName(n)] += k
			}
			if !c.First.IsZero() && (first.IsZero() || c.First.Before(first)) {
				first = c.First
			}
			if c.Last.After(last) {
				last = c.Last
			}
		}
		row.PerAbsErr = absDiff(row.WantPer, row.GotPer)
		row.First, row.Last = fmtTime(first), fmtTime(last)
		row.RangeOK = sameTime(tc.First, first, tc.Shape) && sameTime(tc.Last, last, tc.Shape)
		r.Conversations = append(r.Conversations, row)
		sr := shapes[tc.Shape]
		if sr == nil {
			sr = &ShapeRow{Shape: tc.Shape, WantPer: map[string]int{}, GotPer: map[string]int{}}
			shapes[tc.Shape] = sr
		}
		sr.Conversations++
		if row.RangeOK {
			sr.RangesOK++
		}
		sr.GotMessages += row.GotMessages
		for n, k := range row.GotPer {
			sr.GotPer[n] += k
		}
	}
	for name, st := range t.Chats.ByShape {
		sr := shapes[name]
		if sr == nil {
			sr = &ShapeRow{Shape: name, WantPer: map[string]int{}, GotPer: map[string]int{}}
			shapes[name] = sr
		}
		sr.WantMessages = st.Messages
		sr.WantPer = st.PerParticipant
		sr.PerAbsErr = absDiff(sr.WantPer, sr.GotPer)
		if sr.WantMessages > 0 {
			sr.PerErr = float64(sr.PerAbsErr) / float64(sr.WantMessages)
		}
	}
	for _, sr := range shapes {
		r.Shapes = append(r.Shapes, *sr)
	}
	sort.Slice(r.Shapes, func(i, j int) bool { return r.Shapes[i].Shape < r.Shapes[j].Shape })
	return r
}

// absDiff sums |want-got| over every name in either map; counts under
// names the truth does not know (including unknown senders) are errors.
func absDiff(want, got map[string]int) int {
	n := 0
	for k, w := range want {
		n += int(math.Abs(float64(w - got[k])))
	}
	for k, g := range got {
		if _, ok := want[k]; !ok {
			n += g
		}
	}
	return n
}

func nameMapper(truth []TruthPerson, persons []Person) func(string) string {
	idx := map[string]string{}
	for _, p := range truth {
		for _, a := range append([]string{p.Name, p.Nick, p.Handle, p.Email}, p.Aliases...) {
			if a != "" {
				idx[strings.ToLower(a)] = p.Name
			}
		}
	}
	resolved := map[string]string{}
	for _, p := range persons {
		for _, a := range append([]string{p.Name}, p.Aliases...) {
			if n, ok := idx[strings.ToLower(a)]; ok {
				resolved[p.Name] = n
				break
			}
		}
	}
	return func(name string) string {
		if n, ok := resolved[name]; ok {
			return n
		}
		if n, ok := idx[strings.ToLower(name)]; ok {
			return n
		}
		return name
	}
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

func sameTime(want string, got time.Time, shape string) bool {
	w, err := time.Parse(time.RFC3339, want)
	if err != nil || got.IsZero() {
		return false
	}
	if shape == "screenshot" {
		g := got.In(w.Location())
		return w.Format("2006-01-02") == g.Format("2006-01-02")
	}
	return w.Equal(got)
}

// String renders the report as a table for logs and `make eval`.
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-12s %6s %6s %6s %8s %7s\n", "shape", "want", "got", "abserr", "per_err", "ranges")
	for _, s := range r.Shapes {
		fmt.Fprintf(&b, "%-12s %6d %6d %6d %8.3f %4d/%-2d\n", s.Shape, s.WantMessages, s.GotMessages, s.PerAbsErr, s.PerErr, s.RangesOK, s.Conversations)
	}
	for _, c := range r.Conversations {
		ok := "ok"
		if !c.RangeOK {
			ok = fmt.Sprintf("range want %s..%s got %s..%s", c.WantFirst, c.WantLast, c.First, c.Last)
		}
		fmt.Fprintf(&b, "  %-45s %-10s want %3d got %3d abserr %3d %s\n", c.File, c.Shape, c.WantMessages, c.GotMessages, c.PerAbsErr, ok)
	}
	return b.String()
}
