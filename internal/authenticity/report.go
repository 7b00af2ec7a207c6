package authenticity

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/leakscope/leakscope/internal/casedir"
	"github.com/leakscope/leakscope/internal/enrich"
	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/store"
)

// Report is the authenticity report of a case.
type Report struct {
	Made          time.Time      `json:"made"`
	Documents     int            `json:"documents"`
	Distributions []Distribution `json:"distributions"`
	Zones         []Zone         `json:"zones"`
	// Zone is the dominant claimed zone other than UTC, in which file,
	// commit and UTC times are read.
	Zone        string        `json:"zone"`
	Activity    []Activity    `json:"activity"`
	Producers   []ProducerUse `json:"producers"`
	Findings    []Finding     `json:"findings"`
	Consistency Consistency   `json:"consistency"`
	// ChatsAnalysed is false when the case holds no chat analysis, so the
	// chat times and activity windows are missing, not empty.
	ChatsAnalysed bool     `json:"chats_analysed"`
	Caveats       []string `json:"caveats"`
}

// Activity is the window in which one person writes chat messages, in
// the zone the messages claim.
type Activity struct {
	Person    string  `json:"person"`
	Messages  int     `json:"messages"`
	First     string  `json:"first"`
	Last      string  `json:"last"`
	ByHour    [24]int `json:"by_hour"`
	ByWeekday [7]int  `json:"by_weekday"`
	// Window is the shortest span of hours, [start, end), holding at
	// least Params.WindowShare of the person's messages: "09-19".
	Window string `json:"window"`
	Office int    `json:"office_hours"`
}

// Input is what a report is built from: everything is read from the case
// before any rule runs, so that the rules are pure.
type Input struct {
	Docs     []store.DocInfo
	Chats    *enrich.Chats // nil when not analysed
	Entities []store.EntitySummary
	// Published maps the paths of a published copy to their sha256
	// (ReadHashList); nil when there is none to compare with.
	Published map[string]string
}

// Load reads the Input of a report from c. A case whose chats are not
// analysed yet gives a nil Chats, not an error.
func Load(ctx context.Context, c *casedir.Case) (Input, error) {
	docs, err := c.Store.Documents(ctx, store.DocFilter{})
	if err != nil {
		return Input{}, fmt.Errorf("authenticity: documents: %w", err)
	}
	in := Input{Docs: docs}
	ch, err := enrich.LoadChats(ctx, c)
	switch {
	case errors.Is(err, enrich.ErrNotAnalysed):
	case err != nil:
		return Input{}, fmt.Errorf("authenticity: chats: %w", err)
	default:
		in.Chats = ch
	}
	if in.Entities, err = c.Store.Entities(ctx, ""); err != nil {
		return Input{}, fmt.Errorf("authenticity: entities: %w", err)
	}
	return in, nil
}

// Build computes the report of in under p.
func Build(in Input, p Params) Report {
	r := Report{Made: p.Now.UTC(), Documents: len(in.Docs), Findings: []Finding{}, Activity: []Activity{}}
	byID := make(map[leak.ID]int, len(in.Docs))
	claims := make([][]Claim, len(in.Docs))
	for i, d := range in.Docs {
		byID[d.ID] = i
		claims[i] = DocClaims(d)
	}
	times := newTimeIndex(p)
	prodIdx := producerIndex{}
	chatDocs := map[string]bool{}
	if in.Chats != nil {
		r.ChatsAnalysed = true
		for _, cv := range in.Chats.Conversations {
			chatDocs[cv.Doc] = true
		}
	}
	classByPath := map[string]string{}
	for i, d := range in.Docs {
		v := docView{d: d, path: leak.PrimaryPath(d.Paths()), claims: claims[i]}
		seenParent := map[leak.ID]bool{}
		for _, o := range d.Occs {
			if j, ok := byID[o.Parent]; ok && !seenParent[o.Parent] {
				seenParent[o.Parent] = true
				pd := in.Docs[j]
				v.parents = append(v.parents, docView{d: pd, path: leak.PrimaryPath(pd.Paths()), claims: claims[j]})
			}
			classByPath[o.Path] = classOf(d, chatDocs)
		}
		for _, c := range claims[i] {
			times.add(c)
		}
		prods := DocProducers(d)
		prodIdx.add(d, prods, claims[i])
		for _, rule := range docRules {
			r.Findings = append(r.Findings, rule.check(p, v, prods)...)
		}
	}
	r.Findings = append(r.Findings, duplicates(in.Docs)...)
	if in.Published != nil {
		r.Findings = append(r.Findings, comparePublished(in.Docs, in.Published)...)
	}
	if in.Chats != nil {
		r.Activity = activity(in.Chats, times, p)
	}
	r.Distributions, r.Zones, r.Zone = times.finish()
	r.Producers = prodIdx.list()
	r.Consistency = consistency(in.Entities, classByPath)
	r.Caveats = caveats
	return r
}

