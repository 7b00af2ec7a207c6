// Package score compares a target register and an entity list with the
// ground truth of a synthetic corpus (leak-corpus-truth/1, the
// leak-sample.truth.json format) and reports precision and recall. It is
// what `make eval` runs on a case's output.
//
// # Matching
//
// A predicted target matches a truth target when one of its spellings
// (name or alias) equals one of the truth's names_in_corpus, name,
// names_zh or other_names after normalisation (case, spaces and
// punctuation ignored), or contains one of them or is contained in one,
// when the shorter is at least three characters. Its country is right when
// equal; its volume when volume_bytes is within 2% of the truth's binary
// or decimal reading, or records within 2%; its date when the truth date
// (YYYY or YYYY-MM) falls within [first_seen, last_seen] at the truth's
// precision.
package score

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"unicode"

	"github.com/leakscope/leakscope/internal/target"
)

// Truth is the part of the truth file scored here.
type Truth struct {
	Targets  []TruthTarget            `json:"targets"`
	Entities map[string][]TruthEntity `json:"entities"`
}

// TruthTarget is one truth target.
type TruthTarget struct {
	ID                 string   `json:"id"`
	Name               string   `json:"name"`
	NamesZh            []string `json:"names_zh"`
	OtherNames         []string `json:"other_names"`
	NamesInCorpus      []string `json:"names_in_corpus"`
	Country            string   `json:"country"`
	VolumeBytes        int64    `json:"volume_bytes"`
	VolumeBytesDecimal int64    `json:"volume_bytes_decimal"`
	Records            int64    `json:"records"`
	Date               string   `json:"date"`
	Evidence           []string `json:"evidence"`
}

// TruthEntity is one truth indicator.
type TruthEntity struct {
	Value string   `json:"value"`
	Forms []string `json:"forms"`
	Files []string `json:"files"`
}

// ReadTruth reads a truth file.
func ReadTruth(path string) (*Truth, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read truth: %w", err)
	}
	var t Truth
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, fmt.Errorf("parse truth %s: %w", path, err)
	}
	return &t, nil
}

// Row is the outcome for one truth target.
type Row struct {
	ID, Name  string
	Found     string // name of the matching predicted target, "" if missed
	CountryOK bool
	VolumeOK  bool // false also when the truth states no volume
	DateOK    bool
	NameOK    bool // the display name is the truth's English name or one of its other names
	// EvidenceTruth and EvidenceFound count the truth's evidence files
	// and those of them attached to the matching target.
	EvidenceTruth, EvidenceFound int
}

// Report is the target score.
type Report struct {
	Truth, Predicted  int
	TruePositives     int // predicted targets that match a truth target
	Found             int // truth targets matched by a prediction
	Precision, Recall float64
	Country           float64 // share of found targets with the right country
	Volume            float64 // share of found targets with a volume that have the right one
	Date              float64 // share of found targets with a date that have the right one
	// DistinctPrecision counts an organisation split in two once: found
	// truth targets over predicted targets.
	DistinctPrecision  float64
	Names              float64 // share of found targets whose display name is right (NameOK)
	Evidence           float64 // share of the found targets' truth evidence files attached to them
	Rows               []Row
	FalsePositiveNames []string
	// Duplicates are predicted targets that match a truth target another
	// prediction matched first ("name = first name"): one organisation
	// split in two. They count as true positives.
	Duplicates []string
}

func (r Report) String() string {
	return fmt.Sprintf("targets: truth %d predicted %d found %d precision %.2f recall %.2f country %.2f volume %.2f date %.2f distinct-precision %.2f names %.2f evidence %.2f",
		r.Truth, r.Predicted, r.Found, r.Precision, r.Recall, r.Country, r.Volume, r.Date, r.DistinctPrecision, r.Names, r.Evidence)
}

