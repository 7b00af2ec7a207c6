package export

import (
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/leakscope/leakscope/internal/findings"
)

// STIX 2.1 objects. Struct field order is the key order of the output.
type stixBundle struct {
	Type    string `json:"type"`
	ID      string `json:"id"`
	Objects []any  `json:"objects"`
}

type stixCommon struct {
	Type          string   `json:"type"`
	SpecVersion   string   `json:"spec_version"`
	ID            string   `json:"id"`
	CreatedByRef  string   `json:"created_by_ref,omitempty"`
	Created       string   `json:"created"`
	Modified      string   `json:"modified"`
	ObjectMarking []string `json:"object_marking_refs,omitempty"`
}

// stixMarking is a TLP 2.0 marking definition exactly as the OASIS
// extension publishes it: fixed id, fixed created time, no creator.
type stixMarking struct {
	Type        string                      `json:"type"`
	SpecVersion string                      `json:"spec_version"`
	ID          string                      `json:"id"`
	Created     string                      `json:"created"`
	Name        string                      `json:"name"`
	Extensions  map[string]stixTLPExtension `json:"extensions"`
}

type stixTLPExtension struct {
	ExtensionType string `json:"extension_type"`
	TLP           string `json:"tlp_2_0"`
}

// tlpExtension is the id of the OASIS TLP 2.0 extension definition.
const tlpExtension = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"

