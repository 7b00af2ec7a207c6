package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/chat/people"
	"github.com/leakscope/leakscope/internal/enrich"
	lsgolden "github.com/leakscope/leakscope/internal/golden"
	"github.com/leakscope/leakscope/internal/store"
	"github.com/leakscope/leakscope/internal/target"
)

// sample is a small hand-made case with the awkward strings real leaks
// have: Chinese names, quotes, HTML, formula-looking cells, INT.
func sample() *Findings {
	return &Findings{
		Case: "demo",
		Targets: []target.Target{
			{Name: "Ministry of Finance", Aliases: []string{"财政部", "MoF"}, Country: "IN", Sector: "government",
				DataTypes: []string{"email", "documents"}, VolumeBytes: 1610612736, Records: 0, FirstSeen: "2021-03-01",
				LastSeen: "2021-06-30", Confidence: 0.95,
				Evidence: []target.Evidence{{Path: "victims.xlsx", Snippet: "印度财政部 1.5GB", Translation: "India Ministry of Finance 1.5GB"}}},
			{Name: "=HYPERLINK(\"http://x\")<script>alert(1)</script>", Aliases: nil, Country: "INT", Sector: "telecom",
				Records: 12000, Confidence: 0.4},
		},
		Entities: []store.EntitySummary{
			{Type: "ipv4", Value: "203.0.113.7", Count: 3, Paths: []string{"notes/c2.txt", "a.zip!/b.txt"}},
			{Type: "domain", Value: "evil.example", Count: 2, Paths: []string{"notes/c2.txt"}},
			{Type: "url", Value: "http://evil.example/a?b='c'", Count: 1, Paths: []string{"notes/c2.txt"}},
			{Type: "email", Value: "ops@evil.example", Count: 1, Paths: []string{"mail/m.eml"}},
			{Type: "md5", Value: "D41D8CD98F00B204E9800998ECF8427E", Count: 1, Paths: []string{"hashes.txt"}},
			{Type: "sha1", Value: "da39a3ee5e6b4b0d3255bfef95601890afd80709", Count: 1, Paths: []string{"hashes.txt"}},
			{Type: "sha256", Value: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Count: 1, Paths: []string{"hashes.txt"}},
			{Type: "cve", Value: "cve-2021-44228", Count: 4, Paths: []string{"tools/readme.md"}},
			{Type: "phone", Value: "+86 10 1234 5678", Count: 1, Paths: []string{"staff.csv"}},
			{Type: "org", Value: "Ministry of Finance", Count: 5, Paths: []string{"victims.xlsx"}},
		},
		Persons: []enrich.PersonView{
			{Name: "Wang Wei", Aliases: []string{"王伟", "ww@evil.example", "+86 138 0000 0000"}, Messages: 5,
				First: "2021-03-01T09:00:00+08:00", Last: "2021-03-02T18:00:00+08:00"},
			{Name: "Li | Na *boss*", Aliases: []string{}, Messages: 2},
		},
		Edges: []people.Edge{{From: "Wang Wei", To: "Li | Na *boss*", Count: 4}, {From: "Li | Na *boss*", To: "Zhao", Count: 1}},
		Conversations: []Conversation{
			{ID: "c1", Title: "ops group", Source: "chats/ops.txt", Group: true, Participants: []string{"Wang Wei", "Li | Na *boss*"},
				Messages: 7, First: "2021-03-01T09:00:00+08:00", Last: "2021-03-02T18:00:00+08:00"},
			{ID: "c2", Source: "shots/1.png", Participants: []string{"Wang Wei"}, Messages: 1},
		},
	}
}

var fixed = Options{Created: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}

