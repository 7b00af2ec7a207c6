package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"
)

// These validators parse an export back the way its importer would and
// check what the importer requires. The OASIS STIX JSON schemas and the
// FtM and MISP definitions are not vendored (no package of the registries
// this project uses ships them), so the required properties, vocabularies
// and category/type pairs below are transcribed from the specifications:
// STIX 2.1 (sections 4 to 7), MISP describeTypes, FollowTheMoney 3.8.

func validCSV(cols, rows int) func(*testing.T, []byte) {
	return func(t *testing.T, out []byte) {
		body, ok := bytes.CutPrefix(out, []byte("\uFEFF"))
		if !ok {
			t.Errorf("no UTF-8 byte order mark: Excel would read the file in its legacy code page")
		}
		recs, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != rows {
			t.Fatalf("%d rows, want %d", len(recs), rows)
		}
		for _, r := range recs {
			if len(r) != cols {
				t.Fatalf("row of %d columns, want %d: %q", len(r), cols, r)
			}
			for _, c := range r {
				if c != "" && strings.ContainsRune("=+-@", rune(c[0])) {
					t.Errorf("cell %q would run as a formula", c)
				}
			}
		}
		if i := slices.Index(recs[0], "volume_bytes"); i >= 0 && recs[0][i+1] != "volume" {
			t.Errorf("no human volume beside volume_bytes: %q", recs[0])
		}
	}
}

func validJSON(t *testing.T, out []byte) {
	var got map[string]json.RawMessage
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"format", "case", "targets", "entities", "persons", "edges", "conversations", "iocs",
		"techniques", "tools"} {
		if v, ok := got[k]; !ok || string(v) == "null" {
			t.Errorf("key %s missing or null", k)
		}
	}
}

// stixRequired are the required properties of each STIX 2.1 object type
// leakscope writes, beyond type, spec_version and id (common to all).
var stixRequired = map[string][]string{
	"marking-definition": {"created"},
	"identity":           {"created", "modified", "name"},
	"intrusion-set":      {"created", "modified", "name"},
	"indicator":          {"created", "modified", "pattern", "pattern_type", "valid_from"},
	"infrastructure":     {"created", "modified", "name"},
	"vulnerability":      {"created", "modified", "name"},
	"attack-pattern":     {"created", "modified", "name"},
	"malware":            {"created", "modified", "name", "is_family"},
	"tool":               {"created", "modified", "name"},
	"relationship":       {"created", "modified", "relationship_type", "source_ref", "target_ref"},
}

// stixRelationships are the relationship types STIX 2.1 defines between
// the types leakscope links (section 4, "Relationships" of each SDO).
var stixRelationships = map[[3]string]bool{
	{"intrusion-set", "targets", "identity"}:      true,
	{"intrusion-set", "targets", "vulnerability"}: true,
	{"intrusion-set", "uses", "attack-pattern"}:   true,
	{"intrusion-set", "uses", "malware"}:          true,
	{"intrusion-set", "uses", "tool"}:             true,
	{"intrusion-set", "uses", "infrastructure"}:   true,
	{"indicator", "indicates", "intrusion-set"}:   true,
	{"indicator", "indicates", "infrastructure"}:  true,
}

// stixOV are the closed or suggested vocabularies leakscope draws from.
var stixOV = map[string][]string{
	"indicator_types":      {"anomalous-activity", "anonymization", "benign", "compromised", "malicious-activity", "attribution", "unknown"},
	"infrastructure_types": {"amplification", "anonymization", "botnet", "command-and-control", "control-system", "exfiltration", "firewall", "hosting-malware", "hosting-target-lists", "phishing", "reconnaissance", "routers-switches", "staging", "workstation", "unknown"},
	"identity_class":       {"individual", "group", "system", "organization", "class", "unknown"},
}

var (
	stixIDRE   = regexp.MustCompile(`^[a-z][a-z0-9-]+--[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	stixTSRE   = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$`)
	stixPropRE = regexp.MustCompile(`^[a-z0-9_]{3,250}$`)
)

func validSTIX(t *testing.T, out []byte) {
	count := checkSTIX(t, out)
	want := map[string]int{"marking-definition": 1, "identity": 3, "intrusion-set": 1, "indicator": 4, "infrastructure": 2,
		"vulnerability": 1, "attack-pattern": 2, "malware": 1, "tool": 1, "relationship": 15}
	if diff := cmp.Diff(want, count); diff != "" {
		t.Errorf("object counts (-want +got):\n%s", diff)
	}
}