// tlpMarkings are the ids of the official TLP 2.0 marking definitions,
// which every importer knows by id.
var tlpMarkings = map[string]string{
	"clear":        "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
	"green":        "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
	"amber":        "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
	"amber+strict": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
	"red":          "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}

type stixIdentity struct {
	stixCommon
	Name          string   `json:"name"`
	Description   string   `json:"description,omitempty"`
	IdentityClass string   `json:"identity_class"`
	Sectors       []string `json:"sectors,omitempty"`
	XCountry      string   `json:"x_leakscope_country,omitempty"`
	XAliases      []string `json:"x_leakscope_aliases,omitempty"`
}

type stixIntrusionSet struct {
	stixCommon
	Name        string `json:"name"`
	Description string `json:"description"`
}

type stixIndicator struct {
	stixCommon
	Name           string   `json:"name"`
	Description    string   `json:"description,omitempty"`
	IndicatorTypes []string `json:"indicator_types"`
	Pattern        string   `json:"pattern"`
	PatternType    string   `json:"pattern_type"`
	ValidFrom      string   `json:"valid_from"`
	XRole          string   `json:"x_leakscope_role"`
	XRule          string   `json:"x_leakscope_rule,omitempty"`
}

type stixInfrastructure struct {
	stixCommon
	Name                string   `json:"name"`
	Description         string   `json:"description,omitempty"`
	InfrastructureTypes []string `json:"infrastructure_types"`
	FirstSeen           string   `json:"first_seen,omitempty"`
	LastSeen            string   `json:"last_seen,omitempty"`
}

type stixExtRef struct {
	SourceName  string `json:"source_name"`
	ExternalID  string `json:"external_id,omitempty"`
	URL         string `json:"url,omitempty"`
	Description string `json:"description,omitempty"`
}

type stixKillChainPhase struct {
	KillChainName string `json:"kill_chain_name"`
	PhaseName     string `json:"phase_name"`
}

type stixVulnerability struct {
	stixCommon
	Name               string       `json:"name"`
	ExternalReferences []stixExtRef `json:"external_references"`
}

type stixAttackPattern struct {
	stixCommon
	Name               string               `json:"name"`
	Description        string               `json:"description,omitempty"`
	ExternalReferences []stixExtRef         `json:"external_references"`
	KillChainPhases    []stixKillChainPhase `json:"kill_chain_phases,omitempty"`
}

type stixSoftware struct {
	stixCommon
	Name               string       `json:"name"`
	Description        string       `json:"description,omitempty"`
	IsFamily           *bool        `json:"is_family,omitempty"` // malware only, where it is required
	ExternalReferences []stixExtRef `json:"external_references"`
}

type stixRelationship struct {
	stixCommon
	RelationshipType string   `json:"relationship_type"`
	Description      string   `json:"description,omitempty"`
	SourceRef        string   `json:"source_ref"`
	TargetRef        string   `json:"target_ref"`
	StartTime        string   `json:"start_time,omitempty"`
	StopTime         string   `json:"stop_time,omitempty"`
	Confidence       int      `json:"confidence,omitempty"`
	XFirstSeen       string   `json:"x_leakscope_first_seen,omitempty"`
	XLastSeen        string   `json:"x_leakscope_last_seen,omitempty"`
	XVolumeBytes     int64    `json:"x_leakscope_volume_bytes,omitempty"`
	XVolume          string   `json:"x_leakscope_volume,omitempty"`
	XRecords         int64    `json:"x_leakscope_records,omitempty"`
	XDataTypes       []string `json:"x_leakscope_data_types,omitempty"`
	XEvidence        []string `json:"x_leakscope_evidence,omitempty"`
}

// stixTime is the STIX timestamp form: UTC, millisecond precision.
const stixTime = "2006-01-02T15:04:05.000Z"

// WriteSTIX writes a STIX 2.1 bundle that a threat-intelligence platform
// imports without merging it into another case's:
//
//   - the TLP 2.0 marking definition of o.TLP, referenced by every object;
//   - a producer identity (o.Producer) that every object is created_by;
//   - the leaking actor as one intrusion-set;
//   - an identity (organization) per target, with a "targets"
//     relationship from the actor carrying first and last seen
//     (start_time, stop_time), volume, records and data types;
//   - a vulnerability per CVE, an attack-pattern per ATT&CK technique and
//     a malware or tool per ATT&CK software the leak shows, each tied to
//     the actor ("targets", "uses") with its evidence;
//   - for attacker infrastructure only (findings.Role.Detectable), an
//     indicator with valid_from taken from the evidence dates and, for
//     hosts, an infrastructure object; victims', the contractor's and
//     customers' addresses are never indicators.
//
// Ids are UUIDv5 of the object's natural key in the case's namespace.
func WriteSTIX(w io.Writer, f *Findings, o Options) error {
	ts := o.created().Format(stixTime)
	marking := tlpMarkings[o.tlp()]
	producerID := "identity--" + f.id("stix", "identity", "producer", o.producer())
	common := func(typ string, key ...string) stixCommon {
		return stixCommon{Type: typ, SpecVersion: "2.1", ID: typ + "--" + f.id(append([]string{"stix", typ}, key...)...),
			CreatedByRef: producerID, Created: ts, Modified: ts, ObjectMarking: []string{marking}}
	}
	objs := []any{
		stixMarking{Type: "marking-definition", SpecVersion: "2.1", ID: marking, Created: "2022-10-01T00:00:00.000Z",
			Name:       "TLP:" + strings.ToUpper(o.tlp()),
			Extensions: map[string]stixTLPExtension{tlpExtension: {ExtensionType: "property-extension", TLP: o.tlp()}}},
		stixIdentity{stixCommon: stixCommon{Type: "identity", SpecVersion: "2.1", ID: producerID, CreatedByRef: producerID,
			Created: ts, Modified: ts, ObjectMarking: []string{marking}},
			Name: clean(o.producer()), IdentityClass: "organization",
			Description: "Producer of this bundle: the analysis of a leak with leakscope."},
	}
	actor := stixIntrusionSet{stixCommon: common("intrusion-set", "actor"), Name: clean("leakscope case " + f.Case),
		Description: "The actor whose leaked files were analysed in this case: its targets, tools, techniques and infrastructure as the leak shows them."}
	objs = append(objs, actor)
	var rels []any
	rel := func(typ, src, dst string) stixRelationship {
		return stixRelationship{stixCommon: common("relationship", typ, src, dst), RelationshipType: typ, SourceRef: src, TargetRef: dst}
	}
	for _, t := range f.Targets {
		idn := stixIdentity{stixCommon: common("identity", "target", t.Name), Name: clean(t.Name), IdentityClass: "organization",
			XCountry: clean(t.Country), XAliases: cleanAll(t.Aliases)}
		if s := stixSector(t.Sector); s != "" {
			idn.Sectors = []string{s}
		}
		objs = append(objs, idn)
		r := rel("targets", actor.ID, idn.ID)
		r.StartTime, r.StopTime = stixPeriod(t.FirstSeen, t.LastSeen)
		r.XFirstSeen, r.XLastSeen = clean(t.FirstSeen), clean(t.LastSeen)
		r.XVolumeBytes, r.XRecords, r.XDataTypes = t.VolumeBytes, t.Records, cleanAll(t.DataTypes)
		if t.VolumeBytes > 0 {
			r.XVolume = humanBytes(t.VolumeBytes)
		}
		r.Confidence = min(int(t.Confidence*100+0.5), 100)
		for _, e := range t.Evidence {
			r.XEvidence = append(r.XEvidence, clean(e.Path))
		}
		rels = append(rels, r)
	}
	for _, e := range f.Entities {
		if e.Type != "cve" {
			continue
		}
		name := strings.ToUpper(clean(e.Value))
		v := stixVulnerability{stixCommon: common("vulnerability", name), Name: name,
			ExternalReferences: []stixExtRef{{SourceName: "cve", ExternalID: name}}}
		objs = append(objs, v)
		rels = append(rels, rel("targets", actor.ID, v.ID))
	}
	for _, t := range f.Techniques {
		ap := stixAttackPattern{stixCommon: common("attack-pattern", t.ID), Name: clean(t.Name),
			Description:        clean(describeEvidence(t.Evidence)),
			ExternalReferences: []stixExtRef{{SourceName: "mitre-attack", ExternalID: t.ID, URL: t.URL()}}}
		for _, tac := range t.Tactics {
			ap.KillChainPhases = append(ap.KillChainPhases, stixKillChainPhase{KillChainName: "mitre-attack", PhaseName: tac})
		}
		objs = append(objs, ap)
		r := rel("uses", actor.ID, ap.ID)
		r.Description = clean("Rules: " + strings.Join(t.Rules, ", "))
		r.XEvidence = evidencePaths(t.Evidence)
		rels = append(rels, r)
	}
	for _, t := range f.Tools {
		typ := "tool"
		var family *bool
		if t.Type == "malware" {
			typ, family = "malware", new(bool)
			*family = true
		}
		sw := stixSoftware{stixCommon: common(typ, t.ID), Name: clean(t.Name), IsFamily: family,
			Description:        clean(describeEvidence(t.Evidence)),
			ExternalReferences: []stixExtRef{{SourceName: "mitre-attack", ExternalID: t.ID, URL: t.URL()}}}
		objs = append(objs, sw)
		r := rel("uses", actor.ID, sw.ID)
		r.XEvidence = evidencePaths(t.Evidence)
		rels = append(rels, r)
	}
	for _, i := range f.IOCs {
		if !i.Role.Detectable() {
			continue
		}
		p := stixPattern(i.Kind, i.Value)
		if p == "" {
			continue
		}
		validFrom := ts
		if s, _ := stixPeriod(i.FirstSeen, ""); s != "" {
			validFrom = s
		}
		in := stixIndicator{stixCommon: common("indicator", i.Kind, i.Value), Name: clean(i.Kind + " " + i.Value),
			Description:    clean(describeIOC(i)),
			IndicatorTypes: []string{"malicious-activity"}, Pattern: p, PatternType: "stix", ValidFrom: validFrom,
			XRole: string(i.Role), XRule: i.Rule}
		objs = append(objs, in)
		rels = append(rels, rel("indicates", in.ID, actor.ID))
		if i.Kind != "ipv4" && i.Kind != "ipv6" && i.Kind != "domain" {
			continue
		}
		typ := string(i.Purpose)
		if typ == "" {
			typ = "unknown"
		}
		infra := stixInfrastructure{stixCommon: common("infrastructure", i.Kind, i.Value), Name: clean(i.Value),
			Description: clean(describeIOC(i)), InfrastructureTypes: []string{typ}}
		infra.FirstSeen, infra.LastSeen = stixPeriod(i.FirstSeen, i.LastSeen)
		objs = append(objs, infra)
		rels = append(rels, rel("uses", actor.ID, infra.ID), rel("indicates", in.ID, infra.ID))
	}
	objs = append(objs, rels...)
	return encode(w, stixBundle{Type: "bundle", ID: "bundle--" + f.id("stix", "bundle"), Objects: objs}, "  ")
}

// stixPeriod turns the first and last dates of a finding ("2021-06",
// "2021-06-05", RFC 3339) into STIX timestamps: the start of the first
// and the end of the last (the start of the day or month after it), so
// that stop_time is later than start_time as STIX requires even when
// both dates are the same month. An unparseable or missing date gives "".
func stixPeriod(first, last string) (start, stop string) {
	from, _, hasFrom := parseDate(first)
	if hasFrom {
		start = from.Format(stixTime)
	}
	if _, next, ok := parseDate(last); ok && (!hasFrom || next.After(from)) {
		stop = next.Format(stixTime)
	}
	return start, stop
}

// parseDate parses a date of the forms findings and targets write and
// returns its start and the start of the period after it.
func parseDate(s string) (t, next time.Time, ok bool) {
	s = strings.TrimSpace(s)
	for _, l := range []struct {
		layout string
		step   func(time.Time) time.Time
	}{
		{time.RFC3339, func(t time.Time) time.Time { return t.Add(time.Second) }},
		{"2006-01-02", func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }},
		{"2006-01", func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }},
		{"2006", func(t time.Time) time.Time { return t.AddDate(1, 0, 0) }},
	} {
		if t, err := time.Parse(l.layout, s); err == nil {
			t = t.UTC()
			return t, l.step(t), true
		}
	}
	return time.Time{}, time.Time{}, false
}

