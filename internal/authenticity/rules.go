package authenticity

import (
	"fmt"
	"time"

	"github.com/leakscope/leakscope/internal/leak"
	"github.com/leakscope/leakscope/internal/store"
)

// Params are the thresholds of the rules. DefaultParams documents the
// defaults.
type Params struct {
	// Now is the time the report is made; a claim after Now+FutureSlack is
	// a future date.
	Now time.Time
	// FutureSlack allows for clocks a little ahead and for zones.
	FutureSlack time.Duration
	// Slack is how far two times of one document may disagree before it is
	// a contradiction: editors round, and file systems keep 2 s (FAT).
	Slack time.Duration
	// ProducerSlack is how long before a tool's public release a document
	// it wrote may be dated: betas and previews reach users early.
	ProducerSlack time.Duration
	// OfficeStart and OfficeEnd bound office hours, [start, end), Monday
	// to Friday, in the zone a time claims.
	OfficeStart, OfficeEnd int
	// WindowShare is the share of a person's messages their activity
	// window holds.
	WindowShare float64
}

// DefaultParams returns the defaults, with Now as given.
func DefaultParams(now time.Time) Params {
	return Params{Now: now, FutureSlack: 48 * time.Hour, Slack: 2 * time.Minute,
		ProducerSlack: 90 * 24 * time.Hour, OfficeStart: 9, OfficeEnd: 18, WindowShare: 0.8}
}

func (p Params) officeHour(t time.Time) bool {
	wd := t.Weekday()
	return wd != time.Saturday && wd != time.Sunday && t.Hour() >= p.OfficeStart && t.Hour() < p.OfficeEnd
}

// Rule names. They are written to JSON reports: never rename them.
const (
	RuleModifiedBeforeCreated = "modified-before-created"
	RuleFutureDate            = "future-date"
	RuleEXIFAfterMail         = "exif-after-mail"
	RuleProducerAfterDate     = "producer-after-date"
	RuleExtensionMismatch     = "extension-mismatch"
	RuleDuplicate             = "duplicate"
)

// Finding is one inconsistency with the evidence that shows it.
type Finding struct {
	Rule     string     `json:"rule"`
	Summary  string     `json:"summary"`
	Evidence []Evidence `json:"evidence"`
}

// Evidence names a document and the values a rule compared.
type Evidence struct {
	Doc    string            `json:"doc"`
	Path   string            `json:"path"`
	Values map[string]string `json:"values"`
}

// docView is what a rule sees: one document, its claims, and the
// documents that contain it.
type docView struct {
	d       store.DocInfo
	path    string
	claims  []Claim
	parents []docView // containers of d's occurrences, with their claims
}

func evidence(v docView, kv ...string) Evidence {
	e := Evidence{Doc: v.d.ID.String(), Path: store.EscapePath(v.path), Values: map[string]string{}}
	for i := 0; i+1 < len(kv); i += 2 {
		e.Values[kv[i]] = kv[i+1]
	}
	return e
}

func claimOf(v docView, source string) (Claim, bool) {
	for _, c := range v.claims {
		if c.Source == source {
			return c, true
		}
	}
	return Claim{}, false
}

// docRule is a named check over one document.
type docRule struct {
	name  string
	check func(p Params, v docView, prods []Producer) []Finding
}

// docRules is the one list of per-document rules, run in this order.
var docRules = []docRule{
	{RuleModifiedBeforeCreated, modifiedBeforeCreated},
	{RuleFutureDate, futureDate},
	{RuleEXIFAfterMail, exifAfterMail},
	{RuleProducerAfterDate, producerAfterDate},
	{RuleExtensionMismatch, extensionMismatch},
}

// modifiedBeforeCreated: a report of Nordhavn Shipping saved on 3 March
// but created on 5 March was edited or its properties rewritten; a save
// within Slack of the creation is rounding, not a contradiction.
func modifiedBeforeCreated(p Params, v docView, _ []Producer) []Finding {
	cr, ok1 := claimOf(v, SourceCreated)
	md, ok2 := claimOf(v, SourceModified)
	if !ok1 || !ok2 || !md.Time.Before(cr.Time.Add(-p.Slack)) {
		return nil
	}
	return []Finding{{Rule: RuleModifiedBeforeCreated,
		Summary:  fmt.Sprintf("modified %s before it was created", cr.Time.Sub(md.Time).Round(time.Minute)),
		Evidence: []Evidence{evidence(v, "created", cr.Raw, "modified", md.Raw)}}}
}