// checkSTIX checks a bundle against the rules of STIX 2.1 and returns
// its object counts by type.
func checkSTIX(t *testing.T, out []byte) map[string]int {
	t.Helper()
	var b struct {
		Type    string           `json:"type"`
		ID      string           `json:"id"`
		Objects []map[string]any `json:"objects"`
	}
	if err := json.Unmarshal(out, &b); err != nil {
		t.Fatal(err)
	}
	if b.Type != "bundle" || !stixIDRE.MatchString(b.ID) || !strings.HasPrefix(b.ID, "bundle--") {
		t.Errorf("bundle %s %s", b.Type, b.ID)
	}
	byID := map[string]map[string]any{}
	count := map[string]int{}
	for _, o := range b.Objects {
		id, _ := o["id"].(string)
		typ, _ := o["type"].(string)
		count[typ]++
		if !stixIDRE.MatchString(id) || !strings.HasPrefix(id, typ+"--") {
			t.Errorf("id %q of a %s", id, typ)
		}
		if byID[id] != nil {
			t.Errorf("duplicate id %s", id)
		}
		byID[id] = o
		if o["spec_version"] != "2.1" {
			t.Errorf("%s: spec_version %v", id, o["spec_version"])
		}
		req, ok := stixRequired[typ]
		if !ok {
			t.Errorf("%s: unexpected type", id)
		}
		for _, k := range req {
			if _, ok := o[k]; !ok {
				t.Errorf("%s: required property %s missing", id, k)
			}
		}
		for k, v := range o {
			if strings.HasPrefix(k, "x_") && !stixPropRE.MatchString(k) {
				t.Errorf("%s: custom property name %q", id, k)
			}
			if s, ok := v.(string); ok && (k == "created" || k == "modified" || strings.HasSuffix(k, "_time") ||
				k == "valid_from" || k == "first_seen" || k == "last_seen") && !stixTSRE.MatchString(s) {
				t.Errorf("%s: %s %q is not a STIX timestamp", id, k, s)
			}
			if vocab, ok := stixOV[k]; ok {
				for _, w := range asStrings(v) {
					if !slices.Contains(vocab, w) {
						t.Errorf("%s: %s %q not in the vocabulary", id, k, w)
					}
				}
			}
		}
		if typ == "indicator" {
			p, _ := o["pattern"].(string)
			if err := parsePattern(p); err != nil {
				t.Errorf("%s: pattern %q: %v", id, p, err)
			}
			if o["x_leakscope_role"] != "attacker-infrastructure" && o["x_leakscope_role"] != "phishing" {
				t.Errorf("%s: an indicator of role %v", id, o["x_leakscope_role"])
			}
		}
		if typ == "marking-definition" {
			if !slices.Contains(mapsValues(tlpMarkings), id) {
				t.Errorf("%s is not a TLP 2.0 marking definition", id)
			}
		}
		if s, e := o["start_time"], o["stop_time"]; s != nil && e != nil && s.(string) >= e.(string) {
			t.Errorf("%s: stop_time %v not later than start_time %v", id, e, s)
		}
	}
	markings := 0
	for id, o := range byID {
		typ := o["type"].(string)
		if typ == "marking-definition" {
			markings++
			continue
		}
		creator, _ := o["created_by_ref"].(string)
		if byID[creator] == nil || byID[creator]["type"] != "identity" {
			t.Errorf("%s: created_by_ref %q is not an identity in the bundle", id, creator)
		}
		refs := asStrings(o["object_marking_refs"])
		if len(refs) != 1 || byID[refs[0]] == nil {
			t.Errorf("%s: object_marking_refs %v", id, refs)
		}
		if typ == "relationship" {
			src, dst := byID[o["source_ref"].(string)], byID[o["target_ref"].(string)]
			if src == nil || dst == nil {
				t.Fatalf("dangling relationship %v", o)
			}
			k := [3]string{src["type"].(string), o["relationship_type"].(string), dst["type"].(string)}
			if !stixRelationships[k] {
				t.Errorf("%s: relationship %v is not one STIX defines", id, k)
			}
		}
	}
	if markings != 1 {
		t.Errorf("%d marking definitions, want 1", markings)
	}
	return count
}

func asStrings(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			s, _ := x.(string)
			out = append(out, s)
		}
		return out
	}
	return nil
}

func mapsValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// parsePattern checks a STIX 2.1 pattern against the patterning grammar
// (STIX 2.1 section 9): observation expressions joined by AND, OR and
// FOLLOWEDBY, each a bracketed comparison expression of object paths,
// operators and literals joined by AND and OR.
func parsePattern(p string) error {
	ps := &patternParser{s: p}
	if err := ps.observations(); err != nil {
		return err
	}
	ps.space()
	if ps.i != len(ps.s) {
		return fmt.Errorf("trailing text at %d", ps.i)
	}
	return nil
}

type patternParser struct {
	s string
	i int
}

func (p *patternParser) space() {
	for p.i < len(p.s) && unicode.IsSpace(rune(p.s[p.i])) {
		p.i++
	}
}

func (p *patternParser) word(ws ...string) (string, bool) {
	p.space()
	for _, w := range ws {
		if strings.HasPrefix(p.s[p.i:], w) {
			p.i += len(w)
			return w, true
		}
	}
	return "", false
}

func (p *patternParser) observations() error {
	for {
		if _, ok := p.word("("); ok {
			if err := p.observations(); err != nil {
				return err
			}
			if _, ok := p.word(")"); !ok {
				return fmt.Errorf("missing ) at %d", p.i)
			}
		} else {
			if _, ok := p.word("["); !ok {
				return fmt.Errorf("want [ at %d", p.i)
			}
			if err := p.comparisons(); err != nil {
				return err
			}
			if _, ok := p.word("]"); !ok {
				return fmt.Errorf("want ] at %d", p.i)
			}
		}
		if _, ok := p.word("AND ", "OR ", "FOLLOWEDBY "); !ok {
			return nil
		}
	}
}

var (
	objectPathRE = regexp.MustCompile(`^[a-z0-9-]+:(?:[a-z0-9_]+|'(?:[^'\\]|\\.)*')(?:\.(?:[A-Za-z0-9_]+|'(?:[^'\\]|\\.)*')|\[(?:\d+|\*)\])*`)
	literalRE    = regexp.MustCompile(`^(?:'(?:[^'\\]|\\['\\])*'|[th]'[^']*'|b'[A-Za-z0-9+/=]*'|-?\d+(?:\.\d+)?|true|false)`)
)

func (p *patternParser) comparisons() error {
	for {
		p.space()
		if _, ok := p.word("NOT "); ok {
			p.space()
		}
		m := objectPathRE.FindString(p.s[p.i:])
		if m == "" {
			return fmt.Errorf("want an object path at %d", p.i)
		}
		p.i += len(m)
		if _, ok := p.word("!=", "<=", ">=", "=", "<", ">", "LIKE ", "MATCHES ", "ISSUBSET ", "ISSUPERSET "); !ok {
			return fmt.Errorf("want an operator at %d", p.i)
		}
		p.space()
		lit := literalRE.FindString(p.s[p.i:])
		if lit == "" {
			return fmt.Errorf("want a literal at %d", p.i)
		}
		p.i += len(lit)
		if _, ok := p.word("AND ", "OR "); !ok {
			return nil
		}
	}
}

func TestParsePattern(t *testing.T) {
	tests := []struct {
		name, pattern string
		ok            bool
	}{
		{"ip", "[ipv4-addr:value = '198.51.100.1']", true},
		{"hash", "[file:hashes.'SHA-256' = 'ab']", true},
		{"escaped quote", `[url:value = 'http://a/\'b\\']`, true},
		{"two observations", "[ipv4-addr:value = '1.2.3.4'] OR [domain-name:value = 'a.example']", true},
		{"unescaped quote", "[url:value = 'a'b']", false},
		{"no brackets", "ipv4-addr:value = '1.2.3.4'", false},
		{"bad path", "[IPv4:value = '1']", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := parsePattern(tt.pattern); (err == nil) != tt.ok {
				t.Errorf("parsePattern(%q) = %v, want ok %v", tt.pattern, err, tt.ok)
			}
		})
	}
}

// mispCategoryTypes are the category/type pairs MISP's describeTypes
// allows, for the types leakscope writes.
var mispCategoryTypes = map[string][]string{
	"Network activity":  {"ip-src", "ip-dst", "hostname", "domain", "email-dst", "url", "comment", "text", "other"},
	"Payload delivery":  {"md5", "sha1", "sha256", "ip-src", "ip-dst", "hostname", "domain", "email-src", "email-dst", "url", "vulnerability", "comment", "text", "other"},
	"Social network":    {"email-src", "email-dst", "comment", "text", "other"},
	"Targeting data":    {"target-user", "target-email", "target-machine", "target-org", "target-location", "target-external", "comment"},
	"External analysis": {"md5", "sha1", "sha256", "ip-src", "ip-dst", "hostname", "domain", "url", "vulnerability", "comment", "text", "other"},
	"Other":             {"comment", "text", "other", "phone-number", "datetime", "size-in-bytes", "counter"},
}