// activity counts each person's messages by hour and weekday in the zone
// each message claims, and adds the chat times to the distributions.
func activity(ch *enrich.Chats, times *timeIndex, p Params) []Activity {
	per := map[string]*Activity{}
	for _, cv := range ch.Conversations {
		for _, m := range cv.Messages {
			if m.System || m.Time == "" {
				continue
			}
			c, ok := parseClaim(SourceChat, "", m.Time, "")
			if !ok {
				continue
			}
			times.add(c)
			a := per[m.Sender]
			if a == nil {
				a = &Activity{Person: m.Sender}
				per[m.Sender] = a
			}
			a.Messages++
			a.ByHour[c.Time.Hour()]++
			a.ByWeekday[c.Time.Weekday()]++
			if p.officeHour(c.Time) {
				a.Office++
			}
			ts := c.Time.Format(time.RFC3339)
			if a.First == "" || c.Time.Before(mustTime(a.First)) {
				a.First = ts
			}
			if a.Last == "" || c.Time.After(mustTime(a.Last)) {
				a.Last = ts
			}
		}
	}
	out := []Activity{}
	for _, a := range per {
		a.Window = window(a.ByHour, a.Messages, p.WindowShare)
		out = append(out, *a)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Messages != out[j].Messages {
			return out[i].Messages > out[j].Messages
		}
		return out[i].Person < out[j].Person
	})
	return out
}

func mustTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339, s)
	return t
}

// window is the shortest run of hours [start, end) holding at least share
// of n messages, read on a 24-hour clock that does not wrap: a person
// writing from 09 to 18 has "09-18"; one writing at 23 and at 01 has a
// window spanning the day, which is what the data says.
func window(byHour [24]int, n int, share float64) string {
	if n == 0 {
		return ""
	}
	need := int(share*float64(n) + 0.999999)
	bestS, bestE := 0, 24
	for s := 0; s < 24; s++ {
		sum := 0
		for e := s; e < 24; e++ {
			sum += byHour[e]
			if sum >= need {
				if e+1-s < bestE-bestS {
					bestS, bestE = s, e+1
				}
				break
			}
		}
	}
	return fmt.Sprintf("%02d-%02d", bestS, bestE)
}

// caveats are stated in every report, plainly: what the checks cannot show.
var caveats = []string{
	"Consistent metadata is not proof of authenticity: times, zones, producers and EXIF fields are easy to set by hand, and a careful forger who knows these checks can satisfy every one of them.",
	"An inconsistency is not proof of forgery either: clocks drift, files are re-saved and converted, archives reset file times, and the tool table knows only the releases listed in it.",
	"File and commit times are stored without their zone; they are read in the dominant claimed zone, which is an assumption. Times that state no zone are read as written.",
	"The manifest shows that the case has not changed since it was signed, not that the dump was genuine when it was ingested; comparing against a published copy needs that copy or its hashes.",
	"Chat times stored in UTC may be times the export gave without a zone or instants from an export that keeps Unix times; the analysis does not say which, so they are counted as stored, and activity windows built on them may be shifted by the writers' offset.",
	"Holidays are not checked: no calendar is built in, and a weekday distribution cannot tell a holiday from a working day.",
	"Git author and committer identities and Office application versions are not stored by ingest, so they cannot be listed or dated here.",
	"Recurrence across sources is counted on the entities the detectors found; a name they missed, or spelled two ways, is not counted.",
}