// futureDate: a memo of Acme Telecom dated next year when the report is
// made has a clock or a property that was set by hand; file times of
// archive members are included, each stated once.
func futureDate(p Params, v docView, _ []Producer) []Finding {
	var out []Finding
	limit := p.Now.Add(p.FutureSlack)
	for _, c := range v.claims {
		if c.Time.After(limit) {
			out = append(out, Finding{Rule: RuleFutureDate,
				Summary:  fmt.Sprintf("%s time is after the report was made", c.Source),
				Evidence: []Evidence{evidence(v, c.Source, c.Raw, "report_time", p.Now.UTC().Format(time.RFC3339))}})
		}
	}
	return out
}

// exifAfterMail: a photo attached to a mail sent on 1 June that says it
// was taken on 2 June was not in that mail as sent. An EXIF time without
// a zone is read in the mail's zone, which the evidence says.
func exifAfterMail(p Params, v docView, _ []Producer) []Finding {
	ex, ok := claimOf(v, SourceEXIF)
	if !ok {
		return nil
	}
	var out []Finding
	for _, m := range v.parents {
		mc, ok := claimOf(m, SourceMail)
		if !ok || m.d.MIME != "message/rfc822" {
			continue
		}
		et, read := ex.Time, "claimed"
		if !ex.Zoned {
			et = time.Date(et.Year(), et.Month(), et.Day(), et.Hour(), et.Minute(), et.Second(), 0, mc.Time.Location())
			read = "in the mail's zone"
		}
		if et.After(mc.Time.Add(p.Slack)) {
			out = append(out, Finding{Rule: RuleEXIFAfterMail,
				Summary: fmt.Sprintf("photo taken %s after the mail that carried it was sent", et.Sub(mc.Time).Round(time.Minute)),
				Evidence: []Evidence{evidence(v, ex.Key, ex.Raw, "exif_zone", read),
					evidence(m, "date", mc.Raw)}})
		}
	}
	return out
}

// producerAfterDate: a PDF whose producer is "Acme PDF 9" (released
// 2022) and whose created date is 2020 was produced, or re-saved, after
// the date it claims. Tools not in the table are not judged.
func producerAfterDate(p Params, v docView, prods []Producer) []Finding {
	date, ok := claimOf(v, SourceCreated)
	if !ok {
		if date, ok = claimOf(v, SourceEXIF); !ok {
			if date, ok = claimOf(v, SourceModified); !ok {
				return nil
			}
		}
	}
	var out []Finding
	for _, pr := range prods {
		if pr.Release == nil {
			continue
		}
		rel := pr.Release.Released
		if date.Time.Before(rel.Add(-p.ProducerSlack)) {
			out = append(out, Finding{Rule: RuleProducerAfterDate,
				Summary: fmt.Sprintf("%s %s was released %s, after the document's %s date", pr.Release.Tool, pr.Release.Version,
					rel.Format("2006-01-02"), date.Source),
				Evidence: []Evidence{evidence(v, pr.Key, pr.Value, date.Source, date.Raw,
					"released", rel.Format("2006-01-02"), "release_source", pr.Release.Source)}})
		}
	}
	return out
}

// extensionMismatch: "contract.docx" whose bytes are a PNG is named to
// look like something else; ingest flags it when the content sniffs as
// another type than the name says.
func extensionMismatch(_ Params, v docView, _ []Producer) []Finding {
	for _, f := range v.d.Flags {
		if f == "extension-mismatch" {
			return []Finding{{Rule: RuleExtensionMismatch, Summary: "the name's extension does not match the content",
				Evidence: []Evidence{evidence(v, "mime", v.d.MIME)}}}
		}
	}
	return nil
}

// duplicates: the same bytes at two paths (a "copy (1).xlsx" beside its
// original) are one document; listed so that a count of files is not read
// as a count of independent sources. Members inside one container found
// twice through two copies of that container count once per path.
func duplicates(docs []store.DocInfo) []Finding {
	var out []Finding
	for _, d := range docs {
		paths := d.Paths()
		if len(paths) < 2 || d.Size == 0 {
			continue
		}
		v := docView{d: d, path: leak.PrimaryPath(paths)}
		e := evidence(v, "paths", fmt.Sprint(len(paths)), "sha256", d.ID.String())
		for i, p := range paths {
			e.Values[fmt.Sprintf("path_%d", i+1)] = store.EscapePath(p)
		}
		out = append(out, Finding{Rule: RuleDuplicate, Summary: fmt.Sprintf("the same %d bytes at %d paths", d.Size, len(paths)),
			Evidence: []Evidence{e}})
	}
	return out
}