// victimRelations are the object relations of the MISP victim template
// and the attribute type each takes.
var victimRelations = map[string]string{"classification": "text", "description": "text", "domain": "domain",
	"email": "target-email", "external": "target-external", "ip-address": "ip-dst", "name": "target-org",
	"node": "target-machine", "reference": "text", "regions": "target-location", "roles": "text", "sectors": "text",
	"user": "target-user"}

type mispAttr struct {
	UUID, Type, Category, Value string
	ObjectRelation              string `json:"object_relation"`
	ToIDs                       bool   `json:"to_ids"`
	Tag                         []struct{ Name string }
}

func validMISP(t *testing.T, out []byte) {
	var ev struct {
		Event struct {
			UUID      string     `json:"uuid"`
			Info      string     `json:"info"`
			Attribute []mispAttr `json:"Attribute"`
			Object    []struct {
				Name         string     `json:"name"`
				TemplateUUID string     `json:"template_uuid"`
				Attribute    []mispAttr `json:"Attribute"`
			} `json:"Object"`
			Tag []struct{ Name string } `json:"Tag"`
		} `json:"Event"`
	}
	if err := json.Unmarshal(out, &ev); err != nil {
		t.Fatal(err)
	}
	check := func(a mispAttr) {
		if !slices.Contains(mispCategoryTypes[a.Category], a.Type) {
			t.Errorf("attribute %s: category %q does not take type %q", a.Value, a.Category, a.Type)
		}
	}
	types := map[string]int{}
	for _, a := range ev.Event.Attribute {
		check(a)
		types[a.Type]++
		var role string
		for _, tg := range a.Tag {
			if r, ok := strings.CutPrefix(tg.Name, "leakscope:role="); ok {
				role = strings.Trim(r, `"`)
			}
		}
		if a.ToIDs != (role == "attacker-infrastructure" || role == "phishing") {
			t.Errorf("%s (%s): to_ids %v", a.Value, role, a.ToIDs)
		}
	}
	want := map[string]int{"ip-dst": 2, "domain": 1, "url": 1, "email-src": 3, "target-email": 1, "md5": 1, "sha1": 1,
		"vulnerability": 1, "phone-number": 1}
	if diff := cmp.Diff(want, types); diff != "" {
		t.Errorf("attribute types (-want +got):\n%s", diff)
	}
	if len(ev.Event.Object) != 2 {
		t.Errorf("%d objects, want a victim per target", len(ev.Event.Object))
	}
	for _, o := range ev.Event.Object {
		if o.Name != "victim" || o.TemplateUUID != victimTemplateUUID {
			t.Errorf("object %s %s", o.Name, o.TemplateUUID)
		}
		for _, a := range o.Attribute {
			check(a)
			if victimRelations[a.ObjectRelation] != a.Type {
				t.Errorf("victim relation %q of type %q", a.ObjectRelation, a.Type)
			}
		}
	}
	var tags []string
	for _, tg := range ev.Event.Tag {
		tags = append(tags, tg.Name)
	}
	wantTags := []string{"tlp:amber", `misp-galaxy:mitre-attack-pattern="Spearphishing Attachment - T1566.001"`,
		`misp-galaxy:mitre-attack-pattern="Web Shell - T1505.003"`, `misp-galaxy:mitre-malware="Cobalt Strike - S0154"`,
		`misp-galaxy:mitre-tool="Mimikatz - S0002"`}
	if diff := cmp.Diff(wantTags, tags); diff != "" {
		t.Errorf("tags (-want +got):\n%s", diff)
	}
}

// ftmProperties are the FollowTheMoney 3.8 properties leakscope writes
// for each schema, with the schemas an entity reference may point to.
var ftmProperties = map[string][]string{
	"Organization": {"name", "alias", "country", "sector", "notes", "email", "website", "phone"},
	"Membership":   {"member", "organization", "role"},
	"Person":       {"name", "alias", "email", "phone"},
	"Document": {"title", "fileName", "mimeType", "fileSize", "language", "notes", "emailMentioned", "ipMentioned",
		"phoneMentioned", "peopleMentioned", "companiesMentioned"},
	"Folder":      {"title", "fileName"},
	"Message":     {"bodyText", "parent", "sender", "date", "peopleMentioned"},
	"UnknownLink": {"subject", "object", "role", "summary"},
}