// TestWrite compares every format with its golden file, checks that it
// parses as its format, and that a second export is byte-identical.
func TestWrite(t *testing.T) {
	cases := []struct {
		name, format string
		opts         Options
		valid        func(t *testing.T, out []byte)
	}{
		{"csv", "csv", fixed, validCSV(12, 3)},
		{"csv_entities", "csv", Options{Created: fixed.Created, What: "entities"}, validCSV(6, 11)},
		{"json", "json", fixed, validJSON},
		{"stix", "stix", fixed, validSTIX},
		{"misp", "misp", fixed, validMISP},
		{"ftm", "ftm", fixed, validFTM},
		{"gexf", "gexf", fixed, validGEXF},
		{"report", "report", fixed, validReport},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var a, b bytes.Buffer
			if err := Write(&a, tc.format, sample(), tc.opts); err != nil {
				t.Fatal(err)
			}
			if err := Write(&b, tc.format, sample(), tc.opts); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Errorf("two exports differ")
			}
			if !utf8.Valid(a.Bytes()) {
				t.Errorf("output is not valid UTF-8")
			}
			tc.valid(t, a.Bytes())
			golden(t, "TestWrite", tc.name, a.Bytes())
		})
	}
}

func golden(t *testing.T, test, name string, got []byte) {
	t.Helper()
	lsgolden.Check(t, filepath.Join("testdata", "golden", test, name+".golden"), got)
}

func validCSV(cols, rows int) func(*testing.T, []byte) {
	return func(t *testing.T, out []byte) {
		recs, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
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
	}
}

func validJSON(t *testing.T, out []byte) {
	var got map[string]json.RawMessage
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"format", "case", "targets", "entities", "persons", "edges", "conversations"} {
		if v, ok := got[k]; !ok || string(v) == "null" {
			t.Errorf("key %s missing or null", k)
		}
	}
}

// stixPatternRE is the comparison-expression grammar leakscope emits:
// one [object-path = 'string'] with escaped quotes and backslashes.
var stixPatternRE = regexp.MustCompile(`^\[(ipv4-addr|ipv6-addr|domain-name|url|email-addr):value = '(?:[^'\\]|\\['\\])*'\]$|` +
	`^\[file:hashes\.(MD5|'SHA-1'|'SHA-256') = '[0-9a-f]+'\]$`)

