package authenticity

import (
	_ "embed"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/leakscope/leakscope/internal/store"
)

//go:embed producers.tsv
var producersTSV string

// Release is one row of the producer table.
type Release struct {
	Key      string         `json:"-"`
	Make     string         `json:"-"`
	Pattern  *regexp.Regexp `json:"-"`
	Tool     string         `json:"tool"`
	Version  string         `json:"version,omitempty"`
	Released time.Time      `json:"released"`
	Source   string         `json:"source"`
}

// releases is the parsed table, in its order (first match wins).
var releases = mustReleases(producersTSV)

// mustReleases parses the embedded table; a bad row is a programming
// error caught by every test.
func mustReleases(tsv string) []Release {
	rs, err := parseReleases(tsv)
	if err != nil {
		panic(err)
	}
	return rs
}

func parseReleases(tsv string) ([]Release, error) {
	var out []Release
	for n, line := range strings.Split(tsv, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 7 {
			return nil, fmt.Errorf("producers.tsv line %d: %d fields, want 7", n+1, len(f))
		}
		re, err := regexp.Compile("(?i)" + f[2])
		if err != nil {
			return nil, fmt.Errorf("producers.tsv line %d: %w", n+1, err)
		}
		t, err := time.Parse("2006-01-02", f[5])
		if err != nil {
			return nil, fmt.Errorf("producers.tsv line %d: %w", n+1, err)
		}
		out = append(out, Release{Key: f[0], Make: f[1], Pattern: re, Tool: f[3], Version: f[4], Released: t, Source: f[6]})
	}
	return out, nil
}

// producerKeys are the metadata keys that name the tool that wrote a
// document: PDF producer and creator, the Office application, the camera
// and its firmware.
var producerKeys = []string{"producer", "creator", "exif.model", "exif.software"}

// Producer is one tool a document names, with its release when the table
// knows it.
type Producer struct {
	Key     string   `json:"key"`
	Value   string   `json:"value"`
	Release *Release `json:"release,omitempty"`
}

// lookup finds the release of value under key; make is the document's
// exif.make, for firmware versions that mean something only per maker.
func lookup(key, value, make string) *Release {
	for i := range releases {
		r := &releases[i]
		if r.Key == key && (r.Make == "" || strings.EqualFold(r.Make, strings.TrimSpace(make))) && r.Pattern.MatchString(value) {
			return r
		}
	}
	return nil
}

// DocProducers returns the tools document d names.
func DocProducers(d store.DocInfo) []Producer {
	var out []Producer
	for _, k := range producerKeys {
		v := strings.TrimSpace(d.Meta[k])
		if v == "" {
			continue
		}
		out = append(out, Producer{Key: k, Value: v, Release: lookup(k, v, d.Meta["exif.make"])})
	}
	return out
}

// ProducerUse is one tool across the case: how many documents name it and
// the span of the dates they claim.
type ProducerUse struct {
	Producer
	Documents int      `json:"documents"`
	Examples  []string `json:"examples"` // up to three document IDs
	Earliest  string   `json:"earliest,omitempty"`
	Latest    string   `json:"latest,omitempty"`
}

// producerIndex aggregates producers over documents.
type producerIndex map[[2]string]*ProducerUse

func (x producerIndex) add(d store.DocInfo, prods []Producer, claims []Claim) {
	var date string
	for _, c := range claims {
		if c.Source == SourceCreated || c.Source == SourceEXIF || c.Source == SourceModified {
			date = c.Time.Format("2006-01-02")
			break
		}
	}
	for _, p := range prods {
		k := [2]string{p.Key, p.Value}
		u := x[k]
		if u == nil {
			u = &ProducerUse{Producer: p, Examples: []string{}}
			x[k] = u
		}
		u.Documents++
		if len(u.Examples) < 3 {
			u.Examples = append(u.Examples, d.ID.String())
		}
		if date != "" && (u.Earliest == "" || date < u.Earliest) {
			u.Earliest = date
		}
		if date > u.Latest {
			u.Latest = date
		}
	}
}

func (x producerIndex) list() []ProducerUse {
	out := []ProducerUse{}
	for _, u := range x {
		out = append(out, *u)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Documents != out[j].Documents {
			return out[i].Documents > out[j].Documents
		}
		if out[i].Key != out[j].Key {
			return out[i].Key < out[j].Key
		}
		return out[i].Value < out[j].Value
	})
	return out
}
