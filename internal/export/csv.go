package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// WriteCSV writes the targets (o.What "targets" or "") or the entities
// (o.What "entities") as a CSV table with a header row. Lists are joined
// by "; ".
func WriteCSV(w io.Writer, f *Findings, o Options) error {
	cw := csv.NewWriter(w)
	switch o.What {
	case "", "targets":
		cw.Write([]string{"name", "aliases", "country", "sector", "data_types", "volume_bytes", "records",
			"first_seen", "last_seen", "confidence", "evidence_count", "first_evidence_path"})
		for _, t := range f.Targets {
			first := ""
			if len(t.Evidence) > 0 {
				first = t.Evidence[0].Path
			}
			cw.Write([]string{cell(t.Name), cells(t.Aliases), cell(t.Country), cell(t.Sector), cells(t.DataTypes),
				strconv.FormatInt(t.VolumeBytes, 10), strconv.FormatInt(t.Records, 10), cell(t.FirstSeen),
				cell(t.LastSeen), strconv.FormatFloat(t.Confidence, 'f', 2, 64), strconv.Itoa(len(t.Evidence)),
				cell(first)})
		}
	case "entities":
		cw.Write([]string{"type", "value", "count", "document_paths", "first_path", "forms"})
		for _, e := range f.Entities {
			first := ""
			if len(e.Paths) > 0 {
				first = e.Paths[0]
			}
			cw.Write([]string{cell(e.Type), cell(e.Value), strconv.Itoa(e.Count), strconv.Itoa(len(e.Paths)),
				cell(first), cells(e.Forms)})
		}
	default:
		return fmt.Errorf("csv of %q: want one of %s", o.What, strings.Join(Whats, ", "))
	}
	cw.Flush()
	return cw.Error()
}

// cell neutralises a leaked string for a spreadsheet: a cell starting
// with = + - @ or a tab or carriage return would run as a formula in
// Excel or LibreOffice (CSV injection), so it gets a leading apostrophe.
func cell(s string) string {
	s = clean(s)
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func cells(ss []string) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = clean(s)
	}
	return cell(strings.Join(out, "; "))
}