func validSTIX(t *testing.T, out []byte) {
	var b struct {
		Type    string           `json:"type"`
		ID      string           `json:"id"`
		Objects []map[string]any `json:"objects"`
	}
	if err := json.Unmarshal(out, &b); err != nil {
		t.Fatal(err)
	}
	if b.Type != "bundle" || !strings.HasPrefix(b.ID, "bundle--") {
		t.Errorf("bundle %s %s", b.Type, b.ID)
	}
	idRE := regexp.MustCompile(`^[a-z][a-z0-9-]+--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	ids := map[string]bool{}
	count := map[string]int{}
	for _, o := range b.Objects {
		id, _ := o["id"].(string)
		typ, _ := o["type"].(string)
		count[typ]++
		if !idRE.MatchString(id) || !strings.HasPrefix(id, typ+"--") {
			t.Errorf("id %q of a %s", id, typ)
		}
		if ids[id] {
			t.Errorf("duplicate id %s", id)
		}
		ids[id] = true
		if o["spec_version"] != "2.1" || o["created"] != "2026-01-02T03:04:05.000Z" || o["modified"] != o["created"] {
			t.Errorf("%s: spec_version %v created %v modified %v", id, o["spec_version"], o["created"], o["modified"])
		}
		if typ == "indicator" {
			p, _ := o["pattern"].(string)
			if !stixPatternRE.MatchString(p) {
				t.Errorf("pattern %q", p)
			}
		}
	}
	for _, o := range b.Objects {
		if o["type"] == "relationship" && (!ids[o["source_ref"].(string)] || !ids[o["target_ref"].(string)]) {
			t.Errorf("dangling relationship %v", o)
		}
	}
	want := map[string]int{"intrusion-set": 1, "identity": 2, "indicator": 7, "vulnerability": 1, "relationship": 10}
	if diff := cmp.Diff(want, count); diff != "" {
		t.Errorf("object counts (-want +got):\n%s", diff)
	}
}

func validMISP(t *testing.T, out []byte) {
	var ev struct {
		Event struct {
			Info      string `json:"info"`
			Attribute []struct {
				Type, Category, Value string
				ToIDs                 bool `json:"to_ids"`
			} `json:"Attribute"`
		} `json:"Event"`
	}
	if err := json.Unmarshal(out, &ev); err != nil {
		t.Fatal(err)
	}
	types := map[string]int{}
	for _, a := range ev.Event.Attribute {
		types[a.Type]++
	}
	want := map[string]int{"target-org": 2, "ip-dst": 1, "domain": 1, "url": 1, "email-src": 1, "md5": 1, "sha1": 1,
		"sha256": 1, "vulnerability": 1, "phone-number": 1}
	if diff := cmp.Diff(want, types); diff != "" {
		t.Errorf("attribute types (-want +got):\n%s", diff)
	}
}

func validFTM(t *testing.T, out []byte) {
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	schemas := map[string]int{}
	for _, l := range lines {
		var e ftmEntity
		if !json.Valid([]byte(l)) {
			t.Fatalf("invalid JSON line %q", l)
		}
		json.Unmarshal([]byte(l), &e)
		if e.ID == "" || len(e.Properties) == 0 {
			t.Errorf("entity without id or properties: %s", l)
		}
		schemas[e.Schema]++
		if c := e.Properties["country"]; len(c) > 0 && c[0] != strings.ToLower(c[0]) {
			t.Errorf("country %q not lowercase", c)
		}
	}
	if diff := cmp.Diff(map[string]int{"Organization": 2, "Person": 3, "UnknownLink": 2}, schemas); diff != "" {
		t.Errorf("schemas (-want +got):\n%s", diff)
	}
}

func validGEXF(t *testing.T, out []byte) {
	var g gexfDoc
	if err := xml.Unmarshal(out, &g); err != nil {
		t.Fatal(err)
	}
	nodes := map[string]bool{}
	for _, n := range g.Graph.Nodes {
		nodes[n.ID] = true
	}
	for _, e := range g.Graph.Edges {
		if !nodes[e.Source] || !nodes[e.Target] {
			t.Errorf("edge %s to a missing node", e.ID)
		}
	}
	if len(g.Graph.Nodes) != 4 || len(g.Graph.Edges) != 4 {
		t.Errorf("%d nodes and %d edges, want 4 and 4", len(g.Graph.Nodes), len(g.Graph.Edges))
	}
}

func validReport(t *testing.T, out []byte) {
	checkMarkdown(t, string(out))
	if !strings.Contains(string(out), "Ministry of Finance") {
		t.Errorf("report does not name the target")
	}
}

// checkMarkdown fails when the report holds raw HTML or a table row with
// a cell count other than its header's.
func checkMarkdown(t *testing.T, s string) {
	t.Helper()
	if strings.ContainsAny(s, "<>") {
		t.Errorf("raw < or > in the report")
	}
	cols := 0
	for _, l := range strings.Split(s, "\n") {
		if !strings.HasPrefix(l, "|") {
			cols = 0
			continue
		}
		n := unescapedPipes(l)
		if cols == 0 {
			cols = n
		} else if n != cols {
			t.Errorf("row with %d cell borders, header has %d: %q", n, cols, l)
		}
	}
}

func unescapedPipes(l string) int {
	n := 0
	for i := 0; i < len(l); i++ {
		switch l[i] {
		case '\\':
			i++
		case '|':
			n++
		}
	}
	return n
}

func TestWriteErrors(t *testing.T) {
	cases := []struct {
		name, format, what string
	}{
		{"unknown format", "xlsx", ""},
		{"unknown csv rows", "csv", "people"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := Write(io.Discard, tc.format, sample(), Options{What: tc.what})
			if err == nil {
				t.Fatal("no error")
			}
			if tc.format == "xlsx" && !errors.Is(err, ErrFormat) {
				t.Errorf("%v is not ErrFormat", err)
			}
		})
	}
}

// TestEmpty exports a case with no findings: every format is still valid.
func TestEmpty(t *testing.T) {
	for _, format := range Formats {
		t.Run(format, func(t *testing.T) {
			var b bytes.Buffer
			if err := Write(&b, format, &Findings{Case: "empty"}, Options{}); err != nil {
				t.Fatal(err)
			}
			switch format {
			case "json", "stix", "misp":
				if !json.Valid(b.Bytes()) {
					t.Errorf("invalid JSON: %s", b.Bytes())
				}
			case "gexf":
				var g gexfDoc
				if err := xml.Unmarshal(b.Bytes(), &g); err != nil {
					t.Error(err)
				}
			case "ftm":
				if b.Len() != 0 {
					t.Errorf("entities from nothing: %s", b.Bytes())
				}
			case "csv":
				if got := strings.Count(b.String(), "\n"); got != 1 {
					t.Errorf("%d lines, want the header only", got)
				}
			case "report":
				checkMarkdown(t, b.String())
			}
		})
	}
}

func TestUUID5(t *testing.T) {
	// RFC 9562 appendix A.4: UUIDv5 of "www.example.com" in the DNS
	// namespace.
	dns := [16]byte{0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}
	u := uuid5(dns, "www.example.com")
	got := strings.ToLower(strings.Join([]string{hexs(u[0:4]), hexs(u[4:6]), hexs(u[6:8]), hexs(u[8:10]), hexs(u[10:16])}, "-"))
	if diff := cmp.Diff("2ed6657d-e927-568b-95e1-2665a8aea6a2", got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func hexs(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

func TestMarkdownEscape(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"plain", "Ministry of Finance", "Ministry of Finance"},
		{"chinese", "印度财政部", "印度财政部"},
		{"html", "<img src=x onerror=alert(1)>", `&lt;img src=x onerror=alert(1)&gt;`},
		{"table", "a|b", `a\|b`},
		{"emphasis and code", "*a* _b_ `c` ~d~", "\\*a\\* \\_b\\_ \\`c\\` \\~d\\~"},
		{"date and path", "2021-06-03 a/b.txt", "2021-06-03 a/b.txt"},
		{"link", "[x](http://y)", `\[x\](http://y)`},
		{"entity", "&lt;", `&amp;lt;`},
		{"newline heading", "a\n# b", `a \# b`},
		{"invalid utf8", "a\xffb\x00", "a\uFFFDb"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, md(tc.in)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestSTIXPattern(t *testing.T) {
	cases := []struct{ name, kind, value, want string }{
		{"ip", "ipv4", "10.0.0.1", `[ipv4-addr:value = '10.0.0.1']`},
		{"quote", "url", `http://a/'b\`, `[url:value = 'http://a/\'b\\']`},
		{"sha1 upper", "sha1", "DA39", `[file:hashes.'SHA-1' = 'da39']`},
		{"not an ioc", "org", "x", ``},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, stixPattern(tc.kind, tc.value)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzReport puts arbitrary strings wherever the report shows leaked
// text: the report stays valid UTF-8, has no raw HTML and keeps its
// tables' shape.
func FuzzReport(f *testing.F) {
	for _, s := range []string{"", "<script>alert(1)</script>", "a|b\\|c", "\\", "`code`", "[l](javascript:x)",
		"&#60;b&#62;", "\xff\xfe", "# h\n---\n|x|", "印度\u202e财政部", "<!-- c", "a\\"} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		fd := &Findings{Case: a,
			Targets:       []target.Target{{Name: a, Aliases: []string{b}, Country: b, Sector: a, DataTypes: []string{a, b}, Evidence: []target.Evidence{{Path: b}}}},
			Entities:      []store.EntitySummary{{Type: a, Value: b, Count: 1}, {Type: "ipv4", Value: a}},
			Persons:       []enrich.PersonView{{Name: b, Aliases: []string{a}, First: a, Last: b}},
			Conversations: []Conversation{{Title: a, Participants: []string{a, b}, First: b}},
		}
		var out bytes.Buffer
		if err := WriteReport(&out, fd, Options{}); err != nil {
			t.Fatal(err)
		}
		if !utf8.Valid(out.Bytes()) {
			t.Fatal("invalid UTF-8")
		}
		checkMarkdown(t, out.String())
	})
}
