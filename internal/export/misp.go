package export

import (
	"io"
	"strconv"
	"strings"

	"github.com/leakscope/leakscope/internal/findings"
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
	Object        []mispObject    `json:"Object"`
	Tag           []mispTag       `json:"Tag"`
}

type mispAttribute struct {
	UUID           string    `json:"uuid"`
	Type           string    `json:"type"`
	Category       string    `json:"category"`
	ObjectRelation string    `json:"object_relation,omitempty"`
	ToIDs          bool      `json:"to_ids"`
	Value          string    `json:"value"`
	Comment        string    `json:"comment"`
	Timestamp      string    `json:"timestamp"`
	FirstSeen      string    `json:"first_seen,omitempty"`
	LastSeen       string    `json:"last_seen,omitempty"`
	Tag            []mispTag `json:"Tag,omitempty"`
}

// mispObject is an instance of a MISP object template.
type mispObject struct {
	UUID            string          `json:"uuid"`
	Name            string          `json:"name"`
	MetaCategory    string          `json:"meta-category"`
	TemplateUUID    string          `json:"template_uuid"`
	TemplateVersion string          `json:"template_version"`
	Description     string          `json:"description"`
	Comment         string          `json:"comment,omitempty"`
	Timestamp       string          `json:"timestamp"`
	Distribution    string          `json:"distribution"`
	Attribute       []mispAttribute `json:"Attribute"`
}

type mispTag struct {
	Name string `json:"name"`
}

// The MISP "victim" object template (misp-objects, objects/victim).
const (
	victimTemplateUUID    = "a8806e40-39ad-435f-be02-ac2a13d6fc7d"
	victimTemplateVersion = "10"
)

// mispType is the MISP attribute type and category of an indicator of
// kind and role, in pairs MISP's describeTypes accepts: a victim's
// address is targeting data, an attacker's a network or delivery
// indicator, anyone else's is recorded without implying either.
func mispType(kind string, role findings.Role) (typ, category string, ok bool) {
	switch kind {
	case "ipv4", "ipv6":
		return "ip-dst", "Network activity", true
	case "domain":
		return "domain", "Network activity", true
	case "url":
		return "url", "Network activity", true
	case "email":
		switch {
		case role == findings.RoleVictim:
			return "target-email", "Targeting data", true
		case role.Detectable():
			return "email-src", "Payload delivery", true
		}
		return "email-src", "Social network", true
	case "md5", "sha1", "sha256":
		return kind, "Payload delivery", true
	case "phone":
		return "phone-number", "Other", true
	}
	return "", "", false
}

// WriteMISP writes one MISP event (the JSON the MISP "add event" API and
// the import dialog take): a "victim" object per target (name, regions,
// sectors, description with volume, records, data types and dates), an
// attribute per indicator whose comment gives its role, a vulnerability
// attribute per CVE, and ATT&CK galaxy tags for the techniques and
// software the leak shows. Only attacker infrastructure is to_ids. The
// event is unpublished, distribution "your organisation only", analysis
// "completed", tagged with o.TLP.
func WriteMISP(w io.Writer, f *Findings, o Options) error {
	c := o.created()
	stamp := strconv.FormatInt(c.Unix(), 10)
	ev := mispEventBody{UUID: f.id("misp", "event"), Info: clean("leakscope case " + f.Case + ": targets, tools and infrastructure from a leak"),
		Date: c.Format("2006-01-02"), Timestamp: stamp, ThreatLevelID: "2", Analysis: "2", Distribution: "0",
		Attribute: []mispAttribute{}, Object: []mispObject{}, Tag: []mispTag{{Name: "tlp:" + o.tlp()}}}
	for _, t := range f.Techniques {
		ev.Tag = append(ev.Tag, mispTag{Name: `misp-galaxy:mitre-attack-pattern="` + galaxyValue(t.Name, t.ID) + `"`})
	}
	for _, t := range f.Tools {
		cluster := "mitre-tool"
		if t.Type == "malware" {
			cluster = "mitre-malware"
		}
		ev.Tag = append(ev.Tag, mispTag{Name: "misp-galaxy:" + cluster + `="` + galaxyValue(t.Name, t.ID) + `"`})
	}
	for _, t := range f.Targets {
		ev.Object = append(ev.Object, victimObject(f, t.Name, t.Country, t.Sector, victimNote(t.DataTypes, t.VolumeBytes, t.Records,
			t.FirstSeen, t.LastSeen, t.Aliases), stamp))
	}
	for _, i := range f.IOCs {
		typ, cat, ok := mispType(i.Kind, i.Role)
		if !ok {
			continue
		}
		a := mispAttribute{UUID: f.id("misp", i.Kind, i.Value), Type: typ, Category: cat, ToIDs: i.Role.Detectable(),
			Value: clean(i.Value), Comment: clean(describeIOC(i)), Timestamp: stamp,
			Tag: []mispTag{{Name: `leakscope:role="` + string(i.Role) + `"`}}}
		a.FirstSeen, a.LastSeen = stixPeriod(i.FirstSeen, i.LastSeen)
		ev.Attribute = append(ev.Attribute, a)
	}
	for _, e := range f.Entities {
		if e.Type != "cve" {
			continue
		}
		ev.Attribute = append(ev.Attribute, mispAttribute{UUID: f.id("misp", e.Type, e.Value), Type: "vulnerability",
			Category: "External analysis", Value: strings.ToUpper(clean(e.Value)),
			Comment: clean(describeMentions(e.Count, e.Paths)), Timestamp: stamp})
	}
	return encode(w, mispEvent{ev}, "  ")
}

// victimObject is a target as a MISP victim object.
func victimObject(f *Findings, name, country, sector, note, stamp string) mispObject {
	obj := mispObject{UUID: f.id("misp", "victim", name), Name: "victim", MetaCategory: "misc",
		TemplateUUID: victimTemplateUUID, TemplateVersion: victimTemplateVersion,
		Description: "Victim object describes the target of an attack or abuse.", Timestamp: stamp, Distribution: "5"}
	add := func(rel, typ, cat, value string) {
		if value == "" {
			return
		}
		obj.Attribute = append(obj.Attribute, mispAttribute{UUID: f.id("misp", "victim", name, rel, value), Type: typ,
			Category: cat, ObjectRelation: rel, Value: clean(value), Timestamp: stamp})
	}
	add("name", "target-org", "Targeting data", name)
	add("classification", "text", "Other", "organization")
	add("regions", "target-location", "Targeting data", country)
	add("sectors", "text", "Other", sector)
	add("description", "text", "Other", note)
	return obj
}

// victimNote is the description of a victim: what was taken, how much
// and when.
func victimNote(dataTypes []string, volume, records int64, first, last string, aliases []string) string {
	var note []string
	if len(dataTypes) > 0 {
		note = append(note, "Data taken: "+strings.Join(dataTypes, ", "))
	}
	if volume > 0 {
		note = append(note, "Volume: "+humanBytes(volume)+" ("+strconv.FormatInt(volume, 10)+" bytes)")
	}
	if records > 0 {
		note = append(note, "Records: "+strconv.FormatInt(records, 10))
	}
	if first != "" || last != "" {
		note = append(note, "Seen: "+first+" to "+last)
	}
	if len(aliases) > 0 {
		note = append(note, "Also known as: "+strings.Join(aliases, "; "))
	}
	return strings.Join(note, ". ")
}

// galaxyValue is the value of a MISP ATT&CK galaxy cluster: "Name - ID".
func galaxyValue(name, id string) string {
	return strings.ReplaceAll(clean(name), `"`, "'") + " - " + id
}
