package export

import (
	"io"
	"strconv"
	"strings"
)

type mispEvent struct {
	Event mispEventBody `json:"Event"`
}

type mispEventBody struct {
	UUID          string          `json:"uuid"`
	Info          string          `json:"info"`
	Date          string          `json:"date"`
	Timestamp     string          `json:"timestamp"`
	ThreatLevelID string          `json:"threat_level_id"`
	Analysis      string          `json:"analysis"`
	Distribution  string          `json:"distribution"`
	Published     bool            `json:"published"`
	Attribute     []mispAttribute `json:"Attribute"`
	Tag           []mispTag       `json:"Tag"`
}

type mispAttribute struct {
	UUID      string `json:"uuid"`
	Type      string `json:"type"`
	Category  string `json:"category"`
	ToIDs     bool   `json:"to_ids"`
	Value     string `json:"value"`
	Comment   string `json:"comment"`
	Timestamp string `json:"timestamp"`
}

type mispTag struct {
	Name string `json:"name"`
}

// mispTypes maps an entity type to its MISP attribute type and category,
// and whether an IDS should alert on it.
var mispTypes = map[string]struct {
	typ, category string
	ids           bool
}{
	"ipv4":   {"ip-dst", "Network activity", true},
	"ipv6":   {"ip-dst", "Network activity", true},
	"domain": {"domain", "Network activity", true},
	"url":    {"url", "Network activity", true},
	"email":  {"email-src", "Payload delivery", true},
	"md5":    {"md5", "Payload delivery", true},
	"sha1":   {"sha1", "Payload delivery", true},
	"sha256": {"sha256", "Payload delivery", true},
	"cve":    {"vulnerability", "External analysis", false},
	"phone":  {"phone-number", "Other", false},
}

// WriteMISP writes one MISP event (the JSON the MISP "add event" API and
// the import dialog take): an attribute per IOC entity, and a target-org
// attribute ("Targeting data") per target with its country and sector in
// the comment. The event is unpublished, distribution "your organisation
// only", analysis "completed".
func WriteMISP(w io.Writer, f *Findings, o Options) error {
	c := o.created()
	stamp := strconv.FormatInt(c.Unix(), 10)
	ev := mispEventBody{UUID: id("misp", "event", f.Case), Info: clean("leakscope case " + f.Case + ": targets and indicators from a leak"),
		Date: c.Format("2006-01-02"), Timestamp: stamp, ThreatLevelID: "2", Analysis: "2", Distribution: "0",
		Attribute: []mispAttribute{}, Tag: []mispTag{{Name: "tlp:amber"}}}
	for _, t := range f.Targets {
		var note []string
		for _, s := range []string{t.Country, t.Sector, strings.Join(t.DataTypes, ", ")} {
			if s != "" {
				note = append(note, s)
			}
		}
		if len(t.Aliases) > 0 {
			note = append(note, "aka "+strings.Join(t.Aliases, "; "))
		}
		ev.Attribute = append(ev.Attribute, mispAttribute{UUID: id("misp", "target-org", t.Name), Type: "target-org",
			Category: "Targeting data", Value: clean(t.Name), Comment: clean(strings.Join(note, " | ")), Timestamp: stamp})
	}
	for _, e := range f.Entities {
		m, ok := mispTypes[e.Type]
		if !ok {
			continue
		}
		v := clean(e.Value)
		if e.Type == "cve" {
			v = strings.ToUpper(v)
		}
		ev.Attribute = append(ev.Attribute, mispAttribute{UUID: id("misp", e.Type, e.Value), Type: m.typ, Category: m.category,
			ToIDs: m.ids, Value: v, Comment: clean(describeMentions(e.Count, e.Paths)), Timestamp: stamp})
	}
	return encode(w, mispEvent{ev}, "  ")
}
