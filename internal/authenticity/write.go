package authenticity

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strings"
)

// WriteMarkdown writes r as a section of a Markdown report (the export
// report includes it under its own heading level: level 2 here). Values
// from the leak are quoted in code spans so that Markdown in them is not
// rendered.
func WriteMarkdown(w io.Writer, r Report) error {
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, "## Authenticity\n\n%d documents; report made %s.\n\n", r.Documents, r.Made.Format("2006-01-02 15:04 MST"))
	b.WriteString("### Time zones claimed\n\n")
	if len(r.Zones) == 0 {
		b.WriteString("No time in the case states its zone.\n\n")
	}
	for _, z := range r.Zones {
		fmt.Fprintf(b, "- %s: %d times (%s)\n", z.Zone, z.Count, sources(z.Sources))
	}
	fmt.Fprintf(b, "\nFile, commit and UTC times are read in %s.\n", r.Zone)
	b.WriteString("\n### Times by source\n\n| source | read in | count | office hours | weekend | busiest hours |\n|---|---|---|---|---|---|\n")
	for _, d := range r.Distributions {
		fmt.Fprintf(b, "| %s | %s | %d | %d | %d | %s |\n", d.Source, d.Zone, d.Count, d.Office, d.Weekend, topHours(d.ByHour))
	}
	if len(r.Activity) > 0 {
		b.WriteString("\n### Chat activity windows\n\n| person | messages | window | office hours | first | last |\n|---|---|---|---|---|---|\n")
		for _, a := range r.Activity {
			fmt.Fprintf(b, "| %s | %d | %s | %d | %s | %s |\n", code(a.Person), a.Messages, a.Window, a.Office, a.First, a.Last)
		}
	}
	b.WriteString("\n### Producers\n\n| key | tool | documents | released | dates claimed |\n|---|---|---|---|---|\n")
	for _, p := range r.Producers {
		rel := "not in the table"
		if p.Release != nil {
			rel = p.Release.Released.Format("2006-01-02")
		}
		fmt.Fprintf(b, "| %s | %s | %d | %s | %s .. %s |\n", p.Key, code(p.Value), p.Documents, rel, p.Earliest, p.Latest)
	}
	fmt.Fprintf(b, "\n### Findings (%d)\n\n", len(r.Findings))
	for _, f := range r.Findings {
		fmt.Fprintf(b, "- **%s**: %s\n", f.Rule, f.Summary)
		for _, e := range f.Evidence {
			short := e.Doc
			if len(short) > 12 {
				short = short[:12]
			}
			fmt.Fprintf(b, "  - %s `%s`: %s\n", code(e.Path), short, values(e.Values))
		}
	}
	fmt.Fprintf(b, "\n### Identifiers in several kinds of source (%d)\n\n", len(r.Consistency.Recurring))
	for i, id := range r.Consistency.Recurring {
		if i == 50 {
			fmt.Fprintf(b, "- ... %d more\n", len(r.Consistency.Recurring)-50)
			break
		}
		fmt.Fprintf(b, "- %s %s: %s (%d documents)\n", id.Kind, code(id.Value), strings.Join(id.Classes, ", "), id.Documents)
	}
	b.WriteString("\n### What these checks cannot show\n\n")
	for _, c := range r.Caveats {
		fmt.Fprintf(b, "- %s\n", c)
	}
	return b.Flush()
}

// WriteText writes r for a terminal: the same content as WriteMarkdown.
func WriteText(w io.Writer, r Report) error { return WriteMarkdown(w, r) }

func sources(m map[string]int) string {
	var ks []string
	for k, n := range m {
		ks = append(ks, fmt.Sprintf("%s %d", k, n))
	}
	sort.Strings(ks)
	return strings.Join(ks, ", ")
}

// topHours names the three busiest hours, "10h 14h 15h".
func topHours(h [24]int) string {
	idx := make([]int, 24)
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool { return h[idx[i]] > h[idx[j]] })
	var out []string
	for _, i := range idx[:3] {
		if h[i] > 0 {
			out = append(out, fmt.Sprintf("%02dh", i))
		}
	}
	return strings.Join(out, " ")
}

func values(m map[string]string) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	var out []string
	for _, k := range ks {
		out = append(out, k+"="+code(m[k]))
	}
	return strings.Join(out, " ")
}

// code quotes a leaked value as a Markdown code span that it cannot end
// early, and keeps it on one line.
func code(s string) string {
	s = strings.NewReplacer("\n", " ", "\r", " ", "|", "\\|").Replace(s)
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	return fence + " " + s + " " + fence
}