// describeIOC says what an indicator is, by which rule and where it was
// seen.
func describeIOC(i findings.IOC) string {
	var b strings.Builder
	b.WriteString("Role: " + string(i.Role))
	if i.Purpose != "" {
		b.WriteString(" (" + string(i.Purpose) + ")")
	}
	if i.Rule != "" {
		b.WriteString(", decided by rule " + i.Rule)
	}
	b.WriteString(". Mentioned " + strconv.Itoa(i.Mentions) + " times in the leak")
	if i.FirstSeen != "" {
		b.WriteString(", dated " + i.FirstSeen)
		if i.LastSeen != i.FirstSeen {
			b.WriteString(" to " + i.LastSeen)
		}
	}
	b.WriteString(". ")
	b.WriteString(describeEvidence(i.Evidence))
	return b.String()
}

// describeEvidence lists evidence as "path: line" sentences.
func describeEvidence(ev []findings.Evidence) string {
	var parts []string
	for _, e := range ev {
		parts = append(parts, e.Path+": "+e.Snippet)
	}
	if len(parts) == 0 {
		return ""
	}
	return "Evidence: " + strings.Join(parts, " | ")
}

func evidencePaths(ev []findings.Evidence) []string {
	var out []string
	for _, e := range ev {
		out = append(out, clean(e.Path))
	}
	return out
}

