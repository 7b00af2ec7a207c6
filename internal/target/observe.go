package target

import (
	"strings"
)

// Observation is what one document says about targets before anything is
// merged across documents: the organisations its target tables list and
// its prose mentions, each with what stands beside it (country, sector,
// volume, dates, targeting language), and the pairs of spellings it ties
// to one organisation. It is computed once per document (Observe), stored
// with the document, and combined with every other document's by Combine,
// so that a change to one document never makes the register read every
// text again.
type Observation struct {
	Mentions []Mention   `json:"mentions,omitempty"`
	Links    [][2]string `json:"links,omitempty"`
}

// Mention is one organisation mention of an Observation. Its fields are
// the register's inputs; Path is left empty by Observe and filled by
// Combine with every place the document was found.
type Mention struct {
	Key      string   `json:"key"`
	Value    string   `json:"value"`
	Path     string   `json:"path,omitempty"`
	Snippet  string   `json:"snippet"`
	Strong   bool     `json:"strong,omitempty"`
	Conf     float64  `json:"conf"`
	Table    bool     `json:"table,omitempty"`
	Country  string   `json:"country,omitempty"`
	Inferred bool     `json:"inferred,omitempty"`
	Sector   string   `json:"sector,omitempty"`
	DataType string   `json:"data_type,omitempty"`
	Volume   int64    `json:"volume,omitempty"`
	Records  int64    `json:"records,omitempty"`
	Dates    []string `json:"dates,omitempty"`
	Status   Status   `json:"status,omitempty"`
}

func (m mention) export() Mention {
	return Mention{Key: m.key, Value: m.value, Path: m.path, Snippet: m.snippet, Strong: m.strong, Conf: m.conf,
		Table: m.table, Country: m.country, Inferred: m.inferred, Sector: m.sector, DataType: m.dataType,
		Volume: m.volume, Records: m.records, Dates: m.dates, Status: m.status}
}

func (m Mention) internal() mention {
	return mention{key: m.Key, value: m.Value, path: m.Path, snippet: m.Snippet, strong: m.Strong, conf: m.Conf,
		table: m.Table, country: m.Country, inferred: m.Inferred, sector: m.Sector, dataType: m.DataType,
		volume: m.Volume, records: m.Records, dates: m.Dates, status: m.Status}
}

// Units are the texts of d the register reads: its pages (the sheets of a
// workbook, read one by one so that a table ends with its sheet), plus
// the whole text when it holds more than its pages (a title, notes).
func Units(d Doc) []string {
	units := []string{d.Text}
	if len(d.Pages) > 0 {
		units = units[:0]
		covered := true
		for _, p := range d.Pages {
			units = append(units, p.Text)
			covered = covered && strings.Contains(d.Text, p.Text)
		}
		if d.Text != "" && !covered {
			// When the pages are slices of the text, reading it too
			// would only count every mention twice.
			units = append(units, d.Text)
		}
	}
	out := units[:0]
	for _, u := range units {
		if u != "" {
			out = append(out, u)
		}
	}
	return out
}

// Observe reads one document's target tables and prose. d.Path is not
// used: the mentions carry no path until Combine gives them the
// document's places. Observe is safe for concurrent use.
func Observe(d Doc, opts Options) Observation {
	opts.defaults()
	b := &builder{opts: opts}
	for _, u := range Units(d) {
		rest := b.tables("", u)
		b.prose("", rest)
	}
	var o Observation
	for _, m := range b.mentions {
		o.Mentions = append(o.Mentions, m.export())
	}
	o.Links = b.links
	return o
}

// FindEvidence looks for needles (spellings of a target) in the units of
// one document: the first unit that writes one of them, and in it the
// first needle in the order given, with the snippet around it. CJK
// needles match as substrings (also after folding), Latin ones
// case-insensitively on word boundaries.
func FindEvidence(units, needles []string, opts Options) (unit int, snippet string, ok bool) {
	opts.defaults()
	b := &builder{opts: opts}
	for i, u := range units {
		for _, n := range needles {
			if s, e, found := findSpelling(u, n, opts.Fold); found {
				return i, b.snippet(u, s, e), true
			}
		}
	}
	return 0, "", false
}

// DocObservation is a document's Observation with the document's ID and
// every place it was found.
type DocObservation struct {
	Doc   string
	Paths []string
	Observation
}

// EvidenceHit is one document that writes a spelling of a target.
type EvidenceHit struct {
	Doc     string
	Paths   []string
	Snippet string
}

// EvidenceFinder returns, for the spellings of one target, one hit per
// document that writes one of them (with FindEvidence's choice of unit
// and needle), in the order of docs given to Combine. A nil finder adds no
// evidence beyond the mentions.
type EvidenceFinder func(needles []string) []EvidenceHit

// Combine builds the register from the observations of every document,
// most confident first. docs must be in a stable order (by document ID):
// merges, names and evidence follow it. find supplies evidence from
// documents that write a target's spelling without an organisation
// mention there (a chat line, an OCR'd page).
func Combine(docs []DocObservation, find EvidenceFinder, opts Options) []Target {
	opts.defaults()
	b := &builder{opts: opts, find: find}
	for _, d := range docs {
		for _, p := range d.Paths {
			for _, m := range d.Mentions {
				im := m.internal()
				im.path = p
				b.mentions = append(b.mentions, im)
			}
			b.links = append(b.links, d.Links...)
		}
	}
	return b.finish()
}