func norm(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func matches(spellings []string, tt TruthTarget) bool {
	names := slices.Concat(tt.NamesInCorpus, tt.NamesZh, tt.OtherNames, []string{tt.Name})
	for _, s := range spellings {
		ns := norm(s)
		if ns == "" {
			continue
		}
		for _, n := range names {
			nn := norm(n)
			if nn == "" {
				continue
			}
			if ns == nn {
				return true
			}
			short := min(len([]rune(ns)), len([]rune(nn)))
			if short >= 3 && (strings.Contains(ns, nn) || strings.Contains(nn, ns)) {
				return true
			}
		}
	}
	return false
}

// nameOK reports whether a display name is the truth's English name,
// with or without its parenthesised part ("NVTL" for "NVTL (Bharat
// Sanchar Nigam Limited)"), or one of its other names written in Latin
// letters, ignoring case and punctuation.
func nameOK(name string, tt TruthTarget) bool {
	n := norm(name)
	if n == "" {
		return false
	}
	ns := []string{n}
	if i := strings.Index(name, " ("); i > 0 && strings.HasSuffix(name, ")") {
		ns = append(ns, norm(name[:i])) // an appended initialism or country
	}
	cands := []string{tt.Name}
	if i := strings.Index(tt.Name, " ("); i > 0 && strings.HasSuffix(tt.Name, ")") {
		cands = append(cands, tt.Name[:i], tt.Name[i+2:len(tt.Name)-1])
	}
	for _, o := range tt.OtherNames {
		if !strings.ContainsFunc(o, func(r rune) bool { return r >= 0x2E80 }) {
			cands = append(cands, o)
		}
	}
	for _, c := range cands {
		if slices.Contains(ns, norm(c)) {
			return true
		}
	}
	return false
}

// Score scores a register against the truth.
func Score(got []target.Target, truth *Truth) Report {
	r := Report{Truth: len(truth.Targets), Predicted: len(got)}
	found := make([]string, len(truth.Targets))
	var countryOK, volN, volOK, dateN, dateOK, nameN, evN, evOK int
	rows := make([]Row, len(truth.Targets))
	for i, tt := range truth.Targets {
		rows[i] = Row{ID: tt.ID, Name: tt.Name}
	}
	for _, p := range got {
		sp := append([]string{p.Name}, p.Aliases...)
		hit := false
		for i, tt := range truth.Targets {
			if !matches(sp, tt) {
				continue
			}
			hit = true
			if found[i] != "" {
				if found[i] != p.Name {
					r.Duplicates = append(r.Duplicates, p.Name+" = "+found[i])
				}
				continue
			}
			found[i] = p.Name
			row := &rows[i]
			row.Found = p.Name
			row.CountryOK = p.Country == tt.Country
			row.VolumeOK = volumeOK(p, tt)
			row.DateOK = dateInRange(tt.Date, p.FirstSeen, p.LastSeen)
			row.NameOK = nameOK(p.Name, tt)
			paths := map[string]bool{}
			for _, e := range p.Evidence {
				paths[e.Path] = true
			}
			row.EvidenceTruth = len(tt.Evidence)
			for _, e := range tt.Evidence {
				if paths[e] {
					row.EvidenceFound++
				}
			}
		}
		if hit {
			r.TruePositives++
		} else {
			r.FalsePositiveNames = append(r.FalsePositiveNames, p.Name)
		}
	}
	for i, tt := range truth.Targets {
		if found[i] == "" {
			continue
		}
		r.Found++
		if rows[i].NameOK {
			nameN++
		}
		evN += rows[i].EvidenceTruth
		evOK += rows[i].EvidenceFound
		if rows[i].CountryOK {
			countryOK++
		}
		if tt.VolumeBytes > 0 || tt.Records > 0 {
			volN++
			if rows[i].VolumeOK {
				volOK++
			}
		}
		if tt.Date != "" {
			dateN++
			if rows[i].DateOK {
				dateOK++
			}
		}
	}
	r.Rows = rows
	r.Precision = ratio(r.TruePositives, r.Predicted)
	r.Recall = ratio(r.Found, r.Truth)
	r.Country = ratio(countryOK, r.Found)
	r.Volume = ratio(volOK, volN)
	r.Date = ratio(dateOK, dateN)
	r.DistinctPrecision = ratio(r.Found, r.Predicted)
	r.Names = ratio(nameN, r.Found)
	r.Evidence = ratio(evOK, evN)
	return r
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func near(a, b int64) bool {
	return a > 0 && b > 0 && math.Abs(float64(a-b)) <= 0.02*float64(b)
}

func volumeOK(p target.Target, tt TruthTarget) bool {
	if tt.Records > 0 {
		return near(p.Records, tt.Records)
	}
	return near(p.VolumeBytes, tt.VolumeBytes) || near(p.VolumeBytes, tt.VolumeBytesDecimal)
}

// dateInRange reports whether the truth date d (YYYY or YYYY-MM) falls
// within [first, last] compared at d's precision.
func dateInRange(d, first, last string) bool {
	if d == "" || first == "" {
		return false
	}
	cut := func(s string) string { return s[:min(len(s), len(d))] }
	return cut(first) <= d && d <= cut(last)
}

// Entity is one predicted entity (the DESIGN.md `entities` row).
type Entity struct {
	Type  string   `json:"type"`
	Value string   `json:"value"`
	Paths []string `json:"paths"`
}

// EntityReport is the per-type score of indicators.
type EntityReport struct {
	Type                  string
	Truth, Predicted, TP  int
	Precision, Recall     float64
	Missed, FalsePositive []string
}

// ScoreEntities scores predicted indicator values against the truth, per
// truth type. Values compare case-insensitively; a prediction equal to a
// truth value or one of its forms counts.
func ScoreEntities(got []Entity, truth *Truth) []EntityReport {
	var out []EntityReport
	types := make([]string, 0, len(truth.Entities))
	for t := range truth.Entities {
		types = append(types, t)
	}
	slices.Sort(types)
	for _, typ := range types {
		want := map[string]int{}
		for i, e := range truth.Entities[typ] {
			want[strings.ToLower(e.Value)] = i
			for _, f := range e.Forms {
				want[strings.ToLower(f)] = i
			}
		}
		rep := EntityReport{Type: typ, Truth: len(truth.Entities[typ])}
		hit := map[int]bool{}
		seen := map[string]bool{}
		for _, g := range got {
			v := strings.ToLower(g.Value)
			if g.Type != typ || seen[v] {
				continue
			}
			seen[v] = true
			rep.Predicted++
			if i, ok := want[v]; ok {
				if !hit[i] {
					rep.TP++
				}
				hit[i] = true
			} else {
				rep.FalsePositive = append(rep.FalsePositive, g.Value)
			}
		}
		for i, e := range truth.Entities[typ] {
			if !hit[i] {
				rep.Missed = append(rep.Missed, e.Value)
			}
		}
		rep.Precision = ratio(rep.TP, rep.Predicted)
		rep.Recall = ratio(len(hit), rep.Truth)
		out = append(out, rep)
	}
	return out
}

// EvalCase scores the CLI's outputs for one case: targetsJSON is the
// output of `leakscope targets --format json`, entitiesJSON that of
// `leakscope entities --format json` (nil or empty skips the entity
// score). It is what `make eval` calls, so that the numbers are those of
// the shipped commands and not of a re-implementation of them.
func EvalCase(truthPath string, targetsJSON, entitiesJSON []byte) (Report, []EntityReport, error) {
	truth, err := ReadTruth(truthPath)
	if err != nil {
		return Report{}, nil, err
	}
	var ts []target.Target
	if err := json.Unmarshal(targetsJSON, &ts); err != nil {
		return Report{}, nil, fmt.Errorf("parse targets: %w", err)
	}
	rep := Score(ts, truth)
	if len(bytes.TrimSpace(entitiesJSON)) == 0 {
		return rep, nil, nil
	}
	var es []Entity
	if err := json.Unmarshal(entitiesJSON, &es); err != nil {
		return rep, nil, fmt.Errorf("parse entities: %w", err)
	}
	return rep, ScoreEntities(es, truth), nil
}
