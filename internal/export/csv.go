package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/leakscope/leakscope/internal/findings"
)

// bom is the UTF-8 byte order mark. Excel reads a CSV file without it in
// the legacy code page, which turns every Chinese name into mojibake;
// other readers (Go's encoding/csv after TrimBOM, LibreOffice, pandas
// with utf-8-sig) skip it.
const bom = "\uFEFF"

// WriteCSV writes the targets (o.What "targets" or "") or the entities
// (o.What "entities") as a CSV table with a header row, after a UTF-8
// byte order mark. Lists are joined by "; "; a size is given in bytes
// and, beside it, in human units ("1.5 GiB").
func WriteCSV(w io.Writer, f *Findings, o Options) error {
	if o.What != "" && o.What != "targets" && o.What != "entities" {
		return fmt.Errorf("csv of %q: want one of %s", o.What, strings.Join(Whats, ", "))
	}
	if _, err := io.WriteString(w, bom); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	switch o.What {
	case "", "targets":
		cw.Write([]string{"name", "aliases", "country", "sector", "data_types", "volume_bytes", "volume", "records",
			"first_seen", "last_seen", "confidence", "evidence_count", "first_evidence_path"})
		for _, t := range f.Targets {
			first := ""
			if len(t.Evidence) > 0 {
				first = t.Evidence[0].Path
			}
			vol := ""
			if t.VolumeBytes > 0 {
				vol = humanBytes(t.VolumeBytes)
			}
			cw.Write([]string{cell(t.Name), cells(t.Aliases), cell(t.Country), cell(t.Sector), cells(t.DataTypes),
				strconv.FormatInt(t.VolumeBytes, 10), vol, strconv.FormatInt(t.Records, 10), cell(t.FirstSeen),
				cell(t.LastSeen), strconv.FormatFloat(t.Confidence, 'f', 2, 64), strconv.Itoa(len(t.Evidence)),
				cell(first)})
		}
	case "entities":
		cw.Write([]string{"type", "value", "role", "role_rule", "count", "document_paths", "first_path", "forms"})
		roles := map[[2]string]findings.IOC{}
		for _, i := range f.IOCs {
			roles[[2]string{i.Kind, i.Value}] = i
		}
		for _, e := range f.Entities {
			first := ""
			if len(e.Paths) > 0 {
				first = e.Paths[0]
			}
			role, rule := "", ""
			if i, ok := roles[[2]string{e.Type, e.Value}]; ok {
				role, rule = string(i.Role), i.Rule
			}
			cw.Write([]string{cell(e.Type), cell(e.Value), role, rule, strconv.Itoa(e.Count), strconv.Itoa(len(e.Paths)),
				cell(first), cells(e.Forms)})
		}
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