var ftmRefs = map[string][]string{
	"member":       {"Person", "Organization"},
	"organization": {"Organization"},
	"parent":       {"Folder"},
	"sender":       {"Person", "Organization"},
	"subject":      {"Person", "Organization", "Folder", "Document"},
	"object":       {"Person", "Organization", "Folder", "Document"},
}

func validFTM(t *testing.T, out []byte) {
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	schemas := map[string]int{}
	byID := map[string]ftmEntity{}
	for _, l := range lines {
		var e ftmEntity
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			t.Fatalf("invalid JSON line %q: %v", l, err)
		}
		if e.ID == "" || len(e.Properties) == 0 {
			t.Errorf("entity without id or properties: %s", l)
		}
		if _, dup := byID[e.ID]; dup {
			t.Errorf("duplicate id %s", e.ID)
		}
		byID[e.ID] = e
		schemas[e.Schema]++
		for k, v := range e.Properties {
			if !slices.Contains(ftmProperties[e.Schema], k) {
				t.Errorf("%s has no property %q", e.Schema, k)
			}
			if k == "country" && v[0] != strings.ToLower(v[0]) {
				t.Errorf("country %q not lowercase", v)
			}
			if k == "language" && len(v[0]) != 3 {
				t.Errorf("language %q is not ISO 639-2", v)
			}
		}
	}
	for _, e := range byID {
		for k, schemas := range ftmRefs {
			for _, ref := range e.Properties[k] {
				if target, ok := byID[ref]; !ok || !slices.Contains(schemas, target.Schema) {
					t.Errorf("%s %s: %s %q is not a %v in the export", e.Schema, e.ID, k, ref, schemas)
				}
			}
		}
	}
	want := map[string]int{"Organization": 3, "Person": 3, "Document": 2, "Folder": 2, "Message": 3, "UnknownLink": 3, "Membership": 1}
	if diff := cmp.Diff(want, schemas); diff != "" {
		t.Errorf("schemas (-want +got):\n%s", diff)
	}
}

func validGEXF(t *testing.T, out []byte) {
	var g gexfDoc
	if err := xml.Unmarshal(out, &g); err != nil {
		t.Fatal(err)
	}
	kind := map[string]string{}
	for _, n := range g.Graph.Nodes {
		for _, v := range n.Values {
			if v.For == "kind" {
				kind[n.ID] = v.Value
			}
		}
		if kind[n.ID] == "person" && strings.HasPrefix(n.Label, groupPrefix) {
			t.Errorf("group chat %q is a person node", n.Label)
		}
	}
	labels := map[string]int{}
	for _, e := range g.Graph.Edges {
		if kind[e.Source] == "" || kind[e.Target] == "" {
			t.Errorf("edge %s to a missing node", e.ID)
		}
		labels[e.Label]++
		if e.Label == "posts-to" && kind[e.Target] != "group" {
			t.Errorf("edge %s posts to a %s", e.ID, kind[e.Target])
		}
	}
	if len(g.Graph.Nodes) != 4 {
		t.Errorf("%d nodes, want 4", len(g.Graph.Nodes))
	}
	if diff := cmp.Diff(map[string]int{"talks-to": 2, "posts-to": 1, "member": 2}, labels); diff != "" {
		t.Errorf("edge labels (-want +got):\n%s", diff)
	}
}

