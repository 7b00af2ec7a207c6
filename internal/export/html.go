package export

import (
	"cmp"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"

	"github.com/leakscope/leakscope/internal/findings"
	"github.com/leakscope/leakscope/internal/target"
)

//go:embed report.html.tmpl
var reportHTML string

// reportTemplate is parsed once; html/template escapes every leaked
// string for its context, so a name in the leak cannot inject markup.
var reportTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"defang": defang,
	"human":  humanBytes,
	"anchor": evidenceAnchor,
	"upper":  strings.ToUpper,
	"join":   strings.Join,
}).Parse(reportHTML))

// htmlReport is what the template shows.
type htmlReport struct {
	Case, TLP, Date, Producer string
	Judgements                []string
	Targets                   []target.Target
	Countries                 []countryRow
	Timeline                  []timelineRow
	Persons                   int
	Conversations             int
	Roles                     []roleGroup
	Techniques                []findings.Technique
	Tools                     []findings.Tool
	Evidence                  []evidenceRow
}

type countryRow struct {
	Country string
	Targets int
	Volume  int64
	Records int64
}

type timelineRow struct {
	Month   string
	Targets []string
}

type roleGroup struct {
	Role findings.Role
	IOCs []findings.IOC
}

type evidenceRow struct {
	Anchor, Path, SHA256 string
}

// WriteHTMLReport writes the analyst report as one self-contained HTML
// page (no scripts, no external resources), to be read in a browser or
// printed to PDF: a TLP banner, key judgements, targets by country with
// totals and a timeline, the ATT&CK techniques and tools, the indicators
// by role (defanged), an evidence list with SHA-256 and paths, and the
// method and caveats. Every claim links to its evidence in the list.
func WriteHTMLReport(w io.Writer, f *Findings, o Options) error {
	r := htmlReport{Case: f.Case, TLP: strings.ToUpper(o.tlp()), Date: o.created().Format("2006-01-02"),
		Producer: o.producer(), Targets: f.Targets, Persons: len(f.Persons), Conversations: len(f.Conversations),
		Techniques: f.Techniques, Tools: f.Tools}
	r.Judgements = judgements(f)
	byCountry := map[string]*countryRow{}
	byMonth := map[string][]string{}
	for _, t := range f.Targets {
		c := byCountry[t.Country]
		if c == nil {
			c = &countryRow{Country: t.Country}
			byCountry[t.Country] = c
		}
		c.Targets++
		c.Volume += t.VolumeBytes
		c.Records += t.Records
		m := t.FirstSeen
		if len(m) > 7 {
			m = m[:7]
		}
		if m == "" {
			m = "undated"
		}
		byMonth[m] = append(byMonth[m], t.Name)
	}
	for _, c := range byCountry {
		r.Countries = append(r.Countries, *c)
	}
	slices.SortFunc(r.Countries, func(a, b countryRow) int {
		return cmp.Or(b.Targets-a.Targets, strings.Compare(a.Country, b.Country))
	})
	for m, names := range byMonth {
		r.Timeline = append(r.Timeline, timelineRow{Month: m, Targets: names})
	}
	slices.SortFunc(r.Timeline, func(a, b timelineRow) int { return strings.Compare(a.Month, b.Month) })
	for _, role := range findings.Roles {
		g := roleGroup{Role: role}
		for _, i := range f.IOCs {
			if i.Role == role {
				g.IOCs = append(g.IOCs, i)
			}
		}
		if len(g.IOCs) > 0 {
			r.Roles = append(r.Roles, g)
		}
	}
	sha := map[string]string{}
	for _, d := range f.Documents {
		for _, p := range d.Paths {
			sha[p] = d.SHA256
		}
	}
	seen := map[string]bool{}
	// Every path a claim links to gets its entry, an empty one included,
	// so that no link of the report leads nowhere.
	addEvidence := func(path string) {
		if !seen[path] {
			seen[path] = true
			r.Evidence = append(r.Evidence, evidenceRow{Anchor: evidenceAnchor(path), Path: path, SHA256: sha[path]})
		}
	}
	for _, t := range f.Targets {
		for _, e := range t.Evidence {
			addEvidence(e.Path)
		}
	}
	for _, t := range f.Techniques {
		for _, e := range t.Evidence {
			addEvidence(e.Path)
		}
	}
	for _, t := range f.Tools {
		for _, e := range t.Evidence {
			addEvidence(e.Path)
		}
	}
	for _, i := range f.IOCs {
		for _, e := range i.Evidence {
			addEvidence(e.Path)
		}
	}
	slices.SortFunc(r.Evidence, func(a, b evidenceRow) int { return strings.Compare(a.Path, b.Path) })
	return reportTemplate.Execute(w, r)
}

// judgements are the report's key judgements, each a sentence the
// sections below support.
func judgements(f *Findings) []string {
	var out []string
	if n := len(f.Targets); n > 0 {
		var vol int64
		countries := map[string]bool{}
		for _, t := range f.Targets {
			vol += t.VolumeBytes
			countries[t.Country] = true
		}
		s := fmt.Sprintf("The leak names %d targets in %d countries", n, len(countries))
		if vol > 0 {
			s += fmt.Sprintf(", with %s of data taken where a volume is given", humanBytes(vol))
		}
		out = append(out, s+".")
	}
	if len(f.Techniques) > 0 {
		var ids []string
		for _, t := range f.Techniques {
			ids = append(ids, t.ID)
		}
		out = append(out, fmt.Sprintf("The actor's methods map to %d ATT&CK techniques (%s), each shown by the evidence cited.",
			len(ids), strings.Join(ids, ", ")))
	}
	detect := 0
	for _, i := range f.IOCs {
		if i.Role.Detectable() {
			detect++
		}
	}
	if len(f.IOCs) > 0 {
		out = append(out, fmt.Sprintf("Of %d indicators, %d are the actor's infrastructure or phishing and worth blocking; the others belong to victims, the contractor, its customers or are undecided.",
			len(f.IOCs), detect))
	}
	if len(out) == 0 {
		out = append(out, "The case holds no findings yet.")
	}
	return out
}

// evidenceAnchor is the id of a path's entry in the evidence list.
func evidenceAnchor(path string) string {
	return "ev-" + uuidShort(path)
}

func uuidShort(s string) string {
	u := uuid5(namespace, s)
	return fmt.Sprintf("%x", u[:6])
}
