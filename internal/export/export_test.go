package export

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/leakscope/leakscope/internal/attack"
	"github.com/leakscope/leakscope/internal/chat/people"
	"github.com/leakscope/leakscope/internal/enrich"
	"github.com/leakscope/leakscope/internal/findings"
	lsgolden "github.com/leakscope/leakscope/internal/golden"
	"github.com/leakscope/leakscope/internal/store"
	"github.com/leakscope/leakscope/internal/target"
)

// sample is a small hand-made case with the awkward strings real leaks
// have: Chinese names, quotes, HTML, formula-looking cells, INT.
func sample() *Findings {
	return &Findings{
		Case:     "demo",
		CaseUUID: "0b6d6c9e-7f2a-4c1e-9d3b-5a8f1e2c4d6b",
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
		Edges: []people.Edge{{From: "Wang Wei", To: "Li | Na *boss*", Count: 4}, {From: "Li | Na *boss*", To: "Zhao", Count: 1},
			{From: "Wang Wei", To: "#ops group", Count: 3}},
		Conversations: []Conversation{
			{ID: "c1", Title: "ops group", Source: "chats/ops.txt", Group: true, Participants: []string{"Wang Wei", "Li | Na *boss*"},
				Messages: 7, First: "2021-03-01T09:00:00+08:00", Last: "2021-03-02T18:00:00+08:00",
				Log: []Message{{Time: "2021-03-01T09:00:00+08:00", Sender: "Wang Wei", Text: "回连 203.0.113.7, ask Li | Na *boss*"},
					{Time: "2021-03-01T09:05:00+08:00", Sender: "Li | Na *boss*", Text: "ok"}}},
			{ID: "c2", Source: "shots/1.png", Participants: []string{"Wang Wei"}, Messages: 1,
				Log: []Message{{Sender: "Wang Wei", Text: "<b>hi</b>"}}},
		},
		IOCs: []findings.IOC{
			{Kind: "ipv4", Value: "203.0.113.7", Role: findings.RoleAttacker, Purpose: findings.PurposeC2, Rule: "attacker-context",
				FirstSeen: "2021-03-01", LastSeen: "2021-06", Mentions: 3,
				Evidence: []findings.Evidence{{Path: "notes/c2.txt", Snippet: "回连 203.0.113.7", Date: "2021-03-01"}}},
			{Kind: "domain", Value: "evil.example", Role: findings.RolePhishing, Purpose: findings.PurposePhishing, Rule: "phishing-context",
				Mentions: 2, Evidence: []findings.Evidence{{Path: "notes/c2.txt", Snippet: "钓鱼 evil.example"}}},
			{Kind: "url", Value: "http://evil.example/a?b='c'", Role: findings.RolePhishing, Purpose: findings.PurposePhishing,
				Rule: "host-of-attacker", Mentions: 1},
			{Kind: "email", Value: "ops@evil.example", Role: findings.RoleOwn, Rule: "staff-directory", Mentions: 1,
				Evidence: []findings.Evidence{{Path: "staff.csv", Snippet: "Wang Wei | ops | ops@evil.example"}}},
			{Kind: "email", Value: "ww@evil.example", Role: findings.RoleOwn, Rule: "domain-of-own", Mentions: 1},
			{Kind: "email", Value: "it@mof.example", Role: findings.RoleVictim, Rule: "names-target", Mentions: 1},
			{Kind: "ipv4", Value: "198.51.100.4", Role: findings.RoleVictim, Rule: "domain-of-victim", Mentions: 1},
			{Kind: "email", Value: "buyer@bureau.example", Role: findings.RoleCustomer, Rule: "customer-context", Mentions: 1},
			{Kind: "md5", Value: "D41D8CD98F00B204E9800998ECF8427E", Role: findings.RoleAttacker, Purpose: findings.PurposeMalware,
				Rule: "malware-hash", FirstSeen: "2021-04", LastSeen: "2021-04", Mentions: 1},
			{Kind: "sha1", Value: "da39a3ee5e6b4b0d3255bfef95601890afd80709", Role: findings.RoleUnknown, Mentions: 1},
			{Kind: "phone", Value: "+86 10 1234 5678", Role: findings.RoleOwn, Rule: "staff-directory", Mentions: 1},
		},
		Techniques: []findings.Technique{technique("T1566.001", findings.Evidence{Path: "mail/lure.eml", Snippet: "附件: minutes.doc"}),
			technique("T1505.003", findings.Evidence{Path: "chats/ops.txt", Snippet: "传了个 webshell", Date: "2021-03-01"})},
		Tools: []findings.Tool{tool("Cobalt Strike", findings.Evidence{Path: "chats/ops.txt", Snippet: "用的 Cobalt Strike 上线"}),
			tool("Mimikatz", findings.Evidence{Path: "notes/c2.txt", Snippet: "used mimikatz"})},
		Documents: []Document{
			{SHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", Paths: []string{"notes/c2.txt"},
				MIME: "text/plain", Size: 120, Language: "zh",
				Mentions: []Mention{{Kind: "ipv4", Value: "203.0.113.7"}, {Kind: "email", Value: "ops@evil.example"},
					{Kind: "domain", Value: "evil.example"}}},
			{SHA256: "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752", Paths: []string{"a.zip!/b.txt", "b.txt"},
				MIME: "text/plain", Size: 7},
		},
	}
}

func technique(id string, ev findings.Evidence) findings.Technique {
	t, ok := attack.LookupTechnique(id)
	if !ok {
		panic(id)
	}
	return findings.Technique{Technique: t, Rules: []string{"rule"}, Evidence: []findings.Evidence{ev}}
}

func tool(name string, ev findings.Evidence) findings.Tool {
	s, ok := attack.FindSoftware(name)
	if !ok {
		panic(name)
	}
	return findings.Tool{Software: s, Evidence: []findings.Evidence{ev}}
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
		{"csv", "csv", fixed, validCSV(13, 3)},
		{"csv_entities", "csv", Options{Created: fixed.Created, What: "entities"}, validCSV(8, 11)},
		{"stix_tlp_red", "stix", Options{Created: fixed.Created, TLP: "red", Producer: "Acme CERT"}, validSTIX},
		{"json", "json", fixed, validJSON},
		{"stix", "stix", fixed, validSTIX},
		{"misp", "misp", fixed, validMISP},
		{"ftm", "ftm", fixed, validFTM},
		{"gexf", "gexf", fixed, validGEXF},
		{"report", "report", fixed, validReport},
		{"html", "html", fixed, validHTML},
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
			case "html":
				validHTMLShape(t, b.Bytes())
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

// FuzzReport puts arbitrary strings wherever the reports show leaked
// text: the Markdown report stays valid UTF-8, has no raw HTML and keeps
// its tables' shape; the HTML report gains no element, handler or
// dangling link.
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
		out.Reset()
		fd.IOCs = []findings.IOC{{Kind: a, Value: b, Role: findings.RoleAttacker, Evidence: []findings.Evidence{{Path: a, Snippet: b}}}}
		if err := WriteHTMLReport(&out, fd, Options{}); err != nil {
			t.Fatal(err)
		}
		validHTMLShape(t, out.Bytes())
	})
}