// TestCaseIDs exports two cases with the same folder name but different
// case UUIDs: no id of one appears in the other, in any format. The same
// case exported twice keeps its ids.
func TestCaseIDs(t *testing.T) {
	uuidRE := regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	// Published ids every importer knows: the TLP 2.0 extension and its
	// markings, the MISP victim template.
	fixedIDs := map[string]bool{victimTemplateUUID: true, strings.TrimPrefix(tlpExtension, "extension-definition--"): true}
	for _, m := range tlpMarkings {
		fixedIDs[strings.TrimPrefix(m, "marking-definition--")] = true
	}
	ids := func(t *testing.T, f *Findings, format string) map[string]bool {
		var b bytes.Buffer
		if err := Write(&b, format, f, Options{Created: time.Unix(0, 0)}); err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for _, u := range uuidRE.FindAllString(b.String(), -1) {
			if !fixedIDs[u] {
				out[u] = true
			}
		}
		return out
	}
	for _, format := range []string{"stix", "misp", "ftm", "gexf"} {
		t.Run(format, func(t *testing.T) {
			a, b := sample(), sample()
			b.CaseUUID = "7d444840-9dc0-41c9-8c2b-3e4f1a5b6c7d"
			ia, ib := ids(t, a, format), ids(t, b, format)
			if len(ia) == 0 {
				t.Fatal("no ids found")
			}
			for u := range ia {
				if ib[u] {
					t.Errorf("id %s in both cases", u)
				}
			}
			if diff := cmp.Diff(ia, ids(t, sample(), format)); diff != "" {
				t.Errorf("re-export changed ids (-first +second):\n%s", diff)
			}
		})
	}
}

// TestTLP checks that every TLP 2.0 label becomes its official marking
// definition in STIX and its tag in MISP, and that an unknown label is
// refused rather than exported unmarked.
func TestTLP(t *testing.T) {
	for _, label := range TLPs {
		t.Run(label, func(t *testing.T) {
			var s, m bytes.Buffer
			o := Options{TLP: label}
			if err := Write(&s, "stix", sample(), o); err != nil {
				t.Fatal(err)
			}
			if err := Write(&m, "misp", sample(), o); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(s.String(), `"id": "`+tlpMarkings[label]+`"`) ||
				!strings.Contains(s.String(), `"tlp_2_0": "`+label+`"`) {
				t.Errorf("stix has no %s marking definition", label)
			}
			if !strings.Contains(m.String(), `"name": "tlp:`+label+`"`) {
				t.Errorf("misp has no tlp:%s tag", label)
			}
		})
	}
	if err := Write(&bytes.Buffer{}, "stix", sample(), Options{TLP: "white"}); err == nil || !strings.Contains(err.Error(), "TLP") {
		t.Errorf("TLP white (1.0) accepted: %v", err)
	}
}

// TestSTIXValidFrom checks that an indicator is valid from the first date
// of its evidence, and from the export time only when no date is known.
func TestSTIXValidFrom(t *testing.T) {
	var b bytes.Buffer
	if err := WriteSTIX(&b, sample(), fixed); err != nil {
		t.Fatal(err)
	}
	var bundle struct {
		Objects []map[string]any `json:"objects"`
	}
	json.Unmarshal(b.Bytes(), &bundle)
	got := map[string]string{}
	for _, o := range bundle.Objects {
		if o["type"] == "indicator" {
			got[o["pattern"].(string)] = o["valid_from"].(string)
		}
	}
	want := map[string]string{
		"[ipv4-addr:value = '203.0.113.7']":                      "2021-03-01T00:00:00.000Z",
		"[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']": "2021-04-01T00:00:00.000Z",
		"[domain-name:value = 'evil.example']":                   "2026-01-02T03:04:05.000Z",
		`[url:value = 'http://evil.example/a?b=\'c\'']`:          "2026-01-02T03:04:05.000Z",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("valid_from by pattern (-want +got):\n%s", diff)
	}
}

func validHTML(t *testing.T, out []byte) {
	validHTMLShape(t, out)
	s := string(out)
	for _, want := range []string{"TLP:AMBER", "Ministry of Finance", "T1566.001", "203[.]0[.]113[.]7", "ops[@]evil[.]example",
		"Method and caveats", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"} {
		if !strings.Contains(s, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

// validHTMLShape parses the report as a browser would: no script, no
// element or attribute from a leaked string, and every in-page link
// leads to an element of the page.
func validHTMLShape(t *testing.T, out []byte) {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	ids, links := map[string]bool{}, []string{}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "img", "iframe", "object", "embed":
				t.Errorf("<%s> in the report", n.Data)
			}
			for _, a := range n.Attr {
				switch {
				case a.Key == "id":
					ids[a.Val] = true
				case a.Key == "href" && strings.HasPrefix(a.Val, "#"):
					links = append(links, a.Val[1:])
				case strings.HasPrefix(a.Key, "on"):
					t.Errorf("event handler %s in the report", a.Key)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	for _, l := range links {
		if !ids[l] {
			t.Errorf("link #%s leads nowhere", l)
		}
	}
	if !bytes.Contains(out, []byte(`class="tlp`)) {
		t.Errorf("no TLP banner")
	}
}