// describeMentions says how often and where an entity was seen.
func describeMentions(count int, paths []string) string {
	var b strings.Builder
	b.WriteString("Mentioned ")
	b.WriteString(strconv.Itoa(count))
	b.WriteString(" times in the leak")
	if len(paths) > 0 {
		b.WriteString(", first in ")
		b.WriteString(paths[0])
	}
	return b.String()
}

// stixPattern is the STIX pattern matching an IOC of the entity type kind,
// or "" for types that are not observables.
func stixPattern(kind, value string) string {
	var path string
	switch kind {
	case "ipv4":
		path = "ipv4-addr:value"
	case "ipv6":
		path = "ipv6-addr:value"
	case "domain":
		path = "domain-name:value"
	case "url":
		path = "url:value"
	case "email":
		path = "email-addr:value"
	case "md5":
		path, value = "file:hashes.MD5", strings.ToLower(value)
	case "sha1":
		path, value = "file:hashes.'SHA-1'", strings.ToLower(value)
	case "sha256":
		path, value = "file:hashes.'SHA-256'", strings.ToLower(value)
	default:
		return ""
	}
	return "[" + path + " = " + stixString(value) + "]"
}

// stixString quotes s as a STIX pattern string literal: single quotes,
// with backslash and quote escaped.
func stixString(s string) string {
	s = clean(s)
	s = strings.ReplaceAll(s, `\`, `\\`)
	s = strings.ReplaceAll(s, `'`, `\'`)
	return "'" + s + "'"
}

// stixSector maps a register sector to the STIX industry-sector-ov
// vocabulary; an unknown sector is kept as a lowercase hyphenated word
// (the vocabulary is open).
func stixSector(s string) string {
	k := strings.ToLower(strings.TrimSpace(clean(s)))
	if k == "" {
		return ""
	}
	for _, m := range []struct{ words, ov string }{
		{"defen,military,army", "defense"},
		{"telecom", "telecommunications"},
		{"health,hospital,medical", "healthcare"},
		{"police,law enforcement,security service", "government-public-services"},
		{"government,ministry,public", "government-national"},
		{"financ,bank", "financial-services"},
		{"energy,oil,power", "energy"},
		{"education,university,research,academ", "education"},
		{"aviation,airline,airport", "aviation"},
		{"transport,logistics,shipping", "transportation"},
		{"technolog,software,it ", "technology"},
		{"media,news,press", "entertainment"},
		{"diplomat,foreign affairs,embassy", "government-national"},
	} {
		for _, w := range strings.Split(m.words, ",") {
			if strings.Contains(k+" ", w) {
				return m.ov
			}
		}
	}
	var b strings.Builder
	for _, r := range k {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	return strings.Trim(b.String(), "-")
}

func cleanAll(ss []string) []string {
	if len(ss) == 0 {
		return nil
	}
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = clean(s)
	}
	return out
}
