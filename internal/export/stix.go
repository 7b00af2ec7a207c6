package export

import (
	"io"
	"strconv"
	"strings"
)

// STIX 2.1 objects. Struct field order is the key order of the output.
type stixBundle struct {
	Type    string `json:"type"`
	ID      string `json:"id"`
	Objects []any  `json:"objects"`
}

type stixCommon struct {
	Type        string `json:"type"`
	SpecVersion string `json:"spec_version"`
	ID          string `json:"id"`
	Created     string `json:"created"`
	Modified    string `json:"modified"`
}

type stixIdentity struct {
	stixCommon
	Name          string   `json:"name"`
	Description   string   `json:"description,omitempty"`
	IdentityClass string   `json:"identity_class"`
	Sectors       []string `json:"sectors,omitempty"`
	XCountry      string   `json:"x_country,omitempty"`
	XAliases      []string `json:"x_leakscope_aliases,omitempty"`
	XDataTypes    []string `json:"x_leakscope_data_types,omitempty"`
	XVolumeBytes  int64    `json:"x_leakscope_volume_bytes,omitempty"`
	XRecords      int64    `json:"x_leakscope_records,omitempty"`
	XFirstSeen    string   `json:"x_leakscope_first_seen,omitempty"`
	XLastSeen     string   `json:"x_leakscope_last_seen,omitempty"`
	Confidence    int      `json:"confidence,omitempty"`
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
}

type stixExtRef struct {
	SourceName string `json:"source_name"`
	ExternalID string `json:"external_id"`
}

type stixVulnerability struct {
	stixCommon
	Name               string       `json:"name"`
	ExternalReferences []stixExtRef `json:"external_references"`
}

type stixRelationship struct {
	stixCommon
	RelationshipType string `json:"relationship_type"`
	SourceRef        string `json:"source_ref"`
	TargetRef        string `json:"target_ref"`
}

// WriteSTIX writes a STIX 2.1 bundle: the leaking actor as one
// intrusion-set named after the case, an identity (organization) per
// target, an indicator per IOC entity (IP, domain, URL, e-mail, hash) and
// a vulnerability per CVE, tied together by "targets" (intrusion-set ->
// identity, vulnerability) and "indicates" (indicator -> intrusion-set)
// relationships. Ids are UUIDv5 of the object's natural key.
func WriteSTIX(w io.Writer, f *Findings, o Options) error {
	ts := o.created().Format("2006-01-02T15:04:05.000Z")
	common := func(typ string, key ...string) stixCommon {
		return stixCommon{Type: typ, SpecVersion: "2.1", ID: typ + "--" + id(append([]string{"stix", typ}, key...)...),
			Created: ts, Modified: ts}
	}
	objs := []any{}
	actor := stixIntrusionSet{stixCommon: common("intrusion-set", f.Case), Name: clean("leakscope case " + f.Case),
		Description: "The actor whose leaked files were analysed in this case; its targets, the indicators and the vulnerabilities found in the leak."}
	objs = append(objs, actor)
	rel := func(typ, src, dst string) stixRelationship {
		return stixRelationship{stixCommon: common("relationship", typ, src, dst), RelationshipType: typ, SourceRef: src, TargetRef: dst}
	}
	var rels []any
	for _, t := range f.Targets {
		idn := stixIdentity{stixCommon: common("identity", "target", t.Name), Name: clean(t.Name), IdentityClass: "organization",
			XCountry: clean(t.Country), XAliases: cleanAll(t.Aliases), XDataTypes: cleanAll(t.DataTypes),
			XVolumeBytes: t.VolumeBytes, XRecords: t.Records, XFirstSeen: clean(t.FirstSeen), XLastSeen: clean(t.LastSeen),
			Confidence: int(t.Confidence*100 + 0.5)}
		if s := stixSector(t.Sector); s != "" {
			idn.Sectors = []string{s}
		}
		if idn.Confidence > 100 {
			idn.Confidence = 100
		}
		objs = append(objs, idn)
		rels = append(rels, rel("targets", actor.ID, idn.ID))
	}
	for _, e := range f.Entities {
		if e.Type == "cve" {
			name := strings.ToUpper(clean(e.Value))
			v := stixVulnerability{stixCommon: common("vulnerability", name), Name: name,
				ExternalReferences: []stixExtRef{{SourceName: "cve", ExternalID: name}}}
			objs = append(objs, v)
			rels = append(rels, rel("targets", actor.ID, v.ID))
			continue
		}
		p := stixPattern(e.Type, e.Value)
		if p == "" {
			continue
		}
		in := stixIndicator{stixCommon: common("indicator", e.Type, e.Value), Name: clean(e.Type + " " + e.Value),
			Description:    clean(describeMentions(e.Count, e.Paths)),
			IndicatorTypes: []string{"unknown"}, Pattern: p, PatternType: "stix", ValidFrom: ts}
		objs = append(objs, in)
		rels = append(rels, rel("indicates", in.ID, actor.ID))
	}
	objs = append(objs, rels...)
	return encode(w, stixBundle{Type: "bundle", ID: "bundle--" + id("stix", "bundle", f.Case), Objects: objs}, "  ")
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
